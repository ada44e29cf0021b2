//! The dates of a page, from every place pages print them: the metadata block (`发布日期`,
//! `发文日期`, `成文日期`, `日期`, `时间` …, in any of the written forms) and the date under the
//! signature at the end of the text. Each date says where it was taken; none is made up.

use chrono::NaiveDate;

use super::hazards::{Finding, Level};
use super::labels::{chinese_digits, key};
use super::source::{Place, Source, Text};

/// Labels of the date the page was made public, most specific first (the content contract's
/// `published`). County CMS pages print `发文日期` as the date the item was issued on the page
/// (often the only date there), so it is a publication date, after the explicit ones.
const PUBLISHED: &[&str] = &[
    "公开日期",
    "发布日期",
    "发布时间",
    "公开时间",
    "信息提供日期",
    "发表日期",
    "发文日期",
    "发文时间",
    "日期",
    "时间",
];

/// Labels of the date the document was made (`generated`: 生成日期; 成文/印发 is when the
/// office signed it, not when the public could read it).
const GENERATED: &[&str] = &["生成日期", "成文日期", "印发日期"];

/// A date and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dated {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// What it was read from, in words (`第 3 行“发布日期”`).
    pub from: String,
}

/// The first calendar date written in `text`: `2017-03-21`, `2017/3/21`, `2017.03.21`,
/// `2017年3月21日`, `二〇一七年三月二十一日`; a time after it (`16:09`) is ignored.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let chars: Vec<char> = chinese_digits(&tens(text)).chars().collect();
    (0..chars.len())
        .filter(|&i| i == 0 || !chars[i - 1].is_ascii_digit())
        .find_map(|i| date_at(&chars[i..]))
}

/// Whether `text` is a date and nothing else (a signature's date line).
fn only_a_date(text: &str) -> bool {
    let k = key(text);
    parse_date(&k).is_some()
        && k.chars().count() <= 12
        && k.chars()
            .all(|c| c.is_ascii_digit() || "年月日-/.〇○零一二三四五六七八九十".contains(c))
}

/// Month and day numerals with 十 (`十二`, `二十一`) as digits, so that `chinese_digits` can do
/// the rest.
fn tens(text: &str) -> String {
    let numeral = |c: char| "一二三四五六七八九".find(c).map(|i| i / 3 + 1);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '十' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let before = out.chars().last().and_then(numeral);
        if before.is_some() {
            out.pop();
        }
        let after = chars.get(i + 1).copied().and_then(numeral);
        let value = before.unwrap_or(1) * 10 + after.unwrap_or(0);
        out.push_str(&value.to_string());
        i += if after.is_some() { 2 } else { 1 };
    }
    out
}

fn date_at(t: &[char]) -> Option<NaiveDate> {
    let digits = |t: &[char], min: usize, max: usize| -> Option<(u32, usize)> {
        let n = t.iter().take_while(|c| c.is_ascii_digit()).count();
        if n < min || n > max {
            return None;
        }
        let s: String = t[..n].iter().collect();
        Some((s.parse().ok()?, n))
    };
    let skip = |t: &[char]| t.iter().take_while(|c| **c == ' ').count();
    let (y, n) = digits(t, 4, 4)?;
    let mut t = &t[n..];
    t = &t[skip(t)..];
    let sep = *t.first()?;
    if !matches!(sep, '-' | '/' | '.' | '年') {
        return None;
    }
    t = &t[1..];
    t = &t[skip(t)..];
    let (m, n) = digits(t, 1, 2)?;
    t = &t[n..];
    t = &t[skip(t)..];
    let sep2 = *t.first()?;
    let same = sep2 == sep || (sep == '年' && sep2 == '月');
    if !same {
        return None;
    }
    t = &t[1..];
    t = &t[skip(t)..];
    let (d, _) = digits(t, 1, 2)?;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// The publication date (`published`) and the date the document was made (`generated`), each
/// with where it was read; a labelled value that holds no date is a finding.
pub(super) fn dates(
    source: &Source,
    findings: &mut Vec<Finding>,
) -> (Option<Dated>, Option<Dated>) {
    let published = labelled(source, PUBLISHED, findings);
    let generated = labelled(source, GENERATED, findings).or_else(|| signature(source));
    (published, generated)
}

fn labelled(source: &Source, labels: &[&str], findings: &mut Vec<Finding>) -> Option<Dated> {
    for label in labels {
        for (k, v) in source
            .meta
            .iter()
            .filter(|(k, v)| k == label && !v.text.is_empty())
        {
            match parse_date(&v.text) {
                Some(d) => {
                    return Some(Dated {
                        date: d.format("%Y-%m-%d").to_string(),
                        from: format!("{}“{k}”", place(&v.at)),
                    });
                }
                None => findings.push(
                    Finding::new(
                        Level::Person,
                        &v.at,
                        format!(
                            "{k}「{}」不是可识别的日期，未导入，请手工填写（YYYY-MM-DD）",
                            v.text
                        ),
                    )
                    .field(if GENERATED.contains(label) {
                        "generated"
                    } else {
                        "published"
                    }),
                ),
            }
        }
    }
    None
}

fn place(at: &Place) -> String {
    match at {
        Place::Nowhere => String::new(),
        at => at.to_string(),
    }
}

/// The date under the signature at the end of the text (`XX镇人民政府` / `2018年1月25日`): the
/// office's date on the document, so a `generated` date, never the publication date.
fn signature(source: &Source) -> Option<Dated> {
    let last: Vec<&Text> = source.blocks.iter().rev().take(3).collect();
    let (i, line) = last
        .iter()
        .enumerate()
        .find(|(_, b)| only_a_date(&b.text))?;
    let signed = last.get(i + 1).is_some_and(|s| {
        let k = key(&s.text);
        k.chars().count() <= 30 && !k.contains('。')
    });
    if !signed {
        return None;
    }
    let d = parse_date(&line.text)?;
    Some(Dated {
        date: d.format("%Y-%m-%d").to_string(),
        from: format!("{}文末落款日期", place(&line.at)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn every_written_form_of_a_date_is_read() {
        for s in [
            "2017-03-21",
            "2017-3-21",
            "2017/3/21",
            "2017.03.21",
            "2017年3月21日",
            "2017年03月21日 15:52",
            "2017-03-21 16:09",
            "二〇一七年三月二十一日",
            " 2017 年 3 月 21 日",
            "2017年3月21日来源:本站",
        ] {
            assert_eq!(ymd(s).as_deref(), Some("2017-03-21"), "{s}");
        }
        assert_eq!(
            ymd("二〇一八年十二月三十一日").as_deref(),
            Some("2018-12-31")
        );
        assert_eq!(ymd("2017-02-30"), None);
        assert_eq!(ymd("2017年度"), None);
        assert_eq!(ymd("12017-03-21x").as_deref(), None);
    }

    #[test]
    fn the_signature_date_is_the_generated_date() {
        let s = super::super::text::parse_text(
            "甲镇2017年政府信息公开工作年度报告\n正文。\n甲镇人民政府\n2018年1月25日\n",
        );
        let mut findings = Vec::new();
        let (published, generated) = dates(&s, &mut findings);
        assert_eq!(published, None);
        let g = generated.unwrap();
        assert_eq!(g.date, "2018-01-25");
        assert_eq!(g.from, "第 4 行文末落款日期");
    }
}
