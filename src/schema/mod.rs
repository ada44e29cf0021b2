//! The official statistics-table formats (2014, 2019 and 2021 editions).
//!
//! Each format is a catalog file under `src/schema/formats/`, embedded in the binary: its tables
//! in official order, every cell's id, printed label, unit and flags, and its consistency rules.
//! Everything that knows what a table looks like or what must add up reads it from here.

mod catalog;
pub mod compare;
mod rules;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

pub use catalog::{Column, Layout, Row, Table};
pub use rules::{Comparison, Rule, RuleKind};

/// The embedded catalog files, by format id.
const CATALOG_FILES: [(&str, &str); 3] = [
    ("gov-2014", include_str!("formats/gov-2014.yaml")),
    ("gov-2019", include_str!("formats/gov-2019.yaml")),
    ("gov-2021", include_str!("formats/gov-2021.yaml")),
];

/// One indicator (one value slot) of a format.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The id written in stats.yaml, without format prefix.
    pub id: String,
    /// The printed label of the row (list layout) or the row and column labels joined (grid).
    pub label: String,
    /// Unit, empty when the format has none.
    pub unit: String,
    /// May be negative (本年增/减).
    pub signed: bool,
    /// May be a decimal (money in 万元 or 元).
    pub decimal: bool,
    /// A heading row that normally carries no value.
    pub heading: bool,
    /// Index of the table the cell belongs to.
    pub table: usize,
}

impl Cell {
    /// Whether the printed label already states the unit (本年收费金额（单位：万元）), so that
    /// a scaffold or form does not add it a second time.
    pub fn label_names_unit(&self) -> bool {
        !self.unit.is_empty()
            && (self.label.contains(&format!("（{}）", self.unit))
                || self.label.contains(&format!("单位：{}", self.unit))
                || self.label.contains(&format!("单位:{}", self.unit)))
    }
}

/// One key figure of a form: its cell and a short label for overview tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// Index in [`Format::cells`].
    pub cell: usize,
    /// Short label, e.g. 主动公开政府信息数.
    pub label: String,
}

/// A statistics-table format: its tables, cells and rules.
#[derive(Debug)]
pub struct Format {
    /// `gov-2014`, `gov-2019` or `gov-2021`.
    pub id: String,
    /// The official name of the table.
    pub name: String,
    /// The defining document.
    pub edition: String,
    /// First and last report year the edition is for.
    pub years: (u16, u16),
    /// The form's key figures, for year and county overviews.
    pub headline: Vec<Headline>,
    /// Tables in official order.
    pub tables: Vec<Table>,
    /// Every cell, in official order (table by table, row by row, column by column).
    pub cells: Vec<Cell>,
    /// Consistency rules, expanded and resolved to cell indices.
    pub rules: Vec<Rule>,
    by_id: HashMap<String, usize>,
}

impl Format {
    /// The cell index of an id.
    pub fn cell_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The cell of an id.
    pub fn cell(&self, id: &str) -> Option<&Cell> {
        self.cell_index(id).map(|i| &self.cells[i])
    }
}

/// All formats known to this build, in edition order.
pub fn formats() -> &'static [Format] {
    static FORMATS: OnceLock<Vec<Format>> = OnceLock::new();
    FORMATS.get_or_init(|| {
        CATALOG_FILES
            .iter()
            .map(|(id, text)| {
                catalog::build_format(text)
                    .unwrap_or_else(|e| panic!("embedded catalog {id} is invalid: {e}"))
            })
            .collect()
    })
}

/// The format with this id.
pub fn format(id: &str) -> Option<&'static Format> {
    formats().iter().find(|f| f.id == id)
}

/// The ids of all formats, for messages.
pub fn format_ids() -> Vec<&'static str> {
    formats().iter().map(|f| f.id.as_str()).collect()
}

/// Something made once per table format and kept for the whole run (the templates of its tables
/// and workbooks): made on first use, shared after. A failed making is not kept.
pub(crate) struct PerFormat<T>(OnceLock<Mutex<HashMap<String, T>>>);

impl<T: Clone> PerFormat<T> {
    /// An empty cache, for a `static`.
    pub(crate) const fn new() -> Self {
        PerFormat(OnceLock::new())
    }

    /// The value of `format`, made by `make` the first time.
    pub(crate) fn get_or_try_make<E>(
        &self,
        format: &Format,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let cache = self.0.get_or_init(Default::default);
        if let Some(made) = cache.lock().ok().and_then(|c| c.get(&format.id).cloned()) {
            return Ok(made);
        }
        let made = make()?;
        if let Ok(mut c) = cache.lock() {
            c.insert(format.id.clone(), made.clone());
        }
        Ok(made)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_in_the_label_is_named_once() {
        let f = format("gov-2021").unwrap();
        let fee = f.cell("art20_8.admin_fees.amount_10k_yuan").unwrap();
        assert!(fee.label_names_unit(), "{}", fee.label);
        let plain = f.cell("apps.new_received.total").unwrap();
        assert!(!plain.label_names_unit(), "{}", plain.label);
    }

    #[test]
    fn every_embedded_catalog_loads() {
        assert_eq!(format_ids(), ["gov-2014", "gov-2019", "gov-2021"]);
    }

    #[test]
    fn format_a_has_the_65_printed_rows_in_order() {
        let a = format("gov-2014").unwrap();
        assert_eq!(a.cells.len(), 65);
        assert_eq!(a.cells[0].id, "proactive");
        assert!(a.cells[0].heading);
        assert_eq!(a.cells[1].id, "proactive.total");
        assert_eq!(a.cells[1].unit, "条");
        assert_eq!(a.cells[64].id, "training.trainees");
        assert_eq!(a.cells[64].unit, "人次");
        assert!(a.cell("org.budget").unwrap().decimal);
        assert!(a.cell("training").unwrap().heading);
        assert!(!a.cell("review.total").unwrap().heading);
    }

    #[test]
    fn formats_b_and_c_differ_where_formats_md_says() {
        let b = format("gov-2019").unwrap();
        let c = format("gov-2021").unwrap();
        assert!(b.cell("art20_1.normative_docs.new_made").is_some());
        assert!(c.cell("art20_1.normative_docs.issued").is_some());
        assert!(b.cell("art20_5.licensing.delta_items").unwrap().signed);
        assert!(
            c.cell("art20_8.admin_fees.amount_10k_yuan")
                .unwrap()
                .decimal
        );
        assert!(b.cell("apps.outcome.other.total").is_some());
        assert!(c.cell("apps.outcome.other.total").is_none());
        assert!(c.cell("apps.outcome.other.no_fee_payment.total").is_some());
        assert!(b.cell("art20_9.central_procurement.amount").is_some());
        assert!(c.cell("art20_9.central_procurement.amount").is_none());
        for f in [b, c] {
            assert!(f.cell("apps.carry_forward.legal.commercial").is_some());
            assert!(f.cell("litigation.after_review.pending").is_some());
            assert_eq!(f.cell("review.total").unwrap().unit, "件");
        }
    }

    #[test]
    fn ids_are_unique_within_a_format() {
        for f in formats() {
            let mut seen = std::collections::HashSet::new();
            for c in &f.cells {
                assert!(seen.insert(&c.id), "{}: duplicate {}", f.id, c.id);
            }
        }
    }

    #[test]
    fn every_rule_resolves_and_has_a_title() {
        for f in formats() {
            assert!(!f.rules.is_empty(), "{} has no rules", f.id);
            for r in &f.rules {
                assert!(!r.title.is_empty());
                assert!(!r.left.is_empty());
            }
        }
        let a = format("gov-2014").unwrap();
        assert!(a.rules.iter().any(|r| r.id == "A-R13"));
        let b = format("gov-2019").unwrap();
        assert_eq!(b.rules.iter().filter(|r| r.id == "BC-R1").count(), 7);
    }
}
