//! Diagnostics go to a log file, never to the terminal the dashboard draws on.
//! `--log-file` or `WARROOM_LOG_FILE` chooses the file; `WARROOM_LOG` the filter (default info).
//! The log holds what happened in the room (sources, operators, summaries): mode 0600, set on an
//! existing file too.

use std::fs::{File, OpenOptions, Permissions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tracing_subscriber::EnvFilter;

/// Where logs go when nothing is said: `$XDG_STATE_HOME/warroom/warroom.log`, else
/// `~/.local/state/warroom/warroom.log`, else the temp dir.
pub(crate) fn default_log_path() -> PathBuf {
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
    let file = open(&path)?;
    let filter = EnvFilter::try_from_env("WARROOM_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(path)
}

/// Opens the log for appending, mode 0600 whatever mode an existing file had; None when it
/// cannot be opened or made private.
fn open(path: &Path) -> Option<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .ok()?;
    file.set_permissions(Permissions::from_mode(0o600)).ok()?;
    Some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_private_even_when_it_existed_readable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("warroom.log");
        std::fs::write(&path, "earlier\n").expect("write");
        std::fs::set_permissions(&path, Permissions::from_mode(0o644)).expect("chmod");
        drop(open(&path).expect("opens"));
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let fresh = dir.path().join("new.log");
        drop(open(&fresh).expect("creates"));
        let mode = std::fs::metadata(&fresh)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
