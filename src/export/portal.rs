//! `data/portal.json`: a portal's machine-readable face — who publishes, which townships are
//! registered, every report with its page and data files, the audit as of the build's day, and
//! where the county-wide data lives. Other tools (and a city's federation portal) read a county
//! portal through this one document; its contract is versioned in docs/内容格式.md.

use serde_json::{Value, json};

use crate::plan::{DataKind, urls};
use crate::site::Site;
use crate::site::audit::Audit;

/// The name of the document's schema, so that a reader can tell it from other JSON.
pub const SCHEMA: &str = "nianbao-portal";

/// The schema's version: raised when a field changes meaning or goes; new fields may be added
/// within a version.
pub const SCHEMA_VERSION: u32 = 1;

/// The document's top level, in the order a person reads it (nested objects are sorted).
#[derive(serde::Serialize)]
struct Portal<'a> {
    schema: &'static str,
    schema_version: u32,
    generator: Value,
    title: &'a str,
    base_url: &'a str,
    publisher: &'a str,
    language: &'a str,
    as_of: Option<String>,
    data: Value,
    townships: Vec<Value>,
    reports: Vec<Value>,
    audit: Value,
}

/// The document, pretty-printed, ending in a newline.
pub(crate) fn json(site: &Site, audit: &Audit) -> Vec<u8> {
    let base = &site.config.base_url;
    let url = |path: &str| urls::absolute(base, path);
    let townships: Vec<Value> = site
        .townships
        .iter()
        .map(|t| {
            json!({
                "slug": t.slug,
                "name": t.name,
                "kind": t.kind,
                "code": t.code,
                "since": t.since,
                "until": t.until,
            })
        })
        .collect();
    let reports: Vec<Value> = site
        .reports
        .iter()
        .map(|r| {
            let data = r.stats.as_ref().map(|_| {
                json!({
                    "csv": url(&urls::report_data(r.year, &r.township, DataKind::Csv)),
                    "json": url(&urls::report_data(r.year, &r.township, DataKind::Json)),
                    "xlsx": url(&urls::report_data(r.year, &r.township, DataKind::Xlsx)),
                })
            });
            json!({
                "year": r.year,
                "township": r.township,
                "title": r.meta.title,
                "format": r.stats.as_ref().map(|s| s.format.id.as_str()),
                "published": r.meta.published.map(|d| d.to_string()),
                "page": url(&urls::report(r.year, &r.township)),
                "data": data,
            })
        })
        .collect();
    let doc = Portal {
        schema: SCHEMA,
        schema_version: SCHEMA_VERSION,
        generator: json!({ "name": "nianbao", "version": env!("CARGO_PKG_VERSION") }),
        title: &site.config.title,
        base_url: base,
        publisher: &site.config.portal.region,
        language: &site.config.language,
        as_of: audit.as_of.map(|d| d.to_string()),
        data: json!({
            "all_csv": url("data/all.csv"),
            "all_json": url("data/all.json"),
            "audit_csv": url(&urls::audit_data(DataKind::Csv)),
            "audit_xlsx": url(&urls::audit_data(DataKind::Xlsx)),
            "totals_csv": url(&urls::county_totals(DataKind::Csv)),
        }),
        townships,
        reports,
        audit: json!({
            "years": super::audit::json_years(site, audit),
            "cells": super::audit::json_cells(site, audit),
        }),
    };
    // A `Value` of strings, numbers and nulls always serialises.
    let mut text = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    text.push(b'\n');
    text
}
