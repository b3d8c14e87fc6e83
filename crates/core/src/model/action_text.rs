//! One description of an operator action, in words, for every view that shows one: the live
//! timeline (`eval::detail`), the report's timeline (`report::entries`), the footer's
//! read-back (`warroom-tui` notice) and the summaries' actions (`summary::build`). Callers add
//! who did it and where it fits; the words are the same everywhere.

use chrono_tz::Tz;

use super::event::{IncidentFields, OperatorAction};
use super::health::{IncidentState, Severity};

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

impl IncidentState {
    pub fn word(self) -> &'static str {
        match self {
            IncidentState::Investigating => "investigating",
            IncidentState::Identified => "identified",
            IncidentState::Monitoring => "monitoring",
            IncidentState::Resolved => "resolved",
        }
    }
}

impl OperatorAction {
    /// `RB-03 acknowledged`, `note on RB-03: ...`, `doors open` (a mark), `INC-1 opened
    /// (critical, investigating): Seoul 5xx`, `INC-1 resolved`, `return to normal refused:
    /// Virginia still at 6 hosts`; times (an ETA) on the clock of `tz`.
    pub fn describe(&self, tz: Tz) -> String {
        match self {
            OperatorAction::RunbookAck { step } => format!("{step} acknowledged"),
            OperatorAction::RunbookDone { step } => format!("{step} done"),
            OperatorAction::RunbookSkip { step, reason } => match reason {
                Some(r) => format!("{step} skipped: {r}"),
                None => format!("{step} skipped"),
            },
            OperatorAction::RunbookNote { step, text } => format!("note on {step}: {text}"),
            // A mark on the timeline is the room's own words.
            OperatorAction::Annotation { text } => text.clone(),
            OperatorAction::Handover { text } => format!("hand-over note: {text}"),
            OperatorAction::RtnConfirm => "return to normal confirmed".into(),
            OperatorAction::RtnRefuse { reason } => {
                format!("return to normal refused: {reason}")
            }
            OperatorAction::IncidentOpen { id, fields } => format!(
                "{id} opened{}: {}",
                changes(fields, tz, false),
                fields.title.as_deref().unwrap_or_default()
            ),
            OperatorAction::IncidentUpdate { id, fields, .. } => {
                let verb = match fields.state {
                    Some(IncidentState::Resolved) => "resolved",
                    _ => "updated",
                };
                let rest = IncidentFields {
                    state: fields.state.filter(|s| *s != IncidentState::Resolved),
                    ..fields.clone()
                };
                format!("{id} {verb}{}", changes(&rest, tz, true))
            }
        }
    }
}

/// ` (critical, investigating, plan: ..., ETA 21:30, owner: kim)`; the title only on updates.
fn changes(f: &IncidentFields, tz: Tz, with_title: bool) -> String {
    let mut parts = Vec::new();
    if let (true, Some(t)) = (with_title, &f.title) {
        parts.push(format!("title: {t}"));
    }
    if let Some(s) = f.severity {
        parts.push(s.word().to_string());
    }
    if let Some(s) = f.state {
        parts.push(s.word().to_string());
    }
    if let Some(p) = &f.plan {
        parts.push(format!("plan: {p}"));
    }
    if let Some(e) = f.eta {
        // One rule for a time shown: the event's clock, its zone named (`ETA 21:30 KST`).
        parts.push(format!("ETA {}", e.with_timezone(&tz).format("%H:%M %Z")));
    }
    if let Some(o) = &f.owner {
        parts.push(format!("owner: {o}"));
    }
    if let Some(c) = &f.cause {
        parts.push(format!("cause: {c}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn every_action_in_the_same_words() {
        let tz: Tz = "Asia/Seoul".parse().expect("tz");
        let eta = DateTime::parse_from_rfc3339("2026-06-13T21:30:00+09:00")
            .expect("time")
            .with_timezone(&Utc);
        let cases = [
            (
                OperatorAction::RunbookAck {
                    step: "RB-03".into(),
                },
                "RB-03 acknowledged",
            ),
            (
                OperatorAction::RunbookNote {
                    step: "RB-03".into(),
                    text: "drained".into(),
                },
                "note on RB-03: drained",
            ),
            (
                OperatorAction::IncidentOpen {
                    id: "INC-1".into(),
                    fields: IncidentFields {
                        title: Some("Seoul 5xx".into()),
                        severity: Some(Severity::Critical),
                        state: Some(IncidentState::Investigating),
                        ..IncidentFields::default()
                    },
                },
                "INC-1 opened (critical, investigating): Seoul 5xx",
            ),
            (
                OperatorAction::IncidentUpdate {
                    id: "INC-1".into(),
                    version: Some(2),
                    fields: IncidentFields {
                        plan: Some("shed load".into()),
                        eta: Some(eta),
                        ..IncidentFields::default()
                    },
                },
                "INC-1 updated (plan: shed load, ETA 21:30 KST)",
            ),
            (
                OperatorAction::IncidentUpdate {
                    id: "INC-1".into(),
                    version: None,
                    fields: IncidentFields {
                        state: Some(IncidentState::Resolved),
                        cause: Some("a full disk on db-1".into()),
                        ..IncidentFields::default()
                    },
                },
                "INC-1 resolved (cause: a full disk on db-1)",
            ),
            (
                OperatorAction::RtnRefuse {
                    reason: "Virginia at 6 hosts".into(),
                },
                "return to normal refused: Virginia at 6 hosts",
            ),
            (OperatorAction::RtnConfirm, "return to normal confirmed"),
        ];
        for (a, want) in cases {
            assert_eq!(a.describe(tz), want);
        }
    }
}
