//! The validated runbook: steps RB-01.. with triggers, owners, actions and exit conditions, the
//! pre-event checklist and the return-to-normal procedure. Parsed from Markdown by
//! `config::runbook_parse`.

use super::expr::Expr;
pub use super::runbook_action::ActionBlock;
pub(crate) use super::runbook_action::action_blocks;

#[derive(Debug, Clone)]
pub struct Runbook {
    pub path: String,
    pub text: String,
    pub checklist: Vec<ChecklistItem>,
    pub steps: Vec<Step>,
    /// The return-to-normal procedure, one entry per list item or paragraph.
    pub return_to_normal: Vec<RtnItem>,
}

impl Runbook {
    /// The id of the `k`th (from 0) return-to-normal item: `RTN-1`, `RTN-2`, ...; ticked with
    /// the same `runbook_done` action as a step.
    pub fn rtn_id(k: usize) -> String {
        format!("RTN-{}", k + 1)
    }

    /// Whether `id` names a step or a return-to-normal item of this runbook.
    pub fn knows(&self, id: &str) -> bool {
        self.steps.iter().any(|s| s.id == id)
            || id
                .strip_prefix("RTN-")
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| (1..=self.return_to_normal.len()).contains(&n))
    }
}

/// The two tracks of the return to normal (infrastructure event readiness): operational (tell
/// stakeholders the event is over, close the bridge, reset raised limits) and technical
/// (scale-in, restore settings, verify health).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RtnTrack {
    Operational,
    Technical,
}

impl RtnTrack {
    pub fn word(self) -> &'static str {
        match self {
            RtnTrack::Operational => "Operational",
            RtnTrack::Technical => "Technical",
        }
    }

    /// The track a heading names (`### Operational`, `### Technical track`), if any.
    pub(crate) fn of_heading(text: &str) -> Option<RtnTrack> {
        let t = text.trim().to_ascii_lowercase();
        if t.starts_with("operational") {
            Some(RtnTrack::Operational)
        } else if t.starts_with("technical") {
            Some(RtnTrack::Technical)
        } else {
            None
        }
    }

    /// The track of an item under no track heading, from its words: announcing, the bridge,
    /// summaries, escalation, stakeholders, limits and the post-mortem are operational.
    pub(crate) fn guess(text: &str) -> RtnTrack {
        let t = text.to_ascii_lowercase();
        let operational = [
            "announce",
            "bridge",
            "summary",
            "escalation",
            "stakeholder",
            "post-mortem",
            "postmortem",
            "limit",
            "tell ",
            "notify",
        ];
        if operational.iter().any(|w| t.contains(w)) {
            RtnTrack::Operational
        } else {
            RtnTrack::Technical
        }
    }
}

/// One item of the return-to-normal procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtnItem {
    pub text: String,
    pub track: RtnTrack,
}

#[derive(Debug, Clone)]
pub struct ChecklistItem {
    /// The item as written, its lines joined (`ready` lists the open ones).
    pub(crate) text: String,
    pub(crate) done: bool,
}

#[derive(Debug, Clone)]
pub struct Step {
    /// `RB-03`.
    pub id: String,
    pub title: String,
    pub(crate) when: Expr,
    pub(crate) when_text: String,
    pub owner: Option<String>,
    /// What to do, as written (Markdown).
    pub action: String,
    /// What to do as the room reads it: paragraphs as prose, list items as a checklist.
    pub actions: Vec<ActionBlock>,
    pub(crate) verify: Option<Expr>,
}
