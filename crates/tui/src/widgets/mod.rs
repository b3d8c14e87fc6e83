//! Widgets, one per file: each is a small struct of plain values and borrows, built per frame
//! and rendered into a `Buffer`; none reads state, time or the environment by itself.

pub(crate) mod fit;
pub(crate) mod footer;
pub(crate) mod form;
pub(crate) mod header;
pub(crate) mod help;
pub(crate) mod overlay;
pub(crate) mod panel;
pub mod replay_bar;
pub mod rtn;
pub mod runbook_strip;
pub mod spark;
pub mod status;
pub mod strip;
pub mod time_axis;
pub mod too_small;

pub use footer::KeyHints;
pub use form::FormBox;
pub use header::{HeaderBar, ModeBadge};
pub(crate) use help::HelpOverlay;
pub(crate) use overlay::{ListOverlay, Prompt};
pub(crate) use panel::PanelView;
pub(crate) use replay_bar::ReplayBar;
pub(crate) use rtn::RtnBar;
pub(crate) use runbook_strip::RunbookStrip;
pub(crate) use status::StatusCell;
pub(crate) use strip::PanelStrip;
pub(crate) use time_axis::TimeAxis;
pub(crate) use too_small::TooSmall;
