//! What an operator asks of the room, checked before anything is written: the step exists in
//! the runbook, the incident exists and was not changed since the version the edit was made on
//! (an edit that names no version is refused),
//! texts are bounded and carry no control characters (a request may come from another
//! screen: its strings are untrusted like any other outside string). A request that passes
//! becomes an `operator` event stamped with who made it.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Layout;
use crate::model::{Event, EventBody, IncidentFields, OperatorAction, OperatorEvent};
use crate::sanitize::strip;
use crate::store::State;

/// Longest free text an operator may send, in bytes.
pub const TEXT_MAX: usize = 2000;
/// Longest operator name, in bytes.
pub const NAME_MAX: usize = 64;

/// What an operator asks the room to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Append an operator action (an `IncidentOpen` comes with an empty id: the journal
    /// assigns the next one).
    Act(OperatorAction),
    /// Make the next summary now and deliver it, with the operator's headline and note.
    SendSummary {
        #[serde(default)]
        headline: Option<String>,
        #[serde(default)]
        note: Option<String>,
    },
}

/// Who made a request: the name they gave and, from another screen, their Unix account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub name: String,
    pub user: Option<String>,
}

impl Who {
    /// Someone at this process's own screen.
    pub fn local(name: &str) -> Self {
        Who {
            name: clean(name, NAME_MAX),
            user: None,
        }
    }
}

/// Why a request was not carried out. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not something this log can take.
    Invalid(String),
    /// The incident changed since the version the edit was made on.
    Stale {
        id: String,
        version: u32,
        by: String,
        at: DateTime<Utc>,
    },
    /// No summaries are made here (the session does not record).
    NoSummaries,
    /// This screen may only watch.
    ReadOnly,
    /// The log could not be written.
    NotRecorded(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Invalid(why) => write!(f, "not done: {why}"),
            Refusal::Stale { id, by, .. } => write!(
                f,
                "not saved: {by} changed {id} first; your edit is kept, enter saves it"
            ),
            Refusal::NoSummaries => write!(
                f,
                "not sent: summaries are made only by a session that records (--record)"
            ),
            Refusal::ReadOnly => write!(f, "this screen is read-only: it can watch, not act"),
            Refusal::NotRecorded(e) => write!(f, "not done: the log could not be written: {e}"),
        }
    }
}

/// Control characters out, bounded to `max` bytes at a character boundary.
pub fn clean(s: &str, max: usize) -> String {
    let s = strip(s);
    let mut cut = s.len().min(max);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s[..cut].trim().to_string()
}

fn text(s: &str, what: &str) -> Result<String, Refusal> {
    if s.len() > TEXT_MAX {
        return Err(Refusal::Invalid(format!(
            "the {what} is longer than {TEXT_MAX} bytes"
        )));
    }
    let t = clean(s, TEXT_MAX);
    if t.is_empty() {
        return Err(Refusal::Invalid(format!("the {what} is empty")));
    }
    Ok(t)
}

fn opt_text(s: Option<&String>, what: &str) -> Result<Option<String>, Refusal> {
    s.map(|s| text(s, what)).transpose()
}

fn fields(f: &IncidentFields) -> Result<IncidentFields, Refusal> {
    Ok(IncidentFields {
        title: opt_text(f.title.as_ref(), "title")?,
        severity: f.severity,
        state: f.state,
        plan: opt_text(f.plan.as_ref(), "plan")?,
        eta: f.eta,
        owner: opt_text(f.owner.as_ref(), "owner")?,
        impact_start: f.impact_start,
        cause: opt_text(f.cause.as_ref(), "cause")?,
    })
}

/// The action as the log will hold it, or why not: texts cleaned and bounded, the step known,
/// the incident known and at the version the edit was made on, a new incident numbered.
pub fn check(
    action: &OperatorAction,
    layout: &Layout,
    state: &State,
) -> Result<OperatorAction, Refusal> {
    let step = |id: &str| -> Result<String, Refusal> {
        let known = layout.runbook.as_ref().is_some_and(|r| r.knows(id));
        if known {
            Ok(id.to_string())
        } else {
            Err(Refusal::Invalid(format!(
                "the runbook has no step {}",
                clean(id, NAME_MAX)
            )))
        }
    };
    Ok(match action {
        OperatorAction::RunbookAck { step: s } => OperatorAction::RunbookAck { step: step(s)? },
        OperatorAction::RunbookDone { step: s } => OperatorAction::RunbookDone { step: step(s)? },
        OperatorAction::RunbookSkip { step: s, reason } => OperatorAction::RunbookSkip {
            step: step(s)?,
            reason: Some(text(
                reason.as_deref().unwrap_or_default(),
                "reason to skip",
            )?),
        },
        OperatorAction::RunbookNote { step: s, text: t } => OperatorAction::RunbookNote {
            step: step(s)?,
            text: text(t, "note")?,
        },
        OperatorAction::Annotation { text: t } => OperatorAction::Annotation {
            text: text(t, "mark")?,
        },
        OperatorAction::Handover { text: t } => OperatorAction::Handover {
            text: text(t, "hand-over note")?,
        },
        OperatorAction::RtnConfirm => OperatorAction::RtnConfirm,
        OperatorAction::RtnRefuse { reason } => OperatorAction::RtnRefuse {
            reason: text(reason, "reason")?,
        },
        OperatorAction::IncidentOpen { fields: f, .. } => OperatorAction::IncidentOpen {
            id: next_incident(state),
            fields: fields(f)?,
        },
        OperatorAction::IncidentUpdate {
            id,
            version,
            fields: f,
        } => {
            let Some(current) = state.operator().incident(id) else {
                return Err(Refusal::Invalid(format!(
                    "there is no incident {}",
                    clean(id, NAME_MAX)
                )));
            };
            let Some(version) = version else {
                return Err(Refusal::Invalid(format!(
                    "an edit of {} names the version it was made on (another operator's newer \
                     change would be overwritten); update warroom on this screen",
                    current.id
                )));
            };
            if *version != current.version {
                return Err(Refusal::Stale {
                    id: current.id.clone(),
                    version: current.version,
                    by: current.updated_by.clone(),
                    at: current.updated,
                });
            }
            OperatorAction::IncidentUpdate {
                id: current.id.clone(),
                version: Some(*version),
                fields: fields(f)?,
            }
        }
    })
}

/// Confirming or refusing the return to normal needs it declared and not yet confirmed: said
/// plainly otherwise (`not done: return to normal is not declared yet (9/11 criteria hold)`).
pub(crate) fn check_rtn(
    action: &OperatorAction,
    state: &State,
    rtn: Option<&crate::eval::RtnStatus>,
) -> Result<(), Refusal> {
    if !matches!(
        action,
        OperatorAction::RtnConfirm | OperatorAction::RtnRefuse { .. }
    ) {
        return Ok(());
    }
    if let Some(m) = state.operator().rtn_confirmed() {
        return Err(Refusal::Invalid(format!(
            "return to normal was already confirmed by {} at {}",
            m.who,
            m.at.format("%H:%M:%S UTC")
        )));
    }
    match rtn {
        Some(r) if r.declared.is_some() => Ok(()),
        Some(r) => Err(Refusal::Invalid(format!(
            "return to normal is not declared yet ({}/{} criteria hold)",
            r.met, r.total
        ))),
        None => Err(Refusal::Invalid(
            "return to normal is not declared yet (nothing evaluated)".into(),
        )),
    }
}

/// The next free `INC-N` after those the log holds, so a continued log never reuses an id.
fn next_incident(state: &State) -> String {
    let last = state
        .operator()
        .incidents()
        .filter_map(|i| i.id.strip_prefix("INC-")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("INC-{}", last + 1)
}

/// The `operator` event of a checked action by `who` at `at`.
pub(crate) fn event(action: OperatorAction, who: &Who, at: DateTime<Utc>) -> Event {
    Event {
        at,
        body: EventBody::Operator(OperatorEvent {
            who: who.name.clone(),
            user: who.user.clone(),
            post_mortem: false,
            action,
        }),
    }
}
