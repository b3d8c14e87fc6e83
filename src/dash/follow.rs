//! A follower of a recording another process is writing (`warroom replay --follow`): a
//! read-only live tail for a host that can read the file but not reach the room's socket. New
//! complete lines are folded as they appear, in batches of one time as a replay folds them; a
//! torn last line waits for the rest; unreadable lines are skipped and counted.

use chrono::{DateTime, Utc};

use super::screen;
use crate::board::Board;
use crate::config::Layout;
use crate::journal::Fold;
use crate::pipeline::batches;
use crate::record::Follower;
use crate::tui::app::Effect;
use crate::tui::run::ModelSource;
use crate::tui::view_model::ScreenModel;
use crate::tui::widgets::ModeBadge;

pub struct FollowSource {
    follower: Follower,
    fold: Fold,
    place: String,
    now: DateTime<Utc>,
    model: ScreenModel,
    shown: i64,
    error: Option<String>,
}

impl FollowSource {
    /// Follows `follower` (positioned after the header) of a recording of `layout`.
    pub fn new(follower: Follower, layout: &Layout, place: String) -> FollowSource {
        let fold = Fold::new(layout, Board::default());
        let now = Utc::now();
        let mut s = FollowSource {
            model: screen::model(&fold, now, ModeBadge::Live),
            follower,
            fold,
            place,
            now,
            shown: i64::MIN,
            error: None,
        };
        s.poll();
        s.rebuild();
        s
    }

    /// Folds what was appended since the last look; true when something was.
    fn poll(&mut self) -> bool {
        match self.follower.poll() {
            Ok(events) if events.is_empty() => false,
            Ok(events) => {
                for batch in batches(events) {
                    self.fold.apply(&batch);
                }
                true
            }
            Err(e) => {
                self.error = Some(format!("following stopped: {e}"));
                true
            }
        }
    }

    fn rebuild(&mut self) {
        let mut m = screen::model(&self.fold, self.now, ModeBadge::Live);
        screen::summaries(&mut m, &self.fold, None, None);
        let mut note = vec![format!("following {} (read-only)", self.place)];
        if let Some(s) = self.follower.stats().summary() {
            note.push(s);
        }
        m.footer_note = note.join("  ");
        m.banner.clone_from(&self.error);
        self.model = m;
    }
}

impl ModelSource for FollowSource {
    fn update(&mut self) -> bool {
        self.now = Utc::now();
        let changed = self.poll();
        if changed {
            self.rebuild();
        } else {
            self.model.header.now = self.now;
        }
        let tick = screen::new_second(&mut self.shown, self.now);
        changed || tick
    }

    fn model(&self) -> &ScreenModel {
        &self.model
    }

    fn apply(&mut self, _effect: Effect) {}
}
