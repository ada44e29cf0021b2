//! Line charts as inline SVG, computed at build time: no JavaScript, no chart library.
//!
//! A year without a figure (blank, not collected, or no report) leaves a gap in the line — never a
//! drop to 0. Two years whose figures mean different things (a change of definition, or county
//! totals over different townships) are not joined. Colours come
//! from CSS variables, so themes and the print stylesheet restyle charts.

use std::fmt::Write;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::schema::compare::Grade;

/// One year's point of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Point {
    /// The year.
    pub year: u16,
    /// The figure; `None` leaves a gap.
    pub value: Option<Decimal>,
    /// How well the figure matches the indicator.
    pub grade: Option<Grade>,
    /// A line joins this point to the previous year's: the two figures mean the same thing.
    pub joined: bool,
    /// For a total over townships: how many it sums, of how many (said in the point's title and
    /// the description, 「3/4 个乡镇」).
    pub covers: Option<(usize, usize)>,
}

impl Point {
    /// `（3/4 个乡镇）` for a total, nothing otherwise.
    fn covers_text(&self) -> String {
        self.covers
            .map(|(n, m)| format!("（{n}/{m} 个乡镇）"))
            .unwrap_or_default()
    }
}

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 28.0;

/// A round upper bound for the axis: 1, 2, 5 × 10ⁿ steps, four ticks.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 4.0;
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    step * 4.0
}

fn fmt_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        Tenths(v).to_string()
    }
}

/// A number written as `{:.1}` writes it. The standard formatter rounds the exact binary value,
/// which for a chart's hundreds of coordinates a page was a visible share of a township page's
/// time; away from a tie the rounding of `v × 10` is the same, so only ties take the slow path.
struct Tenths(f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        // Below 10⁶ the product's rounding error (under 10⁻⁸) cannot cross the 10⁻⁶ margin.
        if v.is_sign_positive() && v < 1e6 {
            let tenths = v * 10.0;
            let whole = tenths.floor();
            let fraction = tenths - whole;
            if (fraction - 0.5).abs() > 1e-6 {
                let n = whole as u64 + u64::from(fraction > 0.5);
                f.write_str(itoa::Buffer::new().format(n / 10))?;
                f.write_char('.')?;
                return f.write_char(char::from(b'0' + (n % 10) as u8));
            }
        }
        write!(f, "{v:.1}")
    }
}

/// An accessible SVG line chart. `id` must be unique in the page; `title` names the chart and
/// `unit` the figures; the description lists every year's figure.
pub(crate) fn line_chart(id: &str, title: &str, unit: &str, points: &[Point]) -> String {
    let mut svg = String::with_capacity(2048);
    let values: Vec<f64> = points
        .iter()
        .filter_map(|p| p.value.and_then(|v| v.to_f64()))
        .collect();
    let min_value = values.iter().copied().fold(0.0, f64::min);
    let top = nice_max(values.iter().copied().fold(0.0, f64::max));
    let bottom = if min_value < 0.0 {
        -nice_max(-min_value)
    } else {
        0.0
    };
    let (first, last) = match (points.first(), points.last()) {
        (Some(f), Some(l)) => (f.year, l.year),
        _ => (0, 0),
    };
    let span = f64::from(last.saturating_sub(first).max(1));
    let x = |year: u16| LEFT + (f64::from(year - first) / span) * (WIDTH - LEFT - RIGHT);
    let y = |v: f64| TOP + (top - v) / (top - bottom) * (HEIGHT - TOP - BOTTOM);
    let desc: Vec<String> = points
        .iter()
        .map(|p| match p.value {
            Some(v) => format!(
                "{}年 {v}{unit}{}{}",
                p.year,
                p.covers_text(),
                if p.grade == Some(Grade::Approximate) {
                    "（口径近似）"
                } else {
                    ""
                }
            ),
            None => format!("{}年 无数据", p.year),
        })
        .collect();
    let _ = write!(
        svg,
        r#"<svg class="chart" id="{id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(&desc.join("；"))
    );
    svg.push_str(r#"<g class="grid">"#);
    for i in 0..=4 {
        let v = bottom + (top - bottom) * f64::from(i) / 4.0;
        let py = Tenths(y(v));
        let _ = write!(
            svg,
            r#"<line x1="{LEFT}" x2="{}" y1="{py}" y2="{py}"/><text class="tick" x="{}" y="{}" text-anchor="end">{}</text>"#,
            Tenths(WIDTH - RIGHT),
            Tenths(LEFT - 6.0),
            Tenths(py.0 + 4.0),
            fmt_number(v)
        );
    }
    svg.push_str("</g><g class=\"years\">");
    let label_every = (points.len() / 6).max(1);
    for (i, p) in points.iter().enumerate() {
        if i % label_every == 0 || i + 1 == points.len() {
            let _ = write!(
                svg,
                r#"<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                Tenths(x(p.year)),
                Tenths(HEIGHT - 8.0),
                p.year
            );
        }
    }
    svg.push_str("</g>");
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (Some(va), Some(vb)) = (
            a.value.and_then(|v| v.to_f64()),
            b.value.and_then(|v| v.to_f64()),
        ) else {
            continue;
        };
        if b.year != a.year + 1 || !b.joined {
            continue;
        }
        let _ = write!(
            svg,
            r#"<line class="line" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            Tenths(x(a.year)),
            Tenths(y(va)),
            Tenths(x(b.year)),
            Tenths(y(vb))
        );
    }
    for p in points {
        if let Some(v) = p.value.and_then(|v| v.to_f64()) {
            let _ = write!(
                svg,
                r#"<circle class="point" cx="{}" cy="{}" r="3.5"><title>{}年：{}{unit}{}</title></circle>"#,
                Tenths(x(p.year)),
                Tenths(y(v)),
                p.year,
                p.value.unwrap_or_default(),
                p.covers_text()
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn escape(text: &str) -> String {
    crate::markup::escaped(text, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(year: u16, v: Option<i64>) -> Point {
        Point {
            year,
            value: v.map(Decimal::from),
            grade: Some(Grade::Same),
            joined: true,
            covers: None,
        }
    }

    #[test]
    fn gaps_are_gaps_not_zeros() {
        let svg = line_chart(
            "c",
            "申请数",
            "件",
            &[
                p(2018, Some(4)),
                p(2019, None),
                p(2020, Some(6)),
                p(2021, Some(8)),
            ],
        );
        assert_eq!(
            svg.matches("<line class=\"line").count(),
            1,
            "only 2020–2021 is joined"
        );
        assert_eq!(
            svg.matches("<circle").count(),
            3,
            "no point for the blank year"
        );
        assert!(svg.contains("2019年 无数据"));
        assert!(svg.contains("<title id=\"c-title\">申请数</title>"));
    }

    #[test]
    fn figures_that_mean_different_things_are_not_joined() {
        let mut b = p(2019, Some(5));
        b.joined = false;
        let svg = line_chart("c", "t", "件", &[p(2018, Some(3)), b, p(2020, Some(6))]);
        assert_eq!(
            svg.matches("<line class=\"line").count(),
            1,
            "only 2019–2020: {svg}"
        );
        assert_eq!(
            svg.matches("<circle").count(),
            3,
            "every figure is still a point"
        );
    }

    #[test]
    fn a_total_s_point_says_how_many_townships_it_covers() {
        let mut a = p(2019, Some(414));
        a.covers = Some((4, 4));
        let mut b = p(2020, Some(310));
        b.covers = Some((3, 4));
        let svg = line_chart("c", "t", "件", &[a, b]);
        assert!(
            svg.contains("<title>2020年：310件（3/4 个乡镇）</title>"),
            "{svg}"
        );
        assert!(svg.contains("2019年 414件（4/4 个乡镇）"), "{svg}");
    }

    #[test]
    fn nice_axis() {
        assert_eq!(nice_max(147.0), 200.0);
        assert_eq!(nice_max(8.0), 8.0);
        assert_eq!(nice_max(0.0), 4.0);
        assert_eq!(nice_max(34.0), 40.0);
    }

    #[test]
    fn titles_are_escaped() {
        let svg = line_chart("c", "<b>", "件", &[p(2018, Some(1))]);
        assert!(svg.contains("&lt;b&gt;"));
    }

    #[test]
    fn tenths_are_written_as_the_standard_formatter_writes_them() {
        let mut samples: Vec<f64> = vec![
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            1.45,
            2.5,
            9.95,
            99.95,
            123.449_999_999,
            123.450_000_001,
            320.0,
            1e6 - 0.05,
            1e6,
            1e7 + 0.05,
            -1.25,
            -0.04,
            f64::NAN,
            f64::INFINITY,
        ];
        let mut random = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        for _ in 0..200_000 {
            let seed = random(u64::MAX);
            let scale = [1.0, 10.0, 1000.0, 1e6][(seed >> 60) as usize % 4];
            samples.push((seed >> 11) as f64 / (1u64 << 53) as f64 * scale);
            // Values a chart draws: steps of hundredths and thousandths.
            samples.push((seed % 100_000) as f64 / 100.0);
            samples.push((seed % 1_000_000) as f64 / 1000.0);
        }
        for v in samples {
            assert_eq!(Tenths(v).to_string(), format!("{v:.1}"), "{v:e}");
        }
    }
}
