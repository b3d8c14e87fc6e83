//! The direct simulator as a model source, for tests and the render benchmark: the simulator on
//! a virtual clock running `speed` times real time, its events through a journal (and the
//! recorder), operator actions as requests to it. The deterministic path: the dashboard
//! snapshot tests, the summary test and the render benchmark build screens at fixed moments with
//! it. `warroom demo` itself runs the real pollers against the simulator endpoint
//! (`cli::demo_live`, `loopback`); this is not what it runs.

use chrono::{DateTime, Utc};

use warroom::dash::screen;
use warroom_aws::delivery::at_once::AtOnce;
use warroom_core::board::Board;
use warroom_core::clock::Clock;
use warroom_core::config::Layout;
use warroom_core::journal::{Desk, Fold, Journal, Request, Who};
use warroom_core::model::Event;
use warroom_core::pipeline::batches;
use warroom_core::record::Recorder;
use warroom_core::summary::Scheduler;
use warroom_sim::Simulator;
use warroom_tui::app::{Answer, Effect};
use warroom_tui::run::ModelSource;
use warroom_tui::view_model::ScreenModel;
use warroom_tui::widgets::ModeBadge;
use warroom_tui::{InputMode, notice};

pub struct SimSource {
    sim: Simulator,
    sim_at: DateTime<Utc>,
    pending: Vec<Event>,
    journal: Journal,
    who: Who,
    /// The virtual clock: the opening moment, then `speed` times real time.
    clock: Clock,
    now: DateTime<Utc>,
    model: ScreenModel,
    shown: i64,
    /// Last recording error, shown in the footer.
    error: Option<String>,
    answers: Vec<Answer>,
}

impl SimSource {
    /// Runs the simulator silently from its start to `at`, then follows the virtual clock.
    pub fn new(
        layout: &Layout,
        sim: Simulator,
        at: DateTime<Utc>,
        speed: f64,
        recorder: Option<Recorder>,
        who: &str,
    ) -> SimSource {
        let journal = Journal::new(Fold::new(layout, Board::default()), recorder, None);
        let clock = Clock::starting_at(at).with_speed(speed);
        let mut s = SimSource {
            model: screen::model(
                journal.fold(),
                at,
                ModeBadge::Sim {
                    speed: speed as u32,
                },
            ),
            journal,
            who: Who::local(who),
            clock,
            now: at,
            shown: i64::MIN,
            error: None,
            sim,
            sim_at: DateTime::<Utc>::MIN_UTC,
            pending: Vec::new(),
            answers: Vec::new(),
        };
        s.advance_to(at);
        s.rebuild();
        // Catching up to `at` took real time: the clock starts at `at` from here.
        s.clock = Clock::starting_at(at).with_speed(speed);
        s
    }

    /// Makes summaries on the schedule from now on, written as Markdown files to `dir`.
    #[must_use]
    pub fn with_summaries(mut self, dir: std::path::PathBuf) -> Self {
        let desk = Desk::new(
            Scheduler::new(self.now),
            Box::new(AtOnce::to_directory(dir)),
        );
        self.journal = self.journal.with_desk(desk);
        self
    }

    fn ingest(&mut self, events: Vec<Event>) -> bool {
        let mut any = false;
        for batch in batches(events) {
            let at = batch[0].at;
            if let Some(e) = self.journal.record(batch, at).error {
                self.error = Some(format!("recording: {e}"));
            }
            any = true;
        }
        any
    }

    fn rebuild(&mut self) {
        let mode = ModeBadge::Sim {
            speed: self.clock.speed().round() as u32,
        };
        let mut m = screen::model(self.journal.fold(), self.now, mode);
        if self.journal.desk().is_some() {
            let next = self.journal.preview(self.now);
            let recipients = self.journal.desk().map(warroom_core::journal::Desk::sinks);
            screen::summaries(&mut m, self.journal.fold(), next.as_ref(), recipients);
            // Where this session's desk delivers (the demo's directory, the layout's sinks).
            m.summary_recipients = self
                .journal
                .desk()
                .map(warroom_core::journal::Desk::sinks)
                .unwrap_or_default();
        } else {
            m.summary_preview = "Summaries are off in this session.".into();
        }
        let last = self
            .journal
            .desk()
            .and_then(|d| d.last())
            .map(str::to_string);
        m.footer_note = match (&self.error, last) {
            (Some(e), _) => e.clone(),
            (None, Some(last)) => last,
            // The SIM badge already says where the data comes from.
            (None, None) if self.journal.log().is_some() => "recording".to_string(),
            (None, None) => String::new(),
        };
        self.model = m;
    }

    /// The virtual time now.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
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

    fn request(&mut self, req: Request) {
        let said = match &req {
            Request::Act(a) => notice::for_action(a, InputMode::Live, self.model.header.tz),
            Request::SendSummary { .. } => "summary made and delivered".to_string(),
        };
        let answer = match self.journal.act(req, &self.who, self.now) {
            Ok(t) => {
                if let Some(e) = t.error {
                    self.error = Some(format!("recording: {e}"));
                }
                Answer::said(said)
            }
            Err(r) => Answer::said(r.to_string()),
        };
        self.answers.push(answer);
        self.rebuild();
    }
}

impl ModelSource for SimSource {
    fn update(&mut self) -> bool {
        let t = self.clock.now();
        let changed = self.advance_to(t);
        let tick = screen::new_second(&mut self.shown, t);
        changed || tick
    }

    fn model(&self) -> &ScreenModel {
        &self.model
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Operator(a) => self.request(Request::Act(a)),
            Effect::SendSummary { headline, note } => {
                self.request(Request::SendSummary { headline, note });
            }
            _ => {}
        }
    }

    fn answers(&mut self) -> Vec<Answer> {
        std::mem::take(&mut self.answers)
    }
}
