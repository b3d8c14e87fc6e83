//! Text helpers shared by evaluation reasons and timeline lines: compact numbers, durations and
//! the `T+MM:SS` offset from the event start. Output is stable byte for byte.

use std::fmt::Write as _;

use chrono::TimeDelta;

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

/// A duration as the layout writes it: `90s`, `3m`, `1h30m`, `2h`.
pub fn dur(d: TimeDelta) -> String {
    let s = d.num_seconds();
    let (sign, s) = if s < 0 { ("-", -s) } else { ("", s) };
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut out = String::from(sign);
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if m > 0 {
        let _ = write!(out, "{m}m");
    }
    if sec > 0 || out.len() == sign.len() {
        let _ = write!(out, "{sec}s");
    }
    out
}

/// Offset from T0: `T+09:40`, `T-04:30`, `T+1:35:00`.
pub fn t_offset(d: TimeDelta) -> String {
    let s = d.num_seconds();
    let (sign, s) = if s < 0 { ('-', -s) } else { ('+', s) };
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("T{sign}{h}:{m:02}:{sec:02}")
    } else {
        format!("T{sign}{m:02}:{sec:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(dur(TimeDelta::seconds(180)), "3m");
        assert_eq!(dur(TimeDelta::seconds(90)), "1m30s");
        assert_eq!(dur(TimeDelta::seconds(5400)), "1h30m");
        assert_eq!(dur(TimeDelta::zero()), "0s");
        assert_eq!(t_offset(TimeDelta::seconds(580)), "T+09:40");
        assert_eq!(t_offset(TimeDelta::seconds(-270)), "T-04:30");
        assert_eq!(t_offset(TimeDelta::seconds(5700)), "T+1:35:00");
        assert_eq!(t_offset(TimeDelta::zero()), "T+00:00");
    }
}
