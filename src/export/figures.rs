//! A year's key figures of each table format (`/<year>/figures.csv`, `figures.xlsx`): each
//! township's headline figures and the county total (township `_total`) with how many townships
//! reported it.

use rust_xlsxwriter::XlsxError;

use super::xlsx::list;
use crate::site::Site;
use crate::site::figure::text as figure_text;

/// Columns of `figures.csv`.
const HEADER: [&str; 10] = [
    "year",
    "format",
    "id",
    "label",
    "unit",
    "township",
    "township_name",
    "value",
    "reported",
    "of",
];

/// Chinese column titles of `figures.xlsx`, in the order of [`HEADER`].
const TITLES: [&str; 10] = [
    "年度",
    "表格格式",
    "指标代号",
    "指标",
    "单位",
    "乡镇代号",
    "乡镇",
    "数值",
    "填报乡镇数",
    "使用该格式的乡镇数",
];

/// The rows, per format used in the year: its townships, then the county totals.
fn rows(site: &Site, year: u16) -> Vec<[String; 10]> {
    let region = &site.config.portal.region;
    let mut rows = Vec::new();
    for f in crate::site::headline::year_figures(site, year) {
        let head = |i: usize| {
            let h = &f.format.headline[i];
            let cell = &f.format.cells[h.cell];
            [
                year.to_string(),
                f.format.id.clone(),
                cell.id.clone(),
                h.label.clone(),
                cell.unit.clone(),
            ]
        };
        for (t, values) in &f.rows {
            let township = &site.townships[*t];
            for (i, value) in values.iter().enumerate() {
                let [y, format, id, label, unit] = head(i);
                rows.push([
                    y,
                    format,
                    id,
                    label,
                    unit,
                    township.slug.clone(),
                    township.name.clone(),
                    value.map(figure_text).unwrap_or_default(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        for (i, total) in f.totals.iter().enumerate() {
            let [y, format, id, label, unit] = head(i);
            rows.push([
                y,
                format,
                id,
                label,
                unit,
                "_total".to_string(),
                format!("{region}合计"),
                total.sum.map(figure_text).unwrap_or_default(),
                total.reported.to_string(),
                total.of.to_string(),
            ]);
        }
    }
    rows
}

/// `figures.csv`: UTF-8 with BOM.
pub(crate) fn csv(site: &Site, year: u16) -> Vec<u8> {
    super::data::csv_bytes(&HEADER, rows(site, year).into_iter().map(Vec::from))
}

/// `figures.xlsx`: the same rows, figures as numbers (blank stays empty).
pub(crate) fn xlsx(site: &Site, year: u16) -> Result<Vec<u8>, XlsxError> {
    let title = format!("{}{year}年度各表格格式主要指标", site.config.portal.region);
    let created = site
        .reports_of_year(year)
        .map(|r| r.meta.file_date())
        .max()
        .unwrap_or_default();
    let numeric = [0usize, 7, 8, 9];
    let rows = rows(site, year)
        .into_iter()
        .map(|fields| list::fields(fields, &numeric));
    list::workbook(
        &title,
        "主要指标",
        created,
        &TITLES,
        &[6.0, 10.0, 30.0, 22.0, 6.0, 12.0, 14.0, 10.0, 10.0, 10.0],
        rows,
    )
}
