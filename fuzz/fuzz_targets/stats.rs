//! stats.yaml: the fast plain parser, the full YAML parser with typing and the consistency rules
//! (validation), and the rendering of every diagnostic. Differential: whenever the fast path
//! accepts a file, the full path must read exactly the same figures (same digits, same scale)
//! and report nothing; whenever it reads a file whose figures break a rule, the full path must
//! report exactly what `parse` reports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::content::stats::{parse, parse_plain, parse_yaml, read_plain};
use nianbao::diagnostics::{Diagnostics, render_human};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut diagnostics = Diagnostics::new();
    let parsed = parse(text, "stats.yaml", &mut diagnostics);
    for d in diagnostics.iter() {
        let _ = render_human(d, Some(text), false);
    }
    if let Some(plain) = parse_plain(text) {
        let mut full_diagnostics = Diagnostics::new();
        let full = parse_yaml(text, "stats.yaml", &mut full_diagnostics)
            .unwrap_or_else(|| panic!("plain accepted, YAML refused: {full_diagnostics:?}"));
        assert!(
            full_diagnostics.is_empty(),
            "plain path clean, YAML path reports {full_diagnostics:?}"
        );
        assert_eq!(plain.format.id, full.format.id);
        let show = |v: &[Option<nianbao::site::Figure>]| -> Vec<Option<String>> {
            v.iter().map(|f| f.map(|d| d.to_string())).collect()
        };
        assert_eq!(show(&plain.values), show(&full.values));
    }
    if read_plain(text).is_some() {
        let mut full_diagnostics = Diagnostics::new();
        let full = parse_yaml(text, "stats.yaml", &mut full_diagnostics);
        assert_eq!(format!("{diagnostics:?}"), format!("{full_diagnostics:?}"));
        assert_eq!(
            parsed.map(|s| s.findings),
            full.map(|s| s.findings),
            "the same rule findings"
        );
    }
});
