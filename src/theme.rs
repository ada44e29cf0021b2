//! The theme: tera templates and static files, with per-site overrides.
//!
//! Templates come from `themes/<theme>/templates/` under the site root, or from the copy of the
//! default theme embedded in the binary when the site has no such folder; a file of the same name
//! under the site's own `templates/` replaces any single one. Static files come from
//! `themes/<theme>/static/` (or the embedded copy) and the site's `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, display_path};

/// Embeds files of the default theme under their path relative to its folder.
macro_rules! embed {
    ($kind:literal, $include:ident: $($name:literal),* $(,)?) => {
        &[$(($name, $include!(concat!("../themes/default/", $kind, "/", $name)))),*]
    };
}

/// The default theme, embedded so that a site needs no theme folder. A test checks that this
/// list matches `themes/default/`.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embed!("templates", include_str:
    "404.html", "audit.html", "base.html", "county.html", "data.html", "embed.html",
    "federation/audit.html", "federation/compare.html", "federation/counties.html",
    "federation/data.html", "federation/index.html", "index.html", "page.html",
    "partials/audit_legend.html", "partials/charts.html", "partials/compare_legend.html",
    "partials/county_compare.html", "partials/embed.css", "partials/embed.js",
    "partials/embed_code.html", "partials/pager.html", "partials/qr.html",
    "partials/stats_table.html", "partials/township_compare.html", "partials/township_rows.html",
    "partials/year_compare.html",
    "report.html", "search.html", "township.html", "townships.html", "year.html",
);
const DEFAULT_STATIC: &[(&str, &[u8])] = embed!("static", include_bytes:
    "care.js", "embed-host.js", "search.js", "sort.js", "style.css", "tables.js");

/// Static files every site publishes whatever its theme: the embed code of every full page
/// points at them on the portal, so a theme copied before they existed still has them.
const ALWAYS_STATIC: &[&str] = &["embed-host.js"];

/// A static file of the theme or site.
#[derive(Debug, Clone)]
pub enum StaticFile {
    /// Embedded in the binary.
    Embedded(&'static [u8]),
    /// On disk.
    Disk(PathBuf),
}

/// Loaded templates and static files.
pub struct Theme {
    /// The compiled templates.
    pub tera: tera::Tera,
    /// Where each template came from, for messages.
    pub sources: BTreeMap<String, String>,
    /// Static files by output path under `static/`.
    pub statics: BTreeMap<String, StaticFile>,
    /// Whether a template names `groups`, i.e. draws a township comparison's rows itself instead
    /// of writing the body nianbao draws (`compare.body`). Only then are the rows, hundreds of
    /// cells, handed to the template engine.
    pub(crate) draws_compare_groups: bool,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("sources", &self.sources)
            .finish_non_exhaustive()
    }
}

impl Theme {
    /// Load the theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let theme_dir = root.join("themes").join(name);
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics: BTreeMap<String, StaticFile> = BTreeMap::new();
        if theme_dir.is_dir() {
            read_dir_files(
                root,
                &theme_dir.join("templates"),
                &mut |rel, path, shown| {
                    let text = read_template(path, shown)?;
                    templates.insert(rel.to_string(), (text, shown.to_string()));
                    Ok(())
                },
            )?;
            read_dir_files(root, &theme_dir.join("static"), &mut |rel, path, _| {
                statics.insert(rel.to_string(), StaticFile::Disk(path.to_path_buf()));
                Ok(())
            })?;
            for (rel, bytes) in DEFAULT_STATIC {
                if ALWAYS_STATIC.contains(rel) {
                    statics
                        .entry((*rel).to_string())
                        .or_insert(StaticFile::Embedded(bytes));
                }
            }
            // A theme copied before a template existed (an older copy without `embed.html`)
            // still builds: what it lacks comes from the default theme.
            for (rel, text) in DEFAULT_TEMPLATES {
                templates.entry((*rel).to_string()).or_insert_with(|| {
                    (
                        (*text).to_string(),
                        format!("(内置默认主题)/templates/{rel}"),
                    )
                });
            }
        } else if name == "default" {
            for (rel, text) in DEFAULT_TEMPLATES {
                templates.insert(
                    (*rel).to_string(),
                    (
                        (*text).to_string(),
                        format!("(内置默认主题)/templates/{rel}"),
                    ),
                );
            }
            for (rel, bytes) in DEFAULT_STATIC {
                statics.insert((*rel).to_string(), StaticFile::Embedded(bytes));
            }
        } else {
            return Err(Diagnostic::error(
                "theme.missing",
                "site.toml",
                format!("找不到主题「{name}」（themes/{name}/ 不存在）"),
            )
            .field("theme")
            .hint("删去 theme 设置以使用内置默认主题，或把主题放到 themes/ 下"));
        }
        read_dir_files(root, &root.join("templates"), &mut |rel, path, shown| {
            let text = read_template(path, shown)?;
            templates.insert(rel.to_string(), (text, shown.to_string()));
            Ok(())
        })?;
        read_dir_files(root, &root.join("static"), &mut |rel, path, _| {
            statics.insert(rel.to_string(), StaticFile::Disk(path.to_path_buf()));
            Ok(())
        })?;
        let sources: BTreeMap<String, String> = templates
            .iter()
            .map(|(k, (_, s))| (k.clone(), s.clone()))
            .collect();
        let draws_compare_groups = templates.values().any(|(text, _)| text.contains("groups"));
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.add_raw_templates(templates.iter().map(|(k, (t, _))| (k.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, &sources))?;
        Ok(Theme {
            tera,
            sources,
            statics,
            draws_compare_groups,
        })
    }

    /// Render a template to bytes, turning a tera error into a diagnostic naming the template
    /// file. (Bytes, not `String`: tera's `render` re-validates its whole output as UTF-8.)
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(RENDER_CAPACITY);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| template_error(&e, &self.sources))?;
        Ok(out)
    }
}

/// The starting size of a rendered page's buffer: most report pages fit without growing.
const RENDER_CAPACITY: usize = 48 * 1024;

fn read_template(path: &Path, shown: &str) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error("theme.read", shown, format!("无法读取模板：{e}"))
            .hint("模板须为 UTF-8 文本")
    })
}

/// Call `f(relative path, path, shown path)` for every file under `dir`, sorted.
fn read_dir_files(
    root: &Path,
    dir: &Path,
    f: &mut dyn FnMut(&str, &Path, &str) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
    {
        let entry = entry.map_err(|e| {
            Diagnostic::error(
                "theme.read",
                display_path(root, dir),
                format!("无法读取目录：{e}"),
            )
        })?;
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(inner) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = inner
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        f(&rel, entry.path(), &display_path(root, entry.path()))?;
    }
    Ok(())
}

/// `error: MESSAGE\n --> NAME:LINE:COL` → (name, line, message).
fn parse_report(text: &str) -> (String, Option<usize>, String) {
    let message = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    let place = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "));
    let Some(place) = place else {
        return (String::new(), None, message);
    };
    let mut parts = place.rsplitn(3, ':');
    let _column = parts.next();
    let line = parts.next().and_then(|l| l.parse().ok());
    let name = parts.next().unwrap_or_default().to_string();
    (name, line, message)
}

/// A tera error as a diagnostic with the template's file and line.
fn template_error(e: &tera::Error, sources: &BTreeMap<String, String>) -> Diagnostic {
    let (name, line, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            r.filename().to_string(),
            Some(r.span().start_line),
            r.message().to_string(),
        ),
        // Reference checks (unknown filters, functions…) arrive as rendered reports.
        _ => parse_report(&e.to_string()),
    };
    let file = sources.get(&name).cloned().unwrap_or_else(|| {
        if name.is_empty() {
            "templates".to_string()
        } else {
            name
        }
    });
    let mut d = Diagnostic::error("template", file, format!("模板错误：{message}"))
        .hint("检查模板语法（tera）：标签是否成对、变量名是否存在");
    if let Some(line) = line {
        d = d.at_line(line);
    }
    d
}

/// One of the default theme's scripts or style sheets as published: minified (comments,
/// indentation and the spaces and line breaks code does not need removed, by the `minifier`
/// crate, which rustdoc uses for its own). Names and strings are unchanged (tests/search.rs runs
/// the published search.js against the source and compares the answers). A file the minifier
/// cannot read is published as it is; other files, and a theme's own files, are copied as they
/// are. `None`: publish the source unchanged.
pub(crate) fn lean(name: &str, source: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(source).ok()?;
    let out = if name.ends_with(".js") {
        minifier::js::minify(text).ok()?.to_string()
    } else if name.ends_with(".css") {
        minifier::css::minify(text).ok()?.to_string()
    } else {
        return None;
    };
    Some(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_under(dir: &str) -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default")
            .join(dir);
        let mut names: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn published_scripts_and_styles_are_minified_and_keep_strings_and_patterns() {
        let source = "/* A header\n * comment. */\n(function () {\n  // why\n  var a = 1; /* gone */\n  var s = '/* not a comment */';\n  var r = /[吗呢]+(?=[\\s?]|$)/g;\n\n}());\n";
        let js = String::from_utf8(lean("a.js", source.as_bytes()).unwrap()).unwrap();
        assert!(!js.contains("why") && !js.contains("gone") && !js.contains("header"));
        assert!(js.contains("'/* not a comment */'"), "{js}");
        assert!(js.contains("/[吗呢]+(?=[\\s?]|$)/g"), "{js}");
        assert_eq!(
            js,
            "(function(){var a=1;var s='/* not a comment */';var r=/[吗呢]+(?=[\\s?]|$)/g;}());"
        );
        let css = "/* note */\n.a  {\n  color : red;\n}\n";
        let lean_css = String::from_utf8(lean("b.css", css.as_bytes()).unwrap()).unwrap();
        assert_eq!(lean_css.trim(), ".a{color:red;}");
        assert_eq!(lean("c.svg", b"<svg/>"), None);
        for (name, max_percent) in [("search.js", 60), ("style.css", 85)] {
            let source = DEFAULT_STATIC
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| *b)
                .unwrap();
            let published = lean(name, source).unwrap();
            assert!(
                published.len() * 100 < source.len() * max_percent,
                "{name}: {} of {}",
                published.len(),
                source.len()
            );
        }
    }

    #[test]
    fn embedded_default_theme_matches_the_theme_folder() {
        let embedded: Vec<&str> = DEFAULT_TEMPLATES.iter().map(|(n, _)| *n).collect();
        assert_eq!(embedded, files_under("templates"));
        let embedded: Vec<&str> = DEFAULT_STATIC.iter().map(|(n, _)| *n).collect();
        assert_eq!(embedded, files_under("static"));
    }

    #[test]
    fn embedded_theme_renders_without_a_theme_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let theme = Theme::load(tmp.path(), "default").unwrap();
        assert!(theme.sources["report.html"].contains("内置默认主题"));
        assert!(theme.statics.contains_key("style.css"));
    }

    #[test]
    fn a_theme_folder_lacking_a_template_takes_the_default_one() {
        let tmp = tempfile::tempdir().unwrap();
        let templates = tmp.path().join("themes/mine/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("report.html"), "own").unwrap();
        let theme = Theme::load(tmp.path(), "mine").unwrap();
        assert_eq!(
            theme.sources["report.html"],
            "themes/mine/templates/report.html"
        );
        assert!(theme.sources["embed.html"].contains("内置默认主题"));
        assert!(theme.sources["partials/embed.js"].contains("内置默认主题"));
    }
}
