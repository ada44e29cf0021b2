//! The text of a published figure: exactly what `Decimal`'s `Display` writes, with a fast path
//! for whole numbers. Every page and data file writes every figure, and `Display` goes through
//! the general formatting machinery each time.

use rust_decimal::Decimal;

/// Call `f` with the text of `v`.
fn with_text<R>(v: Decimal, f: impl FnOnce(&str) -> R) -> R {
    match whole(v) {
        Some(n) => f(itoa::Buffer::new().format(n)),
        None => f(&v.to_string()),
    }
}

/// Append the text of `v` to `out`.
pub fn push(out: &mut Vec<u8>, v: Decimal) {
    with_text(v, |text| out.extend_from_slice(text.as_bytes()));
}

/// Append the text of `v` to `out`.
pub fn push_str(out: &mut String, v: Decimal) {
    with_text(v, |text| out.push_str(text));
}

/// The text of `v`.
pub fn text(v: Decimal) -> String {
    with_text(v, str::to_owned)
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
