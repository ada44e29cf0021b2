//! Consistency rules of a format: `Σ left  op  Σ right` over cells.

use std::collections::HashMap;

use serde::Deserialize;

/// How sure the rule is (FORMATS.md): a hard rule follows from the table's definitions, a soft
/// rule usually holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Follows from the definitions.
    Hard,
    /// Usually holds.
    Soft,
}

/// The comparison between the two sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Comparison {
    /// Both sides equal.
    #[serde(rename = "=")]
    Equal,
    /// Left at most right.
    #[serde(rename = "<=")]
    AtMost,
    /// Left at least right.
    #[serde(rename = ">=")]
    AtLeast,
}

impl Comparison {
    /// Whether `left op right` holds.
    pub fn holds<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            Comparison::Equal => left == right,
            Comparison::AtMost => left <= right,
            Comparison::AtLeast => left >= right,
        }
    }

    /// The symbol as written in rules.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Equal => "=",
            Comparison::AtMost => "≤",
            Comparison::AtLeast => "≥",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleSpec {
    id: String,
    kind: RuleKind,
    title: String,
    #[serde(default)]
    each: Vec<String>,
    left: Vec<String>,
    op: Comparison,
    right: Vec<String>,
}

/// One instantiated rule, resolved to cell indices.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Rule id, e.g. `A-R13` or `BC-R1`.
    pub id: String,
    /// For rules instantiated per column or row: the entry (e.g. `natural_person`).
    pub instance: Option<String>,
    /// Hard or soft.
    pub kind: RuleKind,
    /// What should hold, in Chinese.
    pub title: String,
    /// Cells summed on the left.
    pub left: Vec<usize>,
    /// The comparison.
    pub op: Comparison,
    /// Cells summed on the right; empty means the constant 0.
    pub right: Vec<usize>,
}

pub(super) fn expand(
    specs: &[RuleSpec],
    by_id: &HashMap<String, usize>,
) -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    for spec in specs {
        let instances: Vec<Option<&str>> = if spec.each.is_empty() {
            vec![None]
        } else {
            spec.each.iter().map(|e| Some(e.as_str())).collect()
        };
        for instance in instances {
            let resolve = |ids: &[String]| -> Result<Vec<usize>, String> {
                ids.iter()
                    .map(|id| {
                        let id = match instance {
                            Some(e) => id.replace("{}", e),
                            None => id.clone(),
                        };
                        by_id
                            .get(&id)
                            .copied()
                            .ok_or_else(|| format!("rule {} names unknown cell {id}", spec.id))
                    })
                    .collect()
            };
            rules.push(Rule {
                id: spec.id.clone(),
                instance: instance.map(str::to_string),
                kind: spec.kind,
                title: spec.title.clone(),
                left: resolve(&spec.left)?,
                op: spec.op,
                right: resolve(&spec.right)?,
            });
        }
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons() {
        assert!(Comparison::AtMost.holds(97, 147));
        assert!(!Comparison::AtMost.holds(97, 85));
        assert!(Comparison::AtLeast.holds(147, 147));
        assert!(!Comparison::Equal.holds(3, 4));
    }
}
