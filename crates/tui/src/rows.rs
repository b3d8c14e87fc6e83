//! Health, WAF, alarm and log lines for the panels, formatted from the observation types of
//! `model` into view-model text rows. Statuses here follow the health vocabulary only
//! (UNHEALTHY is red, INITIAL is yellow); threshold judgement stays in the evaluation. Strings
//! stay raw: the panel widget sanitises them.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::view_model::TextRow;
use crate::model::{
    AlarmInfo, AlarmState, GaEndpoint, GaHealth, LogLine, Status, TargetInfo, TargetState,
    WafRequest,
};

fn row(text: String, status: Option<Status>) -> TextRow {
    TextRow {
        text,
        status,
        dim: false,
        zoom_only: false,
    }
}

fn hms(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%H:%M:%S").to_string()
}

/// One endpoint group of an accelerator, as its panel row shows it.
#[derive(Debug, Clone, Copy)]
pub struct GaGroupRow<'a> {
    pub region: &'a str,
    /// The endpoint's name in the layout (`BTS-ALB`).
    pub endpoint: &'a str,
    pub dial: f64,
    /// The dial the layout expects: another one is a manual override.
    pub expected_dial: f64,
    pub endpoints: &'a [GaEndpoint],
    /// The group's traffic share in percent, when the layout names a series for it.
    pub share: Option<f64>,
}

/// `ap-northeast-2  BTS-ALB  HEALTHY  dial 100 w128  82%`: the group's worst endpoint health,
/// its dial (yellow when not the expected one: a manual override), weight and traffic share.
pub fn ga_group(g: &GaGroupRow) -> TextRow {
    let worst = g
        .endpoints
        .iter()
        .map(|e| e.health)
        .max_by_key(|h| match h {
            GaHealth::Healthy => 0,
            GaHealth::Initial => 1,
            GaHealth::Unhealthy => 2,
        });
    let mut status = match worst {
        Some(GaHealth::Healthy) => Status::Green,
        Some(GaHealth::Initial) => Status::Yellow,
        Some(GaHealth::Unhealthy) => Status::Red,
        None => Status::Unknown,
    };
    if (g.dial - g.expected_dial).abs() > f64::EPSILON && status == Status::Green {
        status = Status::Yellow;
    }
    let health = worst.map_or("NO ENDPOINT", GaHealth::as_str);
    let weight = g.endpoints.first().map_or(0, |e| e.weight);
    let share = g
        .share
        .map_or_else(String::new, |s| format!("  share {s:.0}%"));
    let text = format!(
        "{:<15} {:<8} {health:<9} dial {:.0} w{weight}{share}",
        g.region, g.endpoint, g.dial
    );
    row(text, Some(status))
}

/// `targets healthy 9/10  unhealthy 1`, then up to `limit` non-healthy targets with their AZ
/// and reason code (`i-0c1 (2c) unhealthy Target.Timeout`).
pub fn targets(targets: &[TargetInfo], limit: usize) -> Vec<TextRow> {
    let count = |st: &TargetState| targets.iter().filter(|t| &t.state == st).count();
    let healthy = count(&TargetState::Healthy);
    let unhealthy = count(&TargetState::Unhealthy) + count(&TargetState::UnhealthyDraining);
    let other = targets.len() - healthy - unhealthy;
    let status = if unhealthy > 0 || (healthy == 0 && !targets.is_empty()) {
        Status::Red
    } else if other > 0 {
        Status::Yellow
    } else if targets.is_empty() {
        Status::Unknown
    } else {
        Status::Green
    };
    let mut summary = format!("targets healthy {healthy}/{}", targets.len());
    if unhealthy > 0 {
        let _ = write!(summary, "  unhealthy {unhealthy}");
    }
    // The other states by name: `unused 1` (a stopped instance) says more than `other 1`.
    let mut others: Vec<(&str, usize)> = Vec::new();
    for t in targets {
        if matches!(
            t.state,
            TargetState::Healthy | TargetState::Unhealthy | TargetState::UnhealthyDraining
        ) {
            continue;
        }
        match others.iter_mut().find(|(w, _)| *w == t.state.as_str()) {
            Some((_, n)) => *n += 1,
            None => others.push((t.state.as_str(), 1)),
        }
    }
    for (word, n) in others {
        let _ = write!(summary, "  {word} {n}");
    }
    let mut out = vec![row(summary, Some(status))];
    for t in targets
        .iter()
        .filter(|t| t.state != TargetState::Healthy)
        .take(limit)
    {
        let az =
            t.az.as_deref()
                .map(|a| format!(" ({})", a.rsplit('-').next().unwrap_or(a)));
        let reason = t
            .reason
            .as_deref()
            .map(|r| format!(" {r}"))
            .unwrap_or_default();
        let st = match t.state {
            TargetState::Unhealthy | TargetState::UnhealthyDraining => Status::Red,
            _ => Status::Yellow,
        };
        let text = format!(
            "{}{} {}{reason}",
            t.id,
            az.unwrap_or_default(),
            t.state.as_str()
        );
        out.push(row(text, Some(st)));
    }
    out
}

/// Top terminating rules and top client IPs (with country) among the sampled requests that were
/// not allowed (all of them when none was stopped), by weight, as shares of that weight.
pub fn waf_top(requests: &[WafRequest], n: usize) -> Vec<TextRow> {
    let stopped: Vec<_> = requests.iter().filter(|r| r.action != "ALLOW").collect();
    let pool: Vec<_> = if stopped.is_empty() {
        requests.iter().collect()
    } else {
        stopped
    };
    let total: u64 = pool.iter().map(|r| r.weight).sum();
    if total == 0 {
        return Vec::new();
    }
    let top = |key: &dyn Fn(&WafRequest) -> Option<String>| {
        let mut w: HashMap<String, u64> = HashMap::new();
        for r in &pool {
            if let Some(k) = key(r) {
                *w.entry(k).or_default() += r.weight;
            }
        }
        let mut v: Vec<(String, u64)> = w.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.into_iter()
            .take(n)
            .map(|(k, w)| format!("{k} {:.0}%", 100.0 * w as f64 / total as f64))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rules = top(&|r| r.rule.clone());
    let clients = top(&|r| {
        Some(match &r.country {
            Some(c) => format!("{} ({c})", r.client_ip),
            None => r.client_ip.clone(),
        })
    });
    let mut out = Vec::new();
    if !rules.is_empty() {
        out.push(row(format!("top rules: {rules}"), None));
    }
    out.push(row(format!("top clients: {clients}"), None));
    out
}

/// `20:07:10 ALARM alert: Threshold Crossed ...`: time of the last state change in the event's
/// zone, state, name, reason.
pub fn alarm(a: &AlarmInfo, tz: Tz) -> TextRow {
    let status = match a.state {
        AlarmState::Ok => Status::Green,
        AlarmState::InsufficientData => Status::Unknown,
        AlarmState::Alarm => Status::Red,
    };
    let reason = a
        .reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    let text = format!(
        "{} {} {}{reason}",
        hms(a.updated, tz),
        a.state.as_str(),
        a.name
    );
    row(text, Some(status))
}

/// `20:07:31 [error] proxy: timeout ...`: the line's own timestamp, when it opens with one,
/// gives way to the row's (one clock per row).
pub fn log_line(l: &LogLine, tz: Tz) -> TextRow {
    row(
        format!("{} {}", hms(l.ts, tz), without_timestamp(&l.message)),
        None,
    )
}

/// A log message without the timestamp it opens with: `[Sat Jun 13 20:10:05.745616 2026] `
/// (Apache), `[13-Jun-2026 20:10:06] ` (php-fpm), `2026/06/13 20:10:06 ` (nginx),
/// `2026-06-13T11:10:06Z ` (ISO 8601). Anything else is kept whole.
pub(crate) fn without_timestamp(message: &str) -> &str {
    let is_time = |s: &str| {
        let b = s.as_bytes();
        b.len() >= 8
            && b[2] == b':'
            && b[5] == b':'
            && b[..8].iter().filter(|c| c.is_ascii_digit()).count() == 6
    };
    let has_time = |s: &str| {
        s.split([' ', 'T', ':']).count() > 2
            && s.char_indices()
                .any(|(i, _)| s.get(i..).is_some_and(is_time))
    };
    if let Some(rest) = message.strip_prefix('[')
        && let Some(end) = rest.find(']')
        && has_time(&rest[..end])
    {
        return rest[end + 1..].trim_start();
    }
    let mut words = message.splitn(3, ' ');
    let first = words.next().unwrap_or_default();
    let dated = first.len() >= 10
        && first.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && matches!(first.as_bytes()[4], b'-' | b'/');
    if !dated {
        return message;
    }
    if first.contains('T') {
        return message[first.len()..].trim_start();
    }
    match (words.next(), words.next()) {
        (Some(t), rest) if is_time(t) => rest.unwrap_or_default().trim_start(),
        _ => message,
    }
}

#[cfg(test)]
mod log_tests {
    use super::without_timestamp;

    #[test]
    fn a_log_lines_own_timestamp_is_not_shown_twice() {
        let cases = [
            (
                "[Sat Jun 13 20:10:05.745616 2026] [proxy_fcgi:error] [pid 1] timeout",
                "[proxy_fcgi:error] [pid 1] timeout",
            ),
            (
                "[13-Jun-2026 20:10:06] WARNING: [pool www] server reached max_children",
                "WARNING: [pool www] server reached max_children",
            ),
            (
                "2026/06/13 20:10:06 [error] 12#12: upstream timed out",
                "[error] 12#12: upstream timed out",
            ),
            (
                "2026-06-13T11:10:06Z level=error msg=boom",
                "level=error msg=boom",
            ),
            ("[error] no time here", "[error] no time here"),
            ("plain message", "plain message"),
            ("[12:30] short", "[12:30] short"),
            ("[1é:3ü:ö9é] bytes", "[1é:3ü:ö9é] bytes"),
            ("2026-13-0é 1é:0ü bytes", "2026-13-0é 1é:0ü bytes"),
        ];
        for (raw, want) in cases {
            assert_eq!(without_timestamp(raw), want, "{raw}");
        }
    }
}
