//! Data files: what a report, a township and the county publish for download besides the pages —
//! CSV and JSON ([`data`]) and Excel workbooks ([`xlsx`]).
//!
//! Every figure is written exactly as the source has it; blank stays blank, never 0.

pub mod audit;
pub mod data;
pub mod federation;
pub(crate) mod figures;
pub mod portal;
pub(crate) mod totals;
pub mod xlsx;
