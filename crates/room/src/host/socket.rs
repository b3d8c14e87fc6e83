//! The room's socket on disk: beside the recording (or where asked), in a directory nobody else
//! can write to (a world-writable directory would let anyone replace the socket), mode 0600, or
//! 0660 with the operators' group when one is given. A socket left by a collector that died is
//! replaced: only the recording's writer binds it, and the recording's lock says who that is.

use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use nix::unistd::Gid;
use tokio::net::UnixListener;

/// Why the room cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    #[error(
        "{dir}: the room's socket would be in a directory anyone can write to (mode {mode:o}); \
         choose another place with --socket"
    )]
    WorldWritable { dir: PathBuf, mode: u32 },
    #[error("{path}: exists and is not a socket; remove it or choose another place with --socket")]
    NotASocket { path: PathBuf },
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

/// Binds `path` (call inside a tokio runtime): the directory checked, a stale socket replaced,
/// then mode 0600, or 0660 with `group`.
pub(crate) fn bind(path: &Path, group: Option<Gid>) -> Result<UnixListener, SocketError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let meta = std::fs::metadata(&dir).map_err(io_at(&dir))?;
    let mode = meta.mode() & 0o7777;
    if mode & 0o002 != 0 {
        return Err(SocketError::WorldWritable { dir, mode });
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if std::os::unix::fs::FileTypeExt::is_socket(&m.file_type()) => {
            std::fs::remove_file(path).map_err(io_at(path))?;
        }
        Ok(_) => {
            return Err(SocketError::NotASocket {
                path: path.to_path_buf(),
            });
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_at(path)(e)),
    }
    let listener = UnixListener::bind(path).map_err(io_at(path))?;
    let mode = if group.is_some() { 0o660 } else { 0o600 };
    if let Some(g) = group {
        std::os::unix::fs::chown(path, None, Some(g.as_raw())).map_err(io_at(path))?;
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io_at(path))?;
    Ok(listener)
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
    async fn a_world_writable_directory_or_another_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let open = dir.path().join("open");
        std::fs::create_dir(&open).expect("dir");
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        let e = bind(&open.join("room.sock"), None).expect_err("refused");
        assert!(e.to_string().contains("anyone can write"), "{e}");
        let file = dir.path().join("room.sock");
        std::fs::write(&file, "not a socket").expect("write");
        let e = bind(&file, None).expect_err("refused");
        assert!(matches!(e, SocketError::NotASocket { .. }), "{e}");
        assert!(file.exists(), "the file is left alone");
    }
}
