//! The report as Markdown (`index.md`): every section of the [`Report`], tables with escaped
//! cells, charts linked as `charts/<series>.svg`.

use std::fmt::Write as _;

use chrono::{DateTime, TimeDelta, Utc};

use super::criteria::Verdict;
use super::escape::{file_stem, md};
use super::fmt::{clock, dur, local, pct, value, when};
use super::model::{FiringTimes, Report};
use crate::eval::availability::{Availability, Basis, TargetOrigin};
use crate::eval::format::target_share;
use crate::time::t_label;

/// Appends a table row of already-escaped cells.
fn row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(c);
        out.push_str(" |");
    }
    out.push('\n');
}

fn head(out: &mut String, titles: &[&str]) {
    row(
        out,
        &titles.iter().map(|t| (*t).to_string()).collect::<Vec<_>>(),
    );
    row(
        out,
        &titles.iter().map(|_| "---".to_string()).collect::<Vec<_>>(),
    );
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let tz = r.tz();
    let _ = writeln!(out, "# Post-mortem: {}\n", md(&r.name));
    let _ = writeln!(
        out,
        "- Event window: {} to {} ({} to {} UTC)",
        md(&local(r.t0, tz)),
        md(&local(r.end, tz)),
        md(&r.t0.format("%Y-%m-%d %H:%M:%S").to_string()),
        md(&r
            .end
            .format(if crate::time::crosses_day(r.t0, r.end, chrono_tz::UTC) {
                "%Y-%m-%d %H:%M:%S"
            } else {
                "%H:%M:%S"
            })
            .to_string())
    );
    if let Some((a, b)) = r.span {
        let _ = writeln!(
            out,
            "- Recording: {} to {} ({} to {})",
            md(&local(a, tz)),
            md(&local(b, tz)),
            md(&t_label(a, r.t0)),
            md(&t_label(b, r.t0))
        );
    } else {
        out.push_str("- Recording: no events\n");
    }
    let _ = writeln!(out, "- Source: {}", md(&r.source));
    for l in &r.limits {
        let _ = writeln!(out, "- Not in this recording: {}", md(l));
    }
    out.push('\n');
    criteria(&mut out, r);
    super::readiness::section(&mut out, r.readiness.as_ref());
    availability(&mut out, r);
    peaks(&mut out, r);
    timeline(&mut out, r);
    response(&mut out, r);
    charts(&mut out, r);
    waf(&mut out, r);
    quality(&mut out, r);
    out
}

fn criteria(out: &mut String, r: &Report) {
    out.push_str("## Success criteria\n\n");
    if r.criteria.is_empty() {
        out.push_str("The layout lists no success criteria.\n\n");
        return;
    }
    head(out, &["Criterion", "Verdict", "Why"]);
    for c in &r.criteria {
        let verdict = match c.verdict {
            Verdict::Met => "**met**".to_string(),
            Verdict::NotMet => "**NOT met**".to_string(),
            Verdict::CannotJudge => c.verdict.word().to_string(),
        };
        row(out, &[md(&c.text), verdict, md(&c.detail)]);
    }
    out.push('\n');
}

/// What availability was counted on (the load balancers, or the layout's `[availability]`),
/// and against which target.
fn counted_on(out: &mut String, a: &Availability) {
    match &a.basis {
        Basis::LoadBalancers(lbs) => {
            let _ = writeln!(
                out,
                "Share of requests without a 5xx (target and load-balancer 5xx over `RequestCount`), load balancers: {}.\n",
                md(&lbs.join(", "))
            );
        }
        Basis::Series { requests, errors } => {
            // `API requests (api.count)`; the id alone when it is the label.
            let names = |v: &[(String, String)]| -> String {
                v.iter()
                    .map(|(id, label)| {
                        if id == label {
                            md(id)
                        } else {
                            md(&format!("{label} ({id})"))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "Share of requests without a 5xx, on the series the layout's `[availability]` names: requests {}; errors {}.\n",
                names(requests),
                names(errors)
            );
        }
    }
    match &a.target {
        Some((t, TargetOrigin::Layout)) => {
            let _ = writeln!(
                out,
                "Target: {} (layout `availability_target`).\n",
                md(&pct(*t))
            );
        }
        Some((t, TargetOrigin::Criterion(c))) => {
            let _ = writeln!(
                out,
                "Target: {} (from the success criterion \"{}\").\n",
                md(&pct(*t)),
                md(c)
            );
        }
        None => out.push_str(
            "Target: none (no `availability_target` and no success criterion states one).\n\n",
        ),
    }
}

fn availability(out: &mut String, r: &Report) {
    out.push_str("## Availability per hour\n\n");
    let a = match &r.availability {
        Ok(a) => a,
        Err(why) => {
            let _ = writeln!(out, "Availability cannot be judged: {}.\n", why.reason());
            return;
        }
    };
    counted_on(out, a);
    head(
        out,
        &[
            "Hour",
            "Requests",
            "With 5xx",
            "Without 5xx",
            "Target",
            "Buckets with data",
        ],
    );
    // Hours that ended before the recording's first event: what its first poll read back.
    let started = r.span.map(|s| s.0);
    let history = |h: DateTime<Utc>| started.is_some_and(|s| h + TimeDelta::hours(1) <= s);
    for (h, t) in &a.hours {
        let share = t.share();
        let verdict = match (share, &a.target) {
            (Some(s), Some((target, _))) if s >= *target => "met",
            (Some(_), Some(_)) => "**missed**",
            _ => "-",
        };
        row(
            out,
            &[
                md(&format!(
                    "{} ({}){}",
                    clock(r, *h),
                    t_label(*h, r.t0),
                    if history(*h) { ", history" } else { "" }
                )),
                md(&super::entries::num(t.requests.round())),
                md(&super::entries::num(t.errors.round())),
                md(&share.map_or_else(|| "-".into(), pct)),
                verdict.to_string(),
                md(&format!("{}/{}", t.known, t.expected)),
            ],
        );
    }
    if let Some(s) = started.filter(|_| a.hours.iter().any(|(h, _)| history(*h))) {
        let _ = writeln!(
            out,
            "\nHours marked \"history\" ended before the recording started ({}): their figures \
             are what its first poll read back from CloudWatch.",
            md(&clock(r, s))
        );
    }
    let w = &a.window;
    let _ = writeln!(
        out,
        "\nEvent window: {} of {} requests without 5xx{}.\n",
        md(&w.share().map_or_else(|| "-".into(), pct)),
        md(&super::entries::num(w.requests.round())),
        md(&w
            .through
            .map_or_else(String::new, |t| format!(", through {}", clock(r, t))))
    );
}

fn peaks(out: &mut String, r: &Report) {
    out.push_str("## Peaks against baseline\n\n");
    out.push_str("The worst values of the event window (T0 to the end); the charts show the whole recording.\n\n");
    // A target column only where a series has an event target: other reports keep their table.
    let targets = r.peaks.iter().any(|p| p.target.is_some());
    let mut titles = vec![
        "Series",
        "Baseline",
        "Worst",
        "When",
        "x baseline",
        "Threshold",
    ];
    if targets {
        titles.push("Target");
    }
    head(out, &titles);
    for p in &r.peaks {
        let (worst, at, ratio) = match p.worst {
            Some((t, v)) => (
                format!(
                    "{}{}",
                    if p.low { "min " } else { "max " },
                    value(v, p.unit)
                ),
                when(r, t),
                p.baseline
                    .filter(|b| *b != 0.0)
                    .map_or_else(|| "-".into(), |b| format!("{:.1}x", v / b)),
            ),
            None => ("no data".into(), "-".into(), "-".into()),
        };
        let mut cells = vec![
            md(&format!("{} ({})", p.label, p.id)),
            md(&p.baseline.map_or_else(|| "-".into(), |b| value(b, p.unit))),
            md(&worst),
            md(&at),
            md(&ratio),
            if p.crossed.is_empty() {
                "-".into()
            } else {
                format!("**{}**", p.crossed)
            },
        ];
        if targets {
            cells.push(
                p.target
                    .map_or_else(|| "-".into(), |t| md(&target_cell(p, t))),
            );
        }
        row(out, &cells);
    }
    out.push('\n');
}

/// `2,000: reached (116%)`, `2,000: not reached (best 92%)`: the event window's highest value
/// against the series' event target.
fn target_cell(p: &super::model::Peak, t: f64) -> String {
    let target = value(t, p.unit);
    match p.best {
        Some(b) if b >= t => format!("{target}: reached ({})", target_share(b, t)),
        Some(b) => format!("{target}: not reached (best {})", target_share(b, t)),
        None => format!("{target}: no data"),
    }
}

fn timeline(out: &mut String, r: &Report) {
    out.push_str("## Timeline\n\n");
    let tz = r.tz();
    head(out, &["Time", "T", "Kind", "What"]);
    for e in &r.timeline {
        let what = if e.post_mortem {
            format!("{} (post-mortem note)", e.text)
        } else {
            e.text.clone()
        };
        row(
            out,
            &[
                md(&local(e.at, tz)),
                md(&t_label(e.at, r.t0)),
                md(e.category.word()),
                md(&what),
            ],
        );
    }
    out.push('\n');
}

/// One firing of a step in the response table: who answered it and how soon (never negative:
/// only answers made in its episode count; an earlier one is named as such).
fn firing_row(
    out: &mut String,
    r: &Report,
    step: &super::model::StepTimes,
    (nth, of): (usize, usize),
    firing: &FiringTimes,
) {
    let who = |mark: &Option<crate::store::Mark>, kind: &str| {
        mark.as_ref()
            .map(|m| format!("{kind}{} by {}", when(r, m.at), m.who))
    };
    let history = firing.earlier.as_ref().map_or_else(String::new, |a| {
        format!(
            " ({} {} by {}, before this firing)",
            a.kind.word(),
            when(r, a.mark.at),
            a.mark.who
        )
    });
    let ack = firing.acked.as_ref().map(|m| m.at);
    let done = firing.done.as_ref().map(|m| m.at);
    let since = |from: Option<chrono::DateTime<chrono::Utc>>,
                 to: Option<chrono::DateTime<chrono::Utc>>| {
        dur(from
            .zip(to)
            .map(|(a, b)| b - a)
            .filter(|d| *d >= chrono::TimeDelta::zero()))
    };
    row(
        out,
        &[
            md(&format!("{} {}", step.id, step.title)),
            md(&when(r, firing.at)),
            if of == 1 {
                "1".into()
            } else {
                format!("{} of {of}", nth + 1)
            },
            md(&(who(&firing.acked, "").unwrap_or_else(|| "never".into()) + &history)),
            md(&since(Some(firing.at), ack)),
            md(&who(&firing.done, "")
                .or_else(|| who(&firing.skipped, "skipped "))
                .unwrap_or_else(|| "never".into())),
            md(&since(ack, done)),
            md(&since(Some(firing.at), done)),
        ],
    );
}

fn response(out: &mut String, r: &Report) {
    out.push_str("## Response times\n\n");
    let fired: Vec<_> = r.steps.iter().filter(|s| s.fired.is_some()).collect();
    if fired.is_empty() {
        out.push_str("No runbook step fired.\n\n");
    } else {
        head(
            out,
            &[
                "Step",
                "Fired",
                "Firing",
                "Acknowledged",
                "Fired to ack",
                "Done",
                "Ack to done",
                "Fired to done",
            ],
        );
        for s in fired {
            // Each firing is answered on its own: response times are per firing.
            let fallback;
            let firings = if s.firings.is_empty() {
                fallback = s.fired.map(|at| FiringTimes {
                    at,
                    acked: None,
                    done: None,
                    skipped: None,
                    earlier: None,
                });
                fallback.as_slice()
            } else {
                &s.firings[..]
            };
            for (k, f) in firings.iter().enumerate() {
                firing_row(out, r, s, (k, firings.len()), f);
            }
        }
        out.push('\n');
    }
    let never: Vec<String> = r
        .steps
        .iter()
        .filter(|s| s.fired.is_none())
        .map(|s| md(&format!("{} {}", s.id, s.title)))
        .collect();
    if !never.is_empty() {
        out.push_str("Steps that never fired:\n\n");
        for n in never {
            let _ = writeln!(out, "- {n}");
        }
        out.push('\n');
    }
    incidents(out, r);
}

/// The outages and the incidents the room opened, with their times to resolve.
fn incidents(out: &mut String, r: &Report) {
    out.push_str("### Incidents\n\n");
    outages(out, r);
    if r.incidents.is_empty() {
        out.push_str("No incident was opened.\n\n");
        return;
    }
    head(
        out,
        &[
            "Incident",
            "Severity",
            "Impact from",
            "Opened",
            "Resolved",
            "Time to resolve",
        ],
    );
    for i in &r.incidents {
        row(
            out,
            &[
                md(&format!("{} {}", i.id, i.title.as_deref().unwrap_or(""))),
                md(i.severity.map_or("-", crate::model::Severity::word)),
                md(&when(r, i.impact_start)),
                md(&format!("{} by {}", when(r, i.opened.at), i.opened.who)),
                md(&i
                    .resolved
                    .map_or_else(|| "not resolved".into(), |t| when(r, t))),
                md(&dur(i.time_to_resolve())),
            ],
        );
    }
    out.push('\n');
}

fn charts(out: &mut String, r: &Report) {
    out.push_str("## Charts\n\nBaseline band in blue, warn and crit zones in amber and red; shaded: overall status red and open incidents.\n\n");
    for c in &r.charts {
        let _ = writeln!(
            out,
            "![{}](charts/{}.svg)\n",
            md(&c.title),
            file_stem(&c.id)
        );
    }
}

/// The periods the data was RED, incident or not (an open incident's floor is not an outage).
fn outages(out: &mut String, r: &Report) {
    if r.outages.is_empty() {
        out.push_str("The overall status was never RED.\n\n");
        return;
    }
    head(out, &["Outage (data RED)", "From", "To", "Length"]);
    for (k, p) in r.outages.iter().enumerate() {
        let to = if p.open {
            format!("{} (still RED)", when(r, p.to))
        } else {
            when(r, p.to)
        };
        row(
            out,
            &[
                format!("{}", k + 1),
                md(&when(r, p.from)),
                md(&to),
                md(&dur(Some(p.to - p.from))),
            ],
        );
    }
    out.push('\n');
}

fn waf(out: &mut String, r: &Report) {
    out.push_str("## WAF\n\n");
    if r.waf.is_empty() {
        out.push_str("The layout watches no web ACL.\n\n");
        return;
    }
    for w in &r.waf {
        let _ = writeln!(out, "### {} ({})\n", md(&w.name), md(&w.id));
        waf_counts(out, w);
        for (title, rows) in [
            ("Top blocked client IPs (samples)", &w.top_ips),
            ("Top blocked countries (samples)", &w.top_countries),
        ] {
            if rows.is_empty() {
                continue;
            }
            head(out, &[title, "Blocked samples", "Share of blocked samples"]);
            for (k, n) in rows {
                row(
                    out,
                    &[
                        md(k),
                        n.to_string(),
                        share_text(share(*n, w.samples_blocked)),
                    ],
                );
            }
            out.push('\n');
        }
        if !w.ratio.is_empty() {
            let _ = writeln!(
                out,
                "![Block ratio {}](charts/{}.svg)\n",
                md(&w.name),
                super::waf_chart_id(&w.id)
            );
        }
    }
}

#[allow(clippy::cast_precision_loss)] // counts of samples, far below 2^52
fn share(n: u64, all: u64) -> Option<f64> {
    (all > 0).then(|| 100.0 * n as f64 / all as f64)
}

fn share_text(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.1}%"))
}

/// The counts (the metrics'), the samples as samples, and their reconciliation: the metrics'
/// and the samples' shares by rule side by side, and what the weighted samples extrapolate to
/// against what was counted.
fn waf_counts(out: &mut String, w: &super::waf::WafSection) {
    let n = |v: f64| md(&super::entries::num(v.round()));
    if let Some(total) = w.blocked_total {
        let _ = writeln!(
            out,
            "Blocked requests in the event window (AWS WAF metrics, `BlockedRequests`, counted): {}.\n",
            n(total)
        );
    }
    let _ = writeln!(
        out,
        "Sampled requests over the recording (`GetSampledRequests`): {} distinct samples kept, {} of them blocked. \
         These are a sample, not a count: AWS returns a few requests per sampling window and \
         weights each by how many requests of its window it stands for. A rule's share of the \
         blocked samples' weights estimates its share of blocked requests; the counts are the \
         metrics'.\n",
        w.samples, w.samples_blocked
    );
    let rows = w.reconcile();
    if !rows.is_empty() {
        head(
            out,
            &[
                "Rule",
                "Blocked (metrics)",
                "Share (metrics)",
                "Blocked samples",
                "Share (samples, weighted)",
            ],
        );
        for r in &rows {
            row(
                out,
                &[
                    md(&r.rule),
                    r.metrics.map_or_else(|| "-".into(), n),
                    share_text(r.metrics_share),
                    r.samples.to_string(),
                    share_text(r.weight_share),
                ],
            );
        }
        out.push('\n');
    }
    if w.weighted_blocked > 0 {
        #[allow(clippy::cast_precision_loss)]
        let weighted = w.weighted_blocked as f64;
        let against = match w.blocked_total.filter(|t| *t > 0.0) {
            Some(t) => format!(", {:.1}x the {} the metrics counted", weighted / t, n(t)),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "Reconciliation: AWS weights each sample by the requests of its sampling window it \
             stands for; summed over polls whose windows overlap, the blocked samples' weights \
             extrapolate to {} blocked requests{against}. That is an estimate that overstates \
             where windows overlap, not a count: the counts above are the metrics'.\n",
            n(weighted)
        );
    }
}

fn quality(out: &mut String, r: &Report) {
    out.push_str("## Data quality\n\n");
    let q = &r.quality;
    if let Some(s) = &q.skipped {
        let _ = writeln!(out, "- Recording: {}", md(s));
    }
    if let Some(s) = &q.postmortem {
        let _ = writeln!(out, "- Post-mortem: {}", md(s));
    }
    if q.unknown_ids > 0 {
        let _ = writeln!(
            out,
            "- {} events named ids the layout does not know (ignored)",
            q.unknown_ids
        );
    }
    out.push_str("\n### Gaps\n\n");
    if q.gaps.is_empty() {
        out.push_str("No missing buckets.\n\n");
    } else {
        head(out, &["From", "To", "Length", "Series"]);
        for g in &q.gaps {
            row(
                out,
                &[
                    md(&when(r, g.from)),
                    md(&when(r, g.to)),
                    md(&dur(Some(g.to - g.from))),
                    md(&summarise(&g.series)),
                ],
            );
        }
        out.push('\n');
    }
    out.push_str("### Stale periods\n\n");
    if q.stale.is_empty() {
        out.push_str("No series went stale.\n\n");
    } else {
        head(out, &["From", "To", "Length", "Series"]);
        for p in &q.stale {
            row(
                out,
                &[
                    md(&when(r, p.from)),
                    md(&format!(
                        "{}{}",
                        when(r, p.to),
                        if p.open { " (end of recording)" } else { "" }
                    )),
                    md(&dur(Some(p.length()))),
                    md(&p.detail),
                ],
            );
        }
        out.push('\n');
    }
    out.push_str("### Sources that failed\n\n");
    if q.outages.is_empty() {
        out.push_str("No source reported a failure.\n\n");
    } else {
        head(out, &["Source", "State", "From", "To", "For"]);
        for (s, p) in &q.outages {
            row(
                out,
                &[
                    md(s),
                    md(&p.detail),
                    md(&when(r, p.from)),
                    md(&format!(
                        "{}{}",
                        when(r, p.to),
                        if p.open { " (end of recording)" } else { "" }
                    )),
                    md(&dur(Some(p.length()))),
                ],
            );
        }
        out.push('\n');
    }
}

/// `a, b, c and 7 more`.
pub(crate) fn summarise(ids: &[String]) -> String {
    const SHOWN: usize = 4;
    let mut s = ids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        let _ = write!(s, " and {} more", ids.len() - SHOWN);
    }
    s
}
