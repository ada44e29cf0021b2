//! A city's federation portal: one site built from the portals its member counties publish.
//!
//! Each member is read through its `data/portal.json` (the reading side of
//! [`crate::export::portal`]'s contract, [`portal`]), from a URL or a folder ([`source`]); the last
//! good copy of each member is kept in the site's cache, and a member that cannot be read is
//! built from that copy with a warning. [`model`] recomputes the oversight across every member's
//! townships as of the federation's day, and unions their data and county totals.

pub mod data;
pub mod model;
pub mod portal;
pub mod source;

pub use model::{Federation, Member};
pub use portal::{PortalDoc, PortalError};
pub use source::{FetchError, Loaded as LoadedMember};
