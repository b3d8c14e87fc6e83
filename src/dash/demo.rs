//! The demo's model source: the simulator on a virtual clock running `speed` times real time.
//! Events go through the pipeline (and the recorder); operator actions become events with the
//! operator's name and the virtual time, written durably when recording.
//!
//! This is the direct path, kept for determinism: the dashboard snapshot tests, the summary
//! test and the render benchmark build screens at fixed moments with it. `warroom demo` itself
//! runs the real pollers against the simulator endpoint (`cli::demo_live`, `live::loopback`).

use chrono::{DateTime, Utc};

use super::{build, timeline};
use crate::clock::Clock;
use crate::config::Layout;
use crate::eval::Evaluation;
use crate::model::{Event, OperatorAction};
use crate::pipeline::{Pipeline, batches};
use crate::record::Recorder;
use crate::sim::Simulator;
use crate::tui::app::Effect;
use crate::tui::run::ModelSource;
use crate::tui::view_model::{ScreenModel, TimelineEntry};
use crate::tui::widgets::ModeBadge;

pub struct DemoSource {
    sim: Simulator,
    sim_at: DateTime<Utc>,
    pending: Vec<Event>,
    pipeline: Pipeline,
    prev: Option<Evaluation>,
    recorder: Option<Recorder>,
    who: String,
    /// The virtual clock: the opening moment, then `speed` times real time.
    clock: Clock,
    now: DateTime<Utc>,
    timeline: Vec<TimelineEntry>,
    model: ScreenModel,
    shown: i64,
    /// Last recording error, shown in the footer.
    error: Option<String>,
    summaries: Option<super::summaries::DemoSummaries>,
}

/// The operator's name: `--operator`, else `$USER`/`$LOGNAME`, else `operator`.
pub fn operator_name(flag: Option<&str>) -> String {
    flag.map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "operator".to_string())
}

impl DemoSource {
    /// Runs the simulator silently from its start to `at`, then follows the wall clock.
    pub fn new(
        layout: &Layout,
        sim: Simulator,
        at: DateTime<Utc>,
        speed: f64,
        recorder: Option<Recorder>,
        who: String,
    ) -> DemoSource {
        let mut s = DemoSource {
            pipeline: Pipeline::new(layout),
            prev: None,
            recorder,
            who,
            clock: Clock::starting_at(at).with_speed(speed),
            now: at,
            timeline: Vec::new(),
            model: ScreenModel::skeleton(
                layout,
                at,
                ModeBadge::Sim {
                    speed: speed as u32,
                },
            ),
            shown: i64::MIN,
            error: None,
            sim,
            sim_at: DateTime::<Utc>::MIN_UTC,
            pending: Vec::new(),
            summaries: None,
        };
        s.advance_to(at);
        s.rebuild();
        // Catching up to `at` took real time: the clock starts at `at` from here.
        s.clock = Clock::starting_at(at).with_speed(speed);
        s
    }

    fn ingest(&mut self, events: Vec<Event>) -> bool {
        let mut any = false;
        for batch in batches(events) {
            if let Some(rec) = self.recorder.as_mut()
                && let Err(e) = rec.write_batch(&batch)
            {
                self.error = Some(format!("recording: {e}"));
            }
            let entries = self.pipeline.ingest(&batch);
            self.after_eval();
            self.summaries_after(&entries, batch[0].at);
            any = true;
        }
        any
    }

    /// Makes summaries on the schedule from now on, written as Markdown files to `dir`.
    #[must_use]
    pub fn with_summaries(mut self, dir: std::path::PathBuf) -> Self {
        let started = self.now;
        self.summaries = Some(super::summaries::DemoSummaries::new(started, dir));
        self
    }

    fn summaries_after(&mut self, entries: &[crate::eval::TimelineEntry], at: DateTime<Utc>) {
        let Some(s) = self.summaries.as_mut() else {
            return;
        };
        s.observe(entries);
        let events = s.due(&self.pipeline, at);
        if let Some(e) =
            super::operator::append(self.recorder.as_mut(), &mut self.pipeline, &events)
        {
            self.error = Some(e);
        }
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
        let mode = ModeBadge::Sim {
            speed: self.clock.speed().round() as u32,
        };
        let mut m = build::build(
            self.pipeline.layout(),
            self.pipeline.state(),
            self.pipeline.evaluation(),
            self.now,
            mode,
        );
        m.timeline.clone_from(&self.timeline);
        if let Some(s) = self.summaries.as_mut() {
            let next = s.preview(&self.pipeline, self.now);
            m.summary_sendable = true;
            (m.summary_headline, m.summary_preview) = super::summary_view::preview(
                next.as_ref(),
                self.pipeline.state().summaries(),
                m.header.tz,
            );
        } else {
            m.summary_preview = "Summaries are off in this session.".into();
        }
        m.footer_note = match &self.error {
            Some(e) => e.clone(),
            None if self.summaries.as_ref().is_some_and(|s| s.last.is_some()) => self
                .summaries
                .as_ref()
                .and_then(|s| s.last.clone())
                .unwrap_or_default(),
            // The SIM badge already says where the data comes from.
            None if self.recorder.is_some() => "recording".to_string(),
            None => String::new(),
        };
        self.model = m;
    }

    /// The virtual time now.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Advances the virtual clock to `t` (tests and benchmarks drive it directly).
    pub fn advance_to(&mut self, t: DateTime<Utc>) -> bool {
        // The simulator is driven in whole minutes, as the headless demo drives it (a window
        // ending mid-minute would report the minute in progress as empty); its events wait in
        // `pending` until the clock reaches their own time.
        if t > self.sim_at {
            let minute = t.timestamp().div_euclid(60) * 60 + 60;
            let edge = DateTime::from_timestamp(minute, 0).unwrap_or(t);
            self.pending.extend(self.sim.advance_to(edge));
            self.sim_at = edge;
        }
        let due = self.pending.partition_point(|e| e.at <= t);
        let events: Vec<Event> = self.pending.drain(..due).collect();
        self.now = t;
        let changed = self.ingest(events);
        if changed {
            self.rebuild();
        } else {
            self.model.header.now = t;
        }
        changed
    }

    /// `S` in the summary overlay: the on-demand summary written (durably when recording) and
    /// delivered to the summary directory.
    fn send_summary(&mut self, headline: Option<String>, note: Option<String>) {
        let Some(s) = self.summaries.as_mut() else {
            return;
        };
        let events = s.send_now(&self.pipeline, self.now, &self.who, headline, note);
        if let Some(e) =
            super::operator::append(self.recorder.as_mut(), &mut self.pipeline, &events)
        {
            self.error = Some(e);
        }
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

impl ModelSource for DemoSource {
    fn update(&mut self) -> bool {
        let t = self.clock.now();
        let changed = self.advance_to(t);
        let tick = super::new_second(&mut self.shown, t);
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
