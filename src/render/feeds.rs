//! `/atom.xml` and `/sitemap.xml`: the only files with absolute URLs (from `base_url`), because
//! feed readers and search engines fetch them outside the site.
//!
//! Dates come from the reports (公开日期), never from the clock, so the same content gives the same
//! bytes.

use std::fmt::Write;

use chrono::NaiveDate;

use super::{PlannedFile, urls};
use crate::site::{Report, Site};

/// How many reports the feed lists (the newest); older ones stay in the sitemap. A feed of every
/// report of a province would be megabytes that readers poll.
pub const FEED_ENTRIES: usize = 100;

/// `2019-03-01T00:00:00+08:00`: a report's date, at midnight China time.
fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00+08:00")
}

/// Escape text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn absolute(site: &Site, path: &str) -> String {
    urls::absolute(&site.config.base_url, path)
}

fn township_name<'a>(site: &'a Site, r: &'a Report) -> &'a str {
    site.township(&r.township)
        .map_or(r.township.as_str(), |t| t.name.as_str())
}

/// Reports newest first: by 公开日期, then year, then township order (the site's order).
fn newest_first(site: &Site) -> Vec<&Report> {
    let mut reports: Vec<&Report> = site.reports.iter().collect();
    // The site's order is newest year first, then township order; a stable sort keeps it for ties.
    reports.sort_by_key(|r| std::cmp::Reverse(r.meta.published));
    reports
}

/// The Atom feed of the newest reports.
pub fn atom(site: &Site) -> Vec<u8> {
    let base = &site.config.base_url;
    let reports = newest_first(site);
    let updated = reports.first().map_or_else(
        || "1970-01-01T00:00:00Z".to_string(),
        |r| timestamp(r.meta.published),
    );
    let mut x = String::with_capacity(1024 + reports.len().min(FEED_ENTRIES) * 600);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&site.config.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", escape(&site.config.title));
    let _ = writeln!(
        x,
        "  <subtitle>政府信息公开工作年度报告（按公开日期，最新在前）</subtitle>"
    );
    let _ = writeln!(x, "  <id>{}</id>", escape(base));
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}atom.xml\"/>",
        escape(base)
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(base)
    );
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let _ = writeln!(x, "  <generator>nianbao</generator>");
    for r in reports.into_iter().take(FEED_ENTRIES) {
        entry(&mut x, site, r);
    }
    x.push_str("</feed>\n");
    x.into_bytes()
}

fn entry(x: &mut String, site: &Site, r: &Report) {
    let url = escape(&absolute(site, &urls::report(r.year, &r.township)));
    let date = timestamp(r.meta.published);
    let _ = writeln!(x, "  <entry>");
    let _ = writeln!(x, "    <title>{}</title>", escape(&r.meta.title));
    let _ = writeln!(x, "    <id>{url}</id>");
    let _ = writeln!(
        x,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>"
    );
    let _ = writeln!(x, "    <published>{date}</published>");
    let _ = writeln!(x, "    <updated>{date}</updated>");
    let _ = writeln!(
        x,
        "    <author><name>{}</name></author>",
        escape(&r.meta.publisher)
    );
    let _ = writeln!(
        x,
        "    <summary>{}{}年度政府信息公开工作年度报告，公开日期 {}。</summary>",
        escape(township_name(site, r)),
        r.year,
        r.meta.published
    );
    let _ = writeln!(x, "  </entry>");
}

/// The sitemap: every HTML page of the plan but the 404 page, with the date its content last
/// changed where the reports tell it.
pub fn sitemap(site: &Site, plan: &[PlannedFile]) -> Vec<u8> {
    let newest = site.reports.iter().map(|r| r.meta.published).max();
    let mut x = String::with_capacity(256 + plan.len() * 120);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut pages: Vec<(&str, Option<NaiveDate>)> = plan
        .iter()
        .filter(|f| f.target.is_page() && f.target != super::Target::NotFound)
        .map(|f| (urls::pretty(&f.path), lastmod(site, &f.target).or(newest)))
        .collect();
    pages.sort_unstable_by_key(|(path, _)| *path);
    for (path, date) in pages {
        let _ = write!(
            x,
            "  <url><loc>{}{}</loc>",
            escape(&site.config.base_url),
            escape(path)
        );
        if let Some(d) = date {
            let _ = write!(x, "<lastmod>{d}</lastmod>");
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x.into_bytes()
}

fn lastmod(site: &Site, target: &super::Target) -> Option<NaiveDate> {
    use super::Target;
    match target {
        Target::Report(i) => Some(site.reports[*i].meta.published),
        Target::Year(y) => site.reports_of_year(*y).map(|r| r.meta.published).max(),
        Target::Township(i) => site
            .reports_of_township(&site.townships[*i].slug)
            .map(|r| r.meta.published)
            .max(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("A&B <c> \"d\" 'e'\u{1}"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
    }
}
