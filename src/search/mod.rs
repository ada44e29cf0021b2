//! Full-text search without a server: a build-time index that `static/search.js` queries in the
//! browser, also from a site opened from disk.
//!
//! Tokens are CJK character bigrams plus every single CJK character (so that a one-character query
//! works), and lower-cased ASCII words of letters and digits. Text is normalised first: full-width
//! ASCII and the ideographic space become half-width, ASCII letters lower case, traditional
//! characters simplified (the table `t2s.txt`) — one code unit for one code unit, so that
//! positions in normalised text are positions in the original text. `search.js` implements the
//! same normalisation (with the table copied into `docs.js`), tokenizer and shard hash;
//! `tests/search.rs` runs shared test vectors through both. Ranking (how much of a query a report
//! has, where, and how close together) is the browser's: see `search.js`.
//!
//! Output, all JavaScript files that call a global registration function (scripts load from
//! `file://`, `fetch` does not):
//! - `search/docs.js`: shard count, township count, which township reported in which year (the
//!   doc ids), titles other than the default one, which characters fold (a bitmap), the
//!   thesaurus (`thesaurus.txt`), the pages that answer questions, where the township pages'
//!   doc ids start (`nav`: the second index, their names as postings);
//! - `search/f-<block>.js`: the folding pairs of one block of 256 code points, loaded for the
//!   query's characters that fold (docs.js and each text file carry the pairs of their own
//!   folding characters, `F`); `search/fold.js`: the whole table, for scripts that normalise
//!   any text;
//! - `search/s-<n>.js`: the postings of the tokens whose hash falls into shard `n`;
//! - `search/w-<k>.js`: `[name, slug]` of 16 townships (chunk `k`), loaded for the hits shown;
//!   `search/towns.js`: all of them, loaded only for the township filter;
//! - `search/l-<format>.js`: the row labels of a table format, once (a text names its format,
//!   `L`, and which labels its table fills, `m`);
//! - `search/t/<year>/<slug>.js`: one report's headings, table labels and the first
//!   [`HEAD_CHARS`] characters of its body, loaded only for the hits checked (phrase and
//!   proximity check, ranking, the section of the best passage and its snippet; the body is
//!   split into sections by the offsets of the headings, and the weak parts are apart), with
//!   `F`, the folding pairs of its characters that fold (of its rest too), and
//!   `r: [<bytes of each file>]`, `p` (where each begins) and `u` (the body's length) when the
//!   body goes on in parts of whole sections, `search/r/<year>/<slug>/<k>.js` ([`rest_parts`])
//!   — of which `search.js` loads only those with a section that can still give the hit more
//!   than the text loaded did (by the sections the postings name).
//!
//! A posting list is a string of base-64 varints (5 payload bits per character, the sixth bit
//! says "more"), one per run of consecutive reports with the same field:
//! `gap << 3 | run << 2 | field`, where `gap` counts the doc ids skipped since the previous run
//! and the field is the best place the token occurs in that report (3 title, 2 body or label of
//! a filled table row, 1 heading, 0 only the weak parts: a list of the report's parts, a heading
//! with nothing under it, a table row whose figures are all blank); when `run` is set, a second varint says how many more consecutive reports
//! follow with the same field. A token in every report costs a few characters. The list of a
//! rare token (in at most half of the documents) starts with `~` and has no runs: each report's
//! varint is followed by the sections it occurs in ([`Slots`], see [`encode_slotted`]), so that
//! `search.js` bounds a report by what one section has (a term's chain must lie in one field:
//! the title, a heading, a section of the body, the labels or the weak parts).
//!
//! A common word's first page of hits at 20,000 reports thus loads about 50–80 KB: docs.js
//! (about 6 KB, mostly the bitmap of folding characters), a few shards of a few hundred bytes, a few township chunks
//! and ten first parts of texts (~3.3 KB each), plus the rest of a text where needed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::site::{PluginPage, Report, Site};

/// Field weight of the title and township name.
pub(crate) const TITLE: u8 = 3;
/// Field weight of body text and the labels of table rows with a reported figure: a passage
/// that says something outranks a heading that only names it.
pub(crate) const BODY: u8 = 2;
/// Field weight of a heading of the narrative that has something under it.
pub(crate) const HEADING: u8 = 1;
/// Field weight of text that only names a part: the report's own list of its parts, a heading
/// with nothing under it, the label of a narrative table row whose cells are all blank.
pub(crate) const WEAK: u8 = 0;

/// Reports tokenised at a time: bounds the memory of per-report token lists.
const CHUNK: usize = 512;
const KEY_BITS: u32 = 43;
const KEY_MASK: u64 = (1 << KEY_BITS) - 1;
const BIGRAM: u64 = 1 << 42;
const SHARD_SHIFT: u32 = KEY_BITS + 2;
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The traditional → simplified folding table: pairs of characters, see the file's header.
const T2S: &str = include_str!("t2s.txt");

/// The code points a folded character and its simplified form lie in: CJK Unified Ideographs and
/// Extension A, one UTF-16 code unit each.
const FOLD_RANGE: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;

/// The `(traditional, simplified)` pairs of `t2s.txt`, in file order. An entry that is not two
/// characters of [`FOLD_RANGE`] is skipped (a unit test keeps the file free of them).
fn fold_pairs() -> impl Iterator<Item = (char, char)> {
    T2S.lines()
        .filter(|line| !line.starts_with('#'))
        .flat_map(str::split_whitespace)
        .filter_map(|entry| {
            let mut chars = entry.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(t), Some(s), None)
                    if FOLD_RANGE.contains(&(t as u32)) && FOLD_RANGE.contains(&(s as u32)) =>
                {
                    Some((t, s))
                }
                _ => None,
            }
        })
}

/// The simplified form of each code point of [`FOLD_RANGE`] (0 where none): a direct lookup,
/// since every character of every indexed text passes through it.
fn fold_table() -> &'static [u16] {
    static TABLE: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![0u16; (FOLD_RANGE.end() - FOLD_RANGE.start() + 1) as usize];
        for (t, s) in fold_pairs() {
            table[(t as u32 - FOLD_RANGE.start()) as usize] = s as u16;
        }
        table
    })
}

/// The simplified form of one character by the folding table (the character itself when it has
/// none): the importer folds the labels it reads with the same table as search.
#[cfg(feature = "import")]
pub(crate) fn fold_char(c: char) -> char {
    if !FOLD_RANGE.contains(&(c as u32)) {
        return c;
    }
    match fold_table()[(c as u32 - FOLD_RANGE.start()) as usize] {
        0 => c,
        folded => char::from_u32(u32::from(folded)).unwrap_or(c),
    }
}

/// The folding table as `search.js` reads it: each traditional character followed by its
/// simplified form.
fn fold_js() -> String {
    fold_pairs().flat_map(|(t, s)| [t, s]).collect()
}

/// `search/fold.js`: the whole folding table (about 13 KB), for scripts that normalise any text
/// (`nianbaoSearch.readyFold()`); a search loads only the blocks of its query's characters
/// ([`fold_block_js`]), and texts and titles carry their own pairs (`F`).
pub(crate) fn fold_file() -> String {
    format!("nianbaoSearch.fold({});\n", js_json(&fold_js()))
}

/// The blocks of 256 code points that have a character that folds: `search/f-<block>.js`.
pub(crate) fn fold_blocks() -> Vec<u32> {
    let mut blocks: Vec<u32> = fold_pairs().map(|(t, _)| t as u32 >> 8).collect();
    blocks.sort_unstable();
    blocks.dedup();
    blocks
}

/// `search/f-<block>.js`: the folding pairs of the characters of one block of 256 code points
/// (a few hundred bytes), which a search loads for each block its query has a folding
/// character of.
pub(crate) fn fold_block_js(block: u32) -> String {
    let pairs: String = (fold_pairs())
        .filter(|(t, _)| *t as u32 >> 8 == block)
        .flat_map(|(t, s)| [t, s])
        .collect();
    format!("nianbaoSearch.foldPart({});\n", js_json(&pairs))
}

/// The path of a folding block under the site root.
pub(crate) fn fold_block_path(block: u32) -> String {
    format!("search/f-{block}.js")
}

/// Which characters of [`FOLD_RANGE`] the folding table changes, as the gaps between them:
/// for each such character in code point order, the code points skipped since the previous one
/// (or since `FOLD_RANGE.start()`) as a varint of the posting lists' alphabet. 2.3 KB (a bitmap
/// of the range is 4.6 KB) that spare most searches the 13 KB table.
fn foldable_gaps() -> String {
    let mut out = String::new();
    let mut next = 0u32;
    for (i, &s) in fold_table().iter().enumerate() {
        if s != 0 {
            push_varint(i as u32 - next, &mut out);
            next = i as u32 + 1;
        }
    }
    out
}

/// The folding pairs of the characters of `texts` that fold, each traditional character followed
/// by its simplified form, in code point order: what a text file carries (`F`) so that
/// `search.js` can read it as the index did without the whole folding table.
fn fold_pairs_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let table = fold_table();
    let mut found: std::collections::BTreeSet<char> = Default::default();
    for text in texts {
        found.extend(text.chars().filter(|&c| {
            FOLD_RANGE.contains(&(c as u32)) && table[(c as u32 - FOLD_RANGE.start()) as usize] != 0
        }));
    }
    (found.into_iter())
        .flat_map(|t| {
            let s = table[(t as u32 - FOLD_RANGE.start()) as usize];
            [t, char::from_u32(u32::from(s)).unwrap_or(t)]
        })
        .collect()
}

/// One code unit for one code unit: full-width ASCII and U+3000 to half-width, A–Z to a–z,
/// traditional characters to simplified.
fn normalize_char(table: &[u16], c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if FOLD_RANGE.contains(&(c as u32)) {
        let folded = table[(c as u32 - FOLD_RANGE.start()) as usize];
        if folded != 0 {
            return char::from_u32(folded as u32).unwrap_or(c);
        }
    }
    c.to_ascii_lowercase()
}

/// The normalised form of a text (see the module documentation), as many UTF-16 code units long.
pub fn normalize(text: &str) -> String {
    let table = fold_table();
    let mut out = String::with_capacity(text.len());
    // Most characters of a narrative are their own normal form: copy the unchanged stretches
    // whole rather than re-encoding them one by one (this was 3% of a large build).
    let mut unchanged_from = 0;
    for (i, c) in text.char_indices() {
        let n = normalize_char(table, c);
        if n != c {
            out.push_str(&text[unchanged_from..i]);
            out.push(n);
            unchanged_from = i + c.len_utf8();
        }
    }
    out.push_str(&text[unchanged_from..]);
    out
}

/// Han ideographs (with extensions and compatibility forms) and 〇.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// A token of normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Uni(char),
    Bi(char, char),
    Word(&'a str),
}

/// Calls `f` for each CJK run and each word of normalised `text`.
fn runs<'a>(text: &'a str, mut f: impl FnMut(bool, &'a str)) {
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        let kind = if is_cjk(c) {
            Some(true)
        } else if is_word(c) {
            Some(false)
        } else {
            None
        };
        match (start, kind) {
            (Some((_, k)), Some(now)) if k == now => {}
            (Some((s, k)), _) => {
                f(k, &text[s..i]);
                start = kind.map(|k| (i, k));
            }
            (None, _) => start = kind.map(|k| (i, k)),
        }
    }
    if let Some((s, k)) = start {
        f(k, &text[s..]);
    }
}

/// Index tokens of normalised text: every CJK character, every CJK bigram, every word.
fn index_tokens<'a>(text: &'a str, mut f: impl FnMut(Token<'a>)) {
    runs(text, |cjk, run| {
        if !cjk {
            return f(Token::Word(run));
        }
        let mut prev: Option<char> = None;
        for c in run.chars() {
            f(Token::Uni(c));
            if let Some(p) = prev {
                f(Token::Bi(p, c));
            }
            prev = Some(c);
        }
    });
}

/// Query tokens: bigrams of CJK runs (the character itself for a one-character run) and words,
/// each once, in order. Every query token of a substring of a text is an index token of the text.
pub fn query_tokens(query: &str) -> Vec<String> {
    let text = normalize(query);
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    runs(&text, |cjk, run| {
        let chars: Vec<char> = run.chars().collect();
        match (cjk, chars.len()) {
            (false, _) | (true, 1) => push(run.to_string()),
            _ => chars.windows(2).for_each(|w| push(w.iter().collect())),
        }
    });
    out
}

/// FNV-1a over the code points of a token.
fn hash_chars(chars: impl Iterator<Item = char>) -> u32 {
    chars.fold(0x811C_9DC5_u32, |h, c| {
        (h ^ c as u32).wrapping_mul(0x0100_0193)
    })
}

/// The shard of a token among `1 << bits` shards.
pub fn shard_of(token: &str, bits: u32) -> u32 {
    hash_chars(token.chars()) & ((1 << bits) - 1)
}

/// log2 of the shard count: about four shards per report, 8 to 1024 shards. A query loads one
/// shard per token (and its thesaurus alternatives' tokens), so smaller shards are fewer bytes
/// per query (64 real reports: about 0.7 KB a shard with the places of rare tokens, see
/// [`encode_slotted`], instead of 2.8 KB with one per report); the files are many but small.
pub fn shard_bits(reports: usize) -> u32 {
    let log2 = usize::BITS - reports.max(1).next_power_of_two().leading_zeros() - 1;
    (log2 + 2).clamp(3, 10)
}

/// The searchable text of one report, by section: a section is the text under one heading
/// (the text before the first heading has none), so that a hit can link to `page#anchor` of
/// the section that holds its best passage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocText {
    /// Headings of the narrative.
    #[serde(rename = "h")]
    pub headings: Vec<String>,
    /// The anchor of each heading on the report page (`{#id}` or `sec-<n>`, as rendered).
    #[serde(rename = "a")]
    pub anchors: Vec<String>,
    /// The headings (by index) with nothing under them: weak evidence, see [`WEAK`].
    #[serde(rename = "e")]
    pub empty: Vec<usize>,
    /// Where each heading's section starts in `body`, in UTF-16 code units (JavaScript's
    /// string positions).
    #[serde(rename = "o")]
    pub offsets: Vec<usize>,
    /// The narrative without markup and without its weak parts, blocks separated by a space.
    #[serde(rename = "b")]
    pub body: String,
    /// Blocks that only name parts (the report's list of its parts, table rows with every
    /// figure blank), separated by a space.
    #[serde(rename = "w")]
    pub weak: String,
    /// Labels of the table rows that have a figure, separated by `；`.
    #[serde(rename = "l")]
    pub labels: String,
}

impl DocText {
    /// A copy with an empty body and no labels (the body is the large part, often cut).
    fn clone_without_body(&self) -> DocText {
        DocText {
            headings: self.headings.clone(),
            anchors: self.anchors.clone(),
            empty: self.empty.clone(),
            offsets: self.offsets.clone(),
            body: String::new(),
            weak: self.weak.clone(),
            labels: String::new(),
        }
    }
}

/// The text of a report as search sees it.
pub fn doc_text(report: &Report) -> DocText {
    let mut doc = markdown_text(&report.narrative);
    doc.labels = table_labels(report).join("；");
    doc
}

/// A report's search text as its text files need it: the narrative's text (without the table
/// labels, which only [`text_js`] needs), the end of its head and the byte ranges of its rest
/// parts ([`split_body`]).
struct Split {
    narrative: String,
    text: DocText,
    head: usize,
    parts: Vec<std::ops::Range<usize>>,
}

/// Run `f` on the [`Split`] of `report`. A report's text files (the head and up to
/// [`MAX_PARTS`] rest files, and the rest files' sizes that the head file gives) are made one
/// after the other on the same thread: the last split is kept per thread, checked against the
/// whole narrative, so that the Markdown is parsed and the body split once per report.
fn with_split<T>(report: &Report, f: impl FnOnce(&Split) -> T) -> T {
    thread_local! {
        static LAST: std::cell::RefCell<Option<Split>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some(split) if split.narrative == report.narrative => f(split),
        _ => {
            let text = markdown_text(&report.narrative);
            let (head, parts) = split_body(report, &text);
            let split = last.insert(Split {
                narrative: report.narrative.clone(),
                text,
                head,
                parts,
            });
            f(split)
        }
    })
}

/// Text being collected from Markdown events: the current block, where the cells of the
/// current table row end in it, and the sections seen so far (heading level and body start,
/// in bytes).
#[derive(Default)]
struct Collecting {
    doc: DocText,
    block: String,
    cells: Vec<(usize, usize)>,
    cell_start: usize,
    levels: Vec<u8>,
    starts: Vec<usize>,
}

impl Collecting {
    /// The current block goes to the body, or to the weak text when it only names parts.
    fn flush(&mut self, weak: bool) {
        let block = std::mem::take(&mut self.block);
        self.cells.clear();
        self.cell_start = 0;
        if block.trim().is_empty() {
            return;
        }
        if weak {
            push_block(&mut self.doc.weak, &block);
            return;
        }
        // Only the sentences that list the report's parts are weak; the rest of the paragraph
        // (often the overview that follows them) is body.
        let (mut body, mut parts) = (String::new(), String::new());
        for sentence in block.split_inclusive('。') {
            let into = if lists_parts(sentence) {
                &mut parts
            } else {
                &mut body
            };
            into.push_str(sentence);
        }
        push_block(&mut self.doc.body, &body);
        push_block(&mut self.doc.weak, &parts);
    }

    /// Whether the table row in the block reports nothing: a label and only blank cells.
    fn blank_row(&self) -> bool {
        self.cells.len() > 1
            && (self.cells[1..].iter())
                .all(|&(a, b)| blank_cell(self.block.get(a..b).unwrap_or("")))
    }

    /// Headings with nothing under them: no body text before the next heading of the same or a
    /// higher level (or the end).
    fn finish(mut self) -> DocText {
        let n = self.starts.len();
        for i in 0..n {
            let end = (self.starts.get(i + 1).copied()).unwrap_or(self.doc.body.len());
            let blank = self.doc.body[self.starts[i]..end].trim().is_empty();
            let closed = self.levels.get(i + 1).is_none_or(|&l| l <= self.levels[i]);
            if blank && closed {
                self.doc.empty.push(i);
            }
        }
        let mut doc = self.doc;
        doc.body.truncate(doc.body.trim_end().len());
        doc.weak.truncate(doc.weak.trim_end().len());
        if doc.body.len() > MAX_BODY_BYTES {
            let mut end = MAX_BODY_BYTES;
            while !doc.body.is_char_boundary(end) {
                end -= 1;
            }
            doc.body.truncate(end);
        }
        doc.offsets = (self.starts.iter())
            .map(|&b| utf16_len(&doc.body[..floor_boundary(&doc.body, b)]))
            .collect();
        doc
    }
}

/// The largest char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// A block of text appended to a field, blocks separated by a space.
fn push_block(into: &mut String, block: &str) {
    if block.trim().is_empty() {
        return;
    }
    into.push_str(block);
    if !into.ends_with(' ') {
        into.push(' ');
    }
}

/// Whether a sentence is the report's list of its own parts (本报告由总体情况、主动公开…、
/// …等六部分组成; 全文包括概述,主动公开…): it names every section, so it matches most queries
/// and says nothing. Items are separated by 、 or commas. Read folded, as search reads it: a
/// report in traditional characters writes 本報告由……組成.
fn lists_parts(sentence: &str) -> bool {
    let items = sentence.matches(['、', ',', '，']).count();
    if items < 3 {
        return false;
    }
    let sentence = normalize(sentence);
    let sentence = sentence.as_str();
    let names_itself = ["报告", "全文", "年报"]
        .iter()
        .any(|w| sentence.contains(w));
    let parts_word = ["组成", "部分", "方面", "全文包括", "报告包括", "内容包括"]
        .iter()
        .any(|w| sentence.contains(w));
    // 报告主要包括：总体情况、…; 本报告由概述、…情况、…与附表等 (no word for parts): a list
    // of the report's own sections names three or more 情况 (the official outline's headings).
    let outline = ["包括", "报告由", "年报由"]
        .iter()
        .any(|w| sentence.contains(w))
        && sentence.matches("情况").count() >= 3;
    names_itself && (parts_word || outline)
}

/// A cell that reports nothing: empty, 未填报, or a dash.
fn blank_cell(cell: &str) -> bool {
    matches!(
        cell.trim(),
        "" | "未填报" | "—" | "——" | "-" | "－" | "–" | "/" | "／"
    )
}

/// Headings and text of a Markdown document, without markup, by section.
fn markdown_text(markdown: &str) -> DocText {
    let mut c = Collecting::default();
    let mut heading: Option<String> = None;
    let markdown = crate::content::markdown::pasted(markdown);
    for event in Parser::new_ext(&markdown, crate::content::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                c.flush(false);
                let n = c.doc.headings.len() + 1;
                let anchor = id.map_or_else(|| format!("sec-{n}"), |id| id.to_string());
                c.doc.anchors.push(anchor);
                c.levels.push(level as u8);
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    c.doc.headings.push(h.trim().to_string());
                    c.starts.push(c.doc.body.len());
                }
            }
            Event::Start(Tag::TableCell) if heading.is_none() => c.cell_start = c.block.len(),
            Event::End(TagEnd::TableCell) if heading.is_none() => {
                c.cells.push((c.cell_start, c.block.len()));
                push_text(&mut c.block, event);
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) if heading.is_none() => {
                let weak = c.blank_row();
                push_text(&mut c.block, event);
                c.flush(weak);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition,
            ) if heading.is_none() => {
                push_text(&mut c.block, event);
                c.flush(false);
            }
            other => push_text(heading.as_mut().unwrap_or(&mut c.block), other),
        }
        if c.doc.body.len() > MAX_BODY_BYTES {
            break;
        }
    }
    c.flush(false);
    c.finish()
}

/// Narrative text indexed per report. Real reports are 5–50 KB; a pasted 50 MB file would
/// otherwise cost every reader's search and most of a build. Beyond it, search finds nothing —
/// the page itself is published whole.
const MAX_BODY_BYTES: usize = 512 * 1024;

fn push_text(buf: &mut String, event: Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) => buf.push_str(&t),
        // A line break inside Chinese text is no space; after Latin text it is.
        Event::SoftBreak | Event::HardBreak if buf.ends_with(|c: char| c.is_ascii()) => {
            buf.push(' ')
        }
        // Blocks are kept apart; inline markup (emphasis, links) is not a break.
        Event::End(
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image,
        ) => {}
        Event::End(_) if !buf.is_empty() && !buf.ends_with(' ') => buf.push(' '),
        _ => {}
    }
}

/// Every label of a table format's rows and their groups, each once, in table order: the list
/// `search/l-<format>.js` ships once, which a report's text file refers to by a bitmask.
fn format_labels(format: &crate::schema::Format) -> Vec<&str> {
    let mut labels: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for table in &format.tables {
        for row in &table.rows {
            for label in row.group.iter().chain([&row.label]) {
                if seen.insert(label) {
                    labels.push(label);
                }
            }
        }
    }
    labels
}

/// Which of [`format_labels`] a report's table fills: a row (and its groups) with at least one
/// figure.
fn filled_labels(report: &Report) -> Vec<bool> {
    let Some(stats) = &report.stats else {
        return Vec::new();
    };
    let labels = format_labels(stats.format);
    let index: HashMap<&str, usize> = labels.iter().enumerate().map(|(i, &l)| (l, i)).collect();
    let mut filled = vec![false; labels.len()];
    for table in &stats.format.tables {
        for row in &table.rows {
            let any = (row.cells.iter().flatten())
                .any(|&i| stats.values.get(i).is_some_and(Option::is_some));
            if !any {
                continue;
            }
            for label in row.group.iter().chain([&row.label]) {
                if let Some(&i) = index.get(label.as_str()) {
                    filled[i] = true;
                }
            }
        }
    }
    filled
}

/// Labels of rows (and their groups) with at least one figure, each once, in the order of
/// [`format_labels`].
fn table_labels(report: &Report) -> Vec<&str> {
    let Some(stats) = &report.stats else {
        return Vec::new();
    };
    (format_labels(stats.format).into_iter())
        .zip(filled_labels(report))
        .filter_map(|(label, filled)| filled.then_some(label))
        .collect()
}

/// `search/l-<format>.js`: the labels of a table format ([`format_labels`]), which `search.js`
/// loads once for the texts of that format's reports.
pub(crate) fn labels_js(format: &crate::schema::Format) -> String {
    format!(
        "nianbaoSearch.labels({},{});\n",
        js_json(&format.id),
        js_json(&format_labels(format))
    )
}

/// The path of a table format's label list under the site root.
pub(crate) fn labels_path(format_id: &str) -> String {
    format!("search/l-{format_id}.js")
}

/// A report's filled labels as a bitmask over [`format_labels`] (bit `i % 8` of byte `i / 8`),
/// in standard base 64.
fn labels_mask(report: &Report) -> String {
    use base64::Engine;
    let filled = filled_labels(report);
    let mut bytes = vec![0u8; filled.len().div_ceil(8)];
    for (i, _) in filled.iter().enumerate().filter(|(_, f)| **f) {
        bytes[i / 8] |= 1 << (i % 8);
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The title text of a report: its title and its township's name.
fn title_text(site: &Site, report: &Report) -> String {
    let name = site.township(&report.township).map_or("", |t| &t.name);
    format!("{} {}", report.meta.title, name)
}

/// A built index: the JavaScript text of each shard.
#[derive(Debug, Default)]
pub struct SearchIndex {
    shards: Vec<String>,
}

impl SearchIndex {
    /// The shard file `search/s-<n>.js`.
    pub fn shard(&self, n: usize) -> &str {
        self.shards.get(n).map_or("", String::as_str)
    }
}

/// The tokens of one report, sorted by shard: CJK tokens packed as
/// `shard << 45 | key << 2 | field` with their [`Slots`] mask, words as
/// `(shard, word, field, mask)`.
#[derive(Default)]
struct DocTokens {
    cjk: Vec<(u64, u32)>,
    words: Vec<(u32, String, u8, u32)>,
}

/// The places of a report a token occurs in, one bit each (see [`slot_of_section`]): bit 0 the
/// table labels and the weak parts, bit `1 + k` section `k` of the narrative (its heading and the
/// body under it; section 0 is the text before the first heading), the sections from
/// [`MAX_SLOT`] on sharing the last bit. The title has no bit: its field says it.
type Slots = u32;

/// The last slot bit: a mask stays within 30 bits (a JavaScript number's bit operations are
/// 32-bit, and a varint of it at most 6 characters).
pub(crate) const MAX_SLOT: u32 = 29;

/// The slot bit of section `k` of a narrative (0: before the first heading).
fn slot_of_section(k: usize) -> Slots {
    1 << (1 + k as u32).min(MAX_SLOT)
}

fn pack(token: Token<'_>) -> u64 {
    match token {
        Token::Uni(c) => c as u64,
        Token::Bi(a, b) => BIGRAM | (a as u64) << 21 | b as u64,
        Token::Word(_) => 0,
    }
}

fn unpack(key: u64) -> String {
    let c = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    if key & BIGRAM != 0 {
        [c(key >> 21), c(key)].iter().collect()
    } else {
        c(key).to_string()
    }
}

fn doc_tokens(site: &Site, report: &Report, bits: u32) -> DocTokens {
    tokens_of(&title_text(site, report), &doc_text(report), bits)
}

/// The tokens of a plugin's page: its title and text, after every report.
fn page_tokens(page: &PluginPage, bits: u32) -> DocTokens {
    tokens_of(&page.title, &markdown_text(&page.markdown), bits)
}

/// The tokens of a township's page: its name and former names, as a title.
fn town_tokens(township: &crate::site::Township, bits: u32) -> DocTokens {
    let names = std::iter::once(&township.name)
        .chain(&township.formerly)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    tokens_of(&names, &DocText::default(), bits)
}

/// The body of a text cut into its sections (see [`DocText::offsets`]): section 0 before the
/// first heading, section `1 + i` under heading `i`.
pub(crate) fn body_sections(text: &DocText) -> Vec<&str> {
    let body = text.body.as_bytes();
    let mut cuts = Vec::with_capacity(text.offsets.len() + 2);
    cuts.push(0);
    // UTF-16 units counted from the UTF-8 bytes: one per character start, two for a four-byte
    // character; the scan stops at the last section's start.
    let (mut units, mut next) = (0usize, text.offsets.iter().peekable());
    for (i, &b) in body.iter().enumerate() {
        if next.peek().is_none() {
            break;
        }
        if b & 0xC0 == 0x80 {
            continue;
        }
        while next.peek().is_some_and(|&&o| o <= units) {
            cuts.push(i);
            next.next();
        }
        units += if b >= 0xF0 { 2 } else { 1 };
    }
    cuts.extend(next.map(|_| text.body.len()));
    cuts.push(text.body.len());
    cuts.windows(2).map(|w| &text.body[w[0]..w[1]]).collect()
}

fn tokens_of(title: &str, text: &DocText, bits: u32) -> DocTokens {
    let title = normalize(title);
    let heading_weight = |i: usize| {
        if text.empty.contains(&i) {
            WEAK
        } else {
            HEADING
        }
    };
    // Each field with its weight and slot bit: a heading belongs to the section it opens.
    let mut fields: Vec<(String, u8, Slots)> = vec![(title, TITLE, 0)];
    for (i, h) in text.headings.iter().enumerate() {
        fields.push((normalize(h), heading_weight(i), slot_of_section(i + 1)));
    }
    for (k, section) in body_sections(text).into_iter().enumerate() {
        fields.push((normalize(section), BODY, slot_of_section(k)));
    }
    fields.push((normalize(&text.labels), BODY, 1));
    fields.push((normalize(&text.weak), WEAK, 1));
    // Deduplicated while collected: a report has a few thousand tokens but far fewer distinct.
    let mut cjk: HashMap<u64, (u8, Slots), BuildHasherDefault<KeyHasher>> =
        HashMap::with_capacity_and_hasher(text.body.len() / 8, Default::default());
    let mut words: HashMap<&str, (u8, Slots)> = HashMap::new();
    let mask = (1u32 << bits) - 1;
    for (field, weight, slot) in &fields {
        index_tokens(field, |t| {
            let shard = |chars: &[char]| (hash_chars(chars.iter().copied()) & mask) as u64;
            let best = match t {
                Token::Word(w) => words.entry(w).or_insert((*weight, 0)),
                Token::Uni(c) => cjk
                    .entry(shard(&[c]) << KEY_BITS | pack(t))
                    .or_insert((*weight, 0)),
                Token::Bi(a, b) => cjk
                    .entry(shard(&[a, b]) << KEY_BITS | pack(t))
                    .or_insert((*weight, 0)),
            };
            best.0 = best.0.max(*weight);
            best.1 |= slot;
        });
    }
    let mut kept: Vec<(u64, u32)> = (cjk.into_iter())
        .map(|(k, (f, m))| (k << 2 | f as u64, m))
        .collect();
    kept.sort_unstable();
    let mut words: Vec<(u32, String, u8, u32)> = words
        .into_iter()
        .map(|(w, (f, m))| (shard_of(w, bits), w.to_string(), f, m))
        .collect();
    words.sort_unstable();
    DocTokens { cjk: kept, words }
}

/// A fast hasher for packed CJK tokens (the default SipHash is a third of the build time).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0 ^ self.0 >> 32
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01B3);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ v >> 29).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The postings of one shard being built: per token, `(doc << 2 | field, slots)` by doc.
#[derive(Default)]
struct ShardBuilder {
    cjk: HashMap<u64, Vec<(u32, Slots)>, BuildHasherDefault<KeyHasher>>,
    words: HashMap<String, Vec<(u32, Slots)>>,
}

/// Add one report's tokens that fall into `shards` (shard numbers from `first` on) of an index
/// of `1 << bits` shards. The tokens were sorted for an index of at least as many shards: a
/// token's shard among fewer shards is the low bits of its shard among more.
fn add_tokens(shards: &mut [ShardBuilder], first: usize, doc: u32, tokens: &DocTokens, bits: u32) {
    let mask = (1u64 << bits) - 1;
    let (lo, hi) = (first as u64, (first + shards.len()) as u64);
    let wanted = |shard: u64| (lo..hi).contains(&(shard & mask));
    for (k, slots) in tokens.cjk.iter().filter(|k| wanted(k.0 >> SHARD_SHIFT)) {
        let shard = &mut shards[(((k >> SHARD_SHIFT) & mask) - lo) as usize];
        let posting = (doc << 2 | (k & 3) as u32, *slots);
        shard
            .cjk
            .entry(k >> 2 & KEY_MASK)
            .or_default()
            .push(posting);
    }
    for (s, word, field, slots) in tokens.words.iter().filter(|w| wanted(w.0 as u64)) {
        let shard = &mut shards[((*s as u64 & mask) - lo) as usize];
        let posting = (doc << 2 | *field as u32, *slots);
        match shard.words.get_mut(word.as_str()) {
            Some(list) => list.push(posting),
            None => {
                shard.words.insert(word.clone(), vec![posting]);
            }
        }
    }
}

impl ShardBuilder {
    /// The shard's script; `docs` is the index's count of documents, which decides the lists
    /// that carry their slots (see [`encode_postings`]).
    fn into_js(self, shard: usize, docs: usize) -> String {
        let mut tokens: Vec<(String, Vec<(u32, Slots)>)> = self
            .cjk
            .into_iter()
            .map(|(k, v)| (unpack(k), v))
            .chain(self.words)
            .collect();
        tokens.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut js = format!("nianbaoSearch.shard({shard},{{");
        for (i, (token, postings)) in tokens.iter().enumerate() {
            if i > 0 {
                js.push(',');
            }
            // Tokens are CJK characters or [a-z0-9]: nothing to escape.
            js.push('"');
            js.push_str(token);
            js.push_str("\":\"");
            if postings.len() * 2 <= docs {
                encode_slotted(postings, &mut js);
            } else {
                let plain: Vec<u32> = postings.iter().map(|p| p.0).collect();
                encode_postings(&plain, &mut js);
            }
            js.push('"');
        }
        js.push_str("});\n");
        js
    }
}

/// A posting list (`doc << 2 | field`, doc ids ascending) as base-64 varints: one entry per
/// run of consecutive doc ids with the same field, `gap << 3 | run << 2 | field` where `gap` is
/// the doc ids skipped since the previous entry's last doc, and when `run` is set, a second varint
/// saying how many more docs follow the first. A token in every report of a county (信息, 公开)
/// costs a few characters instead of one per report.
fn encode_postings(postings: &[u32], out: &mut String) {
    let mut next = 0u32;
    let mut i = 0;
    while i < postings.len() {
        let (doc, field) = (postings[i] >> 2, postings[i] & 3);
        let mut j = i;
        while postings
            .get(j + 1)
            .is_some_and(|&p| p >> 2 == (postings[j] >> 2) + 1 && p & 3 == field)
        {
            j += 1;
        }
        // A run of two costs as much as two entries: runs start at three docs.
        let more = if j - i >= 2 { j - i } else { 0 };
        push_varint((doc - next) << 3 | u32::from(more > 0) << 2 | field, out);
        if more > 0 {
            push_varint(more as u32, out);
        }
        let last = if more > 0 { j } else { i };
        next = (postings[last] >> 2) + 1;
        i = last + 1;
    }
}

/// The posting list of a rare token (in at most half of the documents, as `search.js` calls it
/// rare) with the places it occurs in: `~`, then per document `gap << 3 | field` (no runs) and
/// its [`Slots`] as a second varint. A report's bound is then the best of one section's tokens
/// (or the title's), not of tokens scattered over the whole report; a common token, in most
/// sections of most reports, adds little to that and keeps its runs (it counts in every
/// section).
fn encode_slotted(postings: &[(u32, Slots)], out: &mut String) {
    out.push('~');
    let mut next = 0u32;
    for &(posting, slots) in postings {
        let (doc, field) = (posting >> 2, posting & 3);
        push_varint((doc - next) << 3 | field, out);
        push_varint(slots, out);
        next = doc + 1;
    }
}

fn push_varint(mut v: u32, out: &mut String) {
    loop {
        let more = v >= 32;
        let digit = (v & 31) | if more { 32 } else { 0 };
        out.push(ALPHABET[digit as usize] as char);
        v >>= 5;
        if !more {
            break;
        }
    }
}

/// Build the index of every report of the site, in one pass over the reports (tokenised in
/// parallel chunks, merged in parallel by shard).
///
/// It runs on plain scoped threads, not rayon: the renderer builds it from inside rayon's
/// parallel render, where a rayon worker waiting for its jobs could steal another shard's render
/// and re-enter the index's `OnceLock`.
pub fn build(site: &Site) -> SearchIndex {
    build_with_years(site, &[]).0
}

/// [`build`], giving up (`None`) between chunks of reports as soon as `give_up` says so: serve's
/// background pass builds the index of a large site (seconds at 20,000 reports) and gives way to
/// a save.
pub fn build_unless(site: &Site, give_up: &(dyn Fn() -> bool + Sync)) -> Option<SearchIndex> {
    build_indexes(site, &[], shard_bits(site.reports.len()), give_up).map(|(index, _)| index)
}

/// [`build`], and for each of `years` the index of that year's archive, which is what [`build`]
/// gives for [`Site::restricted_to_year`]: each report is tokenised once for all of them.
pub(crate) fn build_with_years(
    site: &Site,
    years: &[u16],
) -> (SearchIndex, BTreeMap<u16, SearchIndex>) {
    match build_indexes(site, years, shard_bits(site.reports.len()), &|| false) {
        Some(indexes) => indexes,
        None => unreachable!("an index that never gives up is always built"),
    }
}

/// An index being built: its shards, their count as `bits`, and the documents added.
struct Building {
    bits: u32,
    shards: Vec<ShardBuilder>,
    docs: usize,
}

impl Building {
    fn new(bits: u32) -> Self {
        let shards = (0..1usize << bits)
            .map(|_| ShardBuilder::default())
            .collect();
        Building {
            bits,
            shards,
            docs: 0,
        }
    }

    /// Add `docs` (tokenised for at least `self.bits`) with ids from `first_id` on.
    fn add(&mut self, first_id: usize, docs: &[DocTokens]) {
        let bits = self.bits;
        self.docs = self.docs.max(first_id + docs.len());
        parallel_slices(&mut self.shards, |first, slice| {
            for (d, tokens) in docs.iter().enumerate() {
                add_tokens(slice, first, (first_id + d) as u32, tokens, bits);
            }
        });
    }

    fn finish(self) -> SearchIndex {
        let mut js: Vec<(ShardBuilder, String)> = self
            .shards
            .into_iter()
            .map(|b| (b, String::new()))
            .collect();
        let docs = self.docs;
        parallel_mut(&mut js, |s, (b, out)| {
            *out = std::mem::take(b).into_js(s, docs)
        });
        SearchIndex {
            shards: js.into_iter().map(|(_, s)| s).collect(),
        }
    }
}

/// [`build_with_years`] with the site's index in `1 << bits` shards; `None` once `give_up` said so
/// (it is asked before each chunk of reports).
fn build_indexes(
    site: &Site,
    years: &[u16],
    bits: u32,
    give_up: &(dyn Fn() -> bool + Sync),
) -> Option<(SearchIndex, BTreeMap<u16, SearchIndex>)> {
    let started = std::time::Instant::now();
    let mut whole = Building::new(bits);
    let mut by_year = BTreeMap::new();
    // A year's reports are contiguous in the site (see `Site::new`): its archive index is
    // finished as soon as the next year starts, so that at most one is held.
    let mut current: Option<(u16, usize, Building)> = None;
    for (c, chunk) in site.reports.chunks(CHUNK).enumerate() {
        if give_up() {
            return None;
        }
        // Asked report by report too: a chunk takes a tenth of a second, more on a busy machine.
        let docs: Vec<DocTokens> = parallel(chunk, |_, r| match give_up() {
            true => DocTokens::default(),
            false => doc_tokens(site, r, bits),
        });
        if give_up() {
            return None;
        }
        whole.add(c * CHUNK, &docs);
        for (year, from, to) in chunk_by_year(chunk, c * CHUNK) {
            if !years.contains(&year) {
                continue;
            }
            if current.as_ref().is_none_or(|(y, ..)| *y != year) {
                if let Some((y, _, done)) = current.take() {
                    by_year.insert(y, done.finish());
                }
                let reports = site.reports_of_year(year).count();
                current = Some((year, from, Building::new(shard_bits(reports).min(bits))));
            }
            if let Some((_, start, building)) = current.as_mut() {
                let offset = c * CHUNK;
                building.add(from - *start, &docs[from - offset..to - offset]);
            }
        }
    }
    if let Some((y, _, done)) = current.take() {
        by_year.insert(y, done.finish());
    }
    // Plugin pages follow the reports (doc ids from the report count on); archives have none.
    let pages: Vec<DocTokens> = parallel(&site.plugin_pages, |_, p| page_tokens(p, bits));
    whole.add(site.reports.len(), &pages);
    // The second index: township pages by name, after the plugin pages (the site's own build
    // only; a year's archive finds its townships' pages by year, see `search.js`).
    if site.archive_of.is_none() {
        let towns: Vec<DocTokens> = parallel(&site.townships, |_, t| town_tokens(t, bits));
        whole.add(site.reports.len() + site.plugin_pages.len(), &towns);
    }
    if give_up() {
        return None;
    }
    let index = whole.finish();
    if crate::profile::enabled() {
        eprintln!(
            "search index: {} reports, {} shards, {} bytes, {} archive indexes, {:.1} ms",
            site.reports.len(),
            index.shards.len(),
            index.shards.iter().map(String::len).sum::<usize>(),
            by_year.len(),
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    Some((index, by_year))
}

/// The runs of one year in `chunk`, whose first report has id `first_id`: `(year, from, to)`
/// with report ids `from..to`.
fn chunk_by_year(chunk: &[Report], first_id: usize) -> Vec<(u16, usize, usize)> {
    let mut runs: Vec<(u16, usize, usize)> = Vec::new();
    for (i, r) in chunk.iter().enumerate() {
        match runs.last_mut() {
            Some((y, _, to)) if *y == r.year => *to = first_id + i + 1,
            _ => runs.push((r.year, first_id + i, first_id + i + 1)),
        }
    }
    runs
}

fn threads(items: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, items.max(1))
}

/// `f(index, item)` for every item, on scoped threads, results in order.
fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let per = items.len().div_ceil(threads(items.len())).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(per)
            .enumerate()
            .map(|(c, chunk)| {
                scope.spawn(move || {
                    let base = c * per;
                    chunk
                        .iter()
                        .enumerate()
                        .map(|(i, x)| f(base + i, x))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// `f(index of the first, items)` for one contiguous slice of the items per thread.
fn parallel_slices<T: Send>(items: &mut [T], f: impl Fn(usize, &mut [T]) + Sync) {
    let per = items.len().div_ceil(threads(items.len())).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        for (c, chunk) in items.chunks_mut(per).enumerate() {
            scope.spawn(move || f(c * per, chunk));
        }
    });
}

/// `f(index, item)` for every item, mutably, on scoped threads.
fn parallel_mut<T: Send>(items: &mut [T], f: impl Fn(usize, &mut T) + Sync) {
    parallel_slices(items, |first, chunk| {
        for (i, x) in chunk.iter_mut().enumerate() {
            f(first + i, x);
        }
    });
}

/// `search/docs.js`: shard count, region, the township count, the reports as
/// `[year, [first, last, first, last…]]` (inclusive runs of township indices, in the site's
/// order, which makes the doc ids: a county where every township reports every year takes a few
/// bytes per year), the titles that are not the default one, by doc id, and the folding table
/// (`fold`, about 13 KB: `search.js` must normalise as the index did, and has no other source).
/// Township names and slugs are in [`towns_js`]: a page of hits needs a few of 2,000.
pub(crate) fn docs_js(site: &Site) -> String {
    let region = &site.config.portal.region;
    let index: HashMap<&str, usize> = site
        .townships
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let mut years: Vec<(u16, Vec<usize>)> = Vec::new();
    let mut titles: std::collections::BTreeMap<String, &str> = Default::default();
    for (id, r) in site.reports.iter().enumerate() {
        let t = index
            .get(r.township.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        match years.last_mut() {
            Some((y, runs)) if *y == r.year && runs.last().is_some_and(|&l| l + 1 == t) => {
                if let Some(last) = runs.last_mut() {
                    *last = t;
                }
            }
            Some((y, runs)) if *y == r.year => runs.extend([t, t]),
            _ => years.push((r.year, vec![t, t])),
        }
        let name = site.townships.get(t).map_or("", |t| t.name.as_str());
        if r.meta.title != crate::site::default_title(region, name, r.year) {
            titles.insert(id.to_string(), &r.meta.title);
        }
    }
    let mut meta = serde_json::json!({
        "bits": shard_bits(site.reports.len()),
        "chunk": TOWNS_PER_CHUNK,
        "region": region,
        "syn": thesaurus().iter().map(SynonymGroup::compact).collect::<Vec<_>>(),
        "answers": answers(site),
        "towns": site.townships.len(),
        "years": years,
        "titles": titles,
    });
    // The folding pairs of the characters of titles, township names and the region that fold:
    // search.js reads them as the index did without the folding table, which it loads only in
    // blocks for a query's own characters (`foldable`, [`fold_block_js`]).
    let names = site.townships.iter().map(|t| t.name.as_str());
    let pages = site.plugin_pages.iter().map(|p| p.title.as_str());
    let pairs = fold_pairs_of(
        (titles.values().copied())
            .chain(names)
            .chain(pages)
            .chain([region.as_str()]),
    );
    if !pairs.is_empty() {
        meta["F"] = serde_json::json!(pairs);
    }
    meta["foldable"] = serde_json::json!(foldable_gaps());
    // Township pages by name, by doc id after the plugin pages (see `build_indexes`).
    if site.archive_of.is_none() {
        meta["nav"] = serde_json::json!(site.reports.len() + site.plugin_pages.len());
    }
    // Plugin pages, by doc id after the reports: `[path, title]`.
    if !site.plugin_pages.is_empty() {
        let pages: Vec<(String, &str)> = (site.plugin_pages.iter())
            .map(|p| (format!("{}index.html", p.path), p.title.as_str()))
            .collect();
        meta["pages"] = serde_json::json!(pages);
    }
    format!("nianbaoSearch.docs({});\n", js_json(&meta))
}

/// The thesaurus `thesaurus.txt`: the reports' vocabulary, which `search.js` also looks for.
const THESAURUS: &str = include_str!("thesaurus.txt");

/// What a group of [`THESAURUS`] says of its words, named by the sign between its first word and
/// the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupKind {
    /// `A = B C`: equivalents.
    Same,
    /// `A > B C`: A covers B and C.
    Wide,
    /// `A ~ B C`: the reader's word A stands for the topic the reports name B or C; a query term
    /// with A also looks for B and C on their own (the term reduced to the topic), since the rest
    /// of a reader's phrase (工作中的短板) is not the reports' wording either.
    Reader,
}

impl GroupKind {
    /// The sign of the kind in `thesaurus.txt` and in docs.js.
    fn sign(self) -> char {
        match self {
            GroupKind::Same => '=',
            GroupKind::Wide => '>',
            GroupKind::Reader => '~',
        }
    }
}

/// One group of [`THESAURUS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SynonymGroup {
    /// The words of the group, normalised; the first is the wider word of a `>` group and the
    /// reader's word of a `~` group.
    pub words: Vec<String>,
    /// What the group says of its words.
    pub kind: GroupKind,
}

impl SynonymGroup {
    /// The group as docs.js carries it, in a few bytes (every search loads docs.js): its kind's
    /// sign and its words separated by spaces (a word has none), `>政务新媒体 微信 …`.
    pub(crate) fn compact(&self) -> String {
        format!("{}{}", self.kind.sign(), self.words.join(" "))
    }
}

/// The groups of [`THESAURUS`], each word normalised as search normalises text. A line that
/// is not `A = B…`, `A > B…` or `A ~ B…` is skipped (a unit test keeps the file free of them).
pub(crate) fn thesaurus() -> Vec<SynonymGroup> {
    (THESAURUS.lines())
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let kind = [GroupKind::Wide, GroupKind::Reader, GroupKind::Same]
                .into_iter()
                .find(|k| line.contains(k.sign()))?;
            let (head, rest) = line.split_once(kind.sign())?;
            let mut words = vec![normalize(head.trim())];
            words.extend(rest.split_whitespace().map(normalize));
            let ok = words.len() > 1 && words.iter().all(|w| !w.is_empty() && !w.contains(' '));
            ok.then_some(SynonymGroup { words, kind })
        })
        .collect()
}

/// The pages that answer questions about figures (see `search.js`): the newest year's
/// comparison of townships, the county's totals, the oversight (督查) page, and a plugin page
/// whose title names the disclosure guide (指南), when there is one.
fn answers(site: &Site) -> serde_json::Value {
    let guide = (site.plugin_pages.iter())
        .find(|p| p.title.contains("指南"))
        .map(|p| (format!("{}index.html", p.path), p.title.as_str()));
    serde_json::json!({
        "compare": site.years().first().map(|y| format!("{y}/index.html#year-compare-title")),
        "county": "county/index.html",
        "audit": "audit/index.html",
        "guide": guide,
    })
}

/// Townships per `search/w-<k>.js`: the hits of a page are in about as many chunks as hits.
pub(crate) const TOWNS_PER_CHUNK: usize = 16;

/// `search/towns.js` (`None`, for the township filter) or `search/w-<k>.js` (the chunk `k`, for
/// the hits shown): `[name, slug]` of townships from index `first` on.
pub(crate) fn towns_js(site: &Site, chunk: Option<usize>) -> String {
    let (first, count) = match chunk {
        Some(k) => (k * TOWNS_PER_CHUNK, TOWNS_PER_CHUNK),
        None => (0, site.townships.len()),
    };
    let towns: Vec<(&str, &str)> = (site.townships.iter().skip(first).take(count))
        .map(|t| (t.name.as_str(), t.slug.as_str()))
        .collect();
    format!("nianbaoSearch.towns({first},{});\n", js_json(&towns))
}

/// The path of township chunk `k` under the site root.
pub(crate) fn towns_chunk_path(k: usize) -> String {
    format!("search/w-{k}.js")
}

/// Characters of a report's body in its first text file: enough for the snippet and the check of
/// a common word (which the first paragraphs have several times); the rest is loaded only when
/// the first part cannot decide (see `search.js`).
pub(crate) const HEAD_CHARS: usize = 400;

/// Whether a report's body may be longer than [`HEAD_CHARS`], and so has rest files
/// (decided from the narrative's length, which the body never exceeds, so that the plan need not
/// parse it; a rest file may then be empty).
pub(crate) fn has_rest(report: &Report) -> bool {
    report.narrative.len() > HEAD_CHARS
}

/// Narrative bytes per rest file, about: the rest of a long body is cut into parts of whole
/// sections so that a check loads only the parts whose sections can hold the match.
const PART_BYTES: usize = 4096;

/// Rest files at most per report.
const MAX_PARTS: usize = 8;

/// How many rest files a report has: from its narrative's length, as [`has_rest`] (the plan
/// does not parse the narrative). 0 when it has no rest.
pub fn rest_parts(report: &Report) -> usize {
    if !has_rest(report) {
        return 0;
    }
    report
        .narrative
        .len()
        .div_ceil(PART_BYTES)
        .clamp(1, MAX_PARTS)
}

/// The body of `text` split after [`HEAD_CHARS`] characters when the report [`has_rest`]: the
/// head's end and the rest's parts (byte ranges of the body), cut at section starts only, each
/// about an equal share of the rest (a part can be empty).
fn split_body(report: &Report, text: &DocText) -> (usize, Vec<std::ops::Range<usize>>) {
    let body = &text.body;
    let parts = rest_parts(report);
    if parts == 0 {
        return (body.len(), Vec::new());
    }
    let head = body
        .char_indices()
        .nth(HEAD_CHARS)
        .map_or(body.len(), |(i, _)| i);
    // Where sections start in the rest (bytes): a part holds whole sections.
    let mut starts = Vec::new();
    for section in body_sections(text) {
        let start = section.as_ptr() as usize - body.as_ptr() as usize;
        if start > head && start < body.len() {
            starts.push(start);
        }
    }
    let mut cuts = vec![head];
    for k in 1..parts {
        let ideal = head + (body.len() - head) * k / parts;
        let last = *cuts.last().unwrap_or(&head);
        let cut = (starts.iter().copied())
            .find(|&s| s >= ideal && s > last)
            .unwrap_or(last);
        cuts.push(cut.max(last));
    }
    cuts.push(body.len());
    let ranges = cuts.windows(2).map(|w| w[0]..w[1].max(w[0])).collect();
    (head, ranges)
}

/// `search/t/<year>/<slug>.js`: a report's headings, table labels (by reference, see
/// [`labels_js`]) and the first part of its body, with `r: [<bytes>…]` (the size of each rest
/// file), `p: [<start>…]` (where each begins in the body, UTF-16) and `u` (the body's length)
/// when the body goes on in `search/r/<year>/<slug>/<k>.js`.
pub(crate) fn text_js(report: &Report) -> String {
    let key = format!("{}/{}", report.year, report.township);
    let labels = table_labels(report).join("；");
    let sizes: Vec<usize> = (0..report_parts(report))
        .map(|k| rest_js(report, k).len())
        .collect();
    with_split(report, |split| {
        let whole = &split.text.body;
        let text = DocText {
            body: whole[..split.head].to_string(),
            labels,
            ..split.text.clone_without_body()
        };
        let rest = &whole[split.head..];
        let parts_of = [&text.body, &text.weak, &text.labels];
        let pairs = fold_pairs_of(
            (parts_of.into_iter().map(String::as_str))
                .chain(text.headings.iter().map(String::as_str))
                .chain([rest]),
        );
        let mut value = serde_json::to_value(&text).unwrap_or_default();
        // The labels by reference: the format's list is shipped once (`search/l-<format>.js`).
        if let (Some(stats), Some(map)) = (&report.stats, value.as_object_mut()) {
            map.remove("l");
            map.insert("L".into(), serde_json::json!(stats.format.id));
            map.insert("m".into(), serde_json::json!(labels_mask(report)));
        }
        // The rest files' sizes and places, so that search.js can tell which it needs and
        // whether they fit its budget before loading them.
        if !split.parts.is_empty() {
            let starts: Vec<usize> = (split.parts.iter())
                .map(|r| utf16_len(&whole[..r.start]))
                .collect();
            value["r"] = serde_json::json!(sizes);
            value["p"] = serde_json::json!(starts);
            value["u"] = serde_json::json!(utf16_len(whole));
        }
        if !pairs.is_empty() {
            value["F"] = serde_json::json!(pairs);
        }
        format!(
            "nianbaoSearch.text({},{});\n",
            js_json(&key),
            js_json(&value)
        )
    })
}

/// How many rest parts [`split_body`] cuts `report`'s body into.
fn report_parts(report: &Report) -> usize {
    with_split(report, |split| split.parts.len())
}

/// `search/r/<year>/<slug>/<k>.js`: part `k` of the rest of a report's body after
/// [`text_js`]'s part (empty when the report has no such part).
pub(crate) fn rest_js(report: &Report, part: usize) -> String {
    let key = format!("{}/{}", report.year, report.township);
    with_split(report, |split| {
        let body = (split.parts.get(part)).map_or("", |r| &split.text.body[r.clone()]);
        format!(
            "nianbaoSearch.rest({},{part},{});\n",
            js_json(&key),
            js_json(&body)
        )
    })
}

/// The path of part `k` of the rest of a report's text under the site root.
pub(crate) fn rest_path(year: u16, slug: &str, part: usize) -> String {
    format!("search/r/{year}/{slug}/{part}.js")
}

/// `search/t/p/<n>.js`: the text of plugin page `n` (whole: pages are few).
pub(crate) fn page_text_js(site: &Site, n: usize) -> String {
    let page = &site.plugin_pages[n];
    let text = markdown_text(&page.markdown);
    let mut value = serde_json::to_value(&text).unwrap_or_default();
    let parts = [&text.body, &text.weak].into_iter().chain(&text.headings);
    let pairs = fold_pairs_of(parts.map(String::as_str));
    if !pairs.is_empty() {
        value["F"] = serde_json::json!(pairs);
    }
    format!(
        "nianbaoSearch.text({},{});\n",
        js_json(&format!("p/{n}")),
        js_json(&value)
    )
}

/// The path of plugin page `n`'s text file under the site root (no year is `p`).
pub(crate) fn page_text_path(n: usize) -> String {
    format!("search/t/p/{n}.js")
}

/// The path of a report's text file under the site root.
pub(crate) fn text_path(year: u16, slug: &str) -> String {
    format!("search/t/{year}/{slug}.js")
}

/// JSON that is also valid JavaScript in older engines (U+2028/U+2029 escaped).
fn js_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_given_up_is_none_and_one_not_given_up_is_the_built_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let config = crate::config::Config::load(&root).expect("demo site.toml");
        let site = crate::content::load_site(&root, config)
            .0
            .expect("the demo site loads");
        assert!(build_unless(&site, &|| true).is_none());
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let index = build_unless(&site, &|| {
            asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            false
        })
        .expect("never given up");
        assert!(
            asked.into_inner() >= 2,
            "asked before each chunk and before finishing"
        );
        assert_eq!(index.shards, build(&site).shards);
    }

    #[test]
    fn archive_indexes_built_with_the_site_s_are_the_year_sites_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let config = crate::config::Config::load(&root).expect("demo site.toml");
        let site = crate::content::load_site(&root, config)
            .0
            .expect("the demo site loads");
        let years = site.years();
        assert!(years.len() > 2, "the demo has several years");
        // More shards for the site than any year has: a year's shards are then narrowed.
        let (whole, by_year) =
            build_indexes(&site, &years[1..], 10, &|| false).expect("never given up");
        assert_eq!(whole.shards.len(), 1024);
        let mut built: Vec<u16> = by_year.keys().copied().collect();
        built.reverse();
        assert_eq!(built, years[1..], "newest first, as the site lists them");
        for (year, index) in &by_year {
            let own = build(&site.restricted_to_year(*year));
            assert!(own.shards.len() < 1024);
            assert_eq!(index.shards, own.shards, "{year}");
        }
    }

    fn tokens(text: &str) -> Vec<String> {
        let text = normalize(text);
        let mut out = Vec::new();
        index_tokens(&text, |t| {
            out.push(match t {
                Token::Uni(c) => c.to_string(),
                Token::Bi(a, b) => format!("{a}{b}"),
                Token::Word(w) => w.to_string(),
            })
        });
        out
    }

    #[test]
    fn normalisation_keeps_lengths() {
        let s = "ＡＢｃ１２３　政务公开ＩＰｖ６，Hello";
        let n = normalize(s);
        assert_eq!(n, "abc123 政务公开ipv6,hello");
        assert_eq!(
            s.encode_utf16().count(),
            n.encode_utf16().count(),
            "positions must carry over to the original text"
        );
    }

    #[test]
    fn normalisation_equals_folding_each_character() {
        let table = fold_table();
        let pieces = [
            "a",
            "Z",
            "ＡＢ",
            "ｚ",
            "１",
            "　",
            " ",
            "政务",
            "國",
            "體",
            "們",
            "，",
            "。",
            "😀",
            "é",
            "\u{FF5E}",
            "\u{FF5F}",
            "\u{2F00}",
            "\n",
            "信息公開",
            "IPv6",
            "𠀀",
        ];
        let mut next = crate::testing::xorshift(0x5EED_2026);
        for _ in 0..3000 {
            let text: String = (0..next(12))
                .map(|_| pieces[next(pieces.len() as u64) as usize])
                .collect();
            let each: String = text.chars().map(|c| normalize_char(table, c)).collect();
            assert_eq!(normalize(&text), each, "{text:?}");
        }
    }

    #[test]
    fn the_folding_table_is_well_formed() {
        let entries: Vec<&str> = T2S
            .lines()
            .filter(|line| !line.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect();
        let pairs: Vec<(char, char)> = fold_pairs().collect();
        assert_eq!(
            pairs.len(),
            entries.len(),
            "every entry is two BMP CJK characters"
        );
        assert!(pairs.len() > 2000, "{}", pairs.len());
        let traditional: std::collections::BTreeSet<char> = pairs.iter().map(|p| p.0).collect();
        assert_eq!(
            traditional.len(),
            pairs.len(),
            "no character is listed twice"
        );
        for (t, s) in &pairs {
            assert_ne!(t, s);
            assert!(!traditional.contains(s), "{s} (from {t}) would fold again");
            assert!(is_cjk(*t) && is_cjk(*s), "{t}{s}: folding keeps tokens CJK");
        }
        assert_eq!(fold_js().chars().count(), 2 * pairs.len());
    }

    #[test]
    fn traditional_text_folds_to_simplified_in_place() {
        for (traditional, simplified) in [
            ("依申請公開", "依申请公开"),
            ("政府資訊公開工作年度報告", "政府资讯公开工作年度报告"),
            ("鄉鎮統計數據", "乡镇统计数据"),
            (
                "行政機關辦理行政複議、行政訴訟",
                "行政机关办理行政复议、行政诉讼",
            ),
            (
                "《政府信息公開條例》規範性文件",
                "《政府信息公开条例》规范性文件",
            ),
            ("北景港鎮２０１８年　ＩＰｖ６", "北景港镇2018年 ipv6"),
            ("爲綫裡峯衆", "为线里峰众"),
        ] {
            let folded = normalize(traditional);
            assert_eq!(folded, simplified);
            assert_eq!(
                folded.encode_utf16().count(),
                traditional.encode_utf16().count(),
                "UTF-16 positions carry over"
            );
        }
        assert_eq!(query_tokens("依申請"), query_tokens("依申请"));
        assert_eq!(
            normalize("𠀋龍"),
            "𠀋龙",
            "astral characters pass unchanged"
        );
    }

    #[test]
    fn narrative_text_has_headings_apart_and_no_markup() {
        let narrative = "## 一、概述 {#intro}\n\n本镇**政务公开**工作\n顺利。\n\nSee\nit.\n\n| 项目 | 数 |\n|---|---|\n| 培训 | 1 |\n";
        let report = Report {
            year: 2018,
            township: "a".to_string(),
            folder: String::new(),
            meta: crate::site::ReportMeta {
                title: String::new(),
                index_no: None,
                publisher: String::new(),
                scope: None,
                generated: None,
                published: Some(chrono::NaiveDate::default()),
                channel: None,
                source_url: None,
                form: None,
                draft: false,
            },
            narrative: narrative.to_string(),
            narrative_line: 1,
            stats: None,
            attachments: Vec::new(),
            errors: 0,
            warnings: 0,
        };
        let text = doc_text(&report);
        assert_eq!(text.headings, ["一、概述"]);
        assert_eq!(text.anchors, ["intro"]);
        assert_eq!(text.offsets, [0]);
        assert_eq!(text.body, "本镇政务公开工作顺利。 See it. 项目 数 培训 1");
        assert_eq!(text.labels, "");
        assert_eq!(text.weak, "");
    }

    #[test]
    fn sections_anchor_as_the_page_does_and_weak_parts_are_apart() {
        let narrative = "本报告由总体情况、主动公开情况、依申请公开情况、行政复议情况等四部分组成。全年工作正常。\n\n\
                         ## 一、总体情况\n\n正文甲。\n\n\
                         ## 二、依申请公开 {#apply}\n\n\
                         ### （一）收到申请\n\n未收到申请。\n\n\
                         ## 三、行政复议\n\n\
                         ## 四、其他\n\n\
                         | 项目 | 数量 |\n|---|---|\n| 收到申请 | 未填报 |\n| 办结 | 0 |\n";
        let text = markdown_text(narrative);
        assert_eq!(
            text.headings,
            [
                "一、总体情况",
                "二、依申请公开",
                "（一）收到申请",
                "三、行政复议",
                "四、其他"
            ]
        );
        // The ids the report page gives its headings.
        let rendered = crate::render::markdown::render(narrative);
        let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(text.anchors, ids);
        assert_eq!(text.anchors, ["sec-1", "apply", "sec-3", "sec-4", "sec-5"]);
        // 二 has a subsection under it; 三 has nothing before 四.
        assert_eq!(text.empty, [3]);
        assert_eq!(
            text.body,
            "全年工作正常。 正文甲。 未收到申请。 项目 数量 办结 0"
        );
        assert!(text.weak.contains("四部分组成"), "{}", text.weak);
        assert!(text.weak.contains("收到申请 未填报"), "{}", text.weak);
        // Section starts, in UTF-16 units of the body.
        let at = |s: &str| {
            text.body
                .find(s)
                .map(|b| utf16_len(&text.body[..b]))
                .unwrap()
        };
        assert_eq!(text.offsets[0], at("正文甲"));
        assert_eq!(text.offsets[2], at("未收到"));
        assert_eq!(text.offsets[4], at("项目"));
    }

    #[test]
    fn a_list_of_parts_is_told_from_a_sentence_that_lists_things() {
        for parts in [
            "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题等四部分组成。",
            "全文包括概述,主动公开政府信息情况,依申请公开政府信息情况,申请行政复议及提起诉讼情况和存在的主要问题。",
            "本年度报告内容包括总体情况、主动公开、依申请公开、行政复议等方面。",
            // In traditional characters: read folded.
            "本報告由總結概述、主動公開政府信息情況、政府信息公開行政復議及行政訴訟情況、存在的主要問題六部分內容組成。",
            // No word for parts: the outline's headings named in it.
            "报告主要包括：总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题及改进情况和其他需要报告的事项。",
            "本报告由概述、主动公开政府信息情况、依申请公开政府信息的情况、政府信息公开的收费及减免情况、需要说明的其他事项与附表等。",
        ] {
            assert!(lists_parts(parts), "{parts}");
        }
        for said in [
            "全年主动公开政府信息32条，包括领导信息类1条、机构职能类2条、内设机构类1条。",
            "通过政府网站、政务公开栏、微信公众号等多种渠道发布政府信息。",
            "本年度未收到政府信息公开申请。",
            // 包括 and 情况 in a passage about the work, not the report's outline.
            "主动公开的信息包括财政预决算情况、重大项目建设情况、社会救助情况等，在政府网站发布。",
        ] {
            assert!(!lists_parts(said), "{said}");
        }
    }

    #[test]
    fn the_thesaurus_is_well_formed() {
        let lines = (THESAURUS.lines())
            .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
            .count();
        let groups = thesaurus();
        assert_eq!(groups.len(), lines, "every line is a group");
        let mut seen = std::collections::BTreeSet::new();
        for g in &groups {
            for w in &g.words {
                assert_eq!(*w, normalize(w), "{w}: written folded");
                assert!(!query_tokens(w).is_empty(), "{w}");
            }
            let distinct: std::collections::BTreeSet<&String> = g.words.iter().collect();
            assert_eq!(distinct.len(), g.words.len(), "{:?}", g.words);
            seen.insert(g.words[0].clone());
        }
        // A reader's word (`A ~ B C`): its own kind of group, the reader's word first.
        let reader = groups.iter().find(|g| g.words[0] == "短板");
        assert!(
            reader.is_some_and(|g| g.kind == GroupKind::Reader),
            "{reader:?}"
        );
        assert!(groups.iter().any(|g| g.kind == GroupKind::Wide));
        assert!(groups.iter().any(|g| g.kind == GroupKind::Same));
        for (from, to) in [
            ("政务新媒体", "微信"),
            ("依申请公开", "政府信息公开申请"),
            ("资讯", "信息"),
        ] {
            assert!(
                groups
                    .iter()
                    .any(|g| g.words.contains(&from.to_string())
                        && g.words.contains(&to.to_string())),
                "{from} ↔ {to}"
            );
        }
        assert_eq!(
            normalize("資訊"),
            "资讯",
            "the traditional form folds to the listed word"
        );
    }

    #[test]
    fn index_tokens_are_characters_bigrams_and_words() {
        assert_eq!(
            tokens("北景港镇2018年，IPv6"),
            [
                "北", "景", "北景", "港", "景港", "镇", "港镇", "2018", "年", "ipv6"
            ]
        );
        assert_eq!(tokens("——  。"), Vec::<String>::new());
    }

    #[test]
    fn query_tokens_are_bigrams_or_a_single_character() {
        assert_eq!(query_tokens("政务公开"), ["政务", "务公", "公开"]);
        assert_eq!(query_tokens("镇"), ["镇"]);
        assert_eq!(query_tokens("２０１８年 报告"), ["2018", "年", "报告"]);
        assert_eq!(query_tokens("公开公开"), ["公开", "开公"]);
        assert!(query_tokens("，。 ").is_empty());
    }

    #[test]
    fn every_query_token_of_a_substring_is_indexed() {
        let text = "全年未发生依申请公开事项,通过网站发布ABC信息124条";
        let indexed = tokens(text);
        for q in ["依申请", "申", "网站发布abc", "124条", "ａｂｃ信息"] {
            for t in query_tokens(q) {
                assert!(indexed.contains(&t), "{q}: {t} not indexed");
            }
        }
        // Latin letters and digits are whole words: a part of one is not found.
        assert!(!indexed.contains(&query_tokens("信息12")[1]));
    }

    #[test]
    fn shard_count_grows_with_reports() {
        assert_eq!(shard_bits(0), 3);
        assert_eq!(shard_bits(1), 3);
        assert_eq!(shard_bits(2), 3);
        assert_eq!(shard_bits(8), 5);
        assert_eq!(shard_bits(65), 9);
        assert_eq!(shard_bits(1000), 10);
        assert_eq!(shard_bits(20_000), 10);
        assert_eq!(shard_of("政务", 0), 0);
        assert!(shard_of("政务", 8) < 256);
    }

    #[test]
    fn postings_are_gap_varints_with_runs() {
        let mut s = String::new();
        // doc 0 title, doc 1 body, doc 100 heading: values 3, 1, 98 << 3 | 2 = 786.
        encode_postings(&[3, 1 << 2 | 1, 100 << 2 | 2], &mut s);
        assert_eq!(s, "DByY");
        // Docs 0–99 in the body: one run (0 << 3 | 4 | 1 = 5, then 99 more); 100 and 101 in a
        // heading are two entries (a run of two would cost as much).
        let mut postings: Vec<u32> = (0..100).map(|d| d << 2 | 1).collect();
        postings.extend([100 << 2 | 2, 101 << 2 | 2]);
        s.clear();
        encode_postings(&postings, &mut s);
        assert_eq!(s, "FjDCC");
    }
}
