//! The dashboard's model sources: live pollers (`watch`, and `demo` against the simulator
//! endpoint), the direct simulator (snapshots, tests) and the replay of a recording feed events
//! through the one pipeline and turn the evaluated state into the view model the screen draws.

pub mod build;
pub mod demo;
pub mod live;
pub mod operator;
pub mod replay;
pub mod summaries;
pub mod summary_view;
pub mod timeline;

pub use demo::DemoSource;
pub use live::LiveSource;
pub use replay::ReplaySource;

/// Whether `t` is in another second than the one last shown (then remembered): the header's
/// clock needs a frame even when no data changed.
fn new_second(shown: &mut i64, t: chrono::DateTime<chrono::Utc>) -> bool {
    let sec = t.timestamp();
    let tick = sec != *shown;
    *shown = sec;
    tick
}
