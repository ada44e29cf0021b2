//! Reading a catalog file into a [`Format`].

use std::collections::HashMap;

use serde::Deserialize;

use super::rules::{self, RuleSpec};
use super::{Cell, Format};

/// How a table is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Three columns: label | unit | value (the 2014 edition).
    List,
    /// A matrix of rows × columns with spanning headers (2019 and 2021 editions).
    Grid,
}

/// A column of a grid table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Column id, the last part of a cell id.
    pub id: String,
    /// Printed label.
    pub label: String,
    /// Spanning header labels above this column, outermost first.
    #[serde(default)]
    pub group: Vec<String>,
    /// Unit, when it differs from the table's.
    #[serde(default)]
    pub unit: Option<String>,
    /// Values may be negative.
    #[serde(default)]
    pub signed: bool,
    /// Values may be decimals.
    #[serde(default)]
    pub decimal: bool,
}

/// A row of a table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Row id (list layout: the whole cell id).
    pub id: String,
    /// Printed label.
    pub label: String,
    /// Spanning row-label cells to the left, outermost first (grid layout).
    #[serde(default)]
    pub group: Vec<String>,
    /// Printed unit (list layout).
    #[serde(default)]
    pub unit: Option<String>,
    /// Indentation depth of the label (list layout).
    #[serde(default)]
    pub level: u8,
    /// A heading row that normally carries no value.
    #[serde(default)]
    pub heading: bool,
    /// Values may be negative (list layout).
    #[serde(default)]
    pub signed: bool,
    /// Values may be decimals (list layout).
    #[serde(default)]
    pub decimal: bool,
    /// Cell index per column (list layout: one entry), filled when the format is built.
    #[serde(skip)]
    pub cells: Vec<Option<usize>>,
}

/// One printed table of a format.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Table id.
    pub id: String,
    /// Caption printed above it.
    pub title: String,
    /// How it is printed.
    pub layout: Layout,
    /// Column headings of a list table.
    #[serde(default)]
    pub header: Vec<String>,
    /// Prefix of every cell id of a grid table.
    #[serde(default)]
    pub prefix: String,
    /// Text of the top-left header cell of a grid table.
    #[serde(default)]
    pub corner: Option<String>,
    /// Whether the grid has row-label columns.
    #[serde(default = "yes")]
    pub row_labels: bool,
    /// Default unit of the cells.
    #[serde(default)]
    pub unit: Option<String>,
    /// Columns of a grid table.
    #[serde(default)]
    pub columns: Vec<Column>,
    /// Rows, in official order.
    pub rows: Vec<Row>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    id: String,
    name: String,
    edition: String,
    years: (u16, u16),
    #[serde(default)]
    headline: Vec<HeadlineSpec>,
    tables: Vec<Table>,
    #[serde(default)]
    rules: Vec<RuleSpec>,
}

/// `headline:` entry of a catalog file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadlineSpec {
    id: String,
    label: String,
}

/// Parse a catalog file and resolve its cells and rules.
pub(super) fn build_format(text: &str) -> Result<Format, String> {
    let file: CatalogFile = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let mut tables = file.tables;
    let mut cells = Vec::new();
    for (t, table) in tables.iter_mut().enumerate() {
        add_cells(t, table, &mut cells)?;
    }
    let mut by_id = HashMap::with_capacity(cells.len());
    for (i, cell) in cells.iter().enumerate() {
        if by_id.insert(cell.id.clone(), i).is_some() {
            return Err(format!("duplicate cell id {}", cell.id));
        }
    }
    let rules = rules::expand(&file.rules, &by_id)?;
    let headline = file
        .headline
        .into_iter()
        .map(|h| match by_id.get(&h.id) {
            Some(&cell) => Ok(super::Headline {
                cell,
                label: h.label,
            }),
            None => Err(format!("headline names unknown cell {}", h.id)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Format {
        id: file.id,
        name: file.name,
        edition: file.edition,
        years: file.years,
        headline,
        tables,
        cells,
        rules,
        by_id,
    })
}

fn add_cells(t: usize, table: &mut Table, cells: &mut Vec<Cell>) -> Result<(), String> {
    let table_unit = table.unit.clone().unwrap_or_default();
    match table.layout {
        Layout::List => {
            for row in &mut table.rows {
                row.cells = vec![Some(cells.len())];
                cells.push(Cell {
                    id: row.id.clone(),
                    label: row.label.clone(),
                    unit: row.unit.clone().unwrap_or_else(|| table_unit.clone()),
                    signed: row.signed,
                    decimal: row.decimal,
                    heading: row.heading,
                    table: t,
                });
            }
        }
        Layout::Grid => {
            if table.columns.is_empty() {
                return Err(format!("grid table {} has no columns", table.id));
            }
            for row in &mut table.rows {
                row.cells = Vec::with_capacity(table.columns.len());
                for col in &table.columns {
                    if row.heading {
                        row.cells.push(None);
                        continue;
                    }
                    row.cells.push(Some(cells.len()));
                    cells.push(Cell {
                        id: join_id(&[&table.prefix, &row.id, &col.id]),
                        label: grid_label(row, col),
                        unit: col.unit.clone().unwrap_or_else(|| table_unit.clone()),
                        signed: col.signed,
                        decimal: col.decimal,
                        heading: false,
                        table: t,
                    });
                }
            }
        }
    }
    Ok(())
}

fn join_id(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(".")
}

fn grid_label(row: &Row, col: &Column) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !row.label.is_empty() {
        parts.push(&row.label);
    }
    parts.extend(col.group.iter().map(String::as_str));
    parts.push(&col.label);
    parts.join(" / ")
}
