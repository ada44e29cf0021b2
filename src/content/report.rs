//! One report folder: `report.md` (front matter + narrative), `stats.yaml`, attachments.

use std::path::Path;

use chrono::NaiveDate;
use serde_yaml::{Mapping, Value};

use super::fields::FieldReader;
use super::stats;
use super::yaml::{self, KeyIndex, type_name};
use super::{ReadError, read_content};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::site::{Attachment, Form, Report, ReportMeta, Township, UnloadedReport};
use crate::validate;

/// The report text file in every report folder.
pub(crate) const REPORT_FILE: &str = "report.md";
/// The statistics file in a report folder.
pub(crate) const STATS_FILE: &str = "stats.yaml";
/// Names an attachment may not take: the generator writes files of these names into the folder.
pub(crate) const RESERVED_NAMES: &[&str] = &["index.html", "stats.csv", "stats.xlsx", "stats.json"];

const KEYS: &[&str] = &[
    "title",
    "index_no",
    "publisher",
    "scope",
    "generated",
    "published",
    "channel",
    "source_url",
    "form",
    "attachments",
    "year",
    "township",
    "draft",
];
const FORM_KEYS: &[&str] = &[
    "fill_unit",
    "unit_head",
    "reviewer",
    "filler",
    "phone",
    "filled",
];
const ATTACHMENT_KEYS: &[&str] = &["file", "title"];

/// What a report folder is: where it is and whose it is.
pub(crate) struct ReportFolder<'a> {
    /// Site root.
    pub root: &'a Path,
    /// The folder.
    pub dir: &'a Path,
    /// Year from the folder name.
    pub year: u16,
    /// The registered township.
    pub township: &'a Township,
    /// The county, for derived titles.
    pub region: &'a str,
    /// When reports are due, for the lateness warning.
    pub deadlines: &'a crate::dates::Deadlines,
}

/// Load one report folder; `None` when it has errors that leave nothing to publish.
pub(crate) fn load(folder: &ReportFolder<'_>, diagnostics: &mut Diagnostics) -> Option<Report> {
    let rel = display_path(folder.root, folder.dir);
    let md_path = folder.dir.join(REPORT_FILE);
    let md_file = format!("{rel}/{REPORT_FILE}");
    let text = match read_content(&md_path, &md_file, diagnostics) {
        Ok(t) => t,
        Err(ReadError::Missing) => {
            diagnostics.push(
                Diagnostic::error("report.missing", rel.clone(), "报告目录中缺少 report.md")
                    .hint("每个报告目录都要有 report.md（元数据和正文）；可从同乡镇其他年度复制一份再修改"),
            );
            return None;
        }
        Err(e) => {
            diagnostics.push(e.diagnostic(&md_file));
            return None;
        }
    };
    let (front, body) = match split_front_matter(&text) {
        Ok(parts) => parts,
        Err(d) => {
            diagnostics.push(d.with_file(&md_file));
            return None;
        }
    };
    let before = diagnostics.error_count();
    let meta = parse_front_matter(front, &md_file, folder, diagnostics);
    let attachments = list_attachments(folder, &rel, diagnostics);
    let stats_path = folder.dir.join(STATS_FILE);
    let stats = stats::load(&stats_path, &format!("{rel}/{STATS_FILE}"), diagnostics);
    if stats.is_none() && !stats_path.exists() {
        diagnostics.push(no_table(&rel));
    }
    let mut meta = meta?;
    let attachments = attach_titles(attachments, &mut meta.1, &md_file, diagnostics);
    if diagnostics.error_count() > before {
        return None;
    }
    let report = Report {
        year: folder.year,
        township: folder.township.slug.clone(),
        folder: rel,
        meta: meta.0,
        narrative: body.to_string(),
        narrative_line: text[..text.len() - body.len()].matches('\n').count() + 1,
        stats,
        attachments,
        errors: 0,
        warnings: 0,
    };
    check_links(&text, body, &md_file, diagnostics);
    check_images(&text, body, &md_file, diagnostics);
    check_pasted(&text, body, &md_file, diagnostics);
    check_unfinished(&text, &md_file, diagnostics);
    let keys = KeyIndex::scan(front.yaml, front.line_offset);
    let due = folder.deadlines.due(folder.year);
    validate::check_report_dates(
        &report,
        due.as_ref(),
        &md_file,
        |k| keys.locate(k),
        diagnostics,
    );
    Some(report)
}

/// The code of the warning for a report without a statistics table.
pub(crate) const NO_TABLE: &str = "report.no-stats";

/// A report folder without stats.yaml: the report publishes no statistics table.
fn no_table(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        NO_TABLE,
        rel.to_string(),
        "报告没有统计表（报告目录中没有 stats.yaml）：页面显示“无统计表”，督查计为一条警告",
    )
    .hint("按原文的统计表建立 stats.yaml（nianbao new 生成骨架，或 nianbao template 生成 Excel 填报模板后导入）；原文确实没有统计表时保留这条警告")
}

/// What the oversight still knows of a report folder whose report has errors: the 公开日期 when
/// report.md states one that reads as a date, and the table when stats.yaml reads. Read again on
/// this cold path (with the errors already reported), not carried through the loader.
pub(crate) fn unloaded(
    folder: &ReportFolder<'_>,
    errors: usize,
    warnings: usize,
) -> UnloadedReport {
    let mut quiet = Diagnostics::new();
    let published = crate::content::read_text(&folder.dir.join(REPORT_FILE))
        .ok()
        .and_then(|text| {
            let (front, _) = split_front_matter(&text).ok()?;
            let map: serde_yaml::Mapping = serde_yaml::from_str(front.yaml).ok()?;
            match map.get("published")? {
                Value::String(s) => crate::dates::parse_date(s.trim()),
                _ => None,
            }
        });
    let stats = stats::load(&folder.dir.join(STATS_FILE), STATS_FILE, &mut quiet);
    UnloadedReport {
        year: folder.year,
        township: folder.township.slug.clone(),
        published,
        stats,
        errors,
        warnings,
    }
}

/// Front matter text and its first line, then the body.
#[derive(Clone, Copy)]
pub struct FrontMatter<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Number of lines before the YAML (the opening `---`).
    pub line_offset: usize,
}

/// A problem splitting the file, before any file name is known.
pub struct SplitError(Diagnostic);

impl SplitError {
    fn with_file(self, file: &str) -> Diagnostic {
        let mut d = self.0;
        d.file = file.to_string();
        d
    }
}

/// Split `---\nyaml\n---\nbody` into front matter and body.
pub fn split_front_matter(text: &str) -> Result<(FrontMatter<'_>, &str), SplitError> {
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.trim_end() != "---" {
        return Err(SplitError(
            Diagnostic::error(
                "report.front-matter",
                "",
                "report.md 没有以元数据开头（第一行应为 ---）",
            )
            .at_line(1)
            .hint(
                "文件开头写 ---，下面逐行写 published: 2019-03-12 等元数据，再写一行 --- 后接正文",
            ),
        ));
    }
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &text[start..offset];
            let body = &text[offset + line.len()..];
            return Ok((
                FrontMatter {
                    yaml,
                    line_offset: 1,
                },
                body,
            ));
        }
        offset += line.len();
    }
    Err(SplitError(
        Diagnostic::error(
            "report.front-matter",
            "",
            "元数据没有结束标记（缺少第二个 --- 行）",
        )
        .at_line(1)
        .hint("在元数据最后一行之后单独写一行 ---，再接正文"),
    ))
}

/// `draft: true|false`; a draft says so (a warning), since `build` will leave it out.
fn parse_draft(r: &mut FieldReader<'_>, map: &serde_yaml::Mapping) -> bool {
    match map.get("draft") {
        None | Some(serde_yaml::Value::Bool(false)) => false,
        Some(serde_yaml::Value::Bool(true)) => {
            let d = r.warning_at(
                DRAFT,
                "draft",
                "这份报告标为草稿（draft: true）：nianbao serve 预览时显示，nianbao build 和 nianbao check 不发布它",
            );
            r.diagnostics
                .push(d.hint("完成后删去 draft: true 这一行（或改为 draft: false）"));
            true
        }
        Some(_) => {
            let d = r
                .error("report.draft", "draft", "draft 只能写 true 或 false")
                .hint("写 draft: true 表示草稿，暂不发布；发布时删去这一行");
            r.diagnostics.push(d);
            false
        }
    }
}

/// The code of the warning that a report is a draft.
pub(crate) const DRAFT: &str = "report.draft";

/// The code of a diagnostic about work left unfinished: a warning while previewing, an error
/// when publishing (`build` and `check` without `--allow-draft`).
pub(crate) const UNFINISHED: &str = "report.unfinished";

/// What `nianbao new` and `nianbao import` leave for the clerk to replace, and what to write
/// instead: placeholder text, the deadline pre-filled as a date, the importer's review note.
const PLACEHOLDERS: [(&str, &str, &str); 4] = [
    (
        "（在此填写正文。）",
        "正文中还有未填写的占位文字「（在此填写正文。）」",
        "在这一节写入正文（可从已发布的原文复制），或删去这一节的标题和占位文字",
    ),
    (
        "请对照原件核对后删去本行",
        "导入的报告还没有核对：这一行提示要对照原件核对",
        "对照已发布的原件核对标题、日期、正文和统计表中的每个数字，无误后删去这一行",
    ),
    (
        "请改为实际公开日期",
        "公开日期还没有填写：这一行仍是新建报告时的样子",
        "公开后写入实际公开日期（YYYY-MM-DD），并删去这一行末尾“请改为实际公开日期”的注释",
    ),
    (
        "请改为实际日期",
        "生成日期还是新建报告时预填的日期",
        "写入实际的生成日期（YYYY-MM-DD）并删去注释；原件没有写生成日期就删去这一行",
    ),
];

/// Flag every line of `text` that still holds a scaffold or import placeholder.
fn check_unfinished(text: &str, file: &str, diagnostics: &mut Diagnostics) {
    // Every report is read on every build: one pass over the text for the common case.
    if !PLACEHOLDERS.iter().any(|(mark, ..)| text.contains(mark)) {
        return;
    }
    for (n, line) in text.lines().enumerate() {
        if let Some((mark, message, hint)) =
            PLACEHOLDERS.iter().find(|(mark, ..)| line.contains(mark))
        {
            let column = line[..line.find(mark).unwrap_or(0)].chars().count() + 1;
            diagnostics.push(
                Diagnostic::warning(UNFINISHED, file, *message)
                    .at(Some(crate::diagnostics::Location {
                        line: n + 1,
                        column,
                    }))
                    .hint(*hint),
            );
        }
    }
}

/// Warn about links and images of the narrative that point outside the report folder: those
/// files are never published (see [`crate::content::markdown::outside_links`]).
fn check_links(text: &str, body: &str, file: &str, diagnostics: &mut Diagnostics) {
    let body_start = text.len() - body.len();
    for (url, offset) in crate::content::markdown::outside_links(body) {
        let location = crate::diagnostics::location_of_offset(text, body_start + offset);
        diagnostics.push(
            Diagnostic::warning(
                "report.outside-link",
                file,
                format!(
                    "链接「{url}」指向报告目录以外的文件：该文件不会被发布，网站上的链接将失效"
                ),
            )
            .at(Some(location))
            .hint("把文件作为附件放进报告目录，链接写成文件名，例如 [统计表](统计表.pdf)"),
        );
    }
}

/// Warn about pasted lines a rule could misread (see [`crate::content::markdown::pasted_doubts`]),
/// showing the Markdown to write.
fn check_pasted(text: &str, body: &str, file: &str, diagnostics: &mut Diagnostics) {
    let body_start = text.len() - body.len();
    for doubt in crate::content::markdown::pasted_doubts(body) {
        let location = crate::diagnostics::location_of_offset(text, body_start + doubt.offset);
        diagnostics.push(
            Diagnostic::warning("report.pasted", file, doubt.message)
                .at(Some(location))
                .hint(format!("写成：\n{}", doubt.write.trim_end())),
        );
    }
}

/// Warn about images without alt text (the page gives them `alt=""`).
fn check_images(text: &str, body: &str, file: &str, diagnostics: &mut Diagnostics) {
    let body_start = text.len() - body.len();
    for (url, offset) in crate::content::markdown::images_without_alt(body) {
        let location = crate::diagnostics::location_of_offset(text, body_start + offset);
        diagnostics.push(
            Diagnostic::warning(
                "report.image-alt",
                file,
                format!("图片「{url}」没有说明文字（alt）：读屏软件无法告诉视障读者图上是什么"),
            )
            .at(Some(location))
            .hint("在方括号里写上图片内容，例如 ![2019年统计表](统计表.png)"),
        );
    }
}

type AttachmentTitles = Vec<(String, String, usize)>;

fn parse_front_matter(
    front: FrontMatter<'_>,
    file: &str,
    folder: &ReportFolder<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<(ReportMeta, AttachmentTitles)> {
    let value = match yaml::parse(front.yaml, file, front.line_offset) {
        Ok(v) => v,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let keys = KeyIndex::scan(front.yaml, front.line_offset);
    let map = match value {
        Value::Mapping(m) => m,
        Value::Null => Mapping::new(),
        other => {
            diagnostics.push(
                Diagnostic::error(
                    "report.front-matter",
                    file,
                    format!("元数据应为“键: 值”的形式，这里是{}", type_name(&other)),
                )
                .at_line(2),
            );
            return None;
        }
    };
    let mut r = FieldReader {
        file,
        keys: &keys,
        path: String::new(),
        diagnostics,
    };
    r.check_keys(&map, KEYS, "元数据");
    check_folder_agrees(&mut r, &map, folder);
    // A scaffold's untouched date line is reported once, as unfinished (see PLACEHOLDERS).
    let scaffold_date = front.yaml.contains(PLACEHOLDERS[2].0);
    let published = parse_published(&mut r, &map, file, !scaffold_date);
    let township = folder.township;
    let meta = ReportMeta {
        title: r.text(&map, "title").unwrap_or_else(|| {
            crate::site::default_title(folder.region, &township.name, folder.year)
        }),
        index_no: r.text(&map, "index_no"),
        publisher: r
            .text(&map, "publisher")
            .unwrap_or_else(|| township.name.clone()),
        scope: r.text(&map, "scope"),
        generated: r.date(&map, "generated", "生成日期 generated"),
        published: published?,
        channel: r.text(&map, "channel"),
        source_url: r.text(&map, "source_url"),
        form: parse_form(&mut r, &map),
        draft: parse_draft(&mut r, &map),
    };
    if let Some(url) = &meta.source_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        let d = r
            .error(
                "report.source-url",
                "source_url",
                format!("原文网址「{url}」不是 http(s) 网址"),
            )
            .hint("写完整网址，例如 https://www.huarong.gov.cn/...");
        r.diagnostics.push(d);
    }
    let titles = parse_attachment_titles(&mut r, &map);
    Some((meta, titles))
}

/// `published`: a date, or `~` when the original does not say (a warning: the page says
/// 原文未注明 and the oversight page counts it as 日期未注明). `None` when the field is missing or
/// unreadable (an error was recorded); `Some(None)` for the explicit unknown.
fn parse_published(
    r: &mut FieldReader<'_>,
    map: &Mapping,
    file: &str,
    warn_unknown: bool,
) -> Option<Option<NaiveDate>> {
    match map.get("published") {
        None => {
            let d = Diagnostic::error("report.published", file, "缺少公开日期 published")
                .at_line(2)
                .field("published")
                .hint(
                    "在元数据中加上 published: YYYY-MM-DD（公开日期）；原文确实没有写公开日期时写 published: ~",
                );
            r.diagnostics.push(d);
            None
        }
        Some(Value::Null) if !warn_unknown => Some(None),
        Some(Value::Null) => {
            let d = r
                .warning_at(
                    "report.published-unknown",
                    "published",
                    "公开日期未注明（published: ~）：页面显示“原文未注明”，督查页计为“日期未注明”",
                )
                .hint("如能从原件、网站栏目或发文记录查到公开日期，写成 published: YYYY-MM-DD；查不到就保留 ~，不要填估计的日期");
            r.diagnostics.push(d);
            Some(None)
        }
        Some(_) => r.date(map, "published", "公开日期 published").map(Some),
    }
}

fn check_folder_agrees(r: &mut FieldReader<'_>, map: &Mapping, folder: &ReportFolder<'_>) {
    if let Some(v) = map.get("year") {
        let year = v
            .as_u64()
            .map(|y| y.to_string())
            .or_else(|| v.as_str().map(str::to_string));
        if year.as_deref() != Some(folder.year.to_string().as_str()) {
            let shown = year.unwrap_or_else(|| type_name(v).to_string());
            let d = r
                .error(
                    "report.year",
                    "year",
                    format!(
                        "元数据写的年度 {shown} 与所在目录的年度 {} 不一致",
                        folder.year
                    ),
                )
                .hint("把报告移到正确年度的目录，或改正 year（也可删去 year，年度以目录为准）");
            r.diagnostics.push(d);
        }
    }
    if let Some(v) = map.get("township")
        && v.as_str() != Some(folder.township.slug.as_str())
    {
        let shown = v
            .as_str()
            .map_or_else(|| type_name(v).to_string(), str::to_string);
        let d = r
            .error(
                "report.township",
                "township",
                format!(
                    "元数据写的乡镇「{shown}」与所在目录「{}」不一致",
                    folder.township.slug
                ),
            )
            .hint("township 应写乡镇代号（目录名）；也可删去，乡镇以目录为准");
        r.diagnostics.push(d);
    }
}

fn parse_form(r: &mut FieldReader<'_>, map: &Mapping) -> Option<Form> {
    let value = map.get("form")?;
    let form_map = match value {
        Value::Mapping(m) => m,
        Value::Null => return None,
        other => {
            let d = r.error(
                "report.form",
                "form",
                format!(
                    "form（统计表表尾）应为“键: 值”的形式，这里是{}",
                    type_name(other)
                ),
            );
            r.diagnostics.push(d);
            return None;
        }
    };
    let mut sub = FieldReader {
        file: r.file,
        keys: r.keys,
        path: "form".to_string(),
        diagnostics: r.diagnostics,
    };
    sub.check_keys(form_map, FORM_KEYS, "统计表表尾 form ");
    Some(Form {
        fill_unit: sub.text(form_map, "fill_unit"),
        unit_head: sub.text(form_map, "unit_head"),
        reviewer: sub.text(form_map, "reviewer"),
        filler: sub.text(form_map, "filler"),
        phone: sub.text(form_map, "phone"),
        filled: sub.date(form_map, "filled", "填报日期 form.filled"),
    })
}

fn parse_attachment_titles(r: &mut FieldReader<'_>, map: &Mapping) -> AttachmentTitles {
    let items = match map.get("attachments") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(other) => {
            let d = r
                .error(
                    "report.attachments",
                    "attachments",
                    format!("attachments 应为列表，这里是{}", type_name(other)),
                )
                .hint("每个附件写一项：- file: 统计表.xls 换行 title: 标题");
            r.diagnostics.push(d);
            return Vec::new();
        }
    };
    let mut titles = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("attachments[{i}]");
        let line = r.keys.locate(&format!("{path}.file")).line;
        let Value::Mapping(m) = item else {
            let d = Diagnostic::error(
                "report.attachments",
                r.file,
                format!("第 {} 个附件应写成 file: 和 title: 两项", i + 1),
            )
            .at_line(line)
            .field(path);
            r.diagnostics.push(d);
            continue;
        };
        let mut sub = FieldReader {
            file: r.file,
            keys: r.keys,
            path: path.clone(),
            diagnostics: r.diagnostics,
        };
        sub.check_keys(m, ATTACHMENT_KEYS, "附件说明");
        let file = sub.text(m, "file");
        let title = sub.text(m, "title");
        match (file, title) {
            (Some(file), Some(title)) => titles.push((file, title, line)),
            (None, _) => {
                let d = sub.error("report.attachments", "file", "附件说明缺少文件名 file");
                sub.diagnostics.push(d);
            }
            (Some(_), None) => {
                let d = sub.error("report.attachments", "title", "附件说明缺少标题 title");
                sub.diagnostics.push(d);
            }
        }
    }
    titles
}

/// Every file in the report folder other than report.md and stats.yaml, sorted by path.
fn list_attachments(
    folder: &ReportFolder<'_>,
    rel: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Attachment> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(folder.dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name()))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    "attachment.read",
                    rel,
                    format!("无法读取报告目录：{e}"),
                ));
                continue;
            }
        };
        let Ok(inner) = entry.path().strip_prefix(folder.dir) else {
            continue;
        };
        let path = inner
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if entry.depth() == 1 && (path == REPORT_FILE || path == STATS_FILE) {
            continue;
        }
        let file = format!("{rel}/{path}");
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::warning("attachment.symlink", file, "附件是符号链接，不予发布")
                    .hint("把真实文件复制到报告目录中"),
            );
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        if entry.depth() == 1 && RESERVED_NAMES.contains(&path.to_lowercase().as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "attachment.reserved",
                    file,
                    format!("附件不能命名为「{path}」：生成器会在同一位置写出同名文件"),
                )
                .hint("给附件换个名字，例如在文件名前加上乡镇名"),
            );
            continue;
        }
        if let Some(problem) = name_problem(inner) {
            diagnostics.push(
                Diagnostic::error(
                    "attachment.name",
                    file,
                    format!("附件文件名不能发布：{problem}"),
                )
                .hint("重新命名：只用汉字、字母、数字、空格和 - _ . ( ) 等常见符号"),
            );
            continue;
        }
        let metadata = entry.metadata().ok();
        if metadata.as_ref().is_some_and(is_hard_linked) {
            diagnostics.push(
                Diagnostic::warning(
                    "attachment.hard-link",
                    file,
                    "附件是硬链接（与其他位置的文件共用内容），出于安全考虑不予发布",
                )
                .hint("把文件复制一份（而不是链接）到报告目录"),
            );
            continue;
        }
        let size = metadata.map_or(0, |m| m.len());
        out.push(Attachment {
            path,
            title: None,
            size,
            source: entry.path().to_path_buf(),
        });
    }
    check_case_collisions(&out, rel, diagnostics);
    out
}

/// Characters a published file name may not hold: Windows refuses them, and county web servers
/// and the clerks' machines are often Windows.
const BAD_NAME_CHARS: &[char] = &['<', '>', ':', '"', '\\', '|', '?', '*'];
/// Device names Windows reserves, with any extension.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why a file name (each component of the path inside the report folder) cannot be published.
fn name_problem(inner: &Path) -> Option<String> {
    for part in inner.components() {
        let raw = part.as_os_str();
        let Some(name) = raw.to_str() else {
            return Some(
                "文件名不是有效的 Unicode 文字（多半是旧 Windows 上以 GBK 保存的名字）".into(),
            );
        };
        if let Some(c) = name
            .chars()
            .find(|c| c.is_control() || BAD_NAME_CHARS.contains(c))
        {
            return Some(format!("「{name}」含有字符「{}」", c.escape_default()));
        }
        if name.ends_with('.') || name.ends_with(' ') || name.starts_with(' ') {
            return Some(format!("「{name}」以空格或句点开头或结尾"));
        }
        let stem = name
            .split('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if WINDOWS_DEVICES.contains(&stem.as_str()) {
            return Some(format!("「{name}」是 Windows 保留的设备名"));
        }
    }
    None
}

/// A regular file with more than one name may be a link to a file outside the content directory
/// (which a hard link cannot show); it is not published.
#[cfg(unix)]
fn is_hard_linked(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    metadata.is_file() && metadata.nlink() > 1
}

#[cfg(not(unix))]
fn is_hard_linked(_: &std::fs::Metadata) -> bool {
    false
}

/// Files that are never attachments: hidden files, office lock files, and the leftovers of a
/// merge or an editor (`report.md.orig` holds the text before a merge: never publish it).
fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || [".orig", ".rej", ".swp", ".tmp"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        || lower == "thumbs.db"
        || lower == "desktop.ini"
}

/// Attachments whose paths differ only in letter case are one file on Windows and macOS.
fn check_case_collisions(attachments: &[Attachment], rel: &str, diagnostics: &mut Diagnostics) {
    let mut seen = std::collections::BTreeMap::new();
    for a in attachments {
        if let Some(first) = seen.insert(a.path.to_lowercase(), &a.path) {
            diagnostics.push(
                Diagnostic::error(
                    "attachment.case-collision",
                    format!("{rel}/{}", a.path),
                    format!(
                        "附件「{first}」与「{}」只有字母大小写不同：在 Windows 和 macOS 上它们是同一个文件",
                        a.path
                    ),
                )
                .hint("删去其中一个，或给其中一个改名"),
            );
        }
    }
}

fn attach_titles(
    mut attachments: Vec<Attachment>,
    titles: &mut AttachmentTitles,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Attachment> {
    let mut described = std::collections::HashSet::new();
    for (name, title, line) in titles.drain(..) {
        let wanted = name.trim_start_matches("./");
        if !described.insert(wanted.to_string()) {
            diagnostics.push(
                Diagnostic::error(
                    "report.attachment-duplicate",
                    file,
                    format!("附件「{name}」的说明写了两次"),
                )
                .at_line(line)
                .field("attachments")
                .hint("每个附件只写一条说明：删去重复的一条"),
            );
            continue;
        }
        match attachments.iter_mut().find(|a| a.path == wanted) {
            Some(a) => a.title = Some(title),
            None => diagnostics.push(
                Diagnostic::error(
                    "report.attachment-missing",
                    file,
                    format!("附件说明中的文件「{name}」在报告目录中不存在"),
                )
                .at_line(line)
                .field("attachments")
                .hint(format!("文件名写错了就改成与报告目录中的文件完全一致（包括扩展名）；有意删去了这个文件（不再发布它）的，还要删去 report.md 中这条附件说明（- file: {name} 和下面的 title 两行），正文中链接到它的地方也一并删去")),
            ),
        }
    }
    attachments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let (fm, body) = split_front_matter("---\na: 1\n---\n正文\n").ok().unwrap();
        assert_eq!(fm.yaml, "a: 1\n");
        assert_eq!(body, "正文\n");
    }

    #[test]
    fn crlf_front_matter_splits() {
        let (fm, body) = split_front_matter("---\r\na: 1\r\n---\r\n正文")
            .ok()
            .unwrap();
        assert_eq!(fm.yaml, "a: 1\r\n");
        assert_eq!(body, "正文");
    }

    #[test]
    fn missing_markers_are_errors() {
        assert!(split_front_matter("正文").is_err());
        assert!(split_front_matter("---\na: 1\n").is_err());
    }
}
