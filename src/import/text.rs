//! Published report text (the seed's shape): metadata lines, the title, the narrative, and the
//! table flattened as `label | unit | value |` lines, one cell per line, or bare cell lines.

use super::labels::key;
use super::source::{Grid, Place, Source, Text};

/// Metadata keys of county CMS pages (FORMATS.md §0), as printed; the page-information keys
/// that are furniture (来源, 点击数, 字体 …) are here too, so that a value ends where they begin
/// and the import report lists them as left out.
pub(super) const META_KEYS: &[&str] = &[
    "索引号",
    "发布机构",
    "公开范围",
    "生成日期",
    "公开日期",
    "发布日期",
    "发布时间",
    "公开时间",
    "公开方式",
    "文号",
    "发文字号",
    "主题分类",
    "成文日期",
    "发文日期",
    "印发日期",
    "公开时限",
    "信息来源",
    "标题",
    "名称",
    "日期",
    "时间",
    "来源",
    "作者",
    "点击数",
    "点击量",
    "点击率",
    "访问次数",
    "浏览次数",
    "阅读次数",
    "访问量",
    "字体大小",
    "字体",
    "字号",
    "发布目录",
    "文件分类",
    "信息分类",
    "所属机构",
    "所属主题",
    "有效性",
    "分享到",
    "分享至",
    "分享",
    "信息索引号",
    "信息名称",
    "文件名称",
    "发布单位",
    "组配分类",
    "文件编号",
    "登记号",
    "规范性文件登记",
    "发表日期",
    "发文时间",
    "更新时间",
    "发文机关",
    "主题词",
    "关键词",
    "公文生成日期",
    "分类",
    "撰写时间",
    "信息提供日期",
];

/// Page-information keys that are furniture: a line of only these is left out whole.
const FURNITURE_KEYS: &[&str] = &[
    "来源",
    "作者",
    "点击数",
    "点击量",
    "点击率",
    "访问次数",
    "浏览次数",
    "阅读次数",
    "访问量",
    "字体大小",
    "字体",
    "字号",
    "发布目录",
    "分享到",
    "分享至",
    "分享",
];

/// Printed keys that name a front-matter field under another label.
const ALIASES: &[(&str, &str)] = &[
    ("信息索引号", "索引号"),
    ("公文生成日期", "生成日期"),
    ("撰写时间", "成文日期"),
    ("信息名称", "名称"),
    ("文件名称", "名称"),
    ("发布单位", "发布机构"),
];

/// Keys whose value a list layout may print on the next line (`• 成文日期:` / `2020-01-17`);
/// page-information keys (点击数, 字体 …) never take the next line.
const VALUE_BELOW: &[&str] = &[
    "索引号",
    "发布机构",
    "公开范围",
    "生成日期",
    "公开日期",
    "发布日期",
    "发布时间",
    "公开时间",
    "公开方式",
    "文号",
    "发文字号",
    "主题分类",
    "成文日期",
    "发文日期",
    "印发日期",
    "名称",
    "标题",
    "组配分类",
    "文件编号",
    "发表日期",
    "信息提供日期",
];

/// Keys a county CMS prints in a metadata grid WITHOUT colons, label and value separated only
/// by spaces or table pipes (`索 引 号 | 0142/2021-00012 | 分 类 | 报告 |`, `成文日期 2024-01-16
/// 发布机构 甲镇`). Only labels that no report sentence or table row begins with, so that a line
/// starting with one of them (followed by a space or a pipe) is the page's metadata.
const ROW_KEYS: &[&str] = &[
    "索引号",
    "信息索引号",
    "分类",
    "发布机构",
    "发布单位",
    "发文机关",
    "发文日期",
    "发文时间",
    "发表日期",
    "成文日期",
    "生成日期",
    "公开日期",
    "发布日期",
    "发布时间",
    "信息提供日期",
    "标题",
    "文号",
    "发文字号",
    "文件编号",
    "主题词",
    "关键词",
    "内容概述",
    "时效",
    "是否有效",
    "有效性",
    "效力状况",
    "公开形式",
    "公开方式",
    "公开范围",
    "公开时限",
    "责任部门",
    "组配分类",
    "主题分类",
    "信息分类",
    "所属机构",
    "体裁",
];

/// Footer keys of the 2014-edition table.
pub(super) const FOOTER_KEYS: &[&str] = &[
    "填报单位(盖章)",
    "填报单位",
    "单位负责人",
    "审核人",
    "填报人",
    "联系电话",
    "填报日期",
];

/// Words that only page furniture prints (a line of at most 40 characters with one of them is
/// left out of the narrative and listed).
const FURNITURE: &[&str] = &[
    "扫一扫在手机打开当前页",
    "打印本页",
    "关闭窗口",
    "[打印]",
    "[关闭]",
    "打印此页",
    "分享到",
    "分享至",
    "字体大小",
    "字体:",
    "字号:",
    "访问次数",
    "浏览次数",
    "阅读次数",
    "点击数",
    "点击量",
    "设为首页",
    "加入收藏",
    "关怀版",
    "无障碍",
    "点击关闭",
    "发布目录:",
    "信息公开元数据",
    "点击查看解读",
];

/// Whether a line is page furniture: a short line printing one of [`FURNITURE`], or a layout
/// line of `|`, `-`, `+` only.
pub(super) fn is_furniture(text: &str) -> bool {
    let k = key(text.trim_start_matches(['•', '·', '*', ' ', '\u{3000}']));
    if !k.is_empty() && k.chars().all(|c| matches!(c, '|' | '-' | '+' | '_' | '=')) {
        return true;
    }
    k.chars().count() <= 40 && FURNITURE.iter().any(|w| k.contains(&key(w)))
        || matches!(
            k.as_str(),
            "打印" | "关闭" | "[字体:大中小]" | "字体:大中小"
        )
}

/// Read the text of a published report page. Pure: no I/O.
pub fn parse_text(text: &str) -> Source {
    let raw: Vec<&str> = text.lines().collect();
    let aligned = aligned_rows(&raw);
    let lines: Vec<Option<Text>> = raw
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let text = if aligned.contains(&i) {
                as_pipes(&split_aligned(l))
            } else if l.trim().contains('\t') {
                as_pipes(&l.trim().split('\t').map(str::trim).collect::<Vec<_>>())
            } else {
                l.trim().to_string()
            };
            Some(Text::new(text, Place::Line(i + 1)))
        })
        .collect();
    let mut source = from_lines(lines, Vec::new());
    source.kind = "纯文本".to_string();
    source
}

/// Cells as a pipe-separated line (`a | b |`), the shape the table reader takes.
fn as_pipes(cells: &[&str]) -> String {
    let mut out = cells.join(" | ");
    out.push_str(" |");
    out
}

/// A line of a table aligned with spaces, split at runs of two or more spaces.
fn split_aligned(line: &str) -> Vec<&str> {
    let line = line.trim();
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < bytes.len() {
        let (at, c) = bytes[i];
        let spaces = bytes[i..]
            .iter()
            .take_while(|(_, c)| *c == ' ' || *c == '\u{3000}')
            .count();
        if c == '\u{3000}' || (c == ' ' && spaces >= 2) {
            cells.push(&line[start..at]);
            i += spaces;
            start = bytes.get(i).map_or(line.len(), |(a, _)| *a);
            continue;
        }
        i += 1;
    }
    cells.push(&line[start..]);
    cells.into_iter().filter(|c| !c.is_empty()).collect()
}

/// Indices of the lines of a table aligned with spaces: from a header line naming 统计指标 (or
/// 信息内容) to the last line split into several cells, sentences excluded.
fn aligned_rows(raw: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let header = split_aligned(raw[i]);
        let k = key(raw[i]);
        if header.len() < 2 || !(k.starts_with("统计指标") || k.starts_with("信息内容")) {
            i += 1;
            continue;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < raw.len() && !raw[j].contains('。') {
            if split_aligned(raw[j]).len() >= 2 {
                last = j;
            }
            j += 1;
        }
        out.extend((i..=last).filter(|n| !raw[*n].trim().is_empty()));
        i = last + 1;
    }
    out
}

/// A page's lines (`None` where a table already read as a grid was) into a source: runs of
/// pipe-flattened table lines become grids, and a table printed one cell per line without
/// pipes is found from its `统计指标` header.
pub(super) fn from_lines(lines: Vec<Option<Text>>, mut tables: Vec<Grid>) -> Source {
    let mut prose = Vec::with_capacity(lines.len());
    let mut table_lines: Vec<Vec<Text>> = vec![Vec::new(); tables.len()];
    let mut i = 0;
    // Metadata printed between pipes (`发布机构: | 甲镇 | 发文日期: | 2020-01-06 |`) is not a table.
    let is_table = |l: &Option<Text>| {
        l.as_ref()
            .is_some_and(|l| is_table_line(&l.text) && meta_fields(l).is_none())
    };
    while i < lines.len() {
        if is_table(&lines[i]) {
            let start = i;
            while i < lines.len()
                && (is_table(&lines[i]) || lines[i].as_ref().is_some_and(|l| l.text.is_empty()))
            {
                i += 1;
            }
            // A page cut off inside a table ends on a figure whose `|` never came
            // (`行政事业性收费 |`, `0 |`, `0`): the last cell of the table, not a paragraph.
            if let Some(end) = cut_off_cell(&lines, i) {
                i = end;
            }
            let run: Vec<Text> = lines[start..i].iter().flatten().cloned().collect();
            let grid = pipe_grid(&run);
            if is_grid(&grid) {
                tables.push(grid);
                table_lines.push(run.into_iter().filter(|l| !l.text.is_empty()).collect());
                prose.push(None);
            } else {
                // A paragraph that happens to end in `|` (a whole report pasted as one line)
                // is narrative, not a one-row table.
                prose.extend(lines[start..i].iter().cloned());
            }
        } else {
            prose.push(lines[i].clone());
            i += 1;
        }
    }
    let mut source = classify(prose, tables);
    source.table_lines = table_lines;
    if source.tables.is_empty() {
        bare_table(&mut source);
    }
    if source.tables.is_empty() {
        cell_tables(&mut source);
    }
    if source.tables.is_empty() {
        run_together_tables(&mut source);
    }
    release_headings(&mut source);
    source
}

/// A section heading of the report read into a table's lines (`三、收到和处理政府信息公开申请情况`
/// between two tables copied one cell per line) goes back into the narrative where it stood: it
/// is the report's heading, not a cell, and a table's line range never swallows it.
fn release_headings(source: &mut Source) {
    let mut released = Vec::new();
    for (lines, grid) in source.table_lines.iter_mut().zip(source.tables.iter_mut()) {
        let (headings, kept): (Vec<Text>, Vec<Text>) = std::mem::take(lines)
            .into_iter()
            .partition(|l| super::table::is_section_heading(&l.text));
        *lines = kept;
        for heading in headings {
            for row in grid.iter_mut() {
                row.retain(|c| c.at != heading.at || c.text.is_empty());
            }
            grid.retain(|row| row.iter().any(|c| !c.text.is_empty()));
            let text = heading
                .text
                .trim_matches(|c: char| c == '|' || c.is_whitespace())
                .to_string();
            released.push(Text::new(text, heading.at));
        }
    }
    if released.is_empty() {
        return;
    }
    source.blocks.extend(released);
    if source.blocks.iter().all(|b| matches!(b.at, Place::Line(_))) {
        source.blocks.sort_by_key(|b| match b.at {
            Place::Line(n) => n,
            _ => 0,
        });
    }
}

/// The end of the page when its only remaining line (from `at`) is a bare figure: the cell a
/// page cut off inside a pipe table ends on.
fn cut_off_cell(lines: &[Option<Text>], at: usize) -> Option<usize> {
    let rest: Vec<&Text> = lines[at..]
        .iter()
        .flatten()
        .filter(|l| !l.text.is_empty())
        .collect();
    let [last] = rest.as_slice() else {
        return None;
    };
    (!matches!(
        super::labels::figure(&last.text),
        super::labels::Figure::NotANumber(_)
    ))
    .then_some(lines.len())
}

/// The number the row after the last labelled row would start with (`1.属于国家秘密` → 2).
fn next_number(cells: &[Text]) -> Option<u32> {
    let label = cells.iter().rev().find(|c| {
        matches!(
            super::labels::figure(&c.text),
            super::labels::Figure::NotANumber(_)
        )
    })?;
    let k = key(&label.text);
    let digits: String = k.chars().take_while(char::is_ascii_digit).collect();
    let n: u32 = digits.parse().ok()?;
    k[digits.len()..].starts_with('.').then_some(n + 1)
}

/// Tables copied from a browser one cell per line (blank lines between cells or not): a run of
/// short lines that starts at a format's label or caption and holds labels and figures becomes
/// a grid; a line that is neither a figure nor a unit starts a row.
fn cell_tables(source: &mut Source) {
    let is_value = |t: &str| {
        super::table::is_unit(t)
            || !matches!(
                super::labels::figure(t),
                super::labels::Figure::NotANumber(_)
            )
    };
    let cell_like = |t: &str| {
        is_value(t)
            || super::table::is_catalog_text(t)
            || (t.chars().count() <= 30 && !t.contains(['。', '；', ';']))
    };
    let mut i = 0;
    while i < source.blocks.len() {
        if !super::table::is_catalog_text(&source.blocks[i].text) {
            i += 1;
            continue;
        }
        let end = (i..source.blocks.len())
            .find(|&j| !cell_like(&source.blocks[j].text))
            .unwrap_or(source.blocks.len());
        let run = &source.blocks[i..end];
        let figures = run.iter().filter(|c| is_value(&c.text)).count();
        let labels = run
            .iter()
            .filter(|c| super::table::is_catalog_text(&c.text))
            .count();
        // A table printed with every cell blank (a form published unfilled) is still the
        // table: its many labels are cells, not one-word paragraphs.
        let blank_form = figures == 0 && labels >= 10;
        if (figures < 3 || labels < 2) && !blank_form {
            i = end.max(i + 1);
            continue;
        }
        let at_end = end == source.blocks.len();
        let cells: Vec<Text> = source.blocks.drain(i..end).collect();
        let mut grid: Grid = Vec::new();
        let mut read = cells.as_slice();
        // A page cut off inside a table ends on the number of the next row's label (`2` of
        // `2.其他法律行政法规禁止公开`): not a figure of the row above.
        if at_end
            && let [before @ .., last] = read
            && next_number(before).is_some_and(|n| n.to_string() == last.text.trim())
        {
            source.cut_off = Some(last.clone());
            read = before;
        }
        for cell in read.iter().cloned() {
            match grid.last_mut() {
                Some(row) if is_value(&cell.text) => row.push(cell),
                _ => grid.push(vec![cell]),
            }
        }
        source.tables.push(grid);
        source.table_lines.push(cells);
    }
}

/// Tables copied with their cell borders lost, each row one run of text (`规章000`): a format's
/// label followed by nothing but digits. A run of at least two such rows, with the header and
/// caption lines between them (`信息内容本年新制作数量…`, `第二十条(五)项`), is a table.
fn run_together_tables(source: &mut Source) {
    // A caption printed without the second 第 (`第二十条(五)项`) is the table's too.
    let belongs = |t: &str| {
        let k = key(t);
        run_together_row(t).is_some()
            || super::table::is_catalog_text(t)
            || (k.starts_with("第二十条") && k.chars().count() <= 12)
            || super::table::run_together_labels(t).is_some()
    };
    let mut i = 0;
    while i < source.blocks.len() {
        if run_together_row(&source.blocks[i].text).is_none() {
            i += 1;
            continue;
        }
        // Headings and captions just above the first row are the table's too.
        let mut start = i;
        while start > 0 && belongs(&source.blocks[start - 1].text) {
            start -= 1;
        }
        let end = (i..source.blocks.len())
            .find(|&j| !belongs(&source.blocks[j].text))
            .unwrap_or(source.blocks.len());
        let rows = source.blocks[start..end]
            .iter()
            .filter(|b| run_together_row(&b.text).is_some())
            .count();
        if rows < 2 {
            i = end.max(i + 1);
            continue;
        }
        let lines: Vec<Text> = source.blocks.drain(start..end).collect();
        let grid: Grid = lines
            .iter()
            .map(|line| match run_together_row(&line.text) {
                Some((label, digits)) => {
                    source.run_together.push(line.clone());
                    run_together_cells(label, digits, &line.at)
                }
                None => match super::table::run_together_labels(&line.text) {
                    Some(labels) => labels
                        .into_iter()
                        .map(|l| Text::new(l, line.at.clone()))
                        .collect(),
                    None => vec![line.clone()],
                },
            })
            .collect();
        source.tables.push(grid);
        source.table_lines.push(lines);
        i = start;
    }
}

/// A format's label followed by nothing but ASCII digits (`行政许可000`): the label and the digits.
fn run_together_row(text: &str) -> Option<(&str, &str)> {
    let label = text.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &text[label.len()..];
    let label = label.trim();
    (!digits.is_empty() && !label.is_empty() && super::table::is_catalog_text(label))
        .then_some((label, digits))
}

/// The cells of a row whose figures ran together. The digits are one figure per column only when
/// no other reading is possible: every digit but the last is 0 (`005` can only be 0, 0, 5, since
/// `00` and `05` are not written numbers). Otherwise (`120`: 1, 2, 0, or 12 and 0 with a blank)
/// they stay one cell, which the table reader refuses for its column count and leaves to a
/// person, the line kept in the table's lines.
fn run_together_cells(label: &str, digits: &str, at: &Place) -> Vec<Text> {
    let mut row = vec![Text::new(label, at.clone())];
    let (init, _) = digits.split_at(digits.len() - 1);
    if init.bytes().all(|b| b == b'0') {
        row.extend(digits.chars().map(|d| Text::new(d.to_string(), at.clone())));
    } else {
        row.push(Text::new(digits, at.clone()));
    }
    row
}

/// Whether pipe-separated lines make a table: at least two rows of two or more cells.
fn is_grid(grid: &Grid) -> bool {
    grid.iter()
        .filter(|row| row.iter().filter(|c| !c.text.is_empty()).count() >= 2)
        .count()
        >= 2
}

fn is_table_line(line: &str) -> bool {
    line.ends_with('|') || (line.starts_with('|') && line.len() > 1)
}

/// Rows of a pipe-flattened table. A line of pipes alone ends a row (the seed's one cell per
/// line); when there is no such line, every line is a row (`a | b | c |`).
fn pipe_grid(lines: &[Text]) -> Grid {
    if let Some(grid) = fixed_width_cells(lines) {
        return grid;
    }
    let separated = lines
        .iter()
        .any(|l| !l.text.is_empty() && l.text.chars().all(|c| c == '|'));
    // A leading pipe frames every row in Markdown-style tables; otherwise it is an empty
    // first cell (a row whose first value is blank).
    let framed = lines
        .iter()
        .filter(|l| !l.text.is_empty() && !l.text.chars().all(|c| c == '|'))
        .all(|l| l.text.starts_with('|'));
    let mut grid = Vec::new();
    let mut row: Vec<Text> = Vec::new();
    for line in lines.iter().filter(|l| !l.text.is_empty()) {
        let body = if framed {
            line.text.strip_prefix('|').unwrap_or(&line.text)
        } else {
            &line.text
        };
        let body = body.strip_suffix('|').unwrap_or(body);
        let cells: Vec<&str> = body.split('|').collect();
        let pipes_only = line.text.chars().all(|c| c == '|');
        if separated {
            if !pipes_only {
                row.extend(cells.iter().map(|c| Text::new(c.trim(), line.at.clone())));
            }
            if pipes_only && !row.is_empty() {
                grid.push(std::mem::take(&mut row));
            }
        } else {
            grid.push(
                cells
                    .iter()
                    .map(|c| Text::new(c.trim(), line.at.clone()))
                    .collect(),
            );
        }
    }
    if !row.is_empty() {
        grid.push(row);
    }
    grid
}

/// Rows of a table copied one cell per line (`规章 |`) with nothing between rows, where a line of
/// pipes alone stands for the rest of a row's empty cells (`第二十条第(一)项 |` then `|||`).
/// Every row is as wide as the first, which ends at the first such line. `None` when the lines
/// are not in that shape or do not divide into rows of that width: then a lone `|` marks row
/// ends (the seed's shape) or each line is a row.
fn fixed_width_cells(lines: &[Text]) -> Option<Grid> {
    let lines: Vec<&Text> = lines.iter().filter(|l| !l.text.is_empty()).collect();
    let fill = |l: &Text| l.text.chars().all(|c| c == '|').then_some(l.text.len());
    let one_cell = |l: &Text| {
        l.text
            .strip_suffix('|')
            .is_some_and(|body| !body.trim().is_empty() && !body.contains('|'))
    };
    // The last line may be a figure whose `|` a cut-off page never printed.
    let last = lines.len().saturating_sub(1);
    let odd = |(i, l): (usize, &&Text)| {
        fill(l) == Some(1) || (fill(l).is_none() && !one_cell(l) && i != last)
    };
    if lines.iter().enumerate().any(odd) {
        return None;
    }
    let first_fill = lines.iter().position(|l| fill(l).is_some())?;
    let width = first_fill + fill(lines[first_fill])?;
    if width < 2 {
        return None;
    }
    let mut grid = Vec::new();
    let mut row: Vec<Text> = Vec::with_capacity(width);
    for line in lines {
        match fill(line) {
            Some(empty) => {
                row.extend((0..empty).map(|_| Text::new("", line.at.clone())));
                if row.len() != width {
                    return None;
                }
            }
            None => {
                let body = line.text.strip_suffix('|').unwrap_or(&line.text);
                row.push(Text::new(body.trim(), line.at.clone()));
            }
        }
        if row.len() == width {
            grid.push(std::mem::take(&mut row));
        } else if row.len() > width {
            return None;
        }
    }
    if !row.is_empty() {
        grid.push(row);
    }
    Some(grid)
}

/// A 2014-edition table printed one cell per line without pipes: from the `统计指标` header to
/// the footer, each line is a cell and a line that is neither a unit nor a figure starts a row.
fn bare_table(source: &mut Source) {
    let Some(start) = source
        .blocks
        .iter()
        .position(|b| key(&b.text) == "统计指标")
    else {
        return;
    };
    let end = source.blocks[start..]
        .iter()
        .position(|b| b.text.starts_with("单位负责人"))
        .map_or(source.blocks.len(), |e| start + e);
    let cells: Vec<Text> = source.blocks.drain(start..end).collect();
    source.table_lines.push(cells.clone());
    let mut first = start;
    while first > 0 && is_caption(&key(&source.blocks[first - 1].text)) {
        first -= 1;
    }
    let captions: Vec<Text> = source.blocks.drain(first..start).collect();
    source.captions.extend(captions);
    let mut grid: Grid = Vec::new();
    for cell in cells {
        let continues = !grid.is_empty()
            && (super::table::is_unit(&cell.text)
                || !matches!(
                    super::labels::figure(&cell.text),
                    super::labels::Figure::NotANumber(_)
                ));
        match grid.last_mut() {
            Some(row) if continues => row.push(cell),
            _ => grid.push(vec![cell]),
        }
    }
    source.tables.push(grid);
}

/// Sort the non-table lines of a page into metadata, title, captions, footer, furniture and
/// narrative. `None` in `lines` marks where a table was (captions are the lines just above it).
fn classify(lines: Vec<Option<Text>>, tables: Vec<Grid>) -> Source {
    let mut source = Source {
        tables,
        ..Source::default()
    };
    let lines = values_below(lines);
    let captions = caption_lines(&lines);
    let title = find_title(&lines);
    let title_key = title.as_ref().map(|(_, _, t)| key(t));
    let repeated = split_repeats(&lines, title.as_ref(), title_key.as_deref());
    let mut narrative_started = false;
    for (i, line) in lines.into_iter().enumerate() {
        let Some(line) = line else { continue };
        if line.text.is_empty() {
            continue;
        }
        if let Some(fields) = meta_fields(&line).filter(|_| !narrative_started) {
            if fields
                .iter()
                .all(|(k, _)| FURNITURE_KEYS.contains(&k.as_str()))
            {
                source.dropped.push(line);
            } else {
                source.meta.extend(fields);
            }
            continue;
        }
        // A page-information line with a labelled date somewhere in it, not a sentence
        // (`www.example.gov.cn 发布时间:2026-01-22 来源:甲镇 阅读次数:`).
        if !narrative_started && !line.text.contains('。') {
            let dates = labelled_dates(&line);
            if !dates.is_empty() {
                source.meta.extend(dates);
                source.dropped.push(line);
                continue;
            }
        }
        // A page-information line that starts with its date (`2022年01月18日来源:本站`).
        if !narrative_started && starts_with_date(&line.text) {
            source.meta.push(("日期".to_string(), line));
            continue;
        }
        if let Some(fields) = fields(&line, FOOTER_KEYS) {
            source.meta.extend(fields);
            continue;
        }
        if is_furniture(&line.text) {
            // `【字体：大 中 小】 发布时间:2025-01-20 【打印】`: the page's date is on it.
            source.meta.extend(labelled_dates(&line));
            source.dropped.push(line);
            continue;
        }
        if captions.contains(&i) {
            source.captions.push(line);
            continue;
        }
        match &title {
            Some((first, _, _)) if i < *first => {
                source.meta.extend(labelled_dates(&line));
                source.before_title.push(line);
            }
            Some((first, last, text)) if i <= *last => {
                if i == *first {
                    source.title = Some(Text::new(text.clone(), line.at.clone()));
                }
            }
            // The title printed again under the page's metadata.
            _ if !narrative_started
                && (title_key.as_deref() == Some(key(&line.text).as_str())
                    || repeated.contains(&i)) =>
            {
                source.dropped.push(line);
            }
            _ => {
                // Short lines under the title (the office's name) leave the page information
                // open: a date line may still follow.
                narrative_started |= is_sentence(&line.text);
                source.blocks.push(line);
            }
        }
    }
    if source.title.is_none() {
        source.title = source
            .meta
            .iter()
            .find(|(k, v)| (k == "标题" || k == "名称") && is_report_title(&key(&v.text)))
            .map(|(_, v)| v.clone());
    }
    source
}

/// The title printed again over two lines under the page's metadata (`甲乡人民政府` /
/// `2024年政府信息公开工作年度报告`): the indices of both lines, when only together they are the
/// title.
fn split_repeats(
    lines: &[Option<Text>],
    title: Option<&(usize, usize, String)>,
    title_key: Option<&str>,
) -> Vec<usize> {
    let (Some((_, last, _)), Some(title_key)) = (title, title_key) else {
        return Vec::new();
    };
    let content: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .skip(last + 1)
        .filter_map(|(i, l)| l.as_ref().map(|l| (i, key(&l.text))))
        .filter(|(_, k)| !k.is_empty())
        .take(12)
        .collect();
    content
        .windows(2)
        .find(|w| format!("{}{}", w[0].1, w[1].1) == title_key)
        .map(|w| vec![w[0].0, w[1].0])
        .unwrap_or_default()
}

/// Whether a line is text of the report rather than a short line of the page's head.
fn is_sentence(text: &str) -> bool {
    text.chars().count() > 20 || text.contains(['。', '，', ',', '、', '；', ';'])
}

/// A list layout's labels with their value on the next non-blank line (`• 成文日期:`, blank,
/// `2020-01-17`) joined into one `label: value` line at the value's place; the label's own line
/// becomes blank.
fn values_below(mut lines: Vec<Option<Text>>) -> Vec<Option<Text>> {
    for i in 0..lines.len() {
        let Some(line) = &lines[i] else { continue };
        // `• 成文日期:`, or a date's label alone without its colon (`撰写时间`, `日期`) when a
        // date follows.
        let bare = meta_key(&line.text)
            .filter(|_| !line.text.trim_end().ends_with([':', '：']))
            .filter(|k| DATE_KEYS.contains(k) || *k == "日期");
        let (k, v) = match (fields(line, META_KEYS), bare) {
            (_, Some(k)) => (k.to_string(), String::new()),
            (Some(f), None) => match f.as_slice() {
                [(k, v)] => (k.clone(), v.text.clone()),
                _ => continue,
            },
            (None, None) => continue,
        };
        // A date's label printed with its colon but no value (`日期：` under `文 号：` and
        // `浏览量：`) takes the date on the next line, and only a date.
        let date_label = DATE_KEYS.contains(&k.as_str()) || k == "日期" || k == "时间";
        if !v.is_empty() || !(VALUE_BELOW.contains(&k.as_str()) || bare.is_some() || date_label) {
            continue;
        }
        let needs_date = bare.is_some() || !VALUE_BELOW.contains(&k.as_str());
        let Some(j) =
            (i + 1..lines.len()).find(|&j| lines[j].as_ref().is_none_or(|l| !l.text.is_empty()))
        else {
            continue;
        };
        let Some(value) = &lines[j] else { continue };
        let plain = value.text.chars().count() <= 80
            && !value.text.contains('。')
            && fields(value, META_KEYS).is_none()
            && !is_furniture(&value.text)
            && (!needs_date || super::dates::parse_date(&value.text).is_some());
        if plain {
            let joined = Text::new(format!("{k}:{}", value.text), value.at.clone());
            lines[j] = Some(joined);
            if let Some(l) = &mut lines[i] {
                l.text.clear();
            }
        }
    }
    lines
}

/// Whether a line begins with a date and is short (a page-information line, not a sentence).
fn starts_with_date(text: &str) -> bool {
    // The layout pipes some pages print after it do not make it a long line.
    let k = key(text.trim_end_matches(['|', ' ', '\u{3000}']));
    k.chars().count() <= 40
        && k.starts_with(|c: char| c.is_ascii_digit())
        && super::dates::parse_date(&k.chars().take(12).collect::<String>()).is_some()
        && !k.contains('。')
}

/// Whether a (key-normalised) line names itself a report: 报告, 年报 (工作年报), 年度报告.
pub(super) fn is_report_title(k: &str) -> bool {
    // A sentence that ends naming the report (`…现编制…年度报告。`) is not a title.
    let k = title_text(k).trim_end_matches([')', ']', '|']);
    k.ends_with("报告") || k.ends_with("年报")
}

/// A title line as the title: the layout pipes a page prints after it (`…年度报告 | |||…`) and
/// the file extension a document-sharing site prints as its heading (`…年度报告.docx`) left out.
pub(super) fn title_text(text: &str) -> &str {
    let t = text.trim_end_matches(['|', ' ', '\u{3000}']);
    [".docx", ".doc", ".pdf", ".wps", ".DOCX", ".DOC", ".PDF"]
        .iter()
        .find_map(|ext| t.strip_suffix(ext))
        .unwrap_or(t)
}

/// The title: the first line (within the first 40) that ends with 报告, joined with the one or
/// two lines above it when only together they name the year (a title printed over two lines);
/// (first line, last line, joined text).
fn find_title(lines: &[Option<Text>]) -> Option<(usize, usize, String)> {
    let content: Vec<(usize, &Text)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.as_ref().map(|l| (i, l)))
        .filter(|(_, l)| !l.text.is_empty() && meta_fields(l).is_none())
        .take(40)
        .collect();
    for end in 0..content.len() {
        let last = key(title_text(&content[end].1.text));
        if !is_report_title(&last) || last.contains('>') || last.chars().count() > 80 {
            continue;
        }
        let joined = |from: usize| -> Option<String> {
            let run = &content[from..=end];
            let consecutive = run.windows(2).all(|w| w[1].0 == w[0].0 + 1);
            consecutive.then(|| run.iter().map(|(_, l)| title_text(&l.text)).collect())
        };
        for from in (end.saturating_sub(2)..=end).rev() {
            if let Some(text) = joined(from)
                && chinese_year(&key(&text))
            {
                return Some((content[from].0, content[end].0, text));
            }
        }
    }
    // No title names a year: the first line that calls itself an annual report.
    content.iter().find_map(|(i, line)| {
        let k = key(title_text(&line.text));
        (is_report_title(&k)
            && (k.contains("年度报告") || k.contains("年报"))
            && !k.contains(['>', ','])
            && k.chars().count() <= 80)
            .then(|| (*i, *i, title_text(&line.text).to_string()))
    })
}

fn chinese_year(text: &str) -> bool {
    let digits = super::labels::chinese_digits(text);
    digits.contains("年")
        && digits
            .as_bytes()
            .windows(4)
            .any(|w| w.iter().all(u8::is_ascii_digit))
}

/// Indices of the caption lines printed just above each table: `…统计表`, `(2018年度)`,
/// `填报单位…` (the footer parser takes that one).
fn caption_lines(lines: &[Option<Text>]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.is_some() {
            continue;
        }
        let mut j = i;
        while j > 0 {
            j -= 1;
            let Some(l) = &lines[j] else { break };
            let k = key(&l.text);
            if k.is_empty() || k.starts_with("填报单位") {
                continue;
            }
            if is_caption(&k) {
                out.push(j);
            } else {
                break;
            }
        }
    }
    out
}

fn is_caption(k: &str) -> bool {
    let chars = k.chars().count();
    let year_only = k.starts_with('(') && k.ends_with(')') && k.contains('年') && chars <= 10;
    year_only
        || (chars <= 40 && (k.ends_with("统计表") || k.ends_with("情况表")))
        || (chars <= 40 && k.contains("第二十条第"))
}

/// `key: value` pairs of a line made of known keys (several may share a line:
/// `单位负责人:向俊英 审核人:徐春娥`). `None` when the line does not start with a known key.
/// Keys match however they are printed: spaced (`索 引 号`), full-width (`发布机构：`), in
/// traditional characters (`發布機構`), between pipes (`发布机构: | 甲镇 |`); values keep the
/// page's own characters.
pub(super) fn fields(line: &Text, keys: &[&str]) -> Option<Vec<(String, Text)>> {
    let text = line
        .text
        .trim_start_matches(['-', '*', '•', '·', ' ', '|', '\u{3000}'])
        .trim();
    let orig: Vec<char> = text.chars().collect();
    let folded: Vec<char> = orig
        .iter()
        .map(|c| super::labels::half_width(super::labels::simplify_char(*c)))
        .collect();
    let all: Vec<&str> = META_KEYS.iter().chain(FOOTER_KEYS).copied().collect();
    let (mut key, mut at) = key_at(&folded, 0, keys)?;
    let mut out: Vec<(String, Text)> = Vec::new();
    loop {
        let mut i = skip(&folded, at, &[' ', '|']);
        if folded.get(i) != Some(&':') {
            return (!out.is_empty()).then_some(out);
        }
        i = skip(&folded, i + 1, &[' ', '|']);
        // The value runs to the next known key with its colon (of either list) or the end of
        // the line; HTML pages often lose the spaces between them. An empty value is followed
        // at once by the next key (`文号: | 公开日期: | 2015-07-27`).
        let next = (i..folded.len()).find_map(|j| {
            let (k, end) = key_at(&folded, j, &all)?;
            (folded.get(skip(&folded, end, &[' '])) == Some(&':')).then_some((j, k, end))
        });
        let end = next.as_ref().map_or(folded.len(), |n| n.0);
        let value: String = orig[i..end].iter().collect();
        let value = value.trim_matches([' ', '|', '\u{3000}']).trim();
        let canonical = ALIASES
            .iter()
            .find(|(a, _)| *a == key)
            .map_or(key, |(_, c)| *c);
        out.push((canonical.to_string(), Text::new(value, line.at.clone())));
        match next {
            Some((_, k, e)) => (key, at) = (k, e),
            None => return Some(out),
        }
    }
}

/// A metadata row printed without colons (see [`ROW_KEYS`]): `索 引 号 | 0142/2021-00012 | 分 类
/// | 报告 |`, `成文日期 2024-01-16 发布机构 甲镇`, `关键词 发布机构 政务服务局` (an empty
/// 关键词). The keys are found where a word or cell begins and ends; each value runs to the next
/// key. `None` unless the line starts with a key; a sentence (`。`) is never a row.
pub(super) fn row_fields(line: &Text) -> Option<Vec<(String, Text)>> {
    let text = line.text.trim_start_matches(['|', ' ', '\u{3000}']).trim();
    if text.contains(['。', '；', ';']) || text.chars().count() > 160 {
        return None;
    }
    let orig: Vec<char> = text.chars().collect();
    let folded: Vec<char> = orig
        .iter()
        .map(|c| super::labels::half_width(super::labels::simplify_char(*c)))
        .collect();
    let edge = |c: Option<&char>| c.is_none_or(|c| *c == '|' || c.is_whitespace());
    // A key ends where a space or a pipe does, or where a date, a number or a code begins
    // (`发布日期2024-01-10`, `索引号000014349/2024-03341`: a grid copied without its cell
    // borders); `glued` also takes a first key run into a name (`发文机关甲镇人民政府`).
    let key_here = |i: usize, glued: bool| -> Option<(&'static str, usize)> {
        if i > 0 && !edge(folded.get(i - 1)) {
            return None;
        }
        let (k, end) = key_at(&folded, i, ROW_KEYS)?;
        let next = folded.get(end);
        (edge(next) || next.is_some_and(char::is_ascii_alphanumeric) || glued).then_some((k, end))
    };
    let (first, end, glued) = match key_here(0, false) {
        Some((k, e)) => (k, e, false),
        None => {
            let (k, e) = key_here(0, true)?;
            (k, e, true)
        }
    };
    let mut found = vec![(0, first, end)];
    let mut i = end;
    while i < folded.len() {
        match key_here(i, false) {
            Some((k, e)) => {
                found.push((i, k, e));
                i = e;
            }
            None => i += 1,
        }
    }
    // A first key run into a name is a metadata row only when another key follows on the line.
    if glued && found.len() < 2 {
        return None;
    }
    let out = found
        .iter()
        .enumerate()
        .map(|(n, (_, k, end))| {
            let stop = found.get(n + 1).map_or(orig.len(), |f| f.0);
            let value: String = orig[*end..stop].iter().collect();
            let value = value.trim_matches([' ', '|', '\u{3000}']).trim();
            let canonical = ALIASES.iter().find(|(a, _)| a == k).map_or(*k, |(_, c)| *c);
            (canonical.to_string(), Text::new(value, line.at.clone()))
        })
        .collect();
    Some(out)
}

/// Labels of the dates a page prints (publication and document dates).
const DATE_KEYS: &[&str] = &[
    "公开日期",
    "发布日期",
    "发布时间",
    "公开时间",
    "发表日期",
    "发文日期",
    "发文时间",
    "生成日期",
    "成文日期",
    "印发日期",
    "公文生成日期",
    "撰写时间",
    "信息提供日期",
];

/// The labelled dates of a line that is not metadata as a whole (page furniture, a header):
/// `发布时间:2025-01-20` wherever it stands, its value the date only.
fn labelled_dates(line: &Text) -> Vec<(String, Text)> {
    let orig: Vec<char> = line.text.chars().collect();
    let folded: Vec<char> = orig
        .iter()
        .map(|c| super::labels::half_width(super::labels::simplify_char(*c)))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let Some((k, end)) = key_at(&folded, i, DATE_KEYS) else {
            i += 1;
            continue;
        };
        let colon = skip(&folded, end, &[' ']);
        if folded.get(colon) == Some(&':') {
            let start = skip(&folded, colon + 1, &[' ']);
            let value: String = orig[start..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || "-/.年月日".contains(**c))
                .collect();
            if super::dates::parse_date(&value).is_some() {
                let canonical = ALIASES.iter().find(|(a, _)| *a == k).map_or(k, |(_, c)| *c);
                out.push((canonical.to_string(), Text::new(value, line.at.clone())));
            }
        }
        i = end;
    }
    out
}

/// A metadata key printed alone in a table cell (`索 引 号`, `发布日期：`), canonical.
pub(super) fn meta_key(cell: &str) -> Option<&'static str> {
    let folded: Vec<char> = cell
        .trim()
        .trim_end_matches([':', '：'])
        .chars()
        .map(|c| super::labels::half_width(super::labels::simplify_char(c)))
        .collect();
    let (k, end) = key_at(&folded, 0, META_KEYS)?;
    (skip(&folded, end, &[' ']) == folded.len())
        .then(|| ALIASES.iter().find(|(a, _)| *a == k).map_or(k, |(_, c)| *c))
}

/// The metadata fields of a line, with or without colons.
fn meta_fields(line: &Text) -> Option<Vec<(String, Text)>> {
    fields(line, META_KEYS).or_else(|| row_fields(line))
}

fn skip(chars: &[char], mut i: usize, what: &[char]) -> usize {
    while chars
        .get(i)
        .is_some_and(|c| what.contains(c) || c.is_whitespace())
    {
        i += 1;
    }
    i
}

/// The longest of `keys` printed at `at` (spaces allowed between its characters), with the
/// index just after it.
fn key_at<'k>(chars: &[char], at: usize, keys: &[&'k str]) -> Option<(&'k str, usize)> {
    keys.iter()
        .filter_map(|k| {
            let mut i = at;
            for (n, kc) in k.chars().enumerate() {
                if n > 0 {
                    i = skip(chars, i, &[' ']);
                }
                if chars.get(i) != Some(&kc) {
                    return None;
                }
                i += 1;
            }
            Some((*k, i))
        })
        .max_by_key(|(k, _)| k.chars().count())
}

/// Title, captions and footer fields printed in a table's own rows (an Excel sheet's title
/// row, a page table's 填报单位 row).
pub(super) fn scan_grid_texts(grid: &Grid, source: &mut Source) {
    for row in grid {
        let mut texts: Vec<&Text> = row.iter().filter(|c| !c.text.is_empty()).collect();
        texts.dedup_by(|a, b| a.text == b.text);
        for cell in &texts {
            if let Some(f) = fields(cell, FOOTER_KEYS).or_else(|| fields(cell, META_KEYS)) {
                source.meta.extend(f);
            }
        }
        let [only] = texts.as_slice() else { continue };
        let k = super::labels::key(&only.text);
        if source.title.is_none()
            && (k.ends_with("报告") || k.ends_with("统计表"))
            && k.contains('年')
        {
            source.title = Some((*only).clone());
        } else if k.starts_with('(') && k.ends_with(')') && k.contains('年') {
            source.captions.push((*only).clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_shapes_make_the_same_rows() {
        let one_per_line = "统计指标 |\n单位 |\n统计数 |\n|||\n一、主动公开情况 |\n|||||\n(一)主动公开政府信息数 |\n条 |\n147 |\n|||\n";
        let per_row = "统计指标 | 单位 | 统计数 |\n一、主动公开情况 | | |\n(一)主动公开政府信息数 | 条 | 147 |\n";
        let a = parse_text(one_per_line);
        let b = parse_text(per_row);
        let texts = |s: &Source| -> Vec<Vec<String>> {
            s.tables[0]
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| c.text.clone())
                        .filter(|t| !t.is_empty())
                        .collect()
                })
                .collect()
        };
        assert_eq!(texts(&a), texts(&b));
        assert_eq!(texts(&a)[2], ["(一)主动公开政府信息数", "条", "147"]);
    }

    #[test]
    fn cells_without_row_marks_are_rows_as_wide_as_the_first() {
        let text = "甲表 |\n|||\n内容 |\n制发 |\n废止 |\n有效 |\n规章 |\n0 |\n1 |\n2 |\n乙表 |\n|||\n内容 |\n决定 |\n||\n许可 |\n7";
        let lines: Vec<Text> = text
            .lines()
            .enumerate()
            .map(|(n, l)| Text::new(l, Place::Line(n + 1)))
            .collect();
        let grid = fixed_width_cells(&lines).expect("the shape is recognised");
        let texts: Vec<Vec<&str>> = grid
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(texts[2], ["规章", "0", "1", "2"]);
        assert_eq!(texts[4], ["内容", "决定", "", ""]);
        assert_eq!(
            texts[5],
            ["许可", "7"],
            "the cut-off figure ends the last row"
        );
        // A fill that does not end a row, or a lone `|` (the seed's row mark): another shape.
        let lines =
            |t: &str| -> Vec<Text> { t.lines().map(|l| Text::new(l, Place::Line(1))).collect() };
        assert!(fixed_width_cells(&lines("甲 |\n||\n乙 |\n丙 |\n||\n")).is_none());
        assert!(fixed_width_cells(&lines("|\n甲 |\n乙 |\n|\n丙 |\n丁 |\n")).is_none());
    }

    #[test]
    fn run_together_digits_split_only_where_no_other_reading_exists() {
        let cells = |digits: &str| -> Vec<String> {
            run_together_cells("规章", digits, &Place::Line(1))
                .into_iter()
                .map(|c| c.text)
                .collect()
        };
        assert_eq!(cells("000"), ["规章", "0", "0", "0"]);
        assert_eq!(cells("005"), ["规章", "0", "0", "5"]);
        assert_eq!(cells("7"), ["规章", "7"]);
        // 1, 2, 0 — or 12 and 0 with a blank cell, or 120: one cell, refused by the reader.
        assert_eq!(cells("120"), ["规章", "120"]);
        assert_eq!(cells("050"), ["规章", "050"]);
        // A sign or a decimal point is not a run of digits: the line stays as printed.
        assert_eq!(run_together_row("行政许可5-23"), None);
        assert_eq!(run_together_row("2019年主动公开信息367"), None);
        assert_eq!(run_together_row("行政处罚000"), Some(("行政处罚", "000")));
    }

    #[test]
    fn a_table_whose_cell_borders_were_lost_is_read_as_rows() {
        let text = "标题\n\n信息内容本年新制作数量本年新公开数量对外公开总数量\n规章000\n规范性文件004\n第二十条(五)项\n信息内容上一年项目数量本年增/减处理决定数量\n行政许可000\n";
        let source = parse_text(text);
        let rows: Vec<Vec<&str>> = source.tables[0]
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            rows[0],
            [
                "信息内容",
                "本年新制作数量",
                "本年新公开数量",
                "对外公开总数量"
            ]
        );
        assert_eq!(rows[2], ["规范性文件", "0", "0", "4"]);
        assert_eq!(rows.len(), 6);
        assert_eq!(source.run_together.len(), 3);
        assert!(source.blocks.iter().all(|b| !b.text.contains("规章")));
        // One such line alone is a sentence's business, not a table.
        let one = parse_text("标题\n\n规章000\n其余是正文。\n");
        assert!(one.tables.is_empty());
        assert!(one.blocks.iter().any(|b| b.text == "规章000"));
    }

    #[test]
    fn footer_fields_share_a_line() {
        let line = Text::new(
            "单位负责人:向俊英 审核人:徐春娥 填报人:刘志鹏",
            Place::Line(3),
        );
        let f = fields(&line, FOOTER_KEYS).unwrap();
        let pairs: Vec<(&str, &str)> = f
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("单位负责人", "向俊英"),
                ("审核人", "徐春娥"),
                ("填报人", "刘志鹏")
            ]
        );
    }

    #[test]
    fn header_lines_above_the_title_are_set_aside() {
        let s = parse_text(
            "首页\n政务公开\n甲镇2019年政府信息公开工作年度报告\n发布日期:2020-01-20\n一、总体情况\n",
        );
        assert_eq!(s.before_title.len(), 2);
        assert_eq!(s.title.unwrap().text, "甲镇2019年政府信息公开工作年度报告");
        assert_eq!(s.meta[0].0, "发布日期");
        assert_eq!(s.blocks[0].text, "一、总体情况");
    }

    #[test]
    fn title_split_over_two_lines_is_joined() {
        let s =
            parse_text("- 索引号:1/2019-1\n华容县甲镇2018年度政府\n信息公开工作年度报告\n正文。\n");
        assert_eq!(
            s.title.unwrap().text,
            "华容县甲镇2018年度政府信息公开工作年度报告"
        );
        assert_eq!(s.meta[0].0, "索引号");
        assert_eq!(s.blocks[0].text, "正文。");
    }

    #[test]
    fn metadata_rows_without_colons_are_metadata() {
        let s = parse_text(
            "索 引 号 | 0142/2021-00012 | 分 类 | 报告 |\n发布机构 | 甲镇 | 发文日期 | 2022-01-04 |\n关键词 发布机构 政务服务局\n成文日期 2024-01-16 发布机构 甲镇\n组配分类 政府信息公开年报\n2023年甲镇政府信息公开工作年度报告\n一、总体情况\n",
        );
        let meta: Vec<(&str, &str)> = s
            .meta
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        assert_eq!(
            meta,
            [
                ("索引号", "0142/2021-00012"),
                ("分类", "报告"),
                ("发布机构", "甲镇"),
                ("发文日期", "2022-01-04"),
                ("关键词", ""),
                ("发布机构", "政务服务局"),
                ("成文日期", "2024-01-16"),
                ("发布机构", "甲镇"),
                ("组配分类", "政府信息公开年报"),
            ]
        );
        assert!(s.tables.is_empty());
        assert_eq!(s.title.unwrap().text, "2023年甲镇政府信息公开工作年度报告");
        assert_eq!(s.blocks[0].text, "一、总体情况");
        // A sentence or a word that only begins with a key is not a row.
        let line = |t: &str| Text::new(t, Place::Line(1));
        assert!(row_fields(&line("分类管理各项信息,做到及时公开。")).is_none());
        assert!(row_fields(&line("标题党现象")).is_none());
    }

    #[test]
    fn a_title_keeps_neither_layout_pipes_nor_a_file_extension() {
        let pipes = "|".repeat(300);
        let s = parse_text(&format!(
            "甲镇2023年政府信息公开工作年度报告 | {pipes}\n发布时间:2024-01-05 11:19\n正文。\n"
        ));
        assert_eq!(s.title.unwrap().text, "甲镇2023年政府信息公开工作年度报告");
        assert_eq!(s.meta[0].0, "发布时间");
        let s = parse_text("甲苏木2021年政府信息公开工作年度报告.docx\n正文。\n");
        assert_eq!(
            s.title.unwrap().text,
            "甲苏木2021年政府信息公开工作年度报告"
        );
        assert_eq!(s.blocks.len(), 1);
    }

    #[test]
    fn a_title_repeated_over_two_lines_is_dropped() {
        let s = parse_text(
            "甲乡人民政府2024年政府信息公开工作年度报告\n甲乡人民政府2024年政府信息公开工作\n年度报告\n一、总体情况\n",
        );
        assert_eq!(s.dropped.len(), 2);
        assert_eq!(s.blocks[0].text, "一、总体情况");
    }

    #[test]
    fn a_figure_left_without_its_pipe_at_the_cut_is_a_table_cell() {
        let s = parse_text(
            "甲乡2020年政府信息公开工作年度报告\n正文。\n|\n行政处罚 |\n1 |\n2 |\n|\n行政事业性收费 |\n3 |\n4 \n",
        );
        assert_eq!(s.tables.len(), 1);
        let last: Vec<&str> = s.tables[0]
            .last()
            .unwrap()
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(last, ["行政事业性收费", "3", "4"]);
        assert_eq!(s.blocks.len(), 1);
    }

    #[test]
    fn a_date_line_followed_by_layout_pipes_is_page_information() {
        let pipes = "|".repeat(300);
        let s = parse_text(&format!(
            "甲乡2021年政府信息公开工作年度报告\n2022-01-20 作者:佚名 点击数: | {pipes}\n正文。\n"
        ));
        assert_eq!(s.meta[0].0, "日期");
        assert_eq!(s.blocks.len(), 1);
    }

    #[test]
    fn an_empty_value_is_followed_at_once_by_the_next_key() {
        let line = Text::new("发文字号: | 发文时间:2022-01-25 |", Place::Line(1));
        let f = fields(&line, META_KEYS).unwrap();
        let got: Vec<(&str, &str)> = f
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        assert_eq!(got, [("发文字号", ""), ("发文时间", "2022-01-25")]);
    }

    #[test]
    fn a_section_heading_between_tables_stays_in_the_narrative() {
        let s = parse_text(
            "甲乡2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n规章\n0\n0\n0\n行政规范性文件\n1\n0\n2\n三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\n",
        );
        assert_eq!(s.tables.len(), 1);
        let blocks: Vec<&str> = s.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(
            blocks.contains(&"三、收到和处理政府信息公开申请情况"),
            "{blocks:?}"
        );
        assert!(
            s.table_lines[0].iter().all(|l| !l.text.starts_with("三、")),
            "{:?}",
            s.table_lines[0]
        );
    }

    #[test]
    fn a_blank_form_is_a_table_not_one_word_paragraphs() {
        let labels = "第二十条第（一）项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n规章\n行政规范性文件\n第二十条第（五）项\n信息内容\n本年处理决定数量\n行政许可\n第二十条第（六）项\n信息内容\n本年处理决定数量\n行政处罚\n行政强制\n";
        let s = parse_text(&format!(
            "甲乡2020年政府信息公开工作年度报告\n一、总体情况\n本年度我乡主动公开信息。\n{labels}"
        ));
        assert_eq!(s.tables.len(), 1);
        assert_eq!(s.blocks.len(), 2, "{:?}", s.blocks);
    }

    #[test]
    fn a_date_under_an_empty_label_and_an_information_date() {
        // `日期：` with no value, under other empty labels: the date on the next line.
        let s = parse_text(
            "文 号：\n浏览量：\n日期：\n2024-01-12\n甲镇2023年政府信息公开工作年度报告\n正文。\n",
        );
        let meta: Vec<(&str, &str)> = s
            .meta
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        assert!(meta.contains(&("日期", "2024-01-12")), "{meta:?}");
        // …but not a line that is not a date.
        let s = parse_text("日期：\n甲镇2023年政府信息公开工作年度报告\n正文。\n");
        assert!(s.title.is_some(), "{s:?}");
        // `信息提供日期` is a date label, wherever it stands.
        let s = parse_text(
            "甲镇2023年政府信息公开工作年度报告\n信息提供日期：2024-01-15 浏览次数：\n正文。\n",
        );
        assert!(
            s.meta
                .iter()
                .any(|(k, v)| k == "信息提供日期" && v.text.starts_with("2024-01-15")),
            "{:?}",
            s.meta
        );
    }

    #[test]
    fn a_grid_copied_without_borders_glues_labels_to_values() {
        let s = parse_text(
            "索引号000012345/2024-00678\n发文字号 发文时间2024-01-12\n发文机关甲镇人民政府 主题词\n标题2023年政府信息公开工作年度报告\n主题分类其它 发布日期2024-01-12\n一、总体情况\n分类推进各项工作\n",
        );
        let meta: Vec<(&str, &str)> = s
            .meta
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        for pair in [
            ("索引号", "000012345/2024-00678"),
            ("发文时间", "2024-01-12"),
            ("发文机关", "甲镇人民政府"),
            ("标题", "2023年政府信息公开工作年度报告"),
            ("发布日期", "2024-01-12"),
        ] {
            assert!(meta.contains(&pair), "{pair:?} in {meta:?}");
        }
        // A narrative line that starts with a key's characters is narrative.
        assert!(
            s.blocks.iter().any(|b| b.text == "分类推进各项工作"),
            "{:?}",
            s.blocks
        );
    }

    #[test]
    fn labelled_dates_on_any_line_and_fields_that_end_at_the_next_label() {
        let s = parse_text(
            "索引号:11430626-00825395-0/2019-00005 分  类: 综合政务\n公文生成日期:2026-01-16\n甲镇2025年政府信息公开工作年度报告\n【字体：大 中 小】 发布时间:2026-01-20 【打印本页】\n正文。\n",
        );
        let meta: Vec<(&str, &str)> = s
            .meta
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        assert!(
            meta.contains(&("索引号", "11430626-00825395-0/2019-00005")),
            "{meta:?}"
        );
        assert!(meta.contains(&("分类", "综合政务")), "{meta:?}");
        assert!(meta.contains(&("生成日期", "2026-01-16")), "{meta:?}");
        assert!(meta.contains(&("发布时间", "2026-01-20")), "{meta:?}");
        assert_eq!(s.dropped.len(), 1);
    }
}
