//! Terminal benchmarks of the release dashboard in an 80x24 pseudo-terminal (run by
//! `scripts/bench-terminal.sh`): bytes written and CPU used per second by `warroom demo --speed
//! 1`, then resident memory over 12 simulated hours. Prints tables; asserts nothing about time.

use std::time::{Duration, Instant};

#[path = "../tests/it/support/pty.rs"]
mod pty;

use pty::Session;

/// `warroom ARGS` on a pseudo-terminal: the binary in `WARROOM_BENCH_BIN` (the script's
/// release build), else the one cargo built for this bench.
fn demo(extra: &[&str]) -> Session {
    let bin = std::env::var("WARROOM_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_warroom").to_string());
    let mut cmd = pty::command(&bin);
    cmd.args(["demo", "--operator", "pty-op"]);
    cmd.args(extra);
    let mut s = Session::start(cmd);
    s.wait_for("the dashboard", |sc| {
        sc.alternate_screen() && sc.contents().contains("SIM x")
    });
    s
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks one benchmark.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    if wanted("terminal_bytes_per_second") {
        terminal_bytes_per_second();
    }
    if wanted("dashboard_memory_over_12_hours") {
        dashboard_memory_over_12_hours();
    }
}

/// Bytes written to an 80x24 terminal per second by `warroom demo --speed 1`, over
/// `WARROOM_BENCH_SECS` (default 60) seconds. Prints a table.
fn terminal_bytes_per_second() {
    let secs: u64 = std::env::var("WARROOM_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let mut s = demo(&["--speed", "1"]);
    // The first full paint is not steady state: let it finish (3 s) before counting.
    let warm = Instant::now();
    let mut first_paint = 0;
    while warm.elapsed() < Duration::from_secs(3) {
        if let Ok(b) = s.bytes.recv_timeout(Duration::from_millis(100)) {
            first_paint += b.len();
            s.parser.process(&b);
        }
    }
    let pid = s.child.process_id().expect("pid");
    let cpu0 = cpu_ticks(pid);
    let start = Instant::now();
    let mut per_sec = vec![0usize; usize::try_from(secs).expect("secs")];
    while start.elapsed() < Duration::from_secs(secs) {
        if let Ok(b) = s.bytes.recv_timeout(Duration::from_millis(100)) {
            let i = usize::try_from(start.elapsed().as_secs()).expect("secs");
            if let Some(slot) = per_sec.get_mut(i) {
                *slot += b.len();
            }
            s.parser.process(&b);
        }
    }
    let cpu = cpu_ticks(pid) - cpu0;
    let wall = start.elapsed().as_secs_f64();
    s.press(b"q");
    assert!(s.wait_exit());
    if std::env::var_os("WARROOM_BENCH_DUMP").is_some() {
        println!("per second: {per_sec:?}");
    }
    let total: usize = per_sec.iter().sum();
    let max = per_sec.iter().max().copied().unwrap_or(0);
    let mut sorted = per_sec.clone();
    sorted.sort_unstable();
    println!("terminal 80x24, demo --speed 1, {secs} s after a 3 s first paint");
    println!("{:<12} {:>10}", "first paint", first_paint);
    println!("{:<12} {:>10}", "total bytes", total);
    println!("{:<12} {:>10.0}", "mean B/s", total as f64 / secs as f64);
    println!("{:<12} {:>10}", "median B/s", sorted[sorted.len() / 2]);
    println!("{:<12} {:>10}", "max B/s", max);
    for (i, minute) in per_sec.chunks(60).enumerate() {
        let mean = minute.iter().sum::<usize>() as f64 / minute.len() as f64;
        println!("{:<12} {:>10.0}", format!("minute {} B/s", i + 1), mean);
    }
    // USER_HZ is 100 on Linux: one tick is 10 ms of CPU.
    println!(
        "{:<12} {:>9.2}%",
        "CPU of a core",
        cpu as f64 * 10.0 / 1000.0 / wall * 100.0
    );
}

/// utime + stime of a process, in clock ticks, from /proc.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    f[11].parse::<u64>().expect("utime") + f[12].parse::<u64>().expect("stime")
}

/// Resident memory of the dashboard over 12 simulated hours (`demo --speed 600`, 72 s), one
/// sample per simulated hour. Prints a table.
fn dashboard_memory_over_12_hours() {
    let mut s = demo(&["--at", "T-1h", "--to", "T+11h", "--speed", "600"]);
    let pid = s.child.process_id().expect("pid");
    let start = Instant::now();
    let mut samples = Vec::new();
    let mut next = Duration::ZERO;
    while start.elapsed() < Duration::from_secs(73) {
        if let Ok(b) = s.bytes.recv_timeout(Duration::from_millis(50)) {
            s.parser.process(&b);
        }
        if start.elapsed() >= next {
            samples.push(rss_kib(pid));
            next += Duration::from_secs(6);
        }
    }
    s.press(b"q");
    assert!(s.wait_exit());
    println!("dashboard RSS, demo --speed 600, 12 simulated hours");
    println!("{:<8} {:>10}", "hour", "RSS MiB");
    for (h, kib) in samples.iter().enumerate() {
        println!("{:<8} {:>10.1}", h, *kib as f64 / 1024.0);
    }
}

/// VmRSS of a process in KiB, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}
