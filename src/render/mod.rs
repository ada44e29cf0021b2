//! HTML: the pages of a site (from tera templates), their official tables, comparison views and
//! charts, Markdown narratives, the feed and sitemap, QR codes. Every function here is pure: a
//! page is a function of the planned file, the site and the theme.

pub(crate) mod audit;
pub(crate) mod chart;
pub(crate) mod compare_view;
pub(crate) mod csp;
pub(crate) mod embed;
pub(crate) mod federation;
pub(crate) mod feeds;
pub(crate) mod headline;
pub mod markdown;
pub(crate) mod pager;
pub mod pages;
pub mod qr;
pub(crate) mod table;

pub(crate) use crate::theme::{StaticFile, Theme};

/// A file name as saved on the reader's computer: characters Windows refuses become `_`.
pub(crate) fn save_name(parts: &[&str], extension: &str) -> String {
    let stem: String = parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{stem}.{extension}")
}
