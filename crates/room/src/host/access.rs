//! Who a screen is, from the socket's peer credentials: its Unix account (by name) and whether it
//! may act. A screen may act unless it asked to only watch, or the room has an operators' group
//! and the account is not in it (its primary group or a supplementary one).

use nix::unistd::{Gid, Group, Uid, User, getgrouplist};
use tokio::net::UnixStream;

/// A screen's account as the collector sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Peer {
    pub(crate) user: String,
    pub(crate) uid: u32,
    /// The account may act (in the operators' group, or there is none).
    pub(crate) operator: bool,
}

/// The peer of `stream`; `operators` is the room's operators' group, if any.
pub(crate) fn peer(stream: &UnixStream, operators: Option<Gid>) -> std::io::Result<Peer> {
    let cred = stream.peer_cred()?;
    let uid = Uid::from_raw(cred.uid());
    let gid = Gid::from_raw(cred.gid());
    let account = User::from_uid(uid).ok().flatten();
    let user = name(uid, account.as_ref());
    let operator = match operators {
        None => true,
        Some(g) if g == gid => true,
        Some(g) => account.is_some_and(|u| {
            std::ffi::CString::new(u.name)
                .ok()
                .and_then(|name| getgrouplist(&name, u.gid).ok())
                .is_some_and(|groups| groups.contains(&g))
        }),
    };
    Ok(Peer {
        user,
        uid: uid.as_raw(),
        operator,
    })
}

/// The account of this process, by name: the host's own screen's.
pub(crate) fn own_user() -> String {
    let uid = Uid::current();
    name(uid, User::from_uid(uid).ok().flatten().as_ref())
}

/// An account's name, or `uid N` when it has none.
fn name(uid: Uid, account: Option<&User>) -> String {
    account.map_or_else(|| format!("uid {}", uid.as_raw()), |u| u.name.clone())
}

/// The group named `name` (`--socket-group`, `--operators-group`).
pub fn group(name: &str) -> Result<Gid, String> {
    match Group::from_name(name) {
        Ok(Some(g)) => Ok(g.gid),
        Ok(None) => Err(format!("there is no group \"{name}\" on this host")),
        Err(e) => Err(format!("cannot look up group \"{name}\": {e}")),
    }
}
