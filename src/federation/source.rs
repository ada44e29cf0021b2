//! Reading a member's published portal — from a URL or a folder — and keeping the last good copy
//! of it in the site's cache (`.nianbao-cache/federation/<slug>/`).
//!
//! A member is read in three files: its `data/portal.json`, and the `all.csv` and `totals.csv`
//! the description names (no other URL is followed). Over HTTP(S), each request has a timeout,
//! each answer a size limit, and redirects are few; the description must name URLs under its
//! own `base_url`, on the host it was fetched from. Everything is checked before it replaces the
//! cached copy. When a member cannot be read, its cached copy is used, marked with the day it was
//! fetched.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

use super::data as model;
use super::portal::{self, PortalDoc, PortalError};
use crate::config::Member;

/// Where members' copies are kept, under the site root.
pub const CACHE_DIR: &str = ".nianbao-cache/federation";

/// The cached files of a member.
const PORTAL: &str = "portal.json";
const ALL_CSV: &str = "all.csv";
const TOTALS_CSV: &str = "totals.csv";
const FETCHED: &str = "fetched.txt";

/// Why a member's portal could not be read.
#[derive(Debug, Error)]
pub enum FetchError {
    /// The server did not answer, or the connection failed.
    #[error("无法连接 {url}：{reason}")]
    Unreachable {
        /// What was requested.
        url: String,
        /// The client's words.
        reason: String,
    },
    /// No answer within the time allowed.
    #[error("{url} 在 {seconds} 秒内没有响应")]
    Timeout {
        /// What was requested.
        url: String,
        /// The limit.
        seconds: u64,
    },
    /// The server answered with an error status.
    #[error("{url} 返回 HTTP {status}")]
    Status {
        /// What was requested.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The answer was larger than allowed.
    #[error("{url} 超过大小上限 {mib} MiB")]
    TooLarge {
        /// What was requested.
        url: String,
        /// The limit.
        mib: u64,
    },
    /// A file of a folder member could not be read.
    #[error("无法读取 {path}：{reason}")]
    File {
        /// The file.
        path: String,
        /// The system's words.
        reason: String,
    },
    /// The portal description is not usable.
    #[error("{0}")]
    Portal(#[from] PortalError),
    /// The description was fetched from one host and names another.
    #[error("门户描述的 base_url「{base}」与来源 {source_url} 不是同一网站")]
    OtherHost {
        /// The document's base URL.
        base: String,
        /// Where it was fetched from.
        source_url: String,
    },
    /// A data file does not have the columns or values the contract gives it.
    #[error("{file} 有误：{reason}")]
    Data {
        /// `all.csv` or `totals.csv`.
        file: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The source is a URL and this build cannot fetch.
    #[error("本程序编译时没有启用网络读取（Cargo 特性 federation），只能读取目录成员")]
    NoHttp,
    /// `--offline`, and nothing is cached.
    #[error("离线生成，而缓存中没有该成员的数据")]
    Offline,
    /// The cache could not be written.
    #[error("无法写入缓存 {path}：{reason}")]
    Cache {
        /// The folder.
        path: String,
        /// The system's words.
        reason: String,
    },
}

/// Where a member's portal is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The portal's `base_url` (or its `data/portal.json`).
    Url(String),
    /// A folder holding a built portal.
    Folder(PathBuf),
}

impl Source {
    /// The source a member names, folders relative to the site root.
    pub fn of(member: &Member, root: &Path) -> Source {
        let s = member.source.trim();
        if s.starts_with("http://") || s.starts_with("https://") {
            Source::Url(s.to_string())
        } else {
            Source::Folder(root.join(s))
        }
    }
}

/// How much a member may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Seconds per request.
    pub timeout_s: u64,
    /// MiB per file.
    pub max_mib: u64,
}

/// A member as the build uses it: its checked description and the folder of its cached files.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Its description.
    pub doc: PortalDoc,
    /// The cache folder holding `all.csv` and `totals.csv` as read.
    pub dir: PathBuf,
    /// The day these files were fetched.
    pub fetched: NaiveDate,
    /// Why a fresh copy could not be read, when this is the cached copy of an earlier build.
    pub stale: Option<String>,
}

impl Loaded {
    /// The member's `all.csv`, as read.
    pub fn all_csv(&self) -> PathBuf {
        self.dir.join(ALL_CSV)
    }

    /// The member's `totals.csv`, as read.
    pub fn totals_csv(&self) -> PathBuf {
        self.dir.join(TOTALS_CSV)
    }
}

/// The three files of a member, read and checked.
struct Fresh {
    portal: Vec<u8>,
    all_csv: Vec<u8>,
    totals_csv: Vec<u8>,
}

/// Read `member` (unless `offline`), check it and keep it in the cache under `root`; when it
/// cannot be read, its cached copy. The error says why neither could be had.
pub fn load(
    member: &Member,
    root: &Path,
    limits: Limits,
    offline: bool,
    today: NaiveDate,
) -> Result<Loaded, FetchError> {
    let dir = root.join(CACHE_DIR).join(&member.slug);
    if offline {
        return cached(&dir, None).ok_or(FetchError::Offline);
    }
    match fetch(&Source::of(member, root), limits).and_then(|fresh| keep(&dir, &fresh, today)) {
        Ok(loaded) => Ok(loaded),
        Err(e) => cached(&dir, Some(e.to_string())).ok_or(e),
    }
}

/// The cached copy in `dir`, if there is a good one.
fn cached(dir: &Path, stale: Option<String>) -> Option<Loaded> {
    let doc = portal::parse(&fs::read(dir.join(PORTAL)).ok()?).ok()?;
    let fetched = fs::read_to_string(dir.join(FETCHED)).ok()?;
    let fetched = crate::dates::parse_date(fetched.lines().next()?.trim())?;
    if !dir.join(ALL_CSV).is_file() || !dir.join(TOTALS_CSV).is_file() {
        return None;
    }
    Some(Loaded {
        doc,
        dir: dir.to_path_buf(),
        fetched,
        stale,
    })
}

/// Replace the cached copy in `dir` by `fresh` (written beside it, then renamed).
fn keep(dir: &Path, fresh: &Fresh, today: NaiveDate) -> Result<Loaded, FetchError> {
    let cache_error = |e: std::io::Error| FetchError::Cache {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    let parent = dir.parent().unwrap_or(dir);
    fs::create_dir_all(parent).map_err(cache_error)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    let new = parent.join(format!("{name}.new"));
    let old = parent.join(format!("{name}.old"));
    let _ = fs::remove_dir_all(&new);
    fs::create_dir_all(&new).map_err(cache_error)?;
    fs::write(new.join(PORTAL), &fresh.portal).map_err(cache_error)?;
    fs::write(new.join(ALL_CSV), &fresh.all_csv).map_err(cache_error)?;
    fs::write(new.join(TOTALS_CSV), &fresh.totals_csv).map_err(cache_error)?;
    fs::write(new.join(FETCHED), format!("{today}\n")).map_err(cache_error)?;
    let _ = fs::remove_dir_all(&old);
    if dir.exists() {
        fs::rename(dir, &old).map_err(cache_error)?;
    }
    fs::rename(&new, dir).map_err(cache_error)?;
    let _ = fs::remove_dir_all(&old);
    cached(dir, None).ok_or_else(|| FetchError::Cache {
        path: dir.display().to_string(),
        reason: "写入后读不回".to_string(),
    })
}

/// Reads a file of the member by its path under the base URL.
type Getter = Box<dyn Fn(&str) -> Result<Vec<u8>, FetchError>>;

/// Read and check a member's three files.
fn fetch(source: &Source, limits: Limits) -> Result<Fresh, FetchError> {
    let max = limits.max_mib << 20;
    let (portal, doc, get): (Vec<u8>, PortalDoc, Getter) = match source {
        Source::Folder(folder) => {
            let read = {
                let folder = folder.clone();
                move |rel: &str| read_file(&folder.join(rel), max, limits.max_mib)
            };
            let portal = read("data/portal.json")?;
            let doc = portal::parse(&portal)?;
            (portal, doc, Box::new(read))
        }
        Source::Url(url) => {
            let http = Http::new(limits)?;
            let portal_url = portal_url(url);
            let portal = http.get(&portal_url)?;
            let doc = portal::parse(&portal)?;
            if origin(&doc.base_url) != origin(&portal_url) {
                return Err(FetchError::OtherHost {
                    base: doc.base_url.clone(),
                    source_url: portal_url,
                });
            }
            let base = doc.base_url.clone();
            (
                portal,
                doc,
                Box::new(move |rel: &str| http.get(&format!("{base}{rel}"))),
            )
        }
    };
    let all_csv = get(doc.relative(&doc.data.all_csv)?)?;
    model::check_all_csv(&all_csv).map_err(|reason| FetchError::Data {
        file: "all.csv",
        reason,
    })?;
    let totals_csv = get(doc.relative(&doc.data.totals_csv)?)?;
    model::parse_totals(&totals_csv).map_err(|reason| FetchError::Data {
        file: "totals.csv",
        reason,
    })?;
    Ok(Fresh {
        portal,
        all_csv,
        totals_csv,
    })
}

/// A file of a folder member, refused past the size limit.
fn read_file(path: &Path, max: u64, mib: u64) -> Result<Vec<u8>, FetchError> {
    let error = |reason: String| FetchError::File {
        path: path.display().to_string(),
        reason,
    };
    let len = fs::metadata(path).map_err(|e| error(e.to_string()))?.len();
    if len > max {
        return Err(FetchError::TooLarge {
            url: path.display().to_string(),
            mib,
        });
    }
    fs::read(path).map_err(|e| error(e.to_string()))
}

/// `…/data/portal.json` of a portal's URL (or the URL itself when it names the file).
fn portal_url(url: &str) -> String {
    if url.ends_with("/data/portal.json") {
        return url.to_string();
    }
    let base = url.trim_end_matches('/');
    format!("{base}/data/portal.json")
}

/// Scheme, host and port of a URL.
fn origin(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

/// An HTTP(S) client with the member's limits.
#[cfg(feature = "federation")]
struct Http {
    agent: ureq::Agent,
    limits: Limits,
}

#[cfg(feature = "federation")]
impl Http {
    fn new(limits: Limits) -> Result<Http, FetchError> {
        let timeout = std::time::Duration::from_secs(limits.timeout_s);
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(3)
            .http_status_as_error(false)
            .user_agent(concat!(
                "nianbao/",
                env!("CARGO_PKG_VERSION"),
                " (federation)"
            ))
            .build()
            .new_agent();
        Ok(Http { agent, limits })
    }

    fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let error = |e: ureq::Error| match e {
            ureq::Error::Timeout(_) => FetchError::Timeout {
                url: url.to_string(),
                seconds: self.limits.timeout_s,
            },
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
                url: url.to_string(),
                mib: self.limits.max_mib,
            },
            other => FetchError::Unreachable {
                url: url.to_string(),
                reason: other.to_string(),
            },
        };
        let mut response = self.agent.get(url).call().map_err(error)?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
        response
            .body_mut()
            .with_config()
            .limit(self.limits.max_mib << 20)
            .read_to_vec()
            .map_err(error)
    }
}

/// Without the `federation` feature, URL members cannot be read.
#[cfg(not(feature = "federation"))]
struct Http;

#[cfg(not(feature = "federation"))]
impl Http {
    fn new(_: Limits) -> Result<Http, FetchError> {
        Err(FetchError::NoHttp)
    }

    fn get(&self, _: &str) -> Result<Vec<u8>, FetchError> {
        Err(FetchError::NoHttp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_url_of_a_source() {
        assert_eq!(portal_url("http://h/x/"), "http://h/x/data/portal.json");
        assert_eq!(portal_url("http://h/x"), "http://h/x/data/portal.json");
        assert_eq!(
            portal_url("http://h/x/data/portal.json"),
            "http://h/x/data/portal.json"
        );
        assert_eq!(origin("http://h:8/x/"), origin("http://h:8/y/z"));
        assert_ne!(origin("http://h:8/x/"), origin("http://h:9/x/"));
    }
}
