//! The post-mortem side file of a recording: notes made while replaying it are appended to
//! `<recording>.postmortem.jsonl` (the recording itself is never written by a replay), and the
//! next replay and the report read them back.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::{Event, EventBody};

/// Where notes made while replaying `recording` are kept: `<recording>.postmortem.jsonl`.
pub fn path(recording: &Path) -> PathBuf {
    let mut name = recording.as_os_str().to_owned();
    name.push(".postmortem.jsonl");
    PathBuf::from(name)
}

/// The post-mortem notes made in earlier replays of `recording`, if any: only operator events
/// marked post-mortem are taken (the side file can never add observations). Returns the events
/// and a line for the footer.
pub fn load(recording: &Path) -> (Vec<Event>, Option<String>) {
    let path = path(recording);
    if !path.exists() {
        return (Vec::new(), None);
    }
    let (_, mut reader) = match super::Reader::open(&path) {
        Ok(r) => r,
        Err(e) => {
            return (
                Vec::new(),
                Some(format!("post-mortem notes not loaded: {e}")),
            );
        }
    };
    let mut ignored = 0;
    let events: Vec<Event> = reader
        .by_ref()
        .filter(|e| {
            let keep = matches!(&e.body, EventBody::Operator(o) if o.post_mortem);
            ignored += usize::from(!keep);
            keep
        })
        .collect();
    let mut note = format!("{} post-mortem notes from {}", events.len(), path.display());
    if ignored > 0 {
        let _ = write!(note, ", {ignored} other events ignored");
    }
    if let Some(s) = reader.stats().summary() {
        let _ = write!(note, ", {s}");
    }
    (events, Some(note))
}

/// `events` (a recording, in its order) with `notes` (time-ordered) merged in: a note goes in
/// before the first event later than it, so the recording's own order is kept.
pub(crate) fn merge(events: Vec<Event>, notes: Vec<Event>) -> Vec<Event> {
    if notes.is_empty() {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + notes.len());
    let mut notes = notes.into_iter().peekable();
    for e in events {
        while let Some(n) = notes.next_if(|n| n.at < e.at) {
            out.push(n);
        }
        out.push(e);
    }
    out.extend(notes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OperatorAction, OperatorEvent};

    fn at(min: i64, text: &str) -> Event {
        Event {
            at: chrono::DateTime::UNIX_EPOCH + chrono::TimeDelta::minutes(min),
            body: EventBody::Operator(OperatorEvent {
                who: "x".into(),
                user: None,
                post_mortem: text.starts_with("pm"),
                action: OperatorAction::Annotation { text: text.into() },
            }),
        }
    }

    fn texts(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| match &e.body {
                EventBody::Operator(o) => match &o.action {
                    OperatorAction::Annotation { text } => text.clone(),
                    _ => String::new(),
                },
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn notes_go_after_what_happened_at_or_before_them_and_the_recording_keeps_its_order() {
        // The recording is not sorted by time (b arrived after c): its order is kept.
        let rec = vec![at(1, "a"), at(5, "c"), at(3, "b"), at(9, "d")];
        let notes = vec![at(0, "pm0"), at(5, "pm5"), at(20, "pm20")];
        assert_eq!(
            texts(&merge(rec, notes)),
            ["pm0", "a", "c", "b", "pm5", "d", "pm20"]
        );
    }
}
