//! The live status board: folds the poll batches into one line per source (ok, slow,
//! throttled, error, credentials expired, or stale when an `ok` source has brought nothing new
//! for two periods), and says it in the few words `collect` prints and `watch` shows (a summary,
//! the sources that need attention, and the credentials banner naming the profile).

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::model::{Event, EventBody, SourceState};
use crate::source::SourceId;

/// Slack on top of two periods before an `ok` source counts as stale (a slow answer, jitter).
const STALE_SLACK: TimeDelta = TimeDelta::seconds(30);

/// What the board knows of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub name: String,
    /// None until its first poll reported.
    pub state: Option<SourceState>,
    pub(crate) detail: Option<String>,
    /// When the source last brought data.
    pub(crate) last_data: Option<DateTime<Utc>>,
    /// Whose credentials the source uses: the profile, or the role it assumes.
    pub credentials: String,
}

/// A source's state changed (what `collect` logs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub(crate) at: DateTime<Utc>,
    pub source: String,
    pub state: SourceState,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Board {
    sources: BTreeMap<String, SourceLine>,
    events: u64,
}

impl Board {
    /// A board expecting `sources` (name, whose credentials), each waiting for its first poll.
    pub fn new(sources: impl IntoIterator<Item = (String, String)>) -> Self {
        Board {
            sources: sources
                .into_iter()
                .map(|(name, credentials)| {
                    let line = SourceLine {
                        name: name.clone(),
                        state: None,
                        detail: None,
                        last_data: None,
                        credentials,
                    };
                    (name, line)
                })
                .collect(),
            events: 0,
        }
    }

    /// Takes in one batch; returns the state changes it carried.
    pub(crate) fn observe(&mut self, batch: &[Event]) -> Vec<Change> {
        let mut changes = Vec::new();
        self.events += batch.len() as u64;
        for e in batch {
            if let EventBody::SourceStatus(s) = &e.body {
                let line = self.line(&s.source);
                line.state = Some(s.state);
                line.detail.clone_from(&s.detail);
                changes.push(Change {
                    at: e.at,
                    source: s.source.clone(),
                    state: s.state,
                    detail: s.detail.clone(),
                });
            } else if let Some(id) = SourceId::of_event(&e.body) {
                let line = self.line(&id.to_string());
                line.last_data = line.last_data.max(Some(e.at));
            }
        }
        changes
    }

    fn line(&mut self, name: &str) -> &mut SourceLine {
        self.sources
            .entry(name.to_string())
            .or_insert_with(|| SourceLine {
                name: name.to_string(),
                state: None,
                detail: None,
                last_data: None,
                credentials: String::new(),
            })
    }

    #[cfg(test)]
    /// Events observed so far.
    pub(crate) fn events(&self) -> u64 {
        self.events
    }

    pub fn lines(&self) -> impl Iterator<Item = &SourceLine> {
        self.sources.values()
    }

    /// The state shown for a source at `now`: its last reported state, or `stale` when it is
    /// `ok` but its newest data is older than two of its periods.
    pub(crate) fn shown_state(line: &SourceLine, now: DateTime<Utc>) -> Option<SourceState> {
        let state = line.state?;
        if state != SourceState::Ok {
            return Some(state);
        }
        let period = SourceId::parse(&line.name)
            .and_then(|s| TimeDelta::from_std(s.kind.period()).ok())
            .unwrap_or(TimeDelta::minutes(1));
        match line.last_data {
            Some(t) if now - t > period * 2 + STALE_SLACK => Some(SourceState::Stale),
            _ => Some(state),
        }
    }

    /// Sources not `ok` at `now` (waiting ones excluded), with their shown state.
    pub fn attention(&self, now: DateTime<Utc>) -> Vec<(&SourceLine, SourceState)> {
        self.lines()
            .filter_map(|l| Some((l, Self::shown_state(l, now)?)))
            .filter(|(_, s)| *s != SourceState::Ok)
            .collect()
    }

    /// One line: `12 sources: 10 ok, 1 throttled, 1 waiting`.
    pub fn summary(&self, now: DateTime<Utc>) -> String {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for l in self.lines() {
            let word = Self::shown_state(l, now).map_or("waiting", SourceState::as_str);
            *counts.entry(word).or_default() += 1;
        }
        let order = [
            "ok",
            "slow",
            "throttled",
            "error",
            "credentials expired",
            "stale",
            "waiting",
        ];
        let parts: Vec<String> = order
            .iter()
            .filter_map(|w| counts.get(w).map(|n| format!("{n} {w}")))
            .collect();
        let n = self.sources.len();
        format!(
            "{n} source{}: {}",
            if n == 1 { "" } else { "s" },
            if parts.is_empty() {
                "none".to_string()
            } else {
                parts.join(", ")
            }
        )
    }

    /// The sources needing attention, `elbv2:seoul.tg throttled, logs:x error`, at most `max`
    /// named (then `+N more`); empty when all are fine.
    pub fn attention_line(&self, now: DateTime<Utc>, max: usize) -> String {
        let a = self.attention(now);
        let mut parts: Vec<String> = a
            .iter()
            .take(max)
            .map(|(l, s)| format!("{} {}", l.name, s.as_str()))
            .collect();
        if a.len() > max {
            parts.push(format!("+{} more", a.len() - max));
        }
        parts.join(", ")
    }

    /// The credentials banner: which credentials failed and what to do, or None. Names each
    /// profile (or role) whose sources report expired or invalid credentials.
    pub fn credentials_banner(&self) -> Option<String> {
        let mut failing: BTreeMap<&str, usize> = BTreeMap::new();
        for l in self.lines() {
            if l.state == Some(SourceState::CredentialsExpired) {
                *failing.entry(l.credentials.as_str()).or_default() += 1;
            }
        }
        if failing.is_empty() {
            return None;
        }
        let whose: Vec<String> = failing
            .iter()
            .map(|(c, n)| {
                let c = if c.is_empty() { "default chain" } else { c };
                format!("{c} ({n} source{})", if *n == 1 { "" } else { "s" })
            })
            .collect();
        let login = failing
            .keys()
            .find_map(|c| c.strip_prefix("profile "))
            .map_or_else(
                || "refresh them".to_string(),
                |p| format!("`aws sso login --profile {p}` or refresh them"),
            );
        Some(format!(
            "AWS CREDENTIALS EXPIRED OR INVALID: {}. Showing the last data (stale); retrying. \
         Fix: {login}.",
            whose.join(", ")
        ))
    }
}

#[cfg(test)]
#[path = "board_tests.rs"]
mod tests;
