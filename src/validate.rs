//! Plausibility checks on loaded content: the format's consistency rules and the report dates.
//!
//! Everything here is a warning: real reports break these rules and must still be published
//! exactly as printed. `check --strict` turns them into errors.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::schema::{Format, Rule, RuleKind};
use crate::site::{Figure, Report, RuleFinding, Stats};

/// Evaluate every rule of the stats' format, recording findings and warnings.
/// `locate` gives the position of a key path (`values.<id>`) in the file.
pub fn check_stats(
    stats: &mut Stats,
    file: &str,
    locate: impl Fn(&str) -> crate::diagnostics::Location,
    diagnostics: &mut Diagnostics,
) {
    let format = stats.format;
    for rule in &format.rules {
        let Some(mut finding) = evaluate(rule, &stats.values) else {
            continue;
        };
        finding.message = rule_message(format, rule, &finding);
        let first = rule
            .left
            .first()
            .map(|&i| format.cells[i].id.as_str())
            .unwrap_or_default();
        diagnostics.push(
            Diagnostic::warning("stats.rule", file, finding.message.clone())
                .at(Some(locate(&format!("values.{first}"))))
                .field(first)
                .hint(rule_hint(rule)),
        );
        stats.findings.push(finding);
    }
}

/// Check one rule; `Some` when it does not hold. Blank cells are left out of the sums, and a rule
/// with no reported cell on one side is not checked at all (blank is not 0).
pub fn evaluate(rule: &Rule, values: &[Option<Figure>]) -> Option<RuleFinding> {
    let sum = |cells: &[usize]| -> (Option<Decimal>, usize) {
        let mut blanks = 0;
        let mut total: Option<Decimal> = None;
        for &i in cells {
            match values[i] {
                Some(v) => total = Some(total.unwrap_or_default() + v),
                None => blanks += 1,
            }
        }
        (total, blanks)
    };
    let (left, left_blanks) = sum(&rule.left);
    let left = left?;
    let (right, right_blanks) = if rule.right.is_empty() {
        (Some(Decimal::ZERO), 0)
    } else {
        sum(&rule.right)
    };
    let right = right?;
    if rule.op.holds(left, right) {
        return None;
    }
    Some(RuleFinding {
        rule: rule.id.clone(),
        instance: rule.instance.clone(),
        title: rule.title.clone(),
        left,
        op: rule.op,
        right,
        blanks: left_blanks + right_blanks,
        message: String::new(),
        cell: rule.left.first().copied().unwrap_or_default(),
        soft: rule.kind == RuleKind::Soft,
    })
}

/// `不满足参考规则 A-R13：…（甲 ≤ 乙），实际 97 > 85`.
pub(crate) fn rule_message(format: &Format, rule: &Rule, f: &RuleFinding) -> String {
    // Long sums (a column of 21 rows) are named by the rule's title alone.
    let side = |cells: &[usize]| -> String {
        match cells {
            [] => "0".to_string(),
            _ if cells.len() > 3 => format!("{} 项之和", cells.len()),
            _ => cells
                .iter()
                .map(|&i| short_label(&format.cells[i].label))
                .collect::<Vec<_>>()
                .join(" + "),
        }
    };
    let instance = f
        .instance
        .as_deref()
        .map(|i| format!("（{}）", instance_label(format, rule, i)))
        .unwrap_or_default();
    let blanks = if f.blanks > 0 {
        format!("（{} 个空白项未计入）", f.blanks)
    } else {
        String::new()
    };
    let kind = if rule.kind == RuleKind::Soft {
        "参考"
    } else {
        ""
    };
    format!(
        "不满足{kind}规则 {}{instance}：{}（{} {} {}），实际 {} {} {}{blanks}",
        f.rule,
        f.title,
        side(&rule.left),
        f.op.symbol(),
        side(&rule.right),
        f.left,
        violated_symbol(f.left, f.right),
        f.right,
    )
}

/// The printed name of a per-column or per-row rule instance: `natural_person` → 自然人.
fn instance_label(format: &Format, rule: &Rule, instance: &str) -> String {
    let Some(&first) = rule.left.first() else {
        return instance.to_string();
    };
    let cell = &format.cells[first];
    let parts: Vec<&str> = cell.label.split(" / ").collect();
    let label = if cell.id.ends_with(&format!(".{instance}")) {
        parts.last()
    } else {
        parts.first()
    };
    label.map_or_else(|| instance.to_string(), |l| short_label(l).to_string())
}

fn violated_symbol(left: Decimal, right: Decimal) -> &'static str {
    match left.cmp(&right) {
        std::cmp::Ordering::Less => "<",
        std::cmp::Ordering::Equal => "=",
        std::cmp::Ordering::Greater => ">",
    }
}

fn short_label(label: &str) -> &str {
    label.split(" (").next().unwrap_or(label)
}

fn rule_hint(rule: &Rule) -> String {
    match rule.kind {
        RuleKind::Hard => {
            "按表格定义这条关系应当成立：请核对原表；若原表确实如此，照原样发布即可".to_string()
        }
        RuleKind::Soft => "这条关系通常成立，但实际中可能有例外：请核对原表".to_string(),
    }
}

/// Date plausibility of a report: form filled after the year, published after the year and on time.
pub(crate) fn check_report_dates(
    report: &Report,
    due: Option<&crate::dates::Due>,
    file: &str,
    locate: impl Fn(&str) -> crate::diagnostics::Location,
    diagnostics: &mut Diagnostics,
) {
    let year = i32::from(report.year);
    let Some(year_end) = NaiveDate::from_ymd_opt(year, 12, 31) else {
        return;
    };
    let meta = &report.meta;
    if let Some(filled) = meta.form.as_ref().and_then(|f| f.filled)
        && filled < year_end
    {
        diagnostics.push(
            Diagnostic::warning(
                "report.filled-early",
                file,
                format!(
                    "填报日期 {filled} 早于统计年度结束（{year_end}），表中数据可能不是全年数据"
                ),
            )
            .at(Some(locate("form.filled")))
            .field("form.filled")
            .hint("核对原表的填报日期；若原表确实如此，照原样保留"),
        );
    }
    // An unknown date (`published: ~`) was reported when the front matter was read.
    let Some(published) = meta.published else {
        return;
    };
    if published <= year_end {
        diagnostics.push(
            Diagnostic::warning(
                "report.published-early",
                file,
                format!("公开日期 {} 早于统计年度结束（{year_end}）", published),
            )
            .at(Some(locate("published")))
            .field("published")
            .hint("核对公开日期和报告所在的年度目录"),
        );
    } else if let Some(due) = due
        && published > due.date
    {
        diagnostics.push(
            Diagnostic::warning(
                "report.published-late",
                file,
                format!(
                    "公开日期 {published} 晚于公开期限 {}（{}），逾期 {} 天",
                    due.date,
                    due.basis,
                    (published - due.date).num_days()
                ),
            )
            .at(Some(locate("published")))
            .field("published")
            .hint("核对公开日期；逾期公开的报告照常发布"),
        );
    }
    if let Some(generated) = meta.generated
        && generated > published
        && generated.year() == published.year()
    {
        diagnostics.push(
            Diagnostic::warning(
                "report.generated-late",
                file,
                format!("生成日期 {generated} 晚于公开日期 {}", published),
            )
            .at(Some(locate("generated")))
            .field("generated"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;

    fn values(format: &Format, set: &[(&str, i64)]) -> Vec<Option<Figure>> {
        let mut v = vec![None; format.cells.len()];
        for (id, n) in set {
            v[format.cell_index(id).unwrap()] = Some(Decimal::from(*n));
        }
        v
    }

    fn rule<'a>(format: &'a Format, id: &str) -> &'a Rule {
        format.rules.iter().find(|r| r.id == id).unwrap()
    }

    #[test]
    fn seed_breaks_a_r13_with_both_sides() {
        let a = schema::format("gov-2014").unwrap();
        let v = values(
            a,
            &[
                ("proactive.normative_docs_published", 97),
                ("proactive.normative_docs_issued", 85),
            ],
        );
        let f = evaluate(rule(a, "A-R13"), &v).unwrap();
        assert_eq!((f.left, f.right), (Decimal::from(97), Decimal::from(85)));
        let msg = rule_message(a, rule(a, "A-R13"), &f);
        assert!(msg.contains("97 > 85"), "{msg}");
        assert!(msg.contains("A-R13"));
    }

    #[test]
    fn blanks_are_left_out_and_all_blank_skips() {
        let a = schema::format("gov-2014").unwrap();
        let r2 = rule(a, "A-R2");
        let v = values(
            a,
            &[
                ("proactive.total", 147),
                ("proactive.channels.wechat", 124),
                ("proactive.channels.other", 23),
            ],
        );
        assert!(evaluate(r2, &v).is_none());
        let v = values(
            a,
            &[("proactive.total", 147), ("proactive.channels.wechat", 100)],
        );
        let f = evaluate(r2, &v).unwrap();
        assert_eq!(f.blanks, 4);
        let v = values(a, &[("proactive.total", 147)]);
        assert!(
            evaluate(r2, &v).is_none(),
            "no channel reported: not checked"
        );
    }

    #[test]
    fn per_column_rules_are_checked_per_column() {
        let b = schema::format("gov-2019").unwrap();
        let v = values(
            b,
            &[
                ("apps.new_received.total", 10),
                ("apps.carried_over.total", 2),
                ("apps.outcome.total.total", 9),
                ("apps.carry_forward.total", 2),
            ],
        );
        let broken: Vec<_> = b.rules.iter().filter_map(|r| evaluate(r, &v)).collect();
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].instance.as_deref(), Some("total"));
        assert_eq!(
            (broken[0].left, broken[0].right),
            (Decimal::from(12), Decimal::from(11))
        );
    }

    #[test]
    fn constant_zero_right_side() {
        let c = schema::format("gov-2021").unwrap();
        let v = values(c, &[("art20_1.regulations.valid", 6)]);
        let broken: Vec<_> = c.rules.iter().filter_map(|r| evaluate(r, &v)).collect();
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].rule, "BC-R5");
    }
}
