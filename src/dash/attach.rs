//! An attached screen's model source (`warroom attach`): the room's log as the collector sends
//! it, folded step by step as the collector's journal folded it, so every screen shows the same
//! picture. Operator actions are requests to the collector, answered once its log took them (or
//! refused, an incident edit made on an older version reopened with the changes kept). When the
//! link drops, the last picture stays, marked stale, with a banner, the status BLIND (link
//! lost) and the data's age counting on; the link reconnects by itself and catches up with no
//! gap and no duplicate. A room whose link holds but which says nothing (its collector stuck;
//! a live room evaluates every few seconds) makes the screen BLIND as well (room silent).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::screen;
use crate::board::Board;
use crate::clock::Clock;
use crate::config::{self, Layout};
use crate::journal::{Fold, Request};
use crate::room::wire::Welcome;
use crate::room::{Link, Received};
use crate::summary::Scheduler;
use crate::tui::app::{Answer, Effect};
use crate::tui::run::ModelSource;
use crate::tui::view_model::ScreenModel;
use crate::tui::widgets::ModeBadge;
use crate::tui::{InputMode, notice};

/// Messages taken from the link per screen update at most.
const MAX_MESSAGES_PER_UPDATE: usize = 256;

/// A room that has sent nothing for this long (wall time) is silent: the collector evaluates
/// every 5 s (a game day's every 5 s of its faster clock), so three evaluations were missed.
pub(crate) const SILENT: std::time::Duration = std::time::Duration::from_secs(15);

pub struct AttachSource {
    link: Link,
    /// Which log the fold holds.
    log: String,
    layout: Layout,
    fold: Fold,
    /// Drafts this screen's summary preview from the same timeline.
    scheduler: Scheduler,
    /// The room's clock: the wall clock, or a game day's virtual one.
    clock: Option<Clock>,
    mode: ModeBadge,
    read_only: bool,
    /// Where the room delivers summaries, as its welcome said.
    recipients: Vec<String>,
    /// Where this screen is attached, for the footer.
    place: String,
    now: DateTime<Utc>,
    model: ScreenModel,
    shown: i64,
    /// Requests sent, by id, until answered.
    pending: BTreeMap<u64, Request>,
    next_id: u64,
    answers: Vec<Answer>,
    /// Why the link is down, when it is.
    lost: Option<String>,
    /// When the room last sent anything (wall time: a game day's clock runs faster).
    heard: std::time::Instant,
}

/// The layout a welcome's header embeds.
fn layout_of(w: &Welcome) -> Result<Layout, String> {
    config::load_texts(&w.header.layout, w.header.runbook.as_ref())
        .map_err(|e| format!("the room's layout is invalid:\n{e}"))
}

fn fold_of(layout: &Layout, w: &Welcome) -> Fold {
    Fold::new(layout, Board::new(w.sources.iter().cloned()))
}

impl AttachSource {
    /// The screen of the room that welcomed `link`; `place` names where (the socket).
    pub fn new(link: Link, welcome: &Welcome, place: String) -> Result<AttachSource, String> {
        let layout = layout_of(welcome)?;
        let clock = match &welcome.clock {
            Some(spec) => Some(crate::clock::sim::parse(spec)?),
            None => None,
        };
        let mode = clock.map_or(ModeBadge::Live, |c| ModeBadge::Sim {
            speed: c.speed().round() as u32,
        });
        let now = clock.map_or_else(Utc::now, |c| c.now());
        let fold = fold_of(&layout, welcome);
        let mut s = AttachSource {
            link,
            log: welcome.log.clone(),
            scheduler: Scheduler::new(welcome.header.start),
            model: screen::model(&fold, now, mode),
            fold,
            layout,
            clock,
            mode,
            read_only: welcome.read_only,
            recipients: welcome.recipients.clone(),
            place,
            now,
            shown: i64::MIN,
            pending: BTreeMap::new(),
            next_id: 1,
            answers: Vec::new(),
            lost: None,
            heard: std::time::Instant::now(),
        };
        s.rebuild();
        Ok(s)
    }

    /// The room said this screen may only watch.
    pub(crate) fn read_only(&self) -> bool {
        self.read_only
    }

    fn welcomed(&mut self, w: &Welcome) {
        self.lost = None;
        self.read_only = w.read_only;
        self.recipients.clone_from(&w.recipients);
        if w.log == self.log && w.from == self.fold.seq() {
            return;
        }
        // Another log, or one this screen cannot continue: start over from what it sends.
        match layout_of(w) {
            Ok(l) => self.layout = l,
            Err(e) => tracing::error!("{e}"),
        }
        self.log.clone_from(&w.log);
        self.fold = fold_of(&self.layout, w);
        self.scheduler = Scheduler::new(w.header.start);
    }

    fn received(&mut self, r: Received) {
        match r {
            Received::Welcome(w) => self.welcomed(&w),
            Received::Step(step) => {
                let entries = step.fold_into(&mut self.fold);
                self.scheduler.observe(&entries);
            }
            Received::Answer { id, refused } => {
                let Some(req) = self.pending.remove(&id) else {
                    return;
                };
                self.answers
                    .push(answer(req, refused, self.layout.event.tz()));
            }
            Received::Lost { reason, retry_in } => {
                self.lost = Some(format!(
                    "LINK TO THE ROOM LOST: {reason}; retrying in {:.1} s; last data kept",
                    retry_in.as_secs_f64()
                ));
            }
        }
    }

    fn rebuild(&mut self) {
        let mut m = screen::model(&self.fold, self.now, self.mode);
        let next = self.scheduler.preview(
            self.fold.pipeline(),
            self.now,
            crate::model::SummaryKind::OnDemand,
            None,
        );
        let recipients = (!self.read_only).then(|| self.recipients.clone());
        screen::summaries(&mut m, &self.fold, next.as_ref(), recipients);
        screen::sources(&mut m, self.fold.board(), self.now, false);
        if let Some(lost) = &self.lost {
            m.banner = Some(lost.clone());
            blind(&mut m, &self.fold, self.now, "link lost");
        } else if let Some(quiet) = self.silent() {
            m.banner = Some(silence(quiet));
            blind(&mut m, &self.fold, self.now, "room silent");
        }
        let mut note = vec![format!("attached to {}", self.place)];
        if self.read_only {
            note.push("read-only".into());
        }
        note.push(self.fold.board().summary(self.now));
        m.footer_note = note.join("  ");
        self.model = m;
    }

    /// How long the room has been silent, once that is longer than [`SILENT`] on a link that
    /// holds.
    fn silent(&self) -> Option<std::time::Duration> {
        let quiet = self.heard.elapsed();
        (self.lost.is_none() && quiet >= SILENT).then_some(quiet)
    }

    fn ask(&mut self, req: Request) {
        if self.lost.is_some() {
            self.answers.push(Answer::said(
                "not sent: the link to the room is down; try again once it is back",
            ));
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.link.ask(id, req.clone());
        self.pending.insert(id, req);
    }
}

/// The banner of a silent room.
fn silence(quiet: std::time::Duration) -> String {
    format!(
        "THE ROOM HAS SAID NOTHING FOR {} s: its collector may be stuck; last data kept",
        quiet.as_secs()
    )
}

/// A screen cut off from its room cannot see: the status is BLIND (`why`: link lost, room
/// silent), whatever the last picture said, and the data's age keeps counting from the last
/// evaluation received.
fn blind(m: &mut ScreenModel, fold: &Fold, now: DateTime<Utc>, why: &str) {
    m.header.status = crate::model::Status::Blind;
    m.header.why = Some(why.into());
    m.header.stale = true;
    if let Some(e) = fold.pipeline().evaluation() {
        let since = (now - e.at).max(chrono::TimeDelta::zero());
        m.header.data_age = e.data_age.map(|a| a + since);
    }
}

/// What the footer says once the room answered `req`.
fn answer(req: Request, refused: Option<String>, tz: chrono_tz::Tz) -> Answer {
    match (req, refused) {
        (Request::Act(a), None) => Answer::said(notice::for_action(&a, InputMode::Live, tz)),
        (Request::SendSummary { .. }, None) => {
            Answer::said("summary written to the room's log and queued to its sinks")
        }
        (Request::Act(a), Some(why)) => Answer {
            text: why,
            reopen: Some(a),
        },
        (Request::SendSummary { .. }, Some(why)) => Answer::said(why),
    }
}

impl ModelSource for AttachSource {
    fn update(&mut self) -> bool {
        let mut changed = false;
        for _ in 0..MAX_MESSAGES_PER_UPDATE {
            let Some(r) = self.link.try_recv() else {
                break;
            };
            self.received(r);
            self.heard = std::time::Instant::now();
            changed = true;
        }
        // The room fell silent (or spoke again) since the last picture: redraw the banner.
        let silent = self.silent().is_some();
        if silent != (self.model.header.why.as_deref() == Some("room silent")) {
            changed = true;
        }
        self.now = self.clock.map_or_else(Utc::now, |c| c.now());
        if changed {
            self.rebuild();
        } else {
            self.model.header.now = self.now;
            if self.lost.is_some() {
                blind(&mut self.model, &self.fold, self.now, "link lost");
            } else if let Some(quiet) = self.silent() {
                self.model.banner = Some(silence(quiet));
                blind(&mut self.model, &self.fold, self.now, "room silent");
            }
        }
        let tick = screen::new_second(&mut self.shown, self.now);
        changed || tick
    }

    fn model(&self) -> &ScreenModel {
        &self.model
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Operator(a) => self.ask(Request::Act(a)),
            Effect::SendSummary { headline, note } => {
                self.ask(Request::SendSummary { headline, note });
            }
            _ => {}
        }
    }

    fn answers(&mut self) -> Vec<Answer> {
        std::mem::take(&mut self.answers)
    }

    fn wake(&self) -> Option<std::os::unix::net::UnixStream> {
        self.link.wake().ok()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::model::{Event, EventBody, MetricBatch, Point, SeriesData, Status};

    #[test]
    fn a_screen_that_lost_its_room_is_blind_and_its_data_ages_on() {
        let layout =
            config::load_texts(&crate::builtin::layout(), Some(&crate::builtin::runbook()))
                .expect("the reference layout");
        let t0 = layout.event.start;
        let mut fold = Fold::new(&layout, Board::default());
        fold.apply(&[Event {
            at: t0 + TimeDelta::minutes(2),
            body: EventBody::Metrics(MetricBatch {
                region: "ap-northeast-2".into(),
                start: t0,
                end: t0 + TimeDelta::minutes(1),
                series: vec![SeriesData {
                    id: "seoul.requests".into(),
                    points: vec![Point {
                        ts: t0,
                        v: 1600.0,
                        p: false,
                    }],
                    complete: true,
                }],
            }),
        }]);
        let e = fold.pipeline().evaluation().expect("evaluated");
        let (at, age) = (e.at, e.data_age.expect("an age"));
        let mut m = screen::model(&fold, at, ModeBadge::Live);
        m.header.status = Status::Yellow;
        blind(&mut m, &fold, at + TimeDelta::seconds(41), "link lost");
        assert_eq!(m.header.status, Status::Blind);
        assert_eq!(m.header.why.as_deref(), Some("link lost"));
        assert!(m.header.stale);
        // The clock runs on: so does the age.
        assert_eq!(m.header.data_age, Some(age + TimeDelta::seconds(41)));
        blind(&mut m, &fold, at + TimeDelta::seconds(90), "link lost");
        assert_eq!(m.header.data_age, Some(age + TimeDelta::seconds(90)));
    }
}
