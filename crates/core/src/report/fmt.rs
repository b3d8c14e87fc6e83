//! Formatting shared by the Markdown and HTML renderers: times in the event's zone with their
//! T-offset, durations, values with units. Output is plain text (callers escape).

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::entries::num;
use super::model::Report;
use crate::config::layout::Unit;
use crate::time::{format_duration, t_label};

/// `2026-06-13 20:09:05 KST`.
pub(crate) fn local(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

/// `20:09:05` on the report's clock; `2026-11-24 20:09:05` when the report spans more than one
/// day (a time of day alone would be ambiguous).
pub(crate) fn clock(r: &Report, at: DateTime<Utc>) -> String {
    let fmt = if r.dated {
        "%Y-%m-%d %H:%M:%S"
    } else {
        "%H:%M:%S"
    };
    at.with_timezone(&r.tz()).format(fmt).to_string()
}

/// `20:09:05 (T+09:05)`.
pub(crate) fn when(r: &Report, at: DateTime<Utc>) -> String {
    format!("{} ({})", clock(r, at), t_label(at, r.t0))
}

/// `4m30s`; `-` for none.
pub(crate) fn dur(d: Option<TimeDelta>) -> String {
    d.map_or_else(|| "-".to_string(), format_duration)
}

/// A value with its unit: `1.5%`, `0.3 s`, `12.3 MB`, `1600`.
pub(crate) fn value(v: f64, unit: Unit) -> String {
    let (unit, v) = unit.human(v);
    match unit {
        Unit::Percent => format!("{}%", num(round(v))),
        Unit::Seconds => format!("{} s", num(round(v))),
        Unit::Bytes => {
            let (scaled, suffix) = if v.abs() >= 1e9 {
                (v / 1e9, " GB")
            } else if v.abs() >= 1e6 {
                (v / 1e6, " MB")
            } else if v.abs() >= 1e3 {
                (v / 1e3, " kB")
            } else {
                (v, " B")
            };
            format!("{}{suffix}", num(round(scaled)))
        }
        _ => num(round(v)),
    }
}

/// Three significant decimals at most.
fn round(v: f64) -> f64 {
    if v.abs() >= 100.0 {
        v.round()
    } else {
        (v * 1000.0).round() / 1000.0
    }
}

/// A share in percent with three decimals: `99.950%`.
pub(crate) fn pct(v: f64) -> String {
    format!("{v:.3}%")
}
