//! Diagnostics go to a log file, never to the terminal the dashboard draws on.
//! `--log-file` or `WARROOM_LOG_FILE` chooses the file; `WARROOM_LOG` the filter (default info).

use std::path::{Path, PathBuf};

use tracing_subscriber::EnvFilter;

/// Where logs go when nothing is said: `$XDG_STATE_HOME/warroom/warroom.log`, else
/// `~/.local/state/warroom/warroom.log`, else the temp dir.
pub fn default_log_path() -> PathBuf {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/state")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("warroom").join("warroom.log")
}

/// Installs the file logger. Failing to open the log file is not fatal: warroom runs without it.
pub fn init(path: Option<&Path>) -> Option<PathBuf> {
    let path = path
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("WARROOM_LOG_FILE").map(PathBuf::from))
        .unwrap_or_else(default_log_path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter = EnvFilter::try_from_env("WARROOM_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(path)
}
