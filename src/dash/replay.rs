//! The replay's model source: the whole recording in memory, played through the pipeline on the
//! recording's own clock (`clock::ReplayClock`: pause, speed, seek). Seeking restores the nearest checkpoint (a
//! clone of the pipeline every few minutes of event time) and folds forward from there. Notes
//! made during a replay are post-mortem annotations, appended to `<recording>.postmortem.jsonl`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

use super::{build, timeline};
use crate::clock::ReplayClock;
use crate::config::Layout;
use crate::eval::Evaluation;
use crate::model::{Event, EventBody, Header, OperatorEvent};
use crate::pipeline::{Pipeline, batches};
use crate::record::Recorder;
use crate::tui::app::{Effect, ReplayCommand};
use crate::tui::run::ModelSource;
use crate::tui::view_model::{ReplayModel, ScreenModel, TimelineEntry};
use crate::tui::widgets::ModeBadge;

/// Replay speed at start: an hour of the event in a minute.
pub const DEFAULT_SPEED: u32 = 60;

/// Event time between checkpoints.
pub const CHECKPOINT_EVERY: TimeDelta = TimeDelta::minutes(10);

#[derive(Clone)]
struct Cursor {
    next: usize,
    pipeline: Pipeline,
    prev: Option<Evaluation>,
    timeline: Vec<TimelineEntry>,
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
}

impl Cursor {
    fn new(layout: &Layout) -> Cursor {
        Cursor {
            next: 0,
            pipeline: Pipeline::new(layout),
            prev: None,
            timeline: Vec::new(),
        }
    }

    /// Folds every event at or before `t`.
    fn fold_to(&mut self, events: &[Event], t: DateTime<Utc>) -> bool {
        let end = self.next + events[self.next..].partition_point(|e| e.at <= t);
        if end == self.next {
            return false;
        }
        for batch in batches(events[self.next..end].iter().cloned()) {
            self.pipeline.ingest(&batch);
            if let Some(cur) = self.pipeline.evaluation() {
                let layout = self.pipeline.layout();
                timeline::extend(
                    &mut self.timeline,
                    layout,
                    self.pipeline.state(),
                    self.prev.as_ref(),
                    cur,
                );
                self.prev = Some(cur.clone());
            }
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
            let before = cur.timeline.len();
            cur.fold_to(&events, t);
            let added = cur.timeline.len().saturating_sub(before);
            marks.extend(
                cur.timeline[cur.timeline.len() - added..]
                    .iter()
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
        let p = &self.cur.pipeline;
        let mode = ModeBadge::Replay {
            speed: self.clock.speed(),
            paused: self.clock.paused(),
        };
        let mut m = build::build(p.layout(), p.state(), p.evaluation(), self.pos, mode);
        m.timeline.clone_from(&self.cur.timeline);
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
        let tz = self.cur.pipeline.layout().event.tz();
        let t0 = self.cur.pipeline.layout().event.start;
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
        let event = Event {
            at: self.pos,
            body: EventBody::Operator(OperatorEvent {
                who: self.who.clone(),
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
        self.note = match written {
            Ok(()) => format!("post-mortem note saved to {}", self.postmortem.display()),
            Err(e) => format!("post-mortem note not saved: {e}"),
        };
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
        let tick = super::new_second(&mut self.shown, t);
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
}
