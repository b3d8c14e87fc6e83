//! Post-mortem notes kept beside a recording are loaded by the next replay and by the report;
//! the side file can add notes, never observations or live actions.

use warroom_core::model::{EventBody, OperatorAction, OperatorEvent};
use warroom_core::record::postmortem::{load as load_postmortem, path as postmortem_path};
use warroom_core::record::{Reader, Recorder};

#[test]
fn only_post_mortem_notes_are_loaded_from_the_side_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("r.jsonl");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args([
            "demo",
            "--headless",
            "--from",
            "T-10m",
            "--to",
            "T-5m",
            "--record",
        ])
        .arg(&rec)
        .output()
        .expect("headless demo");
    assert!(out.status.success());
    assert_eq!(
        load_postmortem(&rec),
        (Vec::new(), None),
        "no side file yet"
    );

    let (header, reader) = Reader::open(&rec).expect("recording");
    let events: Vec<_> = reader.collect();
    let observation = events
        .iter()
        .find(|e| matches!(e.body, EventBody::Metrics(_)))
        .expect("a metrics event")
        .clone();
    let mut note = observation.clone();
    note.body = EventBody::Operator(OperatorEvent {
        who: "analyst".into(),
        user: None,
        post_mortem: true,
        action: OperatorAction::Annotation {
            text: "root cause: CPU credits".into(),
        },
    });
    let mut live = note.clone();
    if let EventBody::Operator(o) = &mut live.body {
        o.post_mortem = false;
    }
    let mut w = Recorder::create(&postmortem_path(&rec), &header, false).expect("side file");
    for e in [&observation, &note, &live] {
        w.write_durable(e).expect("write");
    }
    drop(w);

    let (loaded, msg) = load_postmortem(&rec);
    assert_eq!(loaded, vec![note]);
    let msg = msg.expect("a footer line");
    assert!(msg.starts_with("1 post-mortem notes from"), "{msg}");
    assert!(msg.contains("2 other events ignored"), "{msg}");

    // The report puts the note on its timeline, marked, and says where it came from; the
    // observation and the live action from the side file are not in it.
    let out_dir = dir.path().join("report");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("report")
        .arg(&rec)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .expect("report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 post-mortem notes from"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(out_dir.join("index.md")).expect("index.md");
    let rows: Vec<&str> = md.lines().filter(|l| l.contains("root cause")).collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        // Brackets and colons read as written: Markdown takes neither for syntax.
        rows[0].contains("| operator | analyst: root cause: CPU credits (post-mortem note) |"),
        "{}",
        rows[0]
    );
    assert!(
        md.contains("- Post-mortem: 1 post-mortem notes from"),
        "{md}"
    );
}
