//! `warroom watch` in a pseudo-terminal against AWS endpoints that fail: the dashboard opens
//! under the LIVE badge; while every call hangs it still answers keys at once (pollers are
//! tasks, the screen never waits on them); when calls fail the banner names the failing sources;
//! `q` restores the terminal.

use std::net::{TcpListener, TcpStream};

use crate::support::pty;

use pty::Session;

const LAYOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/minimal.toml");

/// `warroom watch LAYOUT` with a log file of its own and `vars` as its only AWS settings (no
/// profile or credentials file of the machine's).
fn watch_command(
    layout: &str,
    log: &str,
    vars: &[(String, String)],
) -> portable_pty::CommandBuilder {
    let mut cmd = pty::command(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(["watch", layout, "--operator", "pty-op"]);
    cmd.env("WARROOM_LOG_FILE", std::env::temp_dir().join(log));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/aws/config");
    cmd.env(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/aws/credentials",
    );
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    cmd.env_remove("AWS_PROFILE");
    cmd
}

fn watch(endpoint: &str) -> Session {
    let vars = [
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "test-secret"),
        ("AWS_REGION", "us-east-1"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let mut s = Session::start(watch_command(LAYOUT, "warroom-watch-test.log", &vars));
    s.wait_for("the live dashboard", |sc| {
        sc.alternate_screen() && sc.contents().contains("LIVE")
    });
    s
}

#[test]
fn hung_calls_never_freeze_the_screen() {
    // Accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let mut s = watch(&endpoint);
    s.press(b"?");
    s.wait_text("Keys (esc to close)");
    s.press(b"\x1b");
    s.wait_for("help closed", |sc| {
        !sc.contents().contains("Keys (esc to close)")
    });
    s.press(b"q");
    assert!(s.wait_exit(), "did not exit on q");
    s.assert_restored();
}

#[test]
fn failing_sources_are_named_on_the_banner() {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut s = watch(&format!("http://127.0.0.1:{port}"));
    s.wait_for("the sources banner", |sc| {
        let c = sc.contents();
        c.contains("SOURCES:") && c.contains(" error")
    });
    s.press(b"q");
    assert!(s.wait_exit(), "did not exit on q");
    s.assert_restored();
}

/// `warroom sim serve` in the background at `--at T+20m --speed 10`: the printed environment
/// line's variables, and the child to stop.
fn sim_serve() -> (Vec<(String, String)>, std::process::Child) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args([
            "sim", "serve", "--port", "0", "--speed", "10", "--at", "T+20m",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("sim serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let export = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.trim_start().starts_with("export "))
        .expect("the environment line");
    let vars = export
        .trim_start()
        .trim_start_matches("export ")
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    // Keep reading what it prints, as a terminal would.
    std::thread::spawn(move || lines.for_each(drop));
    (vars, child)
}

#[test]
fn game_day_watch_runs_on_the_simulators_clock_with_history_at_once() {
    let (vars, mut server) = sim_serve();
    assert!(
        vars.iter().any(|(k, _)| k == "WARROOM_SIM_CLOCK"),
        "{vars:?}"
    );
    let layout = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/hybrid-bts.toml");
    let mut s = Session::start(watch_command(layout, "warroom-watch-gameday.log", &vars));
    // The simulator's virtual time (20 minutes after the drop), not the wall clock's.
    s.wait_for("the SIM badge at T+20", |sc| {
        let c = sc.contents();
        c.contains("SIM x10") && c.contains("T+20:")
    });
    // The first poll reaches back hours: the Seoul sparkline is full at once, not one bucket.
    s.wait_for("a full Seoul requests sparkline", |sc| {
        sc.contents().lines().any(|l| {
            l.contains("Seoul requests/min")
                && l.chars()
                    .filter(|c| ('\u{2581}'..='\u{2588}').contains(c))
                    .count()
                    >= 20
        })
    });
    s.press(b"q");
    assert!(s.wait_exit(), "did not exit on q");
    s.assert_restored();
    let _ = server.kill();
    let _ = server.wait();
}
