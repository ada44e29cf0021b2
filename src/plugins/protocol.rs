//! The JSON protocol between nianbao and a plugin, version 1.
//!
//! nianbao writes [`document`] to the plugin's standard input and reads [`Output`] from its
//! standard output. Fields are only ever added: a plugin ignores keys it does not know, and
//! nianbao ignores keys of the output it does not know. `nianbao export --format json` prints
//! the same document.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::site::{Report, Site, Township};

/// The protocol's version, the document's `version`.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    site: SiteDoc<'a>,
}

#[derive(Serialize)]
struct SiteDoc<'a> {
    title: &'a str,
    base_url: &'a str,
    region: &'a str,
    townships: Vec<TownshipDoc<'a>>,
    reports: Vec<ReportDoc<'a>>,
}

#[derive(Serialize)]
struct TownshipDoc<'a> {
    slug: &'a str,
    name: &'a str,
    kind: &'a str,
    code: Option<&'a str>,
    since: Option<u16>,
    until: Option<u16>,
}

#[derive(Serialize)]
struct ReportDoc<'a> {
    year: u16,
    township: &'a str,
    township_name: &'a str,
    file: String,
    narrative_line: usize,
    front_matter: FrontMatter<'a>,
    narrative: &'a str,
    format: Option<&'a str>,
    /// Every cell of the format by id: the figure as written (`1.50` stays `1.50`), `null` blank.
    values: BTreeMap<&'a str, Option<Box<RawValue>>>,
}

#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    index_no: Option<&'a str>,
    publisher: &'a str,
    scope: Option<&'a str>,
    generated: Option<String>,
    published: Option<String>,
    channel: Option<&'a str>,
    source_url: Option<&'a str>,
    form: Option<FormDoc<'a>>,
    attachments: Vec<AttachmentDoc<'a>>,
    draft: bool,
}

#[derive(Serialize)]
struct FormDoc<'a> {
    fill_unit: Option<&'a str>,
    unit_head: Option<&'a str>,
    reviewer: Option<&'a str>,
    filler: Option<&'a str>,
    phone: Option<&'a str>,
    filled: Option<String>,
}

#[derive(Serialize)]
struct AttachmentDoc<'a> {
    file: &'a str,
    title: Option<&'a str>,
}

/// The model as plugins receive it and `nianbao export --format json` prints it: one JSON
/// document, keys in a fixed order, ending with a newline. The same site gives the same bytes.
pub fn document(site: &Site) -> String {
    let doc = Document {
        version: VERSION,
        site: SiteDoc {
            title: &site.config.title,
            base_url: &site.config.base_url,
            region: &site.config.portal.region,
            townships: site.townships.iter().map(township).collect(),
            reports: site.reports.iter().map(|r| report(site, r)).collect(),
        },
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn township(t: &Township) -> TownshipDoc<'_> {
    TownshipDoc {
        slug: &t.slug,
        name: &t.name,
        kind: &t.kind,
        code: t.code.as_deref(),
        since: t.since,
        until: t.until,
    }
}

fn report<'a>(site: &'a Site, r: &'a Report) -> ReportDoc<'a> {
    let m = &r.meta;
    let values = r.stats.as_ref().map_or_else(BTreeMap::new, |s| {
        s.format
            .cells
            .iter()
            .zip(&s.values)
            .map(|(c, v)| {
                let number = v.and_then(|v| RawValue::from_string(v.to_string()).ok());
                (c.id.as_str(), number)
            })
            .collect()
    });
    ReportDoc {
        year: r.year,
        township: &r.township,
        township_name: site.township_name(&r.township),
        file: format!("{}/{}", r.folder, crate::content::report::REPORT_FILE),
        narrative_line: r.narrative_line,
        front_matter: FrontMatter {
            title: &m.title,
            index_no: m.index_no.as_deref(),
            publisher: &m.publisher,
            scope: m.scope.as_deref(),
            generated: m.generated.map(|d| d.to_string()),
            published: m.published.map(|d| d.to_string()),
            channel: m.channel.as_deref(),
            source_url: m.source_url.as_deref(),
            form: m.form.as_ref().map(|f| FormDoc {
                fill_unit: f.fill_unit.as_deref(),
                unit_head: f.unit_head.as_deref(),
                reviewer: f.reviewer.as_deref(),
                filler: f.filler.as_deref(),
                phone: f.phone.as_deref(),
                filled: f.filled.map(|d| d.to_string()),
            }),
            attachments: r
                .attachments
                .iter()
                .map(|a| AttachmentDoc {
                    file: &a.path,
                    title: a.title.as_deref(),
                })
                .collect(),
            draft: m.draft,
        },
        narrative: &r.narrative,
        format: r.stats.as_ref().map(|s| s.format.id.as_str()),
        values,
    }
}

/// What a plugin prints: pages to add and findings to report. Unknown keys are ignored.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Output {
    #[serde(default)]
    pub(crate) pages: Vec<OutputPage>,
    #[serde(default)]
    pub(crate) diagnostics: Vec<OutputDiagnostic>,
}

/// One page of a plugin's output.
#[derive(Debug, Deserialize)]
pub(crate) struct OutputPage {
    pub(crate) path: String,
    pub(crate) title: String,
    pub(crate) markdown: String,
}

/// One finding of a plugin's output.
#[derive(Debug, Deserialize)]
pub(crate) struct OutputDiagnostic {
    pub(crate) severity: Severity,
    pub(crate) file: String,
    #[serde(default)]
    pub(crate) line: Option<usize>,
    pub(crate) message: String,
}

/// A finding's severity as plugins write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}
