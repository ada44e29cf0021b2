//! The federated model: every member with its loaded portal, the oversight across all their
//! townships as of the federation's day, and the members' county totals side by side.
//!
//! The oversight is recomputed, not copied: each member's registry (with `since`/`until`), its
//! reports' 公开日期 and its per-year deadlines (from its `portal.json`; the law's for a year it
//! has not audited yet) give every cell's status by the rules of [`crate::site::audit`], as of
//! one day for the whole city.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

pub use super::data::{ALL_HEADER, TotalRow, csv_reader, read_totals};
use super::portal::PortalDoc;
use super::source::Loaded;
use crate::dates::{Deadlines, Due};
use crate::site::audit::Status;

/// One member county.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its name in the city's pages.
    pub name: String,
    /// Its code.
    pub slug: String,
    /// Where it is published, as site.toml names it.
    pub source: String,
    /// Its portal, fresh or cached; `None` when neither could be read.
    pub loaded: Option<Loaded>,
    /// Why it could not be read fresh (and, without `loaded`, at all).
    pub problem: Option<String>,
    /// Its county totals.
    pub totals: Vec<TotalRow>,
}

impl Member {
    /// Its description, when it was read.
    pub fn doc(&self) -> Option<&PortalDoc> {
        self.loaded.as_ref().map(|l| &l.doc)
    }
}

/// One township in one year, of one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The report year.
    pub year: u16,
    /// Its status, by the rules of a county's audit.
    pub status: Status,
    /// The 公开日期.
    pub published: Option<NaiveDate>,
    /// When it was due.
    pub due: Option<Due>,
    /// Whether the report has a statistics table (`None` without a report).
    pub has_table: Option<bool>,
    /// The report's page on the member's portal.
    pub page: Option<String>,
}

/// One township's row: its member, and one cell per audited year.
#[derive(Debug, Clone)]
pub struct Row {
    /// Index in [`Federation::members`].
    pub member: usize,
    /// The township's slug.
    pub township: String,
    /// Its name.
    pub name: String,
    /// One per year of [`Audit::years`].
    pub cells: Vec<Cell>,
}

/// Counts of statuses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Due (or published early).
    pub required: usize,
    /// Published.
    pub published: usize,
    /// On time.
    pub on_time: usize,
    /// Late.
    pub late: usize,
    /// Without a date.
    pub date_unknown: usize,
    /// Missing.
    pub missing: usize,
    /// Not yet due.
    pub not_due: usize,
}

impl Counts {
    /// Count `cells`, as a county's audit counts a year.
    pub fn of<'a>(cells: impl Iterator<Item = &'a Cell>) -> Counts {
        let mut s = crate::site::audit::YearSummary::default();
        for c in cells {
            s.count(c.status);
        }
        Counts {
            required: s.required,
            published: s.published,
            on_time: s.on_time,
            late: s.late,
            date_unknown: s.date_unknown,
            missing: s.missing,
            not_due: s.not_due,
        }
    }
}

/// The audit across every member.
#[derive(Debug, Clone)]
pub struct Audit {
    /// The day it is made as of.
    pub as_of: NaiveDate,
    /// Report years, newest first.
    pub years: Vec<u16>,
    /// Every township of every member read, members in site.toml's order.
    pub rows: Vec<Row>,
}

impl Audit {
    /// The counts of `member` (or of all) in year column `y` (or over all years).
    pub fn counts(&self, member: Option<usize>, y: Option<usize>) -> Counts {
        Counts::of(
            self.rows
                .iter()
                .filter(|r| member.is_none_or(|m| r.member == m))
                .flat_map(|r| match y {
                    Some(i) => std::slice::from_ref(&r.cells[i]).iter(),
                    None => r.cells.iter(),
                }),
        )
    }

    /// The cells in the one order every form lists them: newest year first, then members and
    /// townships in order.
    pub fn cells(&self) -> impl Iterator<Item = (&Row, &Cell)> {
        (0..self.years.len()).flat_map(move |y| self.rows.iter().map(move |r| (r, &r.cells[y])))
    }
}

/// The federation: its members and their audit.
#[derive(Debug, Clone)]
pub struct Federation {
    /// The members, in site.toml's order.
    pub members: Vec<Member>,
    /// The audit across them.
    pub audit: Audit,
}

impl Federation {
    /// The model of `members` as of `as_of`.
    pub fn new(members: Vec<Member>, as_of: NaiveDate) -> Federation {
        let audit = audit(&members, as_of);
        Federation { members, audit }
    }
}

/// The year of a day, as a report year.
fn year_of(day: NaiveDate) -> u16 {
    u16::try_from(day.year()).unwrap_or(0)
}

/// The audited years (newest first): from the first year any member's township was set up, or
/// the first report, to the year before the as-of day, and the as-of year when it has reports.
fn audit_years(members: &[Member], as_of: NaiveDate) -> Vec<u16> {
    let docs: Vec<&PortalDoc> = members.iter().filter_map(Member::doc).collect();
    let as_of_year = year_of(as_of);
    let last_due = as_of_year.saturating_sub(1);
    let first_since = docs
        .iter()
        .flat_map(|d| d.townships.iter().filter_map(|t| t.since))
        .min();
    let first_report = docs
        .iter()
        .flat_map(|d| d.reports.iter().map(|r| r.year))
        .min();
    let Some(first) = [first_since, first_report].into_iter().flatten().min() else {
        return Vec::new();
    };
    let first = first.min(last_due);
    let reports_of_as_of_year = docs
        .iter()
        .any(|d| d.reports.iter().any(|r| r.year == as_of_year));
    let last = if reports_of_as_of_year {
        as_of_year
    } else {
        last_due
    };
    (first..=last).rev().collect()
}

fn audit(members: &[Member], as_of: NaiveDate) -> Audit {
    let years = audit_years(members, as_of);
    let law = Deadlines::default();
    let mut rows = Vec::new();
    for (m, member) in members.iter().enumerate() {
        let Some(doc) = member.doc() else { continue };
        let dues: Vec<Option<Due>> = years
            .iter()
            .map(|&y| doc.deadline(y).or_else(|| law.due(y)))
            .collect();
        let reports: BTreeMap<(u16, &str), &super::portal::ReportDoc> = doc
            .reports
            .iter()
            .map(|r| ((r.year, r.township.as_str()), r))
            .collect();
        for t in &doc.townships {
            let cells = years
                .iter()
                .zip(&dues)
                .map(|(&year, due)| {
                    let report = reports.get(&(year, t.slug.as_str()));
                    let published = report
                        .and_then(|r| r.published.as_deref())
                        .and_then(crate::dates::parse_date);
                    let not_yet_due = due.as_ref().is_some_and(|d| d.date > as_of);
                    let status = match report {
                        None if !t.existed_in(year) => Status::NotRequired,
                        None if not_yet_due => Status::NotDue,
                        None => Status::Missing,
                        Some(_) => match (published, due) {
                            (None, _) => Status::DateUnknown,
                            (Some(p), Some(d)) if p > d.date => {
                                Status::Late((p - d.date).num_days())
                            }
                            (Some(_), _) => Status::OnTime,
                        },
                    };
                    Cell {
                        year,
                        status,
                        published,
                        due: due.clone(),
                        has_table: report.map(|r| r.format.is_some()),
                        page: report.map(|r| r.page.clone()),
                    }
                })
                .collect();
            rows.push(Row {
                member: m,
                township: t.slug.clone(),
                name: t.name.clone(),
                cells,
            });
        }
    }
    Audit { as_of, years, rows }
}

/// One indicator across the members, by year.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Its id.
    pub indicator: String,
    /// Its label.
    pub label: String,
    /// Its unit.
    pub unit: String,
    /// The years any member has a total for, oldest first.
    pub years: Vec<u16>,
    /// Per member (indices into [`Federation::members`]), per year: the member's row.
    pub members: Vec<(usize, Vec<Option<TotalRow>>)>,
    /// The city's total per year: the sum of the members' totals when every member read has a
    /// total over all of its expected townships; else `None`.
    pub city: Vec<Option<Decimal>>,
    /// The city's change from the previous year: only when both years have a city total, the
    /// years are consecutive, and every member gives a change (the same townships, comparable).
    pub city_change: Vec<Option<Decimal>>,
}

/// The members' totals side by side, one comparison per indicator (in the first member's
/// column order).
pub fn comparisons(federation: &Federation) -> Vec<Comparison> {
    let mut order: Vec<(String, String, String)> = Vec::new();
    for m in &federation.members {
        for r in &m.totals {
            if !order.iter().any(|(id, ..)| *id == r.indicator) {
                order.push((r.indicator.clone(), r.label.clone(), r.unit.clone()));
            }
        }
    }
    let read: Vec<usize> = (0..federation.members.len())
        .filter(|&i| federation.members[i].loaded.is_some())
        .collect();
    order
        .into_iter()
        .map(|(indicator, label, unit)| {
            let mut years: Vec<u16> = read
                .iter()
                .flat_map(|&m| federation.members[m].totals.iter())
                .filter(|r| r.indicator == indicator)
                .map(|r| r.year)
                .collect();
            years.sort_unstable();
            years.dedup();
            let members: Vec<(usize, Vec<Option<TotalRow>>)> = read
                .iter()
                .map(|&m| {
                    let rows = years
                        .iter()
                        .map(|&y| {
                            federation.members[m]
                                .totals
                                .iter()
                                .find(|r| r.year == y && r.indicator == indicator)
                                .cloned()
                        })
                        .collect();
                    (m, rows)
                })
                .collect();
            let city: Vec<Option<Decimal>> = (0..years.len())
                .map(|y| {
                    members.iter().try_fold(Decimal::ZERO, |sum, (_, rows)| {
                        let r = rows[y].as_ref().filter(|r| r.complete)?;
                        Some(sum + r.value?)
                    })
                })
                .map(|v| v.filter(|_| !members.is_empty()))
                .collect();
            let city_change = (0..years.len())
                .map(|y| {
                    if y == 0 || years[y - 1] + 1 != years[y] {
                        return None;
                    }
                    city[y]?;
                    city[y - 1]?;
                    members.iter().try_fold(Decimal::ZERO, |sum, (_, rows)| {
                        Some(sum + rows[y].as_ref()?.change?)
                    })
                })
                .collect();
            Comparison {
                indicator,
                label,
                unit,
                years,
                members,
                city,
                city_change,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::federation::data::{check_all_csv, is_number, parse_totals};
    use crate::federation::portal;

    fn member(name: &str, doc: &str) -> Member {
        Member {
            name: name.to_string(),
            slug: name.to_string(),
            source: String::new(),
            loaded: Some(Loaded {
                doc: portal::parse(doc.as_bytes()).expect("doc"),
                dir: std::path::PathBuf::new(),
                fetched: NaiveDate::default(),
                stale: None,
            }),
            problem: None,
            totals: Vec::new(),
        }
    }

    fn doc(reports: &str, deadline: &str) -> String {
        format!(
            r#"{{"schema":"nianbao-portal","schema_version":1,"title":"t","base_url":"http://h/",
            "data":{{"all_csv":"http://h/data/all.csv","totals_csv":"http://h/county/totals.csv"}},
            "townships":[{{"slug":"a","name":"甲"}},{{"slug":"b","name":"乙","since":2020}}],
            "reports":[{reports}],
            "audit":{{"years":[{{"year":2019,"deadline":"{deadline}","basis":"本县规定"}}]}}}}"#
        )
    }

    #[test]
    fn statuses_across_members_with_their_own_deadlines() {
        let r = |y: u16, t: &str, p: &str| {
            format!(
                r#"{{"year":{y},"township":"{t}","published":{p},"page":"http://h/{y}/{t}/","format":"gov-2019"}}"#
            )
        };
        let one = member(
            "one",
            &doc(
                &[r(2019, "a", "\"2020-02-05\""), r(2020, "a", "null")].join(","),
                "2020-01-31",
            ),
        );
        let two = member("two", &doc(&r(2019, "a", "\"2020-02-05\""), "2020-02-10"));
        let as_of = NaiveDate::from_ymd_opt(2021, 1, 15).expect("day");
        let f = Federation::new(vec![one, two], as_of);
        assert_eq!(f.audit.years, vec![2020, 2019]);
        let statuses: Vec<Vec<Status>> = f
            .audit
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.status).collect())
            .collect();
        assert_eq!(
            statuses,
            vec![
                vec![Status::DateUnknown, Status::Late(5)],
                vec![Status::NotDue, Status::NotRequired],
                vec![Status::NotDue, Status::OnTime],
                vec![Status::NotDue, Status::NotRequired],
            ]
        );
        let later = Federation::new(
            f.members.clone(),
            NaiveDate::from_ymd_opt(2021, 6, 1).expect("day"),
        );
        let c = later.audit.counts(Some(1), Some(0));
        assert_eq!((c.required, c.missing, c.not_due), (2, 2, 0));
        assert_eq!(later.audit.counts(None, None).late, 1);
    }

    #[test]
    fn all_csv_is_checked() {
        let head = "\u{feff}year,township,township_name,format,id,label,unit,value\r\n";
        assert!(
            check_all_csv(
                format!("{head}2020,a,甲,f,x,l,件,1.50\r\n2020,a,甲,f,y,l,件,\r\n").as_bytes()
            )
            .is_ok()
        );
        assert!(check_all_csv(format!("{head}2020,a,甲,f,x,l,件,abc\r\n").as_bytes()).is_err());
        assert!(check_all_csv(b"year,township\r\n").is_err());
        assert!(is_number("-3") && is_number("0.25") && !is_number("1.") && !is_number("1e3"));
    }

    #[test]
    fn the_city_total_only_over_complete_members() {
        let head = "year,indicator,label,unit,value,townships,expected,comparability,change,change_percent,reason\r\n";
        let rows_a = format!(
            "{head}2019,x,申请,件,10,a b,a b,first,,,\r\n2020,x,申请,件,12,a b,b a,same_format,2,20,\r\n"
        );
        let rows_b = format!(
            "{head}2019,x,申请,件,5,a,a b,first,,,\r\n2020,x,申请,件,6,a b,a b,different_townships,,,乡镇不同\r\n"
        );
        let d = doc("", "2020-01-31");
        let mut a = member("a", &d);
        a.totals = parse_totals(rows_a.as_bytes()).expect("a");
        let mut b = member("b", &d);
        b.totals = parse_totals(rows_b.as_bytes()).expect("b");
        let f = Federation::new(
            vec![a, b],
            NaiveDate::from_ymd_opt(2021, 6, 1).expect("day"),
        );
        let c = &comparisons(&f)[0];
        assert_eq!(c.years, vec![2019, 2020]);
        assert_eq!(c.city, vec![None, Some(Decimal::from(18))]);
        assert_eq!(c.city_change, vec![None, None]);
    }
}
