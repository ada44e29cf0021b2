//! The cross-format comparison catalog (`compare.yaml`): which cells of each format hold a
//! comparable indicator, and how well (FORMATS.md §4).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{Format, format};

const COMPARE_FILE: &str = include_str!("compare.yaml");

/// How well a format's cells match an indicator's definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Grade {
    /// The same quantity.
    #[serde(rename = "=")]
    Same,
    /// Approximately the same; shown with a footnote.
    #[serde(rename = "≈")]
    Approximate,
}

impl Grade {
    /// `=` or `≈`.
    pub fn symbol(self) -> &'static str {
        match self {
            Grade::Same => "=",
            Grade::Approximate => "≈",
        }
    }

    /// The grade of a comparison between two figures: `=` only when both are.
    pub fn join(self, other: Grade) -> Grade {
        self.max(other)
    }
}

/// Where one format keeps an indicator.
#[derive(Debug, Clone)]
pub struct Source {
    /// Cell indices in the format, summed.
    pub cells: Vec<usize>,
    /// How well they match.
    pub grade: Grade,
    /// Why, for `≈` (and remarks for `=`).
    pub note: Option<String>,
}

/// A comparable indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Canonical id.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// Unit.
    pub unit: String,
    /// A key indicator (year, county and chart views).
    pub key: bool,
    /// Per format id.
    pub sources: BTreeMap<String, Source>,
}

impl Indicator {
    /// Where `format` keeps this indicator, if it collects it at all.
    pub fn source(&self, format: &Format) -> Option<&Source> {
        self.sources.get(&format.id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    indicators: Vec<IndicatorSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorSpec {
    id: String,
    label: String,
    unit: String,
    #[serde(default)]
    key: bool,
    sources: BTreeMap<String, SourceSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSpec {
    ids: Vec<String>,
    grade: Grade,
    #[serde(default)]
    note: Option<String>,
}

/// All comparable indicators, in display order.
pub fn indicators() -> &'static [Indicator] {
    static INDICATORS: OnceLock<Vec<Indicator>> = OnceLock::new();
    INDICATORS.get_or_init(|| {
        build(COMPARE_FILE).unwrap_or_else(|e| panic!("embedded compare.yaml is invalid: {e}"))
    })
}

/// The key indicators, in display order.
pub fn key_indicators() -> impl Iterator<Item = &'static Indicator> {
    indicators().iter().filter(|i| i.key)
}

fn build(text: &str) -> Result<Vec<Indicator>, String> {
    let file: File = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    file.indicators
        .into_iter()
        .map(|spec| {
            let mut sources = BTreeMap::new();
            for (format_id, s) in spec.sources {
                let f = format(&format_id)
                    .ok_or_else(|| format!("{}: unknown format {format_id}", spec.id))?;
                let cells = resolve(f, &s.ids).map_err(|e| format!("{}: {e}", spec.id))?;
                sources.insert(
                    format_id,
                    Source {
                        cells,
                        grade: s.grade,
                        note: s.note,
                    },
                );
            }
            Ok(Indicator {
                id: spec.id,
                label: spec.label,
                unit: spec.unit,
                key: spec.key,
                sources,
            })
        })
        .collect()
}

/// Resolve ids (with an optional single `*` standing for one or more id segments) to cells.
fn resolve(format: &Format, ids: &[String]) -> Result<Vec<usize>, String> {
    let mut cells = Vec::new();
    for id in ids {
        match id.split_once('*') {
            None => cells.push(
                format
                    .cell_index(id)
                    .ok_or_else(|| format!("{} has no cell {id}", format.id))?,
            ),
            Some((prefix, suffix)) => {
                let before = cells.len();
                cells.extend(format.cells.iter().enumerate().filter_map(|(i, c)| {
                    let matches = c.id.len() > prefix.len() + suffix.len()
                        && c.id.starts_with(prefix)
                        && c.id.ends_with(suffix);
                    matches.then_some(i)
                }));
                if cells.len() == before {
                    return Err(format!("{} has no cell matching {id}", format.id));
                }
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_loads_and_wildcards_expand() {
        let denied = indicators()
            .iter()
            .find(|i| i.id == "apps.outcome.denied")
            .unwrap();
        let b = format("gov-2019").unwrap();
        assert_eq!(denied.source(b).unwrap().cells.len(), 8);
        let other = indicators()
            .iter()
            .find(|i| i.id == "apps.outcome.other")
            .unwrap();
        assert_eq!(
            other
                .source(format("gov-2021").unwrap())
                .unwrap()
                .cells
                .len(),
            3
        );
        assert_eq!(other.source(b).unwrap().cells.len(), 1);
    }

    #[test]
    fn approximate_sources_explain_themselves() {
        for i in indicators() {
            for (f, s) in &i.sources {
                if s.grade == Grade::Approximate {
                    assert!(s.note.is_some(), "{} in {f} is ≈ without a note", i.id);
                }
            }
        }
    }

    #[test]
    fn fees_of_2019_and_2021_are_never_the_same_indicator() {
        for i in indicators() {
            let in_b = i.sources.get("gov-2019").is_some_and(|s| {
                s.cells.iter().any(|&c| {
                    format("gov-2019").unwrap().cells[c]
                        .id
                        .starts_with("art20_8")
                })
            });
            assert!(
                !(in_b && i.sources.contains_key("gov-2021")),
                "{} joins 2019 fee items with 2021 money",
                i.id
            );
        }
    }

    #[test]
    fn key_indicators_exist() {
        assert!(key_indicators().count() >= 6);
        assert!(Grade::Same.join(Grade::Approximate) == Grade::Approximate);
    }
}
