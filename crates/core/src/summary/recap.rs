//! The final summary's recap of the whole event: every RED period (from the digest, which
//! remembers them since the log began), every incident the room opened with when it was
//! resolved, the success criteria judged as the report judges them, and the post-mortem date.

use chrono::{DateTime, TimeDelta, Utc};

use super::digest::Digest;
use crate::config::layout::Layout;
use crate::eval::availability;
use crate::eval::success::{self, Method};
use crate::model::{CriterionLine, Recap, RecapIncident};
use crate::report::criteria;
use crate::store::State;

/// The recap at `at`.
pub(crate) fn recap(layout: &Layout, state: &State, digest: &Digest, at: DateTime<Utc>) -> Recap {
    let incidents = state
        .operator()
        .incidents()
        .filter(|i| i.opened.at <= at)
        .map(|i| RecapIncident {
            line: super::build::incident_line(i, digest, at),
            resolved: i.resolved.filter(|r| *r <= at),
        })
        .collect();
    Recap {
        outages: digest.red_periods(at),
        incidents,
        criteria: criteria_at(layout, state, at),
        post_mortem: layout.event.post_mortem,
    }
}

/// The success criteria as the report judges them over the event window up to `at`; a `when`
/// condition needs every evaluation of the event, which only the report's pass has.
fn criteria_at(layout: &Layout, state: &State, at: DateTime<Utc>) -> Vec<CriterionLine> {
    let t0 = layout.event.start;
    let to = at.min(layout.event.end) + TimeDelta::seconds(1);
    let avail = availability::availability(layout, state, t0, to);
    criteria::judge(layout, state, avail.as_ref().map_err(|e| *e), &[])
        .into_iter()
        .zip(&layout.event.success_criteria)
        .map(|(r, c)| {
            let (verdict, detail) = match success::method(layout, c) {
                Method::When(text) => (
                    criteria::Verdict::CannotJudge.word().to_string(),
                    format!("\"{text}\" is judged at every evaluation by warroom report"),
                ),
                _ => (r.verdict.word().to_string(), r.detail),
            };
            CriterionLine {
                text: r.text,
                verdict,
                detail,
            }
        })
        .collect()
}
