//! Reading a county portal's `data/portal.json` (schema `nianbao-portal`): the document is
//! checked before anything in it is used — its schema and version, its base URL, and that every
//! URL it names lies under that base URL.

use serde::Deserialize;
use thiserror::Error;

/// The schema and version this reader understands ([`crate::export::portal`] writes them; the
/// two are kept equal by a test).
pub const SCHEMA: &str = "nianbao-portal";
/// See [`SCHEMA`].
pub const SCHEMA_VERSION: u64 = 1;

/// Why a portal description cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PortalError {
    /// Not JSON, or not the shape of the schema.
    #[error("门户描述 portal.json 不是有效的 JSON：{0}")]
    Json(String),
    /// Another schema (or none).
    #[error("门户描述的 schema 是「{0}」，不是 nianbao-portal")]
    Schema(String),
    /// A version this program does not read.
    #[error("门户描述的结构版本为 {found}，本程序只能读取 {supported}{advice}")]
    Version {
        /// The document's version.
        found: u64,
        /// [`SCHEMA_VERSION`].
        supported: u64,
        /// What to do about it.
        advice: &'static str,
    },
    /// The base URL is not an absolute http(s) URL ending in `/`.
    #[error("门户描述的 base_url「{0}」不是以 / 结尾的完整网址")]
    BaseUrl(String),
    /// A URL outside the base URL.
    #[error("门户描述中的网址「{url}」不在本门户的 base_url「{base}」之下")]
    Outside {
        /// The URL.
        url: String,
        /// The base URL.
        base: String,
    },
    /// Something inconsistent.
    #[error("门户描述有误：{0}")]
    Invalid(String),
}

/// The parts of `portal.json` a federation uses; unknown fields are ignored, as the contract
/// asks of readers.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct PortalDoc {
    /// The site's title.
    pub title: String,
    /// Where the portal is published; every URL below starts with it.
    pub base_url: String,
    /// The county (`[portal] region`).
    #[serde(default)]
    pub publisher: String,
    /// The day its own audit was made as of.
    #[serde(default)]
    pub as_of: Option<String>,
    /// The county-wide data files.
    pub data: DataUrls,
    /// The township registry.
    pub townships: Vec<TownshipDoc>,
    /// Every report.
    pub reports: Vec<ReportDoc>,
    /// The county's audit: only each year's deadline is used (the statuses are recomputed).
    pub audit: AuditDoc,
}

/// `data` of the document.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct DataUrls {
    /// `data/all.csv`.
    pub all_csv: String,
    /// `county/totals.csv`.
    pub totals_csv: String,
}

/// One township of the registry.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct TownshipDoc {
    /// Its code.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// The first report year it existed in.
    #[serde(default)]
    pub since: Option<u16>,
    /// The last report year it existed in.
    #[serde(default)]
    pub until: Option<u16>,
}

impl TownshipDoc {
    /// Whether the township existed in report year `year` (as [`crate::site::Township`]).
    pub fn existed_in(&self, year: u16) -> bool {
        self.since.is_none_or(|s| year >= s) && self.until.is_none_or(|u| year <= u)
    }
}

/// One report.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct ReportDoc {
    /// The report year.
    pub year: u16,
    /// The township's slug.
    pub township: String,
    /// Its title.
    #[serde(default)]
    pub title: String,
    /// The table format, `None` without a table.
    #[serde(default)]
    pub format: Option<String>,
    /// The 公开日期, `YYYY-MM-DD`, `None` when the original does not show it.
    #[serde(default)]
    pub published: Option<String>,
    /// The report's page.
    pub page: String,
}

/// `audit` of the document.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct AuditDoc {
    /// Each audited year with its deadline.
    pub years: Vec<AuditYearDoc>,
}

/// One year of `audit.years`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct AuditYearDoc {
    /// The report year.
    pub year: u16,
    /// Its deadline, `YYYY-MM-DD`.
    #[serde(default)]
    pub deadline: Option<String>,
    /// What sets it.
    #[serde(default)]
    pub basis: Option<String>,
}

/// Read and check a portal description.
pub fn parse(bytes: &[u8]) -> Result<PortalDoc, PortalError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| PortalError::Json(e.to_string()))?;
    let schema = value.get("schema").and_then(|s| s.as_str()).unwrap_or("");
    if schema != SCHEMA {
        return Err(PortalError::Schema(schema.to_string()));
    }
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| PortalError::Invalid("缺少结构版本 schema_version".to_string()))?;
    if version != SCHEMA_VERSION {
        let advice = if version > SCHEMA_VERSION {
            "；该县门户由更新的 nianbao 生成，请升级本程序"
        } else {
            "；请该县用新版 nianbao 重新生成门户"
        };
        return Err(PortalError::Version {
            found: version,
            supported: SCHEMA_VERSION,
            advice,
        });
    }
    let doc: PortalDoc =
        serde_json::from_value(value).map_err(|e| PortalError::Json(e.to_string()))?;
    doc.check()?;
    Ok(doc)
}

impl PortalDoc {
    /// Every URL under `base_url`, townships unique, reports of registered townships.
    fn check(&self) -> Result<(), PortalError> {
        let base = &self.base_url;
        let absolute = (base.starts_with("https://") || base.starts_with("http://"))
            && base.ends_with('/')
            && !base.contains(['?', '#', ' ']);
        if !absolute {
            return Err(PortalError::BaseUrl(base.clone()));
        }
        let urls = [&self.data.all_csv, &self.data.totals_csv]
            .into_iter()
            .chain(self.reports.iter().map(|r| &r.page));
        for url in urls {
            self.relative(url)?;
        }
        let mut slugs = std::collections::HashSet::new();
        for t in &self.townships {
            if !slugs.insert(t.slug.as_str()) {
                return Err(PortalError::Invalid(format!("乡镇代号「{}」重复", t.slug)));
            }
        }
        for r in &self.reports {
            if !slugs.contains(r.township.as_str()) {
                return Err(PortalError::Invalid(format!(
                    "{} 年度报告的乡镇「{}」不在乡镇名录中",
                    r.year, r.township
                )));
            }
            if let Some(p) = &r.published
                && crate::dates::parse_date(p).is_none()
            {
                return Err(PortalError::Invalid(format!(
                    "{} 年度「{}」的公开日期「{p}」不是 YYYY-MM-DD",
                    r.year, r.township
                )));
            }
        }
        Ok(())
    }

    /// The path of `url` under the base URL (no `..`, no query); an error otherwise.
    pub fn relative<'a>(&self, url: &'a str) -> Result<&'a str, PortalError> {
        let outside = || PortalError::Outside {
            url: url.to_string(),
            base: self.base_url.clone(),
        };
        let rel = url
            .strip_prefix(self.base_url.as_str())
            .ok_or_else(outside)?;
        let bad = rel.contains(['?', '#', '\\'])
            || rel.split('/').any(|part| part == ".." || part == ".");
        if bad {
            return Err(outside());
        }
        Ok(rel)
    }

    /// The deadline the county gave for `year` in its audit, if it audited that year.
    pub fn deadline(&self, year: u16) -> Option<crate::dates::Due> {
        let y = self.audit.years.iter().find(|y| y.year == year)?;
        Some(crate::dates::Due {
            date: crate::dates::parse_date(y.deadline.as_deref()?)?,
            basis: y.basis.clone().unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(version: &str, base: &str, page: &str) -> String {
        format!(
            r#"{{"schema":"nianbao-portal","schema_version":{version},"title":"t","base_url":"{base}",
            "data":{{"all_csv":"{base}data/all.csv","totals_csv":"{base}county/totals.csv"}},
            "townships":[{{"slug":"a","name":"甲镇"}}],
            "reports":[{{"year":2020,"township":"a","published":"2021-01-05","page":"{page}"}}],
            "audit":{{"years":[{{"year":2020,"deadline":"2021-01-31","basis":"条例"}}]}},"new_field":1}}"#
        )
    }

    #[test]
    fn reads_what_the_writer_writes() {
        assert_eq!(SCHEMA, crate::export::portal::SCHEMA);
        assert_eq!(
            SCHEMA_VERSION,
            u64::from(crate::export::portal::SCHEMA_VERSION)
        );
    }

    #[test]
    fn reads_version_1_and_ignores_unknown_fields() {
        let base = "http://127.0.0.1:1/x/";
        let d = parse(doc("1", base, &format!("{base}2020/a/")).as_bytes()).expect("reads");
        assert_eq!(d.reports.len(), 1);
        assert_eq!(
            d.deadline(2020).map(|d| d.date.to_string()).as_deref(),
            Some("2021-01-31")
        );
        assert_eq!(d.relative(&d.data.all_csv), Ok("data/all.csv"));
    }

    #[test]
    fn refuses_other_versions_with_a_clear_message() {
        let base = "http://h/";
        let page = format!("{base}2020/a/");
        let newer = parse(doc("2", base, &page).as_bytes()).expect_err("newer");
        assert!(
            newer.to_string().contains("结构版本为 2，本程序只能读取 1"),
            "{newer}"
        );
        assert!(newer.to_string().contains("升级"));
        let older = parse(doc("0", base, &page).as_bytes()).expect_err("older");
        assert!(older.to_string().contains("结构版本为 0"), "{older}");
        let other = parse(br#"{"schema":"x"}"#).expect_err("schema");
        assert_eq!(other, PortalError::Schema("x".to_string()));
        assert!(matches!(parse(b"{"), Err(PortalError::Json(_))));
    }

    #[test]
    fn refuses_urls_outside_the_base_url() {
        let base = "http://h/x/";
        for page in ["http://evil/2020/a/", "http://h/x/../y/", "http://h/xy/"] {
            let e = parse(doc("1", base, page).as_bytes()).expect_err(page);
            assert!(matches!(e, PortalError::Outside { .. }), "{page}: {e}");
        }
    }
}
