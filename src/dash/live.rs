//! The live dashboard's model source: batches from the AWS pollers (a `LiveSession`, drained
//! without ever waiting) go through the recorder and the pipeline; the clock is the wall clock,
//! and the state is re-evaluated every few seconds even when nothing arrives, so ages grow and
//! old data is marked stale. The status board puts failing sources and expired credentials
//! (naming the profile) on the banner and a per-source summary in the footer. Operator actions
//! become events with the operator's name, written durably, as in the demo.
//!
//! `warroom demo` uses this same source (`simulated`, `connect`): its pollers query the
//! in-process simulator endpoint (`live::loopback`) and the clock is the endpoint's virtual
//! clock, so the badge reads `SIM xN`; the history before the opening moment is primed from the
//! in-process simulator (`prime`), and summaries are made on the schedule (`with_summaries`).

use chrono::{DateTime, TimeDelta, Utc};

use super::{build, timeline};
use crate::config::Layout;
use crate::eval::Evaluation;
use crate::live::{Board, LiveSession, Next};
use crate::model::{Event, EventBody, OperatorAction, OperatorEvent};
use crate::pipeline::Pipeline;
use crate::record::Recorder;
use crate::sources::scheduler::Clock;
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
    next_incident: u32,
    shown: i64,
    /// Last recording error, shown in the footer.
    error: Option<String>,
    pollers_gone: bool,
    /// Fed since the model was last rebuilt.
    dirty: bool,
    /// The clock the screen reads: None for the wall clock, else the demo's virtual clock.
    clock: Option<Clock>,
    mode: ModeBadge,
    summaries: Option<super::summaries::DemoSummaries>,
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
            next_incident: 1,
            shown: i64::MIN,
            error: None,
            pollers_gone: false,
            dirty: false,
            clock: None,
            mode: ModeBadge::Live,
            summaries: None,
        };
        s.rebuild();
        s
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
    pub fn with_summaries(mut self, dir: std::path::PathBuf) -> Self {
        self.summaries = Some(super::summaries::DemoSummaries::new(self.now, dir));
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

    fn summaries_after(&mut self, entries: &[crate::eval::TimelineEntry], at: DateTime<Utc>) {
        let Some(s) = self.summaries.as_mut() else {
            return;
        };
        s.observe(entries);
        let events = s.due(&self.pipeline, at);
        for e in &events {
            if let Some(rec) = self.recorder.as_mut()
                && let Err(err) = rec.write_durable(e)
            {
                tracing::error!(error = %err, "recording a summary failed");
                self.error = Some(format!("recording: {err}"));
            }
        }
        if !events.is_empty() {
            self.pipeline.ingest(&events);
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
            self.pipeline.evaluate(now);
            self.evaluated = Some(now);
            self.after_eval();
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
        let mut note = vec![
            if self.clock.is_some() {
                "pollers"
            } else {
                "live"
            }
            .to_string(),
        ];
        if !self.credentials.is_empty() {
            note.push(self.credentials.clone());
        }
        note.push(self.board.summary(self.now));
        if self.recorder.is_some() {
            note.push("recording".into());
        }
        if let Some(last) = self.summaries.as_ref().and_then(|s| s.last.clone()) {
            note.push(last);
        }
        m.footer_note = match &self.error {
            Some(e) => e.clone(),
            None => note.join("  "),
        };
        self.model = m;
    }

    fn operator(&mut self, mut action: OperatorAction) {
        if let OperatorAction::IncidentOpen { id, .. } = &mut action
            && id.is_empty()
        {
            *id = format!("INC-{}", self.next_incident);
            self.next_incident += 1;
        }
        let event = Event {
            at: self.now,
            body: EventBody::Operator(OperatorEvent {
                who: self.who.clone(),
                post_mortem: false,
                action,
            }),
        };
        if let Some(rec) = self.recorder.as_mut()
            && let Err(e) = rec.write_durable(&event)
        {
            tracing::error!(error = %e, "recording an operator action failed");
            self.error = Some(format!("recording: {e}"));
        }
        self.pipeline.ingest(std::slice::from_ref(&event));
        self.after_eval();
        self.rebuild();
    }
}

impl ModelSource for LiveSource {
    fn update(&mut self) -> bool {
        let now = self.clock.map_or_else(Utc::now, |c| c.now());
        let changed = self.advance(now);
        let sec = now.timestamp();
        let tick = sec != self.shown;
        self.shown = sec;
        changed || tick
    }

    fn model(&self) -> &ScreenModel {
        &self.model
    }

    fn apply(&mut self, effect: Effect) {
        if let Effect::Operator(a) = effect {
            self.operator(a);
        }
    }
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
