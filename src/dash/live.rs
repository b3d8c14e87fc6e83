//! The live dashboard's model source: a journal fed by the AWS pollers (`watch`) or by the real
//! pollers against the in-process simulator endpoint (`demo`), drained without ever waiting.
//! Every batch goes through the journal (recorded when recording, folded, summaries made when
//! due); the state is re-evaluated every few seconds even when nothing arrives, so ages grow
//! and old data is marked stale. The status board puts failing sources and expired credentials
//! (naming the profile) on the banner and a per-source summary in the footer. Operator actions
//! are requests to the journal: checked, written durably, then answered in the footer. When
//! the session serves the room (`demo --serve`), the other screens' joins, leaves and requests
//! go through the same journal, and every step it takes is published to them.

use chrono::{DateTime, Utc};

use super::screen;
use crate::clock::Clock;
use crate::journal::{Journal, Request, Taken, Who};
use crate::live::{LiveSession, Next};
use crate::model::Event;
use crate::room::RoomHost;
use crate::tui::InputMode;
use crate::tui::app::{Answer, Effect};
use crate::tui::notice;
use crate::tui::run::ModelSource;
use crate::tui::view_model::ScreenModel;
use crate::tui::widgets::ModeBadge;

/// Batches taken per screen update at most, so a burst never delays a frame for long.
const MAX_BATCHES_PER_UPDATE: usize = 64;

/// Where the batches come from: the pollers and the clock they run on.
pub struct Feed {
    pub(crate) session: LiveSession,
    /// The pollers' clock: None for the wall clock, else a simulator's virtual clock.
    pub(crate) clock: Option<Clock>,
}

pub struct LiveSource {
    journal: Journal,
    /// None when batches are fed by hand (tests).
    feed: Option<Feed>,
    who: Who,
    mode: ModeBadge,
    now: DateTime<Utc>,
    model: ScreenModel,
    shown: i64,
    /// The last error writing the log, shown in the footer.
    error: Option<String>,
    pollers_gone: bool,
    /// Fed since the model was last rebuilt.
    dirty: bool,
    answers: Vec<Answer>,
    /// The room served from this session, when it serves one.
    room: Option<RoomHost>,
    /// This screen's connection number in the room it serves.
    seat: Option<u64>,
}

impl LiveSource {
    /// The source of `journal` (the log so far already in it), fed by `feed`, acting for
    /// `who`, shown with `mode` (`LIVE`, or `SIM xN` for the demo and game days), at `now`.
    pub(crate) fn new(
        journal: Journal,
        feed: Option<Feed>,
        who: Who,
        mode: ModeBadge,
        now: DateTime<Utc>,
    ) -> LiveSource {
        let model = screen::model(journal.fold(), now, mode);
        let mut s = LiveSource {
            journal,
            feed,
            who,
            mode,
            now,
            model,
            shown: i64::MIN,
            error: None,
            pollers_gone: false,
            dirty: false,
            answers: Vec::new(),
            room: None,
            seat: None,
        };
        s.rebuild();
        s
    }

    /// Serves the room of this session's recording at `recording`, as `plan` says (`--serve`).
    pub fn serve(
        self,
        plan: &crate::cli::serve::Prepared,
        recording: &std::path::Path,
    ) -> Result<Self, crate::cli::Failure> {
        let Some(handle) = self.feed.as_ref().and_then(|f| f.session.handle()) else {
            return Ok(self);
        };
        let clock = self.feed.as_ref().and_then(|f| f.clock);
        let room = plan.host(&handle, &self.journal, recording, clock)?;
        Ok(self.serving(room))
    }

    /// Serves the room from this session: other screens attach to `room`. The operator at this
    /// screen is in the room as every attached one is, until it quits.
    #[must_use]
    pub(crate) fn serving(mut self, room: RoomHost) -> Self {
        let stale = room.forget_stale(&mut self.journal, self.now);
        let (conn, seated) = room.seat(&mut self.journal, &self.who, self.now);
        self.seat = Some(conn);
        self.room = Some(room);
        // Both already published by the room.
        for e in [stale.error, seated.error].into_iter().flatten() {
            tracing::error!(error = %e, "recording failed");
            self.error = Some(format!("recording: {e}"));
        }
        self.rebuild();
        self
    }

    /// Takes in one batch: recorded, folded, evaluated, summaries made when due.
    pub fn feed(&mut self, batch: Vec<Event>) {
        let at = batch.iter().map(|e| e.at).max().unwrap_or(self.now);
        let taken = self.journal.record(batch, at);
        self.took(taken);
    }

    fn took(&mut self, taken: Taken) {
        if let Some(room) = &self.room {
            room.publish(&taken.steps);
        }
        if let Some(e) = taken.error {
            tracing::error!(error = %e, "recording failed");
            self.error = Some(format!("recording: {e}"));
        }
        self.dirty = true;
    }

    /// Drains what the pollers sent (never waiting), moves the clock to `now`, re-evaluates
    /// when due and rebuilds the model. True when the model changed.
    pub fn advance(&mut self, now: DateTime<Utc>) -> bool {
        while let Some(msg) = self.room.as_mut().and_then(RoomHost::take) {
            if let Some(room) = &self.room {
                // Served (and published) by the room itself.
                let taken = room.serve(&mut self.journal, msg, now);
                if let Some(e) = taken.error {
                    self.error = Some(format!("recording: {e}"));
                }
                self.dirty = true;
            }
        }
        for _ in 0..MAX_BATCHES_PER_UPDATE {
            let Some(feed) = self.feed.as_mut() else {
                break;
            };
            match feed.session.try_next() {
                Next::Batch(b) => self.feed(b),
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
        if let Some(taken) = self.journal.tick_due(now) {
            self.took(taken);
        }
        let changed = self.dirty;
        if changed {
            self.rebuild();
            self.dirty = false;
        } else {
            self.model.header.now = now;
        }
        changed
    }

    fn rebuild(&mut self) {
        let mut m = screen::model(self.journal.fold(), self.now, self.mode);
        if self.journal.desk().is_some() {
            let next = self.journal.preview(self.now);
            // Where this session's desk delivers (the demo's directory, the layout's sinks).
            let recipients = self.journal.desk().map(crate::journal::Desk::sinks);
            screen::summaries(&mut m, self.journal.fold(), next.as_ref(), recipients);
        } else {
            m.summary_preview = "Summaries are made and sent only when recording (--record): \
                the recording is their outbox."
                .into();
        }
        let board = self.journal.fold().board();
        screen::sources(&mut m, board, self.now, self.pollers_gone);
        // The badge already says LIVE or SIM; the footer keeps what an operator acts on: whose
        // credentials (live only: the demo's are the simulator's), the sources, recording.
        let mut note = Vec::new();
        if self.mode == ModeBadge::Live {
            let mut whose: Vec<&str> = board.lines().map(|l| l.credentials.as_str()).collect();
            whose.sort_unstable();
            whose.dedup();
            whose.retain(|c| !c.is_empty());
            if !whose.is_empty() {
                note.push(whose.join(", "));
            }
        }
        note.push(board.summary(self.now));
        if self.journal.log().is_some() {
            note.push("recording".into());
        }
        if let Some(room) = &self.room {
            note.push(format!("serving {}", room.socket().display()));
            // The other screens in the room, as the log has them: quitting closes it for them.
            m.attached = self
                .journal
                .fold()
                .pipeline()
                .state()
                .room()
                .present()
                .filter(|(conn, _)| Some(*conn) != self.seat)
                .count();
        }
        if let Some(last) = self.journal.desk().and_then(|d| d.last()) {
            note.push(last.to_string());
        }
        m.footer_note = match &self.error {
            Some(e) => e.clone(),
            None => note.join("  "),
        };
        self.model = m;
    }

    /// An operator's request: carried out by the journal, answered once written (or refused).
    fn request(&mut self, req: Request) {
        let said = match &req {
            Request::Act(a) => notice::for_action(a, InputMode::Live, self.model.header.tz),
            Request::SendSummary { .. } => {
                "summary written to the log and queued to its sinks".to_string()
            }
        };
        let refused = match &req {
            Request::Act(a) => Some(a.clone()),
            Request::SendSummary { .. } => None,
        };
        let answer = match self.journal.act(req, &self.who, self.now) {
            Ok(taken) => {
                self.took(taken);
                Answer::said(said)
            }
            Err(r) => Answer {
                text: r.to_string(),
                reopen: refused,
            },
        };
        self.answers.push(answer);
        self.rebuild();
    }
}

impl Drop for LiveSource {
    /// The operator at this screen leaves the room it serves, in the log, before the room
    /// closes.
    fn drop(&mut self) {
        if let (Some(room), Some(conn)) = (&self.room, self.seat) {
            let taken = room.unseat(&mut self.journal, conn, &self.who, self.now);
            if let Some(e) = taken.error {
                tracing::error!(error = %e, "recording the leave failed");
            }
        }
    }
}

impl ModelSource for LiveSource {
    fn update(&mut self) -> bool {
        let now = self
            .feed
            .as_ref()
            .and_then(|f| f.clock)
            .map_or_else(Utc::now, |c| c.now());
        let changed = self.advance(now);
        let tick = screen::new_second(&mut self.shown, now);
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

    fn wake(&self) -> Option<std::os::unix::net::UnixStream> {
        self.room.as_ref().and_then(|r| r.wake().ok())
    }
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
