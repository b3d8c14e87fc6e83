//! Post-mortem notes kept beside a recording are loaded by the next replay; the side file can
//! add notes, never observations or live actions.

use warroom::dash::replay::{load_postmortem, postmortem_path};
use warroom::model::{EventBody, OperatorAction, OperatorEvent};
use warroom::record::{Reader, Recorder};

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
}
