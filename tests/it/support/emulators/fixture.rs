//! Test layouts for the emulators (tests/fixtures/emulators/*.toml): `{run}` in a fixture is
//! replaced by this test's run id, so resource names and metric dimensions never collide
//! with those of another test binary or an earlier run against the same emulator.

use warroom_core::config::Layout;
use warroom_core::model::EmbeddedFile;

use super::server::{repo_root, run_id};

/// The fixture `name` (e.g. `cloudwatch.toml`) with `{run}` filled in, validated.
pub fn layout(name: &str) -> (Layout, EmbeddedFile) {
    let path = repo_root().join("tests/fixtures/emulators").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .replace("{run}", run_id());
    let file = EmbeddedFile {
        path: format!("tests/fixtures/emulators/{name}"),
        text,
    };
    let layout = warroom_core::config::load_texts(&file, None)
        .unwrap_or_else(|e| panic!("fixture {name} is not a valid layout: {e}"));
    (layout, file)
}
