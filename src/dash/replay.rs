//! The replay's model source: the whole recording in memory, folded as every screen folds it
//! (`journal::Fold`) on the recording's own clock (`clock::ReplayClock`: pause, speed, seek).
//! Seeking restores the nearest checkpoint (a clone of the fold every few minutes of event
//! time) and folds forward from there. Notes made during a replay are post-mortem annotations,
//! appended to `<recording>.postmortem.jsonl`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

use super::screen;
use crate::board::Board;
use crate::clock::ReplayClock;
use crate::config::Layout;
use crate::journal::Fold;
use crate::model::{Event, EventBody, Header, OperatorEvent};
use crate::pipeline::batches;
use crate::record::Recorder;
use crate::tui::app::{Answer, Effect, ReplayCommand};
use crate::tui::run::ModelSource;
use crate::tui::view_model::{ReplayModel, ScreenModel};
use crate::tui::widgets::ModeBadge;

/// Replay speed at start: an hour of the event in a minute.
pub(crate) const DEFAULT_SPEED: u32 = 60;

/// Event time between checkpoints.
pub(crate) const CHECKPOINT_EVERY: TimeDelta = TimeDelta::minutes(10);

#[derive(Clone)]
struct Cursor {
    next: usize,
    fold: Fold,
}

pub struct ReplaySource {
    events: Vec<Event>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    checkpoints: Vec<(DateTime<Utc>, Cursor)>,
    cur: Cursor,
    /// Every timeline entry time of the whole recording, for `[` and `]`.
    marks: Vec<DateTime<Utc>>,
    /// Where the state is folded to: what `clock` read at the last update or seek.
    pos: DateTime<Utc>,
    clock: ReplayClock,
    model: ScreenModel,
    shown: i64,
    header: Header,
    postmortem: PathBuf,
    who: String,
    note: String,
    answers: Vec<Answer>,
}

impl Cursor {
    fn new(layout: &Layout) -> Cursor {
        Cursor {
            next: 0,
            fold: Fold::new(layout, Board::default()),
        }
    }

    /// Folds every event at or before `t`.
    fn fold_to(&mut self, events: &[Event], t: DateTime<Utc>) -> bool {
        let end = self.next + events[self.next..].partition_point(|e| e.at <= t);
        if end == self.next {
            return false;
        }
        for batch in batches(events[self.next..end].iter().cloned()) {
            self.fold.apply(&batch);
        }
        self.next = end;
        true
    }
}

impl ReplaySource {
    /// `skipped`: the reader's summary of unreadable lines, shown in the footer.
    pub fn new(
        layout: &Layout,
        header: Header,
        mut events: Vec<Event>,
        recording: &Path,
        who: String,
        skipped: Option<String>,
    ) -> ReplaySource {
        events.sort_by_key(|e| e.at);
        let start = header
            .start
            .min(events.first().map_or(header.start, |e| e.at));
        let end = events.last().map_or(start, |e| e.at);
        let mut cur = Cursor::new(layout);
        let mut checkpoints = vec![(start, cur.clone())];
        let mut t = start;
        let mut marks = Vec::new();
        while t < end {
            t = (t + CHECKPOINT_EVERY).min(end);
            let before = cur.fold.lines_added();
            cur.fold_to(&events, t);
            let added = (cur.fold.lines_added() - before) as usize;
            let kept = cur.fold.timeline();
            marks.extend(
                kept.iter()
                    .skip(kept.len().saturating_sub(added))
                    .map(|e| e.at),
            );
            checkpoints.push((t, cur.clone()));
        }
        marks.sort();
        marks.dedup();
        let mut s = ReplaySource {
            events,
            start,
            end,
            checkpoints,
            cur: Cursor::new(layout),
            marks,
            pos: start,
            clock: ReplayClock::new(start, end, DEFAULT_SPEED),
            model: ScreenModel::skeleton(
                layout,
                start,
                ModeBadge::Replay {
                    speed: DEFAULT_SPEED,
                    paused: false,
                },
            ),
            shown: i64::MIN,
            header,
            postmortem: crate::record::postmortem::path(recording),
            who,
            note: skipped.unwrap_or_default(),
            answers: Vec::new(),
        };
        s.seek(start);
        s
    }

    pub fn position(&self) -> DateTime<Utc> {
        self.pos
    }

    pub fn set_speed(&mut self, speed: u32) {
        self.clock.seek(self.pos);
        self.clock.set_speed(speed);
    }

    /// Moves to `t` (clamped to the recording): from the nearest checkpoint at or before it.
    pub fn seek(&mut self, t: DateTime<Utc>) {
        let t = t.clamp(self.start, self.end);
        if t < self.pos || t - self.pos > CHECKPOINT_EVERY {
            let i = self
                .checkpoints
                .partition_point(|(at, _)| *at <= t)
                .saturating_sub(1);
            if let Some((_, c)) = self.checkpoints.get(i) {
                self.cur = c.clone();
            }
        }
        self.cur.fold_to(&self.events, t);
        self.pos = t;
        self.clock.seek(t);
        self.rebuild();
    }

    fn rebuild(&mut self) {
        let mode = ModeBadge::Replay {
            speed: self.clock.speed(),
            paused: self.clock.paused(),
        };
        let mut m = screen::model(&self.cur.fold, self.pos, mode);
        m.summary_preview = "Replay: summaries are not sent from a replay; \
            `warroom summary FILE --at TIME --send` sends one."
            .into();
        m.replay = Some(ReplayModel {
            start: self.start,
            end: self.end,
            pos: self.pos,
            speed: self.clock.speed(),
            paused: self.clock.paused(),
        });
        m.footer_note.clone_from(&self.note);
        self.model = m;
    }

    fn command(&mut self, c: ReplayCommand) {
        let layout = self.cur.fold.pipeline().layout();
        let (tz, t0) = (layout.event.tz(), layout.event.start);
        match c {
            ReplayCommand::TogglePause => {
                // From the position on screen, not wherever the clock ran since the last frame.
                self.clock.seek(self.pos);
                self.clock.toggle_pause();
                self.rebuild();
            }
            ReplayCommand::Speed(s) => {
                self.set_speed(s);
                self.rebuild();
            }
            ReplayCommand::Seek(secs) => self.seek(self.pos + TimeDelta::seconds(secs)),
            ReplayCommand::GoTo(text) => {
                match crate::time::parse_time_spec_near(&text, t0, self.pos, tz) {
                    Ok(t) => self.seek(t),
                    Err(e) => {
                        self.note = format!("go to: {e}");
                        self.rebuild();
                    }
                }
            }
            ReplayCommand::PrevEntry => {
                let i = self.marks.partition_point(|m| *m < self.pos);
                if let Some(t) = i.checked_sub(1).and_then(|i| self.marks.get(i)) {
                    self.seek(*t);
                }
            }
            ReplayCommand::NextEntry => {
                let i = self.marks.partition_point(|m| *m <= self.pos);
                if let Some(t) = self.marks.get(i) {
                    self.seek(*t);
                }
            }
        }
    }

    /// A note made while replaying: a post-mortem annotation in the side file, never in the
    /// recording itself.
    fn operator(&mut self, action: crate::model::OperatorAction) {
        let said = crate::tui::notice::for_action(
            &action,
            crate::tui::InputMode::Replay,
            self.model.header.tz,
        );
        let event = Event {
            at: self.pos,
            body: EventBody::Operator(OperatorEvent {
                who: self.who.clone(),
                user: None,
                post_mortem: true,
                action,
            }),
        };
        let written = if self.postmortem.exists() {
            Recorder::append(&self.postmortem)
        } else {
            Recorder::create(&self.postmortem, &self.header, false)
        }
        .and_then(|mut r| r.write_durable(&event));
        let (answer, note) = match written {
            Ok(()) => (
                said,
                format!("post-mortem note saved to {}", self.postmortem.display()),
            ),
            Err(e) => {
                let text = format!("post-mortem note not saved: {e}");
                (text.clone(), text)
            }
        };
        self.answers.push(Answer::said(answer));
        self.note = note;
        let i = self.events.partition_point(|e| e.at <= self.pos);
        self.events.insert(i, event);
        self.checkpoints.retain(|(at, _)| *at < self.pos);
        let pos = self.pos;
        self.cur.next = self.cur.next.min(i);
        self.cur.fold_to(&self.events, pos);
        self.rebuild();
    }
}

impl ModelSource for ReplaySource {
    fn update(&mut self) -> bool {
        if self.clock.paused() || self.pos >= self.end {
            return false;
        }
        let t = self.clock.now();
        let changed = self.cur.fold_to(&self.events, t);
        self.pos = t;
        let tick = screen::new_second(&mut self.shown, t);
        if changed || tick {
            self.rebuild();
        }
        changed || tick
    }

    fn model(&self) -> &ScreenModel {
        &self.model
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Replay(c) => self.command(c),
            Effect::Operator(a) => self.operator(a),
            _ => {}
        }
    }

    fn answers(&mut self) -> Vec<Answer> {
        std::mem::take(&mut self.answers)
    }
}
