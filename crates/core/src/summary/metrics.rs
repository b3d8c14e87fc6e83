//! Key metrics of a summary: each series the layout names (leadership's business metrics
//! first), now, its worst value since T0 and
//! when (buckets the bounded ring no longer holds included), its baseline and the ratio to it,
//! read from the state's series buffers.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::layout::{Layout, Unit};
use crate::eval::Evaluation;
use crate::model::{KeyMetric, Status};
use crate::store::{SeriesBuf, State};

/// The word of the unit a reader is shown (see [`Unit::human`]).
fn unit_word(u: Unit) -> &'static str {
    match u.human(0.0).0 {
        Unit::Count => "count",
        Unit::Percent => "percent",
        Unit::Seconds => "seconds",
        Unit::Bytes => "bytes",
        _ => "",
    }
}

/// Four decimals: enough for any dashboard number, and exact through JSON (a decimal with few
/// digits parses back to the same double).
pub(super) fn r4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// The key metrics at `at`.
pub(crate) fn key_metrics(
    layout: &Layout,
    state: &State,
    eval: &Evaluation,
    at: DateTime<Utc>,
) -> Vec<KeyMetric> {
    let from = if at > layout.event.start {
        layout.event.start
    } else {
        at - TimeDelta::hours(1)
    };
    let lead = &layout.summary.leadership;
    let rest = layout
        .summary
        .metrics
        .iter()
        .filter(|id| !lead.contains(id));
    lead.iter()
        .chain(rest)
        .filter_map(|id| {
            let i = layout.series_index(id)?;
            let series = &layout.series[i];
            let buf = state.series(i);
            let judged = eval.series.get(i);
            let below = series.worst_is_lowest();
            // Since T0: what the ring holds, and what it held once (long events outlive it).
            let gone = buf.evicted();
            let mut peak: Option<(f64, DateTime<Utc>)> = if from == layout.event.start {
                if below { gone.min } else { gone.max }.map(|(k, v)| (v, buf.start_of(k)))
            } else {
                None
            };
            for s in buf.iter_window(from, at) {
                let Some(v) = s.value() else { continue };
                let worse = peak.is_none_or(|(p, _)| if below { v < p } else { v > p });
                if worse {
                    peak = Some((v, s.ts));
                }
            }
            let now = judged.and_then(|j| j.value);
            let baseline = series.baseline;
            let ratio = match (now, baseline) {
                (Some(n), Some(b)) if b.abs() > f64::EPSILON && series.ratio_informs() => {
                    Some(r4(n / b))
                }
                _ => None,
            };
            // Summaries carry values in the unit they are read in (milliseconds as seconds).
            let human = |v: f64| series.unit.human(v).1;
            let (now, baseline) = (now.map(human), baseline.map(human));
            let peak = peak.map(|(v, t)| (human(v), t));
            let target = series.target.map(human);
            let target_best = target
                .and_then(|_| highest_in_event(layout, buf, at))
                .map(human);
            Some(KeyMetric {
                id: series.id.clone(),
                label: series.label.clone(),
                unit: unit_word(series.unit).to_string(),
                status: judged.map_or(Status::Unknown, |j| j.status),
                now: now.map(r4),
                peak: peak.map(|p| r4(p.0)),
                lowest: below,
                peak_at: peak.map(|p| p.1),
                baseline,
                ratio,
                ratio_hidden: !series.ratio_informs(),
                leadership: lead.contains(id),
                unjudged: series.threshold.is_none(),
                target: target.map(r4),
                target_best: target_best.map(r4),
            })
        })
        .collect()
}

/// The highest value of the event window (T0 to the end) up to `at`, buckets the ring no longer
/// holds included: what an event target is reached by. None before T0.
fn highest_in_event(layout: &Layout, buf: &SeriesBuf, at: DateTime<Utc>) -> Option<f64> {
    let (start, end) = (layout.event.start, layout.event.end);
    if at <= start {
        return None;
    }
    buf.iter_window(start, at.min(end))
        .filter_map(|s| s.value())
        .chain(buf.evicted().max.map(|(_, v)| v))
        .reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Evaluator;
    use crate::eval::test_support::metrics;

    /// The reference layout as shipped, with Seoul's and Virginia's requests at `seoul` and
    /// `virginia` a minute from T0 to T+10m: the key metrics of the shop's requests (judged
    /// against their baseline) and of Seoul's (not judged).
    fn requests(seoul: f64, virginia: f64) -> (KeyMetric, KeyMetric) {
        let layout =
            crate::config::load_texts(&crate::builtin::layout(), Some(&crate::builtin::runbook()))
                .expect("the reference layout");
        let t0 = layout.event.start;
        let mut state = State::new(&layout);
        let mut ev = Evaluator::new(&layout);
        let mut last = None;
        for m in 0..10 {
            let b = t0 + TimeDelta::minutes(m);
            let (s, v) = ([(b, seoul, false)], [(b, virginia, false)]);
            let at = b + TimeDelta::minutes(2);
            state.apply(&metrics(
                at,
                b,
                b + TimeDelta::minutes(1),
                &[("seoul.requests", &s[..]), ("virginia.requests", &v[..])],
            ));
            last = Some((ev.evaluate(&state, at), at));
        }
        let (e, at) = last.expect("evaluated");
        let all = key_metrics(&layout, &state, &e, at);
        let find = |id: &str| {
            all.iter()
                .find(|k| k.id == id)
                .cloned()
                .expect("a key metric")
        };
        (find("shop.requests"), find("seoul.requests"))
    }

    #[test]
    fn business_traffic_far_below_its_baseline_is_not_green() {
        // 160 a minute in both regions against 2,000: 0.08x.
        let (shop, seoul) = requests(110.0, 50.0);
        assert_eq!(shop.ratio, Some(0.08));
        assert_eq!(shop.status, Status::Red, "{shop:?}");
        assert!(shop.leadership && !shop.unjudged);
        assert_eq!(requests(700.0, 200.0).0.status, Status::Yellow);
        assert_eq!(requests(1600.0, 400.0).0.status, Status::Green);
        // A failover moves the buyers to Virginia: the shop's traffic is whole.
        assert_eq!(requests(0.0, 2000.0).0.status, Status::Green);
        // Its figure is still the peak, not the low.
        assert!(!shop.lowest);
        // Seoul's own requests have no threshold: no status word claims they are fine.
        assert!(seoul.unjudged, "{seoul:?}");
        assert_eq!(seoul.ratio, Some(0.0688));
    }

    /// The reference layout with the shop's requests expecting 2,000 a minute (its baseline is
    /// 2,000 too), Seoul's requests `per_minute` a minute from `from` (minutes from T0), the
    /// key metric read at the end of the last.
    fn shop_with_target(from: i64, per_minute: &[f64]) -> KeyMetric {
        let mut file = crate::builtin::layout();
        file.text = file.text.replace(
            "baseline = 2000\nthreshold",
            "baseline = 2000\ntarget = 2000\nthreshold",
        );
        let layout = crate::config::load_texts(&file, Some(&crate::builtin::runbook()))
            .expect("the reference layout with a target");
        let t0 = layout.event.start;
        let mut state = State::new(&layout);
        let mut ev = Evaluator::new(&layout);
        let mut last = None;
        for (m, v) in (from..).zip(per_minute) {
            let b = t0 + TimeDelta::minutes(m);
            let (s, z) = ([(b, *v, false)], [(b, 0.0, false)]);
            let at = b + TimeDelta::minutes(1);
            state.apply(&metrics(
                at,
                b,
                at,
                &[("seoul.requests", &s[..]), ("virginia.requests", &z[..])],
            ));
            last = Some((ev.evaluate(&state, at), at));
        }
        let (e, at) = last.expect("evaluated");
        key_metrics(&layout, &state, &e, at)
            .into_iter()
            .find(|k| k.id == "shop.requests")
            .expect("the shop's requests")
    }

    #[test]
    fn a_metric_says_how_far_it_is_from_its_event_target() {
        let at = "2026-06-13T11:00:00Z".parse().expect("time");
        let tz = crate::summary::render::DayClock::new(chrono_tz::UTC, at);
        let text = |k: &KeyMetric| crate::summary::render::metric_text(k, tz);
        // 900 a minute now, 2,310 at T+1m: the target was reached.
        let k = shop_with_target(0, &[500.0, 2310.0, 1200.0, 900.0]);
        assert_eq!((k.target, k.target_best), (Some(2000.0), Some(2310.0)));
        let t = text(&k);
        assert!(
            t.starts_with("900 now (0.5x baseline 2,000; 45% of target 2,000); peak 2,310 at "),
            "{t}"
        );
        assert!(t.ends_with(", target reached"), "{t}");
        // Short of it: the best share, never rounded up to 100%.
        let t = text(&shop_with_target(0, &[1850.0, 1999.0, 900.0]));
        assert!(t.ends_with("target not reached (best 99%)"), "{t}");
        // Before T0 nothing is reached or missed yet; the share is still said.
        let k = shop_with_target(-5, &[900.0, 900.0, 900.0]);
        assert_eq!(k.target_best, None);
        let t = text(&k);
        assert!(
            t.contains("45% of target 2,000") && !t.contains("reached"),
            "{t}"
        );
        // A metric without a target says nothing of one, and its JSON has no target keys.
        let (shop, _) = requests(700.0, 200.0);
        assert!(!text(&shop).contains("target"), "{}", text(&shop));
        let json = serde_json::to_string(&shop).expect("json");
        assert!(!json.contains("target"), "{json}");
    }
}
