//! Turning the model into output files: the plan (every file of the site) and the renderer.
//!
//! The plan is the single list of what a build writes; `build` writes it, `check` only makes it.
//! Rendering a planned file is a pure function of the file, the site and the theme, so it runs
//! in parallel.

pub mod markdown;
pub mod pages;
pub mod table;
pub mod theme;

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::site::Site;
pub use theme::{StaticFile, Theme};

/// What an output file is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/index.html`.
    Home,
    /// `/<year>/index.html`.
    Year(u16),
    /// `/townships/<slug>/index.html`, by township index.
    Township(usize),
    /// `/<year>/<slug>/index.html`, by report index.
    Report(usize),
    /// `/404.html`.
    NotFound,
    /// `/static/<path>`.
    Static(String),
    /// An attachment: (report index, attachment index).
    Attachment(usize, usize),
}

impl Target {
    /// Whether this is an HTML page (as opposed to a copied file).
    pub fn is_page(&self) -> bool {
        !matches!(self, Target::Static(_) | Target::Attachment(..))
    }
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Path under the output directory, `/`-separated.
    pub path: String,
    /// What it is made from.
    pub target: Target,
}

/// The bytes of an output file, or where to copy them from.
#[derive(Debug)]
pub enum Content {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// Copy this file.
    Copy(PathBuf),
    /// Embedded bytes.
    Embedded(&'static [u8]),
}

/// URL paths of the site, relative to its root (the contract's stable URLs).
pub mod urls {
    /// The home page.
    pub fn home() -> String {
        "index.html".to_string()
    }
    /// A year page.
    pub fn year(year: u16) -> String {
        format!("{year}/index.html")
    }
    /// A township page.
    pub fn township(slug: &str) -> String {
        format!("townships/{slug}/index.html")
    }
    /// A report page.
    pub fn report(year: u16, slug: &str) -> String {
        format!("{year}/{slug}/index.html")
    }
    /// An attachment of a report.
    pub fn attachment(year: u16, slug: &str, path: &str) -> String {
        format!("{year}/{slug}/{path}")
    }
    /// A path as it goes into an `href`: each segment percent-encoded (spaces, `#`, `?`, `%` and
    /// non-ASCII file names stay links to the right file).
    pub fn href(path: &str) -> String {
        use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
        const SEGMENT: &AsciiSet = &CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b'#')
            .add(b'%')
            .add(b'<')
            .add(b'>')
            .add(b'?')
            .add(b'`')
            .add(b'{')
            .add(b'}')
            .add(b'\\')
            .add(b'^')
            .add(b'|')
            .add(b'[')
            .add(b']');
        path.split('/')
            .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
            .collect::<Vec<_>>()
            .join("/")
    }
    /// The pretty form of a page path, for absolute URLs: `2018/beijinggang/`.
    pub fn pretty(path: &str) -> &str {
        path.strip_suffix("index.html").unwrap_or(path)
    }
    /// The relative prefix from a file at `path` back to the site root: `../../` for `a/b/x`.
    pub fn root_of(path: &str) -> String {
        "../".repeat(path.matches('/').count())
    }
}

/// Every file of the site, in a stable order.
pub fn plan(site: &Site, theme: &Theme) -> Vec<PlannedFile> {
    let mut files = vec![
        PlannedFile {
            path: urls::home(),
            target: Target::Home,
        },
        PlannedFile {
            path: "404.html".to_string(),
            target: Target::NotFound,
        },
    ];
    for year in site.years() {
        files.push(PlannedFile {
            path: urls::year(year),
            target: Target::Year(year),
        });
    }
    for (i, t) in site.townships.iter().enumerate() {
        files.push(PlannedFile {
            path: urls::township(&t.slug),
            target: Target::Township(i),
        });
    }
    for (i, r) in site.reports.iter().enumerate() {
        files.push(PlannedFile {
            path: urls::report(r.year, &r.township),
            target: Target::Report(i),
        });
        for (j, a) in r.attachments.iter().enumerate() {
            files.push(PlannedFile {
                path: urls::attachment(r.year, &r.township, &a.path),
                target: Target::Attachment(i, j),
            });
        }
    }
    for name in theme.statics.keys() {
        files.push(PlannedFile {
            path: format!("static/{name}"),
            target: Target::Static(name.clone()),
        });
    }
    files
}

/// Renders planned files of one site with one theme.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    shared: pages::Shared,
}

impl<'a> Renderer<'a> {
    /// Prepare what every page shares (navigation, site settings) once.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        Renderer {
            site,
            theme,
            shared: pages::Shared::new(site),
        }
    }

    /// The bytes of one planned file.
    pub fn render(&self, file: &PlannedFile) -> Result<Content, Diagnostic> {
        let page = |template: &str, context: tera::Context| -> Result<Content, Diagnostic> {
            let mut context = context;
            self.shared.insert_into(&mut context, &file.path);
            self.theme
                .render(template, &context)
                .map(|html| Content::Bytes(html.into_bytes()))
        };
        let site = self.site;
        match &file.target {
            Target::Home => page("index.html", pages::home(site)),
            Target::Year(year) => page("year.html", pages::year(site, *year)),
            Target::Township(i) => page("township.html", pages::township(site, *i)),
            Target::Report(i) => page("report.html", pages::report(site, *i)),
            Target::NotFound => page("404.html", tera::Context::new()),
            Target::Static(name) => Ok(match &self.theme.statics[name] {
                StaticFile::Embedded(bytes) => Content::Embedded(bytes),
                StaticFile::Disk(path) => Content::Copy(path.clone()),
            }),
            Target::Attachment(r, a) => Ok(Content::Copy(
                site.reports[*r].attachments[*a].source.clone(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::urls;

    #[test]
    fn relative_roots() {
        assert_eq!(urls::root_of("index.html"), "");
        assert_eq!(urls::root_of("2018/index.html"), "../");
        assert_eq!(urls::root_of("2018/beijinggang/index.html"), "../../");
        assert_eq!(
            urls::pretty("2018/beijinggang/index.html"),
            "2018/beijinggang/"
        );
        assert_eq!(urls::pretty("index.html"), "");
        assert_eq!(
            urls::href("2018/a/统计 表#1.xls"),
            "2018/a/%E7%BB%9F%E8%AE%A1%20%E8%A1%A8%231.xls"
        );
    }
}
