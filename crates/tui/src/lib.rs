//! warroom-tui: the terminal dashboard: reads a per-frame view model built from the evaluated state and
//! draws it; maps keys to actions that the app turns into operator events. Render borrows and
//! never mutates; the terminal is restored on every exit path.

pub mod app;
pub mod caps;
#[cfg(any(test, feature = "testing"))]
pub mod fixture;
pub mod format;
pub mod incident_form;
pub mod input;
pub mod keys;
pub mod layout;
pub mod notice;
pub mod rows;
pub mod rtn_keys;
pub mod run;
pub mod summary_keys;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod view_model;
pub mod widgets;

use warroom_core::{config, eval, model, sanitize, time};

pub use app::{Answer, Effect, ReplayCommand, UiState};
pub use caps::Caps;
pub use keys::InputMode;
pub use run::{ModelSource, run};
pub use theme::Theme;
