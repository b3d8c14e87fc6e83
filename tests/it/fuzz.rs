//! The fuzz suite: property tests (proptest) that mutate the shipped layouts (`layouts/`), the
//! shipped runbooks (`runbooks/`) and a recording made by the headless demo, and run the real
//! binary on each mutant (`check`, or `replay --headless`, `report`, `summary`). Every case
//! must end within [`CASE_LIMIT`] (a generous bound against hangs, not a performance goal)
//! with exit 0 or 2: never a panic (101), an abort or a signal (a stack overflow is SIGABRT);
//! every exit 2 names `file:line:col`; nothing from the mutant reaches stdout or stderr as a
//! raw control, escape or bidi character.
//!
//! Mutations, one to four per case: lines deleted, duplicated, swapped or copied; bytes
//! replaced by structural or hostile characters; fragments of TOML, Markdown and expressions
//! inserted; truncation; a slice repeated; numbers replaced by extremes; an expression nested
//! or flattened to thousands of terms; the layout embedded in the recording's header mutated.
//!
//! `WARROOM_FUZZ_CASES=N` runs N cases per target (default: a few hundred in all, about a
//! minute); `WARROOM_FUZZ_SEED=N` fixes another seed, `WARROOM_FUZZ_SEED=random` draws one.
//! See docs/testing.md.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use crate::hostile_inputs::{located_files, warroom_within};

/// Longest a case may take before it counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(30);

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Characters and sequences that break structure or carry hostile bytes.
const BYTES: &[&str] = &[
    "\0",
    "\u{1b}[2J",
    "\u{1b}]0;owned\u{7}",
    "\u{202e}",
    "\u{2066}",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "=",
    "(",
    ")",
    "\n",
    "\r",
    "\t",
    "#",
    "\\",
    "`",
    ",",
    ".",
    "-",
    ":",
    "\u{e9}",
    "\u{c11c}",
    "\u{feff}",
    "*",
    "|",
    ">",
    "\u{85}",
    "\u{ff}",
];

/// Fragments of the layout, runbook and expression languages.
const FRAGMENTS: &[&str] = &[
    "[[series]]\n",
    "[[panel]]\nid = \"p\"\n",
    "[event]\n",
    "[return_to_normal]\n",
    "[[summary.sink]]\nkind = \"directory\"\npath = \"/dev/zero\"\n",
    "id = \"x\"\n",
    " = \"\"\n",
    "runbook = \"/dev/zero\"\n",
    "when = \"a >\"\n",
    "expr = \"a + b\"\n",
    "threshold = { warn = 1e309, crit = -1, for = \"0m\" }\n",
    "\n### RB-99: again\n\n- when: `not not not x`\n",
    "\n- when: `((((",
    "\n## Steps\n",
    "- [ ] ",
    " for 0m",
    " for 99999999h",
    " and ",
    " or not ",
    "changes(",
    "baseline(",
    "1e309",
    "-0",
    "99999999999999999999",
    "\"\"\"",
    "'''",
    "ALARM",
    "HEALTHY",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
];

/// Numbers a field may be set to.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1e309",
    "-1e309",
    "nan",
    "inf",
    "18446744073709551616",
    "0.0000000001",
    "2147483648",
    "1e-400",
];

/// Nesting depths and term counts for expressions.
const SIZES: &[usize] = &[2, 10, 99, 101, 150, 201, 2_500];

/// One edit of a file's bytes; positions are taken modulo what they index.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    CopyLine { from: usize, to: usize },
    ReplaceByte { at: usize, with: usize },
    Insert { at: usize, fragment: usize },
    Truncate(usize),
    RepeatSlice { at: usize, len: usize, times: usize },
    ReplaceNumber { nth: usize, with: usize },
    Nest { nth: usize, depth: usize },
    Flatten { nth: usize, terms: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = || any::<u16>().prop_map(usize::from);
    prop_oneof![
        n().prop_map(Mutation::DeleteLine),
        n().prop_map(Mutation::DuplicateLine),
        (n(), n()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (n(), n()).prop_map(|(from, to)| Mutation::CopyLine { from, to }),
        (n(), n()).prop_map(|(at, with)| Mutation::ReplaceByte { at, with }),
        (n(), n()).prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        n().prop_map(Mutation::Truncate),
        (n(), 1..64usize, 2..400usize).prop_map(|(at, len, times)| Mutation::RepeatSlice {
            at,
            len,
            times
        }),
        (n(), n()).prop_map(|(nth, with)| Mutation::ReplaceNumber { nth, with }),
        (n(), n()).prop_map(|(nth, depth)| Mutation::Nest { nth, depth }),
        (n(), n()).prop_map(|(nth, terms)| Mutation::Flatten { nth, terms }),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..5)
}

/// Byte offsets of line starts, and the end.
fn line_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in b.iter().enumerate() {
        if *c == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < b.len() {
        out.push((start, b.len()));
    }
    out
}

/// Spans of the text between a pair of `"` or `` ` `` on one line: where expressions live.
fn quoted_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (s, e) in line_spans(b) {
        for q in [b'"', b'`'] {
            let idx: Vec<usize> = (s..e).filter(|i| b[*i] == q).collect();
            for pair in idx.chunks(2) {
                if let [a, z] = pair {
                    out.push((a + 1, *z));
                }
            }
        }
    }
    out
}

fn pick<T: Copy>(v: &[T], i: usize) -> Option<T> {
    (!v.is_empty()).then(|| v[i % v.len()])
}

fn apply(mut b: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let len = b.len().max(1);
    match *m {
        Mutation::DeleteLine(i) => {
            if let Some((s, e)) = pick(&line_spans(&b), i) {
                b.drain(s..e);
            }
        }
        Mutation::DuplicateLine(i) => {
            if let Some((s, e)) = pick(&line_spans(&b), i) {
                let line = b[s..e].to_vec();
                b.splice(s..s, line);
            }
        }
        Mutation::SwapLines(x, y) => {
            let lines = line_spans(&b);
            if let (Some(p), Some(q)) = (pick(&lines, x), pick(&lines, y)) {
                let (first, second) = if p.0 <= q.0 { (p, q) } else { (q, p) };
                if first.1 <= second.0 {
                    let mut out = b[..first.0].to_vec();
                    out.extend_from_slice(&b[second.0..second.1]);
                    out.extend_from_slice(&b[first.1..second.0]);
                    out.extend_from_slice(&b[first.0..first.1]);
                    out.extend_from_slice(&b[second.1..]);
                    b = out;
                }
            }
        }
        Mutation::CopyLine { from, to } => {
            let lines = line_spans(&b);
            if let (Some((s, e)), Some((at, _))) = (pick(&lines, from), pick(&lines, to)) {
                let line = b[s..e].to_vec();
                b.splice(at..at, line);
            }
        }
        Mutation::ReplaceByte { at, with } => {
            let at = at % len;
            let with = BYTES[with % BYTES.len()].as_bytes().to_vec();
            if at < b.len() {
                b.splice(at..=at, with);
            }
        }
        Mutation::Insert { at, fragment } => {
            let at = at % (b.len() + 1);
            let f = FRAGMENTS[fragment % FRAGMENTS.len()].as_bytes().to_vec();
            b.splice(at..at, f);
        }
        Mutation::Truncate(at) => b.truncate(at % len),
        Mutation::RepeatSlice {
            at,
            len: width,
            times,
        } => {
            let from = at % len;
            let to = (from + width).min(b.len());
            if from < to {
                let slice = b[from..to].repeat(times);
                b.splice(from..to, slice);
            }
        }
        Mutation::ReplaceNumber { nth, with } => {
            let nums = number_spans(&b);
            if let Some((s, e)) = pick(&nums, nth) {
                b.splice(s..e, NUMBERS[with % NUMBERS.len()].bytes());
            }
        }
        Mutation::Nest { nth, depth } => {
            if let Some((s, e)) = pick(&quoted_spans(&b), nth) {
                let d = SIZES[depth % SIZES.len()];
                let mut inner = "(".repeat(d).into_bytes();
                inner.extend_from_slice(&b[s..e]);
                inner.extend(")".repeat(d).bytes());
                b.splice(s..e, inner);
            }
        }
        Mutation::Flatten { nth, terms } => {
            if let Some((s, e)) = pick(&quoted_spans(&b), nth) {
                let t = SIZES[terms % SIZES.len()];
                let term = b[s..e].to_vec();
                let mut flat = Vec::new();
                for i in 0..t {
                    if i > 0 {
                        flat.extend_from_slice(b" + ");
                    }
                    flat.extend_from_slice(&term);
                }
                b.splice(s..e, flat);
            }
        }
    }
    b
}

/// Spans of decimal numbers in the text.
fn number_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

fn mutate(seed: &[u8], ms: &[Mutation]) -> Vec<u8> {
    ms.iter().fold(seed.to_vec(), apply)
}

/// Control, escape and bidi characters that must never reach a terminal raw.
fn raw_hostile(text: &str) -> Option<char> {
    text.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
    })
}

/// How the cases of a target ended: a suite whose mutants all failed (or all passed) would
/// test less than it claims.
#[derive(Default)]
struct Tally {
    ok: AtomicUsize,
    refused: AtomicUsize,
}

impl Tally {
    fn count(&self, o: &Output) {
        let c = if o.status.success() {
            &self.ok
        } else {
            &self.refused
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// Both outcomes seen, each in at least 5% of the cases.
    fn assert_mixed(&self, target: &str) {
        let (ok, refused) = (
            self.ok.load(Ordering::Relaxed),
            self.refused.load(Ordering::Relaxed),
        );
        eprintln!("fuzz {target}: {ok} cases exit 0, {refused} exit 2");
        let n = ok + refused;
        assert!(
            ok * 20 >= n && refused * 20 >= n,
            "{target}: {ok} accepted and {refused} refused of {n}: the mutations miss a side"
        );
    }
}

/// The verdict on one run of the binary.
fn judge(what: &str, o: &Output, elapsed: Duration) -> Result<(), TestCaseError> {
    let err = String::from_utf8_lossy(&o.stderr);
    let out = String::from_utf8_lossy(&o.stdout);
    let fail = |why: String| {
        Err(TestCaseError::fail(format!(
            "{what}: {why}\nstderr:\n{err}"
        )))
    };
    match o.status.code() {
        Some(0) => {}
        Some(2) => {
            if located_files(&err).is_empty() {
                return fail("exit 2 without a file:line:col".into());
            }
        }
        other => return fail(format!("exit {other:?} (a panic, an abort or a signal)")),
    }
    if let Some(c) = raw_hostile(&err) {
        return fail(format!("a raw {c:?} on stderr"));
    }
    if let Some(c) = raw_hostile(&out) {
        return fail(format!("a raw {c:?} on stdout"));
    }
    if elapsed > CASE_LIMIT {
        return fail(format!("took {elapsed:?}"));
    }
    Ok(())
}

/// Cases for a target: `WARROOM_FUZZ_CASES`, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("WARROOM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A runner on `WARROOM_FUZZ_SEED` (a number, or `random`), else a fixed seed per target so CI
/// runs the same cases every time.
fn runner(target: u64, default_cases: u32) -> TestRunner {
    let config = Config {
        cases: cases(default_cases),
        failure_persistence: None,
        max_shrink_iters: 64,
        ..Config::default()
    };
    let seed = match std::env::var("WARROOM_FUZZ_SEED").ok().as_deref() {
        Some("random") => return TestRunner::new(config),
        Some(n) => n.parse::<u64>().unwrap_or(0x5eed),
        None => 0x5eed,
    };
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&target.to_le_bytes());
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

fn run(args: &[&str], dir: &Path) -> (Output, Duration) {
    let t = Instant::now();
    let o = warroom_within(args, dir, CASE_LIMIT);
    (o, t.elapsed())
}

/// The layouts directory of a case: the mutant beside an intact copy of the runbooks, so the
/// layout's `../runbooks/...` key still resolves.
fn case_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("layouts")).expect("mkdir");
    std::fs::create_dir(dir.path().join("runbooks")).expect("mkdir");
    for rb in ["hybrid-bts.md", "minimal.md"] {
        std::fs::copy(
            Path::new(ROOT).join("runbooks").join(rb),
            dir.path().join("runbooks").join(rb),
        )
        .expect("copy runbook");
    }
    dir
}

fn seed(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(ROOT).join(rel)).expect("shipped file")
}

#[test]
fn mutated_layouts_fail_cleanly() {
    let dir = case_dir();
    let seeds = [
        ("hybrid-bts.toml", seed("layouts/hybrid-bts.toml")),
        ("minimal.toml", seed("layouts/minimal.toml")),
    ];
    let tally = Tally::default();
    let mut runner = runner(1, 400);
    let result = runner.run(&(0..seeds.len(), mutations()), |(which, ms)| {
        let (name, text) = &seeds[which];
        let path = dir.path().join("layouts").join(name);
        std::fs::write(&path, mutate(text, &ms)).expect("write mutant");
        let (o, t) = run(&["check", path.to_str().expect("utf-8")], dir.path());
        tally.count(&o);
        judge(&format!("check {name} after {ms:?}"), &o, t)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    tally.assert_mixed("layouts");
}

#[test]
fn mutated_runbooks_fail_cleanly() {
    let dir = case_dir();
    let pairs = [
        ("hybrid-bts.toml", "hybrid-bts.md"),
        ("minimal.toml", "minimal.md"),
    ];
    for (layout, _) in pairs {
        std::fs::copy(
            Path::new(ROOT).join("layouts").join(layout),
            dir.path().join("layouts").join(layout),
        )
        .expect("copy layout");
    }
    let texts: Vec<Vec<u8>> = pairs
        .iter()
        .map(|(_, rb)| seed(&format!("runbooks/{rb}")))
        .collect();
    let tally = Tally::default();
    let mut runner = runner(2, 250);
    let result = runner.run(&(0..pairs.len(), mutations()), |(which, ms)| {
        let (layout, rb) = pairs[which];
        std::fs::write(
            dir.path().join("runbooks").join(rb),
            mutate(&texts[which], &ms),
        )
        .expect("write mutant");
        let path = dir.path().join("layouts").join(layout);
        let (o, t) = run(&["check", path.to_str().expect("utf-8")], dir.path());
        tally.count(&o);
        judge(&format!("check {layout} with {rb} after {ms:?}"), &o, t)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    tally.assert_mixed("runbooks");
}

/// A short recording of the reference scenario, made once.
fn recording() -> &'static Path {
    static REC: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &REC.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("seed.jsonl");
        let (o, _) = run(
            &[
                "demo",
                "--headless",
                "--from",
                "T-5m",
                "--to",
                "T+10m",
                "--record",
                path.to_str().expect("utf-8"),
            ],
            dir.path(),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (dir, path)
    })
    .1
}

/// Where a recording mutation applies.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// The file's bytes as a whole (header line included).
    Bytes,
    /// The layout text embedded in the header (then written back as JSON).
    EmbeddedLayout,
}

/// The recording with `ms` applied to `part`.
fn mutate_recording(text: &[u8], part: Part, ms: &[Mutation]) -> Vec<u8> {
    match part {
        Part::Bytes => mutate(text, ms),
        Part::EmbeddedLayout => {
            let end = text.iter().position(|b| *b == b'\n').unwrap_or(text.len());
            let mut header: serde_json::Value =
                serde_json::from_slice(&text[..end]).expect("the seed's header");
            let layout = header["layout"]["text"]
                .as_str()
                .unwrap_or_default()
                .as_bytes();
            let mutant = String::from_utf8_lossy(&mutate(layout, ms)).into_owned();
            header["layout"]["text"] = mutant.into();
            let mut out = header.to_string().into_bytes();
            out.extend_from_slice(&text[end..]);
            out
        }
    }
}

#[test]
fn mutated_recordings_are_read_cleanly_by_replay_report_and_summary() {
    let text = std::fs::read(recording()).expect("seed recording");
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("mutant.jsonl");
    let out = dir.path().join("report");
    let r = rec.to_str().expect("utf-8").to_string();
    let o = out.to_str().expect("utf-8").to_string();
    let commands: [Vec<&str>; 3] = [
        vec!["replay", "--headless", &r],
        vec!["report", &r, "--out", &o],
        vec!["summary", &r],
    ];
    let parts = [Part::Bytes, Part::EmbeddedLayout];
    let tally = Tally::default();
    let mut runner = runner(3, 250);
    let strategy = (0..commands.len(), 0..parts.len(), mutations());
    let result = runner.run(&strategy, |(cmd, part, ms)| {
        std::fs::write(&rec, mutate_recording(&text, parts[part], &ms)).expect("write mutant");
        let (output, t) = run(&commands[cmd], dir.path());
        tally.count(&output);
        judge(
            &format!("{} of {:?} after {ms:?}", commands[cmd][0], parts[part]),
            &output,
            t,
        )
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    tally.assert_mixed("recordings");
}
