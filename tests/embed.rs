//! Embeds and the Content-Security-Policy, on the built demo site: every page carries the policy
//! and every inline script, style and style attribute it has is allowed by hash; every report,
//! township, year and the county has an embed that asks for no other file, links only to full
//! pages, stays within its byte budget, is out of the sitemap, the search and the year archives;
//! an edited report's embed is re-rendered by serve; a site overrides the embed template and
//! its style, and the policy follows.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use base64::Engine as _;
use common::repo_root;
use nianbao::build::Options;
use sha2::Digest as _;

const BASE: &str = "https://xxgk.example.gov.cn/nianbao/";

/// The demo site, built once with a sub-path base URL.
fn built() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (code, _, stderr) = common::run_in(
            &repo_root().join("examples/demo"),
            "build",
            &[
                "--output",
                tmp.path().join("public").to_str().unwrap(),
                "--base-url",
                BASE,
            ],
        );
        assert_eq!(code, 0, "the demo builds: {stderr}");
        tmp
    })
    .path()
    .join("public")
    .leak()
}

/// Every HTML file of the built site, as (path inside it, text).
fn pages() -> Vec<(String, String)> {
    common::snapshot_tree(built())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("UTF-8 page")))
        .collect()
}

fn csp_hash(inline: &str) -> String {
    let digest = sha2::Sha256::digest(inline.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy of a page's CSP meta, which must come before anything the page loads.
fn policy(rel: &str, html: &str) -> String {
    let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let at = html
        .find(meta)
        .unwrap_or_else(|| panic!("{rel} has no CSP meta"));
    for loader in ["<script", "<style", "<link rel=\"stylesheet\""] {
        if let Some(first) = html.find(loader) {
            assert!(at < first, "{rel}: the CSP meta comes before {loader}");
        }
    }
    let rest = &html[at + meta.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The contents of every `<tag>…</tag>` element without attributes (inline code).
fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    html.split(&open)
        .skip(1)
        .map(|piece| &piece[..piece.find(&close).expect("closed")])
        .collect()
}

#[test]
fn every_page_carries_a_policy_that_allows_exactly_its_inline_code() {
    let pages = pages();
    assert!(pages.len() > 50, "the demo has many pages: {}", pages.len());
    for (rel, html) in &pages {
        let policy = policy(rel, html);
        for must in ["object-src 'none'", "base-uri 'none'", "form-action"] {
            assert!(policy.contains(must), "{rel}: {must} in {policy}");
        }
        assert!(!policy.contains("unsafe-inline"), "{rel}: {policy}");
        assert!(!policy.contains("unsafe-eval"), "{rel}: {policy}");
        for tag in ["script", "style"] {
            for code in inline_elements(html, tag) {
                let hash = csp_hash(code);
                let directive = format!("{tag}-src");
                let allowed = policy
                    .split(';')
                    .find(|d| d.trim().starts_with(&directive))
                    .unwrap_or_else(|| panic!("{rel}: {directive} in {policy}"));
                assert!(
                    allowed.contains(&hash),
                    "{rel}: inline {tag} {hash} is allowed by {allowed}"
                );
            }
        }
        for attribute in html.split(" style=\"").skip(1) {
            let value = &attribute[..attribute.find('"').unwrap()];
            assert!(
                policy.contains("'unsafe-hashes'") && policy.contains(&csp_hash(value)),
                "{rel}: style attribute {value:?} is allowed by {policy}"
            );
        }
    }
}

/// The embeds of the demo, by path.
fn embeds() -> Vec<(String, String)> {
    pages()
        .into_iter()
        .filter(|(p, _)| p.starts_with("embed/"))
        .collect()
}

#[test]
fn every_report_township_year_and_the_county_has_an_embed() {
    let out = built();
    let embeds: BTreeSet<String> = embeds().into_iter().map(|(p, _)| p).collect();
    let mut expected = BTreeSet::new();
    for (rel, _) in pages() {
        let parts: Vec<&str> = rel.split('/').collect();
        let embeddable = match parts.as_slice() {
            ["county", "index.html"] | ["townships", _, "index.html"] => true,
            [year, "index.html"] | [year, _, "index.html"] => year.parse::<u16>().is_ok(),
            _ => false,
        };
        if embeddable {
            expected.insert(format!("embed/{rel}"));
        }
    }
    assert!(expected.len() > 30, "{expected:?}");
    assert_eq!(embeds, expected);
    // Each full page with a table offers its embed code, with the embed's published address.
    let page = fs::read_to_string(out.join("2020/qingshan/index.html")).unwrap();
    assert!(page.contains("<summary>嵌入本表</summary>"));
    assert!(page.contains(&format!(
        "&lt;iframe src=&quot;{BASE}embed/2020/qingshan/&quot;"
    )));
    assert!(page.contains(&format!(
        "&lt;script src=&quot;{BASE}static/embed-host.js&quot; async&gt;&lt;/script&gt;"
    )));
    assert!(
        !page.contains("style=&quot;"),
        "the embed code needs no inline style on the host"
    );
    assert!(
        page.contains(&format!(
            "&lt;p&gt;&lt;a href=&quot;{BASE}2020/qingshan/&quot;&gt;在年报网站查看或打印完整表格&lt;/a&gt;&lt;/p&gt;"
        )),
        "the embed code links to the full page, which prints the whole table"
    );
    assert!(
        page.contains("frame-src 和 script-src 中加入本站的地址 https://xxgk.example.gov.cn"),
        "the host's CSP is named"
    );
    assert!(
        out.join("static/embed-host.js").is_file(),
        "the host script is published"
    );
    for full in [
        "townships/qingshan/index.html",
        "2020/index.html",
        "county/index.html",
    ] {
        let html = fs::read_to_string(out.join(full)).unwrap();
        assert!(
            html.contains(&format!(
                "{BASE}embed/{}",
                full.trim_end_matches("index.html")
            )),
            "{full} offers its embed code"
        );
    }
}

#[test]
fn embeds_ask_for_no_other_file_and_link_only_to_full_pages() {
    let out = built();
    for (rel, html) in embeds() {
        assert!(!html.contains("src="), "{rel} loads nothing");
        assert!(!html.contains("url("), "{rel}: no URL in its style");
        assert!(!html.contains("@import"), "{rel}: no import in its style");
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        let dir = out.join(&rel);
        let dir = dir.parent().unwrap();
        let mut full_page_links = 0;
        for piece in html.split(" href=\"").skip(1) {
            let target = &piece[..piece.find('"').unwrap()];
            if target == "data:," || target.starts_with('#') {
                continue;
            }
            if let Some(page) = target.strip_prefix(BASE) {
                // The canonical link: the full page's published address.
                assert_eq!(
                    format!("embed/{page}index.html"),
                    rel,
                    "{rel}: canonical {target}"
                );
                continue;
            }
            let resolved = dir.join(target);
            let resolved = resolved.canonicalize().unwrap_or_else(|_| {
                panic!("{rel}: link {target} resolves to a file");
            });
            let inside = resolved
                .strip_prefix(out.canonicalize().unwrap())
                .expect("inside the site")
                .to_str()
                .unwrap()
                .replace('\\', "/");
            assert!(
                inside.ends_with("index.html") && !inside.starts_with("embed/"),
                "{rel}: {target} is a full page, not a file to load"
            );
            full_page_links += 1;
        }
        assert!(full_page_links >= 1, "{rel} links to its full page");
        let page = rel.strip_prefix("embed/").unwrap();
        let root = "../".repeat(rel.matches('/').count());
        assert!(
            html.contains(&format!("href=\"{root}{page}\"")),
            "{rel} links to {page}"
        );
    }
}

#[test]
fn embeds_are_light() {
    let embeds = embeds();
    let largest = embeds.iter().map(|(_, h)| h.len()).max().unwrap();
    let style: usize = inline_elements(&embeds[0].1, "style")[0].len();
    let script: usize = inline_elements(&embeds[0].1, "script")[0].len();
    println!(
        "embeds: {}, largest {largest} bytes, inline style {style} bytes, script {script} bytes",
        embeds.len()
    );
    assert!(style <= 4 * 1024, "inline style {style} bytes");
    assert!(script <= 1536, "height script {script} bytes");
    // The heaviest is a township's comparison over the demo's eight years (about 50 KB, 6 KB
    // compressed); every embed is lighter than its full page, which also loads style.css.
    assert!(largest <= 64 * 1024, "largest embed {largest} bytes");
    for (rel, html) in &embeds {
        let page = fs::read_to_string(built().join(rel.strip_prefix("embed/").unwrap())).unwrap();
        assert!(
            html.len() < page.len(),
            "{rel}: {} ≥ its page's {}",
            html.len(),
            page.len()
        );
    }
}

#[test]
fn embeds_are_not_in_the_sitemap_the_search_or_the_archives() {
    let out = built();
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("2020/qingshan/"),
        "the sitemap lists pages"
    );
    assert!(!sitemap.contains("/embed/"), "no embed in the sitemap");
    for entry in walkdir::WalkDir::new(out.join("search")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = fs::read_to_string(entry.path()).unwrap();
            assert!(!text.contains("embed/"), "{}", entry.path().display());
        }
    }
    let zip = fs::File::open(out.join("archive/2020.zip")).expect("the 2020 archive");
    let mut zip = zip::ZipArchive::new(zip).expect("a zip");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        names.push(zip.by_index(i).unwrap().name().unwrap().to_string());
    }
    assert!(
        names
            .iter()
            .any(|n| n.ends_with("2020/qingshan/index.html"))
    );
    assert!(
        !names.iter().any(|n| n.contains("embed/")),
        "no embed in an archive"
    );
    let mut twin = String::new();
    let name = names
        .iter()
        .find(|n| n.ends_with("2020/qingshan/index.html"))
        .unwrap()
        .clone();
    std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut twin).unwrap();
    let live = fs::read_to_string(out.join("2020/qingshan/index.html")).unwrap();
    assert_eq!(twin, live, "an archive holds the live page as it is");
    // Its embed code and preview link are the live site's: the archive has no embed.
    assert!(twin.contains("嵌入本表"));
    assert!(
        twin.contains(&format!("<a href=\"{BASE}embed/2020/qingshan/")),
        "the embed's preview on the live site"
    );
}

#[test]
fn serve_re_renders_the_embed_of_an_edited_report() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    for entry in walkdir::WalkDir::new(repo_root().join("examples/demo"))
        .into_iter()
        // Other tests build the demo in place; their cache may change under the walk.
        .filter_entry(|e| e.file_name() != ".nianbao-cache")
    {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(repo_root().join("examples/demo"))
            .unwrap();
        let target = site.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
    let out = tmp.path().join("out");
    let mut ws = nianbao::serve::Workspace::new(&site, &out, Options::default());
    ws.rebuild_all().expect("first build");
    let embed = out.join("embed/2020/qingshan/index.html");
    assert!(!fs::read_to_string(&embed).unwrap().contains("987654"));
    let stats = site.join("content/2020/qingshan/stats.yaml");
    let text = fs::read_to_string(&stats).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("  apps.new_received.total:"))
        .expect("the demo table has new applications")
        .to_string();
    fs::write(
        &stats,
        text.replace(&line, "  apps.new_received.total: 987654"),
    )
    .unwrap();
    ws.apply(&[stats]).expect("the edit applies");
    ws.flush_deferred().expect("deferred files");
    for rel in [
        "embed/2020/qingshan/index.html",
        "embed/townships/qingshan/index.html",
    ] {
        let html = fs::read_to_string(out.join(rel)).unwrap();
        assert!(html.contains("987654"), "{rel} shows the edited figure");
    }
}

#[test]
fn a_site_overrides_the_embed_template_and_its_style_keeping_the_policy_true() {
    let f = common::Fixture::new();
    let default = include_str!("../themes/default/templates/embed.html");
    f.write(
        "templates/embed.html",
        &default.replace("<main>", "<main class=\"own-embed\">"),
    );
    f.write("templates/partials/embed.css", "body{color:#123456}\n");
    let out = f.root().join("public");
    let (code, _, stderr) = common::run_in(
        f.root(),
        "build",
        &["--quiet", "--output", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let html = fs::read_to_string(out.join("embed/2018/alpha/index.html")).unwrap();
    assert!(
        html.contains("<main class=\"own-embed\">"),
        "the site's embed.html"
    );
    assert!(
        html.contains("<style>body{color:#123456}</style>"),
        "its style"
    );
    let policy = policy("embed/2018/alpha/index.html", &html);
    assert!(
        policy.contains(&csp_hash("body{color:#123456}")),
        "the policy allows the site's own style: {policy}"
    );
}

/// A host page on another origin with the Content-Security-Policy the docs give
/// (`default-src 'none'; frame-src <portal>; script-src <portal>`), in Debian's Chromium: the
/// pasted embed codes fit their frames to their tables with no CSP violation, `frame-src 'self'`
/// is seen to be refused, and printed (print media, then a PDF read back with pdftotext) each
/// frame holds its whole table. tests/e2e/embed_host.mjs drives the browser.
#[test]
fn a_host_page_with_a_strict_policy_embeds_resizes_and_prints_whole_tables() {
    let repo = repo_root();
    let e2e = repo.join("tests/e2e");
    let chromium = std::env::var_os("NIANBAO_CHROMIUM")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(Into::into))
        .find(|c| c.is_file())
        .expect(
            "Chromium is missing: install it with `sudo apt-get install -y chromium` \
             (or set NIANBAO_CHROMIUM to a Chromium binary)",
        );
    let node = std::process::Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "Node.js is missing: install it with `sudo apt-get install -y nodejs npm`"
    );
    assert!(
        e2e.join("node_modules/playwright-core").is_dir(),
        "playwright-core is missing: run `npm ci --prefix tests/e2e` (from the repository root)"
    );
    let pdftotext = std::process::Command::new("pdftotext").arg("-v").output();
    assert!(
        pdftotext.is_ok(),
        "pdftotext is missing: install it with `sudo apt-get install -y poppler-utils`"
    );
    let work = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new("node")
        .arg(e2e.join("embed_host.mjs"))
        .arg("--bin")
        .arg(assert_cmd::cargo::cargo_bin("nianbao"))
        .arg("--repo")
        .arg(&repo)
        .arg("--work")
        .arg(work.path())
        .arg("--chromium")
        .arg(&chromium)
        .current_dir(&e2e)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success() && stdout.contains("embed host scenarios passed"),
        "the embed host scenarios failed:\n{stdout}\n{stderr}"
    );
}
