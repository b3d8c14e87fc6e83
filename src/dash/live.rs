//! The live dashboard's model source: batches from the AWS pollers (a `LiveSession`, drained
//! without ever waiting) go through the recorder and the pipeline; the clock is the wall clock,
//! and the state is re-evaluated every few seconds even when nothing arrives, so ages grow and
//! old data is marked stale. The status board puts failing sources and expired credentials
//! (naming the profile) on the banner and a per-source summary in the footer. Operator actions
//! become events with the operator's name, written durably, as in the demo. When recording, the
//! recording is the leadership summaries' outbox (`crate::live::outbox`): due summaries are
//! written to it and delivered to the layout's sinks, outcomes appended as they arrive.
//!
//! `warroom demo` uses this same source (`simulated`, `connect`): its pollers query the
//! in-process simulator endpoint (`live::loopback`) and the clock is the endpoint's virtual
//! clock, so the badge reads `SIM xN`; the history before the opening moment is primed from the
//! in-process simulator (`prime`), and summaries are made on the schedule and written to a
//! directory (`with_demo_summaries`).

use chrono::{DateTime, TimeDelta, Utc};

use super::{build, timeline};
use crate::board::Board;
use crate::clock::Clock;
use crate::config::Layout;
use crate::eval::Evaluation;
use crate::live::outbox::{Outbox, Replayed};
use crate::live::{LiveSession, Next};
use crate::model::{Event, OperatorAction};
use crate::pipeline::Pipeline;
use crate::record::Recorder;
use crate::tui::app::Effect;
use crate::tui::run::ModelSource;
use crate::tui::view_model::{ScreenModel, TimelineEntry};
use crate::tui::widgets::ModeBadge;

/// Batches taken per screen update at most, so a burst never delays a frame for long.
const MAX_BATCHES_PER_UPDATE: usize = 64;
/// Re-evaluation interval when no data arrives (ages, staleness, `for` clauses).
const REEVALUATE: TimeDelta = TimeDelta::seconds(5);
/// Failing sources named on the banner at most.
const BANNER_SOURCES: usize = 4;

pub struct LiveSource {
    session: Option<LiveSession>,
    board: Board,
    pipeline: Pipeline,
    prev: Option<Evaluation>,
    recorder: Option<Recorder>,
    who: String,
    /// `profile prod`, shown in the footer.
    credentials: String,
    now: DateTime<Utc>,
    evaluated: Option<DateTime<Utc>>,
    timeline: Vec<TimelineEntry>,
    model: ScreenModel,
    shown: i64,
    /// Last recording error, shown in the footer.
    error: Option<String>,
    pollers_gone: bool,
    /// Fed since the model was last rebuilt.
    dirty: bool,
    /// Leadership summaries (only when recording: the recording is the outbox).
    outbox: Option<Outbox>,
    /// The clock the screen reads: None for the wall clock, else the demo's virtual clock.
    clock: Option<Clock>,
    mode: ModeBadge,
    /// The demo's summaries (a directory of Markdown files, no outbox).
    demo_summaries: Option<super::summaries::DemoSummaries>,
}

impl LiveSource {
    /// A live source at `now`; `session` is None when batches are fed by hand (tests).
    pub fn new(
        layout: &Layout,
        session: Option<LiveSession>,
        board: Board,
        recorder: Option<Recorder>,
        who: String,
        credentials: String,
        now: DateTime<Utc>,
    ) -> LiveSource {
        let mut s = LiveSource {
            session,
            board,
            pipeline: Pipeline::new(layout),
            prev: None,
            recorder,
            who,
            credentials,
            now,
            evaluated: None,
            timeline: Vec::new(),
            model: ScreenModel::skeleton(layout, now, ModeBadge::Live),
            shown: i64::MIN,
            error: None,
            pollers_gone: false,
            dirty: false,
            outbox: None,
            clock: None,
            mode: ModeBadge::Live,
            demo_summaries: None,
        };
        s.rebuild();
        s
    }

    /// Makes and delivers summaries: `replayed` is the log so far (continued with `--append`),
    /// `outbox` was started on it. Without a recorder there is no outbox and this does nothing.
    #[must_use]
    pub fn with_summaries(mut self, replayed: Replayed, outbox: Outbox) -> Self {
        if self.recorder.is_none() {
            return self;
        }
        self.pipeline = replayed.pipeline;
        self.outbox = Some(outbox);
        self.after_eval();
        self.rebuild();
        self
    }

    /// The demo's source: shown with the `SIM xN` badge (N = `speed`, rounded).
    #[must_use]
    pub fn simulated(mut self, speed: f64) -> Self {
        self.mode = ModeBadge::Sim {
            speed: speed.round() as u32,
        };
        self.model.header.mode = self.mode;
        self.rebuild();
        self
    }

    /// Makes summaries on the schedule from now on, written as Markdown files to `dir` (the
    /// demo; the layout's own sinks are not used).
    #[must_use]
    pub fn with_demo_summaries(mut self, dir: std::path::PathBuf) -> Self {
        self.demo_summaries = Some(super::summaries::DemoSummaries::new(self.now, dir));
        self
    }

    /// Feeds the history before the pollers start (the demo primes it from the in-process
    /// simulator), recorded and folded like the pollers' batches.
    pub fn prime(&mut self, events: Vec<Event>) {
        for batch in crate::pipeline::batches(events) {
            self.feed(&batch);
        }
        self.rebuild();
        self.dirty = false;
    }

    /// Starts draining `session`, with its status `board` and `credentials` label; `clock` is
    /// the clock its pollers read (None: the wall clock).
    pub fn connect(
        &mut self,
        session: LiveSession,
        board: Board,
        credentials: String,
        clock: Option<Clock>,
    ) {
        self.session = Some(session);
        self.board = board;
        self.credentials = credentials;
        self.clock = clock;
        self.rebuild();
    }

    /// The session whose batches this source drains.
    pub fn session(&self) -> Option<&LiveSession> {
        self.session.as_ref()
    }

    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    pub fn board(&self) -> &Board {
        &self.board
    }

    /// Takes in one batch from the pollers: recorded, folded, evaluated.
    pub fn feed(&mut self, batch: &[Event]) {
        if batch.is_empty() {
            return;
        }
        if let Some(rec) = self.recorder.as_mut()
            && let Err(e) = rec.write_batch(batch)
        {
            tracing::error!(error = %e, "recording failed");
            self.error = Some(format!("recording: {e}"));
        }
        self.board.observe(batch);
        let entries = self.pipeline.ingest(batch);
        self.evaluated = batch.iter().map(|e| e.at).max();
        self.after_eval();
        if let Some(at) = self.evaluated {
            self.summaries_after(&entries, at);
        }
        self.dirty = true;
    }

    /// After an evaluation at `at`: `watch` appends delivery outcomes and writes and queues a
    /// due summary (the recording is the outbox); the demo writes a due summary to its
    /// directory.
    fn summaries_after(&mut self, entries: &[crate::eval::TimelineEntry], at: DateTime<Utc>) {
        if let (Some(outbox), Some(rec)) = (self.outbox.as_mut(), self.recorder.as_mut()) {
            outbox.observe(entries);
            if let Err(e) = outbox.after_batch(&mut self.pipeline, rec, at) {
                tracing::error!(error = %e, "recording a summary failed");
                self.error = Some(format!("recording: {e}"));
            }
        }
        let Some(s) = self.demo_summaries.as_mut() else {
            return;
        };
        s.observe(entries);
        let events = s.due(&self.pipeline, at);
        self.append_summary_events(&events);
    }

    /// Summary events of the demo: recorded durably (when recording), then folded.
    fn append_summary_events(&mut self, events: &[Event]) {
        if let Some(e) = super::operator::append(self.recorder.as_mut(), &mut self.pipeline, events)
        {
            self.error = Some(e);
        }
    }

    /// Drains what the pollers sent (never waiting), moves the clock to `now`, re-evaluates
    /// when due and rebuilds the model. True when the model changed.
    pub fn advance(&mut self, now: DateTime<Utc>) -> bool {
        for _ in 0..MAX_BATCHES_PER_UPDATE {
            let Some(session) = self.session.as_mut() else {
                break;
            };
            match session.try_next() {
                Next::Batch(b) => self.feed(&b),
                Next::Idle => break,
                Next::Closed => {
                    if !self.pollers_gone {
                        tracing::error!("every poller stopped");
                        self.pollers_gone = true;
                        self.dirty = true;
                    }
                    break;
                }
            }
        }
        self.now = now;
        let due = self.evaluated.is_none_or(|t| now - t >= REEVALUATE);
        if due {
            let entries = self.pipeline.evaluate(now);
            self.evaluated = Some(now);
            self.after_eval();
            self.summaries_after(&entries, now);
        }
        let changed = self.dirty || due;
        if changed {
            self.rebuild();
            self.dirty = false;
        } else {
            self.model.header.now = now;
        }
        changed
    }

    fn after_eval(&mut self) {
        if let Some(cur) = self.pipeline.evaluation() {
            timeline::extend(
                &mut self.timeline,
                self.pipeline.layout(),
                self.pipeline.state(),
                self.prev.as_ref(),
                cur,
            );
            self.prev = Some(cur.clone());
        }
    }

    fn rebuild(&mut self) {
        let mut m = build::build(
            self.pipeline.layout(),
            self.pipeline.state(),
            self.pipeline.evaluation(),
            self.now,
            self.mode,
        );
        m.timeline.clone_from(&self.timeline);
        let next = if let Some(o) = self.outbox.as_mut() {
            Some(o.preview(&self.pipeline, self.now))
        } else {
            self.demo_summaries
                .as_mut()
                .map(|d| d.preview(&self.pipeline, self.now))
        };
        if let Some(next) = next {
            m.summary_sendable = true;
            (m.summary_headline, m.summary_preview) = super::summary_view::preview(
                next.as_ref(),
                self.pipeline.state().summaries(),
                m.header.tz,
            );
        } else {
            m.summary_preview =
                "Summaries are made and sent only when recording (--record): the recording is their outbox.".into();
        }
        let attention = self.board.attention_line(self.now, BANNER_SOURCES);
        // The data on screen is marked stale at once, before the evaluation's own age limit,
        // when every source that has reported is failing or stale.
        let failing = self.board.attention(self.now).len();
        let reported = self.board.lines().filter(|l| l.state.is_some()).count();
        m.header.stale |= failing > 0 && failing == reported;
        m.banner = if self.pollers_gone {
            Some("POLLERS STOPPED: no new data will arrive; see the log and restart".into())
        } else if let Some(b) = self.board.credentials_banner() {
            Some(b)
        } else if attention.is_empty() {
            None
        } else {
            Some(format!("SOURCES: {attention}; last data kept, retrying"))
        };
        // The badge already says LIVE or SIM; the footer keeps what an operator acts on: whose
        // credentials (live only: the demo's are the simulator's), the sources, recording.
        let mut note = Vec::new();
        if self.clock.is_none() && !self.credentials.is_empty() {
            note.push(self.credentials.clone());
        }
        note.push(self.board.summary(self.now));
        if self.recorder.is_some() {
            note.push("recording".into());
        }
        if let Some(last) = self
            .outbox
            .as_ref()
            .and_then(|o| o.last.clone())
            .or_else(|| self.demo_summaries.as_ref().and_then(|s| s.last.clone()))
        {
            note.push(last);
        }
        m.footer_note = match &self.error {
            Some(e) => e.clone(),
            None => note.join("  "),
        };
        self.model = m;
    }

    /// `S` in the summary overlay: the on-demand summary written durably, then queued.
    fn send_summary(&mut self, headline: Option<String>, note: Option<String>) {
        if let Some(d) = self.demo_summaries.as_mut() {
            let events = d.send_now(&self.pipeline, self.now, &self.who, headline, note);
            self.append_summary_events(&events);
            self.rebuild();
            return;
        }
        let (Some(o), Some(rec)) = (self.outbox.as_mut(), self.recorder.as_mut()) else {
            return;
        };
        let Some(mut s) = o.preview(&self.pipeline, self.now) else {
            return;
        };
        s.headline_override = headline;
        s.note = note;
        s.sent_by = Some(self.who.clone());
        if let Err(e) = o.send(&mut self.pipeline, rec, &s, self.now) {
            tracing::error!(error = %e, "recording a summary failed");
            self.error = Some(format!("recording: {e}"));
        }
        self.after_eval();
        self.rebuild();
    }

    fn operator(&mut self, action: OperatorAction) {
        if let Some(e) = super::operator::record(
            action,
            &self.who,
            self.now,
            self.recorder.as_mut(),
            &mut self.pipeline,
        ) {
            self.error = Some(e);
        }
        self.after_eval();
        self.rebuild();
    }
}

impl ModelSource for LiveSource {
    fn update(&mut self) -> bool {
        let now = self.clock.map_or_else(Utc::now, |c| c.now());
        let changed = self.advance(now);
        let tick = super::new_second(&mut self.shown, now);
        changed || tick
    }

    fn model(&self) -> &ScreenModel {
        &self.model
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Operator(a) => self.operator(a),
            Effect::SendSummary { headline, note } => self.send_summary(headline, note),
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
