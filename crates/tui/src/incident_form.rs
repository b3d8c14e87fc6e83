//! The incident form: open a new incident or edit one (title, severity, state, plan, ETA, owner,
//! when the impact started).
//! Pure state and update; submitting turns the form into the operator action the driver appends
//! to the event log (an open with every field, or an update with only the fields changed).

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::model::{IncidentFields, IncidentState, OperatorAction, Severity};

/// The form's fields, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Severity,
    State,
    Plan,
    Eta,
    Owner,
    Impact,
}

impl Field {
    pub(crate) const ALL: [Field; 7] = [
        Field::Title,
        Field::Severity,
        Field::State,
        Field::Plan,
        Field::Eta,
        Field::Owner,
        Field::Impact,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Field::Title => "Title",
            Field::Severity => "Severity",
            Field::State => "State",
            Field::Plan => "Plan",
            Field::Eta => "ETA",
            Field::Owner => "Owner",
            Field::Impact => "Impact at",
        }
    }

    /// Severity and state are chosen from a list (left/right), the others are typed.
    pub(crate) fn is_choice(self) -> bool {
        matches!(self, Field::Severity | Field::State)
    }
}

pub(crate) const SEVERITIES: [Severity; 3] = [Severity::Minor, Severity::Major, Severity::Critical];
pub(crate) const STATES: [IncidentState; 4] = [
    IncidentState::Investigating,
    IncidentState::Identified,
    IncidentState::Monitoring,
    IncidentState::Resolved,
];

pub(crate) fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Minor => "minor",
        Severity::Major => "major",
        Severity::Critical => "critical",
    }
}

pub(crate) fn state_word(s: IncidentState) -> &'static str {
    match s {
        IncidentState::Investigating => "investigating",
        IncidentState::Identified => "identified",
        IncidentState::Monitoring => "monitoring",
        IncidentState::Resolved => "resolved",
    }
}

/// What the form holds: the text as typed (ETA parsed only on submit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub(crate) severity: Severity,
    pub(crate) state: IncidentState,
    pub plan: String,
    pub(crate) eta: String,
    pub owner: String,
    /// When the impact started, as typed (`20:09`, `T+9m`).
    pub impact: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            title: String::new(),
            severity: Severity::Major,
            state: IncidentState::Investigating,
            plan: String::new(),
            eta: String::new(),
            owner: String::new(),
            impact: String::new(),
        }
    }
}

/// What the ETA is read against: now, T0 and the event's clock.
#[derive(Debug, Clone, Copy)]
pub struct EventTime {
    pub(crate) now: DateTime<Utc>,
    pub(crate) t0: DateTime<Utc>,
    pub(crate) tz: Tz,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentForm {
    /// `None` for a new incident.
    pub id: Option<String>,
    /// The incident's version the edit is made on (`None` for a new incident).
    pub version: Option<u32>,
    pub(crate) focus: Field,
    pub draft: Draft,
    original: Draft,
    /// Why the last submit was refused.
    pub error: Option<String>,
    /// Esc was pressed with unsaved changes: waiting for `y`.
    pub confirm_discard: bool,
}

impl IncidentForm {
    pub(crate) fn new_incident() -> Self {
        Self::with(None, Draft::default())
    }

    /// A new incident whose impact starts, unless the operator says otherwise, at `impact` (the
    /// first firing runbook trigger), on the event's clock.
    pub(crate) fn new_incident_from(impact: Option<DateTime<Utc>>, tz: Tz) -> Self {
        let mut form = Self::new_incident();
        if let Some(t) = impact {
            form.draft.impact = t.with_timezone(&tz).format("%H:%M:%S").to_string();
        }
        form
    }

    /// The form for editing an incident at `version`, filled with its current values. The ETA
    /// is shown on the event's clock so it round-trips unchanged.
    pub(crate) fn edit(id: &str, version: u32, fields: &IncidentFields, tz: Tz) -> Self {
        let mut form = Self::with(Some(id.to_string()), Draft::default());
        form.keep(fields, tz);
        form.original = form.draft.clone();
        form.version = Some(version);
        form
    }

    /// Puts `changes` (the fields they set) over the draft: an edit refused because someone
    /// else changed the incident first, kept over its current values to be saved again.
    pub(crate) fn keep(&mut self, changes: &IncidentFields, tz: Tz) {
        let d = &mut self.draft;
        if let Some(t) = &changes.title {
            d.title.clone_from(t);
        }
        if let Some(s) = changes.severity {
            d.severity = s;
        }
        if let Some(s) = changes.state {
            d.state = s;
        }
        if let Some(p) = &changes.plan {
            d.plan.clone_from(p);
        }
        if let Some(t) = changes.eta {
            d.eta = t.with_timezone(&tz).format("%H:%M").to_string();
        }
        if let Some(o) = &changes.owner {
            d.owner.clone_from(o);
        }
        if let Some(t) = changes.impact_start {
            d.impact = t.with_timezone(&tz).format("%H:%M:%S").to_string();
        }
    }

    fn with(id: Option<String>, draft: Draft) -> Self {
        IncidentForm {
            id,
            version: None,
            focus: Field::Title,
            original: draft.clone(),
            draft,
            error: None,
            confirm_discard: false,
        }
    }

    /// Something was typed or chosen that is not saved yet.
    pub fn dirty(&self) -> bool {
        self.draft != self.original
    }

    pub(crate) fn next_field(&mut self, forward: bool) {
        let i = Field::ALL
            .iter()
            .position(|&f| f == self.focus)
            .unwrap_or(0);
        let n = Field::ALL.len();
        self.focus = Field::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    /// Left/right on a choice field.
    pub(crate) fn cycle(&mut self, forward: bool) {
        fn step<T: Copy + PartialEq>(all: &[T], cur: T, forward: bool) -> T {
            let i = all.iter().position(|&x| x == cur).unwrap_or(0);
            let n = all.len();
            all[if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }]
        }
        match self.focus {
            Field::Severity => {
                self.draft.severity = step(&SEVERITIES, self.draft.severity, forward);
            }
            Field::State => self.draft.state = step(&STATES, self.draft.state, forward),
            _ => {}
        }
        self.error = None;
    }

    fn text_mut(&mut self) -> Option<&mut String> {
        match self.focus {
            Field::Title => Some(&mut self.draft.title),
            Field::Plan => Some(&mut self.draft.plan),
            Field::Eta => Some(&mut self.draft.eta),
            Field::Owner => Some(&mut self.draft.owner),
            Field::Impact => Some(&mut self.draft.impact),
            Field::Severity | Field::State => None,
        }
    }

    /// A typed character: text on text fields; on a choice field, space cycles and the first
    /// letter of a choice picks it.
    pub(crate) fn type_char(&mut self, c: char) {
        self.error = None;
        if let Some(t) = self.text_mut() {
            if !c.is_control() {
                t.push(c);
            }
            return;
        }
        if c == ' ' {
            self.cycle(true);
            return;
        }
        let c = c.to_ascii_lowercase();
        match self.focus {
            Field::Severity => {
                if let Some(&s) = SEVERITIES
                    .iter()
                    .find(|&&s| severity_word(s).starts_with(c))
                {
                    self.draft.severity = s;
                }
            }
            Field::State => {
                if let Some(&s) = STATES.iter().find(|&&s| state_word(s).starts_with(c)) {
                    self.draft.state = s;
                }
            }
            _ => {}
        }
    }

    /// Ctrl-W / Ctrl-U on a text field (nothing on a choice).
    pub(crate) fn edit_text(&mut self, edit: impl FnOnce(&mut String)) {
        self.error = None;
        if let Some(t) = self.text_mut() {
            edit(t);
        }
    }

    pub(crate) fn backspace(&mut self) {
        self.error = None;
        if let Some(t) = self.text_mut() {
            t.pop();
        }
    }

    /// The action to append, or why the form cannot be saved (shown in the form).
    pub(crate) fn submit(&self, clock: EventTime) -> Result<OperatorAction, String> {
        let d = &self.draft;
        let title = d.title.trim();
        if title.is_empty() {
            return Err("a title is needed".into());
        }
        let eta = parse_eta(&d.eta, clock)?;
        let impact_start = parse_impact(&d.impact, clock)?;
        let text = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        let Some(id) = &self.id else {
            return Ok(OperatorAction::IncidentOpen {
                id: String::new(),
                fields: IncidentFields {
                    title: Some(title.to_string()),
                    severity: Some(d.severity),
                    state: Some(d.state),
                    plan: text(&d.plan),
                    eta,
                    owner: text(&d.owner),
                    impact_start,
                    cause: None,
                },
            });
        };
        let o = &self.original;
        let changed = |a: &str, b: &str| (a.trim() != b.trim()).then(|| a.trim().to_string());
        let fields = IncidentFields {
            title: changed(&d.title, &o.title),
            severity: (d.severity != o.severity).then_some(d.severity),
            state: (d.state != o.state).then_some(d.state),
            plan: changed(&d.plan, &o.plan),
            eta: if d.eta.trim() == o.eta.trim() {
                None
            } else {
                eta
            },
            owner: changed(&d.owner, &o.owner),
            impact_start: if d.impact.trim() == o.impact.trim() {
                None
            } else {
                impact_start
            },
            cause: None,
        };
        if fields == IncidentFields::default() {
            return Err("nothing changed (esc closes)".into());
        }
        Ok(OperatorAction::IncidentUpdate {
            id: id.clone(),
            version: self.version,
            fields,
        })
    }
}

/// An ETA as typed: empty (none), `+30m` / `30m` from now, `21:30` on the event's clock (the
/// next such time from now), `T+2h`, or RFC 3339.
pub(crate) fn parse_eta(text: &str, clock: EventTime) -> Result<Option<DateTime<Utc>>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let rel = t.strip_prefix('+').unwrap_or(t);
    if let Some(d) = crate::config::parse_duration(rel) {
        return Ok(Some(clock.now + d));
    }
    let at = crate::time::parse_time_spec(t, clock.t0, clock.tz)
        .map_err(|e| format!("ETA {e}; try +30m, 21:30 or T+2h"))?;
    // A clock time already past today means tomorrow (an ETA is in the future).
    let is_clock = !t.starts_with(['T', '+', '-']) && t.len() <= 8;
    if is_clock && at < clock.now {
        let mut next = at;
        while next < clock.now {
            next += TimeDelta::days(1);
        }
        return Ok(Some(next));
    }
    Ok(Some(at))
}

/// When the impact started, as typed: empty (none), `20:09` on the event's clock (today's), `T+9m`,
/// `-5m` (before now) or RFC 3339; never in the future.
pub fn parse_impact(text: &str, clock: EventTime) -> Result<Option<DateTime<Utc>>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let at = match t.strip_prefix('-').and_then(crate::config::parse_duration) {
        Some(d) => clock.now - d,
        None => crate::time::parse_time_spec_near(t, clock.t0, clock.now, clock.tz)
            .map_err(|e| format!("impact {e}; try 20:09, T+9m or -15m"))?,
    };
    if at > clock.now {
        return Err("the impact cannot start in the future".into());
    }
    Ok(Some(at))
}

#[cfg(test)]
#[path = "incident_form_tests.rs"]
mod tests;
