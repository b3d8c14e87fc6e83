//! Unit tests of the `live` module, kept beside it.

use super::*;
use crate::testing::{at, layout};

fn header(text: &str) -> Header {
    let mut l = layout();
    l.text = text.into();
    aws_header(&l, Some("prod"), at("2026-06-13T11:00:00Z"))
}

#[test]
fn the_header_names_accounts_regions_and_profile() {
    let h = header("x");
    assert_eq!(
        h.source,
        Source::Aws {
            accounts: vec!["main".into()],
            regions: layout().regions(),
            profile: Some("prod".into()),
        }
    );
    assert_eq!(h.layout.text, "x");
}

#[test]
fn append_rewrites_a_header_torn_by_a_kill_and_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    let h = header("layout A");
    let full = serde_json::to_string(&h).expect("json");
    // Killed after creating the file, or halfway through the header.
    for torn in [&full[..0], &full[..5], &full[..full.len() / 2]] {
        std::fs::write(&path, torn).expect("write");
        let rec = open(&path, &h, true, false).expect("recovers");
        assert!(
            rec.notice().is_some_and(|n| n.contains("torn")),
            "{:?}",
            rec.notice()
        );
        drop(rec);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text, format!("{full}\n"), "the header written anew");
        let rec = open(&path, &h, true, false).expect("then appends");
        assert_eq!(rec.notice(), None);
    }
    // Not a torn header: never overwritten.
    for other in [
        "precious notes without a newline",
        "{\"format\":\"other\"",
        "x\ny",
    ] {
        std::fs::write(&path, other).expect("write");
        assert!(open(&path, &h, true, false).is_err(), "{other}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), other);
    }
}

#[test]
fn append_continues_the_same_layout_and_refuses_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    // Appending to a file that does not exist yet creates it.
    let rec = open(&path, &header("layout A"), true, false).expect("create");
    drop(rec);
    let rec = open(&path, &header("layout A"), true, false).expect("append");
    drop(rec);
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(text.lines().count(), 1, "one header, not two:\n{text}");
    let Err(err) = open(&path, &header("layout B"), true, false) else {
        panic!("appended to a recording of another layout");
    };
    let msg = err.to_string();
    assert!(msg.contains("different layout"), "{msg}");
    assert!(
        msg.contains("; record to a new file") && !msg.contains(['\\', '\n']),
        "one line, no line-continuation debris: {msg:?}"
    );
    // Without --append an existing file is refused.
    let Err(err) = open(&path, &header("layout A"), false, false) else {
        panic!("replaced an existing recording");
    };
    assert!(
        matches!(err, OpenError::Record(RecordError::Exists { .. })),
        "{err}"
    );
}
