//! Finding or starting an emulator: its URL from the environment, else one started for this test
//! process from the virtualenv by `scripts/emulators.sh serve` (stopped by the script when this
//! process ends), else a loud, recorded skip (or a failure when emulators are required).

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// Set to `require` (as `scripts/emulators.sh run` does) to make a missing emulator a failure.
pub const REQUIRE_VAR: &str = "WARROOM_TEST_EMULATORS";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emulator {
    /// ministack: CloudWatch (GetMetricData, DescribeAlarms) over the SDK's CBOR protocol.
    Ministack,
    /// moto_server: ELBv2, WAFv2 (no GetSampledRequests), Logs, SNS, EC2, SQS.
    Moto,
}

impl Emulator {
    pub fn name(self) -> &'static str {
        match self {
            Emulator::Ministack => "ministack",
            Emulator::Moto => "moto",
        }
    }

    /// The environment variable holding a running emulator's URL.
    pub fn url_var(self) -> &'static str {
        match self {
            Emulator::Ministack => "WARROOM_TEST_MINISTACK_URL",
            Emulator::Moto => "WARROOM_TEST_MOTO_URL",
        }
    }

    fn cell(self) -> &'static OnceLock<Found> {
        static MINISTACK: OnceLock<Found> = OnceLock::new();
        static MOTO: OnceLock<Found> = OnceLock::new();
        match self {
            Emulator::Ministack => &MINISTACK,
            Emulator::Moto => &MOTO,
        }
    }
}

#[derive(Debug, Clone)]
enum Found {
    Url(String),
    NotInstalled(String),
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The emulators' virtualenv (as in scripts/emulators.sh).
pub fn venv() -> PathBuf {
    std::env::var_os("WARROOM_EMU_VENV")
        .map_or_else(|| repo_root().join("target/emu-venv"), PathBuf::from)
}

/// Where the emulators' logs go (as in scripts/emulators.sh).
pub fn logs_dir() -> PathBuf {
    std::env::var_os("WARROOM_EMU_LOGS")
        .map_or_else(|| repo_root().join("target/emu-logs"), PathBuf::from)
}

pub fn required() -> bool {
    std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "require")
}

/// The URL of emulator `e`, or None when it is not available here, after a notice on the
/// terminal and in `target/tmp/emulator-tests-skipped.txt`. With `WARROOM_TEST_EMULATORS=require`
/// an unavailable emulator fails the test instead. `test` names the caller in the notice.
pub fn url(e: Emulator, test: &str) -> Option<String> {
    match e.cell().get_or_init(|| find(e)) {
        Found::Url(u) => Some(u.clone()),
        Found::NotInstalled(why) => {
            assert!(
                !required(),
                "{test}: the {} emulator is required ({REQUIRE_VAR}=require) but {why}",
                e.name()
            );
            skip_notice(e, test, why);
            None
        }
    }
}

fn find(e: Emulator) -> Found {
    match std::env::var(e.url_var()) {
        Ok(u) if !u.is_empty() => Found::Url(u),
        _ => serve(e),
    }
}

/// The `scripts/emulators.sh serve` processes of this test process, kept while it runs.
static SERVERS: Mutex<Vec<Child>> = Mutex::new(Vec::new());

/// Runs `scripts/emulators.sh serve NAME PID` and waits for its `url=` line.
fn serve(e: Emulator) -> Found {
    let dir = logs_dir();
    std::fs::create_dir_all(&dir).expect("create the emulator log directory");
    let log = dir.join(format!("serve-{}-{}.log", e.name(), std::process::id()));
    let err = std::fs::File::create(&log).expect("create the serve log");
    let mut child = Command::new(repo_root().join("scripts/emulators.sh"))
        .arg("serve")
        .arg(e.name())
        .arg(std::process::id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(err)
        .spawn()
        .expect("run scripts/emulators.sh");
    let out = child.stdout.take().expect("piped stdout");
    for line in BufReader::new(out).lines() {
        let line = line.expect("read scripts/emulators.sh output");
        if let Some(u) = line.strip_prefix("url=") {
            // The script keeps running (and stops the emulator) when this process ends.
            SERVERS.lock().expect("server list").push(child);
            return Found::Url(u.to_string());
        }
    }
    let status = child.wait().expect("wait for scripts/emulators.sh");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    if status.code() == Some(3) {
        return Found::NotInstalled(format!(
            "there is no up-to-date virtualenv at {}",
            venv().display()
        ));
    }
    panic!(
        "the {} emulator did not start ({status}); {}:\n{text}",
        e.name(),
        log.display()
    );
}

fn skip_notice(e: Emulator, test: &str, why: &str) {
    let mut msg = String::new();
    let _ = writeln!(
        msg,
        "\n*** SKIPPED {test}: this test did NOT run: the {} emulator is not available ({why}).",
        e.name()
    );
    let _ = writeln!(
        msg,
        "*** Install it with `scripts/emulators.sh install`, or run `scripts/emulators.sh run` \
         (docs/testing.md)."
    );
    // Straight to the terminal: the test harness captures `eprintln!` of passing tests.
    let _ = std::io::stderr().write_all(msg.as_bytes());
    let record = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("emulator-tests-skipped.txt");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&record)
    {
        let _ = writeln!(f, "{} {test}: {} emulator: {why}", now_secs(), e.name());
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Eight lowercase hex digits unique to this test process, for resource names: emulators may
/// be shared by several test binaries and by repeated runs.
pub fn run_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mixed = u64::from(std::process::id()).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ u64::from(nanos)
            ^ now_secs().rotate_left(20);
        format!("{:08x}", mixed & 0xffff_ffff)
    })
}
