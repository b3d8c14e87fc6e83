//! Golden files: a test's output compared with the file that pins it (`tests/snapshots/*`, the
//! invalid layouts' `.expected`), rewritten instead when `BLESS=1` is set. One helper and one
//! update variable for every golden file of the integration tests.

/// Compares `actual` with the file at `path` (relative to the repository), byte for byte; with
/// `BLESS=1` in the environment, writes `actual` there instead (creating its directory).
pub fn check(path: &str, actual: &str) {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("BLESS").is_some() {
        if let Some(dir) = std::path::Path::new(&full).parent() {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        std::fs::write(&full, actual).expect("write golden file");
        return;
    }
    let want = std::fs::read_to_string(&full)
        .unwrap_or_else(|e| panic!("{path}: {e} (BLESS=1 writes it)"));
    assert_eq!(
        actual, want,
        "output differs from {path} (BLESS=1 rewrites it):\n{actual}"
    );
}
