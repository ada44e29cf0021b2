//! `/atom.xml` and `/sitemap.xml`: the only files with absolute URLs (from `base_url`), because
//! feed readers and search engines fetch them outside the site.
//!
//! Dates come from the reports (公开日期), never from the clock, so the same content gives the same
//! bytes.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::plan::{PlannedFile, urls};
use crate::site::{Report, Site};

/// How many reports the feed lists (the newest); older ones stay in the sitemap. A feed of every
/// report of a province would be megabytes that readers poll.
pub(crate) const FEED_ENTRIES: usize = 100;

/// `2019-03-01T00:00:00+08:00`: a report's date, at midnight China time.
fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00+08:00")
}

/// Escape text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
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

/// Reports newest first: by 公开日期, then year, then township order (the site's order). A report
/// whose 公开日期 the original does not show is left out: a feed entry needs a date, and none may
/// be made up.
fn newest_first(site: &Site) -> Vec<(&Report, NaiveDate)> {
    let mut reports: Vec<(&Report, NaiveDate)> = site
        .reports
        .iter()
        .filter_map(|r| Some((r, r.meta.published?)))
        .collect();
    // The site's order is newest year first, then township order; a stable sort keeps it for ties.
    reports.sort_by_key(|(_, date)| std::cmp::Reverse(*date));
    reports
}

/// The Atom feed of the newest reports.
pub(crate) fn atom(site: &Site) -> Vec<u8> {
    let base = &site.config.base_url;
    let reports = newest_first(site);
    let updated = reports.first().map_or_else(
        || "1970-01-01T00:00:00Z".to_string(),
        |(_, date)| timestamp(*date),
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
    for (r, date) in reports.into_iter().take(FEED_ENTRIES) {
        entry(&mut x, site, r, date);
    }
    x.push_str("</feed>\n");
    x.into_bytes()
}

fn entry(x: &mut String, site: &Site, r: &Report, published: NaiveDate) {
    let url = escape(&absolute(site, &urls::report(r.year, &r.township)));
    let date = timestamp(published);
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
        escape(site.township_name(&r.township)),
        r.year,
        published
    );
    let _ = writeln!(x, "  </entry>");
}

/// The sitemap: every HTML page of the plan but the 404 page, with the date its content last
/// changed where the reports tell it. A site of more than [`crate::plan::SITEMAP_URLS`] pages gets a sitemap
/// index (`part` `None`) and parts (`Some(n)`, from 1) of consecutive pages in path order.
pub(crate) fn sitemap(site: &Site, plan: &[PlannedFile], part: Option<usize>) -> Vec<u8> {
    sitemap_split(site, plan, part, crate::plan::SITEMAP_URLS)
}

fn sitemap_split(site: &Site, plan: &[PlannedFile], part: Option<usize>, limit: usize) -> Vec<u8> {
    let newest = site.reports.iter().filter_map(|r| r.meta.published).max();
    let mut pages: Vec<(&str, Option<NaiveDate>)> = plan
        .iter()
        .filter(|f| f.target.in_sitemap())
        .map(|f| (urls::pretty(&f.path), lastmod(site, &f.target).or(newest)))
        .collect();
    pages.sort_unstable_by_key(|(path, _)| *path);
    let parts: Vec<&[(&str, Option<NaiveDate>)]> = pages.chunks(limit).collect();
    let mut listed = pages.as_slice();
    let base = escape(&site.config.base_url);
    let mut x = String::with_capacity(256 + pages.len().min(limit) * 120);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    match part {
        None if parts.len() > 1 => {
            x.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for (n, part) in parts.iter().enumerate() {
                let _ = write!(x, "  <sitemap><loc>{base}sitemap-{}.xml</loc>", n + 1);
                if let Some(d) = part.iter().filter_map(|(_, d)| *d).max() {
                    let _ = write!(x, "<lastmod>{d}</lastmod>");
                }
                x.push_str("</sitemap>\n");
            }
            x.push_str("</sitemapindex>\n");
            return x.into_bytes();
        }
        None => {}
        Some(n) => listed = parts.get(n.wrapping_sub(1)).copied().unwrap_or_default(),
    }
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for &(path, date) in listed {
        let _ = write!(x, "  <url><loc>{base}{}</loc>", escape(path));
        if let Some(d) = date {
            let _ = write!(x, "<lastmod>{d}</lastmod>");
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x.into_bytes()
}

fn lastmod(site: &Site, target: &crate::plan::Target) -> Option<NaiveDate> {
    use crate::plan::Target;
    match target {
        Target::Report(i) => site.reports[*i].meta.published,
        Target::Year(y, _) => site
            .reports_of_year(*y)
            .filter_map(|r| r.meta.published)
            .max(),
        Target::Township(i) => site
            .reports_of_township(&site.townships[*i].slug)
            .filter_map(|r| r.meta.published)
            .max(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_past_its_limit_is_an_index_of_parts_listing_every_page_once() {
        use crate::plan::{PlannedFile, Target};
        use crate::site::compare::tests_support::report;
        let config =
            crate::config::Config::parse("title = \"t\"\nbase_url = \"https://a.cn/nianbao/\"\n")
                .unwrap();
        let reports: Vec<Report> = (0..5).map(|i| report(2018 + i, "a", "t")).collect();
        let site = Site::new(config, Vec::new(), reports, None, Default::default());
        let mut plan: Vec<PlannedFile> = (site.reports.iter().enumerate())
            .map(|(i, r)| PlannedFile {
                path: urls::report(r.year, &r.township),
                target: Target::Report(i),
            })
            .collect();
        plan.push(PlannedFile {
            path: "404.html".to_string(),
            target: Target::NotFound,
        });
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        let locs = |xml: &str| -> Vec<String> {
            xml.split("<loc>")
                .skip(1)
                .map(|s| s.split("</loc>").next().unwrap().to_string())
                .collect()
        };
        let whole = text(sitemap_split(&site, &plan, None, 5));
        assert!(whole.contains("<urlset"), "{whole}");
        assert_eq!(locs(&whole).len(), 5, "every report page, not the 404 page");

        let index = text(sitemap_split(&site, &plan, None, 2));
        assert!(index.contains("<sitemapindex"), "{index}");
        assert_eq!(
            locs(&index),
            [1, 2, 3].map(|n| format!("https://a.cn/nianbao/sitemap-{n}.xml"))
        );
        // The last part holds the newest report (2022, published 2023-01-15).
        assert!(
            index.ends_with(
                "sitemap-3.xml</loc><lastmod>2023-01-15</lastmod></sitemap>\n</sitemapindex>\n"
            ),
            "{index}"
        );
        let parts: Vec<String> = (1..=3)
            .flat_map(|n| locs(&text(sitemap_split(&site, &plan, Some(n), 2))))
            .collect();
        assert_eq!(parts, locs(&whole));
        assert!(locs(&text(sitemap_split(&site, &plan, Some(4), 2))).is_empty());
        assert_eq!(
            (
                crate::plan::sitemap_parts(50_000),
                crate::plan::sitemap_parts(50_001)
            ),
            (1, 2)
        );
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("A&B <c> \"d\" 'e'\u{1}"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
    }
}
