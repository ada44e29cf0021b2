//! The navigation of a list split into pages of townships ([`crate::plan::LIST_PAGE`]).

use serde::Serialize;

use crate::plan::{list_pages, list_range, urls};
use crate::site::Site;

/// One page of a paginated list, as its navigation names it: its number and the townships it
/// lists (first and last).
#[derive(Debug, Serialize)]
pub(crate) struct PagerLink {
    number: usize,
    first: String,
    last: String,
    href: String,
    current: bool,
}

/// The navigation of the list whose first page is `<dir>/index.html`: every page, `current`
/// marked; empty when the list fits one page (a small site shows no pagination).
pub(crate) fn pager(site: &Site, dir: &str, current: Option<usize>) -> Vec<PagerLink> {
    let n = site.townships.len();
    let pages = list_pages(n);
    if pages == 1 {
        return Vec::new();
    }
    (0..pages)
        .map(|page| {
            let range = list_range(n, page);
            PagerLink {
                number: page + 1,
                first: site.townships[range.start].name.clone(),
                last: site.townships[range.end - 1].name.clone(),
                href: urls::list_page(dir, page),
                current: current == Some(page),
            }
        })
        .collect()
}
