//! The shared room under load (run by `scripts/bench-room.sh`): the release collector
//! (`warroom collect --serve`) polls the in-process simulator endpoint at speed 1 (game-day
//! clock) with 0, 1 and 50 screens attached, each screen a real link folding every step as a
//! dashboard does. Prints a table: the collector's CPU and memory, AWS calls per minute, and how
//! long an operator's action takes to show on every screen; then how long a screen takes to have
//! the full picture of a 24-hour log. Asserts nothing about time.

// A benchmark reads top to bottom; the 80-line bound on functions is for the product.
#![allow(clippy::too_many_lines)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use warroom::dash::screen;
use warroom_core::board::Board;
use warroom_core::clock::Clock;
use warroom_core::journal::{Fold, Request};
use warroom_core::model::{EventBody, OperatorAction};
use warroom_room::{Link, LinkOptions, Received};
use warroom_sim::Scenario;
use warroom_sim::serve::{self, Faults, ServeHandle, ServeOptions};
use warroom_tui::widgets::ModeBadge;

fn bin() -> String {
    std::env::var("WARROOM_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_warroom").into())
}

fn layout_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/hybrid-bts.toml")
}

fn collect(record: &Path, env: &[(String, String)], append: bool) -> Child {
    let mut cmd = Command::new(bin());
    cmd.arg("collect")
        .arg(layout_path())
        .args(["--serve", "--record"])
        .arg(record)
        .current_dir(record.parent().expect("a directory"))
        .env("WARROOM_LOG_FILE", record.with_extension("log"))
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if append {
        cmd.arg("--append");
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("warroom collect")
}

fn wait_socket(socket: &Path, within: Duration) {
    let deadline = Instant::now() + within;
    while std::os::unix::net::UnixStream::connect(socket).is_err() {
        assert!(Instant::now() < deadline, "the room never opened");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// utime + stime in clock ticks, and VmRSS in KiB, from /proc.
fn usage(pid: u32) -> (u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rfind(')').map_or("", |i| &stat[i + 2..]);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (ticks, rss)
}

/// A screen without a terminal: the link and its fold; it notes when each mark arrived.
fn screen_thread(
    socket: PathBuf,
    who: String,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<(String, Instant)>>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let opts = LinkOptions {
            socket,
            operator: who,
            read_only: true,
        };
        let Ok((link, welcome)) = Link::open(opts, Duration::from_secs(30)) else {
            return;
        };
        let layout = warroom_core::config::load_texts(
            &welcome.header.layout,
            welcome.header.runbook.as_ref(),
        )
        .expect("layout");
        let mut fold = Fold::new(&layout, Board::default());
        while !stop.load(Ordering::Relaxed) {
            let Some(r) = link.try_recv() else {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            };
            if let Received::Step(s) = r {
                if let warroom_core::journal::Step::Batch { events, .. } = &s {
                    for e in events {
                        if let EventBody::Operator(o) = &e.body
                            && let OperatorAction::Annotation { text } = &o.action
                            && let Ok(mut v) = seen.lock()
                        {
                            v.push((text.clone(), Instant::now()));
                        }
                    }
                }
                s.fold_into(&mut fold);
            }
        }
    })
}

struct Phase {
    screens: usize,
    cpu: f64,
    rss_mb: f64,
    calls_per_min: f64,
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
}

fn percentile(v: &mut [f64], p: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied()
}

fn phase(pid: u32, endpoint: &ServeHandle, socket: &Path, screens: usize, secs: u64) -> Phase {
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..screens)
        .map(|i| screen_thread(socket.into(), format!("s{i}"), stop.clone(), seen.clone()))
        .collect();
    // Let every screen attach and catch up.
    std::thread::sleep(Duration::from_secs(10));
    let actor = (screens > 0).then(|| {
        Link::open(
            LinkOptions {
                socket: socket.into(),
                operator: "actor".into(),
                read_only: false,
            },
            Duration::from_secs(30),
        )
        .expect("the acting screen")
        .0
    });
    let calls0 = endpoint.calls().len();
    let (t0, _) = usage(pid);
    let start = Instant::now();
    let mut sent = Vec::new();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_secs(secs) {
        if let Some(a) = &actor {
            n += 1;
            let text = format!("bench mark {n}");
            a.ask(
                n,
                Request::Act(OperatorAction::Annotation { text: text.clone() }),
            );
            sent.push((text, Instant::now()));
        }
        std::thread::sleep(Duration::from_secs(2));
    }
    let wall = start.elapsed().as_secs_f64();
    let (t1, rss) = usage(pid);
    let calls = endpoint.calls().len() - calls0;
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    drop(actor);
    let seen = seen.lock().map(|v| v.clone()).unwrap_or_default();
    let mut lat: Vec<f64> = seen
        .iter()
        .filter_map(|(text, at)| {
            let sent_at = sent.iter().find(|(t, _)| t == text)?.1;
            Some(at.duration_since(sent_at).as_secs_f64() * 1000.0)
        })
        .collect();
    Phase {
        screens,
        cpu: (t1 - t0) as f64 / 100.0 / wall * 100.0,
        rss_mb: rss as f64 / 1024.0,
        calls_per_min: calls as f64 / wall * 60.0,
        p50_ms: percentile(&mut lat, 0.5),
        p99_ms: percentile(&mut lat, 0.99),
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.1}"))
}

/// Screens attached at speed 1: the table of phases.
fn load(rt: &tokio::runtime::Runtime, secs: u64) {
    let layout = warroom_core::config::load(&layout_path()).expect("layout");
    let clock = Clock::starting_at(layout.event.start + TimeDelta::minutes(30)).with_speed(1.0);
    let endpoint = rt
        .block_on(serve::spawn(
            &layout,
            ServeOptions {
                scenario: Scenario::ArmyDrop,
                seed: 42,
                clock,
                faults: Faults::default(),
                addr: "127.0.0.1:0".parse().expect("addr"),
            },
        ))
        .expect("endpoint");
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("event.jsonl");
    let mut child = collect(&record, &endpoint.env(), false);
    let socket = dir.path().join("event.jsonl.sock");
    wait_socket(&socket, Duration::from_mins(1));
    // The first poll brings three hours of history: not steady state.
    std::thread::sleep(Duration::from_secs(20));
    let phases: Vec<Phase> = [0, 1, 50]
        .into_iter()
        .map(|n| phase(child.id(), &endpoint, &socket, n, secs))
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    println!("collect --serve, reference layout, speed 1, {secs} s per row");
    println!(
        "| screens | collector CPU | collector RSS MB | AWS calls/min | action p50 ms | action p99 ms |"
    );
    println!("|---|---|---|---|---|---|");
    for p in &phases {
        println!(
            "| {} | {:.2}% | {:.1} | {:.1} | {} | {} |",
            p.screens,
            p.cpu,
            p.rss_mb,
            p.calls_per_min,
            opt(p.p50_ms),
            opt(p.p99_ms)
        );
    }
    if let (Some(a), Some(b)) = (phases.first(), phases.last()) {
        println!(
            "added memory per screen (50 screens): {:.2} MB",
            (b.rss_mb - a.rss_mb) / 50.0
        );
    }
}

/// A screen attaching to the room of a 24-hour log: the whole log folded and the screen built.
fn attach_24h(rt: &tokio::runtime::Runtime) {
    let layout = warroom_core::config::load(&layout_path()).expect("layout");
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("day.jsonl");
    let made = Command::new(bin())
        .args([
            "demo",
            "--headless",
            "--from",
            "T-12h",
            "--to",
            "T+12h",
            "--record",
        ])
        .arg(&record)
        .stdout(Stdio::null())
        .status()
        .expect("demo --headless");
    assert!(made.success());
    // A collector continues only a recording of AWS: the simulated day is given the header a
    // collector of the same layout writes (the events are the simulated ones).
    let text = std::fs::read_to_string(&record).expect("the day");
    let header = warroom_core::record::live::aws_header(
        &layout,
        None,
        layout.event.start - TimeDelta::hours(12),
    );
    let (_, events) = text.split_once('\n').expect("a header line");
    let header = serde_json::to_string(&header).expect("header json");
    std::fs::write(&record, format!("{header}\n{events}")).expect("rewrite the header");
    // The collector continues it: the clock where the day ends.
    let clock = Clock::starting_at(layout.event.start + TimeDelta::hours(12)).with_speed(1.0);
    let endpoint = rt
        .block_on(serve::spawn(
            &layout,
            ServeOptions {
                scenario: Scenario::ArmyDrop,
                seed: 42,
                clock,
                faults: Faults::default(),
                addr: "127.0.0.1:0".parse().expect("addr"),
            },
        ))
        .expect("endpoint");
    let size = std::fs::metadata(&record).map_or(0, |m| m.len());
    let mut child = collect(&record, &endpoint.env(), true);
    let socket = dir.path().join("day.jsonl.sock");
    wait_socket(&socket, Duration::from_mins(2));
    let mut rows = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let (link, welcome) = Link::open(
            LinkOptions {
                socket: socket.clone(),
                operator: "late".into(),
                read_only: true,
            },
            Duration::from_mins(1),
        )
        .expect("welcomed");
        let layout = warroom_core::config::load_texts(
            &welcome.header.layout,
            welcome.header.runbook.as_ref(),
        )
        .expect("layout");
        let mut fold = Fold::new(&layout, Board::default());
        // The screen is full once it folded what the room had when it was welcomed.
        let target = std::fs::read_to_string(&record)
            .map_or(0, |t| t.lines().count().saturating_sub(1) as u64);
        while fold.seq() < target {
            match link.try_recv() {
                Some(Received::Step(s)) => {
                    s.fold_into(&mut fold);
                }
                Some(_) => {}
                None => std::thread::sleep(Duration::from_millis(1)),
            }
        }
        let model = screen::model(&fold, Utc::now(), ModeBadge::Live);
        std::hint::black_box(model);
        rows.push((start.elapsed().as_secs_f64(), fold.seq()));
    }
    let _ = child.kill();
    let _ = child.wait();
    println!("\nattach to a 24-hour log ({:.1} MB)", size as f64 / 1e6);
    println!("| run | events | full screen in s |");
    println!("|---|---|---|");
    for (i, (s, n)) in rows.iter().enumerate() {
        println!("| {} | {n} | {s:.3} |", i + 1);
    }
}

fn main() {
    let secs: u64 = std::env::var("WARROOM_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    if wanted("load") {
        load(&rt, secs);
    }
    if wanted("attach") {
        attach_24h(&rt);
    }
}
