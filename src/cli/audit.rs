//! `nianbao audit`: the oversight table for the 政务公开办 — who is missing, who is late, whose
//! table breaks the rules — as text, JSON or CSV, with an exit code for their CI.

use nianbao::site::Site;
use nianbao::site::audit::{Audit, Cell, Status};

use super::*;

/// How `audit` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum AuditFormat {
    /// A summary per year and the cells that need attention, on stdout.
    Human,
    /// One JSON document on stdout.
    Json,
    /// The rows of audit.csv on stdout (UTF-8 with BOM).
    Csv,
}

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 只看这一个年度（报告年度，例如 2023）
    #[arg(long, value_name = "YEAR")]
    year: Option<u16>,
    /// 输出格式：human（默认）、json 或 csv（与网站上的 audit.csv 相同）
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    format: AuditFormat,
    /// 从严：逾期、日期未注明和统计表核对提示也算不通过（返回 1）
    #[arg(long)]
    strict: bool,
    /// 把 json 或 csv 写入这个文件，而不是打印出来（Windows PowerShell 的 `>` 会改变文件编码）
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let options = Options {
        base_url: None,
        strict: false,
        allow_draft: false,
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
    audit.count_errors(&site, &diagnostics);
    if let Some(year) = args.year {
        let Some(i) = audit.years.iter().position(|&y| y == year) else {
            let known: Vec<String> = audit.years.iter().map(u16::to_string).collect();
            eprintln!(
                "错误: 站点中没有 {year} 年度（有报告的年度范围：{}）",
                if known.is_empty() {
                    "无".to_string()
                } else {
                    format!("{}—{}", known[known.len() - 1], known[0])
                }
            );
            return EXIT_USAGE;
        };
        audit = only_year(audit, i);
    }
    let document = match args.format {
        AuditFormat::Human => {
            if args.output.is_some() {
                eprintln!("错误: --output 只用于 --format json 或 csv");
                return EXIT_USAGE;
            }
            print_human(&site, &audit, global.quiet);
            None
        }
        AuditFormat::Json => Some(json(&site, &audit).into_bytes()),
        AuditFormat::Csv => Some(nianbao::export::audit::csv(&site, &audit)),
    };
    if let Some(bytes) = document
        && let Err(message) = write_out(args.output.as_deref(), &bytes, global.quiet)
    {
        eprintln!("错误: {message}");
        return EXIT_CONTENT;
    }
    let failing = audit
        .rows
        .iter()
        .flatten()
        .filter(|c| fails(c, args.strict))
        .count();
    if failing > 0 {
        if !global.quiet && args.format == AuditFormat::Human {
            eprintln!(
                "督查未通过：{failing} 处需要处理{}。",
                if args.strict {
                    "（--strict：逾期、日期未注明和核对提示也计入）"
                } else {
                    "（未发布或有错误）"
                }
            );
        }
        EXIT_CONTENT
    } else {
        if !global.quiet && args.format == AuditFormat::Human {
            eprintln!("督查通过：应发布的报告都已发布，没有错误。");
        }
        EXIT_OK
    }
}

/// Whether a cell makes the audit fail: a missing report or an error always; with `strict`
/// also lateness, an unknown date and rule warnings.
fn fails(c: &Cell, strict: bool) -> bool {
    let always = c.status == Status::Missing || c.errors > 0;
    let strict_only =
        matches!(c.status, Status::Late(_) | Status::DateUnknown) || c.rule_warnings > 0;
    always || (strict && strict_only)
}

fn only_year(audit: Audit, i: usize) -> Audit {
    Audit {
        years: vec![audit.years[i]],
        rows: audit
            .rows
            .into_iter()
            .map(|row| row.into_iter().skip(i).take(1).collect())
            .collect(),
        summaries: vec![audit.summaries[i]],
    }
}

fn print_human(site: &Site, audit: &Audit, quiet: bool) {
    for (i, s) in audit.summaries.iter().enumerate() {
        let due = site.config.deadlines.due(s.year);
        println!(
            "{} 年度：已发布 {}/{}，按时 {}/{}，逾期 {}，日期未注明 {}，未发布 {}（公开期限 {}{}）",
            s.year,
            s.published,
            s.required,
            s.on_time,
            s.required,
            s.late,
            s.date_unknown,
            s.missing,
            due.as_ref().map(|d| d.date.to_string()).unwrap_or_default(),
            due.map(|d| format!("，{}", d.basis)).unwrap_or_default(),
        );
        for row in &audit.rows {
            let c = &row[i];
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
            if c.rule_warnings > 0 {
                notes.push(format!("{} 条核对提示", c.rule_warnings));
            }
            if notes.is_empty() || (quiet && c.errors == 0 && c.status != Status::Missing) {
                continue;
            }
            let t = &site.townships[c.township];
            println!(
                "  {}（{}）：{}　content/{}/{}/",
                t.name,
                t.slug,
                notes.join("，"),
                c.year,
                t.slug
            );
        }
    }
}

/// Write a machine-readable document to `output`, or to stdout.
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
    let years: Vec<serde_json::Value> = audit
        .summaries
        .iter()
        .map(|s| {
            let due = site.config.deadlines.due(s.year);
            serde_json::json!({
                "year": s.year,
                "deadline": due.as_ref().map(|d| d.date.to_string()),
                "basis": due.map(|d| d.basis),
                "required": s.required,
                "published": s.published,
                "on_time": s.on_time,
                "late": s.late,
                "date_unknown": s.date_unknown,
                "missing": s.missing,
            })
        })
        .collect();
    let cells: Vec<serde_json::Value> = audit
        .rows
        .iter()
        .flatten()
        .map(|c| {
            let t = &site.townships[c.township];
            let report = c.report.is_some();
            serde_json::json!({
                "year": c.year,
                "township": t.slug,
                "name": t.name,
                "status": c.status.code(),
                "published": c.published.map(|d| d.to_string()),
                "deadline": c.due.as_ref().map(|d| d.date.to_string()),
                "days_late": match c.status {
                    Status::Late(days) => Some(days),
                    Status::OnTime => Some(0),
                    _ => None,
                },
                "errors": c.errors,
                "warnings": report.then_some(c.rule_warnings),
                "blank_cells": report.then_some(c.blank_cells),
                "total_cells": report.then_some(c.total_cells),
            })
        })
        .collect();
    let doc = serde_json::json!({ "years": years, "cells": cells });
    // A `Value` of strings, numbers and nulls always serialises.
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
