//! Waiting for terminal input between frames without spinning: the dashboard sleeps in one
//! `poll` on the terminal, a SIGWINCH pipe and the model source's wake-up (a message from the
//! room arrived), with a nanosecond timeout, and asks crossterm for
//! the event only once something is readable. crossterm's own timed wait (`event::poll`) rounds
//! the time left down to whole milliseconds and then spins through the remainder in
//! zero-timeout polls, up to a millisecond of busy CPU on every idle tick.

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crossterm::event::{self, Event};
use rustix::event::{PollFd, PollFlags, Timespec};
use signal_hook::SigId;
use signal_hook::consts::SIGWINCH;

use super::terminal::Input;

/// What crossterm is given to read an event once the terminal is readable: long enough to take
/// a whole escape sequence that is already there, short enough that a lone byte costs little.
const READ_SLICE: Duration = Duration::from_millis(1);

/// The terminal's input and a pipe written on every SIGWINCH.
#[derive(Debug)]
pub(crate) struct InputWait {
    /// `/dev/tty` when stdin is not the terminal (crossterm's `use-dev-tty` reads the same).
    tty: Option<File>,
    winch: UnixStream,
    winch_id: SigId,
    /// Readable when the model source has something new (the source drains it).
    wake: Option<UnixStream>,
    /// The last read produced an event: crossterm may hold more already parsed (a burst of keys
    /// arrives in one read), which no `poll` on the terminal would announce.
    pending: bool,
}

/// What the wait saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ready {
    Nothing,
    Input,
    Resized,
    HungUp,
    Woken,
}

impl InputWait {
    /// The wait on the terminal, and on `wake` when the model source has one.
    pub(crate) fn new(wake: Option<UnixStream>) -> io::Result<InputWait> {
        let tty = if io::stdin().is_terminal() {
            None
        } else {
            Some(File::open("/dev/tty")?)
        };
        let (winch, writer) = UnixStream::pair()?;
        winch.set_nonblocking(true)?;
        writer.set_nonblocking(true)?;
        let winch_id = signal_hook::low_level::pipe::register(SIGWINCH, writer)?;
        Ok(InputWait {
            tty,
            winch,
            winch_id,
            wake,
            pending: false,
        })
    }

    /// Waits up to `timeout` for one terminal event; a zero timeout only takes what is there
    /// (the drain after a burst of keys).
    pub(crate) fn next(&mut self, timeout: Duration) -> Input {
        // A hung-up terminal is no longer a terminal (its ioctls fail). crossterm's reader treats
        // the dead descriptor's permanent readability as "try again" (crossterm-rs/crossterm#793),
        // so it is never entered then.
        if !io::stdout().is_terminal() {
            return Input::Gone;
        }
        if self.pending || timeout.is_zero() {
            let got = self.read(READ_SLICE);
            if got != Input::Timeout || timeout.is_zero() {
                return got;
            }
        }
        match self.wait(timeout) {
            Ok(Ready::Nothing) => Input::Timeout,
            Ok(Ready::HungUp) | Err(_) => Input::Gone,
            Ok(Ready::Input) => self.read(READ_SLICE),
            Ok(Ready::Woken) => Input::Other,
            Ok(Ready::Resized) => match self.read(READ_SLICE) {
                // crossterm saw the same signal on its own pipe; if it already reported the
                // size, still redraw (the frame is resized on draw).
                Input::Timeout => Input::Other,
                other => other,
            },
        }
    }

    fn read(&mut self, timeout: Duration) -> Input {
        let got = read_event(timeout);
        self.pending = !matches!(got, Input::Timeout | Input::Gone);
        got
    }

    fn wait(&mut self, timeout: Duration) -> io::Result<Ready> {
        let stdin = io::stdin();
        let tty: BorrowedFd<'_> = match &self.tty {
            Some(f) => f.as_fd(),
            None => stdin.as_fd(),
        };
        let mut fds = vec![
            PollFd::new(&tty, PollFlags::IN),
            PollFd::new(&self.winch, PollFlags::IN),
        ];
        if let Some(w) = &self.wake {
            fds.push(PollFd::new(w, PollFlags::IN));
        }
        let ts = Timespec {
            tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(timeout.subsec_nanos()),
        };
        let n = match rustix::event::poll(&mut fds, Some(&ts)) {
            Ok(n) => n,
            Err(rustix::io::Errno::INTR) => return Ok(Ready::Nothing),
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            return Ok(Ready::Nothing);
        }
        let tty_events = fds[0].revents();
        let resized = fds[1].revents().contains(PollFlags::IN);
        if tty_events.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
            return Ok(Ready::HungUp);
        }
        let woken = fds
            .get(2)
            .is_some_and(|f| f.revents().contains(PollFlags::IN));
        let input = tty_events.contains(PollFlags::IN);
        drop(fds);
        if resized {
            self.drain_winch();
            return Ok(Ready::Resized);
        }
        if woken && !input {
            return Ok(Ready::Woken);
        }
        Ok(Ready::Input)
    }

    fn drain_winch(&mut self) {
        let mut buf = [0u8; 64];
        while matches!(self.winch.read(&mut buf), Ok(n) if n > 0) {}
    }
}

impl Drop for InputWait {
    fn drop(&mut self) {
        signal_hook::low_level::unregister(self.winch_id);
    }
}

/// One event from crossterm, waiting at most `timeout`.
fn read_event(timeout: Duration) -> Input {
    match event::poll(timeout) {
        Err(_) => Input::Gone,
        Ok(false) => Input::Timeout,
        Ok(true) => match event::read() {
            Err(_) => Input::Gone,
            Ok(Event::Key(k)) => Input::Key(k),
            Ok(Event::Resize(w, h)) => Input::Resize(w, h),
            Ok(_) => Input::Other,
        },
    }
}
