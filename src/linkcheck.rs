//! The link checker: every `href` and `src` of every rendered page must lead to a planned file,
//! and every `#anchor` to an id of its page. Run by `nianbao check` over the pages rendered in
//! memory (nothing is written), and by the tests over an unpacked year archive.
//!
//! A broken link written in a narrative (report.md, `_index.md`) is reported at its line in that
//! file; one that the theme made is a bug of the template and is reported with the template's
//! name. External links (`http:`, `https:`, `mailto:` …) are not fetched; absolute links into the
//! site itself (starting with `base_url`) are checked like relative ones.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use memchr::memchr;
use pulldown_cmark::{Event, Parser, Tag};

use crate::content::markdown;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, location_of_offset};
use crate::plan::{PlannedFile, Target};
use crate::site::Site;
use crate::theme::Theme;

/// Where a reference leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Resolved {
    /// Outside the site (another scheme or host): not checked.
    External,
    /// A file of the site, `/`-separated from the root, and the anchor, if any.
    Internal {
        /// The file (`index.html` added to directory links).
        path: String,
        /// The part after `#`, percent-decoded; `None` when absent or empty.
        fragment: Option<String>,
    },
    /// Above the site's root (too many `..`, or an absolute path outside `base_url`).
    Outside,
}

/// How links of a site are resolved.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Base<'a> {
    /// `base_url` (`https://…/`): absolute links starting with it are internal. `None` treats
    /// every absolute URL as external (an archive opened from disk).
    pub url: Option<&'a str>,
    /// The path of `base_url` (`/nianbao/`), for links that start with `/`.
    pub path: &'a str,
}

/// Resolve `url` as written on the page at `page` (a path such as `2018/alpha/index.html`).
pub(crate) fn resolve(page: &str, url: &str, base: Base<'_>) -> Resolved {
    let url = url.trim();
    let (rest, from_root) = match base.url.and_then(|b| url.strip_prefix(b)) {
        Some(rest) => (rest, true),
        None if has_scheme(url) || url.starts_with("//") => return Resolved::External,
        None => match url.strip_prefix('/') {
            Some(_) => match url.strip_prefix(base.path) {
                Some(rest) => (rest, true),
                None => return Resolved::Outside,
            },
            None => (url, false),
        },
    };
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let rest = rest.split('?').next().unwrap_or_default();
    let fragment = fragment
        .filter(|f| !f.is_empty())
        .map(|f| decode_percent(f).into_owned());
    if rest.is_empty() && !from_root {
        return Resolved::Internal {
            path: page.to_string(),
            fragment,
        };
    }
    let mut segments: Vec<&str> = Vec::new();
    if !from_root {
        segments.extend(page.split('/'));
        segments.pop();
    }
    let decoded = decode_percent(rest);
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Resolved::Outside;
                }
            }
            s => segments.push(s),
        }
    }
    let mut path = segments.join("/");
    if rest.is_empty() || rest.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Resolved::Internal { path, fragment }
}

fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn decode_percent(s: &str) -> Cow<'_, str> {
    if s.contains('%') {
        percent_encoding::percent_decode_str(s).decode_utf8_lossy()
    } else {
        Cow::Borrowed(s)
    }
}

/// One attribute of interest found in HTML: `href`, `src`, `id` or `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attr<'a> {
    /// The attribute name, lower case.
    pub name: &'static str,
    /// The value with character references decoded.
    pub value: Cow<'a, str>,
    /// Byte offset of the tag's `<` in the scanned text.
    pub offset: usize,
}

/// Every `href`, `src`, `id` and `name` attribute of `html`, in order; comments and the contents
/// of `script` and `style` are skipped. Made for generated, well-formed HTML, not to validate it.
pub(crate) fn scan_html(html: &str) -> Vec<Attr<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr(b'<', &bytes[i..]) {
        let start = i + lt;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |e| start + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            i = rest.find('>').map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let name_len = rest[1..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b':')
            .count();
        if name_len == 0 {
            i = start + 1;
            continue;
        }
        let tag = &rest[1..1 + name_len];
        let end = scan_attributes(html, start + 1 + name_len, start, &mut out);
        i = end;
        for raw in ["script", "style"] {
            if tag.eq_ignore_ascii_case(raw) {
                let close = format!("</{raw}");
                i = find_ignore_case(&html[i..], &close).map_or(bytes.len(), |e| i + e);
            }
        }
    }
    out
}

/// Parse attributes from `pos` to the end of the tag; returns the position after `>`.
fn scan_attributes<'a>(
    html: &'a str,
    mut pos: usize,
    tag_start: usize,
    out: &mut Vec<Attr<'a>>,
) -> usize {
    let bytes = html.as_bytes();
    loop {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b'/') {
            pos += 1;
        }
        if pos >= bytes.len() {
            return pos;
        }
        if bytes[pos] == b'>' {
            return pos + 1;
        }
        let name_start = pos;
        while pos < bytes.len()
            && !bytes[pos].is_ascii_whitespace()
            && !matches!(bytes[pos], b'=' | b'>' | b'/')
        {
            pos += 1;
        }
        let name = &html[name_start..pos];
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() || bytes[pos] != b'=' {
            continue;
        }
        pos += 1;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let (value, next) = match bytes.get(pos) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr(q, &bytes[pos + 1..]).map_or(bytes.len(), |e| pos + 1 + e);
                (&html[pos + 1..end], (end + 1).min(bytes.len()))
            }
            _ => {
                let end = bytes[pos..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'>')
                    .map_or(bytes.len(), |e| pos + e);
                (&html[pos..end], end)
            }
        };
        pos = next;
        let known = ["href", "src", "id", "name", "xlink:href"]
            .into_iter()
            .find(|k| name.eq_ignore_ascii_case(k));
        if let Some(k) = known {
            out.push(Attr {
                name: if k == "xlink:href" { "href" } else { k },
                value: decode_entities(value),
                offset: tag_start,
            });
        }
    }
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    haystack
        .as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Decode the character references that generated HTML uses in attribute values.
fn decode_entities(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Check the links of a tree of files (an unpacked archive, a built site) as if opened from disk:
/// every absolute URL counts as external. Returns one line per broken reference:
/// `page: url (why)`.
pub fn check_tree(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let base = Base {
        url: None,
        path: "/",
    };
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut refs: Vec<(&str, String, Resolved)> = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let page_ids = ids.entry(path.as_str()).or_default();
        for a in scan_html(&html) {
            match a.name {
                "id" | "name" => {
                    page_ids.insert(a.value.into_owned());
                }
                _ => {
                    let resolved = resolve(path, &a.value, base);
                    refs.push((path.as_str(), a.value.into_owned(), resolved));
                }
            }
        }
    }
    let mut broken = Vec::new();
    for (page, url, resolved) in refs {
        let why = match &resolved {
            Resolved::External => continue,
            Resolved::Outside => "outside the tree".to_string(),
            Resolved::Internal { path, .. } if !files.contains_key(path) => {
                format!("no file {path}")
            }
            Resolved::Internal {
                path,
                fragment: Some(f),
            } if path.ends_with(".html")
                && f != "top"
                && !ids.get(path.as_str()).is_some_and(|ids| ids.contains(f)) =>
            {
                format!("no anchor #{f} in {path}")
            }
            Resolved::Internal { .. } => continue,
        };
        broken.push(format!("{page}: {url} ({why})"));
    }
    broken
}

/// A link or image written in a Markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceRef {
    /// As written (for raw HTML: with character references decoded).
    pub url: String,
    /// Byte offset in the Markdown text.
    pub offset: usize,
    /// An image rather than a link.
    pub image: bool,
}

/// Links and images of a Markdown text, with their positions (raw HTML included).
pub(crate) fn markdown_refs(text: &str) -> Vec<SourceRef> {
    let mut refs = Vec::new();
    for (event, range) in Parser::new_ext(text, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => refs.push(SourceRef {
                url: dest_url.to_string(),
                offset: range.start,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => refs.push(SourceRef {
                url: dest_url.to_string(),
                offset: range.start,
                image: true,
            }),
            Event::Html(_) | Event::InlineHtml(_) => {
                let raw = &text[range.clone()];
                for a in scan_html(raw) {
                    if matches!(a.name, "href" | "src") {
                        refs.push(SourceRef {
                            url: a.value.into_owned(),
                            offset: range.start + a.offset,
                            image: a.name == "src",
                        });
                    }
                }
            }
            _ => {}
        }
    }
    refs
}

/// A reference whose anchor is on another page, checked once every page's ids are known.
#[derive(Debug)]
struct Deferred {
    page: String,
    fragment: String,
    problem: Diagnostic,
}

/// An anchor on another page can only be checked once every page's ids are known: such a
/// problem is put aside in `deferred`; any other is returned to be reported now.
fn defer_other_anchor(
    problem: Problem,
    resolved: &Resolved,
    d: Diagnostic,
    deferred: &mut Vec<Deferred>,
) -> Option<Diagnostic> {
    match (problem, resolved) {
        (
            Problem::OtherAnchor,
            Resolved::Internal {
                path,
                fragment: Some(f),
            },
        ) => {
            deferred.push(Deferred {
                page: path.clone(),
                fragment: f.clone(),
                problem: d,
            });
            None
        }
        _ => Some(d),
    }
}

/// What checking one page found.
#[derive(Debug, Default)]
pub(crate) struct PageFindings {
    ids: String,
    template: Vec<Diagnostic>,
    deferred: Vec<Deferred>,
}

/// Checks the links of a planned site's pages as they are rendered.
pub(crate) struct Checker<'a> {
    site: &'a Site,
    theme: &'a Theme,
    planned: HashSet<&'a str>,
    pages: HashSet<&'a str>,
    base: Base<'a>,
}

/// The Markdown source shown on a page: its file, its text and the line it starts at.
struct Source<'a> {
    file: String,
    text: &'a str,
    first_line: usize,
    /// The report folder's URL path, for messages about attachments.
    folder: Option<String>,
}

/// The Markdown source shown on the page of `target`, if it has one.
fn source<'a>(site: &'a Site, target: &Target) -> Option<Source<'a>> {
    match target {
        Target::Report(i) => {
            let r = &site.reports[*i];
            Some(Source {
                file: format!("{}/{}", r.folder, crate::content::report::REPORT_FILE),
                text: &r.narrative,
                first_line: r.narrative_line,
                folder: Some(format!("{}/{}/", r.year, r.township)),
            })
        }
        Target::Home => site.intro.as_deref().map(|text| Source {
            file: format!("content/{}", crate::content::INTRO_FILE),
            text,
            first_line: 1,
            folder: None,
        }),
        Target::Year(y, _) => site.year_intros.get(y).map(|text| Source {
            file: format!("content/{y}/{}", crate::content::INTRO_FILE),
            text,
            first_line: 1,
            folder: None,
        }),
        _ => None,
    }
}

impl<'a> Checker<'a> {
    /// A checker for the pages of `plan`.
    pub(crate) fn new(site: &'a Site, theme: &'a Theme, plan: &'a [PlannedFile]) -> Self {
        Checker {
            site,
            theme,
            planned: plan.iter().map(|f| f.path.as_str()).collect(),
            pages: plan
                .iter()
                .filter(|f| f.target.is_page())
                .map(|f| f.path.as_str())
                .collect(),
            base: Base {
                url: Some(&site.config.base_url),
                path: site.config.base_path(),
            },
        }
    }

    /// Check one rendered page.
    pub(crate) fn page(&self, file: &PlannedFile, html: &str) -> PageFindings {
        let attrs = scan_html(html);
        let mut findings = PageFindings::default();
        let mut ids: Vec<&str> = attrs
            .iter()
            .filter(|a| matches!(a.name, "id" | "name"))
            .map(|a| a.value.as_ref())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let has_id = |f: &str| f == "top" || ids.binary_search(&f).is_ok();
        // Links written in the narrative are checked by [`SourceLinks`] (for `build` too);
        // here they are only told apart from the links the template made.
        let from_source: HashSet<Resolved> = source(self.site, &file.target)
            .map(|source| {
                markdown_refs(source.text)
                    .into_iter()
                    .map(|r| resolve(&file.path, &r.url, self.base))
                    .collect()
            })
            .unwrap_or_default();
        for a in attrs.iter().filter(|a| matches!(a.name, "href" | "src")) {
            let resolved = resolve(&file.path, &a.value, self.base);
            if from_source.contains(&resolved) {
                continue;
            }
            let Some(problem) = self.problem(&file.path, &resolved, &has_id) else {
                continue;
            };
            let d = self.template_diagnostic(file, &a.value, &resolved, problem);
            if let Some(d) = defer_other_anchor(problem, &resolved, d, &mut findings.deferred) {
                findings.template.push(d);
            }
        }
        findings.ids = ids.join("\n");
        findings
    }

    /// What is wrong with a reference from the page at `page`, if anything.
    fn problem(
        &self,
        page: &str,
        resolved: &Resolved,
        has_id: &dyn Fn(&str) -> bool,
    ) -> Option<Problem> {
        problem(&self.planned, &self.pages, page, resolved, has_id)
    }

    fn template_diagnostic(
        &self,
        file: &PlannedFile,
        url: &str,
        resolved: &Resolved,
        problem: Problem,
    ) -> Diagnostic {
        let template = file.target.template().unwrap_or("?");
        let shown = self
            .theme
            .sources
            .get(template)
            .cloned()
            .unwrap_or_else(|| template.to_string());
        Diagnostic::error(
            problem.code(),
            shown,
            format!(
                "模板生成的页面 {} 中{}：{url}",
                file.path,
                problem.describe(resolved, "链接")
            ),
        )
        .field(url.to_string())
        .hint("这是模板（或它引用的片段）的问题，不是报告内容的问题：请修改模板中的链接")
    }

    /// Combine the findings of every page: anchors on other pages, template problems (a few
    /// examples per template), sorted.
    pub(crate) fn finish(&self, findings: Vec<(String, PageFindings)>) -> Diagnostics {
        let ids: HashMap<&str, &str> = findings
            .iter()
            .map(|(path, f)| (path.as_str(), f.ids.as_str()))
            .collect();
        let mut out = Diagnostics::new();
        let mut per_template: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for (_, f) in &findings {
            for d in &f.template {
                per_template
                    .entry(d.file.clone())
                    .or_default()
                    .push(d.clone());
            }
            for d in &f.deferred {
                let known = ids
                    .get(d.page.as_str())
                    .is_some_and(|ids| ids.split('\n').any(|id| id == d.fragment));
                if known || d.fragment == "top" {
                    continue;
                }
                if d.problem.location.is_some() {
                    out.push(d.problem.clone());
                } else {
                    per_template
                        .entry(d.problem.file.clone())
                        .or_default()
                        .push(d.problem.clone());
                }
            }
        }
        for (_, mut list) in per_template {
            list.sort_by(|a, b| a.message.cmp(&b.message));
            list.dedup_by(|a, b| a.message == b.message);
            let more = list.len().saturating_sub(TEMPLATE_EXAMPLES);
            let last = list
                .get(TEMPLATE_EXAMPLES.min(list.len()).saturating_sub(1))
                .cloned();
            for d in list.into_iter().take(TEMPLATE_EXAMPLES) {
                out.push(d);
            }
            if more > 0
                && let Some(mut d) = last
            {
                d.message = format!("同一模板还有 {more} 处同类问题未逐一列出");
                d.field = None;
                out.push(d);
            }
        }
        out.sort();
        out
    }
}

/// What is wrong with a reference from the page at `page` of a site whose files are `planned`
/// (its pages `pages`), if anything; `has_id` tells the ids of `page` itself.
fn problem(
    planned: &HashSet<&str>,
    pages: &HashSet<&str>,
    page: &str,
    resolved: &Resolved,
    has_id: &dyn Fn(&str) -> bool,
) -> Option<Problem> {
    let Resolved::Internal { path, fragment } = resolved else {
        return matches!(resolved, Resolved::Outside).then_some(Problem::Outside);
    };
    if !planned.contains(path.as_str()) {
        return Some(Problem::Missing);
    }
    let fragment = fragment.as_deref()?;
    if !pages.contains(path.as_str()) {
        return None;
    }
    if path != page {
        // Other pages' ids are known once every page is rendered.
        return Some(Problem::OtherAnchor);
    }
    (!has_id(fragment)).then_some(Problem::Anchor)
}

/// The links and images written in narratives (report.md, `_index.md`): content, so `build`,
/// `check` and `serve` all refuse a broken one, with the same message at its line. A file that
/// is not planned is known from the plan alone; an anchor is looked up in its page's ids as the
/// page is rendered ([`SourceLinks::page`]).
pub(crate) struct SourceLinks {
    found: Vec<Diagnostic>,
    /// Per page: the anchors narratives link to on it, and the problem to report when one is
    /// not there.
    anchors: HashMap<String, Vec<(String, Diagnostic)>>,
    /// The anchors seen, per page among `anchors`' keys.
    seen: std::sync::Mutex<HashMap<String, HashSet<String>>>,
}

impl SourceLinks {
    /// Check the narratives shown on the pages `checked` of the site planned as `plan`.
    pub(crate) fn new<'p>(
        site: &Site,
        plan: &[PlannedFile],
        checked: impl IntoIterator<Item = &'p PlannedFile>,
    ) -> SourceLinks {
        let planned: HashSet<&str> = plan.iter().map(|f| f.path.as_str()).collect();
        let pages: HashSet<&str> = plan
            .iter()
            .filter(|f| f.target.is_page())
            .map(|f| f.path.as_str())
            .collect();
        let base = Base {
            url: Some(&site.config.base_url),
            path: site.config.base_path(),
        };
        let mut links = SourceLinks {
            found: Vec::new(),
            anchors: HashMap::new(),
            seen: std::sync::Mutex::default(),
        };
        for file in checked {
            let Some(source) = source(site, &file.target) else {
                continue;
            };
            for r in markdown_refs(source.text) {
                let resolved = resolve(&file.path, &r.url, base);
                let Some(problem) = problem(&planned, &pages, &file.path, &resolved, &|_| false)
                else {
                    continue;
                };
                let location = location_of_offset(source.text, r.offset);
                let d = source_diagnostic(&source, &r, &resolved, problem).at(Some(Location {
                    line: location.line + source.first_line - 1,
                    column: location.column,
                }));
                match (problem, resolved) {
                    (
                        Problem::Anchor | Problem::OtherAnchor,
                        Resolved::Internal {
                            path,
                            fragment: Some(fragment),
                        },
                    ) => {
                        if fragment != "top" {
                            links.anchors.entry(path).or_default().push((fragment, d));
                        }
                    }
                    _ => links.found.push(d),
                }
            }
        }
        links
    }

    /// Whether the narratives link to no file that is not there (anchors aside).
    #[cfg(feature = "serve")]
    pub(crate) fn files_found(&self) -> bool {
        self.found.is_empty()
    }

    /// The pages narratives link to anchors of.
    #[cfg(feature = "serve")]
    pub(crate) fn wanted_pages(&self) -> impl Iterator<Item = &str> {
        self.anchors.keys().map(String::as_str)
    }

    /// Whether a narrative links to an anchor of the page at `path`.
    pub(crate) fn wants(&self, path: &str) -> bool {
        self.anchors.contains_key(path)
    }

    /// Note the ids of the rendered page at `path` (any page: those no narrative links into are
    /// skipped at once).
    pub(crate) fn page(&self, path: &str, html: &[u8]) {
        if !self.wants(path) {
            return;
        }
        let html = String::from_utf8_lossy(html);
        let ids: HashSet<String> = scan_html(&html)
            .into_iter()
            .filter(|a| matches!(a.name, "id" | "name"))
            .map(|a| a.value.into_owned())
            .collect();
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(path.to_string(), ids);
        }
    }

    /// The problems found, once the pages wanted were given to [`SourceLinks::page`] (the
    /// anchors of a page never given are not judged).
    pub(crate) fn finish(self) -> Diagnostics {
        let seen = self.seen.into_inner().unwrap_or_default();
        let mut out = Diagnostics::new();
        for d in self.found {
            out.push(d);
        }
        for (page, wanted) in self.anchors {
            // A page not rendered (a preview's page left for later) is not judged.
            let Some(ids) = seen.get(&page) else {
                continue;
            };
            for (fragment, d) in wanted {
                if !ids.contains(&fragment) {
                    out.push(d);
                }
            }
        }
        out.sort();
        out
    }
}

/// A broken template link is one bug repeated on many pages: a few examples are enough.
const TEMPLATE_EXAMPLES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Missing,
    Outside,
    /// The anchor is not on the linking page.
    Anchor,
    /// The anchor is on another page: checked when every page is known.
    OtherAnchor,
}

impl Problem {
    fn code(self) -> &'static str {
        match self {
            Problem::Missing | Problem::Outside => "link.broken",
            Problem::Anchor | Problem::OtherAnchor => "link.anchor",
        }
    }

    fn describe(self, resolved: &Resolved, what: &str) -> String {
        match (self, resolved) {
            (Problem::Outside, _) => format!("{what}超出了网站根目录"),
            (Problem::Anchor | Problem::OtherAnchor, Resolved::Internal { path, fragment }) => {
                format!(
                    "{what}指向的锚点 #{} 在页面 {path} 中不存在",
                    fragment.as_deref().unwrap_or_default()
                )
            }
            (_, Resolved::Internal { path, .. }) => {
                format!("{what}指向的文件 {path} 不存在")
            }
            _ => format!("{what}无效"),
        }
    }
}

fn source_diagnostic(
    source: &Source<'_>,
    r: &SourceRef,
    resolved: &Resolved,
    problem: Problem,
) -> Diagnostic {
    let in_folder = match (resolved, &source.folder) {
        (Resolved::Internal { path, .. }, Some(folder)) => path
            .strip_prefix(folder.as_str())
            .filter(|rest| !rest.contains('/') && *rest != "index.html"),
        _ => None,
    };
    let what = match (r.image, in_folder.is_some()) {
        (true, _) => "图片",
        (false, true) => "附件链接",
        (false, false) => "链接",
    };
    let hint = match (problem, in_folder) {
        (Problem::Anchor | Problem::OtherAnchor, _) => {
            "锚点是页面中某个元素的 id：正文标题依次为 #sec-1、#sec-2……，也可写 ## 标题 {#自定义}".to_string()
        }
        (_, Some(name)) => format!(
            "把文件 {name} 放进报告目录（与 report.md 同一文件夹），它就会作为附件发布；或改正文件名"
        ),
        (Problem::Outside, _) => "链接相对于当前页面；../ 太多时会超出网站".to_string(),
        _ => "链接相对于当前页面（报告页面位于 <年度>/<乡镇>/），请核对路径和文件名；站外网址请写完整的 https://".to_string(),
    };
    Diagnostic::error(
        problem.code(),
        source.file.clone(),
        problem.describe(resolved, what),
    )
    .field(r.url.clone())
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Base<'static> = Base {
        url: Some("https://e.cn/nb/"),
        path: "/nb/",
    };

    fn internal(path: &str, fragment: Option<&str>) -> Resolved {
        Resolved::Internal {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn resolves_relative_absolute_and_external_links() {
        let page = "2018/alpha/index.html";
        assert_eq!(
            resolve(page, "../../index.html", BASE),
            internal("index.html", None)
        );
        assert_eq!(
            resolve(page, "../", BASE),
            internal("2018/index.html", None)
        );
        assert_eq!(
            resolve(page, "%E7%BB%9F%E8%AE%A1%20%E8%A1%A8.xls", BASE),
            internal("2018/alpha/统计 表.xls", None)
        );
        assert_eq!(resolve(page, "#sec-1", BASE), internal(page, Some("sec-1")));
        assert_eq!(
            resolve(page, "https://e.cn/nb/2018/", BASE),
            internal("2018/index.html", None)
        );
        assert_eq!(
            resolve(page, "/nb/county/", BASE),
            internal("county/index.html", None)
        );
        assert_eq!(resolve(page, "/other/", BASE), Resolved::Outside);
        assert_eq!(resolve(page, "../../../x", BASE), Resolved::Outside);
        assert_eq!(resolve(page, "https://gov.cn/x", BASE), Resolved::External);
        assert_eq!(resolve(page, "mailto:a@b.cn", BASE), Resolved::External);
        assert_eq!(resolve(page, "//cdn.cn/x.js", BASE), Resolved::External);
        assert_eq!(
            resolve(page, "x.pdf?v=1#page=2", BASE),
            internal("2018/alpha/x.pdf", Some("page=2"))
        );
    }

    #[test]
    fn scans_attributes_and_skips_comments_and_scripts() {
        let html = "<a href=\"a&amp;b.html\" id='x'>t</a><!-- <a href=\"no\"> --><script>if (a<b) { '<img src=no>' }</script><IMG SRC=pic.png><h2 id=\"s&#x2F;1\">";
        let found: Vec<(&str, String)> = scan_html(html)
            .into_iter()
            .map(|a| (a.name, a.value.into_owned()))
            .collect();
        assert_eq!(
            found,
            [
                ("href", "a&b.html".to_string()),
                ("id", "x".to_string()),
                ("src", "pic.png".to_string()),
                ("id", "s/1".to_string()),
            ]
        );
    }

    #[test]
    fn markdown_refs_have_offsets() {
        let md = "正文\n\n见[附件](附件.pdf)和![图](a.png)。\n\n<a href=\"x.html\">x</a>\n";
        let refs = markdown_refs(md);
        let urls: Vec<&str> = refs.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(urls, ["附件.pdf", "a.png", "x.html"]);
        assert_eq!(location_of_offset(md, refs[0].offset).line, 3);
        assert!(refs[1].image);
        assert_eq!(location_of_offset(md, refs[2].offset).line, 5);
    }
}
