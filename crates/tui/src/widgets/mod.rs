//! Widgets, one per file: each is a small struct of plain values and borrows, built per frame
//! and rendered into a `Buffer`; none reads state, time or the environment by itself.

pub mod footer;
pub mod form;
pub mod header;
pub mod help;
pub mod overlay;
pub mod panel;
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
pub use help::HelpOverlay;
pub use overlay::{ListOverlay, Prompt};
pub use panel::PanelView;
pub use replay_bar::ReplayBar;
pub use rtn::RtnBar;
pub use runbook_strip::RunbookStrip;
pub use spark::Spark;
pub use status::StatusCell;
pub use strip::PanelStrip;
pub use time_axis::TimeAxis;
pub use too_small::TooSmall;
