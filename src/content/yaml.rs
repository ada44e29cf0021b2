//! YAML parsing for content files: values from serde_yaml, positions from a line scan.
//!
//! serde_yaml gives correct YAML semantics but no positions for values, and clerks need a line
//! number for every problem. Block-style YAML (what people write by hand, and what our scaffolds
//! produce) puts every key at the start of its line, so a single scan over the text maps each key
//! path to its line, column and raw scalar text. Keys written in flow style (`{a: 1}`) are not
//! found; callers then fall back to the line of the nearest enclosing key.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Location};

/// Where a key is written and the raw text of its scalar value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeySpot {
    /// Position of the key itself.
    pub location: Location,
    /// The scalar written after the colon, without comment; empty for nested blocks.
    pub raw: String,
    /// The column where that scalar starts, when there is one.
    pub value_column: Option<usize>,
}

/// Positions of every block-style key in a YAML text, by dotted path (`form.filled`,
/// `attachments[0].file`, `values.proactive.total`).
#[derive(Debug, Default)]
pub struct KeyIndex {
    spots: HashMap<String, KeySpot>,
    line_offset: usize,
}

impl KeyIndex {
    /// Scan `text`; `line_offset` is added to every line (front matter starts after `---`).
    pub fn scan(text: &str, line_offset: usize) -> Self {
        let mut index = KeyIndex {
            spots: HashMap::new(),
            line_offset,
        };
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut seq_counters: HashMap<String, usize> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start_matches(' ').len();
            let mut rest = &line[indent..];
            if rest.is_empty() || rest.starts_with('#') || rest.starts_with("---") {
                continue;
            }
            let mut col = indent;
            // `- key: value` opens a sequence item; nested dashes open nested items.
            while let Some(after) = rest
                .strip_prefix("- ")
                .or_else(|| rest.strip_prefix('-').filter(|r| r.is_empty()))
            {
                pop_to(&mut stack, col);
                let parent = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
                let counter = seq_counters.entry(format!("{parent}@{col}")).or_insert(0);
                let item = format!("{parent}[{counter}]");
                *counter += 1;
                let location = Location {
                    line: i + 1 + line_offset,
                    column: line[..col].chars().count() + 1,
                };
                index.spots.entry(item.clone()).or_insert(KeySpot {
                    location,
                    raw: String::new(),
                    value_column: None,
                });
                stack.push((col, item));
                let skipped = after.len() - after.trim_start_matches(' ').len();
                col += rest.len() - after.len() + skipped;
                rest = &after[skipped..];
            }
            let Some((key, value)) = split_key(rest) else {
                continue;
            };
            pop_to(&mut stack, col);
            let path = match stack.last() {
                Some((_, parent)) if !parent.is_empty() => format!("{parent}.{key}"),
                _ => key.to_string(),
            };
            let raw = strip_comment(value).trim().to_string();
            let location = Location {
                line: i + 1 + line_offset,
                column: line[..col].chars().count() + 1,
            };
            let value_column = (!raw.is_empty()).then(|| {
                let at = line.len() - value.trim_start().len();
                line[..at].chars().count() + 1
            });
            if raw.is_empty() {
                stack.push((col, path.clone()));
            }
            index.spots.entry(path).or_insert(KeySpot {
                location,
                raw,
                value_column,
            });
        }
        index
    }

    /// The spot of `path`, if it was written in block style.
    pub(crate) fn get(&self, path: &str) -> Option<&KeySpot> {
        self.spots.get(path)
    }

    /// The location of the value written for `path` (where a caret should point at a wrong
    /// value), else as [`KeyIndex::locate`].
    pub fn locate_value(&self, path: &str) -> Location {
        match self.spots.get(path) {
            Some(KeySpot {
                location,
                value_column: Some(column),
                ..
            }) => Location {
                line: location.line,
                column: *column,
            },
            _ => self.locate(path),
        }
    }

    /// The location of `path`, or of its nearest enclosing key, or of the first line.
    pub fn locate(&self, path: &str) -> Location {
        let mut candidate = path;
        loop {
            if let Some(spot) = self.spots.get(candidate) {
                return spot.location;
            }
            match candidate.rfind(['.', '[']) {
                Some(i) => candidate = &candidate[..i],
                None => return Location::line(self.line_offset + 1),
            }
        }
    }
}

fn pop_to(stack: &mut Vec<(usize, String)>, col: usize) {
    while stack.last().is_some_and(|(indent, _)| *indent >= col) {
        stack.pop();
    }
}

/// `key: value` → (key, value); quoted keys are unquoted.
fn split_key(rest: &str) -> Option<(&str, &str)> {
    if let Some(quote @ ('"' | '\'')) = rest.chars().next() {
        let end = rest[1..].find(quote)? + 1;
        let after = rest[end + 1..].strip_prefix(':')?;
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            return None;
        }
        return Some((&rest[1..end], after));
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' && i > 0 && bytes[i - 1] == b' ' {
            return None;
        }
        if bytes[i] == b':' && (i + 1 == bytes.len() || matches!(bytes[i + 1], b' ' | b'\t')) {
            let key = rest[..i].trim_end();
            if key.is_empty() || key.starts_with(['{', '[', '|', '>', '&', '*', '!']) {
                return None;
            }
            return Some((key, &rest[i + 1..]));
        }
        i += 1;
    }
    None
}

/// Drop a trailing ` # comment` that is outside quotes.
fn strip_comment(value: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in value.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == '\t') => return &value[..i],
            None => {}
        }
        prev = c;
    }
    value
}

/// Parse YAML text into a value, turning a syntax error into a Chinese diagnostic.
///
/// `line_offset` is the number of lines before `text` in its file.
pub fn parse(text: &str, file: &str, line_offset: usize) -> Result<serde_yaml::Value, Diagnostic> {
    if let Some((line, _)) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start_matches(' ').starts_with('\t'))
    {
        return Err(
            Diagnostic::error("yaml.tab", file, "YAML 缩进中含有制表符（Tab）")
                .at_line(line + 1 + line_offset)
                .hint("YAML 只能用空格缩进：把行首的 Tab 换成空格"),
        );
    }
    // Text pasted from Word indents with full-width or no-break spaces, which look like spaces
    // but are not YAML indentation; libyaml then reports a confusing error lines later.
    if let Some((line, _)) = text.lines().enumerate().find(|(_, l)| {
        l.trim_start_matches(' ')
            .starts_with(['\u{3000}', '\u{00A0}'])
    }) {
        return Err(Diagnostic::error(
            "yaml.wide-space",
            file,
            "YAML 缩进中含有全角空格或不换行空格（多见于从 Word 复制的文字）",
        )
        .at_line(line + 1 + line_offset)
        .hint("把行首的空白删掉，重新用半角空格键缩进"));
    }
    serde_yaml::from_str(text).map_err(|e| syntax_error(&e, text, file, line_offset))
}

fn syntax_error(e: &serde_yaml::Error, text: &str, file: &str, line_offset: usize) -> Diagnostic {
    let detail = e.to_string();
    let location = e.location().map(|l| Location {
        line: l.line() + line_offset,
        column: l.column(),
    });
    let from = e.location().map_or(1, |l| l.line());
    if let Some(d) = full_width(text, from, file, line_offset) {
        return d;
    }
    if let Some(d) = duplicate_key(&detail, text, from, file, line_offset)
        .or_else(|| huge_number(&detail, file, location))
        .or_else(|| missing_colon(&detail, text, file, e.location(), line_offset))
    {
        return d;
    }
    let (message, hint) = if detail.contains("duplicate entry") {
        (
            "同一个键写了两次".to_string(),
            "删除重复的那一行，每个键只能出现一次",
        )
    } else if detail.contains("recursion limit") || detail.contains("repetition limit") {
        (
            "YAML 结构嵌套过深或别名展开过多".to_string(),
            "内容文件不需要复杂的 YAML 结构：请只用简单的“键: 值”",
        )
    } else {
        (
            format!("YAML 语法错误（{}）", english_detail(&detail)),
            "检查冒号后是否有空格、缩进是否对齐、引号是否成对",
        )
    };
    Diagnostic::error("yaml.syntax", file, message)
        .at(location)
        .hint(hint)
}

/// A full-width colon, bracket or space typed with a Chinese input method on the line of the
/// error, or on the last non-empty line before it (libyaml often notices a line late).
fn full_width(text: &str, line: usize, file: &str, line_offset: usize) -> Option<Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let candidates = (1..=line.min(lines.len()))
        .rev()
        .filter(|n| !lines[n - 1].trim().is_empty())
        .take(2);
    for n in candidates {
        // Quotes inside a value are text; only the structure's punctuation matters here.
        let structure = lines[n - 1]
            .split_once(": ")
            .map_or(lines[n - 1], |(key, _)| key);
        if let Some((c, ascii)) = crate::diagnostics::full_width_in(structure)
            && !matches!(c, '“' | '”' | '‘' | '’' | '，')
        {
            return Some(
                Diagnostic::error(
                    "yaml.full-width",
                    file,
                    format!("这一行用了全角符号「{c}」"),
                )
                .at_line(n + line_offset)
                .hint(crate::diagnostics::full_width_hint(c, ascii)),
            );
        }
    }
    None
}

/// serde_yaml reports a duplicate key at the start of its mapping (line `from` of `text`); point
/// at the second occurrence of the key from there instead, and name it.
fn duplicate_key(
    detail: &str,
    text: &str,
    from: usize,
    file: &str,
    line_offset: usize,
) -> Option<Diagnostic> {
    let key = detail
        .split_once("duplicate entry with key \"")?
        .1
        .split_once('"')?
        .0;
    let (line, column) = text
        .lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .filter_map(|(i, l)| {
            let rest = l.trim_start_matches([' ', '-']);
            let bare = rest
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'));
            let quoted = rest
                .strip_prefix(&format!("\"{key}\""))
                .is_some_and(|r| r.trim_start().starts_with(':'));
            (bare || quoted).then_some((i + 1, l.len() - rest.len() + 1))
        })
        .nth(1)?;
    Some(
        Diagnostic::error("yaml.duplicate", file, format!("键「{key}」写了两次"))
            .at(Some(Location {
                line: line + line_offset,
                column,
            }))
            .field(key)
            .hint("删除重复的那一行，每个键只能出现一次"),
    )
}

/// An integer beyond 64 bits fails inside serde_yaml with a message about `u128`.
fn huge_number(detail: &str, file: &str, location: Option<Location>) -> Option<Diagnostic> {
    let (path, rest) = detail.split_once(": invalid type: integer `")?;
    let number = rest.split_once('`')?.0;
    Some(
        Diagnostic::error(
            "yaml.huge-number",
            file,
            format!("数字「{number}」太大，超出了可以处理的范围"),
        )
        .at(location)
        .field(path)
        .hint("检查是否多写了数字，或把两个数连在了一起"),
    )
}

/// libyaml notices a key without its colon only at the start of the next line; point at the
/// line that lacks it (the last non-blank line before).
fn missing_colon(
    detail: &str,
    text: &str,
    file: &str,
    at: Option<serde_yaml::Location>,
    line_offset: usize,
) -> Option<Diagnostic> {
    if !detail.contains("could not find expected ':'") {
        return None;
    }
    let at = at?;
    let line = if at.column() > 1 {
        at.line()
    } else {
        text.lines()
            .enumerate()
            .take(at.line().saturating_sub(1).max(1))
            .filter(|(_, l)| !l.trim().is_empty())
            .last()
            .map_or(at.line(), |(i, _)| i + 1)
    };
    // libyaml gives up on a key longer than 1024 characters with the same message.
    let too_long = text
        .lines()
        .nth(line.saturating_sub(1))
        .is_some_and(|l| l.chars().count() > 1024);
    let message = if too_long {
        "这一行太长：YAML 的键不能超过 1024 个字符"
    } else {
        "这一行缺少冒号：应写成“键: 值”（冒号后要有空格）"
    };
    Some(
        Diagnostic::error("yaml.missing-colon", file, message)
            .at_line(line + line_offset)
            .hint("补上冒号和值；若文件写到一半被截断，请从备份或 git 中恢复完整内容"),
    )
}

/// serde_yaml's message without its trailing position, which we report separately.
fn english_detail(detail: &str) -> &str {
    detail.find(" at line ").map_or(detail, |i| &detail[..i])
}

/// The human name of a YAML value's type, for messages.
pub(crate) fn type_name(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "空值",
        serde_yaml::Value::Bool(_) => "是/否值",
        serde_yaml::Value::Number(_) => "数字",
        serde_yaml::Value::String(_) => "文本",
        serde_yaml::Value::Sequence(_) => "列表",
        serde_yaml::Value::Mapping(_) => "键值表",
        serde_yaml::Value::Tagged(_) => "带标签的值",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
title: 报告 # 标题
form:
  filled: 2018-12-20
  phone: \"185\"
attachments:
  - file: a.txt
    title: A
  - file: b.txt
values:
  proactive.total: 147   # (一)
  org:
    budget: 1.50
";

    #[test]
    fn finds_nested_keys_sequences_and_raw_values() {
        let idx = KeyIndex::scan(DOC, 1);
        assert_eq!(
            idx.get("title").unwrap().location,
            Location { line: 2, column: 1 }
        );
        assert_eq!(idx.get("title").unwrap().raw, "报告");
        assert_eq!(idx.get("form.filled").unwrap().location.line, 4);
        assert_eq!(idx.get("form.phone").unwrap().raw, "\"185\"");
        assert_eq!(idx.get("attachments[0].file").unwrap().location.line, 7);
        assert_eq!(idx.get("attachments[0].title").unwrap().location.line, 8);
        assert_eq!(
            idx.get("attachments[1].file").unwrap().location,
            Location { line: 9, column: 5 }
        );
        assert_eq!(idx.get("values.proactive.total").unwrap().raw, "147");
        assert_eq!(idx.get("values.org.budget").unwrap().raw, "1.50");
    }

    #[test]
    fn unknown_paths_fall_back_to_the_enclosing_key() {
        let idx = KeyIndex::scan(DOC, 0);
        assert_eq!(idx.locate("values.nothing.here").line, 9);
        assert_eq!(idx.locate("nowhere").line, 1);
    }

    #[test]
    fn syntax_errors_carry_the_file_line() {
        let err = parse("a: 1\nb: [\n", "x.yaml", 10).unwrap_err();
        assert_eq!(err.code, "yaml.syntax");
        assert!(err.location.unwrap().line > 10);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse("a: 1\na: 2\n", "x.yaml", 0).unwrap_err();
        assert!(err.message.contains("两次"), "{}", err.message);
    }

    #[test]
    fn tabs_are_refused_with_their_line() {
        let err = parse("a:\n\tb: 1\n", "x.yaml", 0).unwrap_err();
        assert_eq!(err.code, "yaml.tab");
        assert_eq!(err.location.unwrap().line, 2);
    }
}
