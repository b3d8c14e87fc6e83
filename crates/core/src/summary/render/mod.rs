//! Renderers: the summary as plain text (email, SNS), Markdown (the directory sink), Slack Block
//! Kit, a Microsoft Teams Adaptive Card (Workflows webhook), the SNS subject and message, and
//! JSON. Each reads only the [`Summary`]; the helpers here give them the same words and numbers.

use std::fmt::Write as _;

pub(crate) mod json;
pub mod markdown;
pub(crate) mod recap;
pub mod slack;
pub mod sns;
pub mod teams;
pub(crate) mod text;

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::eval::format::num;
use crate::eval::format::target_share;
use crate::model::{IncidentLine, KeyMetric, StepLine, Summary, SummaryKind};
use crate::sanitize::strip;

/// An output format of `warroom summary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Slack,
    Teams,
    Sns,
    Json,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "text" => Format::Text,
            "markdown" | "md" => Format::Markdown,
            "slack" => Format::Slack,
            "teams" => Format::Teams,
            "sns" => Format::Sns,
            "json" => Format::Json,
            other => {
                return Err(format!(
                    "unknown format \"{other}\": expected text, markdown, slack, teams, sns or json"
                ));
            }
        })
    }
}

/// Renders `s` in `format` (Slack, Teams and JSON as pretty-printed JSON).
pub fn render(s: &Summary, format: Format) -> String {
    match format {
        Format::Text => text::render(s),
        Format::Markdown => markdown::render(s),
        Format::Slack => pretty(&slack::payload(s)),
        Format::Teams => pretty(&teams::payload(s)),
        Format::Sns => {
            let m = sns::message(s);
            format!("Subject: {}\n\n{}", m.subject, m.body)
        }
        Format::Json => json::render(s),
    }
}

fn pretty(v: &serde_json::Value) -> String {
    let mut out = serde_json::to_string_pretty(v).unwrap_or_default();
    out.push('\n');
    out
}

/// A summary's clock: its time zone, and its own day. Events run for days: a time on another
/// day than the summary's shows its date (`23 Nov 10:37`), one on the same day its time alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayClock {
    pub(crate) zone: Tz,
    day: chrono::NaiveDate,
}

impl DayClock {
    /// The clock of `zone` on the day of `at`.
    pub(crate) fn new(zone: Tz, at: DateTime<Utc>) -> DayClock {
        DayClock {
            zone,
            day: at.with_timezone(&zone).date_naive(),
        }
    }

    fn format(self, t: DateTime<Utc>, zone_name: bool) -> String {
        let local = t.with_timezone(&self.zone);
        let day = if local.date_naive() == self.day {
            ""
        } else {
            "%d %b "
        };
        let zone = if zone_name { " %Z" } else { "" };
        local.format(&format!("{day}%H:%M{zone}")).to_string()
    }
}

/// The summary's clock: its time zone (UTC if the name is not known) on its own day.
pub fn tz(s: &Summary) -> DayClock {
    DayClock::new(s.time_zone.parse().unwrap_or(chrono_tz::UTC), s.at)
}

/// `21:00` on the clock's zone; `23 Nov 10:37` on another day.
pub fn local_hm(t: DateTime<Utc>, c: DayClock) -> String {
    c.format(t, false)
}

/// `21:00 KST`; `23 Nov 10:37 KST` on another day.
pub fn local_hm_z(t: DateTime<Utc>, c: DayClock) -> String {
    c.format(t, true)
}

/// `16 Jun 10:00 KST`, always dated.
pub(crate) fn local_date_hm_z(t: DateTime<Utc>, c: DayClock) -> String {
    t.with_timezone(&c.zone)
        .format("%d %b %H:%M %Z")
        .to_string()
}

/// `21:00 KST (12:00 UTC)`.
pub(crate) fn when(s: &Summary) -> String {
    let tz = tz(s);
    if tz.zone == chrono_tz::UTC {
        local_hm_z(s.at, tz)
    } else {
        format!(
            "{} ({} UTC)",
            local_hm_z(s.at, tz),
            local_hm(s.at, DayClock::new(chrono_tz::UTC, s.at))
        )
    }
}

/// `hourly update #2`, `final summary #5`, `on-demand update #3`.
pub(crate) fn kind_label(s: &Summary) -> String {
    match s.kind {
        SummaryKind::Hourly if s.kind_word() == "hourly" => format!("update #{}", s.seq),
        SummaryKind::Hourly => format!("update #{} ({})", s.seq, s.kind_word()),
        SummaryKind::Final => format!("final summary #{}", s.seq),
        SummaryKind::OnDemand => format!("on-demand update #{}", s.seq),
    }
}

/// The first line: `HYBRID-BTS ...: RED 21:00 KST (12:00 UTC), update #2`.
pub(crate) fn title(s: &Summary) -> String {
    format!(
        "{}: {} at {}, {}",
        strip(&s.event),
        s.overall.word(),
        when(s),
        kind_label(s)
    )
}

/// `from kim at 21:55: Seoul on watch, INC-2 owned by park`: the hand-over note, if any.
pub(crate) fn handover_text(s: &Summary) -> Option<String> {
    let h = s.handover.as_ref()?;
    let at = local_hm(h.at, tz(s));
    Some(format!("from {} at {at}: {}", h.who, h.text))
}

/// `20:00-21:00: 99.62% of requests succeeded (5xx 0.38%); event so far 99.71%; target 99.95%:
/// missed so far`; `cannot be judged: the layout has no 5xx series`; None when the layout
/// counts no requests.
pub fn availability_text(s: &Summary) -> Option<String> {
    let a = s.availability.as_ref()?;
    if let Some(why) = &a.unjudged {
        return Some(format!("cannot be judged: {}", strip(why)));
    }
    let tz = tz(s);
    let pct = |v: f64| format!("{v:.2}%");
    let mut out = format!("{}-{}: ", local_hm(a.from, tz), local_hm(a.to, tz));
    match a.percent {
        Some(p) => {
            let _ = write!(
                out,
                "{} of requests succeeded (5xx {})",
                pct(p),
                pct(100.0 - p)
            );
        }
        None => out.push_str("no request data for this period yet"),
    }
    let over = s.kind == SummaryKind::Final;
    if let Some(e) = a.event_percent {
        let words = if over { "whole event" } else { "event so far" };
        let _ = write!(out, "; {words} {}", pct(e));
    }
    // What the figures stand on: the report, made later, may count further.
    if let Some(t) = a
        .through
        .filter(|_| a.percent.is_some() || a.event_percent.is_some())
    {
        let _ = write!(out, " (data through {})", local_hm(t, tz));
    }
    // The target is the event's: judged on the event so far.
    if let (Some(t), Some(so_far)) = (a.target, a.event_percent.or(a.percent)) {
        let verdict = if so_far >= t { "met" } else { "missed" };
        let when = if over { "" } else { " so far" };
        let _ = write!(out, "; target {}%: {verdict}{when}", num(t));
    }
    Some(out)
}

/// `YELLOW (was RED, improving); worst since 20:00: RED`; `RED: INC-1 critical open (was
/// YELLOW, worsening)` when an open incident sets it.
pub(crate) fn status_line(s: &Summary) -> String {
    let tz = tz(s);
    let mut out = s.overall.word().to_string();
    if let Some(why) = &s.floor {
        let _ = write!(out, ": {}", strip(why));
    }
    if let Some(p) = s.previous {
        let _ = write!(out, " (was {}, {})", p.word(), s.trend.word());
    }
    if s.worst != s.overall {
        match s.since {
            Some(t) => {
                let _ = write!(out, "; worst since {}: {}", local_hm(t, tz), s.worst.word());
            }
            None => {
                let _ = write!(out, "; worst so far: {}", s.worst.word());
            }
        }
    }
    out
}

/// A value with its unit, as a reader takes it in at a glance: `1.5%`, `0.42 s`, `35,000`.
pub(crate) fn value(v: f64, unit: &str) -> String {
    match unit {
        "percent" => format!("{}%", human(v)),
        "seconds" => format!("{} s", human(v)),
        "bytes" => format!("{} B", human(v)),
        _ => human(v),
    }
}

/// A number for people rather than machines: about three significant figures (`0.17`, `2.49`,
/// `42.2`, `753`), whole numbers from 100 up, with thousands separators (`18,766`); small
/// values keep two significant figures (`0.0031`).
pub(crate) fn human(v: f64) -> String {
    if !v.is_finite() {
        return num(v);
    }
    let a = v.abs();
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // Two significant figures below 1: 0.17, 0.042, 0.0031.
        (-a.log10()).floor() as usize + 2
    };
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let text = if text == "-0" { "0".to_string() } else { text };
    group_thousands(&text)
}

/// `18766` -> `18,766` (the integer part only; a sign and decimals are kept).
fn group_thousands(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if int.len() <= 3 {
        return text.to_string();
    }
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `2.5x`, `28x`, `0.039x`: whole from ten, one decimal from a tenth, two significant figures
/// below.
pub(crate) fn ratio(r: f64) -> String {
    let r = if r.abs() >= 10.0 {
        r.round()
    } else if r.abs() >= 0.1 {
        (r * 10.0).round() / 10.0
    } else {
        r
    };
    format!("{}x", human(r))
}

/// `4,000 now (2.5x baseline 1,600); peak 35,000 at 20:03`; `low` instead of `peak` where the
/// worst is the lowest value (healthy targets); a value that cannot be judged now (its data
/// is missing or late) is the last known, and says so.
pub(crate) fn metric_text(m: &KeyMetric, tz: DayClock) -> String {
    let mut out = match m.now {
        Some(v) if m.status == crate::model::Status::Unknown => {
            format!("no current data (last known {})", value(v, &m.unit))
        }
        Some(v) => format!("{} now", value(v, &m.unit)),
        None => "no data now".to_string(),
    };
    // A ratio of a value that is not current would be stale too.
    let current = m.status != crate::model::Status::Unknown;
    let ratio_now = m.ratio.filter(|_| current);
    let mut against = Vec::new();
    match (ratio_now, m.baseline) {
        (Some(r), Some(b)) => against.push(format!("{} baseline {}", ratio(r), value(b, &m.unit))),
        (None, Some(b)) => against.push(format!("baseline {}", value(b, &m.unit))),
        _ => {}
    }
    if let Some(t) = m.target {
        against.push(match m.now.filter(|_| current) {
            Some(v) => format!("{} of target {}", target_share(v, t), value(t, &m.unit)),
            None => format!("target {}", value(t, &m.unit)),
        });
    }
    if !against.is_empty() {
        let _ = write!(out, " ({})", against.join("; "));
    }
    if let (Some(p), Some(at)) = (m.peak, m.peak_at) {
        let _ = write!(
            out,
            "; {} {} at {}",
            extreme_word(m),
            value(p, &m.unit),
            local_hm(at, tz)
        );
        if let Some(r) = reached_text(m) {
            let _ = write!(out, ", {r}");
        }
    }
    out
}

/// `target reached`, or `target not reached (best 92%)`: the event window's highest value so
/// far against the target. None before T0 or without a target.
pub(crate) fn reached_text(m: &KeyMetric) -> Option<String> {
    reached_word(m).map(|w| format!("target {w}"))
}

/// `reached`, or `not reached (best 92%)` (see [`reached_text`]).
pub(crate) fn reached_word(m: &KeyMetric) -> Option<String> {
    let (best, t) = (m.target_best?, m.target?);
    Some(if best >= t {
        "reached".to_string()
    } else {
        format!("not reached (best {})", target_share(best, t))
    })
}

/// `peak`, or `low` for a metric whose worst is its lowest value.
pub(crate) fn extreme_word(m: &KeyMetric) -> &'static str {
    if m.lowest { "low" } else { "peak" }
}

/// `INC-1 [major] Seoul DB saturated: identified; plan: ...; ETA 21:30 KST; owner: db` (times
/// on the event's clock, its zone named, as the screen says them).
pub(crate) fn incident_text(i: &IncidentLine, tz: DayClock) -> String {
    let mut out = strip(&i.id);
    if let Some(sev) = i.severity {
        let _ = write!(out, " [{}]", sev.word());
    }
    let _ = write!(out, " {}", strip(&i.title));
    let _ = write!(
        out,
        ": {}",
        i.state.map_or("open", crate::model::IncidentState::word)
    );
    if let Some(p) = &i.plan {
        let _ = write!(out, "; plan: {}", strip(p));
    }
    if let Some(e) = i.eta {
        let _ = write!(out, "; ETA {}", local_hm_z(e, tz));
    }
    if let Some(o) = &i.owner {
        let _ = write!(out, "; owner: {}", strip(o));
    }
    out
}

/// `20:08 RB-03 Unhealthy hosts (still firing; acked by noc1)`.
pub(crate) fn step_text(st: &StepLine, tz: DayClock) -> String {
    let mut tags = vec![if st.firing { "still firing" } else { "cleared" }.to_string()];
    if let Some(w) = &st.acked_by {
        tags.push(format!("acked by {}", strip(w)));
    }
    if let Some(w) = &st.done_by {
        tags.push(format!("done by {}", strip(w)));
    }
    format!(
        "{} {} {} ({})",
        local_hm(st.fired, tz),
        strip(&st.id),
        strip(&st.title),
        tags.join("; ")
    )
}

/// `8/10 criteria met (pending: cpu, waf); streak started 21:20, expected 21:35 KST`.
pub(crate) fn rtn_text(s: &Summary) -> String {
    let tz = tz(s);
    let r = &s.rtn;
    let mut out = format!("{}/{} criteria met", r.met, r.total);
    if !r.pending.is_empty() {
        let _ = write!(out, " (pending: {})", strip(&r.pending.join(", ")));
    }
    if let Some(d) = r.declared {
        let _ = write!(out, "; declared {}", local_hm_z(d, tz));
        match (&r.confirmed_by, r.confirmed_at, &r.refused) {
            (Some(w), Some(at), _) => {
                let _ = write!(out, ", confirmed by {} at {}", strip(w), local_hm(at, tz));
            }
            (Some(w), None, _) => {
                let _ = write!(out, ", confirmed by {}", strip(w));
            }
            (None, _, Some(refusal)) => {
                let _ = write!(
                    out,
                    ", not confirmed: {} refused at {} ({})",
                    strip(&refusal.who),
                    local_hm(refusal.at, tz),
                    strip(&refusal.text)
                );
            }
            (None, _, None) => out.push_str(", not yet confirmed"),
        }
        if let Some(t) = r.relapsed {
            let _ = write!(out, "; RELAPSE since {}", local_hm_z(t, tz));
        }
    }
    // A streak is expected before a declaration, or after a relapse (never while one holds).
    if let (Some(st), Some(e)) = (r.streak_start, r.expected) {
        let _ = write!(
            out,
            "; streak since {}, expected {}",
            local_hm(st, tz),
            local_hm_z(e, tz)
        );
    }
    out
}

/// What changed since the previous summary, in one line: `Since 20:00: GREEN -> RED; 1
/// incident opened; 7 runbook steps fired (4 still firing); 5 actions by the room`.
pub(crate) fn changes_text(s: &Summary) -> String {
    let mut parts = Vec::new();
    match s.previous {
        Some(p) if p != s.overall => parts.push(format!("{} -> {}", p.word(), s.overall.word())),
        Some(p) if s.worst != p => {
            parts.push(format!("{} again after {}", p.word(), s.worst.word()));
        }
        Some(p) => parts.push(format!("{} throughout", p.word())),
        None => {}
    }
    let opened = s
        .incidents_open
        .iter()
        .filter(|i| s.since.is_none_or(|t| i.opened > t))
        .count();
    let n = |k: usize, one: &str, many: &str| {
        if k == 1 {
            format!("1 {one}")
        } else {
            format!("{k} {many}")
        }
    };
    if opened > 0 {
        parts.push(n(opened, "incident opened", "incidents opened"));
    }
    if !s.incidents_resolved.is_empty() {
        parts.push(n(
            s.incidents_resolved.len(),
            "incident resolved",
            "incidents resolved",
        ));
    }
    let firing = s.steps_fired.iter().filter(|st| st.firing).count();
    match (s.steps_fired.len(), firing) {
        (0, _) => parts.push("no runbook step fired".into()),
        (k, 0) => parts.push(n(
            k,
            "runbook step fired, cleared",
            "runbook steps fired, all cleared",
        )),
        (k, f) => parts.push(format!(
            "{} ({f} still firing)",
            n(k, "runbook step fired", "runbook steps fired")
        )),
    }
    if !s.actions.is_empty() {
        parts.push(n(
            s.actions_total.unwrap_or(s.actions.len()),
            "action by the room",
            "actions by the room",
        ));
    }
    let label = since_label(s);
    let mut label = label[..1].to_uppercase() + &label[1..];
    label.push_str(": ");
    label + &parts.join("; ")
}

/// `since 20:00` or `so far`.
pub(crate) fn since_label(s: &Summary) -> String {
    s.since.map_or_else(
        || "so far".to_string(),
        |t| format!("since {}", local_hm(t, tz(s))),
    )
}

/// `Bridge: +82-2 ... · https://...` or None.
pub(crate) fn bridge(s: &Summary) -> Option<String> {
    let parts: Vec<String> = [&s.bridge_phone, &s.bridge_url]
        .into_iter()
        .flatten()
        .map(|p| strip(p))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" / "))
}

/// `22:00 KST` or `none (final summary)`.
pub(crate) fn next_text(s: &Summary) -> String {
    match s.next_update {
        Some(t) => local_hm_z(t, tz(s)),
        None if s.kind == SummaryKind::Final => "none (final summary)".to_string(),
        None => "none scheduled (event over)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_a_glance() {
        let cases = [
            (0.0, "0"),
            (0.173, "0.17"),
            (0.0031, "0.0031"),
            (0.753, "0.75"),
            (2.492, "2.49"),
            (1.5, "1.5"),
            (12.039, "12"),
            (42.191, "42.2"),
            (47.262, "47.3"),
            (753.4, "753"),
            (2897.0, "2,897"),
            (18766.0, "18,766"),
            (1_234_567.0, "1,234,567"),
            (-2500.0, "-2,500"),
            (-0.0001, "-0.0001"),
        ];
        for (v, want) in cases {
            assert_eq!(human(v), want, "{v}");
        }
        assert_eq!(value(0.173, "percent"), "0.17%");
        assert_eq!(value(12.039, "seconds"), "12 s");
        assert_eq!(ratio(1.81), "1.8x");
        assert_eq!(ratio(28.12), "28x");
        assert_eq!(ratio(80.5), "81x");
        assert_eq!(ratio(0.039), "0.039x");
        assert_eq!(ratio(0.88), "0.9x");
    }

    #[test]
    fn an_incident_eta_names_its_zone() {
        let at = "2026-06-13T11:00:00Z".parse().expect("time");
        let line = IncidentLine {
            id: "INC-1".into(),
            title: "Seoul DB saturated".into(),
            severity: None,
            state: None,
            plan: None,
            eta: Some("2026-06-13T12:30:00Z".parse().expect("time")),
            owner: None,
            opened: at,
            updated: at,
            impact_start: None,
        };
        let text = incident_text(&line, DayClock::new(chrono_tz::Asia::Seoul, at));
        assert!(text.ends_with("ETA 21:30 KST"), "{text}");
    }

    #[test]
    fn availability_reads_period_event_and_target() {
        let json = include_str!("../../../../../tests/snapshots/summary_reference_final.json");
        let mut s: Summary = serde_json::from_str(json).expect("snapshot summary");
        s.kind = SummaryKind::Hourly;
        let a = s
            .availability
            .as_mut()
            .expect("the reference counts requests");
        a.percent = Some(99.97);
        a.event_percent = Some(99.9);
        a.target = Some(99.95);
        assert_eq!(
            availability_text(&s).as_deref(),
            Some(
                "22:00-23:00: 99.97% of requests succeeded (5xx 0.03%); event so far 99.90% \
                 (data through 22:58); target 99.95%: missed so far"
            )
        );
        // The verdict is the event's: a good last hour does not make a bad event good, and
        // without an event figure the period is the event.
        // The final summary speaks of the whole event, no longer "so far".
        s.kind = SummaryKind::Final;
        assert!(availability_text(&s).is_some_and(|t| {
            t.ends_with("whole event 99.90% (data through 22:58); target 99.95%: missed")
        }));
        s.kind = SummaryKind::Hourly;
        let a = s.availability.as_mut().expect("availability");
        a.event_percent = None;
        assert!(availability_text(&s).is_some_and(|t| t.ends_with("target 99.95%: met so far")));
        s.availability = None;
        assert_eq!(availability_text(&s), None);
    }

    #[test]
    fn a_target_gets_its_column_and_its_peak_figure() {
        let json = include_str!("../../../../../tests/snapshots/summary_reference_final.json");
        let mut s: Summary = serde_json::from_str(json).expect("snapshot summary");
        // Without a target the table keeps its six columns.
        assert!(markdown::render(&s).contains("| peak or low | at |\n| --- |"));
        let shop = &mut s.metrics[0];
        shop.target = Some(25_000.0);
        shop.target_best = Some(23_073.0);
        let md = markdown::render(&s);
        assert!(md.contains("| peak or low | at | target |\n"), "{md}");
        assert!(
            md.contains(
                "| GREEN Shop requests/min | 1,811 | 2,000 | 0.9x | peak 23,073 | 20:10 | 7% of 25,000; not reached (best 92%) |\n"
            ),
            "{md}"
        );
        assert!(
            md.contains("| Seoul requests/min | 1,460 | 1,600 | 0.9x | peak 18,766 | 20:08 | - |"),
            "{md}"
        );
        let text = text::render(&s);
        assert!(
            text.contains(
                "- Shop requests/min: peak 23,073 at 20:10 (12x baseline 2,000); target 25,000 not reached (best 92%)\n"
            ),
            "{text}"
        );
        s.metrics[0].target_best = Some(25_310.0);
        assert!(text::render(&s).contains("; target 25,000 reached\n"));
    }
}
