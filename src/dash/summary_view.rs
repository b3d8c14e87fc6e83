//! The summary overlay's text for the dashboard sources: the delivery state of the recent
//! summaries from the log (queued; sent when and to which sinks; failed why, next retry), then
//! the next summary as it would be sent now (plain text rendering, the room's edits included:
//! `ScreenModel::summary_text`).

use std::fmt::Write;

use chrono_tz::Tz;

use crate::model::{DeliveryState, Summary};
use crate::store::SummaryBook;

/// Recent summaries listed with their delivery state.
const RECENT: usize = 5;

/// The drafted headline and the overlay text.
pub fn preview(s: Option<&Summary>, book: &SummaryBook, tz: Tz) -> (String, String) {
    let mut text = String::from("Delivery of recent summaries:\n");
    let entries = book.entries();
    if entries.is_empty() {
        text.push_str("  none written yet\n");
    }
    let time =
        |d: chrono::DateTime<chrono::Utc>| d.with_timezone(&tz).format("%H:%M:%S").to_string();
    for e in entries.iter().rev().take(RECENT) {
        let id = &e.summary.id;
        if e.sinks.is_empty() {
            let _ = writeln!(text, "  {id} {}: queued", e.summary.kind_word());
        }
        for (sink, o) in &e.sinks {
            let line = match o.state {
                DeliveryState::Sent => format!("sent {} to {sink}", time(o.at)),
                DeliveryState::Failed => format!(
                    "failed to {sink}: {}; next retry {}",
                    o.detail.as_deref().unwrap_or("unknown"),
                    o.next_retry
                        .map_or_else(|| "none (given up)".to_string(), time)
                ),
            };
            let _ = writeln!(text, "  {id} {}: {line}", e.summary.kind_word());
        }
    }
    text.push_str("\nNext summary, as it would be sent now:\n\n");
    // The summary itself follows, with the room's edits (`ScreenModel::summary_text`).
    if s.is_none() {
        text.push_str("none yet: nothing evaluated");
    }
    (
        s.map(|s| s.title_line().to_string()).unwrap_or_default(),
        text,
    )
}
