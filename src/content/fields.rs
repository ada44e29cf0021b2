//! Reading typed fields out of a YAML mapping, with Chinese diagnostics that name file, line and
//! field. Shared by the township registry, report front matter and stats files.

use chrono::NaiveDate;
use serde_yaml::Value;

use super::yaml::{KeyIndex, type_name};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// A mapping being read: its file, key positions and where it sits in the document.
pub(crate) struct FieldReader<'a> {
    /// File path for messages.
    pub file: &'a str,
    /// Key positions of the whole document.
    pub keys: &'a KeyIndex,
    /// Dotted path of this mapping in the document (`""` for the top level).
    pub path: String,
    /// Problems found so far.
    pub diagnostics: &'a mut Diagnostics,
}

impl<'a> FieldReader<'a> {
    /// The dotted path of a key of this mapping.
    pub(crate) fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// An error located at `key` of this mapping.
    pub(crate) fn error(
        &self,
        code: &'static str,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let path = self.key_path(key);
        Diagnostic::error(code, self.file, message)
            .at(Some(self.keys.locate(&path)))
            .field(path)
    }

    /// A warning located at `key` of this mapping.
    pub(crate) fn warning_at(
        &self,
        code: &'static str,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let path = self.key_path(key);
        Diagnostic::warning(code, self.file, message)
            .at(Some(self.keys.locate(&path)))
            .field(path)
    }

    /// Report every key of `map` that is not in `known`; returns the map's string keys.
    pub(crate) fn check_keys(&mut self, map: &serde_yaml::Mapping, known: &[&str], what: &str) {
        for key in map.keys() {
            match key.as_str() {
                Some(k) if known.contains(&k) => {}
                Some(k) => {
                    let hint = match closest(k, known) {
                        Some(c) => format!("是否想写「{c}」？可用的键：{}", known.join(", ")),
                        None => format!("可用的键：{}", known.join(", ")),
                    };
                    let d = self
                        .error("field.unknown", k, format!("{what}中有未知的键「{k}」"))
                        .hint(hint);
                    self.diagnostics.push(d);
                }
                None => {
                    let d = Diagnostic::error(
                        "field.key-type",
                        self.file,
                        format!("{what}中的键必须是文字，不能是{}", type_name(key)),
                    )
                    .at(Some(self.keys.locate(&self.path)));
                    self.diagnostics.push(d);
                }
            }
        }
    }

    /// An optional text field; numbers are accepted as written (a phone number without quotes).
    pub(crate) fn text(&mut self, map: &serde_yaml::Mapping, key: &str) -> Option<String> {
        match map.get(key)? {
            Value::Null => None,
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Number(n) => {
                let raw = self.keys.get(&self.key_path(key)).map(|s| s.raw.clone());
                Some(
                    raw.filter(|r| !r.is_empty())
                        .unwrap_or_else(|| n.to_string()),
                )
            }
            other => {
                let d = self
                    .error(
                        "field.type",
                        key,
                        format!("「{key}」应为文字，这里是{}", type_name(other)),
                    )
                    .hint("直接写文字即可，含有冒号等符号时用英文双引号括起来");
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// An optional ISO date field.
    pub(crate) fn date(
        &mut self,
        map: &serde_yaml::Mapping,
        key: &str,
        label: &str,
    ) -> Option<NaiveDate> {
        let value = map.get(key)?;
        let text = match value {
            Value::Null => return None,
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            other => type_name(other).to_string(),
        };
        match parse_date(&text) {
            Some(date) => Some(date),
            None => {
                let hint = match crate::dates::hand_written(&text) {
                    Some(date) => format!(
                        "日期只能写成 YYYY-MM-DD 一种形式：这里应写成 {key}: {date}（年份四位，月和日各两位，用 - 隔开）"
                    ),
                    None => {
                        "日期写成 YYYY-MM-DD，例如 2019-03-12，且须是日历上存在的日子".to_string()
                    }
                };
                let d = self
                    .error("field.date", key, format!("{label}「{text}」不是有效日期"))
                    .hint(hint);
                self.diagnostics.push(d);
                None
            }
        }
    }
}

pub(crate) use crate::dates::parse_date;

/// The candidate nearest to `word` by edit distance, when it is plausibly a typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2019-03-12").is_some());
        assert!(parse_date("2019-02-30").is_none());
        assert!(parse_date("2019-3-12").is_none());
        assert!(parse_date("2019年3月12日").is_none());
    }

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(
            closest("publishd", &["published", "title"]),
            Some("published")
        );
        assert_eq!(closest("zzz", &["published", "title"]), None);
    }
}
