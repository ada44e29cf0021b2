//! `nianbao template`: the fill-in workbook of each format lists every indicator once, in a
//! blank, unlocked, validated cell, with the labels protected, and never overwrites a file.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::run;

const FORMATS: [&str; 3] = ["gov-2014", "gov-2019", "gov-2021"];

fn make_template(dir: &Path, format: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{format}.xlsx"));
    let out = path.to_str().unwrap();
    let (code, _, stderr) = run(&["template", format, "--output", out]);
    assert_eq!(code, 0, "{stderr}");
    path
}

/// (id, cell reference) pairs of the index sheet.
fn index(book: &mut Xlsx<std::io::BufReader<std::fs::File>>) -> Vec<(String, String)> {
    let sheet = book.worksheet_range("指标位置").expect("index sheet");
    sheet
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect()
}

/// (row, column) from 0 of `C6`.
fn position(reference: &str) -> (u32, u32) {
    let split = reference.find(|c: char| c.is_ascii_digit()).unwrap();
    let (letters, digits) = reference.split_at(split);
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1;
    (digits.parse::<u32>().unwrap() - 1, col)
}

fn zip_entry(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn every_indicator_appears_once_in_a_blank_validated_cell() {
    let dir = tempfile::tempdir().unwrap();
    for format_id in FORMATS {
        let path = make_template(dir.path(), format_id);
        let format = nianbao::schema::format(format_id).unwrap();
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let pairs = index(&mut book);
        let ids: Vec<&str> = pairs.iter().map(|(id, _)| id.as_str()).collect();
        let expected: Vec<&str> = format.cells.iter().map(|c| c.id.as_str()).collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{format_id}: an id listed twice");
        assert_eq!(
            unique,
            expected.iter().copied().collect(),
            "{format_id}: every id of the format, and no other"
        );
        let cells: BTreeSet<&str> = pairs.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(
            cells.len(),
            pairs.len(),
            "{format_id}: two ids share a cell"
        );

        let table = book.worksheet_range("统计表").unwrap();
        let (row0, col0) = table.start().unwrap();
        for (id, reference) in &pairs {
            let (r, c) = position(reference);
            let value = table.get_value((r - row0, c - col0));
            assert!(
                matches!(value, None | Some(Data::Empty)),
                "{format_id} {id} at {reference} is blank by default, found {value:?}"
            );
        }
        for t in &format.tables {
            assert!(
                table
                    .rows()
                    .any(|r| r.iter().any(|c| c.to_string() == t.title)),
                "{format_id}: the table title {} is printed",
                t.title
            );
        }
        let sheet = zip_entry(&path, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<sheetProtection"), "labels are protected");
        assert_eq!(
            sheet.matches("<dataValidation ").count(),
            pairs.len(),
            "{format_id}: one validation per input cell"
        );
        let styles = zip_entry(&path, "xl/styles.xml");
        assert!(styles.contains("locked=\"0\""), "input cells are unlocked");
        // Each input prompt shows the printed label, never an internal id.
        let titles: Vec<&str> = sheet
            .split("promptTitle=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert_eq!(
            titles.len(),
            pairs.len(),
            "{format_id}: a prompt per input cell"
        );
        for (id, _) in &pairs {
            assert!(
                !titles.contains(&id.as_str()),
                "{format_id}: the prompt shows {id}"
            );
        }
        for title in &titles {
            assert!(
                title.chars().any(|c| c > '\u{2E80}'),
                "{format_id}: the prompt title {title:?} is the Chinese label"
            );
        }
    }
}

#[test]
fn validations_follow_the_units_and_signs_of_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = make_template(dir.path(), "gov-2014");
    let sheet = zip_entry(&path, "xl/worksheets/sheet1.xml");
    let format = nianbao::schema::format("gov-2014").unwrap();
    let decimals = format.cells.iter().filter(|c| c.decimal).count();
    assert!(decimals > 0, "the 2014 format has money cells");
    assert_eq!(
        sheet.matches("type=\"decimal\"").count(),
        decimals,
        "money cells accept decimals"
    );
    assert_eq!(
        sheet.matches("type=\"whole\"").count(),
        format.cells.len() - decimals,
        "counts accept whole numbers only"
    );
    assert!(
        sheet.contains("数字不符合要求"),
        "the error message is Chinese"
    );
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("表.xlsx");
    std::fs::write(&path, b"clerk's own file").unwrap();
    let (code, _, stderr) = run(&["template", "gov-2021", "-o", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("已经存在"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), b"clerk's own file");
}

#[test]
fn the_template_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let a = std::fs::read(make_template(dir.path(), "gov-2019")).unwrap();
    let other = dir.path().join("again");
    std::fs::create_dir(&other).unwrap();
    let b = std::fs::read(make_template(&other, "gov-2019")).unwrap();
    assert!(a == b, "two runs give byte-identical workbooks");
}
