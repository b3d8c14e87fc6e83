//! People and the checklist: every runbook step's owner must be a role with a contact (a phone
//! or an e-mail in `[[event.contact]]`), and the runbook's pre-event checklist's open items
//! are listed, red when an item's time (`T-24h: ...`) has passed.

use chrono::{DateTime, Utc};

use super::check;
use crate::config::Layout;
use crate::config::runbook::Runbook;
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessCheck};
use crate::time::parse_time_spec;

pub(crate) fn checks(layout: &Layout, at: DateTime<Utc>) -> Vec<ReadinessCheck> {
    let Some(rb) = &layout.runbook else {
        return Vec::new();
    };
    let mut roles: Vec<(&str, Vec<&str>)> = Vec::new();
    for s in &rb.steps {
        let Some(owner) = s.owner.as_deref() else {
            continue;
        };
        match roles.iter_mut().find(|(r, _)| *r == owner) {
            Some((_, steps)) => steps.push(&s.id),
            None => roles.push((owner, vec![&s.id])),
        }
    }
    let mut out: Vec<ReadinessCheck> = roles
        .into_iter()
        .map(|(role, steps)| owner(layout, role, &steps))
        .collect();
    if !rb.checklist.is_empty() {
        out.push(checklist(layout, rb, at));
    }
    out
}

fn slug(role: &str) -> String {
    role.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn owner(layout: &Layout, role: &str, steps: &[&str]) -> ReadinessCheck {
    let reach = layout
        .event
        .contacts
        .iter()
        .filter(|c| c.role.eq_ignore_ascii_case(role))
        .find_map(|c| c.phone.as_deref().or(c.email.as_deref()));
    let steps = steps.join(", ");
    let (status, number) = match reach {
        Some(how) => (Status::Green, format!("{role}: {steps}; reached at {how}")),
        None => (
            Status::Red,
            format!("{role}: {steps}, with no contact (no phone or e-mail for the role)"),
        ),
    };
    check(
        format!("people.owners.{}", slug(role)),
        CheckGroup::People,
        format!("owner {role}"),
        status,
        number,
        format!(
            "add an [[event.contact]] with role = \"{role}\" and a phone or e-mail: when its step fires, the room must reach someone"
        ),
    )
}

fn checklist(layout: &Layout, rb: &Runbook, at: DateTime<Utc>) -> ReadinessCheck {
    let open: Vec<&str> = rb
        .checklist
        .iter()
        .filter(|c| !c.done)
        .map(|c| c.text.as_str())
        .collect();
    let due = |text: &str| {
        text.split_once(':')
            .and_then(|(when, _)| {
                parse_time_spec(when.trim(), layout.event.start, layout.event.tz()).ok()
            })
            .is_some_and(|t| t <= at)
    };
    let overdue = open.iter().filter(|t| due(t)).count();
    let total = rb.checklist.len();
    let (status, head) = if open.is_empty() {
        (Status::Green, format!("all {total} items done"))
    } else if overdue > 0 {
        (
            Status::Red,
            format!(
                "{} of {total} items open, {overdue} past their time",
                open.len()
            ),
        )
    } else {
        (
            Status::Yellow,
            format!("{} of {total} items open", open.len()),
        )
    };
    let number = if open.is_empty() {
        head
    } else {
        format!("{head}: {}", open.join("; "))
    };
    check(
        "people.checklist",
        CheckGroup::People,
        "pre-event checklist",
        status,
        number,
        "do the open items (first those past their time) and tick them in the runbook",
    )
}
