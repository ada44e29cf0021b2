//! Synthetic content for benchmarks and the demo site: deterministic by seed, valid in all three
//! table formats by year, ~8 KB narratives from a small phrase list, full tables with some blanks
//! and zeros, an attachment in some reports.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --townships 2000 --years 10 --out /dev/shm/corpus
//! cargo run --release --example gen_corpus -- --demo --out examples/demo
//! ```

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use clap::Parser;
use nianbao::schema::{self, Comparison, Format, Rule};
use nianbao::validate::evaluate;
use rust_decimal::Decimal;

/// Generate a synthetic nianbao site.
#[derive(Parser)]
struct Args {
    /// Number of townships.
    #[arg(long, default_value_t = 20)]
    townships: usize,
    /// Number of report years.
    #[arg(long, default_value_t = 10)]
    years: u16,
    /// First report year (2014–2018 use the 2014 table, 2019–2020 the 2019 table, later the 2021 table).
    #[arg(long, default_value_t = 2016)]
    first_year: u16,
    /// Random seed.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Output site directory (must be empty or absent unless --force).
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing output directory's content.
    #[arg(long)]
    force: bool,
    /// The committed demo site: 4 townships × 8 years with curated blanks, zeros and rule breaks.
    #[arg(long)]
    demo: bool,
}

/// SplitMix64: small, fast and reproducible across platforms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const PHRASES: &[&str] = &[
    "我镇坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》",
    "进一步健全政务公开工作机制，明确分管领导和工作人员，确保各项工作落到实处",
    "围绕群众关心关注的热点问题，及时公开财政预决算、惠民惠农资金发放等信息",
    "通过政府网站、政务公开栏、微信公众号等多种渠道发布政府信息",
    "加强政策解读，对涉及群众切身利益的政策文件同步开展解读",
    "认真做好依申请公开工作，规范受理、办理、答复等环节，按时办结率保持较高水平",
    "严格落实信息发布保密审查制度，做到先审查、后公开，一事一审、全面审查",
    "组织开展政务公开业务培训，提升工作人员的业务能力和服务水平",
    "及时更新村务公开栏，接受群众监督，推动基层政务公开向村（社区）延伸",
    "积极回应社会关切，对群众反映的问题做到件件有回音、事事有着落",
    "存在公开内容不够全面、更新不够及时、解读形式较为单一等问题",
    "下一步，我们将进一步提高认识，强化责任，不断提升政务公开工作的质量和实效",
    "统筹推进决策、执行、管理、服务、结果公开，让权力在阳光下运行",
    "完善政府信息公开指南和目录，方便群众查阅和获取政府信息",
    "做好重大建设项目、公共资源配置、社会公益事业建设等重点领域信息公开",
    "推进政务服务事项公开，公开办事指南、办理流程和咨询电话",
    "按照上级部署，认真开展政府网站和政务新媒体自查整改工作",
    "加强对公开工作的监督考核，将政务公开纳入年度绩效考核内容",
];

use nianbao::scaffold::REPORT_SECTIONS as SECTIONS;

const SYLLABLES: &[&str] = &[
    "青", "白", "东", "西", "南", "北", "柳", "石", "金", "银", "桃", "花", "山", "河", "湖", "港",
    "林", "田", "新", "华", "安", "平", "长", "兴", "丰", "和", "泉", "岭", "塘", "洲",
];

/// The demo's township that did not exist in the early years: slug, name, kind, first year.
const NEW_TOWN: (&str, &str, &str, u16) = ("xinhe", "新河街道", "街道", 2022);

struct Town {
    slug: String,
    name: String,
    kind: &'static str,
}

fn towns(args: &Args, rng: &mut Rng) -> Vec<Town> {
    if args.demo {
        return [
            ("qingshan", "青山镇", "镇"),
            ("baisha", "白沙乡", "乡"),
            ("donghu", "东湖街道", "街道"),
            ("liulin", "柳林镇", "镇"),
        ]
        .iter()
        .map(|(s, n, k)| Town {
            slug: s.to_string(),
            name: n.to_string(),
            kind: k,
        })
        .collect();
    }
    let mut seen = std::collections::HashSet::new();
    (0..args.townships)
        .map(|i| {
            let kind = if rng.chance(70) { "镇" } else { "乡" };
            let mut name;
            loop {
                name = format!("{}{}{}", rng.pick(SYLLABLES), rng.pick(SYLLABLES), kind);
                if seen.insert(name.clone()) {
                    break;
                }
                name = format!(
                    "{}{}{}{}",
                    rng.pick(SYLLABLES),
                    rng.pick(SYLLABLES),
                    rng.pick(SYLLABLES),
                    kind
                );
                if seen.insert(name.clone()) {
                    break;
                }
            }
            Town {
                slug: format!("t{:05}", i + 1),
                name,
                kind,
            }
        })
        .collect()
}

fn random_value(
    rng: &mut Rng,
    format: &Format,
    cell: usize,
    blank_percent: u64,
) -> Option<Decimal> {
    let c = &format.cells[cell];
    if c.heading || rng.chance(blank_percent) {
        return None;
    }
    if rng.chance(20) {
        return Some(Decimal::ZERO);
    }
    Some(if c.decimal {
        Decimal::new(rng.below(2000) as i64 + 1, 2)
    } else if c.signed {
        Decimal::from(rng.below(11) as i64 - 5)
    } else if c.id.starts_with("apps.") {
        Decimal::from(rng.below(4) as i64)
    } else {
        Decimal::from(rng.below(40) as i64 + 1)
    })
}

fn sum(values: &[Option<Decimal>], cells: &[usize]) -> Decimal {
    cells.iter().filter_map(|&i| values[i]).sum()
}

/// Adjust one cell so that `rule` holds (most rules relate a total to its parts).
fn repair(rule: &Rule, values: &mut [Option<Decimal>]) {
    let left = sum(values, &rule.left);
    let right = sum(values, &rule.right);
    if rule.right.is_empty() {
        for &i in &rule.left {
            values[i] = values[i].map(|_| Decimal::ZERO);
        }
        return;
    }
    match rule.op {
        Comparison::Equal | Comparison::AtMost if rule.left.len() == 1 => {
            values[rule.left[0]] = Some(right)
        }
        Comparison::AtLeast if rule.right.len() == 1 => values[rule.right[0]] = Some(left),
        _ => {
            let last = *rule.right.last().expect("non-empty");
            let needed = left - (right - values[last].unwrap_or_default());
            if needed >= Decimal::ZERO {
                values[last] = Some(needed);
            } else {
                values[rule.left[0]] = Some(values[rule.left[0]].unwrap_or_default() - needed);
                values[last] = Some(Decimal::ZERO);
            }
        }
    }
}

fn fill(rng: &mut Rng, format: &Format, demo: bool) -> Vec<Option<Decimal>> {
    let blank_percent = if demo { 12 } else { 8 };
    let mut values: Vec<Option<Decimal>> = (0..format.cells.len())
        .map(|i| random_value(rng, format, i, blank_percent))
        .collect();
    // Totals of parts first, then the carry-over balance per applicant column, then row totals:
    // in that order the repairs do not undo each other.
    let priority = |r: &Rule| match r.id.as_str() {
        "BC-R2" => 2,
        "BC-R1" => 1,
        _ => 0,
    };
    let mut rules: Vec<&Rule> = format
        .rules
        .iter()
        .filter(|r| {
            !(matches!(r.id.as_str(), "BC-R1" | "BC-R3") && r.instance.as_deref() == Some("total"))
        })
        .collect();
    rules.sort_by_key(|r| priority(r));
    // Totals are never left blank, or the sums above them could not agree.
    for rule in &rules {
        let derived = match (rule.op, rule.left.as_slice(), rule.right.as_slice()) {
            (Comparison::AtLeast, _, [single]) => Some(*single),
            (_, [single], _) => Some(*single),
            (_, _, [.., last]) => Some(*last),
            _ => None,
        };
        if let Some(cell) = derived
            && values[cell].is_none()
        {
            values[cell] = Some(Decimal::ZERO);
        }
    }
    let broken: Vec<bool> = rules.iter().map(|_| demo && rng.below(1000) < 4).collect();
    for _ in 0..2 {
        for (rule, keep_broken) in rules.iter().zip(&broken) {
            if !keep_broken && evaluate(rule, &values).is_some() {
                repair(rule, &mut values);
            }
        }
    }
    values
}

fn narrative(rng: &mut Rng, town: &Town, year: u16, target_bytes: usize) -> String {
    let mut text = format!(
        "{}{year}年度政府信息公开工作年度报告由本{}人民政府办公室编制，数据统计期限为{year}年1月1日至12月31日。\n\n",
        town.name, town.kind
    );
    let per_section = target_bytes / SECTIONS.len();
    for section in SECTIONS {
        let _ = write!(text, "## {section}\n\n");
        let start = text.len();
        while text.len() - start < per_section {
            let sentences = 3 + rng.below(4);
            for _ in 0..sentences {
                let phrase = rng.pick::<&str>(PHRASES);
                text.push_str(phrase);
                text.push('。');
            }
            text.push_str("\n\n");
        }
    }
    text
}

fn figure_text(v: Option<Decimal>) -> String {
    v.map_or_else(|| "~".to_string(), |d| d.to_string())
}

fn stats_yaml(format: &Format, values: &[Option<Decimal>]) -> String {
    let mut out = format!("format: {}\nvalues:\n", format.id);
    for (cell, v) in format.cells.iter().zip(values) {
        let _ = writeln!(out, "  {}: {}", cell.id, figure_text(*v));
    }
    out
}

struct ReportPlan<'a> {
    town: &'a Town,
    index: usize,
    year: u16,
    format: Option<&'static str>,
    heading_value: bool,
    /// The demo's oversight cases: a late date, or `~` (the original shows none).
    published: Option<&'static str>,
}

fn write_report(
    root: &Path,
    plan: &ReportPlan<'_>,
    rng: &mut Rng,
    demo: bool,
    region: &str,
) -> std::io::Result<()> {
    let dir = root
        .join("content")
        .join(plan.year.to_string())
        .join(&plan.town.slug);
    fs::create_dir_all(&dir)?;
    let next = plan.year + 1;
    let published = match plan.format {
        Some("gov-2014") | None => format!("{next}-03-{:02}", 1 + rng.below(28)),
        _ => format!("{next}-01-{:02}", 5 + rng.below(25)),
    };
    let generated = published.clone();
    let published = match plan.published {
        Some("~") => "~                # 示例：原文没有写公开日期".to_string(),
        Some(date) => date.to_string(),
        None => published,
    };
    let attachment = plan.index.is_multiple_of(5);
    let mut front = format!(
        "---\ntitle: {region}{}{}年度政府信息公开工作年度报告\nindex_no: 0063822{:02}X/{next}-{:07}\npublisher: {}\nscope: 全部公开\ngenerated: {generated}\npublished: {published}\nchannel: 政府网站\n",
        plan.town.name,
        plan.year,
        plan.index % 100,
        1_000_000 + rng.below(8_999_999),
        plan.town.name
    );
    if plan.format == Some("gov-2014") {
        let _ = write!(
            front,
            "form:\n  fill_unit: {}人民政府\n  unit_head: 张某\n  reviewer: 李某\n  filler: 王某\n  phone: \"0730-45{:05}\"\n  filled: {next}-01-{:02}\n",
            plan.town.name,
            rng.below(99_999),
            5 + rng.below(20)
        );
    }
    if attachment {
        front.push_str(
            "attachments:\n  - file: 附件-工作台账.txt\n    title: 政府信息公开工作台账（示例）\n",
        );
        fs::write(
            dir.join("附件-工作台账.txt"),
            format!(
                "{}{}年度政府信息公开工作台账\n序号,事项,数量\n1,主动公开,{}\n",
                plan.town.name,
                plan.year,
                rng.below(200)
            ),
        )?;
    }
    front.push_str("---\n");
    let body = narrative(rng, plan.town, plan.year, if demo { 1500 } else { 8000 });
    fs::write(dir.join("report.md"), front + &body)?;
    if let Some(format_id) = plan.format {
        let format = schema::format(format_id).expect("known format");
        let mut values = fill(rng, format, demo);
        if plan.heading_value
            && let Some(i) = format.cell_index("training")
        {
            values[i] = Some(Decimal::from(2));
        }
        fs::write(dir.join("stats.yaml"), stats_yaml(format, &values))?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = Args::parse();
    if args.demo {
        args.townships = 4;
        args.years = 8;
        args.first_year = 2016;
    }
    let root = &args.out;
    if root.exists() && fs::read_dir(root)?.next().is_some() {
        if !args.force {
            return Err(format!(
                "{} is not empty (use --force to replace its content)",
                root.display()
            )
            .into());
        }
        for sub in ["content", "site.toml"] {
            let p = root.join(sub);
            if p.is_dir() {
                fs::remove_dir_all(&p)?;
            } else if p.exists() {
                fs::remove_file(&p)?;
            }
        }
    }
    fs::create_dir_all(root.join("content"))?;
    let mut rng = Rng(args.seed);
    let region = if args.demo { "示例县" } else { "合成县" };
    let towns = towns(&args, &mut rng);
    let notice = "示例数据：本站全部内容由程序生成，不代表任何真实乡镇";
    // The oversight is as of mid-year after the last report year, whatever day the site is built.
    let last = args.first_year + args.years - 1;
    fs::write(
        root.join("site.toml"),
        format!(
            "title = \"{region}乡镇政府信息公开工作年度报告（示例数据）\"\nbase_url = \"https://example.gov.cn/nianbao/\"\nlanguage = \"zh-CN\"\n\n[portal]\nregion = \"{region}\"\nnotice = \"{notice}\"\n\n# 示例数据到 {last} 年度为止：督查按 {} 年 6 月 30 日统计，结果不随生成日期变化。\n[audit]\nas_of = \"{}-06-30\"\n",
            last + 1,
            last + 1
        ),
    )?;
    let mut registry = String::from("# 示例数据：虚构的乡镇名录\n");
    for (i, t) in towns.iter().enumerate() {
        let _ = write!(
            registry,
            "- slug: {}\n  name: {}\n  kind: {}\n  order: {}\n",
            t.slug,
            t.name,
            t.kind,
            (i + 1) * 10
        );
    }
    if args.demo {
        let _ = write!(
            registry,
            "- slug: {}\n  name: {}\n  kind: {}\n  order: {}\n  since: {}   # 示例：当年设立，此前不需发布年报\n",
            NEW_TOWN.0,
            NEW_TOWN.1,
            NEW_TOWN.2,
            (towns.len() + 1) * 10,
            NEW_TOWN.3
        );
    }
    fs::write(root.join("content/townships.yaml"), registry)?;
    fs::write(
        root.join("content/_index.md"),
        format!(
            "**{notice}。**\n\n本示例站点用 {} 个虚构乡镇、{} 个年度的报告演示三种统计表格式（2014、2019、2021 年版）之间的历年对比、空白与 0 的区别、数据核对提示，以及督查页上按时、逾期、未发布、日期未注明和不需发布的情况。\n",
            towns.len() + usize::from(args.demo),
            args.years
        ),
    )?;
    let mut index = 0;
    for year in args.first_year..args.first_year + args.years {
        for (t, town) in towns.iter().enumerate() {
            index += 1;
            let mut format = Some(nianbao::scaffold::default_format(year));
            if args.demo {
                match (town.slug.as_str(), year) {
                    ("donghu", 2020) => continue,
                    ("baisha", 2022) => format = Some("gov-2019"),
                    ("liulin", 2017) => format = None,
                    _ => {}
                }
            }
            let plan = ReportPlan {
                town,
                index: index + t,
                year,
                format,
                heading_value: args.demo && town.slug == "qingshan" && year == 2018,
                published: match (args.demo, town.slug.as_str(), year) {
                    (true, "liulin", 2022) => Some("2023-02-16"),
                    (true, "baisha", 2023) => Some("~"),
                    _ => None,
                },
            };
            write_report(root, &plan, &mut rng, args.demo, region)?;
        }
    }
    if args.demo {
        // A township set up in 2022 (`since`): not required before, missing in 2022, published
        // in 2023. Written last so that the other reports stay as they were.
        let town = Town {
            slug: NEW_TOWN.0.to_string(),
            name: NEW_TOWN.1.to_string(),
            kind: NEW_TOWN.2,
        };
        index += 1;
        let plan = ReportPlan {
            town: &town,
            index,
            year: 2023,
            format: Some("gov-2021"),
            heading_value: false,
            published: None,
        };
        write_report(root, &plan, &mut rng, true, region)?;
    }
    eprintln!(
        "wrote {} reports for {} townships into {}",
        index,
        towns.len(),
        root.display()
    );
    Ok(())
}
