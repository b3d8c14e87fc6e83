//! Numbers as the room reads them: a value by its layout `Unit` (`12.4k`, `1.42s`, `0.8%`,
//! `3.1 GB`), per-minute rates, ratio to baseline (`x9.6`), clock and T-minus text. Pure.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::config::layout::Unit;

/// Shown where a value is unknown.
pub(crate) const MISSING: &str = "--";

/// A value in its unit: `12.4k`, `0.8%`, `1.42s`, `3.1 GB`; `--` when unknown.
pub(crate) fn value(v: Option<f64>, unit: Unit) -> String {
    let Some(v) = v.filter(|v| v.is_finite()) else {
        return MISSING.to_string();
    };
    match unit.human(v) {
        (Unit::Percent, v) => percent(v),
        (Unit::Seconds, v) => seconds(v),
        (Unit::Bytes, v) => bytes(v),
        (_, v) => compact(v),
    }
}

/// A per-minute count: `12.4k/min`.
pub(crate) fn per_min(v: Option<f64>) -> String {
    match v.filter(|v| v.is_finite()) {
        Some(v) => format!("{}/min", compact(v)),
        None => MISSING.to_string(),
    }
}

/// Ratio to baseline, `x9.6` (one decimal below 10, none above); `None` without a positive
/// baseline or a value.
pub(crate) fn ratio(v: Option<f64>, baseline: Option<f64>) -> Option<String> {
    let (v, b) = (v?, baseline?);
    if !(b > 0.0 && v.is_finite()) {
        return None;
    }
    let r = v / b;
    Some(if r < 9.95 {
        format!("x{r:.1}")
    } else {
        format!("x{r:.0}")
    })
}

/// `950`, `12.4k`, `412k`, `1.2M`, `3.4G`: one decimal below 100 of a unit, integers as
/// they are.
pub(crate) fn compact(v: f64) -> String {
    let a = v.abs();
    let (scaled, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    if suffix.is_empty() && (v.fract() == 0.0 || a >= 100.0) {
        format!("{v:.0}")
    } else if scaled.abs() < 99.95 {
        format!("{scaled:.1}{suffix}")
    } else {
        format!("{scaled:.0}{suffix}")
    }
}

fn percent(v: f64) -> String {
    if v.abs() < 9.95 && v != 0.0 {
        format!("{v:.1}%")
    } else {
        format!("{v:.0}%")
    }
}

fn seconds(v: f64) -> String {
    if v.abs() < 1.0 && v != 0.0 {
        format!("{:.0}ms", v * 1000.0)
    } else if v.abs() < 10.0 {
        format!("{}s", trim_zeros(&format!("{v:.2}")))
    } else if v.abs() < 100.0 {
        format!("{}s", trim_zeros(&format!("{v:.1}")))
    } else {
        format!("{v:.0}s")
    }
}

fn bytes(v: f64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut x = v;
    let mut i = 0;
    while x.abs() >= 1000.0 && i < units.len() - 1 {
        x /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{x:.0} B")
    } else if x.abs() < 9.95 {
        format!("{x:.1} {}", units[i])
    } else {
        format!("{x:.0} {}", units[i])
    }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// `20:07:42 KST`.
pub(crate) fn clock(now: DateTime<Utc>, tz: Tz) -> String {
    now.with_timezone(&tz).format("%H:%M:%S %Z").to_string()
}

/// `20:07:42 KST`, or `03 Dec 14:00:10 GMT` when `now` is not on the day of `day_of` (T0): an
/// event that runs for days needs the date.
pub fn clock_dated(now: DateTime<Utc>, tz: Tz, day_of: DateTime<Utc>) -> String {
    if crate::time::crosses_day(now, day_of, tz) {
        now.with_timezone(&tz)
            .format("%d %b %H:%M:%S %Z")
            .to_string()
    } else {
        clock(now, tz)
    }
}

/// `05:12`, `1:07:42`.
pub(crate) fn duration(d: TimeDelta) -> String {
    let s = d.num_seconds().abs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// A data age: `38s`, `4m`, `2h`.
pub(crate) fn age(d: TimeDelta) -> String {
    let s = d.num_seconds().max(0);
    if s < 120 {
        format!("{s}s")
    } else if s < 7200 {
        format!("{}m", s / 60)
    } else {
        format!("{}h", s / 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn values_by_unit() {
        let cases = [
            (Some(12_400.0), Unit::Count, "12.4k"),
            (Some(412_000.0), Unit::Count, "412k"),
            (Some(950.0), Unit::Count, "950"),
            (Some(9.0), Unit::Count, "9"),
            (Some(2.5), Unit::Count, "2.5"),
            (Some(28_000.0), Unit::Count, "28.0k"),
            (Some(1_200_000.0), Unit::Count, "1.2M"),
            (Some(0.8), Unit::Percent, "0.8%"),
            (Some(34.4), Unit::Percent, "34%"),
            (Some(0.0), Unit::Percent, "0%"),
            (Some(1.42), Unit::Seconds, "1.42s"),
            (Some(2.9), Unit::Seconds, "2.9s"),
            (Some(0.171), Unit::Seconds, "171ms"),
            (Some(300.0), Unit::Seconds, "300s"),
            (Some(3.1e9), Unit::Bytes, "3.1 GB"),
            (Some(512.0), Unit::Bytes, "512 B"),
            (Some(42e6), Unit::Bytes, "42 MB"),
            (Some(1250.0), Unit::Milliseconds, "1.25s"),
            (Some(171.0), Unit::Milliseconds, "171ms"),
            (Some(3.0), Unit::Megabytes, "3.0 MB"),
            (None, Unit::Count, "--"),
            (Some(f64::NAN), Unit::Percent, "--"),
        ];
        for (v, unit, want) in cases {
            assert_eq!(value(v, unit), want, "{v:?} {unit:?}");
        }
        assert_eq!(per_min(Some(12_400.0)), "12.4k/min");
        assert_eq!(per_min(None), "--");
    }

    #[test]
    fn ratios() {
        assert_eq!(
            ratio(Some(412_000.0), Some(42_900.0)).as_deref(),
            Some("x9.6")
        );
        assert_eq!(ratio(Some(28_000.0), Some(1_600.0)).as_deref(), Some("x18"));
        assert_eq!(ratio(Some(1.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(1.0)), None);
    }

    #[test]
    fn clocks_and_countdown() {
        let now = at("2026-06-13T11:07:42Z");
        assert_eq!(clock(now, chrono_tz::Asia::Seoul), "20:07:42 KST");
        assert_eq!(clock(now, chrono_tz::UTC), "11:07:42 UTC");
        let t0 = at("2026-06-13T11:00:00Z");
        assert_eq!(crate::time::t_label(now, t0), "T+07:42");
        assert_eq!(age(TimeDelta::seconds(38)), "38s");
        assert_eq!(age(TimeDelta::seconds(600)), "10m");
    }
}
