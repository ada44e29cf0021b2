//! `content/townships.yaml`: the township registry.

use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use super::fields::FieldReader;
use super::yaml::{self, KeyIndex, type_name};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Township;

/// The registry file, relative to the site root.
pub(crate) const TOWNSHIPS_FILE: &str = "content/townships.yaml";

const KEYS: &[&str] = &[
    "slug", "name", "kind", "code", "order", "formerly", "since", "until",
];

/// Whether a slug is ASCII lower case, digits and single inner hyphens.
pub(crate) fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// Parse the registry text; problems go to `diagnostics`.
pub(crate) fn parse(text: &str, diagnostics: &mut Diagnostics) -> Vec<Township> {
    let file = TOWNSHIPS_FILE;
    let value = match yaml::parse(text, file, 0) {
        Ok(v) => v,
        Err(d) => {
            diagnostics.push(d);
            return Vec::new();
        }
    };
    let keys = KeyIndex::scan(text, 0);
    let items = match value {
        Value::Sequence(items) => items,
        Value::Null => Vec::new(),
        other => {
            diagnostics.push(
                Diagnostic::error(
                    "townships.shape",
                    file,
                    format!(
                        "乡镇名录应为列表（每个乡镇一项，以“- slug:”开头），这里是{}",
                        type_name(&other)
                    ),
                )
                .at_line(1),
            );
            return Vec::new();
        }
    };
    let mut townships = Vec::with_capacity(items.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let mut reader = FieldReader {
            file,
            keys: &keys,
            path: format!("[{i}]"),
            diagnostics,
        };
        if let Some(t) = parse_entry(&mut reader, item, i) {
            let line = keys.locate(&format!("[{i}].slug")).line;
            let folded = t.slug.to_lowercase();
            if let Some(first) = seen.insert(folded, line) {
                diagnostics.push(
                    Diagnostic::error(
                        "townships.duplicate",
                        file,
                        format!("乡镇代号「{}」重复登记（第 {first} 行已登记过）", t.slug),
                    )
                    .at_line(line)
                    .field(format!("[{i}].slug"))
                    .hint("每个乡镇只登记一次；合并或改名的乡镇请用 formerly 记录旧代号"),
                );
                continue;
            }
            townships.push(t);
        }
    }
    if townships.is_empty() && !diagnostics.has_errors() {
        diagnostics.push(
            Diagnostic::error("townships.empty", file, "乡镇名录是空的")
                .at_line(1)
                .hint(
                    "至少登记一个乡镇，例如：- slug: beijinggang\n    name: 北景港镇\n    kind: 镇",
                ),
        );
    }
    townships
}

fn parse_entry(r: &mut FieldReader<'_>, item: &Value, i: usize) -> Option<Township> {
    let Value::Mapping(map) = item else {
        let d = Diagnostic::error(
            "townships.shape",
            r.file,
            format!(
                "第 {} 个乡镇应为“键: 值”的形式，这里是{}",
                i + 1,
                type_name(item)
            ),
        )
        .at(Some(r.keys.locate(&r.path)));
        r.diagnostics.push(d);
        return None;
    };
    r.check_keys(map, KEYS, "乡镇登记");
    let mut ok = true;
    let mut required = |r: &mut FieldReader<'_>, key: &str, label: &str| {
        let value = r.text(map, key);
        if value.is_none() {
            ok = false;
            let d = r
                .error(
                    "townships.missing",
                    key,
                    format!("乡镇登记缺少{label}「{key}」"),
                )
                .hint(format!(
                    "每个乡镇都要写 slug、name 和 kind（第 {} 项）",
                    i + 1
                ));
            r.diagnostics.push(d);
        }
        value.unwrap_or_default()
    };
    let slug = required(r, "slug", "代号");
    let name = required(r, "name", "名称");
    let kind = required(r, "kind", "类别");
    if !slug.is_empty() && !is_valid_slug(&slug) {
        ok = false;
        let d = r
            .error(
                "townships.slug",
                "slug",
                format!("乡镇代号「{slug}」不合规"),
            )
            .hint("代号只能用小写英文字母、数字和连字符，例如 beijinggang 或 zhangjia-zhen");
        r.diagnostics.push(d);
    }
    if name.starts_with(['=', '+', '-', '@']) {
        // The name goes into the CSV downloads, where Excel would run it as a formula.
        ok = false;
        let d = r
            .error(
                "townships.name",
                "name",
                format!("乡镇名称「{name}」不能以 = + - @ 开头"),
            )
            .hint("这样开头的文字在 Excel 中打开数据文件时会被当作公式执行；写乡镇的正式名称");
        r.diagnostics.push(d);
    }
    let code = r.text(map, "code");
    let order = match map.get("order") {
        None | Some(Value::Null) => i as i64,
        Some(Value::Number(n)) if n.is_i64() => n.as_i64().unwrap_or_default(),
        Some(other) => {
            let d = r
                .error(
                    "townships.order",
                    "order",
                    format!("显示顺序 order 应为整数，这里是{}", type_name(other)),
                )
                .hint("写一个整数，例如 order: 10；数字小的排在前面");
            r.diagnostics.push(d);
            i as i64
        }
    };
    let formerly = match map.get("formerly") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(other) => {
            let d = r.error(
                "townships.formerly",
                "formerly",
                format!("formerly 应为旧代号的列表，这里是{}", type_name(other)),
            );
            r.diagnostics.push(d);
            Vec::new()
        }
    };
    let since = year_field(r, map, "since", "设立年份");
    let until = year_field(r, map, "until", "撤并年份");
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        ok = false;
        let d = r
            .error(
                "townships.years",
                "until",
                format!("撤并年份 until（{u}）早于设立年份 since（{s}）"),
            )
            .hint("since 写第一个需要发布年报的年度，until 写最后一个；不确定就不写");
        r.diagnostics.push(d);
    }
    ok.then_some(Township {
        slug,
        name,
        kind,
        code,
        order,
        formerly,
        since,
        until,
    })
}

/// `since` / `until`: a report year, or absent.
fn year_field(r: &mut FieldReader<'_>, map: &Mapping, key: &str, label: &str) -> Option<u16> {
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_u64().is_some_and(|y| (1990..=2999).contains(&y)) => {
            n.as_u64().and_then(|y| u16::try_from(y).ok())
        }
        Some(other) => {
            let shown = match other {
                Value::Number(n) => n.to_string(),
                Value::String(s) => format!("「{s}」"),
                _ => type_name(other).to_string(),
            };
            let d = r
                .error(
                    "townships.year",
                    key,
                    format!("{label} {key} 应为四位数的年度，这里是{shown}"),
                )
                .hint(format!("例如 {key}: 2016（报告年度，不加引号）"));
            r.diagnostics.push(d);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_in_order() {
        let mut ds = Diagnostics::new();
        let t = parse(
            "- slug: a\n  name: 甲镇\n  kind: 镇\n  order: 20\n- slug: b\n  name: 乙乡\n  kind: 乡\n",
            &mut ds,
        );
        assert!(ds.is_empty(), "{ds:?}");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].order, 20);
        assert_eq!(t[1].name, "乙乡");
    }

    #[test]
    fn duplicate_slug_names_the_second_line() {
        let mut ds = Diagnostics::new();
        parse(
            "- slug: a\n  name: 甲\n  kind: 镇\n- slug: a\n  name: 乙\n  kind: 镇\n",
            &mut ds,
        );
        let d = ds.iter().find(|d| d.code == "townships.duplicate").unwrap();
        assert_eq!(d.location.unwrap().line, 4);
    }

    #[test]
    fn slug_rules() {
        assert!(is_valid_slug("beijinggang"));
        assert!(is_valid_slug("zhang-jia2"));
        assert!(!is_valid_slug("Beijinggang"));
        assert!(!is_valid_slug("北景港"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("-a"));
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let mut ds = Diagnostics::new();
        parse("- slug: a\n  name: 甲\n  kind: 镇\n  nmae: x\n", &mut ds);
        let d = ds.iter().find(|d| d.code == "field.unknown").unwrap();
        assert_eq!(d.location.unwrap().line, 4);
        assert_eq!(d.field.as_deref(), Some("[0].nmae"));
    }
}
