//! The writer's claim on a recording: one process writes a recording (two writers would
//! interleave and tear lines), so the writer holds an advisory lock on `<recording>.lock` while
//! it writes, with a line saying who it is; a second writer is refused with that line. The lock
//! goes with the process (a crash releases it); the small file stays, so a writer never locks a
//! file another one is about to remove. The lock file is opened without following a symlink
//! and must be a regular file: a link planted at `<recording>.lock` never makes the writer
//! truncate what it points to.

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

/// This process's account by name (`uid N` when it has none): from the process, not from
/// `$USER`, which anyone can set.
pub fn account() -> String {
    let uid = nix::unistd::Uid::current();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(u)) => u.name,
        _ => format!("uid {}", uid.as_raw()),
    }
}

/// Who this process is, for the refusal another writer reads.
fn this_writer() -> String {
    let command: Vec<String> = std::env::args().take(3).collect();
    let user = account();
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
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits().cast_signed())
        .open(&path)
        .map_err(|e| match e.raw_os_error() {
            Some(code) if code == rustix::io::Errno::LOOP.raw_os_error() => {
                RecordError::LockNotAFile { path: path.clone() }
            }
            _ => RecordError::io(&path, e),
        })?;
    let regular = file.metadata().map_err(|e| RecordError::io(&path, e))?;
    if !regular.file_type().is_file() {
        return Err(RecordError::LockNotAFile { path });
    }
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

    #[test]
    fn a_symlink_at_the_lock_is_refused_and_its_target_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious\n").expect("write");
        let rec = dir.path().join("l.jsonl");
        std::os::unix::fs::symlink(&victim, lock_path(&rec)).expect("symlink");
        let e = claim(&rec).expect_err("refused");
        assert!(matches!(e, RecordError::LockNotAFile { .. }), "{e}");
        assert_eq!(
            std::fs::read_to_string(&victim).expect("read"),
            "precious\n"
        );
        // A directory (or anything else that is not a regular file) is refused too.
        let other = dir.path().join("d.jsonl");
        std::fs::create_dir(lock_path(&other)).expect("dir");
        assert!(matches!(
            claim(&other),
            Err(RecordError::LockNotAFile { .. } | RecordError::Io { .. })
        ));
    }

    #[test]
    fn the_refusal_names_the_account_not_the_user_variable() {
        // The writer's line is written by this very test run again as a child process with
        // `$USER` set to someone else.
        if let Some(at) = std::env::var_os("WARROOM_TEST_CLAIM_AT") {
            let claimed = claim(Path::new(&at)).expect("the child's claim");
            drop(claimed);
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let rec = dir.path().join("event.jsonl");
        let child = std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--exact",
                "record::claim::tests::the_refusal_names_the_account_not_the_user_variable",
            ])
            .env("WARROOM_TEST_CLAIM_AT", &rec)
            .env("USER", "mallory")
            .output()
            .expect("run the child");
        assert!(child.status.success(), "{child:?}");
        let text = std::fs::read_to_string(lock_path(&rec)).expect("lock");
        assert!(text.contains(&format!("user {},", account())), "{text}");
        assert!(!text.contains("mallory"), "{text}");
    }
}
