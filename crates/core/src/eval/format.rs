//! Text helpers of evaluation reasons and timeline lines: compact numbers (durations and T labels
//! come from `crate::time`). Output is stable byte for byte.

/// A number as the dashboard shows it: integers without decimals, others with at most three.
pub fn num(v: f64) -> String {
    if !v.is_finite() || v.abs() >= 1e15 {
        return format!("{v:.0}");
    }
    // Round to three decimals, then print the shortest form (no trailing zeros); `+ 0.0` turns
    // a negative zero into zero. Cheaper than fixed-precision formatting, same text.
    let r = (v * 1000.0).round() / 1000.0 + 0.0;
    r.to_string()
}

pub use crate::time::format_duration as dur;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn numbers_durations_offsets() {
        let cases = [
            (3.0, "3"),
            (0.8, "0.8"),
            (1.4234, "1.423"),
            (-0.0001, "0"),
            (1600.0, "1600"),
            (0.1 + 0.2, "0.3"),
            (45.9094, "45.909"),
            (f64::INFINITY, "inf"),
        ];
        for (v, want) in cases {
            assert_eq!(num(v), want, "{v}");
        }
        assert_eq!(dur(TimeDelta::seconds(90)), "1m30s");
    }
}
