//! The dashboard's model sources: a live journal (`watch`, and `demo` against the simulator
//! endpoint), the direct simulator (snapshots, tests) and the replay of a recording fold events
//! and turn the fold into the view model the screen draws (`screen`, `build`).

pub mod attach;
pub mod build;
pub mod follow;
pub mod live;
pub mod replay;
pub mod screen;
pub mod summary_view;

pub use attach::AttachSource;
pub use follow::FollowSource;
pub use live::{Feed, LiveSource};
pub use replay::ReplaySource;

/// The operator's name: `--operator`, else `$USER`/`$LOGNAME`, else `operator`.
pub(crate) fn operator_name(flag: Option<&str>) -> String {
    flag.map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "operator".to_string())
}
