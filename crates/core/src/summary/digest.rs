//! What happened between two summaries that the state alone cannot tell: runbook steps that
//! fired (and may have cleared since), the worst overall status seen, and every period the
//! data was RED since the log began (the final summary's outages; an open incident's floor on
//! the overall status is not an outage). Fed the timeline
//! entries the pipeline reports after each batch; on a restart the log is replayed through the
//! pipeline and this fills again, so it too is a function of the log.

use chrono::{DateTime, Utc};

use crate::eval::{TimelineEntry, TimelineKind, TriggerState};
use crate::model::Status;

/// Entries kept at most (a bound against nonsense input; far above a day's changes).
const KEPT: usize = 10_000;

/// A step that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    pub(crate) step: String,
    pub(crate) title: String,
    pub(crate) at: DateTime<Utc>,
}

/// Accumulated changes, pruned as summaries are written.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    fired: Vec<Fired>,
    statuses: Vec<(DateTime<Utc>, Status)>,
    /// Periods the data was RED: start, and end once over. Never forgotten (bounded by `KEPT`).
    red: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

impl Digest {
    /// Takes in the entries of one evaluation.
    pub(crate) fn observe(&mut self, entries: &[TimelineEntry]) {
        for e in entries {
            match &e.kind {
                TimelineKind::Step {
                    step, title, to, ..
                } if *to == TriggerState::Firing => {
                    if self.fired.len() >= KEPT {
                        self.fired.remove(0);
                    }
                    self.fired.push(Fired {
                        step: step.clone(),
                        title: title.clone(),
                        at: e.at,
                    });
                }
                TimelineKind::Status { to, floor, .. } => {
                    if self.statuses.len() >= KEPT {
                        self.statuses.remove(0);
                    }
                    self.statuses.push((e.at, *to));
                    // Set by the data unless an incident's floor set it.
                    if floor.is_none() {
                        self.track_red(e.at, *to);
                    }
                }
                TimelineKind::Data { to, .. } => self.track_red(e.at, *to),
                _ => {}
            }
        }
    }

    /// Steps that fired after `since` (all when None), first firing of each, in time order.
    pub(crate) fn fired_since(&self, since: Option<DateTime<Utc>>) -> Vec<Fired> {
        let mut out: Vec<Fired> = Vec::new();
        for f in &self.fired {
            if since.is_some_and(|s| f.at <= s) || out.iter().any(|o| o.step == f.step) {
                continue;
            }
            out.push(f.clone());
        }
        out
    }

    fn track_red(&mut self, at: DateTime<Utc>, to: Status) {
        let open = self.red.last().is_some_and(|(_, end)| end.is_none());
        match (open, to == Status::Red) {
            (false, true) => {
                if self.red.len() >= KEPT {
                    self.red.remove(0);
                }
                self.red.push((at, None));
            }
            (true, false) => {
                if let Some(last) = self.red.last_mut() {
                    last.1 = Some(at);
                }
            }
            _ => {}
        }
    }

    /// Every RED period that started at or before `at`, as seen at `at` (one still going, or
    /// ending after `at`, is open and ends at `at`).
    pub(crate) fn red_periods(&self, at: DateTime<Utc>) -> Vec<crate::model::Window> {
        self.red
            .iter()
            .filter(|(from, _)| *from <= at)
            .map(|&(from, to)| match to {
                Some(t) if t <= at => crate::model::Window {
                    from,
                    to: t,
                    open: false,
                },
                _ => crate::model::Window {
                    from,
                    to: at,
                    open: true,
                },
            })
            .collect()
    }

    /// The worst overall status in force at any time after `since`: the statuses taken after
    /// it, and the one in force when it began (RED from 15:12 to 15:44 is the worst since
    /// 15:40).
    pub(crate) fn worst_since(&self, since: Option<DateTime<Utc>>) -> Option<Status> {
        let first = since.map_or(0, |s| {
            self.statuses
                .iter()
                .rposition(|(at, _)| *at <= s)
                .unwrap_or(0)
        });
        self.statuses.get(first..)?.iter().map(|(_, s)| *s).max()
    }

    /// Forgets what happened at or before `t` (a summary covered it).
    pub(crate) fn forget_until(&mut self, t: DateTime<Utc>) {
        self.fired.retain(|f| f.at > t);
        // Keep the last status before `t`: the status in force when the next period starts.
        let keep_from = self.statuses.iter().rposition(|(at, _)| *at <= t);
        if let Some(i) = keep_from {
            self.statuses.drain(..i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn entry(min: i64, kind: TimelineKind) -> TimelineEntry {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        TimelineEntry {
            at: t0 + TimeDelta::minutes(min),
            t0,
            kind,
        }
    }

    fn fire(min: i64, step: &str) -> TimelineEntry {
        entry(
            min,
            TimelineKind::Step {
                step: step.into(),
                title: format!("{step} title"),
                from: TriggerState::Armed,
                to: TriggerState::Firing,
            },
        )
    }

    #[test]
    fn the_worst_since_counts_the_status_in_force_when_the_period_began() {
        let status = |min, from, to| {
            entry(
                min,
                TimelineKind::Status {
                    from,
                    to,
                    floor: None,
                },
            )
        };
        let mut d = Digest::default();
        d.observe(&[status(12, Status::Yellow, Status::Red)]);
        d.observe(&[status(44, Status::Red, Status::Yellow)]);
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        d.forget_until(t0 + TimeDelta::minutes(40));
        // RED until minute 44: the worst since minute 40 is RED, not YELLOW.
        assert_eq!(
            d.worst_since(Some(t0 + TimeDelta::minutes(40))),
            Some(Status::Red)
        );
        assert_eq!(
            d.worst_since(Some(t0 + TimeDelta::minutes(45))),
            Some(Status::Yellow)
        );
    }

    #[test]
    fn first_firing_per_step_after_since_and_worst_status() {
        let mut d = Digest::default();
        d.observe(&[fire(1, "RB-03"), fire(5, "RB-04"), fire(7, "RB-03")]);
        d.observe(&[entry(
            6,
            TimelineKind::Status {
                from: Status::Yellow,
                to: Status::Red,
                floor: None,
            },
        )]);
        let all = d.fired_since(None);
        assert_eq!(
            all.iter().map(|f| f.step.as_str()).collect::<Vec<_>>(),
            ["RB-03", "RB-04"]
        );
        let since = all[0].at + TimeDelta::minutes(2);
        let later = d.fired_since(Some(since));
        assert_eq!(later.len(), 2, "RB-04 at 5, RB-03 again at 7");
        assert_eq!(later[1].at, all[0].at + TimeDelta::minutes(6));
        assert_eq!(d.worst_since(None), Some(Status::Red));
        // RED since minute 6 is still in force after it.
        assert_eq!(
            d.worst_since(Some(all[0].at + TimeDelta::minutes(6))),
            Some(Status::Red)
        );
        d.forget_until(all[0].at + TimeDelta::minutes(5));
        assert_eq!(d.fired_since(None).len(), 1);
    }
}
