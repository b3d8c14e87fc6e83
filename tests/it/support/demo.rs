//! The headless demo run through the binary, recording to a file: the recording several
//! integration tests build on (summaries, the room's record), made as `warroom demo
//! --headless --record` makes it.

use std::path::Path;
use std::process::Command;

/// Records the headless demo of `scenario` (the reference event when None) to `path`; panics
/// with the binary's stderr if it fails.
pub fn record_headless(scenario: Option<&str>, path: &Path) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(["demo", "--headless"]);
    if let Some(s) = scenario {
        cmd.args(["--scenario", s]);
    }
    let out = cmd
        .arg("--record")
        .arg(path)
        .output()
        .expect("run warroom demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
