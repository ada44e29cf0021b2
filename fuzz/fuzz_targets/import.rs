//! The importer's pure entry points on arbitrary input: published page text, saved HTML and
//! Excel bytes are read into a `Source`, then analysed against a registry, with and without the
//! command-line hints. Nothing may panic or hang, and every figure it accepts must be one the
//! content format can hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::import::{Hints, Source, analyze, figure, key, parse_html, parse_text, parse_xlsx};
use nianbao::site::Township;

fn townships() -> Vec<Township> {
    [("beijinggang", "北景港镇", "镇"), ("zhuzikou", "注滋口镇", "镇"), ("tuanzhou", "团洲乡", "乡")]
        .iter()
        .enumerate()
        .map(|(i, (slug, name, kind))| Township {
            slug: slug.to_string(),
            name: name.to_string(),
            kind: kind.to_string(),
            code: None,
            order: i as i64,
            formerly: Vec::new(),
        })
        .collect()
}

fn analyse(source: &Source, registry: &[Township]) {
    let _ = analyze(source, &Hints::default(), registry);
    let hinted = Hints {
        year: Some(2018),
        township: Some("beijinggang".to_string()),
        format: None,
    };
    let _ = analyze(source, &hinted, registry);
}

fuzz_target!(|data: &[u8]| {
    let registry = townships();
    // The first byte picks the reader, so one corpus exercises all three.
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                analyse(&parse_text(text), &registry);
                let _ = key(text);
                let _ = figure(text);
            }
        }
        1 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                analyse(&parse_html(text), &registry);
            }
        }
        _ => {
            if let Ok(source) = parse_xlsx(rest) {
                analyse(&source, &registry);
            }
        }
    }
});
