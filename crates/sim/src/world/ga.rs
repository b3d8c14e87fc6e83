//! Global Accelerator routing in the world: which share of each client population reaches which
//! endpoint group, from endpoint health, traffic dials and fail-open, with flows moving over
//! about 30 s after every change.

// Short names (a, b, m, r, x) follow the formulas and AWS field names they mirror.
#![allow(clippy::many_single_char_names)]

use crate::model::GaHealth;

use super::super::script::Script;

/// Share of clients nearest Seoul (legitimate buyers) and of bots, by natural origin.
pub(crate) const SEOUL_ORIGIN_LEGIT: f64 = 0.8;
pub(crate) const SEOUL_ORIGIN_BOTS: f64 = 0.92;

/// Instantaneous fraction routed to the Seoul group, for Seoul-origin and Virginia-origin
/// clients.
fn instant(script: &Script, t: i64) -> (f64, f64) {
    let hs = script.ga_seoul.at(t);
    let hv = script.ga_virginia.at(t);
    let fail_open = hs == GaHealth::Unhealthy && hv == GaHealth::Unhealthy;
    let s_ok = hs != GaHealth::Unhealthy || fail_open;
    let v_ok = hv != GaHealth::Unhealthy || fail_open;
    let dial = script.dial_seoul.at(t) / 100.0;
    let from_seoul = match (s_ok, v_ok) {
        (true, true) => dial,
        (true, false) => 1.0,
        (false, _) => 0.0,
    };
    let from_virginia = if v_ok {
        0.0
    } else if s_ok {
        1.0
    } else {
        0.0
    };
    (from_seoul, from_virginia)
}

/// The routed fractions at `t`, flows shifting linearly over 30 s.
pub(crate) fn routed(script: &Script, t: i64) -> (f64, f64) {
    let mut a = 0.0;
    let mut b = 0.0;
    for k in 0..6 {
        let (x, y) = instant(script, t - 5 * k);
        a += x;
        b += y;
    }
    (a / 6.0, b / 6.0)
}

/// The routed fractions averaged over the minute starting at `s0`.
pub(crate) fn minute(script: &Script, s0: i64) -> (f64, f64) {
    let mut a = 0.0;
    let mut b = 0.0;
    for k in 0..12 {
        let (x, y) = routed(script, s0 + 2 + 5 * k);
        a += x;
        b += y;
    }
    (a / 12.0, b / 12.0)
}

/// Maximum number of unhealthy endpoints during the minute starting at `s0`.
pub(crate) fn unhealthy_max(script: &Script, s0: i64) -> f64 {
    (0..12)
        .map(|k| {
            let t = s0 + 2 + 5 * k;
            usize::from(script.ga_seoul.at(t) == GaHealth::Unhealthy)
                + usize::from(script.ga_virginia.at(t) == GaHealth::Unhealthy)
        })
        .max()
        .unwrap_or(0) as f64
}
