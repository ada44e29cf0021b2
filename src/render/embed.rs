//! Embeds: a page's official table or comparison alone, under `/embed/`, for other sites'
//! `<iframe>`s; and the code a clerk pastes to show one.
//!
//! An embed is a full page's context rendered by the theme's `embed.html`: its style and its
//! height script are inline (it asks for no other file), each allowed by the hash of its bytes.

use serde::Serialize;
use tera::Context;

use super::{Theme, csp, pages};
use crate::diagnostics::Diagnostic;
use crate::plan::{Embedded, urls};
use crate::site::Site;

/// The inline style and script of every embed, and the policy that allows exactly them: the
/// same for every embed of a build, made once.
pub(crate) struct Inline {
    style: String,
    script: String,
    csp: String,
}

impl Inline {
    /// The theme's embed style and script.
    pub(crate) fn new(theme: &Theme) -> Result<Inline, Diagnostic> {
        let style = inline(theme, "partials/embed.css")?;
        let script = inline(theme, "partials/embed.js")?;
        let csp = csp::embed(&style, &script);
        Ok(Inline { style, script, csp })
    }
}

/// What the producer has already computed for the page an embed copies (computed here when not).
#[derive(Clone, Copy, Default)]
pub(crate) struct Computed<'a> {
    /// A year embed's lists.
    pub(crate) year_lists: Option<&'a pages::YearLists>,
    /// The county embed's totals.
    pub(crate) county_totals: Option<&'a crate::site::totals::CountyTotals>,
}

/// The context of the embed `e` at `path`: the full page's context with what every page shares,
/// what kind of embed it is,
/// the link back to the full page, and the inline style and script with the policy that allows
/// exactly them.
pub(crate) fn context(
    site: &Site,
    inline: &Inline,
    shared: &pages::Shared,
    e: Embedded,
    path: &str,
    computed: Computed<'_>,
    with_groups: bool,
) -> Context {
    let Computed {
        year_lists,
        county_totals,
    } = computed;
    let (mut c, kind) = match e {
        Embedded::Report(i) => (pages::report_table(site, i), "report"),
        Embedded::Township(i) => (
            pages::township(
                site,
                i,
                &crate::site::compare::township_comparison(site, &site.townships[i].slug),
                with_groups,
            ),
            "township",
        ),
        Embedded::Year(y, page) => {
            let computed;
            let lists = match year_lists {
                Some(lists) => lists,
                None => {
                    computed = pages::YearLists::new(site, y);
                    &computed
                }
            };
            (pages::year(site, y, page, lists), "year")
        }
        Embedded::County => {
            let computed;
            let totals = match county_totals {
                Some(totals) => totals,
                None => {
                    computed = crate::site::totals::county_totals(site);
                    &computed
                }
            };
            (pages::county(site, totals), "county")
        }
    };
    complete(&mut c, site, inline, shared, e, kind, path);
    c
}

/// The context of report `i`'s embed at `path`, taken from the context of its full page
/// (`page`): the same values [`pages::report_table`] computes, its tables rendered once for both.
pub(crate) fn report_context(
    site: &Site,
    inline: &Inline,
    shared: &pages::Shared,
    i: usize,
    path: &str,
    page: &Context,
) -> Context {
    let mut c = Context::new();
    for key in pages::REPORT_TABLE_KEYS {
        if let Some(value) = page.get(key) {
            c.insert_value(key, value.clone());
        }
    }
    complete(
        &mut c,
        site,
        inline,
        shared,
        Embedded::Report(i),
        "report",
        path,
    );
    c
}

/// The context of township `i`'s embed at `path`, from the context of its full page (`page`,
/// [`pages::township`]'s values): the comparison is computed once for both.
pub(crate) fn township_context(
    site: &Site,
    inline: &Inline,
    shared: &pages::Shared,
    i: usize,
    path: &str,
    page: &Context,
) -> Context {
    let mut c = page.clone();
    complete(
        &mut c,
        site,
        inline,
        shared,
        Embedded::Township(i),
        "township",
        path,
    );
    c
}

/// Add what every embed has to the context `c` of the embed `e` at `path`.
fn complete(
    c: &mut Context,
    site: &Site,
    inline: &Inline,
    shared: &pages::Shared,
    e: Embedded,
    kind: &'static str,
    path: &str,
) {
    let page = page_path(path);
    shared.insert_into(c, path);
    c.insert("embed_kind", kind);
    c.insert("embed_title", &title(site, e));
    c.insert("page_href", page);
    c.insert("csp", &inline.csp);
    c.insert("embed_style", &inline.style);
    c.insert("embed_script", &inline.script);
    // Search engines are told the full page is the one to show.
    c.insert("canonical", &urls::absolute(&site.config.base_url, page));
}

/// The full page an embed at `path` copies.
fn page_path(path: &str) -> &str {
    path.strip_prefix("embed/").unwrap_or(path)
}

/// A theme file whose text goes inline into every embed, trimmed so that its hash is that of the
/// bytes between the tags.
fn inline(theme: &Theme, template: &str) -> Result<String, Diagnostic> {
    let bytes = theme.render(template, &Context::new())?;
    Ok(String::from_utf8_lossy(&bytes).trim().to_string())
}

/// What an embed shows, as its frame's title.
fn title(site: &Site, e: Embedded) -> String {
    match e {
        Embedded::Report(i) => {
            let r = &site.reports[i];
            format!(
                "{}{}年度政府信息公开统计表",
                site.township_name(&r.township),
                r.year
            )
        }
        Embedded::Township(i) => format!("{}历年政府信息公开数据对比", site.townships[i].name),
        Embedded::Year(y, 0) => format!("{y}年度各乡镇政府信息公开主要指标对比"),
        Embedded::Year(y, page) => {
            format!(
                "{y}年度各乡镇政府信息公开主要指标对比（第 {} 页）",
                page + 1
            )
        }
        Embedded::County => {
            let region = &site.config.portal.region;
            let region = if region.is_empty() { "全县" } else { region };
            format!("{region}政府信息公开主要指标历年汇总")
        }
    }
}

/// The 嵌入本表 disclosure of a full page: the code to paste, and the embed's address.
#[derive(Debug, Serialize)]
pub(crate) struct Code {
    /// What the embed shows, in a sentence.
    what: String,
    /// The `<iframe>` and the height listener, as text to copy.
    code: String,
    /// The embed, relative to the site root.
    href: String,
    /// The embed's published address.
    url: String,
    /// The portal's origin (`https://host[:port]`), what a host page's CSP must allow.
    origin: String,
}

/// The embed code of the full page at `path` (whose embed is `e`), or `None` when the page has
/// no table to show (a report without its table, a township without figures).
pub(crate) fn code(site: &Site, e: Embedded, path: &str) -> Option<Code> {
    let has_table = match e {
        Embedded::Report(i) => site.reports[i].stats.is_some(),
        Embedded::Township(i) => {
            let slug = &site.townships[i].slug;
            site.reports_of_township(slug).any(|r| r.stats.is_some())
        }
        Embedded::Year(..) | Embedded::County => true,
    };
    if !has_table {
        return None;
    }
    let href = urls::embed(path);
    let url = urls::absolute(&site.config.base_url, &href);
    let title = title(site, e);
    let host_script = urls::absolute(&site.config.base_url, HOST_SCRIPT);
    // No inline style or script: a host page whose Content-Security-Policy allows the portal in
    // `frame-src` and `script-src` takes it as it is. Without the script the frame keeps the
    // `width`/`height` attributes (presentational, not styles) and scrolls.
    // A plain link to the full page below the frame: where the host's script cannot give the
    // frame its printed height (printing across origins, scripts not allowed), readers still
    // reach a page that prints the whole table.
    let page = urls::absolute(&site.config.base_url, path);
    let code = format!(
        "<iframe src=\"{url}\" title=\"{title}\" loading=\"lazy\" width=\"100%\" \
         height=\"600\" data-nianbao-embed></iframe>\n\
         <p><a href=\"{page}\">在年报网站查看或打印完整表格</a></p>\n\
         <script src=\"{host_script}\" async></script>"
    );
    Some(Code {
        what: title,
        code,
        href,
        origin: origin(&url),
        url,
    })
}

/// The origin of an absolute `http(s)` URL: scheme, host and port, no path.
fn origin(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    url[..end].to_string()
}

/// The host page's half, a static file of the theme (`themes/default/static/embed-host.js`,
/// published for every theme): sets each embed's frame to the height it reports, and to its
/// print height while the page prints. Without it the frame keeps its attributes' height.
pub(crate) const HOST_SCRIPT: &str = "static/embed-host.js";

#[cfg(test)]
mod tests {
    #[test]
    fn the_host_script_and_the_theme_script_speak_the_same_messages() {
        let host = include_str!("../../themes/default/static/embed-host.js");
        let script = include_str!("../../themes/default/templates/partials/embed.js");
        for message in [
            "\"nianbao-embed-height\"",
            "\"nianbao-embed-ask\"",
            "print_height",
        ] {
            assert!(host.contains(message), "{message} in embed-host.js");
            assert!(script.contains(message), "{message} in embed.js");
        }
        assert!(super::HOST_SCRIPT.ends_with("/embed-host.js"));
    }

    #[test]
    fn the_origin_is_scheme_host_and_port() {
        for (url, origin) in [
            (
                "https://www.example.gov.cn/nianbao/embed/",
                "https://www.example.gov.cn",
            ),
            ("http://127.0.0.1:8080/x/", "http://127.0.0.1:8080"),
            ("https://example.gov.cn/", "https://example.gov.cn"),
        ] {
            assert_eq!(super::origin(url), origin);
        }
    }
}
