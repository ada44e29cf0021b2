//! Plugins: outside commands named by `[[plugins]]` in site.toml. Each receives the model as one
//! JSON document ([`protocol::document`]) on its standard input and prints pages to add and
//! findings to report. A plugin that fails, hangs past its `timeout_s`, prints something that is
//! not the protocol's JSON, or writes a page over one of nianbao's own is an error naming it:
//! the build stops before anything is published, so the previous output stays.
//!
//! The document is the library's stable view of the model, the one `nianbao export --format
//! json` prints; its fields are only ever added (docs/内容格式.md documents them):
//!
//! ```
//! use nianbao::build::{Options, load};
//!
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
//! let loaded = load(root, &Options::default()).expect("the content pack loads");
//! let doc: serde_json::Value = serde_json::from_str(&nianbao::plugins::document(&loaded.site))
//!     .expect("one JSON document");
//! assert_eq!(doc["version"], nianbao::plugins::VERSION);
//! let report = &doc["site"]["reports"][0];
//! assert_eq!(report["values"]["proactive.total"], 147);
//! assert!(report["values"]["proactive"].is_null(), "blank is null, not 0");
//! ```

mod protocol;
mod run;

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::{CONFIG_FILE, Plugin};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{PluginPage, Site};
use crate::theme::Theme;

pub use protocol::{VERSION, document};

/// Folders of the site that only nianbao writes into, whether or not this site has them now.
const RESERVED: &[&str] = &[
    "archive",
    "audit",
    "county",
    "data",
    "embed",
    "search",
    "static",
    "townships",
];

/// Run every plugin of the site's settings on `site` (from the site `root`) and add their pages
/// to it; returns their findings, and the problems with the plugins themselves as errors.
pub(crate) fn apply(root: &Path, site: &mut Site, theme: &Theme) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if site.config.plugins.is_empty() {
        return diagnostics;
    }
    let input = document(site);
    let taken = built_in_folders(site, theme);
    let mut pages: Vec<PluginPage> = Vec::new();
    for plugin in &site.config.plugins.clone() {
        match run_one(root, plugin, input.as_bytes(), &taken, &pages) {
            Ok((more, found)) => {
                pages.extend(more);
                diagnostics.extend(found);
            }
            Err(message) => diagnostics.push(
                Diagnostic::error("plugin.failed", CONFIG_FILE, message)
                    .field("plugins")
                    .hint("修正插件，或在 site.toml 中删去它的 [[plugins]] 一段；上一次生成的网站保持不变"),
            ),
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    site.plugin_pages = pages;
    diagnostics
}

/// The first folder of every file nianbao plans for the site, and the top-level files.
fn built_in_folders(site: &Site, theme: &Theme) -> BTreeSet<String> {
    crate::plan::plan(site, theme)
        .into_iter()
        .map(|f| f.path.split('/').next().unwrap_or_default().to_string())
        .chain(RESERVED.iter().map(|s| s.to_string()))
        .collect()
}

/// One plugin's pages and findings, or why it gave none.
fn run_one(
    root: &Path,
    plugin: &Plugin,
    input: &[u8],
    taken: &BTreeSet<String>,
    earlier: &[PluginPage],
) -> Result<(Vec<PluginPage>, Diagnostics), String> {
    let name = &plugin.name;
    let stdout = run::run(root, plugin, input)?;
    let output: protocol::Output = serde_json::from_slice(&stdout).map_err(|e| {
        format!(
            "插件「{name}」的输出不是有效的 JSON（第 {} 行第 {} 列：{e}）；插件只能在标准输出打印一个 JSON 对象，说明文字请写到标准错误",
            e.line(),
            e.column()
        )
    })?;
    let mut pages = Vec::with_capacity(output.pages.len());
    for page in output.pages {
        let path = page_path(&page.path, taken)
            .map_err(|why| format!("插件「{name}」的页面路径「{}」无效：{why}", page.path))?;
        if earlier.iter().chain(&pages).any(|p| p.path == path) {
            return Err(format!(
                "插件「{name}」的页面路径「{path}」与另一个插件页面重复"
            ));
        }
        pages.push(PluginPage {
            path,
            title: page.title,
            markdown: page.markdown,
            plugin: name.clone(),
        });
    }
    let mut found = Diagnostics::new();
    for d in output.diagnostics {
        found.push(finding(name, d)?);
    }
    Ok((pages, found))
}

/// A plugin's finding as nianbao reports its own.
fn finding(name: &str, d: protocol::OutputDiagnostic) -> Result<Diagnostic, String> {
    let file = d.file.replace('\\', "/");
    if file.starts_with('/') || file.split('/').any(|s| s == "..") || file.contains(':') {
        return Err(format!(
            "插件「{name}」报告的文件「{}」不是站点内的相对路径",
            d.file
        ));
    }
    let made = match d.severity {
        protocol::Severity::Error => Diagnostic::error("plugin", file, d.message),
        protocol::Severity::Warning => Diagnostic::warning("plugin", file, d.message),
    };
    let made = match d.line {
        Some(line) if line > 0 => made.at_line(line),
        _ => made,
    };
    Ok(made.hint(format!("由插件「{name}」报告")))
}

/// A page's folder checked and normalised (`local/`): relative, inside the site, not one of
/// nianbao's own folders.
fn page_path(path: &str, taken: &BTreeSet<String>) -> Result<String, &'static str> {
    if path.starts_with('/') || path.starts_with('\\') || path.contains(':') {
        return Err("必须是站点内的相对路径（不能以 / 开头，不能含有盘符）");
    }
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = trimmed.split('/').collect();
    let bad = |s: &&str| {
        s.is_empty()
            || *s == "."
            || *s == ".."
            || s.starts_with('.')
            || s.chars()
                .any(|c| c.is_control() || "\\?#%<>\"|*".contains(c))
    };
    if segments.iter().any(bad) {
        return Err("只能由文件夹名和 / 组成，不能含有 .、..、空的部分或 \\ ? # % 等符号");
    }
    let first = segments[0];
    if taken.contains(first) || first.chars().all(|c| c.is_ascii_digit()) {
        return Err(
            "与 nianbao 自己生成的页面或文件夹重名（年度、search、static、data 等）；请放在自己的文件夹中，例如 local/",
        );
    }
    Ok(format!("{trimmed}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_stay_in_their_own_folders() {
        let taken: BTreeSet<String> = ["search", "2018", "index.html"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(page_path("local", &taken).as_deref(), Ok("local/"));
        assert_eq!(page_path("local/a/", &taken).as_deref(), Ok("local/a/"));
        for bad in [
            "/etc/",
            "../x/",
            "a/../../b/",
            "search/",
            "2018/",
            "2017/",
            "C:/x/",
            "a\\b/",
            "",
            "a//b/",
            ".git/",
            "index.html/",
        ] {
            assert!(page_path(bad, &taken).is_err(), "{bad}");
        }
    }
}
