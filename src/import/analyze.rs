//! From a source's intermediate form to what will be written: format, year, township, front
//! matter, narrative and figures, with every doubtful spot as a finding. Pure: no I/O.

use super::dates::{self, parse_date};
use super::detect;
use super::hazards::{self, Finding, Level};
use super::source::{Place, Shape, Source, Text};
use super::table::{self, Fate, Matched};
use super::write::{self, FrontMatter};
use crate::schema::{self, Format};
use crate::site::Township;

/// What the command line says about the sources (each overrides detection).
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// `--year`.
    pub year: Option<u16>,
    /// `--township` (a registered slug).
    pub township: Option<String>,
    /// `--format`.
    pub format: Option<String>,
}

/// Why a source cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalyzeError {
    /// No year in the title or the 统计期限 sentence.
    #[error(
        "无法确定报告年度：标题和统计期限说明中都没有年份（索引号中的年份是发布年份，不能用）；可用 --year 指定"
    )]
    NoYear,
    /// The township is not recognised.
    #[error("无法确定乡镇：{reason}。已登记的乡镇：{known}")]
    NoTownship {
        /// Why.
        reason: String,
        /// The registered townships.
        known: String,
    },
    /// `--township` names an unregistered slug.
    #[error("--township {slug} 未在 content/townships.yaml 中登记；已登记的乡镇：{known}")]
    UnknownSlug {
        /// The slug given.
        slug: String,
        /// The registered townships.
        known: String,
    },
    /// Several of the reasons above at once (each names the flag that resolves it).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("；另外，"))]
    Several(Vec<AnalyzeError>),
    /// Nothing in the source is a report or a table.
    #[error("没有读到任何报告内容（既没有正文也没有统计表）")]
    Empty,
}

/// One source analysed: what will be written and what was noticed.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The report year.
    pub year: u16,
    /// The township.
    pub township: Township,
    /// Front matter (attachments are added when writing).
    pub front: FrontMatter,
    /// The narrative as Markdown; `None` when the source has none (an Excel table).
    pub narrative: Option<String>,
    /// The table's format and figures, when the source has a table.
    pub stats: Option<(&'static Format, Matched)>,
    /// How year, township and format were decided, in words.
    pub facts: Vec<String>,
    /// What became of each printed row of the statistics table, by the lines it was printed
    /// on (`第 48 行「规章 | 0 | 0 | 0」→ stats.yaml art20_1.rules.made、.abolished、.valid`).
    pub table_rows: Vec<String>,
    /// What was noticed, in source order.
    pub findings: Vec<Finding>,
}

/// Analyse a source. `townships` is the site's registry.
pub fn analyze(
    source: &Source,
    hints: &Hints,
    townships: &[Township],
) -> Result<Imported, AnalyzeError> {
    if source.blocks.is_empty() && source.tables.is_empty() && source.title.is_none() {
        return Err(AnalyzeError::Empty);
    }
    let mut facts = Vec::new();
    let mut findings = Vec::new();
    // Every reason to refuse is named in one run, not one per run.
    let (township, year) = match (
        pick_township(source, hints, townships, &mut facts),
        pick_year(source, hints, &mut facts, &mut findings),
    ) {
        (Ok(t), Ok(y)) => (t, y),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
        (Err(a), Err(b)) => return Err(AnalyzeError::Several(vec![a, b])),
    };
    let mut stats = pick_stats(source, hints, &mut facts, &mut findings);
    let mut blocks = source.blocks.clone();
    let mut shapes = source.shapes.clone();
    let mut restored: Vec<usize> = Vec::new();
    let unread = source.kind.starts_with("PDF")
        || stats
            .as_ref()
            .is_none_or(|(_, m)| m.rows_found == 0 && source.by_id.is_empty());
    if unread && !source.tables.is_empty() && source.kind != "Excel 表格" {
        stats = None;
        let all: Vec<usize> = (0..source.tables.len()).collect();
        restore_tables(source, &all, true, &mut blocks, &mut shapes, &mut findings);
    } else if let Some((format, _)) = &stats {
        // A table of the narrative beside the statistics (a Word document's small table in
        // section 一): no label of the format in it, so it goes back where it stood.
        let other: Vec<usize> = source
            .tables
            .iter()
            .enumerate()
            .filter(|(i, grid)| {
                matches!(source.table_at.get(*i), Some(Place::Paragraph(_)))
                    && table::label_hits(format, std::slice::from_ref(*grid)) == 0
            })
            .map(|(i, _)| i)
            .collect();
        findings.retain(
            |f| !matches!(f.at, Place::Table { table, .. } if other.contains(&(table - 1))),
        );
        restore_tables(
            source,
            &other,
            false,
            &mut blocks,
            &mut shapes,
            &mut findings,
        );
        restored = other;
    }
    let table_rows = match &stats {
        Some((_, m)) => {
            facts.extend(table_ranges(source));
            row_listing(source, &m.fates, &restored)
        }
        None => Vec::new(),
    };
    if source.kind.starts_with("PDF") {
        // Text extraction gives a PDF table's cells in drawing order, which need not be the
        // printed columns: the figures are for a person to enter from the original.
        findings.push(Finding::new(
            Level::Person,
            &Place::Nowhere,
            "PDF 只导入了文字：PDF 中表格的数字提取后不能保证栏目对应，未生成 stats.yaml；请照原件逐项录入统计表（nianbao template 生成的 Excel 模板可用于录入）",
        ));
    }
    if let Some(first) = source.run_together.first() {
        findings.push(Finding::new(
            Level::Person,
            &first.at,
            format!(
                "原文统计表有 {} 行各格连在一起（如「{}」）：除最后一位外都是 0 的，按每格一位数字读出；其他各行的数字无法分开，整行未导入。请对照原件逐格核对",
                source.run_together.len(),
                first.text
            ),
        ));
    }
    if let Some(cut) = &source.cut_off {
        findings.push(Finding::new(
            Level::Person,
            &cut.at,
            format!(
                "原文在表格中间结束（页面可能被截断）：最后一行「{}」像是下一行标签的开头，没有当作数值导入；此后各行留空",
                cut.text
            ),
        ));
    }
    if let Some((format, m)) = &stats {
        if m.values.iter().all(Option::is_none) {
            findings.push(Finding::new(
                Level::Person,
                &first_cell(source),
                format!(
                    "原文的统计表（认出 {} 个指标行）每一栏都是空白：stats.yaml 的各项都写为 ~（未填报）；如果原件另有填好的表，请照原件填写",
                    m.rows_found
                ),
            ));
        }
        findings.extend(hazards::narrative_figures(source, format, &m.values));
        findings.extend(hazards::channel_rows(source, format, &m.values));
        if format.id != crate::scaffold::default_format(year) {
            facts.push(format!(
                "注意：{year} 年度通常使用 {}，本报告的表格按标签识别为 {}（按原表导入）",
                crate::scaffold::default_format(year),
                format.id
            ));
        }
    } else if source.kind != "Excel 表格" {
        findings.extend(hazards::missing_table(source));
    }
    for d in &source.before_title {
        findings.push(Finding::new(
            Level::Warning,
            &d.at,
            format!(
                "标题之前的文字「{}」当作网页页头，未导入；如果它是报告内容，请手工补入正文",
                d.text
            ),
        ));
    }
    let title_key = source.title.as_ref().map(|t| super::labels::key(&t.text));
    for d in &source.dropped {
        let k = super::labels::key(&d.text);
        // Also half of a title printed again over two lines.
        let repeated = title_key
            .as_deref()
            .is_some_and(|t| t == k || (k.chars().count() >= 4 && t.contains(k.as_str())));
        findings.push(Finding::new(
            Level::Note,
            &d.at,
            if repeated {
                format!("与标题重复的一行「{}」，未导入", d.text)
            } else {
                format!("网页附带的文字「{}」不是报告内容，未导入", d.text)
            },
        ));
    }
    if source
        .blocks
        .iter()
        .any(|b| super::labels::has_traditional(&b.text))
    {
        findings.push(Finding::new(
            Level::Warning,
            &Place::Nowhere,
            "正文含繁体字（可能来自转换过的镜像网站）；正文照原文导入，没有转换，请确认是否需要改用简体原文",
        ));
    }
    let front = front_matter(source, township, &mut facts, &mut findings);
    findings.extend(unused_meta(source));
    for c in &source.captions {
        findings.push(Finding::new(
            Level::Note,
            &c.at,
            format!(
                "表格上方的标题「{}」未导入（stats.yaml 按格式写出各表名称）",
                c.text
            ),
        ));
    }
    let narrative = (!blocks.is_empty()).then(|| write::narrative(&blocks, &shapes));
    findings.sort_by_key(|f| place_order(&f.at));
    Ok(Imported {
        year,
        township: township.clone(),
        front,
        narrative,
        stats,
        facts,
        table_rows,
        findings,
    })
}

/// Tables no format was read from go back into the narrative where they stood: a text page's
/// lines as printed, an HTML table one row per paragraph, a Word table as a Markdown table at
/// its place among the paragraphs; nothing of the page is lost.
fn restore_tables(
    source: &Source,
    which: &[usize],
    unread: bool,
    blocks: &mut Vec<Text>,
    shapes: &mut Vec<(Place, Shape)>,
    findings: &mut Vec<Finding>,
) {
    for &i in which {
        let Some(grid) = source.tables.get(i) else {
            continue;
        };
        if let Some(at @ Place::Paragraph(p)) = source.table_at.get(i)
            && !grid.is_empty()
        {
            let position = blocks
                .iter()
                .position(|b| matches!(b.at, Place::Paragraph(q) if q > *p))
                .unwrap_or(blocks.len());
            blocks.insert(position, Text::new(write::table(grid), at.clone()));
            shapes.push((at.clone(), Shape::Markdown));
            let first = grid[0].first().map_or(Place::Nowhere, |c| c.at.clone());
            findings.push(if unread {
                Finding::new(
                    Level::Person,
                    &first,
                    format!(
                        "这里的 {} 行表格没有读出任何统计表指标，已作为表格放入正文原处（未生成 stats.yaml）；如果它就是统计表，请用 --format 指定格式后重新导入，或照原件填写",
                        grid.len()
                    ),
                )
            } else {
                Finding::new(
                    Level::Note,
                    &first,
                    format!(
                        "这个 {} 行的表格不是统计表，已作为表格放入正文原处",
                        grid.len()
                    ),
                )
            });
            continue;
        }
        let lines = source.table_lines.get(i).filter(|l| !l.is_empty());
        let restored: Vec<Text> = match lines {
            Some(lines) => lines.clone(),
            None => grid.iter().filter_map(|row| row_text(row)).collect(),
        };
        if let Some(first) = restored.first() {
            findings.push(Finding::new(
                Level::Person,
                &first.at,
                format!(
                    "这里的 {} 行表格没有读出任何统计表指标，已照原样放入正文（未生成 stats.yaml）；如果它就是统计表，请用 --format 指定格式后重新导入，或照原件填写",
                    restored.len()
                ),
            ));
        }
        blocks.extend(restored);
    }
    if blocks.iter().all(|b| matches!(b.at, Place::Line(_))) {
        blocks.sort_by_key(|b| place_order(&b.at));
    }
}

/// The source lines each table read into stats.yaml was printed on (`统计表取自第 40–212 行`): a
/// range for each run of its lines that no line of the narrative interrupts (a section heading
/// between two tables stands in report.md, not in a range).
fn table_ranges(source: &Source) -> Vec<String> {
    let line = |t: &Text| match t.at {
        Place::Line(n) => Some(n),
        _ => None,
    };
    let narrative: Vec<usize> = source.blocks.iter().filter_map(line).collect();
    let mut out = Vec::new();
    for lines in &source.table_lines {
        let mut numbers: Vec<usize> = lines.iter().filter_map(line).collect();
        numbers.sort_unstable();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for n in numbers {
            match runs.last_mut() {
                Some((_, last)) if !narrative.iter().any(|b| *last < *b && *b < n) => *last = n,
                _ => runs.push((n, n)),
            }
        }
        out.extend(
            runs.into_iter()
                .map(|(a, b)| format!("统计表取自第 {a}–{b} 行（数值写入 stats.yaml）")),
        );
    }
    out
}

/// Every printed row of the tables read into stats.yaml (those in `restored` went back into the
/// narrative) as one line of the import report: the source lines it was printed on, its cells
/// as printed, and what became of them. A line read into a table but into none of its cells
/// (the cut-off start of a row) is listed too, so that a person finds every line.
fn row_listing(source: &Source, fates: &[Vec<Fate>], restored: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_cells: Vec<&Place> = Vec::new();
    // Heading rows printed one after another on lines (a header copied one cell per line) are
    // one entry: (first line, last line, their cells).
    let mut headings: Option<(usize, usize, Vec<String>)> = None;
    let flush = |headings: &mut Option<(usize, usize, Vec<String>)>, out: &mut Vec<String>| {
        if let Some((a, b, cells)) = headings.take() {
            let at = if a == b {
                format!("第 {a} 行")
            } else {
                format!("第 {a}–{b} 行")
            };
            out.push(format!(
                "{at}「{}」：表头和标签（无数值）",
                cells.join(" | ")
            ));
        }
    };
    for (g, grid) in source.tables.iter().enumerate() {
        if restored.contains(&g) {
            continue;
        }
        for (row, fate) in grid.iter().zip(fates.get(g).into_iter().flatten()) {
            let mut cells: Vec<&Text> = Vec::new();
            for c in row.iter().filter(|c| !c.text.is_empty()) {
                // A merged cell of an HTML or Word table, repeated over the positions it spans,
                // is printed once (cells on one text line share their place and are all kept).
                let span_copy = !matches!(c.at, Place::Line(_))
                    && cells
                        .last()
                        .is_some_and(|d| d.at == c.at && d.text == c.text);
                if !span_copy {
                    cells.push(c);
                }
            }
            let Some(at) = row_place(&cells) else {
                continue;
            };
            in_cells.extend(cells.iter().map(|c| &c.at));
            let text: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
            if let (Fate::Heading, Some((a, b))) = (fate, line_span(&cells)) {
                match &mut headings {
                    Some((_, last, held)) if *last < a => {
                        *last = b;
                        held.extend(text.iter().map(|t| (*t).to_string()));
                    }
                    _ => {
                        flush(&mut headings, &mut out);
                        headings = Some((a, b, text.iter().map(|t| (*t).to_string()).collect()));
                    }
                }
                continue;
            }
            flush(&mut headings, &mut out);
            let what = match fate {
                Fate::Read(ids) => format!("→ stats.yaml {}", compact_ids(ids)),
                Fate::Heading => "：表头和标签（无数值）".to_string(),
                Fate::NotRead => "：其中的数值未导入（原因见“需人工处理”）".to_string(),
            };
            out.push(format!("{at}「{}」{what}", text.join(" | ")));
        }
        flush(&mut headings, &mut out);
    }
    for (g, lines) in source.table_lines.iter().enumerate() {
        if restored.contains(&g) {
            continue;
        }
        for line in lines {
            let layout = line.text.chars().all(|c| c == '|' || c.is_whitespace());
            if !layout && !in_cells.contains(&&line.at) {
                out.push(format!(
                    "{}「{}」：不是表格的单元格，未导入",
                    line.at, line.text
                ));
            }
        }
    }
    out
}

/// Where a printed row stood: `第 48 行`, `第 48–51 行` (one cell per line), `第 2 个表格第 5 行`
/// (HTML and Word: the row of the row's own cells; a cell spanning from above keeps its row).
fn row_place(cells: &[&Text]) -> Option<String> {
    if let Some((a, b)) = line_span(cells) {
        return Some(if a == b {
            format!("第 {a} 行")
        } else {
            format!("第 {a}–{b} 行")
        });
    }
    let table = cells
        .iter()
        .filter_map(|c| match c.at {
            Place::Table { table, row, .. } => Some((table, row)),
            _ => None,
        })
        .max_by_key(|(_, row)| *row);
    match table {
        Some((table, row)) => Some(format!("第 {table} 个表格第 {row} 行")),
        None => cells.first().map(|c| c.at.to_string()),
    }
}

/// The first and last source line of cells printed on lines.
fn line_span(cells: &[&Text]) -> Option<(usize, usize)> {
    let lines = cells.iter().filter_map(|c| match c.at {
        Place::Line(n) => Some(n),
        _ => None,
    });
    let (min, max) = lines.fold(None, |acc: Option<(usize, usize)>, n| {
        Some(acc.map_or((n, n), |(a, b)| (a.min(n), b.max(n))))
    })?;
    Some((min, max))
}

/// Indicator ids in short: the first whole, the rest without the part they share with it
/// (`art20_1.rules.made、.abolished、.valid`).
fn compact_ids(ids: &[String]) -> String {
    let Some(first) = ids.first() else {
        return "（无指标）".to_string();
    };
    let stem = first.rfind('.').map_or("", |at| &first[..=at]);
    let mut out = first.clone();
    for id in &ids[1..] {
        out.push('、');
        match id.strip_prefix(stem).filter(|_| !stem.is_empty()) {
            Some(rest) => {
                out.push('.');
                out.push_str(rest);
            }
            None => out.push_str(id),
        }
    }
    out
}

/// A grid row as one line of text: its distinct non-empty cells separated by ` | `.
fn row_text(row: &[Text]) -> Option<Text> {
    let mut cells: Vec<&str> = row
        .iter()
        .map(|c| c.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    cells.dedup();
    let first = row.iter().find(|c| !c.text.is_empty())?;
    Some(Text::new(cells.join(" | "), first.at.clone()))
}

/// Metadata keys that have a place in the front matter (the first of each list is used).
const USED_META: &[&[&str]] = &[
    &["索引号"],
    &["发布机构"],
    &["公开范围"],
    &["生成日期", "成文日期", "印发日期"],
    &[
        "公开日期",
        "发布日期",
        "发布时间",
        "公开时间",
        "发表日期",
        "发文日期",
        "发文时间",
        "日期",
        "时间",
    ],
    &["标题", "名称"],
    &["公开方式"],
    &["填报单位(盖章)", "填报单位"],
    &["单位负责人"],
    &["审核人"],
    &["填报人"],
    &["联系电话"],
    &["填报日期"],
];

/// Page metadata the front matter has no place for (文号, 主题分类, a second 发布日期), listed so
/// that nothing read from the page disappears without a word.
fn unused_meta(source: &Source) -> Vec<Finding> {
    let chosen: Vec<&Text> = USED_META.iter().filter_map(|k| meta(source, k)).collect();
    source
        .meta
        .iter()
        .filter(|(_, v)| !chosen.iter().any(|c| std::ptr::eq(*c, v)))
        .map(|(k, v)| {
            Finding::new(
                Level::Note,
                &v.at,
                format!(
                    "页面信息「{k}：{}」在 report.md 中没有对应的字段，未导入",
                    v.text
                ),
            )
        })
        .collect()
}

fn place_order(at: &Place) -> (usize, usize, usize) {
    match at {
        Place::Nowhere => (0, 0, 0),
        Place::Line(n) | Place::Paragraph(n) | Place::Image(n) => (*n, 0, 0),
        Place::Table { table, row, col } => (*table, *row, *col),
        Place::Sheet { cell, .. } => {
            let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
            let row = cell[letters.len()..].parse().unwrap_or(0);
            (row, letters.len(), letters.bytes().map(usize::from).sum())
        }
    }
}

/// How many registered townships a refusal names.
const SHOWN: usize = 10;

/// The ten registered townships closest to what the source says (`text`): the longest run of
/// characters a name shares with it, then the registry's order. A refusal names these, never
/// a registry of hundreds.
fn known(townships: &[Township], text: &str) -> String {
    let text: Vec<char> = super::labels::key(text).chars().collect();
    let mut scored: Vec<(usize, usize, &Township)> = townships
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let name: Vec<char> = super::labels::key(&t.name).chars().collect();
            (shared_run(&name, &text), i, t)
        })
        .collect();
    scored.sort_by_key(|(score, i, _)| (std::cmp::Reverse(*score), *i));
    listing(
        scored.into_iter().map(|(_, _, t)| t),
        townships.len(),
        "原文",
    )
}

/// The registered townships closest to a mistyped `--township` slug.
fn known_slugs(townships: &[Township], slug: &str) -> String {
    let mut sorted: Vec<&Township> = townships.iter().collect();
    let distance = |t: &Township| strsim::normalized_damerau_levenshtein(&t.slug, slug);
    sorted.sort_by(|a, b| distance(b).total_cmp(&distance(a)));
    listing(sorted.into_iter(), townships.len(), slug)
}

/// The first [`SHOWN`] of `sorted` as `name（slug）`, saying how many there are in all.
fn listing<'a>(sorted: impl Iterator<Item = &'a Township>, total: usize, to: &str) -> String {
    let list: Vec<String> = sorted
        .take(SHOWN)
        .map(|t| format!("{}（{}）", t.name, t.slug))
        .collect();
    if list.is_empty() {
        "（无）".to_string()
    } else if total > SHOWN {
        format!(
            "共 {total} 个，与{to}最接近的 {SHOWN} 个是 {}",
            list.join("、")
        )
    } else {
        list.join("、")
    }
}

/// The length of the longest run of characters `a` and `b` share.
fn shared_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    let mut previous = vec![0usize; b.len() + 1];
    for x in a {
        let mut current = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                current[j + 1] = previous[j] + 1;
                best = best.max(current[j + 1]);
            }
        }
        previous = current;
    }
    best
}

/// What a source says about who issued it: the title, the publisher and the first and last
/// lines of the text (where the township names itself).
fn issuer_text(source: &Source) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(source.title.iter().map(|t| t.text.as_str()));
    parts.extend(
        source
            .meta
            .iter()
            .filter(|(k, _)| k == "发布机构" || k.starts_with("填报单位"))
            .map(|(_, v)| v.text.as_str()),
    );
    let n = source.blocks.len();
    parts.extend(source.blocks.iter().take(3).map(|b| b.text.as_str()));
    parts.extend(
        source
            .blocks
            .iter()
            .skip(n.saturating_sub(3).max(3))
            .map(|b| b.text.as_str()),
    );
    parts.join("\n")
}

fn pick_township<'a>(
    source: &Source,
    hints: &Hints,
    townships: &'a [Township],
    facts: &mut Vec<String>,
) -> Result<&'a Township, AnalyzeError> {
    if let Some(slug) = &hints.township {
        let t = townships
            .iter()
            .find(|t| &t.slug == slug || t.formerly.contains(slug))
            .ok_or_else(|| AnalyzeError::UnknownSlug {
                slug: slug.clone(),
                known: known_slugs(townships, slug),
            })?;
        facts.push(format!(
            "乡镇：{}（{}），由 --township 指定",
            t.name, t.slug
        ));
        return Ok(t);
    }
    match detect::township(source, townships) {
        Ok((t, from)) => {
            facts.push(format!("乡镇：{}（{}），依据{from}", t.name, t.slug));
            Ok(t)
        }
        Err(reason) => Err(AnalyzeError::NoTownship {
            reason: format!("{reason}；可用 --township 指定"),
            known: known(townships, &issuer_text(source)),
        }),
    }
}

fn pick_year(
    source: &Source,
    hints: &Hints,
    facts: &mut Vec<String>,
    findings: &mut Vec<Finding>,
) -> Result<u16, AnalyzeError> {
    let (found, other) = detect::year(source);
    if let Some(y) = hints.year {
        facts.push(format!("年度：{y}，由 --year 指定"));
        if let Some(f) = found.filter(|f| f.year != y) {
            findings.push(Finding::new(
                Level::Warning,
                &f.at,
                format!("--year 指定为 {y}，但{}写的是 {} 年度", f.from, f.year),
            ));
        }
        return Ok(y);
    }
    let found = found.ok_or(AnalyzeError::NoYear)?;
    facts.push(format!("年度：{}，依据{}", found.year, found.from));
    if let Some(o) = other {
        findings.push(Finding::new(
            Level::Person,
            &o.at,
            format!(
                "{}写的是 {} 年，与{}的 {} 年度不一致（可能是原文笔误）；按标题导入为 {} 年度，如有误请用 --year 重新导入",
                o.from, o.year, found.from, found.year, found.year
            ),
        ));
    }
    Ok(found.year)
}

fn pick_stats(
    source: &Source,
    hints: &Hints,
    facts: &mut Vec<String>,
    findings: &mut Vec<Finding>,
) -> Option<(&'static Format, Matched)> {
    if source.tables.is_empty() {
        return None;
    }
    let format = match hints.format.as_deref().and_then(schema::format) {
        Some(f) => {
            facts.push(format!("表格格式：{}，由 --format 指定", f.id));
            f
        }
        None => match detect::format(source) {
            Some(d) => {
                facts.push(format!(
                    "表格格式：{}（{}），依据表中的标签：{}；共认出 {} 个指标行",
                    d.format.id,
                    d.format.edition,
                    if d.cues.is_empty() {
                        "nianbao 统计表的格式说明".to_string()
                    } else {
                        d.cues.join("、")
                    },
                    d.rows
                ));
                d.format
            }
            None => {
                // A page's tables go back into the narrative, each with its own note saying so
                // (`restore_tables`); only a workbook's need this one.
                if source.kind == "Excel 表格" {
                    findings.push(Finding::new(
                        Level::Person,
                        &first_cell(source),
                        "有表格，但从表中的标签认不出是哪种统计表格式（2014、2019 或 2021 年版），未生成 stats.yaml；可用 --format 指定后重新导入",
                    ));
                }
                return None;
            }
        },
    };
    let mut matched = if source.by_id.is_empty() {
        table::match_tables(format, &source.tables)
    } else {
        facts.push(
            "数值按 nianbao 填报模板的“指标位置”工作表逐项读取（不依赖标签和位置猜测）".to_string(),
        );
        table::match_by_id(format, &source.by_id)
    };
    findings.append(&mut matched.findings);
    Some((format, matched))
}

fn first_cell(source: &Source) -> Place {
    source
        .tables
        .iter()
        .flatten()
        .flatten()
        .next()
        .map_or(Place::Nowhere, |c| c.at.clone())
}

fn meta<'a>(source: &'a Source, keys: &[&str]) -> Option<&'a Text> {
    keys.iter()
        .find_map(|k| {
            source
                .meta
                .iter()
                .find(|(key, v)| key == k && !v.text.is_empty())
        })
        .map(|(_, v)| v)
}

fn date_field(
    source: &Source,
    keys: &[&str],
    name: &str,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let text = meta(source, keys)?;
    match parse_date(&text.text) {
        Some(d) => Some(d.format("%Y-%m-%d").to_string()),
        None => {
            findings.push(
                Finding::new(
                    Level::Person,
                    &text.at,
                    format!(
                        "{name}「{}」不是可识别的日期，未导入，请手工填写（YYYY-MM-DD）",
                        text.text
                    ),
                )
                .field(name),
            );
            None
        }
    }
}

fn front_matter(
    source: &Source,
    township: &Township,
    facts: &mut Vec<String>,
    findings: &mut Vec<Finding>,
) -> FrontMatter {
    let text = |keys: &[&str]| meta(source, keys).map(|t| t.text.clone());
    let (published, generated) = dates::dates(source, findings);
    for (name, d) in [("公开日期", &published), ("生成日期", &generated)] {
        facts.push(match d {
            Some(d) => format!("{name} {}（取自{}）", d.date, d.from),
            None => format!("{name}：原文未注明（写为 ~）"),
        });
    }
    let generated = generated.map(|d| d.date);
    let published = published.map(|d| d.date);
    if published.is_none() {
        // A date the original does not show is never made up: it stays unknown (`~`).
        findings.push(
            Finding::new(
                Level::Person,
                &Place::Nowhere,
                "原文没有找到公开日期：published 保留为 ~，页面将显示“公开日期：原文未注明”；如能从原网站查到实际公开日期，请填写",
            )
            .field("published"),
        );
    }
    FrontMatter {
        title: source
            .title
            .as_ref()
            .filter(|t| super::text::is_report_title(&super::labels::key(&t.text)))
            .map(|t| t.text.clone()),
        index_no: text(&["索引号"]),
        publisher: text(&["发布机构"]).or_else(|| Some(township.name.clone())),
        scope: text(&["公开范围"]),
        generated,
        published,
        channel: text(&["公开方式"]),
        form: form(source, findings),
        attachments: Vec::new(),
    }
}

fn form(source: &Source, findings: &mut Vec<Finding>) -> Vec<(&'static str, String, &'static str)> {
    let mut out = Vec::new();
    let keys: [(&[&str], &str, &str); 5] = [
        (
            &["填报单位(盖章)", "填报单位"],
            "fill_unit",
            "填报单位(盖章)",
        ),
        (&["单位负责人"], "unit_head", "单位负责人"),
        (&["审核人"], "reviewer", "审核人"),
        (&["填报人"], "filler", "填报人"),
        (&["联系电话"], "phone", "联系电话"),
    ];
    for (from, key, comment) in keys {
        if let Some(t) = meta(source, from) {
            out.push((key, t.text.clone(), comment));
        }
    }
    // A 填报日期 before the year ended is reported by the content check of the written report.
    if let Some(filled) = date_field(source, &["填报日期"], "填报日期", findings) {
        out.push(("filled", filled, "填报日期"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Township;

    #[test]
    fn ids_are_listed_short() {
        let ids = ["a.rules.made", "a.rules.valid", "b.other"].map(String::from);
        assert_eq!(compact_ids(&ids), "a.rules.made、.valid、b.other");
        assert_eq!(compact_ids(&[]), "（无指标）");
    }

    /// Every line of a table printed one cell per line is named by an entry of the listing, with
    /// what became of it: header cells, a row read into stats.yaml, a row whose label no format
    /// has (its figure not imported).
    #[test]
    fn every_table_line_is_listed_with_its_fate() {
        let page = "甲镇2020年政府信息公开工作年度报告\n正文。\n第二十条第（一）项\n信息内容\n本年新制作数量\n本年新公开数量\n对外公开总数量\n规章\n0\n0\n0\n规范性文件\n1\n0\n2\n自编指标\n5\n";
        let source = super::super::parse_text(page);
        let townships = [Township {
            slug: "alpha".into(),
            name: "甲镇".into(),
            kind: "镇".into(),
            code: None,
            order: 1,
            formerly: Vec::new(),
            since: None,
            until: None,
        }];
        let imported = analyze(&source, &Hints::default(), &townships).expect("imported");
        let rows = imported.table_rows.join("\n");
        assert!(
            rows.contains("第 3–7 行「第二十条第（一）项 | 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量」：表头和标签"),
            "{rows}"
        );
        assert!(
            rows.contains("第 8–11 行「规章 | 0 | 0 | 0」→ stats.yaml art20_1.regulations.new_made、.new_published、.public_total"),
            "{rows}"
        );
        assert!(
            rows.contains("第 16–17 行「自编指标 | 5」：其中的数值未导入"),
            "{rows}"
        );
    }
}
