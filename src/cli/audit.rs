//! `nianbao audit`: the oversight table for the 政务公开办 — who is missing, who is late, whose
//! table breaks the rules, what is not yet due — as of a date, as text, JSON, CSV or Excel, with
//! an exit code for their CI.

use nianbao::site::Site;
use nianbao::site::audit::{Audit, Cell, Status};

use super::*;

/// How `audit` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum AuditFormat {
    /// A summary per year and the cells that need attention.
    Human,
    /// One JSON document.
    Json,
    /// The rows of audit.csv (UTF-8 with BOM).
    Csv,
    /// audit.xlsx (needs --output).
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 按哪一天统计（YYYY-MM-DD，默认今天）：公开期限在这天之后、尚未发布的计为“未到期”，不算未发布
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    as_of: Option<chrono::NaiveDate>,
    /// 只看这一个年度（报告年度，例如 2023）
    #[arg(long, value_name = "YEAR")]
    year: Option<u16>,
    /// 只看这一个乡镇（乡镇代号，见 content/townships.yaml）
    #[arg(long, value_name = "SLUG")]
    township: Option<String>,
    /// 输出格式：human（默认）、json、csv（与网站上的 audit.csv 相同）或 xlsx（须同时用 --output）
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    format: AuditFormat,
    /// 从严：逾期、日期未注明和任何警告也算不通过（返回 1）
    #[arg(long)]
    strict: bool,
    /// 写入这个文件，而不是打印出来（Windows PowerShell 的 `>` 会改变文件编码）
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let options = Options {
        as_of: args.as_of,
        ..Options::default()
    };
    let (site, diagnostics) = match nianbao::build::load_for_audit(root, &options) {
        Ok(loaded) => loaded,
        Err(Failure::Content(d)) => {
            print_diagnostics(root, &d, None);
            eprintln!("失败：无法读取站点设置或乡镇名录，不能督查。");
            return EXIT_CONTENT;
        }
        Err(Failure::Usage(message)) => {
            eprintln!("错误: {message}");
            return EXIT_USAGE;
        }
        Err(Failure::Output(e)) => {
            eprintln!("错误: {e}");
            return EXIT_CONTENT;
        }
    };
    let mut audit = nianbao::site::audit::audit(&site);
    audit.count_findings(&site, &diagnostics);
    let audit = match select(&site, &audit, &args) {
        Ok(audit) => audit,
        Err(message) => {
            eprintln!("错误: {message}");
            return EXIT_USAGE;
        }
    };
    let failing = audit.cells().filter(|c| fails(c, args.strict)).count();
    let document = match args.format {
        AuditFormat::Human => Ok(human(&site, &audit, global.quiet).into_bytes()),
        AuditFormat::Json => Ok(json(&site, &audit).into_bytes()),
        AuditFormat::Csv => Ok(nianbao::export::audit::csv(&site, &audit)),
        AuditFormat::Xlsx if args.output.is_none() => {
            eprintln!("错误: --format xlsx 须同时用 --output 指定文件，例如 --output 督查.xlsx");
            return EXIT_USAGE;
        }
        AuditFormat::Xlsx => nianbao::export::audit::xlsx(&site, &audit)
            .map_err(|e| format!("无法生成 Excel 文件：{e}")),
    };
    let written =
        document.and_then(|bytes| write_out(args.output.as_deref(), &bytes, global.quiet));
    if let Err(message) = written {
        eprintln!("错误: {message}");
        return EXIT_CONTENT;
    }
    let verdict = if failing > 0 {
        format!(
            "督查未通过：{failing} 处需要处理{}。",
            if args.strict {
                "（--strict：逾期、日期未注明和警告也计入）"
            } else {
                "（未发布或有错误）"
            }
        )
    } else {
        "督查通过：应发布的报告都已发布，没有错误。".to_string()
    };
    if !global.quiet {
        eprintln!("{verdict}");
    }
    if failing > 0 { EXIT_CONTENT } else { EXIT_OK }
}

/// The audit narrowed to `--year` and `--township`, or why they name nothing audited.
fn select(site: &Site, audit: &Audit, args: &Args) -> Result<Audit, String> {
    let township = match &args.township {
        None => None,
        Some(slug) => Some(
            site.townships
                .iter()
                .position(|t| &t.slug == slug)
                .ok_or_else(|| {
                    let known: Vec<&str> = site.townships.iter().map(|t| t.slug.as_str()).collect();
                    format!(
                        "乡镇名录中没有代号「{slug}」（已登记：{}）",
                        known.join(", ")
                    )
                })?,
        ),
    };
    audit
        .only(args.year, |t| township.is_none_or(|only| only == t))
        .ok_or_else(|| {
            let year = args.year.unwrap_or_default();
            let range = match (audit.years.last(), audit.years.first()) {
                (Some(first), Some(last)) => format!("{first}—{last}"),
                _ => "无".to_string(),
            };
            let as_of = audit
                .as_of
                .map(|d| format!("截至 {d}"))
                .unwrap_or_default();
            format!("{year} 年度不在督查范围内（{as_of}督查的年度：{range}；当年的报告次年才到期，可用 --as-of 换一个统计日）")
        })
}

/// Whether a cell makes the audit fail: a missing report or an error always; with `strict`
/// also lateness, an unknown date and any warning.
fn fails(c: &Cell, strict: bool) -> bool {
    let always = c.status == Status::Missing || c.errors > 0;
    let strict_only = matches!(c.status, Status::Late(_) | Status::DateUnknown) || c.warnings > 0;
    always || (strict && strict_only)
}

/// The text report: the as-of line, a summary per year and the cells that need attention;
/// `quiet` keeps only the cells that make the audit fail (missing, errors).
fn human(site: &Site, audit: &Audit, quiet: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if !quiet && let Some(as_of) = audit.as_of {
        let _ = writeln!(
            out,
            "督查截至 {as_of}（公开期限在此之后、尚未发布的计为“未到期”）"
        );
    }
    for (i, s) in audit.summaries.iter().enumerate() {
        let due = site.config.deadlines.due(s.year);
        if !quiet {
            let _ = writeln!(
                out,
                "{} 年度：已发布 {}/{}，按时 {}/{}，逾期 {}，日期未注明 {}，未发布 {}，未到期 {}（公开期限 {}{}）",
                s.year,
                s.published,
                s.required,
                s.on_time,
                s.required,
                s.late,
                s.date_unknown,
                s.missing,
                s.not_due,
                due.as_ref().map(|d| d.date.to_string()).unwrap_or_default(),
                due.map(|d| format!("，{}", d.basis)).unwrap_or_default(),
            );
        }
        for row in &audit.rows {
            let c = &row[i];
            let notes = notes(c);
            if notes.is_empty() || (quiet && c.errors == 0 && c.status != Status::Missing) {
                continue;
            }
            let t = &site.townships[c.township];
            let year = if quiet {
                format!("{} 年度 ", c.year)
            } else {
                "  ".to_string()
            };
            let _ = writeln!(
                out,
                "{year}{}（{}）：{}　content/{}/{}/",
                t.name,
                t.slug,
                notes.join("，"),
                c.year,
                t.slug
            );
        }
    }
    out
}

/// What a cell needs attention for, in words.
fn notes(c: &Cell) -> Vec<String> {
    let mut notes = Vec::new();
    if matches!(
        c.status,
        Status::Late(_) | Status::Missing | Status::DateUnknown
    ) {
        notes.push(c.status.text());
    }
    if c.errors > 0 {
        notes.push(format!("{} 个错误", c.errors));
    }
    match (c.warnings, c.rule_warnings) {
        (0, _) => {}
        (w, 0) => notes.push(format!("{w} 条警告")),
        (w, r) => notes.push(format!("{w} 条警告（其中 {r} 条统计表核对提示）")),
    }
    if c.has_report() && !c.has_table {
        notes.push("无统计表".to_string());
    }
    notes
}

/// Write a document to `output`, or to stdout.
fn write_out(output: Option<&Path>, bytes: &[u8], quiet: bool) -> Result<(), String> {
    use std::io::Write;
    match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
            if !quiet {
                eprintln!("已写入 {}（{} 字节）。", path.display(), bytes.len());
            }
            Ok(())
        }
        None => std::io::stdout()
            .lock()
            .write_all(bytes)
            .map_err(|e| format!("无法写到标准输出：{e}")),
    }
}

fn json(site: &Site, audit: &Audit) -> String {
    let doc = serde_json::json!({
        "as_of": audit.as_of.map(|d| d.to_string()),
        "years": nianbao::export::audit::json_years(site, audit),
        // The same fields as audit.csv, typed.
        "cells": nianbao::export::audit::json_cells(site, audit),
    });
    // A `Value` of strings, numbers and nulls always serialises.
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
