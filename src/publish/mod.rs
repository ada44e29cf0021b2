//! Writing the output: the staging tree and its atomic swap into place (`staging`), the year
//! archives ([`archive`]; as web archives keep them: [`warc`], [`bagit`]), the archives kept beside the site for the next build (`kept`) and the
//! stamp that lets an unchanged site skip its build (`stamp`).
//! Only this layer writes to the output directory.

pub mod archive;
pub mod bagit;
#[cfg(feature = "serve")]
pub(crate) mod in_place;
pub(crate) mod kept;
pub(crate) mod sink;
pub(crate) mod staging;
pub(crate) mod stamp;
pub mod warc;
