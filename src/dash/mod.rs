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
