//! report.md: decoding of the raw bytes, front-matter splitting, the YAML parse and the key-line
//! index, and rendering the resulting diagnostic with the source line under it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::content::report::split_front_matter;
use nianbao::content::yaml::{self, KeyIndex};
use nianbao::diagnostics::render_human;

fuzz_target!(|bytes: &[u8]| {
    let Ok(decoded) = nianbao::encoding::decode(bytes) else {
        return;
    };
    let text: &str = &decoded.text;
    match split_front_matter(text) {
        Ok((front, body)) => {
            // Both halves are slices of the input, in order.
            assert!(front.yaml.len() + body.len() <= text.len());
            let keys = KeyIndex::scan(front.yaml, front.line_offset);
            let _ = keys.locate("published");
            if let Err(d) = yaml::parse(front.yaml, "report.md", front.line_offset) {
                let _ = render_human(&d, Some(text), false);
            }
        }
        Err(_) => {}
    }
});
