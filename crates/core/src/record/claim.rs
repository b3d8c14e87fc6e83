//! The writer's claim on a recording: one process writes a recording (two writers would
//! interleave and tear lines), so the writer holds an advisory lock on `<recording>.lock` while
//! it writes, with a line saying who it is; a second writer is refused with that line. The lock
//! goes with the process (a crash releases it); the small file stays, so a writer never locks a
//! file another one is about to remove.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::RecordError;

/// Held while writing; released when dropped.
#[derive(Debug)]
pub struct Claim {
    _lock: File,
}

/// `<recording>.lock`.
pub fn lock_path(recording: &Path) -> PathBuf {
    let mut name = recording.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Who this process is, for the refusal another writer reads.
fn this_writer() -> String {
    let command: Vec<String> = std::env::args().take(3).collect();
    let user = std::env::var("USER").unwrap_or_else(|_| "?".into());
    format!(
        "pid {}, `{}`, user {user}, since {}",
        std::process::id(),
        command.join(" "),
        Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
    )
}

/// Claims `recording` for this process, or says who holds it.
pub(crate) fn claim(recording: &Path) -> Result<Claim, RecordError> {
    let path = lock_path(recording);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(|e| RecordError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => {
            let io = |e| RecordError::io(&path, e);
            file.set_len(0).map_err(io)?;
            file.rewind().map_err(|e| RecordError::io(&path, e))?;
            writeln!(file, "{}", this_writer()).map_err(|e| RecordError::io(&path, e))?;
            Ok(Claim { _lock: file })
        }
        Err(TryLockError::WouldBlock) => {
            let mut who = String::new();
            let _ = file.take(4096).read_to_string(&mut who);
            Err(RecordError::Busy {
                path: recording.to_path_buf(),
                writer: crate::sanitize::strip(who.trim()),
            })
        }
        Err(TryLockError::Error(e)) => Err(RecordError::io(&path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_naming_the_first_until_it_lets_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let rec = dir.path().join("event.jsonl");
        let first = claim(&rec).expect("the first writer");
        let e = claim(&rec).expect_err("a second writer");
        let text = e.to_string();
        assert!(text.contains("another warroom is writing"), "{text}");
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "names the writer: {text}"
        );
        drop(first);
        claim(&rec).expect("free again once the first lets go");
    }
}
