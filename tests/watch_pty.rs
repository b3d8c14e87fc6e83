//! `warroom watch` in a pseudo-terminal against AWS endpoints that fail: the dashboard opens
//! under the LIVE badge; while every call hangs it still answers keys at once (pollers are
//! tasks, the screen never waits on them); when calls fail the banner names the failing sources;
//! `q` restores the terminal.

use std::net::{TcpListener, TcpStream};

#[path = "support/pty.rs"]
mod pty;

use pty::Session;

const LAYOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/minimal.toml");

fn watch(endpoint: &str) -> Session {
    let mut cmd = pty::command(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(["watch", LAYOUT, "--operator", "pty-op"]);
    cmd.env(
        "WARROOM_LOG_FILE",
        std::env::temp_dir().join("warroom-watch-test.log"),
    );
    cmd.env("AWS_ENDPOINT_URL", endpoint);
    cmd.env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    cmd.env("AWS_SECRET_ACCESS_KEY", "test-secret");
    cmd.env("AWS_REGION", "us-east-1");
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/aws/config");
    cmd.env(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/aws/credentials",
    );
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    cmd.env_remove("AWS_PROFILE");
    let mut s = Session::start(cmd);
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
