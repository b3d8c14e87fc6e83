//! Text helpers of evaluation reasons and timeline lines: compact numbers (durations and T labels
//! come from `crate::time`). Output is stable byte for byte.

/// A number as the dashboard shows it: integers without decimals, others with at most three.
pub(crate) fn num(v: f64) -> String {
    if !v.is_finite() || v.abs() >= 1e15 {
        return format!("{v:.0}");
    }
    // Round to three decimals, then print the shortest form (no trailing zeros); `+ 0.0` turns
    // a negative zero into zero. Cheaper than fixed-precision formatting, same text.
    let r = (v * 1000.0).round() / 1000.0 + 0.0;
    r.to_string()
}

pub(crate) use crate::time::format_duration as dur;

/// `45%`: `v` as a whole share of an event target `t`, for the screen, the summaries and the
/// report alike; under the target it never rounds up to `100%` (1,999 of 2,000 is `99%`, not
/// reached).
pub fn target_share(v: f64, t: f64) -> String {
    let p = 100.0 * v / t;
    let p = if v < t {
        p.floor().min(99.0)
    } else {
        p.round()
    };
    format!("{}%", num(p))
}

/// A value in its unit as a reader says it: three significant digits (`36.9%`, `1.42 s`,
/// `2,870` as `2870`, `3.1 GB`).
pub(crate) fn quantity(v: f64, unit: crate::config::layout::Unit) -> String {
    use crate::config::layout::Unit;
    let short = |v: f64| {
        let decimals = if !v.is_finite() || v.abs() >= 100.0 {
            0
        } else if v.abs() >= 10.0 {
            1
        } else {
            2
        };
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let (unit, v) = unit.human(v);
    match unit {
        Unit::Percent => format!("{}%", short(v)),
        Unit::Seconds => format!("{} s", short(v)),
        Unit::Bytes => {
            let (scaled, suffix) = [(1e9, " GB"), (1e6, " MB"), (1e3, " kB")]
                .into_iter()
                .find(|(f, _)| v.abs() >= *f)
                .map_or((v, " B"), |(f, s)| (v / f, s));
            format!("{}{suffix}", short(scaled))
        }
        _ => short(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::layout::Unit;
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
        assert_eq!(quantity(36.879, Unit::Percent), "36.9%");
        assert_eq!(quantity(20.0, Unit::Percent), "20%");
        assert_eq!(quantity(1.4234, Unit::Seconds), "1.42 s");
        assert_eq!(quantity(118_281.0, Unit::Count), "118281");
        assert_eq!(quantity(3.1e9, Unit::Bytes), "3.1 GB");
        // Other CloudWatch units read in the unit people use.
        assert_eq!(quantity(1250.0, Unit::Milliseconds), "1.25 s");
        assert_eq!(quantity(840.0, Unit::Milliseconds), "0.84 s");
        assert_eq!(quantity(2_500_000.0, Unit::Microseconds), "2.5 s");
        assert_eq!(quantity(2048.0, Unit::Kilobytes), "2.05 MB");
    }
}
