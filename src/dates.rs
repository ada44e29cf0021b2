//! Dates as content writes them (strict `YYYY-MM-DD`), and when a year's annual report is due:
//! the law's dates, and a county's own in `site.toml`.
//!
//! Report years up to 2018 fall under the 2008 条例 (第三十一条: by 3月31日 of the next year),
//! from 2019 on under the 2019 条例 (第五十条: by 1月31日). A county may set an earlier date of
//! its own for every year (`[deadlines] default = "01-20"`) and an exception for one year with a
//! note (`[[deadlines.exception]]`). The date is the last day a report counts as on time.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// Parse a strict `YYYY-MM-DD` date.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A date in a spelling clerks write by hand — `2019年4月10日`, `2019.4.10`, `2019/04/10`,
/// `2019-4-10` — which content does not accept (one spelling, `YYYY-MM-DD`, everywhere); used to
/// say exactly what to write instead.
pub(crate) fn hand_written(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let text = text.strip_suffix('日').unwrap_or(text);
    let parts: Vec<&str> = text.split(['年', '月', '.', '/', '-']).collect();
    let [year, month, day] = parts[..] else {
        return None;
    };
    let digits = |s: &str, max: usize| {
        let s = s.trim();
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let year = i32::try_from(digits(year, 4).filter(|_| year.trim().len() == 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(month, 2)?, digits(day, 2)?)
}

/// Today in China Standard Time (UTC+8), where the reports are due; the day of
/// `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds convention) when that is set, so that
/// a build can be repeated byte for byte on another day.
pub fn today() -> NaiveDate {
    day_in_china(now())
}

/// Now, in seconds since 1970 (UTC): `SOURCE_DATE_EPOCH` when that is set (the moment a
/// reproducible build stands for), else the system clock.
pub fn now() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        })
}

/// The day in China Standard Time of a moment given in seconds since 1970 (UTC).
pub fn day_in_china(seconds: i64) -> NaiveDate {
    const CHINA: i64 = 8 * 3600;
    let days = (seconds + CHINA).div_euclid(86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::days(days)))
        .unwrap_or_default()
}

/// The first report year the 2019 条例 governs.
const FIRST_YEAR_OF_2019_REGULATION: u16 = 2019;

/// The `[deadlines]` table of `site.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    /// The county's own due day in the next year, `MM-DD`, for every report year.
    #[serde(default)]
    pub default: Option<String>,
    /// One year's exception.
    #[serde(default)]
    pub exception: Vec<DeadlineException>,
}

/// `[[deadlines.exception]]`: a due date set for one report year.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DeadlineException {
    /// The report year.
    pub year: u16,
    /// The due date, `YYYY-MM-DD`.
    pub due: String,
    /// Why (shown beside the date on the oversight page).
    #[serde(default)]
    pub note: Option<String>,
}

/// A report year's due date and what sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The last day on which publication is on time.
    pub date: NaiveDate,
    /// What sets the date, in words for the page: 2019 条例 第五十条, 本县规定, or the note.
    pub basis: String,
}

impl Deadlines {
    /// Check the table: `(field, message)` of the first problem.
    pub(crate) fn check(&self) -> Result<(), (String, String)> {
        if let Some(day) = &self.default
            && month_day(day).is_none()
        {
            return Err((
                "deadlines.default".to_string(),
                format!("公开期限 default「{day}」不是有效的“月-日”，应写成 \"01-20\" 这样的形式"),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for e in &self.exception {
            let Some(date) = parse_date(&e.due) else {
                return Err((
                    "deadlines.exception.due".to_string(),
                    format!(
                        "{} 年度的公开期限「{}」不是有效日期，应写成 YYYY-MM-DD",
                        e.year, e.due
                    ),
                ));
            };
            if date.year() <= i32::from(e.year) {
                return Err((
                    "deadlines.exception.due".to_string(),
                    format!("{} 年度的公开期限 {date} 不在统计年度之后", e.year),
                ));
            }
            if !seen.insert(e.year) {
                return Err((
                    "deadlines.exception.year".to_string(),
                    format!("{} 年度的公开期限例外写了不止一次", e.year),
                ));
            }
        }
        Ok(())
    }

    /// When the report of `year` is due.
    pub fn due(&self, year: u16) -> Option<Due> {
        if let Some(e) = self.exception.iter().find(|e| e.year == year) {
            let date = parse_date(&e.due)?;
            let basis = e
                .note
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "本县规定的该年度期限".to_string());
            return Some(Due { date, basis });
        }
        let next = i32::from(year) + 1;
        if let Some((month, day)) = self.default.as_deref().and_then(month_day) {
            return Some(Due {
                date: NaiveDate::from_ymd_opt(next, month, day)?,
                basis: "本县规定的期限".to_string(),
            });
        }
        let (month, day, basis) = statutory(year);
        Some(Due {
            date: NaiveDate::from_ymd_opt(next, month, day)?,
            basis: basis.to_string(),
        })
    }
}

/// The law's due day for a report year, and the article that sets it.
fn statutory(year: u16) -> (u32, u32, &'static str) {
    if year < FIRST_YEAR_OF_2019_REGULATION {
        (3, 31, "2008 年《政府信息公开条例》第三十一条")
    } else {
        (1, 31, "2019 年《政府信息公开条例》第五十条")
    }
}

/// `MM-DD` as a day that exists in every year (so 02-29 is refused).
fn month_day(text: &str) -> Option<(u32, u32)> {
    let (m, d) = text.trim().split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (month, day) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2023, month, day).map(|_| (month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).expect("a date")
    }

    #[test]
    fn hand_written_dates_are_recognised_for_the_hint_only() {
        for text in [
            "2019年4月10日",
            "2019.4.10",
            "2019/04/10",
            "2019-4-10",
            " 2019年04月10日 ",
        ] {
            assert_eq!(hand_written(text), Some(date("2019-04-10")), "{text}");
            assert_eq!(parse_date(text), None, "{text} is not accepted as content");
        }
        for text in [
            "2019年4月",
            "19.4.10",
            "2019.4.31",
            "2019年4月10日下午",
            "四月十日",
        ] {
            assert_eq!(hand_written(text), None, "{text}");
        }
    }

    #[test]
    fn the_day_is_the_day_in_china() {
        // 2024-02-29 16:00 UTC is 2024-03-01 00:00 in Beijing; a second before is still 02-29.
        assert_eq!(day_in_china(1_709_222_400), date("2024-03-01"));
        assert_eq!(day_in_china(1_709_222_399), date("2024-02-29"));
        assert_eq!(day_in_china(0), date("1970-01-01"));
    }

    #[test]
    fn the_law_switches_between_report_years_2018_and_2019() {
        let d = Deadlines::default();
        assert_eq!(d.due(2018).map(|d| d.date), Some(date("2019-03-31")));
        assert_eq!(d.due(2019).map(|d| d.date), Some(date("2020-01-31")));
        assert!(d.due(2018).is_some_and(|d| d.basis.contains("第三十一条")));
        assert!(d.due(2019).is_some_and(|d| d.basis.contains("第五十条")));
    }

    #[test]
    fn a_county_date_and_a_year_s_exception_override_the_law() {
        let d = Deadlines {
            default: Some("01-20".to_string()),
            exception: vec![DeadlineException {
                year: 2022,
                due: "2023-02-28".to_string(),
                note: Some("疫情顺延".to_string()),
            }],
        };
        assert_eq!(d.check(), Ok(()));
        assert_eq!(d.due(2017).map(|d| d.date), Some(date("2018-01-20")));
        assert_eq!(d.due(2021).map(|d| d.date), Some(date("2022-01-20")));
        let e = d.due(2022).expect("the exception");
        assert_eq!((e.date, e.basis.as_str()), (date("2023-02-28"), "疫情顺延"));
    }

    #[test]
    fn bad_tables_are_refused() {
        let bad = |default: Option<&str>, due: &str| Deadlines {
            default: default.map(str::to_string),
            exception: vec![DeadlineException {
                year: 2022,
                due: due.to_string(),
                note: None,
            }],
        };
        assert!(bad(Some("1-20"), "2023-02-28").check().is_err());
        assert!(bad(Some("02-29"), "2023-02-28").check().is_err());
        assert!(bad(None, "2022-12-01").check().is_err());
        assert!(bad(None, "2023-02-30").check().is_err());
    }
}
