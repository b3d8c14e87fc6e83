//! The screen model of a fold, shared by every dashboard source: the built model (panels,
//! runbook, incidents), the room's timeline, the summary overlay, and the banner that must not
//! be missed (pollers stopped, expired credentials naming the profile, failing or stale
//! sources).

use chrono::{DateTime, Utc};

use super::{build, summary_view};
use crate::board::Board;
use crate::journal::Fold;
use crate::model::Summary;
use crate::tui::view_model::ScreenModel;
use crate::tui::widgets::ModeBadge;

/// Failing sources named on the banner at most.
const BANNER_SOURCES: usize = 4;

/// The model of `fold` at `now` (footer and banner are the caller's).
pub fn model(fold: &Fold, now: DateTime<Utc>, mode: ModeBadge) -> ScreenModel {
    let p = fold.pipeline();
    let mut m = build::build(p.layout(), p.state(), p.evaluation(), now, mode);
    m.timeline = fold.timeline().iter().cloned().collect();
    m
}

/// The summary overlay: the log's recent summaries with their delivery, then `next` as it
/// would be sent now; `recipients` are where the session that sends delivers (its desk's sinks,
/// or the room's for an attached screen), empty where nothing can be sent.
pub fn summaries(
    m: &mut ScreenModel,
    fold: &Fold,
    next: Option<&Summary>,
    recipients: Option<Vec<String>>,
) {
    m.summary_sendable = recipients.is_some();
    m.summary_recipients = recipients.unwrap_or_default();
    (m.summary_headline, m.summary_preview) =
        summary_view::preview(next, fold.pipeline().state().summaries(), m.header.tz);
    m.summary_next = next.map(|s| Box::new(s.clone()));
}

/// The banner of the sources' board at `now`; the data is marked stale at once, before the
/// evaluation's own age limit, when every source that has reported is failing or stale.
pub fn sources(m: &mut ScreenModel, board: &Board, now: DateTime<Utc>, pollers_gone: bool) {
    let attention = board.attention_line(now, BANNER_SOURCES);
    let failing = board.attention(now).len();
    let reported = board.lines().filter(|l| l.state.is_some()).count();
    m.header.stale |= failing > 0 && failing == reported;
    m.banner = if pollers_gone {
        Some("POLLERS STOPPED: no new data will arrive; see the log and restart".into())
    } else if let Some(b) = board.credentials_banner() {
        Some(b)
    } else if attention.is_empty() {
        None
    } else {
        Some(format!("SOURCES: {attention}; last data kept, retrying"))
    };
}

/// Whether `t` is in another second than the one last shown (then remembered): the header's
/// clock needs a frame even when no data changed.
pub fn new_second(shown: &mut i64, t: DateTime<Utc>) -> bool {
    let sec = t.timestamp();
    let tick = sec != *shown;
    *shown = sec;
    tick
}
