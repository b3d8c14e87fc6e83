//! Finding or starting an emulator: its URL from the environment, else one started for this test
//! process from the virtualenv by `scripts/emulators.sh serve` (stopped by the script when this
//! process ends), else a loud, recorded skip (or a failure when emulators are required).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// Set to `require` (as `scripts/emulators.sh run` does) to make a missing emulator a failure.
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

/// The URL of emulator `e`: from `WARROOM_TEST_<NAME>_URL`, else started from the virtualenv.
/// The emulator tests are `#[ignore]`d (plain `cargo test` reports them ignored, never passed);
/// `scripts/test.sh` runs them with `--include-ignored`. A test that runs without its emulator
/// fails here, saying how to get it.
pub fn url(e: Emulator) -> String {
    match e.cell().get_or_init(|| find(e)) {
        Found::Url(u) => u.clone(),
        Found::NotInstalled(why) => panic!(
            "the {} emulator is not available ({why}): run `scripts/test.sh`, or \
             `scripts/emulators.sh install` first (docs/testing.md)",
            e.name()
        ),
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

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Eight lowercase hex digits unique to this test (its process and its thread, which libtest
/// names after the test), for resource names: emulators are shared by the tests of one run, by
/// several runs, and by repeated runs. Call it on the test's own thread.
pub fn run_id() -> &'static str {
    thread_local! {
        static ID: &'static str = Box::leak(fresh_run_id().into_boxed_str());
    }
    ID.with(|id| *id)
}

fn fresh_run_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let thread = std::thread::current();
    let name = thread.name().unwrap_or_default();
    let named = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mixed = u64::from(std::process::id()).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ u64::from(nanos)
        ^ now_secs().rotate_left(20)
        ^ named;
    format!("{:08x}", (mixed ^ (mixed >> 32)) & 0xffff_ffff)
}
