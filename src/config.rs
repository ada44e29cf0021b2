//! `site.toml`: the site's settings.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, location_of_offset};

/// The settings file's name at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Settings of one site.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in every page's header and `<title>`.
    pub title: String,
    /// Where the site is published; absolute, may contain a path, always ends with `/`.
    pub base_url: String,
    /// Page language.
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Portal settings.
    #[serde(default)]
    pub portal: Portal,
    /// When each year's report is due (`[deadlines]`).
    #[serde(default)]
    pub deadlines: crate::dates::Deadlines,
    /// Outside commands that add pages and findings (`[[plugins]]`), run in this order.
    #[serde(default)]
    pub plugins: Vec<Plugin>,
    /// The oversight's settings (`[audit]`).
    #[serde(default)]
    pub audit: AuditSettings,
    /// How the year archives describe the site (`[archive]`).
    #[serde(default)]
    pub archive: ArchiveSettings,
    /// The date the oversight is made as of: `--as-of`, else `[audit] as_of`, else the build's
    /// day ([`crate::dates::today`]) — what was due by then and what was not yet. `None` (a
    /// site made without loading, as in unit tests) audits the years that have reports, as if
    /// every deadline had passed.
    #[serde(skip)]
    pub as_of: Option<chrono::NaiveDate>,
    /// A city's federation portal (`[federation]`): the site reads the members' published
    /// portals instead of a `content/` folder (a site is either a county or a federation).
    #[serde(default)]
    pub federation: Option<Federation>,
}

/// The `[federation]` table: the member counties and how their portals are fetched.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Federation {
    /// Seconds a member's server may take to answer one request (connecting and reading).
    #[serde(default = "default_fetch_timeout")]
    pub timeout_s: u64,
    /// The largest file accepted from a member, in MiB (its `all.csv` is the largest).
    #[serde(default = "default_fetch_max")]
    pub max_mib: u64,
    /// The members, in the order the pages list them (`[[federation.members]]`).
    #[serde(default)]
    pub members: Vec<Member>,
}

/// One `[[federation.members]]` entry.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The county's name as the city's pages show it.
    pub name: String,
    /// Its code in URLs, data files and the cache: lowercase letters, digits and `-`.
    pub slug: String,
    /// Its published portal: the `base_url` of a county portal (`http://` or `https://`), or a
    /// folder holding a built county portal (relative to the site root).
    pub source: String,
}

fn default_fetch_timeout() -> u64 {
    20
}

/// 256 MiB: the all.csv of a county with 1,000 reports is about 15 MiB.
fn default_fetch_max() -> u64 {
    256
}

/// The `[audit]` table.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    /// A fixed as-of date, `YYYY-MM-DD` (a demonstration site, a frozen copy); unset, the
    /// oversight is as of the day of the build.
    #[serde(default)]
    pub as_of: Option<String>,
}

/// The `[archive]` table: what a year's WARC and bag say about who publishes the site.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct ArchiveSettings {
    /// 发布机构, the organisation that publishes the site (DA/T 80's 发布机构, BagIt's
    /// `Source-Organization`); unset, the site's title stands for it.
    #[serde(default)]
    pub publisher: Option<String>,
}

impl Config {
    /// 发布机构 of the year archives: `[archive] publisher`, else the title.
    pub fn publisher(&self) -> &str {
        match &self.archive.publisher {
            Some(p) if !p.trim().is_empty() => p.trim(),
            _ => &self.title,
        }
    }
}

/// One `[[plugins]]` entry: an outside command speaking the JSON protocol of
/// [`crate::plugins`].
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Plugin {
    /// The name messages use.
    pub name: String,
    /// The program and its arguments, run with the site root as the working directory.
    pub command: Vec<String>,
    /// Seconds the command may run before it is stopped.
    #[serde(default = "default_timeout")]
    pub timeout_s: u64,
    /// The largest answer (standard output) accepted, in MiB; a longer one is refused while it
    /// is read, so a runaway plugin cannot fill the memory.
    #[serde(default = "default_max_output")]
    pub max_output_mib: u64,
}

fn default_timeout() -> u64 {
    30
}

/// 64 MiB: a hundred times the JSON of a large county's model, far below a build's memory.
fn default_max_output() -> u64 {
    64
}

/// The `[portal]` table.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    /// The county or district, shown in headings and titles.
    #[serde(default)]
    pub region: String,
    /// A notice shown on every page, e.g. 示例数据 for a demonstration site.
    #[serde(default)]
    pub notice: Option<String>,
}

fn default_language() -> String {
    "zh-CN".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

const KNOWN_KEYS: &str = "title, base_url, language, theme, [portal] region, notice, [deadlines] default, [[deadlines.exception]] year, due, note, [[plugins]] name, command, timeout_s, max_output_mib, [audit] as_of, [federation] timeout_s, max_mib, [[federation.members]] name, slug, source, [archive] publisher";

impl Config {
    /// Read and check `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                "在站点根目录创建 site.toml，或用 --root 指定站点目录".to_string()
            } else {
                format!("系统错误：{e}")
            };
            Diagnostic::error("config.read", CONFIG_FILE, "无法读取站点设置文件 site.toml")
                .hint(hint)
        })?;
        Self::parse(&text)
    }

    /// Parse and check the text of `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config = toml::from_str(text).map_err(|e| toml_error(&e, text))?;
        config.base_url = normalize_base_url(&config.base_url).map_err(|message| {
            let line = line_of_key(text, "base_url");
            Diagnostic::error("config.base-url", CONFIG_FILE, message)
                .at_line(line)
                .field("base_url")
                .hint("写完整网址，例如 https://www.huarong.gov.cn/nianbao/")
        })?;
        if config.title.trim().is_empty() {
            return Err(
                Diagnostic::error("config.title", CONFIG_FILE, "站点标题 title 不能为空")
                    .at_line(line_of_key(text, "title"))
                    .field("title"),
            );
        }
        if let Err((field, message)) = config.deadlines.check() {
            return Err(Diagnostic::error("config.deadlines", CONFIG_FILE, message)
                .at_line(line_of_key(text, field.rsplit('.').next().unwrap_or_default()))
                .field(field)
                .hint("公开期限写成 [deadlines] default = \"01-20\"（次年的月-日）；某一年度例外写成 [[deadlines.exception]] year = 2022、due = \"2023-02-28\"、note = \"说明\""));
        }
        check_plugins(&config.plugins, text)?;
        if let Some(federation) = &config.federation {
            check_federation(federation, text)?;
        }
        if let Some(day) = &config.audit.as_of {
            config.as_of = Some(crate::dates::parse_date(day).ok_or_else(|| {
                Diagnostic::error(
                    "config.audit",
                    CONFIG_FILE,
                    format!("督查日期 as_of「{day}」不是有效日期"),
                )
                .at_line(line_of_key(text, "as_of"))
                .field("audit.as_of")
                .hint("写成 [audit] as_of = \"2025-03-01\"；不写则按生成当天统计")
            })?);
        }
        Ok(config)
    }

    /// Replace `base_url` (the CLI's `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = normalize_base_url(url)?;
        Ok(())
    }

    /// The path part of `base_url`, e.g. `/nianbao/`.
    pub fn base_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }
}

/// Check that a base URL is absolute http(s) and make it end with `/`.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url「{url}」不是以 http:// 或 https:// 开头的完整网址"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || url.contains(char::is_whitespace) {
        return Err(format!("base_url「{url}」缺少域名或含有空格"));
    }
    if url.contains(['?', '#']) {
        return Err(format!("base_url「{url}」不能含有 ? 或 #"));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// Every member has a name, a slug of its own and a source; the limits are positive.
fn check_federation(federation: &Federation, text: &str) -> Result<(), Diagnostic> {
    let error = |key: &str, message: String| {
        Diagnostic::error("config.federation", CONFIG_FILE, message)
            .at_line(line_of_key(text, key))
            .field(format!("federation.{key}"))
            .hint("每个成员写成 [[federation.members]]、name = \"甲县\"、slug = \"jiaxian\"、source = \"https://…/nianbao/\"（或已生成的县级门户目录）")
    };
    if federation.members.is_empty() {
        return Err(error(
            "members",
            "联合门户至少要有一个成员 [[federation.members]]".to_string(),
        ));
    }
    if federation.timeout_s == 0 || federation.timeout_s > 600 {
        return Err(error(
            "timeout_s",
            "federation.timeout_s 必须在 1 到 600 之间（单位秒，默认 20）".to_string(),
        ));
    }
    if federation.max_mib == 0 || federation.max_mib > 4096 {
        return Err(error(
            "max_mib",
            "federation.max_mib 必须在 1 到 4096 之间（单位 MiB，默认 256）".to_string(),
        ));
    }
    for (i, m) in federation.members.iter().enumerate() {
        if m.name.trim().is_empty() {
            return Err(error(
                "name",
                format!("第 {} 个成员的名称 name 不能为空", i + 1),
            ));
        }
        let slug_ok = !m.slug.is_empty()
            && m.slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !slug_ok {
            return Err(error(
                "slug",
                format!(
                    "成员「{}」的代号 slug「{}」只能由小写字母、数字和 - 组成",
                    m.name, m.slug
                ),
            ));
        }
        if federation.members[..i].iter().any(|o| o.slug == m.slug) {
            return Err(error("slug", format!("成员代号「{}」重复", m.slug)));
        }
        if m.source.trim().is_empty() {
            return Err(error(
                "source",
                format!("成员「{}」的来源 source 不能为空", m.name),
            ));
        }
    }
    Ok(())
}

/// Every plugin has a name of its own and a program to run.
fn check_plugins(plugins: &[Plugin], text: &str) -> Result<(), Diagnostic> {
    let error = |key: &str, message: String| {
        Diagnostic::error("config.plugins", CONFIG_FILE, message)
            .at_line(line_of_key(text, key))
            .field(format!("plugins.{key}"))
            .hint("每个插件写成 [[plugins]]、name = \"名称\"、command = [\"python3\", \"插件.py\"]、timeout_s = 30")
    };
    for (i, p) in plugins.iter().enumerate() {
        if p.name.trim().is_empty() {
            return Err(error(
                "name",
                format!("第 {} 个插件的名称 name 不能为空", i + 1),
            ));
        }
        if plugins[..i].iter().any(|q| q.name == p.name) {
            return Err(error("name", format!("插件名称「{}」重复", p.name)));
        }
        if p.command.first().is_none_or(|c| c.trim().is_empty()) {
            return Err(error(
                "command",
                format!("插件「{}」的命令 command 不能为空", p.name),
            ));
        }
        if p.timeout_s == 0 {
            return Err(error(
                "timeout_s",
                format!("插件「{}」的 timeout_s 必须大于 0", p.name),
            ));
        }
        if p.max_output_mib == 0 || p.max_output_mib > 4096 {
            return Err(error(
                "max_output_mib",
                format!(
                    "插件「{}」的 max_output_mib 必须在 1 到 4096 之间（单位 MiB，默认 64）",
                    p.name
                ),
            ));
        }
    }
    Ok(())
}

fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

fn toml_error(e: &toml::de::Error, text: &str) -> Diagnostic {
    let location = e.span().map(|s| location_of_offset(text, s.start));
    let detail = e.message();
    let (message, hint, field) = if let Some(key) = between(detail, "unknown field `", "`") {
        (
            format!("未知的设置项「{key}」"),
            format!("可用的设置项：{KNOWN_KEYS}；检查是否拼写错误"),
            Some(key),
        )
    } else if let Some(key) = between(detail, "missing field `", "`") {
        (
            format!("缺少必填设置项「{key}」"),
            format!("在 site.toml 中加上 {key} = \"…\""),
            Some(key),
        )
    } else if detail.starts_with("invalid type") {
        (
            format!("设置项的类型不对（{detail}）"),
            "文字要用英文双引号括起来，例如 title = \"华容县…\"".to_string(),
            None,
        )
    } else {
        syntax_message(detail, text, e.span().map(|s| s.start))
    };
    let mut d = Diagnostic::error("config.invalid", CONFIG_FILE, message)
        .at(location)
        .hint(hint);
    if let Some(field) = field {
        d = d.field(field);
    }
    d
}

/// A TOML syntax error in Chinese: full-width punctuation on the line first (the usual cause when
/// a clerk types with a Chinese input method), then the parser's common messages translated; the
/// parser's own words only as a last resort, marked as such.
fn syntax_message(
    detail: &str,
    text: &str,
    at: Option<usize>,
) -> (String, String, Option<&'static str>) {
    let line = at
        .map(|offset| {
            let start = text[..offset.min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            &text[start..end]
        })
        .unwrap_or_default();
    if let Some((c, ascii)) = crate::diagnostics::full_width_in(line) {
        return (
            format!("site.toml 的这一行用了全角符号「{c}」"),
            crate::diagnostics::full_width_hint(c, ascii),
            None,
        );
    }
    const KNOWN: [(&str, &str, &str); 8] = [
        (
            "string values must be quoted",
            "设置值没有用引号括起来",
            "文字要用英文双引号括起来，例如 title = \"华容县…\"",
        ),
        (
            "invalid basic string",
            "引号里的文字有误（引号没有配对，或含有换行）",
            "检查这一行的英文双引号是否成对",
        ),
        (
            "duplicate key",
            "同一个设置项写了两次",
            "删除重复的那一行，每个设置项只能出现一次",
        ),
        (
            "expected `=`",
            "设置项后面缺少等号",
            "应写成 名称 = \"值\"，例如 base_url = \"https://…/\"",
        ),
        (
            "expected `.`, `=`",
            "设置项后面缺少等号",
            "应写成 名称 = \"值\"，例如 base_url = \"https://…/\"",
        ),
        (
            "invalid table header",
            "小节标题写法有误",
            "小节标题应写成 [portal] 这样：英文方括号，独占一行",
        ),
        (
            "expected newline",
            "一行只能写一个设置项",
            "把后面的内容移到下一行",
        ),
        (
            "invalid key",
            "设置项名称写法有误",
            "设置项名称只用英文字母、数字、下划线，例如 base_url",
        ),
    ];
    if let Some((_, message, hint)) = KNOWN
        .iter()
        .find(|(english, _, _)| detail.contains(english))
    {
        return (
            format!("site.toml 语法错误：{message}"),
            hint.to_string(),
            None,
        );
    }
    (
        "site.toml 语法错误".to_string(),
        format!("检查等号、英文引号和 [portal] 这样的小节标题是否完整（解析器原文：{detail}）"),
        None,
    )
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title = \"华容县\"\nbase_url = \"https://x.gov.cn/nianbao\"\n[portal]\nregion = \"华容县\"\n";

    #[test]
    fn parses_and_normalizes_base_url() {
        let c = Config::parse(GOOD).unwrap();
        assert_eq!(c.base_url, "https://x.gov.cn/nianbao/");
        assert_eq!(c.base_path(), "/nianbao/");
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.theme, "default");
        assert_eq!(c.portal.region, "华容县");
    }

    #[test]
    fn the_archives_publisher_defaults_to_the_title() {
        let c = Config::parse(GOOD).unwrap();
        assert_eq!(c.publisher(), c.title);
        let c = Config::parse(&format!(
            "{GOOD}[archive]\npublisher = \" 华容县人民政府办公室 \"\n"
        ))
        .unwrap();
        assert_eq!(c.publisher(), "华容县人民政府办公室");
        let c = Config::parse(&format!("{GOOD}[archive]\npublisher = \"  \"\n")).unwrap();
        assert_eq!(c.publisher(), c.title);
        let err = Config::parse(&format!("{GOOD}[archive]\nagency = \"x\"\n")).unwrap_err();
        assert!(err.message.contains("未知的设置项"), "{}", err.message);
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let text = format!("{GOOD}titel = \"x\"\n");
        let err = Config::parse(&text.replace("[portal]\nregion = \"华容县\"\n", "")).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("titel"));
        assert_eq!(err.location.unwrap().line, 3);
        assert!(err.message.contains("未知的设置项"));
    }

    #[test]
    fn relative_base_url_is_refused() {
        let err = Config::parse("title = \"a\"\nbase_url = \"/nianbao/\"\n").unwrap_err();
        assert_eq!(err.code, "config.base-url");
        assert_eq!(err.location.unwrap().line, 2);
    }

    #[test]
    fn missing_title_is_named() {
        let err = Config::parse("base_url = \"https://a.cn/\"\n").unwrap_err();
        assert!(err.message.contains("title"), "{}", err.message);
    }
}
