//! Which format, year and township a source is: from the table's labels (never from the year
//! alone, FORMATS.md §6), from the title and the 统计期限 sentence (never from the 索引号, whose
//! year is the publication year), and from the registered townships' names.

use super::labels::{chinese_digits, key};
use super::source::{Place, Source};
use super::table::label_hits;
use crate::schema::{self, Format};
use crate::site::Township;

/// Label cues of each format (FORMATS.md §6), as comparison keys are made from them.
const CUES: &[(&str, &[&str])] = &[
    (
        "gov-2014",
        &[
            "统计指标",
            "统计数",
            "一、主动公开情况",
            "九、政府信息公开会议和培训情况",
        ],
    ),
    (
        "gov-2019",
        &[
            "本年新制作数量",
            "对外公开总数量",
            "上一年项目数量",
            "本年增/减",
            "政府集中采购",
        ],
    ),
    (
        "gov-2021",
        &[
            "本年制发件数",
            "本年废止件数",
            "现行有效件",
            "现行有效件数",
            "本年处理决定数量",
            "本年收费金额",
            "逾期不补正",
        ],
    ),
];

/// The detected format and the labels that decided it.
#[derive(Debug, Clone)]
pub(super) struct Detected {
    /// The format.
    pub format: &'static Format,
    /// The cue labels found, for the import report.
    pub cues: Vec<String>,
    /// Catalog row labels found.
    pub rows: usize,
}

/// The format whose cue labels and row labels the tables contain most; `None` when no table
/// looks like any format or two formats tie.
pub(super) fn format(source: &Source) -> Option<Detected> {
    let keys: Vec<String> = source
        .tables
        .iter()
        .flatten()
        .flatten()
        .map(|c| key(&c.text))
        .chain(source.captions.iter().map(|c| key(&c.text)))
        .collect();
    let mut scored: Vec<(usize, Detected)> = schema::formats()
        .iter()
        .map(|f| {
            let matched: Vec<&str> = CUES
                .iter()
                .filter(|(id, _)| *id == f.id)
                .flat_map(|(_, cues)| cues.iter().copied())
                .filter(|cue| keys.iter().any(|k| k.starts_with(&key(cue))))
                .collect();
            // A cue that is the start of another matched one (现行有效件, 现行有效件数) names the
            // same printed label: the report lists it once.
            let cues: Vec<String> = matched
                .iter()
                .filter(|c| !matched.iter().any(|o| o != *c && o.starts_with(**c)))
                .map(|c| c.to_string())
                .collect();
            let note = format!("表格格式:{}({})", f.name, f.edition);
            let own_note = keys.iter().any(|k| k.starts_with(&key(&note)));
            let rows = label_hits(f, &source.tables);
            let score = cues.len() * 10 + rows + if own_note { 1000 } else { 0 };
            (
                score,
                Detected {
                    format: f,
                    cues,
                    rows,
                },
            )
        })
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    let best = scored.first()?;
    let tie = scored.get(1).is_some_and(|s| s.0 == best.0);
    (best.0 > 0 && !tie && (!best.1.cues.is_empty() || best.0 >= 1000)).then(|| best.1.clone())
}

/// A year and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Year {
    /// The report year.
    pub year: u16,
    /// What it was read from, in words.
    pub from: String,
    /// Where.
    pub at: Place,
}

/// The report year from the title (`2018年度`), else from the 统计期限/统计时限 sentence or a
/// `(2018年度)` caption; a disagreement between them is returned for the report.
pub(super) fn year(source: &Source) -> (Option<Year>, Option<Year>) {
    let title = source.title.as_ref().and_then(|t| {
        year_in(&t.text, &["年度", "年"]).map(|y| Year {
            year: y,
            from: format!("标题「{}」", t.text),
            at: t.at.clone(),
        })
    });
    let period = source
        .blocks
        .iter()
        .find_map(|b| {
            let text = key(&b.text);
            let at = ["统计期限", "统计时限", "统计期间", "统计时间"]
                .iter()
                .find_map(|k| text.find(k))?;
            let y = year_in(&text[at..], &["年1月1日", "年01月01日", "年"])?;
            Some(Year {
                year: y,
                from: "统计期限的说明".to_string(),
                at: b.at.clone(),
            })
        })
        .or_else(|| source.blocks.iter().take(12).find_map(period_span))
        .or_else(|| {
            source.captions.iter().find_map(|c| {
                let k = key(&c.text);
                (k.starts_with('(') && k.ends_with(')'))
                    .then(|| year_in(&k, &["年度", "年"]))
                    .flatten()
                    .map(|y| Year {
                        year: y,
                        from: format!("统计表表头「{}」", c.text),
                        at: c.at.clone(),
                    })
            })
        });
    match (title, period) {
        (Some(t), Some(p)) if t.year != p.year => (Some(t), Some(p)),
        (Some(t), _) => (Some(t), None),
        (None, Some(p)) => (Some(p), None),
        (None, None) => (body_year(source), None),
    }
}

/// A year's whole span said in a sentence of the opening without the word 统计期限
/// (`内容涵盖2025年1月1日至2025年12月31日期间`): the year of both ends.
fn period_span(b: &super::source::Text) -> Option<Year> {
    let text = key(&b.text);
    let at = text
        .find("年1月1日至")
        .or_else(|| text.find("年01月01日至"))?;
    let start = text[..at].char_indices().rev().nth(3).map(|(i, _)| i)?;
    let y = year_in(&text[start..], &["年1月1日", "年01月01日"])?;
    let end = &text[at..];
    let closes = end.contains(&format!("{y}年12月31日")) || end.starts_with("年1月1日至12月31日");
    closes.then(|| Year {
        year: y,
        from: "统计期限的说明".to_string(),
        at: b.at.clone(),
    })
}

/// A page copied without its title: the year of the report its first lines name
/// (`现公布甲镇2020年政府信息公开工作年度报告`).
fn body_year(source: &Source) -> Option<Year> {
    source.blocks.iter().take(3).find_map(|b| {
        let k = key(&b.text);
        let y = year_in(
            &k,
            &[
                "年度政府信息公开",
                "年政府信息公开",
                "年度信息公开",
                "年信息公开",
            ],
        )
        .or_else(|| {
            // `特编制2021年度街道信息公开年度报告`: the office's name between year and title.
            (k.contains("信息公开") && (k.contains("年度报告") || k.contains("年报")))
                .then(|| year_in(&k, &["年度"]))
                .flatten()
        })?;
        Some(Year {
            year: y,
            from: format!("正文{}提到的报告名称", b.at),
            at: b.at.clone(),
        })
    })
}

/// The first four-digit year (19xx/20xx, Chinese numerals too) followed by one of `suffixes`.
fn year_in(text: &str, suffixes: &[&str]) -> Option<u16> {
    let text = chinese_digits(text);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in 0..chars.len().saturating_sub(3) {
        let digits: String = chars[w..w + 4].iter().map(|(_, c)| *c).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if w > 0 && chars[w - 1].1.is_ascii_digit() {
            continue;
        }
        let after = chars.get(w + 4).map_or(text.len(), |(i, _)| *i);
        if !suffixes.iter().any(|s| text[after..].starts_with(s)) {
            continue;
        }
        if let Ok(y) = digits.parse::<u16>()
            && (1990..=2100).contains(&y)
        {
            return Some(y);
        }
    }
    None
}

/// The registered township the title names (else the 发布机构, else the table's 填报单位).
pub(super) fn township<'a>(
    source: &Source,
    townships: &'a [Township],
) -> Result<(&'a Township, String), String> {
    let mut places: Vec<(String, String)> = Vec::new();
    if let Some(t) = &source.title {
        places.push((t.text.clone(), "标题".to_string()));
    }
    for (k, v) in &source.meta {
        if k == "发布机构" || k == "发文机关" || k.starts_with("填报单位") {
            places.push((v.text.clone(), k.clone()));
        }
    }
    for (text, what) in &places {
        let text = key(text);
        let found: Vec<&Township> = townships
            .iter()
            .filter(|t| text.contains(&key(&t.name)))
            .collect();
        match found.as_slice() {
            [one] => return Ok((one, what.clone())),
            [] => continue,
            many => {
                let names: Vec<&str> = many.iter().map(|t| t.name.as_str()).collect();
                return Err(format!(
                    "{what}中同时出现了 {}，无法确定是哪个乡镇",
                    names.join("、")
                ));
            }
        }
    }
    if let Some(found) = township_in_body(source, townships)? {
        return Ok(found);
    }
    if let Some(found) = township_as_subject(source, townships) {
        return Ok(found);
    }
    Err("标题、发布机构、填报单位和正文开头结尾中都没有找到已登记的乡镇名称".to_string())
}

/// Words of the sentences that name the office issuing the report: `由甲镇人民政府编制`,
/// `现公布甲镇2020年…报告`, `现将甲乡2024年度…报告如下`, `请与甲镇人民政府办公室联系`, the signature `甲镇人民政府`.
const ISSUER_WORDS: &[&str] = &[
    "编制",
    "公布",
    "联系",
    "人民政府",
    "办事处",
    "年度报告",
    "现将",
    "报告如下",
];

/// The township a page copied without its title names in its first and last lines (the
/// sentences of [`ISSUER_WORDS`]): exactly one registered name there, book titles 《…》 aside.
fn township_in_body<'a>(
    source: &Source,
    townships: &'a [Township],
) -> Result<Option<(&'a Township, String)>, String> {
    let n = source.blocks.len();
    let lines = source
        .blocks
        .iter()
        .take(3)
        .chain(source.blocks.iter().skip(n.saturating_sub(5).max(3)));
    let mut found: Vec<(&Township, &super::source::Text)> = Vec::new();
    for b in lines {
        let k = without_book_titles(&key(&b.text));
        if !ISSUER_WORDS.iter().any(|w| k.contains(w)) {
            continue;
        }
        for t in townships.iter().filter(|t| k.contains(&key(&t.name))) {
            if !found.iter().any(|(f, _)| f.slug == t.slug) {
                found.push((t, b));
            }
        }
    }
    match found.as_slice() {
        [] => Ok(None),
        [(t, b)] => {
            let quoted: String = b.text.chars().take(30).collect();
            let more = if b.text.chars().count() > 30 {
                "…"
            } else {
                ""
            };
            Ok(Some((t, format!("正文{}「{quoted}{more}」", b.at))))
        }
        many => {
            let names: Vec<&str> = many.iter().map(|(t, _)| t.name.as_str()).collect();
            Err(format!(
                "正文中同时出现了 {}，无法确定是哪个乡镇",
                names.join("、")
            ))
        }
    }
}

/// The township a report names only inside its sections, as the subject of what was done
/// (`2024年,甲乡主动公开政务信息545条`, `2024年,甲乡没有收到…申请`): taken when it begins at
/// least two sentences and no other registered township is named anywhere in the text.
fn township_as_subject<'a>(
    source: &Source,
    townships: &'a [Township],
) -> Option<(&'a Township, String)> {
    let body: Vec<String> = source
        .blocks
        .iter()
        .map(|b| without_book_titles(&key(&b.text)))
        .collect();
    let named: Vec<&Township> = townships
        .iter()
        .filter(|t| body.iter().any(|b| b.contains(&key(&t.name))))
        .collect();
    let [only] = named.as_slice() else {
        return None;
    };
    let name = key(&only.name);
    let mut first: Option<&super::source::Text> = None;
    let mut count = 0;
    for (block, k) in source.blocks.iter().zip(&body) {
        for sentence in k.split(['。', ';', '!', '?']) {
            if sentence_subject(sentence).starts_with(name.as_str()) {
                count += 1;
                first.get_or_insert(block);
            }
        }
    }
    let first = first.filter(|_| count >= 2)?;
    Some((
        only,
        format!(
            "正文中以它开头的 {count} 句话（第一句在{}），全文没有提到其他已登记的乡镇",
            first.at
        ),
    ))
}

/// A sentence (key-normalised) without what may come before its subject: an item's number
/// (`1.公开数量`, `(二)`) and the year it speaks of (`2024年,`, `2024年度,`).
fn sentence_subject(sentence: &str) -> &str {
    let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let mut s = sentence;
    let n = digits(s);
    if (1..=2).contains(&n) && s[n..].starts_with(['.', '、']) {
        s = &s[n + 1..];
    } else if let Some(inner) = s.strip_prefix('(')
        && let Some(end) = inner.find(')').filter(|e| *e <= 12)
    {
        s = &inner[end + 1..];
    } else {
        let numerals = s.len()
            - s.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c))
                .len();
        if numerals > 0 && s[numerals..].starts_with('、') {
            s = &s[numerals + '、'.len_utf8()..];
        }
    }
    if digits(s) == 4 {
        for mark in ["年度,", "年,", "年度", "年"] {
            if let Some(rest) = s[4..].strip_prefix(mark) {
                return rest;
            }
        }
    }
    s
}

/// `k` without the book titles 《…》 it quotes (a directory's or a regulation's name is not the
/// issuer), except the report's own name (`现发布《甲镇2025年政府信息公开工作年度报告》`).
fn without_book_titles(k: &str) -> String {
    let mut out = String::with_capacity(k.len());
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in k.chars() {
        match c {
            '<' => {
                depth += 1;
                inner.clear();
            }
            '>' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && super::text::is_report_title(&inner) {
                    out.push_str(&inner);
                }
            }
            _ if depth == 0 => out.push(c),
            _ => inner.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_is_found_after_an_item_number_and_a_year() {
        assert_eq!(sentence_subject("2024年,甲乡主动公开"), "甲乡主动公开");
        assert_eq!(sentence_subject("1.公开数量"), "公开数量");
        assert_eq!(sentence_subject("(二)2024年度,甲乡没有"), "甲乡没有");
        assert_eq!(sentence_subject("三墩乡主动公开"), "三墩乡主动公开");
        assert_eq!(sentence_subject("一、甲乡"), "甲乡");
    }

    #[test]
    fn years_from_text() {
        assert_eq!(
            year_in("华容县北景港镇2018年度政府", &["年度", "年"]),
            Some(2018)
        );
        assert_eq!(year_in("二O一九年三月十一日", &["年"]), Some(2019));
        assert_eq!(year_in("00638229X4/2019-1513549", &["年度", "年"]), None);
        assert_eq!(
            year_in("统计时限为2018年1月1日至12月31日", &["年1月1日"]),
            Some(2018)
        );
        let span = |t: &str| period_span(&super::super::source::Text::new(t, Place::Line(1)));
        assert_eq!(
            span("本报告内容涵盖2025年1月1日至2025年12月31日期间").map(|y| y.year),
            Some(2025)
        );
        assert_eq!(span("自2024年1月1日至2025年3月1日").map(|y| y.year), None);
    }
}
