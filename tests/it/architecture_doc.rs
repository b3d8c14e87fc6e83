//! docs/architecture.md names every module that exists: each source file of every crate (its
//! directory for a `mod.rs`) appears there in backticks, test files aside.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Module names of the `.rs` files under `dir`, recursively.
fn modules(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read a source directory")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            modules(&path, out);
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().and_then(|e| e.to_str()) != Some("rs")
            || stem.ends_with("_tests")
            || stem == "tests"
            || matches!(stem, "lib" | "main")
        {
            continue;
        }
        let name = if stem == "mod" {
            dir.file_name()
                .and_then(|d| d.to_str())
                .expect("a directory name")
                .to_string()
        } else {
            stem.to_string()
        };
        out.push((path.clone(), name));
    }
}

#[test]
fn every_module_is_named_in_the_architecture_doc() {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).expect("the doc");
    let mut all = Vec::new();
    modules(&root().join("src"), &mut all);
    for krate in std::fs::read_dir(root().join("crates")).expect("crates") {
        modules(&krate.expect("crate").path().join("src"), &mut all);
    }
    assert!(all.len() > 200, "the walk finds the modules: {}", all.len());
    let missing: Vec<String> = all
        .iter()
        .filter(|(_, name)| !doc.contains(&format!("`{name}`")))
        .map(|(path, name)| format!("{name} ({})", path.display()))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/architecture.md does not name: {}",
        missing.join(", ")
    );
}
