//! The text of a published figure: exactly what `Decimal`'s `Display` writes, with a fast path
//! for whole numbers. Every page and data file writes every figure, and `Display` goes through
//! the general formatting machinery each time.

use rust_decimal::Decimal;

/// Append the text of `v` to `out`.
pub fn push(out: &mut Vec<u8>, v: Decimal) {
    match whole(v) {
        Some(n) => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
        None => {
            let _ = std::io::Write::write_fmt(out, format_args!("{v}"));
        }
    }
}

/// Append the text of `v` to `out`.
pub fn push_str(out: &mut String, v: Decimal) {
    match whole(v) {
        Some(n) => out.push_str(itoa::Buffer::new().format(n)),
        None => {
            let _ = std::fmt::Write::write_fmt(out, format_args!("{v}"));
        }
    }
}

/// The text of `v`.
pub fn text(v: Decimal) -> String {
    let mut out = String::new();
    push_str(&mut out, v);
    out
}

/// `v` as an integer when its text is the integer's: no fraction digits (`1.0` keeps its `.0`)
/// and not a negative zero.
fn whole(v: Decimal) -> Option<i64> {
    if v.scale() != 0 || (v.is_zero() && v.is_sign_negative()) {
        return None;
    }
    i64::try_from(v.mantissa()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn figures_read_as_display_writes_them() {
        let mut samples: Vec<Decimal> = [
            "0",
            "-0",
            "7",
            "-7",
            "1.0",
            "0.50",
            "-3.25",
            "12345678901234567890",
            "1e3",
        ]
        .iter()
        .map(|s| {
            Decimal::from_str(s)
                .or_else(|_| Decimal::from_scientific(s))
                .unwrap()
        })
        .collect();
        samples.extend([Decimal::MAX, Decimal::MIN, Decimal::from(i64::MIN)]);
        samples.extend((-1000..1000).map(|i| Decimal::from(i * 7919)));
        for v in samples {
            let mut bytes = b"x".to_vec();
            push(&mut bytes, v);
            assert_eq!(bytes, format!("x{v}").into_bytes(), "{v:?}");
            assert_eq!(text(v), v.to_string(), "{v:?}");
        }
    }
}
