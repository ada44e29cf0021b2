//! `nianbao new <year> <slug>`: a filled-in skeleton of a new report, so that a clerk starts
//! from every key and every indicator id of the right format instead of a blank page.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::config::Config;
use crate::content::{self, CONTENT_DIR};
use crate::diagnostics::Diagnostics;
use crate::schema::{self, Format};
use crate::site::Township;

/// Why a scaffold was not written.
#[derive(Debug, Error)]
pub enum ScaffoldError {
    /// The site's settings or registry have errors.
    #[error("站点设置或乡镇名录有错误")]
    Content(Diagnostics),
    /// The township is not registered.
    #[error("乡镇代号「{slug}」未在 content/townships.yaml 中登记；已登记的代号：{known}")]
    Unregistered {
        /// The slug asked for.
        slug: String,
        /// The registered slugs.
        known: String,
    },
    /// The format id is unknown.
    #[error("未知的表格格式「{0}」；可用的格式：gov-2014、gov-2019、gov-2021")]
    UnknownFormat(String),
    /// `init` was pointed at a directory with files in it.
    #[error("{0} 不是空目录；nianbao init 只在空目录或新目录中创建网站，以免覆盖已有文件")]
    NotEmpty(PathBuf),
    /// The report already exists.
    #[error("{0} 已经存在，为避免覆盖已有内容，没有写入任何文件")]
    Exists(PathBuf),
    /// The workbook could not be laid out (a bug: the formats are embedded).
    #[error("生成 Excel 模板失败：{0}")]
    Workbook(String),
    /// Writing failed.
    #[error("写入 {path} 失败：{source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// The table format a report of `year` uses by default: the 2014 edition up to 2018, the 2019
/// edition for 2019–2020, the 2021 edition from 2021.
pub fn default_format(year: u16) -> &'static str {
    match year {
        ..=2018 => "gov-2014",
        2019 | 2020 => "gov-2019",
        _ => "gov-2021",
    }
}

/// Create `content/<year>/<slug>/report.md` and `stats.yaml`; returns the folder.
pub fn new_report(
    root: &Path,
    year: u16,
    slug: &str,
    format: Option<&str>,
) -> Result<PathBuf, ScaffoldError> {
    let config = Config::load(root).map_err(|d| {
        let mut ds = Diagnostics::new();
        ds.push(d);
        ScaffoldError::Content(ds)
    })?;
    let registry = root.join(content::townships::TOWNSHIPS_FILE);
    let text = content::read_text(&registry).map_err(|e| {
        let mut ds = Diagnostics::new();
        ds.push(e.diagnostic(content::townships::TOWNSHIPS_FILE));
        ScaffoldError::Content(ds)
    })?;
    let mut diagnostics = Diagnostics::new();
    let townships = content::townships::parse(&text, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(ScaffoldError::Content(diagnostics));
    }
    let Some(township) = townships.iter().find(|t| t.slug == slug) else {
        let known = townships
            .iter()
            .map(|t| format!("{}（{}）", t.slug, t.name))
            .collect::<Vec<_>>()
            .join("、");
        return Err(ScaffoldError::Unregistered {
            slug: slug.to_string(),
            known,
        });
    };
    let format_id = format.unwrap_or(default_format(year));
    let format = schema::format(format_id)
        .ok_or_else(|| ScaffoldError::UnknownFormat(format_id.to_string()))?;
    let dir = root.join(CONTENT_DIR).join(year.to_string()).join(slug);
    for name in ["report.md", "stats.yaml"] {
        if dir.join(name).exists() {
            return Err(ScaffoldError::Exists(dir.join(name)));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|source| ScaffoldError::Io {
        path: dir.clone(),
        source,
    })?;
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| ScaffoldError::Io { path, source })
    };
    write("report.md", report_md(&config, township, year, format))?;
    write("stats.yaml", stats_yaml(format))?;
    Ok(dir)
}

/// Write the fill-in Excel workbook of a format to `output`; never overwrites an existing file.
pub fn write_template(format_id: &str, output: &Path) -> Result<(), ScaffoldError> {
    let format =
        schema::format(format_id).ok_or_else(|| ScaffoldError::UnknownFormat(format_id.into()))?;
    let bytes = crate::export::xlsx::form::input_workbook(format)
        .map_err(|e| ScaffoldError::Workbook(e.to_string()))?;
    let io = |source| ScaffoldError::Io {
        path: output.to_path_buf(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(output)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(output.to_path_buf()),
            _ => io(e),
        })?;
    // A failed write must not leave half a workbook that looks like a template.
    std::io::Write::write_all(&mut file, &bytes).map_err(|e| {
        let _ = std::fs::remove_file(output);
        io(e)
    })
}

/// `nianbao init [DIR]`: a working site with one example township and one example report per
/// table format, which builds and serves at once. Refuses a directory that is not empty.
pub fn init_site(dir: &Path) -> Result<(), ScaffoldError> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
    }
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ScaffoldError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, text).map_err(|source| ScaffoldError::Io { path, source })
    };
    write("site.toml", INIT_SITE_TOML)?;
    write("content/townships.yaml", INIT_TOWNSHIPS)?;
    write(
        "content/_index.md",
        "本站发布本县各乡镇人民政府的政府信息公开工作年度报告。\n",
    )?;
    write("说明.md", INIT_README)?;
    for (year, format) in [(2018, "gov-2014"), (2020, "gov-2019"), (2024, "gov-2021")] {
        new_report(dir, year, crate::content::SAMPLE_SLUG, Some(format))?;
    }
    Ok(())
}

const INIT_SITE_TOML: &str = "# 站点设置\ntitle = \"某某县乡镇政府信息公开工作年度报告\"   # 网站标题\nbase_url = \"https://www.example.gov.cn/nianbao/\"   # 网站发布地址（改为本县网站上的实际地址）\nlanguage = \"zh-CN\"\n\n[portal]\nregion = \"某某县\"   # 县（区）名称，用于标题\n";

const INIT_TOWNSHIPS: &str = "\
# 乡镇名录：每个乡镇一项。slug 是各年度目录下该乡镇文件夹的名称（小写英文字母、数字和连字符）。
# since 是这个乡镇第一个需要发布年报的年度：督查页和乡镇页从名录中最早的 since 算起，
# 之后每个已过公开期限、却没有报告的年度都显示为“未发布”。只发布今后的报告，就写今后的第一个年度。
- slug: shili
  name: 示例镇
  kind: 镇
  order: 10
  since: 2018   # 第一个需要发布年报的年度
";

const INIT_README: &str = "# 说明\n\n这是用 nianbao 新建的年度报告网站。\n\n- `site.toml`：网站标题、发布地址等设置。\n- `content/townships.yaml`：乡镇名录，先在这里登记乡镇，并为每个乡镇写 since（第一个需要发布年报的年度；督查页从这一年度起把没有报告的年度显示为“未发布”）。\n- `content/<年度>/<乡镇代号>/report.md`：报告的元数据和正文。\n- `content/<年度>/<乡镇代号>/stats.yaml`：统计表，每个指标一行，原表空白写 ~，原表为 0 写 0。\n- 报告目录中的其他文件（如统计表原件）会作为附件发布。\n\n常用命令：\n\n- `nianbao new 2025 shili`：新建 2025 年度示例镇的报告骨架。\n- `nianbao serve`：本地预览，修改后自动刷新。\n- `nianbao check`：检查全部内容。\n- `nianbao build`：生成网站到 public/ 目录，把该目录复制到本县网站即可发布。\n\n示例镇的三份报告分别使用 2014、2019、2021 年版统计表格式，可直接删除或改为真实内容。\n";

/// The sections of a 2019- or 2021-edition report (国办公开办函〔2019〕60号 and 〔2021〕30号).
pub const REPORT_SECTIONS: &[&str] = &[
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// The sections of a 2014-edition report.
const REPORT_SECTIONS_2014: &[&str] = &[
    "一、概述",
    "二、主动公开政府信息情况",
    "三、依申请公开政府信息情况",
    "四、存在的主要问题及改进措施",
    "五、其他需要报告的事项",
];

/// The sections of the narrative the format's reports have.
fn sections(format: &Format) -> &'static [&'static str] {
    if format.id == "gov-2014" {
        REPORT_SECTIONS_2014
    } else {
        REPORT_SECTIONS
    }
}

/// The comments of the report.md skeleton, the same from `new` and `import`.
pub(crate) const TITLE_NOTE: &str = "标题";
/// See [`TITLE_NOTE`].
pub(crate) const PUBLISHER_NOTE: &str = "发布机构";
/// See [`TITLE_NOTE`].
pub(crate) const SCOPE_NOTE: &str = "公开范围";
/// See [`TITLE_NOTE`].
pub(crate) const GENERATED_NOTE: &str = "生成日期（可选；原件写了就照写 YYYY-MM-DD）";
/// See [`TITLE_NOTE`].
pub(crate) const CHANNEL_NOTE: &str = "公开方式";
/// The 公开范围 a new report is given.
pub(crate) const DEFAULT_SCOPE: &str = "全部公开";
/// The 公开方式 a new report is given.
pub(crate) const DEFAULT_CHANNEL: &str = "政府网站";

/// The deadline of `year`'s reports as the skeleton's comment names it.
pub(crate) fn deadline_text(config: &Config, year: u16) -> String {
    config
        .deadlines
        .due(year)
        .map_or_else(|| "次年规定日期".to_string(), |d| d.date.to_string())
}

/// The title a new report of `township` for `year` is given.
pub(crate) fn default_title(config: &Config, township: &Township, year: u16) -> String {
    format!(
        "{}{}{year}年度政府信息公开工作年度报告",
        config.portal.region, township.name
    )
}

/// The comment of `index_no`: the number comes from the county website's information-disclosure
/// system when the report is put up there, not from nianbao.
pub(crate) fn index_no_note(year: u16) -> String {
    format!(
        "索引号（报告在县政府网站信息公开栏目发布时由网站系统编号，照网站上的填写，如 00638229X4/{}-1513549；还没有就保留 ~）",
        year + 1
    )
}

/// The comment of `published`: `~` is how an unknown date is written. The words 请改为实际公开日期
/// mark the line unfinished until the clerk removes them.
pub(crate) fn published_note(deadline: &str) -> String {
    format!(
        "公开日期（公开后写实际日期 YYYY-MM-DD；请改为实际公开日期；原件确实没有写日期的保留 ~ 并删去这句说明；规定期限为 {deadline}）"
    )
}

/// The report.md skeleton: every front-matter key with a Chinese comment, the narrative's
/// section headings of the format (also used by `nianbao import` for a table without narrative).
pub(crate) fn report_md(
    config: &Config,
    township: &Township,
    year: u16,
    format: &Format,
) -> String {
    let deadline = deadline_text(config, year);
    let mut text = String::from("---\n");
    let _ = writeln!(
        text,
        "title: {}   # {TITLE_NOTE}",
        default_title(config, township, year)
    );
    let _ = writeln!(
        text,
        "index_no: ~                      # {}",
        index_no_note(year)
    );
    let _ = writeln!(
        text,
        "publisher: {}                 # {PUBLISHER_NOTE}",
        township.name
    );
    let _ = writeln!(
        text,
        "scope: {DEFAULT_SCOPE}                  # {SCOPE_NOTE}"
    );
    let _ = writeln!(text, "generated: ~                     # {GENERATED_NOTE}");
    let _ = writeln!(
        text,
        "published: ~                     # {}",
        published_note(&deadline)
    );
    let _ = writeln!(
        text,
        "channel: {DEFAULT_CHANNEL}                # {CHANNEL_NOTE}"
    );
    if format.id == "gov-2014" {
        text.push_str("form:                            # 统计表表尾（没有可删去整段）\n");
        let _ = writeln!(
            text,
            "  fill_unit: {}人民政府       # 填报单位(盖章)",
            township.name
        );
        text.push_str("  unit_head: ~                   # 单位负责人\n");
        text.push_str("  reviewer: ~                    # 审核人\n");
        text.push_str("  filler: ~                      # 填报人\n");
        text.push_str("  phone: ~                       # 联系电话（写在英文双引号中，如 \"0730-4500137\"）\n");
        let _ = writeln!(
            text,
            "  filled: ~                      # 填报日期（YYYY-MM-DD，应在 {year}-12-31 之后）"
        );
    }
    text.push_str(
        "# attachments:                   # 附件说明：报告目录中的其他文件都会作为附件发布\n",
    );
    text.push_str("#   - file: 统计表.xls            #   文件名（与目录中的文件完全一致）\n");
    text.push_str("#     title: 政府信息公开情况统计表 #   显示的标题\n");
    text.push_str("---\n");
    for section in sections(format) {
        let _ = write!(text, "## {section}\n\n（在此填写正文。）\n\n");
    }
    text
}

/// The blank stats.yaml of `nianbao new`: every id of `format` as `~`.
pub(crate) fn stats_yaml(format: &Format) -> String {
    let blank = vec![None; format.cells.len()];
    stats_yaml_with(format, "", &blank, &blank)
}

/// A stats.yaml in the scaffold's layout (every id in official order, its printed label and
/// unit as a comment) with `values` filled in (`None` is `~`) and a note after a cell's comment;
/// `header` is extra comment lines put on top. `nianbao import` writes its tables with it.
pub(crate) fn stats_yaml_with(
    format: &Format,
    header: &str,
    values: &[Option<String>],
    notes: &[Option<String>],
) -> String {
    let mut text = format!(
        "{header}# {}（{}）\n# 每行一个指标：原表空白（未填报）保留 ~，原表为 0 写 0；只写数字，不要加引号或千位分隔符。\nformat: {}\nvalues:\n",
        format.name, format.edition, format.id
    );
    let mut table = usize::MAX;
    for (i, cell) in format.cells.iter().enumerate() {
        if cell.table != table {
            table = cell.table;
            let _ = writeln!(text, "  # —— {} ——", format.tables[table].title);
        }
        let unit = if cell.unit.is_empty() || cell.label_names_unit() {
            String::new()
        } else {
            format!("（{}）", cell.unit)
        };
        let note = if cell.heading {
            "；标题行，通常不填"
        } else {
            ""
        };
        let value = values.get(i).cloned().flatten();
        let extra = notes
            .get(i)
            .cloned()
            .flatten()
            .map(|n| format!("；{n}"))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "  {}: {}   # {}{unit}{note}{extra}",
            cell.id,
            value.as_deref().unwrap_or("~"),
            cell.label
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_year() {
        assert_eq!(default_format(2016), "gov-2014");
        assert_eq!(default_format(2018), "gov-2014");
        assert_eq!(default_format(2019), "gov-2019");
        assert_eq!(default_format(2020), "gov-2019");
        assert_eq!(default_format(2021), "gov-2021");
        assert_eq!(default_format(2025), "gov-2021");
    }

    #[test]
    fn stats_scaffold_lists_every_id_once_in_order() {
        for format in schema::formats() {
            let text = stats_yaml(format);
            let ids: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("  ")?.split_once(": ~").map(|(id, _)| id))
                .filter(|id| !id.starts_with('#'))
                .collect();
            let expected: Vec<&str> = format.cells.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(ids, expected, "{}", format.id);
        }
    }
}
