//! The pages of a city's federation portal: the home page, `/counties/`, `/audit/` (the
//! oversight across every member, with the county page's cell styles), `/compare/` (the
//! members' county totals side by side) and `/data/`. Members' own pages are linked, not copied.

use serde::Serialize;
use tera::Context;

use super::audit::{class, sort_key};
use super::pages::Shared;
use crate::federation::Federation;
use crate::federation::model::{Comparison, Counts};
use crate::theme::Theme;

/// A page of the federation portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    /// `/index.html`.
    Home,
    /// `/counties/index.html`.
    Counties,
    /// `/audit/index.html`.
    Audit,
    /// `/compare/index.html`.
    Compare,
    /// `/data/index.html`.
    Data,
    /// `/404.html`.
    NotFound,
}

impl Page {
    /// Every page, in the order of the navigation.
    pub(crate) const ALL: [Page; 6] = [
        Page::Home,
        Page::Counties,
        Page::Audit,
        Page::Compare,
        Page::Data,
        Page::NotFound,
    ];

    /// Its path in the output.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Page::Home => "index.html",
            Page::Counties => "counties/index.html",
            Page::Audit => "audit/index.html",
            Page::Compare => "compare/index.html",
            Page::Data => "data/index.html",
            Page::NotFound => "404.html",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Page::Home => "federation/index.html",
            Page::Counties => "federation/counties.html",
            Page::Audit => "federation/audit.html",
            Page::Compare => "federation/compare.html",
            Page::Data => "federation/data.html",
            Page::NotFound => "404.html",
        }
    }
}

#[derive(Debug, Serialize)]
struct CountsView {
    required: usize,
    published: usize,
    on_time: usize,
    late: usize,
    date_unknown: usize,
    missing: usize,
    not_due: usize,
    /// 按时率 in percent with one decimal, or empty.
    rate: String,
}

impl From<Counts> for CountsView {
    fn from(c: Counts) -> Self {
        let rate = if c.required == 0 {
            String::new()
        } else {
            format!("{:.1}%", c.on_time as f64 * 100.0 / c.required as f64)
        };
        CountsView {
            required: c.required,
            published: c.published,
            on_time: c.on_time,
            late: c.late,
            date_unknown: c.date_unknown,
            missing: c.missing,
            not_due: c.not_due,
            rate,
        }
    }
}

#[derive(Debug, Serialize)]
struct MemberView {
    name: String,
    slug: String,
    /// The member's portal (its base URL), or its source when it was never read.
    href: String,
    title: String,
    reports: usize,
    townships: usize,
    counts: Option<CountsView>,
    /// Its own audit's day.
    own_as_of: String,
    /// 使用 2025-03-01 获取的数据（…）, or empty.
    note: String,
    /// Nothing could be read.
    unread: bool,
}

#[derive(Debug, Serialize)]
struct CellView {
    status: String,
    class: &'static str,
    sort: String,
    published: String,
    href: Option<String>,
    summary: String,
}

#[derive(Debug, Serialize)]
struct RowView {
    county: String,
    county_href: String,
    name: String,
    cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
struct YearView {
    year: u16,
    counts: CountsView,
}

#[derive(Debug, Serialize)]
struct CompareView {
    label: String,
    unit: String,
    years: Vec<u16>,
    rows: Vec<CompareRow>,
    city: Vec<CompareCell>,
}

#[derive(Debug, Serialize)]
struct CompareRow {
    county: String,
    href: String,
    cells: Vec<CompareCell>,
}

#[derive(Debug, Serialize)]
struct CompareCell {
    value: String,
    coverage: String,
    change: String,
    note: String,
}

fn members(federation: &Federation) -> Vec<MemberView> {
    federation
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let doc = m.doc();
            let note = match (&m.loaded, &m.problem) {
                (Some(l), Some(problem)) => {
                    format!("本次未能读取（{problem}），使用 {} 获取的数据", l.fetched)
                }
                (None, Some(problem)) => format!("无法读取：{problem}"),
                _ => String::new(),
            };
            MemberView {
                name: m.name.clone(),
                slug: m.slug.clone(),
                href: doc.map_or_else(|| m.source.clone(), |d| d.base_url.clone()),
                title: doc.map(|d| d.title.clone()).unwrap_or_default(),
                reports: doc.map_or(0, |d| d.reports.len()),
                townships: doc.map_or(0, |d| d.townships.len()),
                counts: doc.map(|_| federation.audit.counts(Some(i), None).into()),
                own_as_of: doc.and_then(|d| d.as_of.clone()).unwrap_or_default(),
                note,
                unread: m.loaded.is_none(),
            }
        })
        .collect()
}

fn figure(v: Option<rust_decimal::Decimal>) -> String {
    v.map(crate::site::figure::text).unwrap_or_default()
}

fn change_text(v: Option<rust_decimal::Decimal>) -> String {
    match v {
        Some(d) if d.is_sign_positive() && !d.is_zero() => format!("+{}", figure(Some(d))),
        other => figure(other),
    }
}

fn comparison(federation: &Federation, c: &Comparison) -> CompareView {
    let rows = c
        .members
        .iter()
        .map(|(m, rows)| {
            let member = &federation.members[*m];
            CompareRow {
                county: member.name.clone(),
                href: member.doc().map(|d| d.base_url.clone()).unwrap_or_default(),
                cells: rows
                    .iter()
                    .map(|r| match r {
                        None => CompareCell {
                            value: String::new(),
                            coverage: String::new(),
                            change: String::new(),
                            note: "无数据".to_string(),
                        },
                        Some(r) => CompareCell {
                            value: figure(r.value),
                            coverage: format!("{}/{} 个乡镇", r.townships, r.expected),
                            change: change_text(r.change),
                            note: r.reason.clone(),
                        },
                    })
                    .collect(),
            }
        })
        .collect();
    let city = c
        .city
        .iter()
        .zip(&c.city_change)
        .map(|(v, ch)| CompareCell {
            value: figure(*v),
            coverage: String::new(),
            change: change_text(*ch),
            note: if v.is_none() {
                "有县未覆盖全部乡镇，不汇总".to_string()
            } else if ch.is_none() {
                "有县与上年不可比，不计算变化".to_string()
            } else {
                String::new()
            },
        })
        .collect();
    CompareView {
        label: c.label.clone(),
        unit: c.unit.clone(),
        years: c.years.clone(),
        rows,
        city,
    }
}

/// Render `page` of the federation.
pub(crate) fn render(
    page: Page,
    federation: &Federation,
    config: &crate::config::Config,
    shared: &Shared,
    theme: &Theme,
) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
    let mut context = Context::new();
    shared.insert_into(&mut context, page.path());
    let audit = &federation.audit;
    context.insert("as_of", &audit.as_of.to_string());
    context.insert("region", &config.portal.region);
    context.insert("members", &members(federation));
    context.insert("total", &CountsView::from(audit.counts(None, None)));
    let title = match page {
        Page::Home => config.title.clone(),
        Page::Counties => "各县".to_string(),
        Page::Audit => "各县乡镇年报公开情况（督查）".to_string(),
        Page::Compare => "跨县对比".to_string(),
        Page::Data => "数据下载".to_string(),
        Page::NotFound => "页面未找到".to_string(),
    };
    context.insert("page_title", &title);
    match page {
        Page::Audit => {
            let years: Vec<YearView> = audit
                .years
                .iter()
                .enumerate()
                .map(|(i, &year)| YearView {
                    year,
                    counts: audit.counts(None, Some(i)).into(),
                })
                .collect();
            let rows: Vec<RowView> = audit
                .rows
                .iter()
                .map(|row| {
                    let member = &federation.members[row.member];
                    RowView {
                        county: member.name.clone(),
                        county_href: member.doc().map(|d| d.base_url.clone()).unwrap_or_default(),
                        name: row.name.clone(),
                        cells: row
                            .cells
                            .iter()
                            .map(|c| CellView {
                                status: c.status.text(),
                                class: class(c.status),
                                sort: sort_key(c.status),
                                published: c.published.map(|d| d.to_string()).unwrap_or_default(),
                                href: c.page.clone(),
                                summary: format!(
                                    "{} {} {} 年度：{}",
                                    member.name,
                                    row.name,
                                    c.year,
                                    c.status.text()
                                ),
                            })
                            .collect(),
                    }
                })
                .collect();
            context.insert("years", &years);
            context.insert("rows", &rows);
            let region = &config.portal.region;
            context.insert("csv_name", &super::save_name(&[region, "督查"], "csv"));
            context.insert("xlsx_name", &super::save_name(&[region, "督查"], "xlsx"));
        }
        Page::Compare => {
            let views: Vec<CompareView> = crate::federation::model::comparisons(federation)
                .iter()
                .map(|c| comparison(federation, c))
                .collect();
            context.insert("comparisons", &views);
        }
        _ => {}
    }
    theme.render(page.template(), &context)
}
