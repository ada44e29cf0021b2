//! Files as they arrive from Word, Excel, old Windows machines and half-finished edits.

use encoding_rs::{GB18030, GBK, UTF_16BE, UTF_16LE};

use crate::common::{REPORT_2018, STATS_2018, TOWNSHIPS};
use crate::{FOLDER, REPORT, STATS, case, read, write_encoded};

// ---- encodings: converted exactly with a warning naming the encoding, or refused ----

#[test]
fn gbk_report_is_converted_with_a_warning_and_no_mojibake() {
    let out = case(
        |f| write_encoded(f, REPORT, REPORT_2018, GBK),
        0,
        &[
            "警告: content/2018/alpha/report.md:1: 文件不是 UTF-8，而是 GBK/GB18030（记事本的 ANSI） 编码；已按此编码读取，开头为「title:测试县甲镇2018年度",
        ],
    );
    let page = out.published("2018/alpha/index.html");
    assert!(
        page.contains("测试县甲镇2018年度政府信息公开工作年度报告"),
        "{page}"
    );
    assert!(!page.contains('\u{FFFD}'), "no replacement characters");
}

#[test]
fn gb18030_townships_registry_is_converted() {
    let out = case(
        |f| {
            write_encoded(
                f,
                "content/townships.yaml",
                &TOWNSHIPS.replace("甲镇", "甲镇𠀀"),
                GB18030,
            )
        },
        0,
        &["警告: content/townships.yaml:1: 文件不是 UTF-8，而是 GBK/GB18030"],
    );
    assert!(out.published("index.html").contains("甲镇𠀀"));
}

#[test]
fn gbk_stats_with_chinese_comment_is_converted() {
    let out = case(
        |f| {
            write_encoded(
                f,
                STATS,
                &STATS_2018.replace("values:", "values: # 数据来自原表"),
                GBK,
            )
        },
        0,
        &["警告: content/2018/alpha/stats.yaml:1: 文件不是 UTF-8，而是 GBK/GB18030"],
    );
    assert!(out.published("2018/alpha/stats.csv").contains("1.50"));
}

#[test]
fn utf16le_report_with_bom_is_converted() {
    let out = case(
        |f| {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(REPORT_2018.encode_utf16().flat_map(u16::to_le_bytes));
            f.write_bytes(REPORT, &bytes);
        },
        0,
        &[
            "警告: content/2018/alpha/report.md:1: 文件不是 UTF-8，而是 UTF-16 LE（记事本的 Unicode） 编码",
        ],
    );
    assert!(
        out.published("2018/alpha/index.html")
            .contains("测试县甲镇2018年度")
    );
}

#[test]
fn utf16be_stats_without_bom_is_converted() {
    let out = case(
        |f| write_encoded(f, STATS, STATS_2018, UTF_16BE),
        0,
        &["警告: content/2018/alpha/stats.yaml:1: 文件不是 UTF-8，而是 UTF-16 BE 编码"],
    );
    assert!(out.published("2018/alpha/stats.csv").contains("1.50"));
}

#[test]
fn utf16le_intro_without_bom_is_converted() {
    case(
        |f| {
            write_encoded(
                f,
                "content/_index.md",
                "# 2018 年\n\n本县政府信息公开年报汇编。\n",
                UTF_16LE,
            )
        },
        0,
        &["警告: content/_index.md:1: 文件不是 UTF-8，而是 UTF-16 LE"],
    );
}

#[test]
fn chinese_only_utf16_without_bom_is_refused_not_published_as_mojibake() {
    case(
        |f| {
            write_encoded(
                f,
                "content/_index.md",
                "本县政府信息公开年报汇编。",
                UTF_16LE,
            )
        },
        1,
        &["错误: content/_index.md:1: 无法识别文件的文本编码"],
    );
}

#[test]
fn utf8_bom_is_silent_and_never_published() {
    let out = case(
        |f| {
            f.write_bytes(REPORT, &[b"\xEF\xBB\xBF", REPORT_2018.as_bytes()].concat());
            f.write_bytes(STATS, &[b"\xEF\xBB\xBF", STATS_2018.as_bytes()].concat());
        },
        0,
        &[],
    );
    assert!(!out.stderr.contains("编码"), "{}", out.stderr);
    // CSV files start with a BOM on purpose (Excel reads UTF-8 by it); nothing else may hold one.
    let root = out.fixture.root().join("public");
    for (path, bytes) in crate::common::snapshot_tree(&root) {
        let text = String::from_utf8_lossy(&bytes);
        let body = if path.ends_with(".csv") {
            text.strip_prefix('\u{FEFF}').unwrap_or(&text)
        } else {
            &text
        };
        assert!(!body.contains('\u{FEFF}'), "a BOM was published in {path}");
    }
    assert!(
        out.published("2018/alpha/index.html")
            .contains("测试县甲镇2018年度")
    );
}

#[test]
fn binary_report_is_refused_naming_the_encoding_problem() {
    case(
        |f| {
            f.write_bytes(
                REPORT,
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\xfe\x81\x20",
            )
        },
        1,
        &[
            "错误: content/2018/alpha/report.md:1: 无法识别文件的文本编码：不是 UTF-8、UTF-16 或 GBK/GB18030 文本",
        ],
    );
}

#[test]
fn mixed_utf8_and_gbk_is_refused_not_guessed() {
    case(
        |f| {
            let mut bytes = REPORT_2018.as_bytes().to_vec();
            bytes.extend_from_slice(b"\xB9\xAB\xBF\xAA\n");
            f.write_bytes(REPORT, &bytes);
        },
        1,
        &["错误: content/2018/alpha/report.md:1: 无法识别文件的文本编码"],
    );
}

#[test]
fn gbk_site_toml_is_refused_with_the_encoding_named() {
    case(
        |f| {
            write_encoded(
                f,
                "site.toml",
                &crate::common::SITE_TOML.replace("测试县年报", "测试县年報"),
                GBK,
            )
        },
        1,
        &["错误: site.toml", "UTF-8"],
    );
}

// ---- line endings and white space ----

#[test]
fn crlf_stats_error_has_the_right_line_and_column() {
    case(
        |f| {
            let text = STATS_2018.replace("proactive.total: 10", "proactive.total: x");
            f.write(STATS, &text.replace('\n', "\r\n"));
        },
        1,
        &["错误: content/2018/alpha/stats.yaml:3:20: [proactive.total] "],
    );
}

#[test]
fn crlf_report_error_has_the_right_line() {
    case(
        |f| {
            let text = REPORT_2018.replace("2019-03-01", "2019-02-30");
            f.write(REPORT, &text.replace('\n', "\r\n"));
        },
        1,
        &[
            "错误: content/2018/alpha/report.md:5:1: [published] ",
            "不是有效日期",
        ],
    );
}

#[test]
fn crlf_everywhere_builds_and_publishes_no_carriage_returns_in_figures() {
    let out = case(
        |f| {
            for rel in [REPORT, STATS, "content/townships.yaml"] {
                let text = read(f, rel).replace('\n', "\r\n");
                f.write(rel, &text);
            }
        },
        0,
        &[],
    );
    let csv = out.published("2018/alpha/stats.csv");
    assert!(csv.contains("1.50") && !csv.contains("1.50\r\r"), "{csv}");
}

#[test]
fn tab_indentation_in_front_matter() {
    case(
        |f| f.edit(REPORT, "  - file: 统计表.xls", "\t- file: 统计表.xls"),
        1,
        &["错误: content/2018/alpha/report.md:7", "制表符"],
    );
}

#[test]
fn full_width_space_indentation_in_stats() {
    case(
        |f| {
            f.edit(
                STATS,
                "  complaints.total: 0",
                "\u{3000}complaints.total: 0",
            )
        },
        1,
        &["错误: content/2018/alpha/stats.yaml:6: YAML 缩进中含有全角空格或不换行空格"],
    );
}

#[test]
fn tab_indentation_in_registry() {
    let out = case(
        |f| f.edit("content/townships.yaml", "  name: 乙乡", "\tname: 乙乡"),
        1,
        &["错误: content/townships.yaml:6: YAML 缩进中含有制表符（Tab）"],
    );
    only_the_registry_is_blamed(&out.stderr);
}

/// A broken registry is the one thing to fix: the folders are not all called unregistered too.
fn only_the_registry_is_blamed(stderr: &str) {
    assert!(!stderr.contains("不是已登记的乡镇代号"), "{stderr}");
    assert!(stderr.contains("失败：1 个错误"), "{stderr}");
}

// ---- empty and half-written files (an editor or a git checkout caught in the middle) ----

#[test]
fn empty_report_md() {
    case(
        |f| f.write(REPORT, ""),
        1,
        &["错误: content/2018/alpha/report.md:1: report.md 没有以元数据开头"],
    );
}

#[test]
fn empty_stats_yaml() {
    case(
        |f| f.write(STATS, ""),
        1,
        &[
            "错误: content/2018/alpha/stats.yaml:1: 统计表文件应以 format: 和 values: 两项组成，这里是空值",
        ],
    );
}

#[test]
fn whitespace_only_stats_yaml() {
    case(
        |f| f.write(STATS, "\n   \n\n"),
        1,
        &[
            "错误: content/2018/alpha/stats.yaml:1: 统计表文件应以 format: 和 values: 两项组成，这里是空值",
        ],
    );
}

#[test]
fn empty_townships_registry() {
    case(
        |f| f.write("content/townships.yaml", ""),
        1,
        &["错误: content/townships.yaml", "至少登记一个乡镇"],
    );
}

#[test]
fn empty_front_matter() {
    case(
        |f| f.write(REPORT, "---\n---\n正文\n"),
        1,
        &[
            "错误: content/2018/alpha/report.md:",
            "缺少公开日期 published",
        ],
    );
}

#[test]
fn stats_truncated_in_the_middle_of_a_key() {
    case(
        |f| {
            let text = read(f, STATS);
            let cut = text.find("complaints.to").expect("key") + "complaints.to".len();
            f.write(STATS, &text[..cut]);
        },
        1,
        &["错误: content/2018/alpha/stats.yaml:6: 这一行缺少冒号"],
    );
}

#[test]
fn report_truncated_inside_the_front_matter() {
    case(
        |f| {
            f.write(
                REPORT,
                &REPORT_2018[..REPORT_2018.find("attachments").expect("key")],
            )
        },
        1,
        &["错误: content/2018/alpha/report.md:1: 元数据没有结束标记"],
    );
}

#[test]
fn report_md_that_is_a_folder() {
    case(
        |f| {
            f.remove(REPORT);
            std::fs::create_dir(f.root().join(REPORT)).expect("mkdir");
        },
        1,
        &["错误: content/2018/alpha/report.md: 无法读取文件"],
    );
}

// ---- git in the middle of a merge or checkout ----

#[test]
fn conflict_markers_in_stats() {
    case(
        |f| {
            f.edit(
                STATS,
                "  complaints.total: 0\n",
                "<<<<<<< HEAD\n  complaints.total: 0\n=======\n  complaints.total: 1\n>>>>>>> origin/main\n",
            )
        },
        1,
        &["错误: content/2018/alpha/stats.yaml:6: 文件中有未解决的合并冲突标记"],
    );
}

#[test]
fn conflict_markers_in_report_body() {
    case(
        |f| {
            f.edit(
                REPORT,
                "正文。",
                "<<<<<<< HEAD\n正文。\n=======\n正文二。\n>>>>>>> 1a2b3c4",
            )
        },
        1,
        &["错误: content/2018/alpha/report.md:12: 文件中有未解决的合并冲突标记"],
    );
}

#[test]
fn merge_leftovers_and_git_lock_are_not_published() {
    let out = case(
        |f| {
            f.write("content/2018/alpha/report.md.orig", "旧的正文");
            f.write("content/2018/alpha/stats.yaml.rej", "@@ 被拒绝的修改");
            f.write("content/2018/alpha/report.md~", "编辑器备份");
            f.write(".git/index.lock", "");
            f.write("content/.git/index.lock", "");
        },
        0,
        &[],
    );
    let published = out.all_published();
    for leftover in ["旧的正文", "被拒绝的修改", "编辑器备份"] {
        assert!(!published.contains(leftover), "{leftover} was published");
    }
    assert!(!out.is_published("2018/alpha/report.md.orig"));
}

// ---- numbers as clerks type them ----

fn value_case(value: &str, message: &str) {
    case(
        |f| {
            f.edit(
                STATS,
                "proactive.total: 10",
                &format!("proactive.total: {value}"),
            )
        },
        1,
        &[
            "错误: content/2018/alpha/stats.yaml:3:20: [proactive.total] ",
            message,
        ],
    );
}

#[test]
fn full_width_digits() {
    value_case("１２３", "全角");
}

#[test]
fn thousands_separator() {
    value_case("1,234", "去掉千位分隔符");
}

#[test]
fn chinese_comma_in_number() {
    value_case("1，234", "去掉千位分隔符");
}

#[test]
fn chinese_numeral() {
    value_case("十二", "应为数字");
}

#[test]
fn single_quoted_number() {
    value_case("'10'", "应为数字，这里写成了文字");
}

#[test]
fn nan() {
    value_case(".nan", "不是有限的数");
}

#[test]
fn infinity() {
    value_case(".inf", "不是有限的数");
}

#[test]
fn negative_infinity_in_a_signed_cell() {
    case(
        |f| {
            let text = crate::common::STATS_2020.replace("delta_items: -1", "delta_items: -.inf");
            f.write("content/2020/beta/stats.yaml", &text);
        },
        1,
        &[
            "错误: content/2020/beta/stats.yaml:5:34: [art20_5.licensing.delta_items] ",
            "不是有限的数",
        ],
    );
}

#[test]
fn huge_integer() {
    case(
        |f| {
            f.edit(
                STATS,
                "proactive.total: 10",
                "proactive.total: 123456789012345678901234567890",
            )
        },
        1,
        &[
            "错误: content/2018/alpha/stats.yaml:3:20: [values.proactive.total] 数字「123456789012345678901234567890」太大",
        ],
    );
}

#[test]
fn huge_decimal_amount() {
    case(
        |f| {
            f.edit(
                STATS,
                "org.budget: 1.50",
                "org.budget: 123456789012345678901234567890.5",
            )
        },
        1,
        &[
            "错误: content/2018/alpha/stats.yaml:7:15: [org.budget] ",
            "过大或位数过多",
        ],
    );
}

#[test]
fn hexadecimal_is_not_silently_converted() {
    value_case(
        "0x10",
        "「0x10」是十六进制、八进制或二进制写法，应为十进制数字",
    );
}

#[test]
fn leading_zero_is_not_read_as_octal() {
    value_case("010", "请去掉前导零");
}

#[test]
fn exponent_notation() {
    value_case("1.2E+03", "「1.2E+03」是科学计数法");
}

#[test]
fn percent_sign() {
    value_case("10%", "应为数字");
}

#[test]
fn explicit_plus_sign_is_read_as_written() {
    let out = case(
        |f| f.edit(STATS, "proactive.total: 10", "proactive.total: +12"),
        0,
        &[],
    );
    assert!(
        out.published("2018/alpha/stats.csv").contains(",12"),
        "{}",
        out.published("2018/alpha/stats.csv")
    );
}

// ---- labels and names ----

#[test]
fn traditional_character_label_instead_of_an_id() {
    case(
        |f| f.edit(STATS, "complaints.total: 0", "主動公開政府信息數: 0"),
        1,
        &[
            "错误: content/2018/alpha/stats.yaml:6:3: [主動公開政府信息數] ",
            "不是 gov-2014 格式的指标",
        ],
    );
}

#[test]
fn traditional_characters_in_names_are_published_as_written() {
    let out = case(
        |f| f.edit("content/townships.yaml", "name: 甲镇", "name: 甲鎮"),
        0,
        &[],
    );
    assert!(out.published("index.html").contains("甲鎮"));
}

#[test]
fn full_width_report_folder_name() {
    case(
        |f| {
            std::fs::rename(
                f.root().join(FOLDER),
                f.root().join("content/2018/ａｌｐｈａ"),
            )
            .expect("mv")
        },
        1,
        &["错误: content/2018/ａｌｐｈａ: 目录名「ａｌｐｈａ」不是已登记的乡镇代号"],
    );
}

#[test]
fn case_only_collision_of_report_folders() {
    case(
        |f| {
            let upper = f.root().join("content/2018/Alpha");
            std::fs::create_dir_all(&upper).expect("mkdir");
            std::fs::write(upper.join("report.md"), REPORT_2018).expect("write");
        },
        1,
        &[
            "错误: content/2018/alpha: 「content/2018/Alpha」与「content/2018/alpha」只有字母大小写不同",
        ],
    );
}

#[test]
fn case_only_collision_of_attachments() {
    case(
        |f| {
            f.write_bytes("content/2018/alpha/附件.PDF", b"%PDF-1.4 a");
            f.write_bytes("content/2018/alpha/附件.pdf", b"%PDF-1.4 b");
        },
        1,
        &["错误: content/2018/alpha/附件.pdf: 附件「附件.PDF」与「附件.pdf」只有字母大小写不同"],
    );
}

#[test]
fn attachment_name_with_a_windows_forbidden_character() {
    case(
        |f| f.write_bytes("content/2018/alpha/通知:2018.pdf", b"%PDF"),
        1,
        &[
            "错误: content/2018/alpha/通知:2018.pdf: 附件文件名不能发布：「通知:2018.pdf」含有字符「:」",
        ],
    );
}

#[test]
fn attachment_named_like_a_windows_device() {
    case(
        |f| f.write_bytes("content/2018/alpha/sub/CON.pdf", b"%PDF"),
        1,
        &[
            "错误: content/2018/alpha/sub/CON.pdf: 附件文件名不能发布：「CON.pdf」是 Windows 保留的设备名",
        ],
    );
}

#[test]
fn attachment_name_ending_in_a_dot() {
    case(
        |f| f.write_bytes("content/2018/alpha/说明.", b"x"),
        1,
        &["错误: content/2018/alpha/说明.: 附件文件名不能发布"],
    );
}

#[cfg(unix)]
#[test]
fn attachment_name_in_gbk_bytes() {
    use std::os::unix::ffi::OsStrExt;
    case(
        |f| {
            let name = std::ffi::OsStr::from_bytes(b"\xB8\xBD\xBC\xFE.pdf");
            std::fs::write(f.root().join(FOLDER).join(name), b"%PDF").expect("write");
        },
        1,
        &[
            "错误: content/2018/alpha/",
            "附件文件名不能发布：文件名不是有效的 Unicode 文字",
        ],
    );
}

#[cfg(unix)]
#[test]
fn year_folder_name_in_gbk_bytes() {
    use std::os::unix::ffi::OsStrExt;
    case(
        |f| {
            let name = std::ffi::OsStr::from_bytes(b"2018\xC4\xEA");
            std::fs::create_dir(f.root().join("content").join(name)).expect("mkdir");
        },
        1,
        &["错误: content/2018", "文件名不是有效的 Unicode 文字"],
    );
}

#[test]
fn attachment_named_index_html() {
    case(
        |f| f.write("content/2018/alpha/index.html", "<p>x</p>"),
        1,
        &[
            "错误: content/2018/alpha/index.html: 附件不能命名为「index.html」：生成器会在同一位置写出同名文件",
        ],
    );
}

#[test]
fn attachment_named_like_generated_data_in_upper_case() {
    case(
        |f| f.write("content/2018/alpha/STATS.JSON", "{}"),
        1,
        &["错误: content/2018/alpha/STATS.JSON: 附件不能命名为「STATS.JSON」"],
    );
}

#[test]
fn attachment_named_stats_xlsx() {
    case(
        |f| f.write_bytes("content/2018/alpha/stats.xlsx", b"PK\x03\x04"),
        1,
        &["错误: content/2018/alpha/stats.xlsx: 附件不能命名为「stats.xlsx」"],
    );
}

// ---- duplicates ----

#[test]
fn duplicate_key_in_front_matter() {
    case(
        |f| {
            f.edit(
                REPORT,
                "publisher: 甲镇",
                "publisher: 甲镇\npublisher: 乙乡",
            )
        },
        1,
        &["错误: content/2018/alpha/report.md:5:1: [publisher] 键「publisher」写了两次"],
    );
}

#[test]
fn duplicate_key_in_registry_entry() {
    let out = case(
        |f| {
            f.edit(
                "content/townships.yaml",
                "  name: 乙乡",
                "  name: 乙乡\n  name: 丙乡",
            )
        },
        1,
        &["错误: content/townships.yaml:7:3: [name] 键「name」写了两次"],
    );
    only_the_registry_is_blamed(&out.stderr);
}

#[test]
fn files_named_like_the_output_marker_or_hidden_are_never_published() {
    let out = case(
        |f| {
            f.write("content/2018/alpha/.nianbao", "伪造的输出标记");
            f.write("content/2018/alpha/.htaccess", "Options +Indexes");
            f.write("content/2018/alpha/sub/.nianbao", "伪造的输出标记");
        },
        0,
        &[],
    );
    assert!(!out.is_published("2018/alpha/.htaccess"));
    assert!(!out.all_published().contains("伪造的输出标记"));
}

#[test]
fn duplicate_attachment_description() {
    case(
        |f| {
            f.edit(
                REPORT,
                "    title: 统计表原件",
                "    title: 统计表原件\n  - file: 统计表.xls\n    title: 又一个",
            )
        },
        1,
        &["错误: content/2018/alpha/report.md:9: [attachments] 附件「统计表.xls」的说明写了两次"],
    );
}
