//! Excel workbooks: a report's `stats.xlsx` (`template`), a township's `compare.xlsx`
//! (`compare`), the input template of `nianbao template` ([`form`]), all on one sheet model
//! ([`sheet`]), which also holds the rust_xlsxwriter reference writers the lean ones are tested
//! against. Every worksheet prints the same way ([`print`]).

pub(crate) mod compare;
pub mod form;
pub(crate) mod list;
mod package;
pub(crate) mod print;
pub mod sheet;
pub(crate) mod template;

pub(crate) use print::{PrintSetup, print_setup};
