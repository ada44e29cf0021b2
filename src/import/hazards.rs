//! What the importer noticed: exact normalisations it made, doubtful spots it flagged, and what
//! a person must decide — each with the place in the source. Nothing here changes a figure.

use rust_decimal::Decimal;

use super::labels::{self, Figure};
use super::source::{Place, Source, Text};
use crate::schema::Format;

/// How much a finding needs a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// An exact normalisation (full-width digits, thousands separators), said for the record.
    Note,
    /// Imported, but doubtful: check against the original.
    Warning,
    /// Not imported or not decidable: a person must fill it in or decide.
    Person,
}

impl Level {
    /// The Chinese heading of the import report's section.
    pub fn label(self) -> &'static str {
        match self {
            Level::Note => "说明",
            Level::Warning => "警告",
            Level::Person => "需人工处理",
        }
    }
}

/// One thing the importer noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How much it needs a person.
    pub level: Level,
    /// Where in the source.
    pub at: Place,
    /// The indicator id or metadata key concerned.
    pub field: Option<String>,
    /// What, in Chinese.
    pub message: String,
}

impl Finding {
    /// A finding at a place.
    pub fn new(level: Level, at: &Place, message: impl Into<String>) -> Self {
        Finding {
            level,
            at: at.clone(),
            field: None,
            message: message.into(),
        }
    }

    /// The same finding about a field.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

/// Phrases of the narrative that restate a table figure: keyword, unit, indicator id.
/// Only phrases whose meaning is unambiguous are listed; a sentence that states one of them
/// with a different number than the table is flagged (FORMATS.md A-R12, BC-R9).
const NARRATIVE_FIGURES: &[(&str, &str, &str, &str)] = &[
    ("gov-2014", "主动公开政府信息", "条", "proactive.total"),
    (
        "gov-2014",
        "主动公开规范性文件",
        "条",
        "proactive.normative_docs_published",
    ),
    (
        "gov-2014",
        "制发规范性文件",
        "件",
        "proactive.normative_docs_issued",
    ),
    ("gov-2014", "公开查阅点", "处", "org.reading_points"),
    ("gov-2014", "公开查阅点", "个", "org.reading_points"),
    ("gov-2014", "重大舆情", "次", "response.total"),
    (
        "gov-2014",
        "政策解读稿件发布",
        "篇",
        "response.channels.policy_interpretations",
    ),
    (
        "gov-2014",
        "通过其他方式回应",
        "次",
        "response.channels.other",
    ),
    ("gov-2014", "收到申请", "件", "applications.received"),
    ("gov-2014", "受理申请", "件", "applications.received"),
    (
        "gov-2019",
        "新收政府信息公开申请",
        "件",
        "apps.new_received.total",
    ),
    (
        "gov-2019",
        "收到政府信息公开申请",
        "件",
        "apps.new_received.total",
    ),
    (
        "gov-2021",
        "新收政府信息公开申请",
        "件",
        "apps.new_received.total",
    ),
    (
        "gov-2021",
        "收到政府信息公开申请",
        "件",
        "apps.new_received.total",
    ),
];

/// Narrative sentences that state a table figure differently from the table.
pub(super) fn narrative_figures(
    source: &Source,
    format: &Format,
    values: &[Option<Decimal>],
) -> Vec<Finding> {
    let mut out = Vec::new();
    for block in &source.blocks {
        for (fmt, keyword, unit, id) in NARRATIVE_FIGURES {
            if *fmt != format.id {
                continue;
            }
            let Some(index) = format.cell_index(id) else {
                continue;
            };
            for stated in stated_numbers(block, keyword, unit) {
                let table = values[index];
                if table != Some(stated) {
                    let shown =
                        table.map_or("空白（未填报）".to_string(), |v| v.to_string());
                    out.push(
                        Finding::new(
                            Level::Warning,
                            &block.at,
                            format!(
                                "正文写“{keyword}{stated}{unit}”，而统计表「{}」为 {shown}；两者不一致，已按统计表导入，请核对原件",
                                format.cells[index].label
                            ),
                        )
                        .field(*id),
                    );
                }
            }
        }
    }
    out
}

/// Channels of the 2014 table's 主动公开 rows, by the words a narrative uses for them.
const CHANNELS: &[(&str, &str)] = &[
    ("公报", "proactive.channels.gazette"),
    ("政报", "proactive.channels.gazette"),
    ("网站", "proactive.channels.website"),
    ("网页", "proactive.channels.website"),
    ("微博", "proactive.channels.weibo"),
    ("微信", "proactive.channels.wechat"),
];

/// A narrative clause giving a count for named channels that the table prints on another
/// channel's row (the seed's 124: "通过网站、政报等渠道" in the text, on the 微信 row in the
/// table; FORMATS.md §7 row misalignment).
pub(super) fn channel_rows(
    source: &Source,
    format: &Format,
    values: &[Option<Decimal>],
) -> Vec<Finding> {
    if format.id != "gov-2014" {
        return Vec::new();
    }
    let mut out = Vec::new();
    for block in &source.blocks {
        for clause in block.text.split(['，', ',', '。', ';', '；']) {
            let named: Vec<&str> = CHANNELS
                .iter()
                .filter(|(word, _)| clause.contains(word))
                .map(|(_, id)| *id)
                .collect();
            if named.is_empty() {
                continue;
            }
            let Some(stated) = count_in(clause) else {
                continue;
            };
            let on = |id: &str| format.cell_index(id).and_then(|i| values[i]) == Some(stated);
            if named.iter().any(|id| on(id)) {
                continue;
            }
            let Some(other) = CHANNELS.iter().map(|(_, id)| *id).find(|id| on(id)) else {
                continue;
            };
            let label = |id: &str| format.cell(id).map_or(String::new(), |c| c.label.clone());
            let named_labels: Vec<String> = named.iter().map(|id| label(id)).collect();
            out.push(
                Finding::new(
                    Level::Warning,
                    &block.at,
                    format!(
                        "正文说“{clause}”，统计表却把 {stated} 印在「{}」一行，而「{}」为空或不同；可能是原表错行，已照原表导入，请核对",
                        label(other),
                        named_labels.join("」「")
                    ),
                )
                .field(other),
            );
        }
    }
    out
}

/// The number before `条` in a clause, when there is exactly one.
fn count_in(clause: &str) -> Option<Decimal> {
    let at = clause.find('条')?;
    let digits: String = clause[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    match labels::figure(&digits) {
        Figure::Number { value, .. } => Some(value),
        _ => None,
    }
}

/// Numbers stated right after `keyword` (within a few characters, same clause) with `unit`.
fn stated_numbers(block: &Text, keyword: &str, unit: &str) -> Vec<Decimal> {
    let text = &block.text;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(keyword) {
        let start = from + pos + keyword.len();
        from = start;
        let tail: String = text[start..].chars().take(8).collect();
        let Some(digits_at) = tail.find(|c: char| c.is_ascii_digit()) else {
            continue;
        };
        let between = &tail[..digits_at];
        if between.contains(['，', ',', '。', ';', '；']) {
            continue;
        }
        let digits: String = tail[digits_at..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if !tail[digits_at + digits.len()..].starts_with(unit) {
            continue;
        }
        if let Figure::Number { value, .. } = labels::figure(&digits) {
            out.push(value);
        }
    }
    out
}

/// Pictures where a table should be: the page has images but no table was found.
pub(super) fn missing_table(source: &Source) -> Vec<Finding> {
    if !source.tables.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Finding::new(
        Level::Person,
        source.images.first().map_or(&Place::Nowhere, |i| &i.at),
        if source.images.is_empty() {
            "原文中没有找到统计表，未生成 stats.yaml；如原报告有统计表（例如作为附件另行发布），请另行导入其 Excel 表或照原件填写".to_string()
        } else {
            format!(
                "原文中没有找到文字形式的统计表，但有 {} 张图片（统计表可能以图片发布）；未生成 stats.yaml，请照图片录入或导入 Excel 原表",
                source.images.len()
            )
        },
    )];
    for image in &source.images {
        out.push(Finding::new(
            Level::Note,
            &image.at,
            format!("图片：{}", image.text),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_numbers_need_keyword_number_and_unit_in_one_clause() {
        let t = Text::new(
            "2018年,主动公开政府信息147条,其中主动公开规范性文件97条。",
            Place::Line(1),
        );
        assert_eq!(
            stated_numbers(&t, "主动公开政府信息", "条"),
            [Decimal::from(147)]
        );
        assert_eq!(
            stated_numbers(&t, "主动公开规范性文件", "条"),
            [Decimal::from(97)]
        );
        assert!(stated_numbers(&t, "主动公开规范性文件", "件").is_empty());
    }
}
