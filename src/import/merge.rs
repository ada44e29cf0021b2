//! One report from one or more sources (a saved page and its Excel table), written through a
//! staging folder that the content loader checks first, and the import report in words.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::analyze::Imported;
use super::hazards::{Finding, Level};
use super::source::{Place, Source};
use super::write;
use super::{Outcome, ReportOutcome, SourceOutcome, Status};
use crate::config::Config;
use crate::content::report::{self, ReportFolder};
use crate::diagnostics::{Diagnostics, Severity};
use crate::scaffold;

/// The sources of one report: file, what was read, what it means.
pub(super) type Group = Vec<(PathBuf, Source, Imported)>;

/// The files of a report folder: (name, bytes).
type Files = Vec<(String, Vec<u8>)>;

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("txt")
        .to_ascii_lowercase()
}

/// Attachment file name and title of a source: the original kept byte for byte.
fn attachment(path: &Path, imported: &Imported, taken: &[(String, String)]) -> (String, String) {
    let (name, year) = (&imported.township.name, imported.year);
    let ext = extension(path);
    let (stem, title) = match ext.as_str() {
        "xls" | "xlsx" => (
            format!("原表-{name}{year}年度统计表"),
            format!("{name}{year}年度统计表（原 Excel 表）"),
        ),
        "pdf" => (
            format!("原文-{name}{year}年度报告"),
            format!("{name}{year}年度政府信息公开工作年度报告（原 PDF 文件）"),
        ),
        "docx" => (
            format!("原文-{name}{year}年度报告"),
            format!("{name}{year}年度政府信息公开工作年度报告（原 Word 文档）"),
        ),
        "htm" | "html" => (
            format!("原文-{name}{year}年度报告"),
            format!("{name}{year}年度政府信息公开工作年度报告（原网页）"),
        ),
        _ => (
            format!("原文-{name}{year}年度报告"),
            format!("{name}{year}年度政府信息公开工作年度报告（原网页文本）"),
        ),
    };
    let mut file = format!("{stem}.{ext}");
    let mut n = 2;
    while taken.iter().any(|(f, _)| *f == file) {
        file = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    (file, title)
}

/// Write (or stage only) the report of a group of sources.
pub(super) fn write_report(
    root: &Path,
    config: &Config,
    folder: &str,
    mut group: Group,
    options: &super::Options,
) -> Result<ReportOutcome, String> {
    let primary = group
        .iter()
        .position(|(_, _, i)| i.narrative.is_some())
        .unwrap_or(0);
    group.swap(0, primary);
    compare_tables(&mut group);
    let first_name = group[0]
        .0
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    for (_, _, imported) in group.iter_mut().skip(1) {
        if imported.narrative.is_some() {
            imported.findings.push(Finding::new(
                Level::Person,
                &Place::Nowhere,
                format!(
                    "同一报告还有另一份正文来源「{}」，report.md 的正文取自那一份，这一份的正文没有用；请确认两者是否相同",
                    first_name.clone().unwrap_or_default()
                ),
            ));
        }
    }
    let mut attachments: Vec<(String, String)> = Vec::new();
    let mut files: Files = Vec::new();
    for (path, _, imported) in &group {
        let (file, title) = attachment(path, imported, &attachments);
        let bytes = std::fs::read(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
        files.push((file.clone(), bytes));
        attachments.push((file, title));
    }
    let (_, _, first) = &mut group[0];
    let stats = first.stats.clone();
    let mut front = first.front.clone();
    front.attachments = attachments;
    let origin: Vec<String> = group
        .iter()
        .map(|(p, _, _)| {
            p.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    let stats = stats.or_else(|| group.iter().find_map(|(_, _, i)| i.stats.clone()));
    let dir = root.join(folder);
    // A table without narrative for a report that exists (`nianbao new`, then the filled
    // template): only the figures are imported, the clerk's report.md is kept as it is.
    let existing_md = dir.join(report::REPORT_FILE);
    let keep_md = group[0].2.narrative.is_none() && existing_md.is_file();
    let md = if keep_md {
        group[0].2.findings.push(Finding::new(
            Level::Note,
            &Place::Nowhere,
            "报告目录中已有 report.md：保留不变，只导入统计表",
        ));
        std::fs::read(&existing_md)
            .map_err(|e| format!("无法读取 {}：{e}", existing_md.display()))?
    } else {
        let (year, township) = (group[0].2.year, group[0].2.township.clone());
        let deadline = scaffold::deadline_text(config, year);
        let (body, notes) = match &group[0].2.narrative {
            Some(md) => (md.clone(), write::Notes::Original),
            None => {
                // The same skeleton as `nianbao new`: its defaults where the table says nothing.
                front
                    .title
                    .get_or_insert_with(|| scaffold::default_title(config, &township, year));
                front
                    .scope
                    .get_or_insert_with(|| scaffold::DEFAULT_SCOPE.to_string());
                front
                    .channel
                    .get_or_insert_with(|| scaffold::DEFAULT_CHANNEL.to_string());
                (
                    skeleton_body(config, &mut group, stats.as_ref().map(|s| s.0))?,
                    write::Notes::Skeleton {
                        deadline: &deadline,
                    },
                )
            }
        };
        let front = write::front_matter(&front, &origin.join("、"), year, notes);
        format!("{front}{body}").into_bytes()
    };
    let mut out: Files = vec![(report::REPORT_FILE.to_string(), md)];
    let mut figures = None;
    if let Some((format, m)) = &stats {
        let values: Vec<Option<String>> =
            m.values.iter().map(|v| v.map(|d| d.to_string())).collect();
        let filled = values.iter().filter(|v| v.is_some()).count();
        figures = Some((filled, values.len() - filled));
        let header = format!(
            "# 由 nianbao import 从「{}」导入；~ 表示原表空白（未填报）。\n",
            origin.join("、")
        );
        out.push((
            report::STATS_FILE.to_string(),
            scaffold::stats_yaml_with(format, &header, &values, &m.notes).into_bytes(),
        ));
    }
    out.extend(files);
    let (year, township) = (group[0].2.year, group[0].2.township.clone());
    let check = check_staged(folder, config, year, &township, &out)?;
    let written: Files = out
        .iter()
        .filter(|(name, _)| !(keep_md && name == report::REPORT_FILE))
        .cloned()
        .collect();
    // Only what would change something counts: a file already there with the same bytes (the
    // same workbook imported again), and the blank stats.yaml of `nianbao new`, are merged
    // without --force.
    let mut blank_skeleton = false;
    let exists = written.iter().any(|(name, bytes)| {
        let Ok(old) = std::fs::read(dir.join(name)) else {
            return false;
        };
        if old == *bytes {
            return false;
        }
        let skeleton = name == report::STATS_FILE
            && crate::schema::formats()
                .iter()
                .any(|f| old == scaffold::stats_yaml(f).as_bytes());
        blank_skeleton |= skeleton;
        !skeleton
    });
    if blank_skeleton && !exists {
        group[0].2.findings.push(Finding::new(
            Level::Note,
            &Place::Nowhere,
            "报告目录中的 stats.yaml 是 nianbao new 写下的空白表（全部为 ~）：已填入导入的数字，不需要 --force",
        ));
    }
    let status = if blocking(&check) > 0 {
        Status::Invalid
    } else if exists && !options.force {
        Status::Exists
    } else if options.dry_run {
        Status::WouldCreate
    } else {
        put_files(&dir, &written, stats.is_none())?;
        if exists {
            Status::Replaced
        } else {
            Status::Created
        }
    };
    Ok(ReportOutcome {
        folder: folder.to_string(),
        facts: group.iter().flat_map(|(_, _, i)| i.facts.clone()).collect(),
        table_rows: group
            .iter()
            .flat_map(|(_, _, i)| i.table_rows.clone())
            .collect(),
        files: written.iter().map(|(n, _)| n.clone()).collect(),
        sources: group
            .into_iter()
            .map(|(path, source, imported)| SourceOutcome {
                path,
                kind: source.kind,
                findings: imported.findings,
            })
            .collect(),
        status,
        figures,
        check,
    })
}

/// A report.md body for a table without narrative: the scaffold's sections, flagged.
fn skeleton_body(
    config: &Config,
    group: &mut Group,
    format: Option<&'static crate::schema::Format>,
) -> Result<String, String> {
    let excel = group[0].1.kind.starts_with("Excel");
    let imported = &mut group[0].2;
    let format = format
        .or_else(|| crate::schema::format(scaffold::default_format(imported.year)))
        .ok_or("内置表格格式缺失")?;
    let full = scaffold::report_md(config, &imported.township, imported.year, format);
    let body = full
        .splitn(3, "---\n")
        .nth(2)
        .unwrap_or_default()
        .to_string();
    imported.findings.push(Finding::new(
        Level::Person,
        &Place::Nowhere,
        if excel {
            "Excel 表只有统计数据，没有报告正文：report.md 的正文是按格式生成的提纲，需要人工填写（或再导入同一报告的网页）"
        } else {
            "原文中没有读到报告正文：report.md 的正文是按格式生成的提纲，需要人工照原件填写"
        },
    ));
    Ok(body)
}

/// When two sources of one report both have a table, every figure on which they disagree.
fn compare_tables(group: &mut Group) {
    let Some(first) = group.iter().find_map(|(_, _, i)| i.stats.clone()) else {
        return;
    };
    let mut seen_first = false;
    for (_, _, imported) in group.iter_mut() {
        let Some((format, m)) = &imported.stats else {
            continue;
        };
        if !seen_first {
            seen_first = true;
            continue;
        }
        if format.id != first.0.id {
            imported.findings.push(Finding::new(
                Level::Person,
                &Place::Nowhere,
                format!(
                    "这份文件的表格格式（{}）与同一报告另一来源（{}）不同，只导入了后者的表格",
                    format.id, first.0.id
                ),
            ));
            continue;
        }
        let mut differences = Vec::new();
        for (i, (a, b)) in first.1.values.iter().zip(&m.values).enumerate() {
            if a != b {
                let show = |v: &Option<rust_decimal::Decimal>| {
                    v.map_or("空白".to_string(), |d| d.to_string())
                };
                differences.push(
                    Finding::new(
                        Level::Person,
                        &Place::Nowhere,
                        format!(
                            "「{}」两个来源不一致：已导入 {}，这份文件为 {}",
                            format.cells[i].label,
                            show(a),
                            show(b)
                        ),
                    )
                    .field(&format.cells[i].id),
                );
            }
        }
        imported.findings.extend(differences);
    }
}

/// The errors of a written report's check that keep it from being written: all but the
/// unfinished work the import itself leaves for the clerk (the review line).
fn blocking(check: &Diagnostics) -> usize {
    check
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != report::UNFINISHED)
        .count()
}

/// Write the files into a private copy of the folder and load it as `nianbao build` would.
fn check_staged(
    folder: &str,
    config: &Config,
    year: u16,
    township: &crate::site::Township,
    files: &Files,
) -> Result<Diagnostics, String> {
    let staging = tempfile::tempdir().map_err(|e| format!("无法创建临时目录：{e}"))?;
    let dir = staging.path().join(folder);
    put_files(&dir, files, false)?;
    let mut diagnostics = Diagnostics::new();
    let report_folder = ReportFolder {
        root: staging.path(),
        dir: &dir,
        year,
        township,
        region: &config.portal.region,
        deadlines: &config.deadlines,
    };
    let _ = report::load(&report_folder, &mut diagnostics);
    // The same severities as `nianbao check`: what is left to finish (the review line, a
    // placeholder) is an error there until it is done.
    diagnostics.promote_where(|d| d.code == report::UNFINISHED);
    diagnostics.sort();
    Ok(diagnostics)
}

fn put_files(dir: &Path, files: &Files, remove_stats: bool) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("写入 {} 失败：{e}", path.display()))?;
    }
    let stale = dir.join(report::STATS_FILE);
    if remove_stats && stale.exists() {
        std::fs::remove_file(&stale).map_err(|e| format!("删除 {} 失败：{e}", stale.display()))?;
    }
    Ok(())
}

fn status_line(r: &ReportOutcome) -> String {
    let files = r.files.join("、");
    match r.status {
        Status::Created => format!("已创建：{files}"),
        Status::Replaced => format!("已覆盖（--force）：{files}"),
        Status::WouldCreate => format!("试运行，未写入；将写入：{files}"),
        Status::Exists => "未写入：目录中已有同名文件；确认要替换时加 --force 重新导入".to_string(),
        Status::Invalid => {
            "未写入：导入结果不能通过内容检查（见下方检查结果），请处理后重新导入".to_string()
        }
    }
}

fn finding_line(out: &mut String, name: &str, f: &Finding) {
    let at = match &f.at {
        Place::Nowhere => name.to_string(),
        at => format!("{name} {at}"),
    };
    let field = f
        .field
        .as_deref()
        .map_or(String::new(), |x| format!(" [{x}]"));
    let _ = writeln!(out, "    - {at}{field}：{}", f.message);
}

fn render_report(out: &mut String, r: &ReportOutcome) {
    let _ = writeln!(out, "\n== {} ==", r.folder);
    for s in &r.sources {
        let _ = writeln!(out, "  来源：{}（{}）", s.path.display(), s.kind);
    }
    for fact in &r.facts {
        let _ = writeln!(out, "  {fact}");
    }
    if let Some((filled, blank)) = r.figures {
        let _ = writeln!(
            out,
            "  统计表：{} 个指标，填报 {filled} 个，空白（未填报）{blank} 个",
            filled + blank
        );
    } else {
        let _ = writeln!(out, "  统计表：无（未生成 stats.yaml）");
    }
    if !r.table_rows.is_empty() {
        let _ = writeln!(out, "  统计表逐行去向（原文各行 → stats.yaml 的指标）：");
        for row in &r.table_rows {
            let _ = writeln!(out, "    {row}");
        }
    }
    let _ = writeln!(out, "  {}", status_line(r));
    for level in [Level::Person, Level::Warning, Level::Note] {
        let items: Vec<(String, &Finding)> = r
            .sources
            .iter()
            .flat_map(|s| {
                let name = s
                    .path
                    .file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().into_owned());
                s.findings
                    .iter()
                    .filter(move |f| f.level == level)
                    .map(move |f| (name.clone(), f))
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {}（{} 项）：", level.label(), items.len());
        for (name, f) in items {
            finding_line(out, &name, f);
        }
    }
    let errors = r.check.error_count();
    let warnings = r.check.warning_count();
    if r.check.is_empty() {
        let _ = writeln!(
            out,
            "  内容检查（与 nianbao check 相同）：通过，没有错误和警告"
        );
    } else {
        let _ = writeln!(
            out,
            "  内容检查（与 nianbao check 相同）：{errors} 个错误，{warnings} 条警告"
        );
        for d in r.check.iter() {
            let label = if d.severity == Severity::Error {
                "错误"
            } else {
                "警告"
            };
            let hint = d
                .hint
                .as_deref()
                .map_or(String::new(), |h| format!("（提示：{h}）"));
            let _ = writeln!(out, "    - {label} {}：{}{hint}", d.position(), d.message);
        }
        let unfinished = errors - blocking(&r.check);
        if unfinished > 0
            && matches!(
                r.status,
                Status::Created | Status::Replaced | Status::WouldCreate
            )
        {
            let _ = writeln!(
                out,
                "  下一步：上面 {unfinished} 个错误是导入后待核对的标记，不是导入失败。对照原件核对 report.md 和 stats.yaml，处理完“需人工处理”各项后删去标记行，nianbao check 即可通过；核对期间可用 nianbao serve 或 nianbao check --allow-draft 预览和检查"
            );
        }
    }
}

/// The whole import report.
pub(super) fn render(outcome: &Outcome, dry_run: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "导入报告{}",
        if dry_run {
            "（试运行：没有写入任何文件）"
        } else {
            ""
        }
    );
    for r in &outcome.reports {
        render_report(&mut out, r);
    }
    if !outcome.failed.is_empty() {
        let _ = writeln!(out, "\n== 无法导入的文件 ==");
        for (path, why) in &outcome.failed {
            let _ = writeln!(out, "  - {}：{why}", path.display());
        }
    }
    batch_table(&mut out, outcome);
    let count = |s: &[Status]| {
        outcome
            .reports
            .iter()
            .filter(|r| s.contains(&r.status))
            .count()
    };
    let person: usize = outcome
        .reports
        .iter()
        .flat_map(|r| &r.sources)
        .flat_map(|s| &s.findings)
        .filter(|f| f.level == Level::Person)
        .count();
    let _ = writeln!(
        out,
        "\n汇总：{} {} 份报告，未写入 {} 份，无法导入的文件 {} 个；需人工处理 {person} 项。",
        if dry_run { "将创建" } else { "已创建" },
        count(&[Status::Created, Status::Replaced, Status::WouldCreate]),
        count(&[Status::Exists, Status::Invalid]),
        outcome.failed.len()
    );
    if !dry_run && count(&[Status::Created, Status::Replaced]) > 0 {
        out.push_str("数值都照原表导入；请逐项处理上面的“需人工处理”和“警告”，再运行 nianbao check 和 nianbao serve 核对。\n");
    }
    out
}

/// One row per file of the batch: imported, needs attention or refused, and why.
fn batch_table(out: &mut String, outcome: &Outcome) {
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let mut rows: Vec<(String, &str, String)> = Vec::new();
    for r in &outcome.reports {
        for s in &r.sources {
            let person = s
                .findings
                .iter()
                .filter(|f| f.level == Level::Person)
                .count();
            let (result, note) = match r.status {
                Status::Exists | Status::Invalid => ("未写入", status_line(r)),
                _ if person > 0 => (
                    "需人工处理",
                    format!("{}（{person} 项需人工处理）", r.folder),
                ),
                _ => ("已导入", r.folder.clone()),
            };
            rows.push((name(&s.path), result, note));
        }
    }
    for (path, why) in &outcome.failed {
        // The reason's first clause: the whole of it (with the townships it names) is listed
        // once, under 无法导入的文件.
        let first = why.split(['。', '；']).next().unwrap_or(why);
        rows.push((name(path), "无法导入", first.to_string()));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let width = rows
        .iter()
        .map(|r| unicode_width::UnicodeWidthStr::width(r.0.as_str()))
        .max()
        .unwrap_or(0)
        .max(4);
    let pad = |s: &str, w: usize| {
        let n = w.saturating_sub(unicode_width::UnicodeWidthStr::width(s));
        format!("{s}{}", " ".repeat(n))
    };
    let _ = writeln!(out, "\n== 本批文件一览（{} 个文件）==", rows.len());
    let _ = writeln!(out, "  {}  {}  说明", pad("文件", width), pad("结果", 10));
    for (file, result, note) in &rows {
        let _ = writeln!(out, "  {}  {}  {note}", pad(file, width), pad(result, 10));
    }
}
