//! `stats.yaml`: a report's statistics table, typed against its format's catalog.

use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_yaml::{Mapping, Value};

use super::yaml::{self, KeyIndex, type_name};
use super::{ReadError, read_content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::schema::{self, Cell, Format};
use crate::site::{Figure, Stats};
use crate::validate;

const KEYS: &[&str] = &["format", "values"];
/// Deeper nesting than any catalog id has is a mistake, not a table.
const MAX_DEPTH: usize = 12;

/// Load the stats file of a report; `None` when there is none or it has errors (reported).
pub(crate) fn load(path: &Path, file: &str, diagnostics: &mut Diagnostics) -> Option<Stats> {
    let text = match read_content(path, file, diagnostics) {
        Ok(t) => t,
        Err(ReadError::Missing) => return None,
        Err(e) => {
            diagnostics.push(e.diagnostic(file));
            return None;
        }
    };
    parse(&text, file, diagnostics)
}

/// Parse and type the text of a stats file.
pub fn parse(text: &str, file: &str, diagnostics: &mut Diagnostics) -> Option<Stats> {
    let Some(mut stats) = read_plain(text) else {
        return parse_yaml(text, file, diagnostics);
    };
    // A broken sum rule is a warning at the first indicator of the rule: the plain file's
    // key positions are enough, without the YAML parser.
    if !rules_hold(&stats) {
        let keys = KeyIndex::scan(text, 0);
        validate::check_stats(&mut stats, file, |k| keys.locate(k), diagnostics);
    }
    Some(stats)
}

/// The full path: any YAML, every problem reported with its position. Public (with
/// [`parse_plain`]) so the fuzz target can check that both paths read the same numbers.
pub fn parse_yaml(text: &str, file: &str, diagnostics: &mut Diagnostics) -> Option<Stats> {
    let value = match yaml::parse(text, file, 0) {
        Ok(v) => v,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let keys = KeyIndex::scan(text, 0);
    let Value::Mapping(map) = value else {
        diagnostics.push(
            Diagnostic::error(
                "stats.shape",
                file,
                format!(
                    "统计表文件应以 format: 和 values: 两项组成，这里是{}",
                    type_name(&value)
                ),
            )
            .at_line(1)
            .hint("参照示例：第一行 format: gov-2014，下面 values: 后逐行写“指标: 数值”"),
        );
        return None;
    };
    let mut reader = super::fields::FieldReader {
        file,
        keys: &keys,
        path: String::new(),
        diagnostics,
    };
    reader.check_keys(&map, KEYS, "统计表文件");
    let format = read_format(&map, file, &keys, diagnostics)?;
    let before = diagnostics.error_count();
    let mut typer = Typer {
        format,
        file,
        keys: &keys,
        diagnostics,
        values: vec![None; format.cells.len()],
    };
    match map.get("values") {
        Some(Value::Mapping(values)) => typer.flatten(values, "", 0),
        None | Some(Value::Null) => {}
        Some(other) => {
            let d = Diagnostic::error(
                "stats.values",
                file,
                format!("values 应为“指标: 数值”的列表，这里是{}", type_name(other)),
            )
            .at(Some(keys.locate("values")))
            .field("values");
            typer.diagnostics.push(d);
        }
    }
    let values = typer.values;
    if diagnostics.error_count() > before {
        return None;
    }
    let mut stats = Stats {
        format,
        values,
        findings: Vec::new(),
    };
    validate::check_stats(&mut stats, file, |k| keys.locate(k), diagnostics);
    Some(stats)
}

/// The fast path for the common, clean case: the file is only `format: …`, `values:` and
/// `  id: number-or-~` lines (what scaffolds and the generator write), every id is known, every
/// value fits its cell and no rule is broken. Anything else (other YAML, a problem to report)
/// returns `None` and goes through the full YAML parser, which also gives the positions for the
/// messages. Only forms whose YAML meaning is unambiguous are accepted (no leading zeros, no
/// exponents, no quotes), so both paths read the same numbers.
pub fn parse_plain(text: &str) -> Option<Stats> {
    read_plain(text).filter(rules_hold)
}

/// Whether every consistency rule of its format holds for `stats`.
fn rules_hold(stats: &Stats) -> bool {
    stats
        .format
        .rules
        .iter()
        .all(|r| validate::evaluate(r, &stats.values).is_none())
}

/// [`parse_plain`] without the consistency rules: the figures of a plain file, whose only
/// possible findings are broken rules (reported by [`parse`] as the full path reports them).
pub fn read_plain(text: &str) -> Option<Stats> {
    let mut lines = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.trim_start().starts_with('#'));
    let format = schema::format(lines.next()?.strip_prefix("format: ")?.trim())?;
    if lines.next()? != "values:" {
        return None;
    }
    let mut values: Vec<Option<Figure>> = vec![None; format.cells.len()];
    let mut seen = vec![false; format.cells.len()];
    // Files list the cells in the format's order: the next cell is tried before the lookup.
    let mut next = 0;
    for line in lines {
        let entry = line.strip_prefix("  ")?;
        let (key, rest) = split_key(entry)?;
        let raw = match comment_start(rest) {
            Some(i) => rest[..i].trim_end(),
            None => rest,
        };
        let index = match format.cells.get(next) {
            Some(cell) if cell.id == key => next,
            _ => format.cell_index(key)?,
        };
        next = index + 1;
        if std::mem::replace(&mut seen[index], true) {
            return None;
        }
        let cell = &format.cells[index];
        values[index] = match raw {
            "~" => None,
            _ if cell.heading => return None,
            _ => Some(plain_number(raw, cell)?),
        };
    }
    Some(Stats {
        format,
        values,
        findings: Vec::new(),
    })
}

/// `key: rest` split at the first `": "`, as `split_once(": ")` does; a byte search, as this runs
/// for every line of every table.
fn split_key(entry: &str) -> Option<(&str, &str)> {
    let bytes = entry.as_bytes();
    memchr::memchr_iter(b':', bytes)
        .find(|&i| bytes.get(i + 1) == Some(&b' '))
        .map(|i| (&entry[..i], &entry[i + 2..]))
}

/// Where ` #` (a comment after a value) starts in `rest`.
fn comment_start(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    memchr::memchr_iter(b'#', bytes).find_map(|i| (i > 0 && bytes[i - 1] == b' ').then(|| i - 1))
}

/// `12`, `-3` (signed cells only) or `1.50` (decimal cells only); no leading zeros.
fn plain_number(raw: &str, cell: &Cell) -> Option<Figure> {
    let digits = raw.strip_prefix('-').filter(|_| cell.signed).unwrap_or(raw);
    let whole = match digits.split_once('.') {
        Some((w, f)) if cell.decimal && !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => w,
        Some(_) => return None,
        None => digits,
    };
    let canonical = whole == "0" || !whole.starts_with('0');
    let plain = !whole.is_empty() && whole.len() <= 15 && whole.bytes().all(|b| b.is_ascii_digit());
    if !canonical || !plain || raw == "-0" {
        return None;
    }
    Decimal::from_str(raw).ok()
}

fn read_format(
    map: &Mapping,
    file: &str,
    keys: &KeyIndex,
    diagnostics: &mut Diagnostics,
) -> Option<&'static Format> {
    let known = schema::format_ids().join(" | ");
    let name = match map.get("format") {
        Some(Value::String(s)) => s.trim(),
        Some(other) => {
            diagnostics.push(
                Diagnostic::error(
                    "stats.format",
                    file,
                    format!("format 应为表格格式名称，这里是{}", type_name(other)),
                )
                .at(Some(keys.locate("format")))
                .field("format")
                .hint(format!("可用的格式：{known}")),
            );
            return None;
        }
        None => {
            diagnostics.push(
                Diagnostic::error("stats.format", file, "统计表文件缺少 format（表格格式）")
                    .at_line(1)
                    .field("format")
                    .hint(format!("第一行写 format: gov-2014（2014 版）、gov-2019（2019 版）或 gov-2021（2021 版）；可用：{known}")),
            );
            return None;
        }
    };
    let found = schema::format(name);
    if found.is_none() {
        diagnostics.push(
            Diagnostic::error("stats.format", file, format!("未知的表格格式「{name}」"))
                .at(Some(keys.locate("format")))
                .field("format")
                .hint(format!("可用的格式：{known}（2014、2019、2021 三个版本）")),
        );
    }
    found
}

/// Walks the `values` mapping, checking every id and value against the catalog.
struct Typer<'a> {
    format: &'static Format,
    file: &'a str,
    keys: &'a KeyIndex,
    diagnostics: &'a mut Diagnostics,
    values: Vec<Option<Figure>>,
}

impl Typer<'_> {
    fn flatten(&mut self, map: &Mapping, prefix: &str, depth: usize) {
        for (key, value) in map {
            let key = match key {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                other => {
                    self.push(
                        Diagnostic::error(
                            "stats.key",
                            self.file,
                            format!("指标名必须是文字，这里是{}", type_name(other)),
                        )
                        .at(Some(self.keys.locate(&format!("values{}", dotted(prefix))))),
                    );
                    continue;
                }
            };
            let id = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                Value::Mapping(inner) if depth < MAX_DEPTH => self.flatten(inner, &id, depth + 1),
                _ => self.set(&id, value),
            }
        }
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn error(&self, code: &'static str, id: &str, message: String) -> Diagnostic {
        let path = format!("values.{id}");
        Diagnostic::error(code, self.file, message)
            .at(Some(self.keys.locate(&path)))
            .field(id)
    }

    fn set(&mut self, id: &str, value: &Value) {
        let Some(index) = self.format.cell_index(id) else {
            let d = self.error(
                "stats.unknown-id",
                id,
                format!("「{id}」不是 {} 格式的指标", self.format.id),
            );
            let d = match nearest_id(self.format, id) {
                Some(near) => d.hint(format!(
                    "是否想写「{near}」？指标名须与 {} 格式的目录完全一致",
                    self.format.id
                )),
                None => d.hint(format!(
                    "检查拼写，或检查 format 是否写对（当前为 {}）",
                    self.format.id
                )),
            };
            self.push(d);
            return;
        };
        let cell = &self.format.cells[index];
        let raw = self
            .keys
            .get(&format!("values.{id}"))
            .map(|s| s.raw.as_str());
        match figure(value, raw, cell) {
            Ok(Some(figure)) => {
                if cell.heading {
                    let d = Diagnostic::warning("stats.heading-value", self.file, format!(
                        "「{}」在官方表格中是标题行，通常不填数值；这里填了 {figure}，已按原样保留并发布",
                        cell.label
                    ))
                    .at(Some(self.keys.locate(&format!("values.{id}"))))
                    .field(id)
                    .hint("若原表确实在标题行印有数值，保留即可；若是录入错位，请移到对应的子行");
                    self.push(d);
                }
                self.values[index] = Some(figure);
            }
            Ok(None) => self.values[index] = None,
            Err((message, hint)) => {
                // The caret points at the value that is wrong, not at its id.
                let location = self.keys.locate_value(&format!("values.{id}"));
                let d = self
                    .error(
                        "stats.value",
                        id,
                        format!("「{}」的数值{message}", cell.label),
                    )
                    .at(Some(location))
                    .hint(hint);
                self.push(d);
            }
        }
    }
}

fn dotted(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!(".{prefix}")
    }
}

/// Type one value against its cell: blank, a count, a signed count or a decimal amount.
fn figure(
    value: &Value,
    raw: Option<&str>,
    cell: &Cell,
) -> Result<Option<Figure>, (String, String)> {
    let number = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => match raw.and_then(unusual_number) {
            Some(problem) => return Err(problem),
            None => n,
        },
        Value::String(s) => return Err(string_value_problem(s)),
        other => {
            return Err((
                format!("应为数字，这里是{}", type_name(other)),
                "写一个数字；原表空白（未填报）写 ~".to_string(),
            ));
        }
    };
    let figure = if let Some(i) = number.as_i64() {
        Decimal::from(i)
    } else if number.as_u64().is_some() {
        return Err(("过大".to_string(), "检查是否多写了数字".to_string()));
    } else {
        let f = number.as_f64().unwrap_or(f64::NAN);
        if !f.is_finite() {
            return Err((
                "不是有限的数".to_string(),
                "写一个具体数字；原表空白写 ~".to_string(),
            ));
        }
        exact_decimal(raw, f)
            .ok_or_else(|| ("过大或位数过多".to_string(), "检查数值是否写错".to_string()))?
    };
    let is_fraction = raw.is_some_and(|r| r.contains('.')) || figure.scale() > 0;
    if is_fraction && !cell.decimal {
        return Err((
            format!(
                "「{}」是小数，但该指标是以「{}」计的整数",
                raw.unwrap_or(&figure.to_string()),
                display_unit(cell)
            ),
            "计数类指标只能填整数；只有以万元、元计的金额可以有小数".to_string(),
        ));
    }
    if figure.is_sign_negative() && !figure.is_zero() && !cell.signed {
        return Err((
            format!("{figure} 是负数，该指标不能为负"),
            "只有“本年增/减”类指标可以填负数；其余指标填 0 或正数".to_string(),
        ));
    }
    Ok(Some(figure))
}

fn display_unit(cell: &Cell) -> &str {
    if cell.unit.is_empty() {
        "个"
    } else {
        &cell.unit
    }
}

/// The decimal exactly as written in the file when the raw text agrees with the parsed number.
fn exact_decimal(raw: Option<&str>, parsed: f64) -> Option<Decimal> {
    if let Some(raw) = raw
        && let Ok(d) = Decimal::from_str(raw.trim_start_matches('+'))
        && raw.parse::<f64>().ok() == Some(parsed)
    {
        return Some(d);
    }
    Decimal::from_str(&parsed.to_string()).ok()
}

/// Number forms YAML reads but a printed table never holds: `0x10` would be published as 16,
/// `1e3` as 1000 (Excel writes large numbers so when copied).
fn unusual_number(raw: &str) -> Option<(String, String)> {
    let digits = raw
        .trim()
        .trim_start_matches(['+', '-'])
        .to_ascii_lowercase();
    if digits.starts_with("0x") || digits.starts_with("0o") || digits.starts_with("0b") {
        return Some((
            format!("「{raw}」是十六进制、八进制或二进制写法，应为十进制数字"),
            "写原表上印的十进制数字，例如 16".to_string(),
        ));
    }
    let exponent = digits.contains('e') && !digits.contains("inf") && !digits.contains("nan");
    if exponent {
        return Some((
            format!("「{raw}」是科学计数法，应写出完整的数字"),
            "从 Excel 复制的大数字常变成 1.2E+03 这样的写法：请写出原表上的完整数字".to_string(),
        ));
    }
    None
}

fn string_value_problem(s: &str) -> (String, String) {
    let t = s.trim();
    let message = format!("应为数字，这里写成了文字「{t}」");
    let hint = if t.chars().any(|c| ('０'..='９').contains(&c)) {
        "使用了全角数字：请改用半角数字 0-9，且不要加引号"
    } else if t.contains([',', '，']) {
        "去掉千位分隔符（逗号）和引号，例如 1234"
    } else if t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()) {
        "数字不能以 0 开头（YAML 可能把 010 读作八进制）：请去掉前导零，例如 10"
    } else if t.parse::<f64>().is_ok() {
        "去掉数字两边的引号"
    } else if ["无", "-", "—", "/", "空", "未填"].contains(&t) || t.is_empty() {
        "原表空白（未填报）请写 ~；原表为 0 请写 0"
    } else {
        "只能填数字；原表空白（未填报）写 ~"
    };
    (message, hint.to_string())
}

fn nearest_id<'a>(format: &'a Format, id: &str) -> Option<&'a str> {
    let ids: Vec<&str> = format.cells.iter().map(|c| c.id.as_str()).collect();
    super::fields::closest(id, &ids).or_else(|| {
        let last = id.rsplit('.').next().unwrap_or(id);
        ids.iter()
            .copied()
            .find(|c| c.ends_with(&format!(".{last}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_key_is_split_once_at_colon_space() {
        for entry in [
            "a: 1", "a:1", "a: ", ":: x", "a:b: c", "a::  b", "", ":", ": ", "a:", "数: 字",
            "a :b: c",
        ] {
            assert_eq!(split_key(entry), entry.split_once(": "), "{entry:?}");
        }
    }

    #[test]
    fn a_comment_starts_where_the_first_space_hash_does() {
        for rest in [
            "12",
            "12 # 注",
            "12 #",
            "#12",
            "1#2 # 注 # 又",
            "~  # 空",
            "12#3",
            " #",
            "",
            "# #",
        ] {
            assert_eq!(comment_start(rest), rest.find(" #"), "{rest:?}");
        }
    }

    #[test]
    fn cells_out_of_the_format_s_order_read_as_in_order() {
        let ordered = "format: gov-2014\nvalues:\n  proactive.normative_docs_published: 2\n  proactive.normative_docs_issued: 5\n";
        let swapped = "format: gov-2014\nvalues:\n  proactive.normative_docs_issued: 5\n  proactive.normative_docs_published: 2\n";
        let (a, b) = (read_plain(ordered).unwrap(), read_plain(swapped).unwrap());
        assert_eq!(a.values, b.values);
        assert_eq!(a.values.iter().filter(|v| v.is_some()).count(), 2);
    }

    fn parse_ok(text: &str) -> (Option<Stats>, Diagnostics) {
        let mut ds = Diagnostics::new();
        let s = parse(text, "s.yaml", &mut ds);
        (s, ds)
    }

    #[test]
    fn nested_and_flat_ids_are_the_same() {
        let (s, ds) =
            parse_ok("format: gov-2014\nvalues:\n  proactive.total: 5\n  org:\n    budget: 1.50\n");
        assert!(!ds.has_errors(), "{ds:?}");
        let s = s.unwrap();
        assert_eq!(s.value("proactive.total"), Some(Decimal::from(5)));
        assert_eq!(s.value("org.budget").unwrap().to_string(), "1.50");
        assert_eq!(s.value("proactive.channels.gazette"), None);
    }

    #[test]
    fn blank_and_zero_differ() {
        let (s, _) =
            parse_ok("format: gov-2014\nvalues:\n  proactive.total: ~\n  complaints.total: 0\n");
        let s = s.unwrap();
        assert_eq!(s.value("proactive.total"), None);
        assert_eq!(s.value("complaints.total"), Some(Decimal::ZERO));
    }

    #[test]
    fn bad_values_name_their_line() {
        let (s, ds) = parse_ok(
            "format: gov-2014\nvalues:\n  proactive.total: \"12\"\n  org.staff: -1\n  org.dedicated_units: 1.5\n  proactive.totl: 3\n",
        );
        assert!(s.is_none());
        let lines: Vec<(usize, &str)> = ds
            .iter()
            .map(|d| (d.location.unwrap().line, d.code))
            .collect();
        assert!(lines.contains(&(3, "stats.value")), "{lines:?}");
        assert!(lines.contains(&(4, "stats.value")));
        assert!(lines.contains(&(5, "stats.value")));
        assert!(lines.contains(&(6, "stats.unknown-id")));
        let unknown = ds.iter().find(|d| d.code == "stats.unknown-id").unwrap();
        assert!(unknown.hint.as_deref().unwrap().contains("proactive.total"));
    }

    #[test]
    fn signed_cells_take_negatives() {
        let (s, ds) = parse_ok("format: gov-2019\nvalues:\n  art20_5.licensing.delta_items: -3\n");
        assert!(!ds.has_errors(), "{ds:?}");
        assert_eq!(
            s.unwrap().value("art20_5.licensing.delta_items"),
            Some(Decimal::from(-3))
        );
    }

    #[test]
    fn heading_value_is_kept_with_a_warning() {
        let (s, ds) = parse_ok("format: gov-2014\nvalues:\n  training: 1\n");
        assert_eq!(s.unwrap().value("training"), Some(Decimal::ONE));
        assert!(
            ds.iter()
                .any(|d| d.code == "stats.heading-value" && d.location.unwrap().line == 3)
        );
    }

    #[test]
    fn plain_path_agrees_with_the_yaml_path_or_declines() {
        let slow = |text: &str| parse_yaml(text, "s", &mut Diagnostics::new()).map(|s| s.values);
        let clean = "format: gov-2019\nvalues:\n  apps.new_received.natural_person: 2\n  apps.new_received.total: 2\n  art20_5.licensing.delta_items: -1\n  review.total: ~  # 空白\n";
        let fast = parse_plain(clean).expect("clean input takes the fast path");
        assert_eq!(Some(fast.values), slow(clean));
        let decimal = "format: gov-2014\nvalues:\n  org.budget: 1.50\n";
        assert_eq!(
            parse_plain(decimal)
                .unwrap()
                .value("org.budget")
                .unwrap()
                .to_string(),
            "1.50"
        );
        for tricky in [
            "format: gov-2014\nvalues:\n  proactive.total: 0123\n",
            "format: gov-2014\nvalues:\n  proactive.total: 1e3\n",
            "format: gov-2014\nvalues:\n  proactive.total: \"12\"\n",
            "format: gov-2014\nvalues:\n  proactive.total: -0\n",
            "format: gov-2014\nvalues:\n  proactive.total: -3\n",
            "format: gov-2014\nvalues:\n  proactive.total: 3.0\n",
            "format: gov-2014\nvalues:\n  proactive.total: 1\n  proactive.total: 2\n",
            "format: gov-2014\nvalues:\n  training: 1\n",
            "format: gov-2014\nvalues:\n  nosuch.id: 1\n",
            "format: gov-2014\nvalues: {proactive.total: 1}\n",
            "format: gov-2014\nvalues:\n  proactive:\n    total: 1\n",
            "format: gov-2014\nvalues:\n\tproactive.total: 1\n",
            "format: gov-2014\nvalues:\n  proactive.normative_docs_published: 97\n  proactive.normative_docs_issued: 85\n",
        ] {
            assert!(
                parse_plain(tricky).is_none(),
                "{tricky:?} must take the YAML path"
            );
        }
    }

    #[test]
    fn plain_files_that_break_a_rule_are_reported_as_the_yaml_path_reports_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<(String, String)> = walkdir::WalkDir::new(root.join("examples/demo"))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "stats.yaml")
            .map(|e| {
                let text = std::fs::read_to_string(e.path()).unwrap();
                (e.path().display().to_string(), text)
            })
            .collect();
        texts.push((
            "broken.yaml".into(),
            "format: gov-2014\nvalues:\n  proactive.normative_docs_published: 97\n  proactive.normative_docs_issued: 85\n".into(),
        ));
        let mut broken = 0;
        for (file, text) in &texts {
            let Some(plain) = read_plain(text) else {
                continue;
            };
            let (mut fast, mut full) = (Diagnostics::new(), Diagnostics::new());
            let via_parse = parse(text, "s.yaml", &mut fast).unwrap();
            let via_yaml = parse_yaml(text, "s.yaml", &mut full).unwrap();
            let json = |d: &Diagnostics| serde_json::to_string(d).unwrap();
            assert_eq!(json(&fast), json(&full), "{file}");
            assert_eq!(via_parse.values, plain.values, "{file}");
            assert_eq!(via_parse.values, via_yaml.values, "{file}");
            assert_eq!(via_parse.findings, via_yaml.findings, "{file}");
            broken += usize::from(!fast.is_empty());
        }
        assert!(broken >= 2, "the samples break rules: {broken}");
    }

    #[test]
    fn unknown_format_lists_known_ones() {
        let (s, ds) = parse_ok("format: gov-2020\nvalues: {}\n");
        assert!(s.is_none());
        let d = ds.iter().next().unwrap();
        assert!(d.hint.as_deref().unwrap().contains("gov-2019"));
        assert_eq!(d.location.unwrap().line, 1);
    }

    #[test]
    fn full_width_digits_get_a_specific_hint() {
        let (_, ds) = parse_ok("format: gov-2014\nvalues:\n  proactive.total: １２３\n");
        assert!(
            ds.iter()
                .next()
                .unwrap()
                .hint
                .as_deref()
                .unwrap()
                .contains("全角")
        );
    }
}
