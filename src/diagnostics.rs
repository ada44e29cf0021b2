//! Problems found in a site's content: where they are, what they mean, how to fix them.
//!
//! Every stage of the pipeline reports into a [`Diagnostics`] list instead of stopping at the first
//! problem, so a clerk sees everything wrong with a content directory in one run.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built until this is fixed.
    Error,
    /// The site builds, but a person should look at this.
    Warning,
}

impl Severity {
    /// The Chinese word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// A position in a source file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub column: usize,
}

impl Location {
    /// A location at the start of `line`.
    pub fn line(line: usize) -> Self {
        Location { line, column: 0 }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable machine-readable code such as `stats.unknown-id`.
    pub code: &'static str,
    /// The file, relative to the site root, with `/` separators.
    pub file: String,
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// The field, key or indicator id concerned, when there is one.
    pub field: Option<String>,
    /// What is wrong, in Chinese.
    pub message: String,
    /// What to do about it, in Chinese.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error in `file` (a path relative to the site root).
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, message)
    }

    /// A new warning in `file` (a path relative to the site root).
    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, file, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.into(),
            location: None,
            field: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Attach a location.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Attach a line number (column unknown).
    pub fn at_line(self, line: usize) -> Self {
        self.at(Some(Location::line(line)))
    }

    /// Name the field, key or indicator concerned.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Say what to do about it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:column`, as far as known.
    pub fn position(&self) -> String {
        match self.location {
            Some(Location { line, column }) if column > 0 => {
                format!("{}:{}:{}", self.file, line, column)
            }
            Some(Location { line, .. }) => format!("{}:{}", self.file, line),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// One or two plain lines: `错误: file:line: [field] message` and an indented hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: ", self.severity.label(), self.position())?;
        if let Some(field) = &self.field {
            write!(f, "[{field}] ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  提示: {hint}")?;
        }
        Ok(())
    }
}

/// All problems of one run, in a stable order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Add all problems of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// True when at least one error is present.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Turn every warning into an error (`check --strict`).
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Make the warnings that `select` picks errors.
    pub fn promote_where(&mut self, select: impl Fn(&Diagnostic) -> bool) {
        for d in self.items.iter_mut().filter(|d| select(d)) {
            d.severity = Severity::Error;
        }
    }

    /// Keep only the problems `keep` picks.
    pub fn retain(&mut self, keep: impl Fn(&Diagnostic) -> bool) {
        self.items.retain(|d| keep(d));
    }

    /// Sort by file, position, then code, so output does not depend on discovery order.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.location, a.code, &a.field, &a.message)
                .cmp(&(&b.file, b.location, b.code, &b.field, &b.message))
        });
    }

    /// The problems, in their current order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.items.len()
    }
}

/// The first full-width character in `line` that a Chinese input method types where a settings
/// or YAML file needs its half-width form (quotes, colon, equals sign, brackets, space), with that
/// half-width form. Such files look right and fail with an obscure parser message.
pub(crate) fn full_width_in(line: &str) -> Option<(char, &'static str)> {
    line.chars().find_map(|c| {
        let ascii = match c {
            '“' | '”' | '＂' => "\"",
            '‘' | '’' | '＇' => "'",
            '：' => ":",
            '＝' => "=",
            '［' | '【' => "[",
            '］' | '】' => "]",
            '\u{3000}' => "空格",
            '，' => ",",
            _ => return None,
        };
        Some((c, ascii))
    })
}

/// A hint about the full-width character `c` (see [`full_width_in`]).
pub(crate) fn full_width_hint(c: char, ascii: &str) -> String {
    let name = if c == '\u{3000}' {
        "全角空格".to_string()
    } else {
        format!("「{c}」")
    };
    let half = if ascii == "空格" {
        "半角空格".to_string()
    } else {
        format!("英文（半角）的 {ascii}")
    };
    format!("这一行有中文输入法打出的{name}：把输入法切换到英文状态，改成{half}")
}

impl From<Diagnostic> for Diagnostics {
    /// A list of the one problem that stopped a step (an unreadable site.toml, say).
    fn from(d: Diagnostic) -> Self {
        let mut ds = Diagnostics::new();
        ds.push(d);
        ds
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The machine-readable form of a run (`check --format json`). The schema is stable: fields are
/// only ever added.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Schema version, 1.
    pub version: u32,
    /// No errors.
    pub ok: bool,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// What was checked, when the site could be planned.
    pub summary: Option<JsonSummary>,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// What a successful check covered.
#[derive(Debug, Serialize)]
pub struct JsonSummary {
    /// Reports loaded.
    pub reports: usize,
    /// HTML pages checked.
    pub pages: usize,
    /// Planned files.
    pub files: usize,
}

/// One problem, flat: `line` and `column` are 1-based, `null` when unknown.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable code, e.g. `link.broken`.
    pub code: &'a str,
    /// File relative to the site root (or the template concerned).
    pub file: &'a str,
    /// Line.
    pub line: Option<usize>,
    /// Column in characters.
    pub column: Option<usize>,
    /// Field, indicator id, or the link's URL as written.
    pub field: Option<&'a str>,
    /// What is wrong, in Chinese.
    pub message: &'a str,
    /// What to do, in Chinese.
    pub hint: Option<&'a str>,
}

impl<'a> JsonReport<'a> {
    /// The report of a run that found `diagnostics`.
    pub fn new(summary: Option<JsonSummary>, diagnostics: &'a Diagnostics) -> Self {
        JsonReport {
            version: 1,
            ok: !diagnostics.has_errors(),
            errors: diagnostics.error_count(),
            warnings: diagnostics.warning_count(),
            summary,
            diagnostics: diagnostics
                .iter()
                .map(|d| JsonDiagnostic {
                    severity: d.severity,
                    code: d.code,
                    file: &d.file,
                    line: d.location.map(|l| l.line),
                    column: d.location.map(|l| l.column).filter(|c| *c > 0),
                    field: d.field.as_deref(),
                    message: &d.message,
                    hint: d.hint.as_deref(),
                })
                .collect(),
        }
    }
}

/// A path relative to `root`, with `/` separators, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let mut out = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

/// Byte offset → 1-based line and character column.
pub fn location_of_offset(text: &str, offset: usize) -> Location {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Location { line, column }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Render a diagnostic for a person: the message line, the source line with a marker under the
/// position when `source` (the file's text) is given, and the hint. `color` adds terminal colours.
pub fn render_human(d: &Diagnostic, source: Option<&str>, color: bool) -> String {
    use unicode_width::UnicodeWidthStr;
    // ANSI SGR codes: the caller has decided that the terminal shows colours.
    const RED_BOLD: &str = "31;1";
    const YELLOW_BOLD: &str = "33;1";
    const BOLD: &str = "1";
    const DIM: &str = "2";
    const CYAN: &str = "36";
    let paint = |style: &str, text: &str| {
        if color {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let severity = match d.severity {
        Severity::Error => paint(RED_BOLD, d.severity.label()),
        Severity::Warning => paint(YELLOW_BOLD, d.severity.label()),
    };
    let mut out = format!("{severity}: {}: ", paint(BOLD, &d.position()));
    if let Some(field) = &d.field {
        out.push_str(&format!("[{field}] "));
    }
    out.push_str(&d.message);
    out.push('\n');
    if let (Some(text), Some(loc)) = (source, d.location)
        && let Some(line) = text.lines().nth(loc.line.saturating_sub(1))
    {
        let number = loc.line.to_string();
        let gutter = " ".repeat(number.len());
        let line = line.trim_end_matches('\r');
        out.push_str(&format!("  {} │ {line}\n", paint(DIM, &number)));
        if loc.column > 0 {
            let before: String = line.chars().take(loc.column - 1).collect();
            let pad = " ".repeat(UnicodeWidthStr::width(before.as_str()));
            out.push_str(&format!("  {gutter} │ {pad}{}\n", paint(RED_BOLD, "^")));
        }
    }
    if let Some(hint) = &d.hint {
        out.push_str(&format!("  {}: {hint}\n", paint(CYAN, "提示")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_rendering_points_at_the_column_under_wide_characters() {
        let d = Diagnostic::error("x", "s.yaml", "数值有误")
            .at(Some(Location { line: 2, column: 4 }))
            .hint("改成数字");
        let out = render_human(&d, Some("a: 1\n中文: x\n"), false);
        assert_eq!(
            out,
            "错误: s.yaml:2:4: 数值有误\n  2 │ 中文: x\n    │      ^\n  提示: 改成数字\n"
        );
    }

    #[test]
    fn display_names_file_line_field_and_hint() {
        let d = Diagnostic::error("x", "content/a.yaml", "未知指标")
            .at(Some(Location { line: 3, column: 5 }))
            .field("values.foo")
            .hint("检查拼写");
        assert_eq!(
            d.to_string(),
            "错误: content/a.yaml:3:5: [values.foo] 未知指标\n  提示: 检查拼写"
        );
    }

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "一二\n三四五\n";
        assert_eq!(
            location_of_offset(text, "一二\n三".len()),
            Location { line: 2, column: 2 }
        );
        assert_eq!(location_of_offset(text, 0), Location { line: 1, column: 1 });
    }

    #[test]
    fn sort_is_by_file_then_line() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("b", "b.yaml", "x").at_line(1));
        ds.push(Diagnostic::error("a", "a.yaml", "y").at_line(9));
        ds.push(Diagnostic::error("a", "a.yaml", "z").at_line(2));
        ds.sort();
        let lines: Vec<_> = ds.iter().map(|d| d.position()).collect();
        assert_eq!(lines, ["a.yaml:2", "a.yaml:9", "b.yaml:1"]);
        assert_eq!(ds.error_count(), 2);
        assert_eq!(ds.warning_count(), 1);
    }
}
