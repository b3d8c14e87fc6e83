//! The room's socket on disk: beside the recording (or where asked), in a directory nobody else
//! can write to (owned by the collector's user or root, not writable by its group or by others:
//! anyone who could write there could replace the socket), mode 0600, or 0660 with the
//! operators' group when one is given. Everything that can refuse is checked by [`check`]
//! before anything is created (the recording included). A socket is replaced only when nothing
//! answers on it (a collector that died); a live room's socket is never taken over, and a
//! collector removes the socket at exit only while it is still its own.

use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use nix::unistd::{Gid, Uid};
use tokio::net::UnixListener;

/// Longest socket path, in bytes: `sun_path` holds 108 with the terminating NUL.
pub const MAX_PATH: usize = 107;

/// Why the room cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    #[error(
        "{path}: a socket path is at most {MAX_PATH} bytes, this one is {len}; choose a shorter \
         one with --socket"
    )]
    TooLong { path: PathBuf, len: usize },
    #[error(
        "{dir}: the room's socket would be in a directory others can write to (mode {mode:o}); \
         anyone who can write there could replace it: choose another place with --socket"
    )]
    WorldWritable { dir: PathBuf, mode: u32 },
    #[error(
        "{dir}: the room's socket would be in a directory owned by another user (uid {owner}), \
         who could replace it: choose another place with --socket"
    )]
    ForeignDirectory { dir: PathBuf, owner: u32 },
    #[error("{path}: exists and is not a socket; remove it or choose another place with --socket")]
    NotASocket { path: PathBuf },
    #[error(
        "{path}: a room is already served on this socket (another collector answers there); \
         stop it first, or choose another place with --socket"
    )]
    InUse { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> SocketError + '_ {
    move |source| SocketError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The default socket of a recording: `<recording>.sock`.
pub fn beside(recording: &Path) -> PathBuf {
    let mut name = recording.as_os_str().to_owned();
    name.push(".sock");
    PathBuf::from(name)
}

/// What [`check`] found at the socket's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Nothing,
    /// A socket nothing answers on: a collector died; replaced when binding.
    Stale,
}

/// Whether `path` can be the room's socket, changing nothing: its length, its directory (not
/// writable by others, owned by this user or root), and what is there (nothing, or a socket
/// nobody answers on).
pub fn check(path: &Path) -> Result<(), SocketError> {
    inspect(path).map(|_| ())
}

fn inspect(path: &Path) -> Result<Found, SocketError> {
    let len = path.as_os_str().len();
    if len > MAX_PATH {
        return Err(SocketError::TooLong {
            path: path.to_path_buf(),
            len,
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let meta = std::fs::metadata(&dir).map_err(io_at(&dir))?;
    directory(&dir, meta.mode(), meta.uid(), Uid::effective().as_raw())?;
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_socket() => match std::os::unix::net::UnixStream::connect(path) {
            Ok(_) => Err(SocketError::InUse {
                path: path.to_path_buf(),
            }),
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => Ok(Found::Stale),
            Err(e) => Err(io_at(path)(e)),
        },
        Ok(_) => Err(SocketError::NotASocket {
            path: path.to_path_buf(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Found::Nothing),
        Err(e) => Err(io_at(path)(e)),
    }
}

/// A directory of `mode` owned by `owner` holds the socket of a collector running as `me`
/// only when nobody else can write to it: not writable by its group or by others (sticky bit
/// or not), owned by `me` or root.
fn directory(dir: &Path, mode: u32, owner: u32, me: u32) -> Result<(), SocketError> {
    let mode = mode & 0o7777;
    if mode & 0o022 != 0 {
        return Err(SocketError::WorldWritable {
            dir: dir.to_path_buf(),
            mode,
        });
    }
    if owner != me && owner != 0 {
        return Err(SocketError::ForeignDirectory {
            dir: dir.to_path_buf(),
            owner,
        });
    }
    Ok(())
}

/// The socket file this collector bound: removed at exit only while still this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bound {
    dev: u64,
    ino: u64,
}

impl Bound {
    /// Removes `path` if it is still the socket this collector bound.
    pub(crate) fn remove(self, path: &Path) {
        let ours = std::fs::symlink_metadata(path)
            .is_ok_and(|m| m.dev() == self.dev && m.ino() == self.ino);
        if ours {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Binds `path` (call inside a tokio runtime): [`check`]ed again, a stale socket replaced,
/// then mode 0600, or 0660 with `group`.
pub(crate) fn bind(path: &Path, group: Option<Gid>) -> Result<(UnixListener, Bound), SocketError> {
    if inspect(path)? == Found::Stale {
        std::fs::remove_file(path).map_err(io_at(path))?;
    }
    let listener = UnixListener::bind(path).map_err(io_at(path))?;
    let mode = if group.is_some() { 0o660 } else { 0o600 };
    if let Some(g) = group {
        std::os::unix::fs::chown(path, None, Some(g.as_raw())).map_err(io_at(path))?;
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io_at(path))?;
    let meta = std::fs::symlink_metadata(path).map_err(io_at(path))?;
    Ok((
        listener,
        Bound {
            dev: meta.dev(),
            ino: meta.ino(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_socket_is_private_and_a_stale_one_is_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("room.sock");
        let first = bind(&path, None).expect("bound");
        drop(first);
        // The file stays after the listener is gone, as after a crash.
        assert!(path.exists());
        let _again = bind(&path, None).expect("a stale socket is replaced");
        let mode = std::fs::metadata(&path).expect("meta").mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[tokio::test]
    async fn a_live_socket_is_never_taken_over_and_only_its_own_is_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("room.sock");
        let (_live, first) = bind(&path, None).expect("bound");
        let e = bind(&path, None).expect_err("a live room's socket is refused");
        assert!(matches!(e, SocketError::InUse { .. }), "{e}");
        assert!(matches!(check(&path), Err(SocketError::InUse { .. })));
        // Another socket now at the path (replaced by someone who could): not removed.
        std::fs::remove_file(&path).expect("rm");
        let (_other, second) = bind(&path, None).expect("bound again");
        assert_ne!(first, second);
        first.remove(&path);
        assert!(path.exists(), "not ours any more: left alone");
        second.remove(&path);
        assert!(!path.exists(), "ours: removed");
    }

    #[tokio::test]
    async fn a_directory_others_can_write_to_or_another_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        for mode in [0o777, 0o1777, 0o770, 0o775 | 0o020] {
            let open = dir.path().join(format!("open{mode:o}"));
            std::fs::create_dir(&open).expect("dir");
            std::fs::set_permissions(&open, std::fs::Permissions::from_mode(mode)).expect("chmod");
            let e = bind(&open.join("room.sock"), None).expect_err("refused");
            assert!(e.to_string().contains("others can write"), "{mode:o}: {e}");
        }
        let file = dir.path().join("room.sock");
        std::fs::write(&file, "not a socket").expect("write");
        let e = bind(&file, None).expect_err("refused");
        assert!(matches!(e, SocketError::NotASocket { .. }), "{e}");
        assert!(file.exists(), "the file is left alone");
        let link = dir.path().join("link.sock");
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        assert!(matches!(check(&link), Err(SocketError::NotASocket { .. })));
    }

    #[test]
    fn a_directory_owned_by_another_user_is_refused_root_or_mine_is_not() {
        let dir = Path::new("/srv/room");
        assert!(matches!(
            directory(dir, 0o40755, 1000, 998),
            Err(SocketError::ForeignDirectory { owner: 1000, .. })
        ));
        assert!(directory(dir, 0o40750, 998, 998).is_ok());
        assert!(directory(dir, 0o40755, 0, 998).is_ok());
        assert!(directory(dir, 0o40770, 998, 998).is_err());
    }

    #[test]
    fn a_socket_path_too_long_for_the_kernel_is_refused_before_anything() {
        let long = PathBuf::from(format!("/tmp/{}.sock", "r".repeat(120)));
        let e = check(&long).expect_err("too long");
        assert!(matches!(e, SocketError::TooLong { .. }), "{e}");
    }
}
