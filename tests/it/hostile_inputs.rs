//! Hostile and unlucky inputs through the real binary: a runbook or layout path that is a device
//! or a FIFO, expressions nested or long enough to overflow a recursive parser (in a layout, a
//! runbook `when:` and the layout embedded in a shared recording), escape sequences and bidi
//! overrides in a recording's bytes, and skipped lines reported by every reader. Each case ends
//! in bounded time with exit 0 or 2, never an abort, and every error names file:line:col.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/minimal.toml");
const MINIMAL_RUNBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/runbooks/minimal.md");

/// Runs warroom with `args`, killed (and the test failed) after `limit`. Its output is read
/// while it runs, so a long message never blocks it on a full pipe.
pub fn warroom_within(args: &[&str], dir: &Path, limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .current_dir(dir)
        .env("WARROOM_LOG_FILE", dir.join("warroom.log"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run warroom");
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let err = err.join().unwrap_or_default();
            panic!(
                "warroom {args:?} still running after {limit:?}: {}",
                String::from_utf8_lossy(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

fn warroom(args: &[&str], dir: &Path) -> Output {
    warroom_within(args, dir, Duration::from_mins(1))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The files named at `file:line:col: error: ...` on the lines of `stderr` (line and column
/// both from 1).
pub fn located_files(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| {
            let (loc, _) = l.split_once(": error: ")?;
            let mut parts = loc.rsplitn(3, ':');
            let (col, line, file) = (parts.next()?, parts.next()?, parts.next()?);
            let pos = |s: &str| s.parse::<u32>().is_ok_and(|n| n >= 1);
            (pos(line) && pos(col) && !file.is_empty()).then(|| file.to_string())
        })
        .collect()
}

/// Exit 2 and a line `file:line:col: error: ...` naming `file`.
fn assert_located(o: &Output, file: &str, what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert!(
        located_files(&err).iter().any(|f| f.ends_with(file)),
        "{what}: no {file}:line:col in\n{err}"
    );
}

/// The minimal layout with its runbook key set to `runbook` and `extra` appended.
fn layout_with(dir: &Path, runbook: &str, criterion: Option<&str>) -> PathBuf {
    let text = std::fs::read_to_string(MINIMAL).expect("minimal layout");
    let mut text = text.replace("\"../runbooks/minimal.md\"", &format!("{runbook:?}"));
    if let Some(when) = criterion {
        text = text.replace(
            "{ name = \"5xx < 0.5%\", when = \"web.5xx_rate < 0.5\" },",
            &format!("{{ name = \"deep\", when = \"{when}\" }},"),
        );
        assert!(text.contains("\"deep\""), "criterion replaced");
    }
    let path = dir.join("layout.toml");
    std::fs::write(&path, text).expect("write layout");
    path
}

#[test]
fn a_runbook_or_layout_that_is_a_device_or_a_fifo_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let layout = layout_with(d, "/dev/zero", None);
    let o = warroom_within(
        &["check", layout.to_str().expect("utf-8")],
        d,
        Duration::from_secs(20),
    );
    assert_located(&o, "layout.toml", "runbook /dev/zero");
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));

    let fifo = d.join("runbook.fifo");
    rustix_mkfifo(&fifo);
    let layout = layout_with(d, fifo.to_str().expect("utf-8"), None);
    let o = warroom_within(
        &["check", layout.to_str().expect("utf-8")],
        d,
        Duration::from_secs(20),
    );
    assert_located(&o, "layout.toml", "runbook FIFO");
    assert!(stderr(&o).contains("FIFO"), "{}", stderr(&o));

    for path in ["/dev/zero", fifo.to_str().expect("utf-8"), "/"] {
        let o = warroom_within(&["check", path], d, Duration::from_secs(20));
        assert_located(&o, path, "layout path");
        assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    }
}

fn rustix_mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

/// The expressions that aborted the process (a stack overflow, exit 134).
fn monsters() -> Vec<(&'static str, String)> {
    vec![
        (
            "2,500 parentheses",
            format!("{}web.5xx_rate{} < 1", "(".repeat(2_500), ")".repeat(2_500)),
        ),
        (
            "150 parentheses",
            format!("{}web.5xx_rate{} < 1", "(".repeat(150), ")".repeat(150)),
        ),
        (
            "a flat sum of 20,000 terms",
            format!("{} < 1", vec!["web.5xx_rate"; 20_000].join(" + ")),
        ),
        (
            "a flat sum of 500 terms",
            format!("{} < 1", vec!["web.5xx_rate"; 500].join(" + ")),
        ),
    ]
}

#[test]
fn deep_and_long_expressions_in_a_layout_are_located_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for (what, expr) in monsters() {
        let layout = layout_with(d, MINIMAL_RUNBOOK, Some(&expr));
        let o = warroom(&["check", layout.to_str().expect("utf-8")], d);
        assert_located(&o, "layout.toml", what);
        let err = stderr(&o);
        assert!(
            err.contains("too long") || err.contains("nested too deeply"),
            "{what}: {err}"
        );
    }
}

#[test]
fn deep_and_long_expressions_in_a_runbook_when_are_located_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let runbook = d.join("runbook.md");
    let layout = layout_with(d, runbook.to_str().expect("utf-8"), None);
    let text = std::fs::read_to_string(MINIMAL_RUNBOOK).expect("runbook");
    for (what, expr) in monsters() {
        let hostile = text.replace("`web.5xx_rate > 1 for 3m`", &format!("`{expr}`"));
        assert_ne!(hostile, text);
        std::fs::write(&runbook, hostile).expect("write runbook");
        let o = warroom(&["check", layout.to_str().expect("utf-8")], d);
        assert_located(&o, "runbook.md", what);
    }
}

/// A short recording of the reference scenario made by the headless demo.
fn recording(dir: &Path) -> PathBuf {
    let path = dir.join("demo.jsonl");
    let o = warroom(
        &[
            "demo",
            "--headless",
            "--from",
            "T-10m",
            "--to",
            "T+20m",
            "--record",
            path.to_str().expect("utf-8"),
        ],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    path
}

/// `path`'s lines with the header edited by `header` and `extra` lines appended.
fn rewrite(path: &Path, out: &Path, header: impl Fn(&mut serde_json::Value), extra: &[String]) {
    let text = std::fs::read_to_string(path).expect("recording");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut h: serde_json::Value = serde_json::from_str(&lines[0]).expect("header");
    header(&mut h);
    lines[0] = h.to_string();
    lines.extend(extra.iter().cloned());
    std::fs::write(out, lines.join("\n") + "\n").expect("write");
}

fn readers(rec: &Path, out: &Path) -> Vec<(&'static str, Vec<String>)> {
    let r = rec.to_str().expect("utf-8").to_string();
    vec![
        (
            "replay",
            vec!["replay".into(), "--headless".into(), r.clone()],
        ),
        (
            "report",
            vec![
                "report".into(),
                r.clone(),
                "--out".into(),
                out.to_str().expect("utf-8").into(),
            ],
        ),
        ("summary", vec!["summary".into(), r]),
    ]
}

#[test]
fn a_shared_recording_embedding_a_monster_layout_is_a_located_error_in_every_reader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let base = recording(d);
    let layout_text = std::fs::read_to_string(MINIMAL).expect("layout");
    for (what, expr) in monsters() {
        let text = layout_text
            .replace(
                "{ name = \"5xx < 0.5%\", when = \"web.5xx_rate < 0.5\" },",
                &format!("{{ name = \"deep\", when = \"{expr}\" }},"),
            )
            .replace("runbook = \"../runbooks/minimal.md\"\n", "");
        let rec = d.join("monster.jsonl");
        rewrite(
            &base,
            &rec,
            |h| {
                h["layout"]["path"] = "shared/layout.toml".into();
                h["layout"]["text"] = text.clone().into();
                h["runbook"] = serde_json::Value::Null;
            },
            &[],
        );
        for (reader, args) in readers(&rec, &d.join("report")) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = warroom(&args, d);
            assert_located(&o, "shared/layout.toml", &format!("{reader}, {what}"));
        }
    }
}

#[test]
fn recording_bytes_never_reach_the_terminal_raw_and_every_reader_counts_skipped_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let base = recording(d);
    let rec = d.join("hostile.jsonl");
    // At the recording's last event time, so every reader takes the note in order.
    let text = std::fs::read_to_string(&base).expect("recording");
    let last: serde_json::Value =
        serde_json::from_str(text.lines().last().expect("events")).expect("json");
    let at = last["at"].as_str().expect("at").to_string();
    let note = serde_json::json!({
        "at": at,
        "kind": "operator",
        "who": "noc\u{1b}]0;owned\u{7}1",
        "post_mortem": false,
        "action": "annotation",
        "text": "\u{202e}gnp.exe deployed \u{1b}[2J\u{2066}done",
    });
    rewrite(
        &base,
        &rec,
        |_| {},
        &[
            format!(r#"{{"at":"{at}","kind":"evil\u001b[2J\u001b]0;pwned\u0007"}}"#),
            note.to_string(),
            "not json \u{1b}[31m at all".to_string(),
        ],
    );
    for (reader, args) in readers(&rec, &d.join("report")) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = warroom(&args, d);
        assert_eq!(o.status.code(), Some(0), "{reader}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("skipped 2 unreadable line(s)"),
            "{reader} reports the skipped lines: {err}"
        );
        for (stream, text) in [
            ("stderr", err),
            ("stdout", String::from_utf8_lossy(&o.stdout).into_owned()),
        ] {
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}']),
                "{reader} {stream} carries raw control or bidi characters: {text:?}"
            );
        }
    }
    for format in ["text", "markdown", "slack", "teams", "sns"] {
        let o = warroom(
            &["summary", rec.to_str().expect("utf-8"), "--format", format],
            d,
        );
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}'])
                && !out.contains("\\u202e")
                && !out.contains("\\u001b"),
            "summary --format {format}: {out}"
        );
    }
    let report = std::fs::read_to_string(d.join("report/index.md")).expect("report");
    assert!(report.contains("deployed"), "the note is in the report");
    assert!(!report.contains(['\u{1b}', '\u{202e}', '\u{2066}']));
}

#[test]
fn the_dashboard_without_a_terminal_says_so_in_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = warroom(&["demo"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--headless"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
    assert!(!err.contains('\\'), "{err:?}");
}
