//! Timeline entries: what changed between two evaluations (overall status, runbook triggers,
//! return to normal), each rendered as one byte-stable line for the headless output, plus
//! detail kinds (alarms, health groups, operator notes) for the dashboard's timeline view.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::format::dur;
use super::runbook::TriggerState;
use crate::model::{AlarmState, Status};
use crate::sanitize::strip;
use crate::time::t_label;

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineKind {
    /// The overall status changed; `floor` says why when an open incident sets it above the
    /// data's status (`INC-1 critical open`).
    Status {
        from: Status,
        to: Status,
        floor: Option<String>,
    },
    /// The data's status changed while the overall status did not follow (an open incident
    /// holds it: `floor`, or the floor just ended); outages are the periods the data was RED.
    Data {
        from: Status,
        to: Status,
        floor: Option<String>,
    },
    /// A runbook step's trigger changed: armed, firing, cleared (firing to not firing), back to
    /// idle from armed, or unknown (from firing or armed).
    Step {
        step: String,
        title: String,
        from: TriggerState,
        to: TriggerState,
    },
    /// Every return-to-normal criterion holds: the streak starts.
    RtnStarted { met: usize, total: usize },
    /// A criterion stopped holding before the streak was long enough.
    RtnBroken { failing: Vec<String> },
    /// The streak lasted long enough: the event is back to normal.
    RtnDeclared { streak: TimeDelta },
    /// After a declaration, a criterion is false again: a relapse (a fresh streak is needed to
    /// declare the return to normal again).
    RtnRelapse { failing: Vec<String> },
    /// Detail: an alarm changed state (text from AWS, sanitised in the line).
    Alarm { name: String, to: AlarmState },
    /// Detail: a health group's status changed.
    Health {
        id: String,
        from: Status,
        to: Status,
        /// What it is about: the new status's reason (`ALARM: BTS-5xx`), or on a return to
        /// green what it was (`cleared ALARM: BTS-5xx`), so an alarm change names the alarm.
        why: String,
    },
    /// Detail: an accelerator's traffic dial moved (the report says the same).
    Dial {
        accelerator: String,
        region: String,
        from: String,
        to: String,
    },
    /// Detail: an operator action or note (text sanitised in the line). `verb` is `NOTE`,
    /// `ACK`, `DONE`, `SKIP`, `INCIDENT`, `RTN-CONFIRM`; post-mortem entries (made while
    /// replaying) are marked as such.
    Operator {
        who: String,
        verb: &'static str,
        text: String,
        post_mortem: bool,
    },
    /// Detail: someone joined or left the room (`kim joined the room`; text sanitised).
    Room { text: String },
}

impl TimelineKind {
    #[cfg(test)]
    /// Whether the kind belongs to the headless timeline (status, triggers, return to normal).
    pub(crate) fn is_headline(&self) -> bool {
        matches!(
            self,
            TimelineKind::Status { .. }
                | TimelineKind::Data { .. }
                | TimelineKind::Step { .. }
                | TimelineKind::RtnStarted { .. }
                | TimelineKind::RtnBroken { .. }
                | TimelineKind::RtnDeclared { .. }
                | TimelineKind::RtnRelapse { .. }
        )
    }

    /// The word a step change is shown with, None when the change is not shown.
    pub(crate) fn step_word(from: TriggerState, to: TriggerState) -> Option<&'static str> {
        use TriggerState::{Armed, Firing, Idle, Unknown};
        match (from, to) {
            (f, Firing) if f != Firing => Some("FIRING"),
            (Firing, Idle | Armed) => Some("CLEARED"),
            (Idle | Unknown, Armed) => Some("ARMED"),
            (Armed, Idle) => Some("IDLE"),
            (Firing | Armed, Unknown) => Some("UNKNOWN"),
            _ => None,
        }
    }
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// Evaluation time at which the change was seen.
    pub at: DateTime<Utc>,
    /// The event's T0, for the `T+MM:SS` label.
    pub(crate) t0: DateTime<Utc>,
    pub kind: TimelineKind,
}

impl TimelineEntry {
    /// The text after the time labels, e.g. `RB-04 FIRING  Seoul down`.
    pub fn body(&self) -> String {
        match &self.kind {
            TimelineKind::Status {
                from,
                to,
                floor: None,
            } => format!("STATUS {from} -> {to}"),
            TimelineKind::Status {
                from,
                to,
                floor: Some(why),
            } => format!("STATUS {from} -> {to} ({to}: {})", strip(why)),
            TimelineKind::Data {
                from,
                to,
                floor: Some(why),
            } => format!("DATA {from} -> {to} (status held: {})", strip(why)),
            TimelineKind::Data { from, to, .. } => format!("DATA {from} -> {to}"),
            TimelineKind::Step {
                step,
                title,
                from,
                to,
            } => {
                let word = TimelineKind::step_word(*from, *to).unwrap_or(to.word());
                format!("{step} {word}  {title}")
            }
            TimelineKind::RtnStarted { met, total } => {
                format!("RETURN-TO-NORMAL streak started ({met}/{total} criteria)")
            }
            TimelineKind::RtnBroken { failing } => {
                format!("RETURN-TO-NORMAL streak broken ({})", failing.join(", "))
            }
            TimelineKind::RtnDeclared { streak } => {
                format!("RETURN-TO-NORMAL DECLARED (streak {})", dur(*streak))
            }
            TimelineKind::RtnRelapse { failing } => {
                format!(
                    "RETURN-TO-NORMAL RELAPSE after the declaration ({})",
                    failing.join(", ")
                )
            }
            TimelineKind::Alarm { name, to } => format!("ALARM {} {}", strip(name), to.as_str()),
            TimelineKind::Health { id, from, to, why } if why.is_empty() => {
                format!("HEALTH {id} {from} -> {to}")
            }
            TimelineKind::Health { id, from, to, why } => {
                format!("HEALTH {id} {from} -> {to}: {}", strip(why))
            }
            TimelineKind::Dial {
                accelerator,
                region,
                from,
                to,
            } => format!("GA {accelerator} {region} traffic dial {from} -> {to}"),
            TimelineKind::Operator {
                who,
                verb,
                text,
                post_mortem,
            } => format!(
                "{}{verb} {}: {}",
                if *post_mortem { "POST-MORTEM " } else { "" },
                strip(who),
                strip(text)
            ),
            TimelineKind::Room { text } => format!("ROOM {}", strip(text)),
        }
    }

    /// One line: local time with zone abbreviation, T offset, body.
    /// `2026-06-13 20:09:40 KST  T+09:40  RB-04 FIRING  Seoul down, ...`
    pub fn line(&self, tz: Tz) -> String {
        let local = self.at.with_timezone(&tz);
        format!(
            "{}  {}  {}",
            local.format("%Y-%m-%d %H:%M:%S %Z"),
            t_label(self.at, self.t0),
            self.body()
        )
    }
}

impl fmt::Display for TimelineEntry {
    /// The line in UTC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(chrono_tz::UTC))
    }
}

/// A timeline entry as the room reads it on screen: when, the colour of its status (none for
/// alarms and notes) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineLine {
    pub at: DateTime<Utc>,
    pub status: Option<Status>,
    pub text: String,
    /// Made during a replay: a post-mortem annotation, shown apart.
    pub post_mortem: bool,
}

impl From<&TimelineEntry> for TimelineLine {
    fn from(e: &TimelineEntry) -> Self {
        let status = match &e.kind {
            TimelineKind::Status { to, .. }
            | TimelineKind::Data { to, .. }
            | TimelineKind::Health { to, .. } => Some(*to),
            TimelineKind::Step { to, .. } => match to {
                TriggerState::Firing => Some(Status::Red),
                TriggerState::Armed => Some(Status::Yellow),
                _ => Some(Status::Green),
            },
            TimelineKind::RtnDeclared { .. } | TimelineKind::RtnStarted { .. } => {
                Some(Status::Green)
            }
            TimelineKind::RtnBroken { .. } | TimelineKind::Dial { .. } => Some(Status::Yellow),
            TimelineKind::RtnRelapse { .. } => Some(Status::Red),
            TimelineKind::Alarm { .. }
            | TimelineKind::Operator { .. }
            | TimelineKind::Room { .. } => None,
        };
        let post_mortem = matches!(
            e.kind,
            TimelineKind::Operator {
                post_mortem: true,
                ..
            }
        );
        TimelineLine {
            at: e.at,
            status,
            text: e.body(),
            post_mortem,
        }
    }
}
