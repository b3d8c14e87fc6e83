//! The validated runbook: steps RB-01.. with triggers, owners, actions and exit conditions, the
//! pre-event checklist and the return-to-normal procedure. Parsed from Markdown by
//! `config::runbook_parse`.

use super::expr::Expr;

#[derive(Debug, Clone)]
pub struct Runbook {
    pub path: String,
    pub text: String,
    pub title: String,
    pub checklist: Vec<ChecklistItem>,
    pub steps: Vec<Step>,
    /// The return-to-normal procedure, one entry per list item or paragraph.
    pub return_to_normal: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ChecklistItem {
    pub text: String,
    pub done: bool,
}

#[derive(Debug, Clone)]
pub struct Step {
    /// `RB-03`.
    pub id: String,
    pub title: String,
    pub when: Expr,
    pub when_text: String,
    pub owner: Option<String>,
    /// What to do, as written (Markdown).
    pub action: String,
    pub verify: Option<Expr>,
    pub verify_text: Option<String>,
    /// 1-based line of the step's heading.
    pub line: usize,
}
