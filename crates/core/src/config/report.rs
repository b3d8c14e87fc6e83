//! The one-screen summary of a validated layout that `warroom check` prints: what will be
//! polled where, which runbook steps can fire, how return to normal and summaries are judged.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::TimeDelta;

use super::layout::{Layout, SeriesSource, Sink, WafScope};
use crate::eval::success::Method;

/// Longest line before wrapping or clipping.
const WIDTH: usize = 100;

pub fn check_report(layout: &Layout) -> String {
    let mut out = String::new();
    let e = &layout.event;
    let tz = e.tz();
    line(&mut out, &format!("layout           {}", layout.path));
    line(&mut out, &format!("event            {}", e.name));
    // The event's zone, then UTC; both ends dated (events run for days).
    let mut zones = vec![tz];
    if tz != chrono_tz::UTC {
        zones.push(chrono_tz::UTC);
    }
    for zone in zones {
        line(
            &mut out,
            &format!(
                "                 {} -> {} {}",
                e.start.with_timezone(&zone).format("%Y-%m-%d %H:%M"),
                e.end.with_timezone(&zone).format("%Y-%m-%d %H:%M"),
                zone.name(),
            ),
        );
    }
    let accounts: Vec<String> = layout
        .accounts
        .iter()
        .map(|a| {
            let mut how: Vec<String> = Vec::new();
            how.extend(a.account_id.clone());
            how.extend(a.profile.as_ref().map(|p| format!("profile {p}")));
            how.extend(a.role_arn.as_ref().map(|r| format!("role {r}")));
            if how.is_empty() {
                how.push("default credentials".into());
            }
            format!("{} ({})", a.id, how.join(", "))
        })
        .collect();
    line(
        &mut out,
        &format!("accounts         {}", accounts.join("; ")),
    );
    line(
        &mut out,
        &format!("regions          {}", layout.regions().join(", ")),
    );
    series(&mut out, layout);
    resources(&mut out, layout);
    runbook(&mut out, layout);
    let rtn = &layout.return_to_normal;
    line(
        &mut out,
        &format!(
            "return to normal {} criteria held for {}",
            rtn.criteria.len(),
            dur(rtn.streak)
        ),
    );
    for c in &rtn.criteria {
        line(&mut out, &format!("  - {}: {}", c.name, c.text));
    }
    availability(&mut out, layout);
    targets(&mut out, layout);
    success(&mut out, layout);
    summary(&mut out, layout);
    out
}

/// The series the report will judge availability on, and the target; or why it cannot.
fn availability(out: &mut String, layout: &Layout) {
    use crate::eval::availability::{Basis, counted, target};
    let label = "availability     ";
    let words = |text: &str| -> Vec<String> { text.split(' ').map(str::to_string).collect() };
    let counted = match counted(layout) {
        Ok(c) => c,
        Err(why) => {
            wrapped(
                out,
                label,
                &words(&format!("cannot be judged: {}", why.reason())),
            );
            return;
        }
    };
    let ids = |v: &[(String, String)]| -> String {
        v.iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let on = match &counted.basis {
        // `app/BTS-ALB/50dc6c495c0c9188` as `BTS-ALB`, as the target groups name it.
        Basis::LoadBalancers(lbs) => format!(
            "RequestCount and 5xx counts of load balancers {}",
            lbs.iter()
                .map(|lb| lb.split('/').nth(1).unwrap_or(lb))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Basis::Series { requests, errors } => {
            format!("requests {}; errors {}", ids(requests), ids(errors))
        }
    };
    let goal =
        target(layout).map_or_else(|| "no target".to_string(), |(t, _)| format!("target {t}%"));
    wrapped(out, label, &words(&format!("{on}; {goal}")));
}

/// The event targets the series carry (`orders 2000`), when any: the screen, the summaries and
/// the report say how far each is from its target.
fn targets(out: &mut String, layout: &Layout) {
    let items: Vec<String> = layout
        .series
        .iter()
        .filter_map(|s| s.target.map(|t| format!("{} {t}", s.id)))
        .collect();
    if !items.is_empty() {
        let mut words = items
            .join(", ")
            .split(' ')
            .map(str::to_string)
            .collect::<Vec<_>>();
        words.push("(reached or not, in the summaries and the report)".into());
        wrapped(out, "event targets    ", &words);
    }
}

/// Appends one line, stripped of control, escape and bidi characters (names and titles come
/// from the layout and runbook files) and cut at [`WIDTH`].
fn line(out: &mut String, s: &str) {
    let s = crate::sanitize::strip(s);
    if s.chars().count() > WIDTH {
        let clipped: String = s.chars().take(WIDTH - 3).collect();
        let _ = writeln!(out, "{clipped}...");
    } else {
        let _ = writeln!(out, "{s}");
    }
}

/// Appends words after a label, wrapping with an indent.
fn wrapped(out: &mut String, label: &str, words: &[String]) {
    let indent = " ".repeat(label.len());
    let mut cur = label.to_string();
    let mut first = true;
    for w in words {
        if !first && cur.len() + 1 + w.len() > WIDTH {
            line(out, &cur);
            cur.clone_from(&indent);
            first = true;
        }
        if !first {
            cur.push(' ');
        }
        cur.push_str(w);
        first = false;
    }
    line(out, &cur);
}

fn series(out: &mut String, layout: &Layout) {
    let math = layout
        .series
        .iter()
        .filter(|s| matches!(s.source, SeriesSource::Math { .. }))
        .count();
    line(
        out,
        &format!(
            "series           {} ({} CloudWatch, {} metric math marked =)",
            layout.series.len(),
            layout.series.len() - math,
            math
        ),
    );
    let mut by_region: BTreeMap<&str, Vec<&super::layout::Series>> = BTreeMap::new();
    for s in &layout.series {
        by_region.entry(s.region.as_str()).or_default().push(s);
    }
    for (region, list) in by_region {
        // Group ids by their first component: seoul.{requests, p99}.
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for s in &list {
            let (head, tail) = s.id.split_once('.').unwrap_or(("", s.id.as_str()));
            let mark = if matches!(s.source, SeriesSource::Math { .. }) {
                "="
            } else {
                ""
            };
            let name = format!("{tail}{mark}");
            match groups.iter_mut().find(|(h, _)| *h == head) {
                Some((_, v)) => v.push(name),
                None => groups.push((head, vec![name])),
            }
        }
        let words: Vec<String> = groups
            .into_iter()
            .map(|(head, tails)| match (head, tails.len()) {
                ("", _) => tails.join(" "),
                (_, 1) => format!("{head}.{}", tails[0]),
                _ => format!("{head}.{{{}}}", tails.join(", ")),
            })
            .flat_map(|g| g.split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect();
        wrapped(out, &format!("  {region:<15}{:>3} ", list.len()), &words);
    }
}

fn resources(out: &mut String, layout: &Layout) {
    let tgs: Vec<String> = layout
        .target_groups
        .iter()
        .map(|t| format!("{} ({} @ {}, {})", t.id, t.name, t.load_balancer, t.region))
        .collect();
    list(out, "target groups", &tgs);
    let accelerators: Vec<String> = layout
        .accelerators
        .iter()
        .map(|a| {
            let groups: Vec<String> = a
                .endpoint_groups
                .iter()
                .map(|g| format!("{} -> {} dial {}", g.region, g.endpoint, g.dial))
                .collect();
            format!("{} ({}): {}", a.id, a.name, groups.join(", "))
        })
        .collect();
    list(out, "accelerators", &accelerators);
    let acls: Vec<String> = layout
        .web_acls
        .iter()
        .map(|w| {
            let scope = match w.scope {
                WafScope::Regional => "REGIONAL",
                WafScope::Cloudfront => "CLOUDFRONT",
            };
            format!("{} ({}, {scope} {})", w.id, w.name, w.region)
        })
        .collect();
    list(out, "web ACLs", &acls);
    let logs: Vec<String> = layout
        .log_groups
        .iter()
        .map(|g| format!("{} ({}, {})", g.id, g.name, g.region))
        .collect();
    list(out, "log groups", &logs);
    let a = &layout.alarms;
    if a.prefixes.is_empty() {
        line(out, "alarms           none");
    } else {
        line(
            out,
            &format!(
                "alarms           prefixes {} in {}",
                a.prefixes.join(", "),
                a.regions.join(", ")
            ),
        );
    }
    let mut panels: Vec<&super::layout::Panel> = layout.panels.iter().collect();
    panels.sort_by_key(|p| p.priority);
    let ids: Vec<String> = panels.iter().map(|p| p.id.clone()).collect();
    line(
        out,
        &format!(
            "panels           {} by priority: {}",
            ids.len(),
            ids.join(", ")
        ),
    );
}

fn list(out: &mut String, label: &str, items: &[String]) {
    if items.is_empty() {
        line(out, &format!("{label:<17}none"));
    } else {
        let items: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i + 1 < items.len() {
                    format!("{s};")
                } else {
                    s.clone()
                }
            })
            .collect();
        wrapped(out, &format!("{label:<17}"), &items);
    }
}

fn runbook(out: &mut String, layout: &Layout) {
    let Some(rb) = &layout.runbook else {
        line(out, "runbook          none");
        return;
    };
    line(
        out,
        &format!(
            "runbook          {}: {} checklist items ({} done), {} steps",
            rb.path,
            rb.checklist.len(),
            rb.checklist.iter().filter(|c| c.done).count(),
            rb.steps.len()
        ),
    );
    for s in &rb.steps {
        line(out, &format!("  {:<6} when {}", s.id, s.when_text));
    }
}

fn summary(out: &mut String, layout: &Layout) {
    let s = &layout.summary;
    let red = s
        .red_cadence
        .map(|r| format!(", every {} while Red", dur(r)))
        .unwrap_or_default();
    let sinks: Vec<String> = s
        .sinks
        .iter()
        .map(|k| match k {
            Sink::Directory { path } => format!("directory {path}"),
            Sink::Webhook {
                format,
                url_env,
                url_file,
            } => {
                let f = format.word();
                let from = url_env
                    .as_ref()
                    .map(|e| format!("${e}"))
                    .or_else(|| url_file.clone())
                    .unwrap_or_default();
                format!("{f} webhook ({from})")
            }
            Sink::Sns { topic_arn, .. } => format!("sns {topic_arn}"),
        })
        .collect();
    let sinks = if sinks.is_empty() {
        "none".into()
    } else {
        sinks.join(", ")
    };
    line(
        out,
        &format!(
            "summary          every {}{red}, {}; sinks: {sinks}",
            dur(s.cadence),
            s.time_zone.name()
        ),
    );
}

/// `1h30m`, `15m`, `90s` -> `1m30s`.
pub(crate) fn dur(d: TimeDelta) -> String {
    let secs = d.num_seconds();
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if m > 0 {
        let _ = write!(out, "{m}m");
    }
    if s > 0 || out.is_empty() {
        let _ = write!(out, "{s}s");
    }
    out
}

/// The success criteria, and how each will be judged in the report.
fn success(out: &mut String, layout: &Layout) {
    let criteria = &layout.event.success_criteria;
    if criteria.is_empty() {
        return;
    }
    let methods: Vec<Method> = criteria
        .iter()
        .map(|c| crate::eval::success::method(layout, c))
        .collect();
    let judged = methods.iter().filter(|m| m.is_automatic(layout)).count();
    line(
        out,
        &format!(
            "success criteria {} ({judged} judged from the data, {} by a person)",
            criteria.len(),
            criteria.len() - judged
        ),
    );
    for (c, m) in criteria.iter().zip(&methods) {
        line(out, &format!("  - {}", c.text));
        line(out, &format!("    {}", m.describe(layout)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_compactly() {
        assert_eq!(dur(TimeDelta::minutes(90)), "1h30m");
        assert_eq!(dur(TimeDelta::minutes(15)), "15m");
        assert_eq!(dur(TimeDelta::seconds(90)), "1m30s");
        assert_eq!(dur(TimeDelta::zero()), "0s");
    }

    #[test]
    fn lines_carry_no_control_escape_or_bidi_character() {
        let mut out = String::new();
        line(&mut out, "event  Launch\r\u{1b}[2J\u{202e}day");
        assert_eq!(out, "event  Launchday\n");
    }

    #[test]
    fn wrapping_keeps_lines_short() {
        let mut out = String::new();
        let words: Vec<String> = (0..40).map(|i| format!("word{i}")).collect();
        wrapped(&mut out, "label ", &words);
        assert!(out.lines().count() > 1);
        assert!(out.lines().all(|l| l.len() <= WIDTH));
    }
}
