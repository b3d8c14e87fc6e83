//! `warroom collect` through the real binary against an endpoint where nothing listens: it keeps
//! running, records a `source_status` event marking every source of the layout failed, keeps no
//! secret in the recording or the log, and exits 0 on SIGTERM with a valid recording.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use warroom_core::model::{EventBody, SourceState};
use warroom_core::record::Reader;

const LAYOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/minimal.toml");
const SECRET: &str = "wJalrXUtnFEMIxK7MDENGxbPxRfiCYzEXAMPLEKEY";

/// A loopback port nothing listens on (bound, then released).
fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn start(record: &Path, log: &Path) -> Child {
    start_with(record, log, &[])
}

fn start_with(record: &Path, log: &Path, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["collect", LAYOUT, "--record"])
        .arg(record)
        .args(extra)
        // The layout's summary directory is relative to the working directory.
        .current_dir(record.parent().expect("a directory"))
        .env("WARROOM_LOG_FILE", log)
        .env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", dead_port()),
        )
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start warroom collect")
}

/// Source names with a status in the recording so far (a torn last line is skipped).
fn statuses(record: &Path) -> Vec<(String, SourceState, String)> {
    let Ok((_, reader)) = Reader::open(record) else {
        return Vec::new();
    };
    reader
        .filter_map(|e| match e.body {
            EventBody::SourceStatus(s) => Some((s.source, s.state, s.detail.unwrap_or_default())),
            _ => None,
        })
        .collect()
}

#[test]
fn collect_survives_a_dead_endpoint_marks_sources_failed_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("live.jsonl");
    let log = dir.path().join("warroom.log");
    let layout = warroom_core::config::load(Path::new(LAYOUT)).expect("layout");
    let expected: BTreeSet<String> = warroom_core::source::layout_sources(&layout)
        .into_iter()
        .map(|s| s.to_string())
        .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    let mut child = start(&record, &log);
    // Wait (bounded) until every source reported its first poll.
    let deadline = Instant::now() + Duration::from_secs(90);
    let seen = loop {
        let seen: BTreeSet<String> = statuses(&record).into_iter().map(|s| s.0).collect();
        if seen == expected || Instant::now() > deadline {
            break seen;
        }
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "collect exited early"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(seen, expected, "every source reports a status");
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "collect keeps running while every call fails"
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(stderr.contains("stopped;"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no escape codes: {stderr:?}");
    for (source, state, detail) in statuses(&record) {
        assert_eq!(state, SourceState::Error, "{source}: {detail}");
        assert!(detail.contains("connection"), "{source}: {detail}");
        assert!(
            stderr.contains(&format!("source {source}: error")),
            "{source} change reported:\n{stderr}"
        );
    }
    let (header, reader) = Reader::open(&record).expect("valid recording");
    assert!(matches!(
        header.source,
        warroom_core::model::Source::Aws { .. }
    ));
    assert_eq!(header.layout.text, layout.text);
    assert!(header.runbook.is_some(), "runbook embedded");
    let _ = reader.count();
    let text = std::fs::read_to_string(&record).expect("read");
    assert!(text.ends_with('\n'), "no torn last line");
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    for (what, t) in [("recording", &text), ("log", &log_text)] {
        assert!(!t.contains(SECRET), "secret key in the {what}");
        assert!(!t.contains("AKIAIOSFODNN7EXAMPLE"), "key id in the {what}");
    }
}

/// A collector killed while it wrote the header leaves no complete line; restarted with
/// `--append` (systemd's restart), it writes the header anew, says so, and collects, instead of
/// refusing the file forever.
#[test]
fn collect_append_recovers_a_header_torn_by_a_kill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("live.jsonl");
    let log = dir.path().join("warroom.log");
    std::fs::write(
        &record,
        "{\"format\":\"warroom-events\",\"version\":1,\"wri",
    )
    .expect("torn");
    let mut child = start_with(&record, &log, &["--append"]);
    let deadline = Instant::now() + Duration::from_mins(1);
    while statuses(&record).is_empty() {
        assert!(Instant::now() < deadline, "no status recorded");
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "collect refused the torn file"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(stderr.contains("header was torn"), "{stderr}");
    let (header, reader) = Reader::open(&record).expect("a valid recording");
    assert!(matches!(
        header.source,
        warroom_core::model::Source::Aws { .. }
    ));
    assert!(reader.count() > 0, "collection went on");
}

/// Every refusal of `--serve` comes before the recording is touched: a world-writable or
/// group-writable directory, a file or a symlink at the socket path, a socket path too long, an
/// unknown operators' group, a live room on the socket. Each exits 2 and `old.jsonl` keeps its
/// bytes.
#[test]
fn collect_serve_refuses_before_it_replaces_the_recording() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let open = dir.path().join("open");
    std::fs::create_dir(&open).expect("dir");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("dir");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o770)).expect("chmod");
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).expect("dir");
    std::fs::write(plain.join("file.sock"), "a file").expect("file");
    std::os::unix::fs::symlink(plain.join("file.sock"), plain.join("link.sock")).expect("link");
    let _live = std::os::unix::net::UnixListener::bind(plain.join("live.sock")).expect("live");
    let long = plain.join("r".repeat(110));
    let cases: Vec<(&Path, Vec<String>, &str)> = vec![
        (&open, vec![], "others can write"),
        (&shared, vec![], "others can write"),
        (
            &plain,
            vec!["--socket".into(), path(&plain.join("file.sock"))],
            "not a socket",
        ),
        (
            &plain,
            vec!["--socket".into(), path(&plain.join("link.sock"))],
            "not a socket",
        ),
        (
            &plain,
            vec!["--socket".into(), path(&plain.join("live.sock"))],
            "already served",
        ),
        (
            &plain,
            vec!["--socket".into(), path(&long)],
            "at most 107 bytes",
        ),
        (
            &plain,
            vec!["--operators-group".into(), "no-such-group-here".into()],
            "no group",
        ),
    ];
    for (where_, extra, says) in cases {
        let record = where_.join("old.jsonl");
        std::fs::write(&record, "the old recording\n").expect("old");
        let mut args = vec!["--overwrite".to_string(), "--serve".into()];
        args.extend(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = start_with(&record, &dir.path().join("collect.log"), &args)
            .wait_with_output()
            .expect("ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(
            std::fs::read_to_string(&record).expect("still there"),
            "the old recording\n",
            "{args:?}: the recording was touched"
        );
    }
}

fn path(p: &Path) -> String {
    p.display().to_string()
}
