//! nianbao (年报): a static site generator for Chinese government information-disclosure annual
//! reports (政府信息公开工作年度报告).
//!
//! The pipeline follows the data: [`config`] → [`content`] (load) → [`validate`] → [`site`]
//! (model) → [`render`] → [`output`] (write), driven by [`build`].

// A `Diagnostic` (about 150 bytes) is the error type of most loaders. Errors are the cold path
// and are collected, not propagated through hot loops, so boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod encoding;
pub mod export;
pub mod import;
pub mod linkcheck;
pub mod plan;
pub mod produce;
mod profile;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod validate;
