//! The bounds of the endpoint as a server, so that one client (slow, hostile or unlucky) can
//! neither exhaust the host nor stall the others: request size, the time a request head, a body
//! or a response write may take, and the connections served at once. What a client over a
//! bound gets is what AWS's front ends answer: 413 for a request over the size limit (before
//! the body is read), 408 and a closed connection for a body that does not arrive in time, 431
//! for headers over their limit, 503 for a connection over the limit.

use std::time::Duration;

/// The server-side bounds of one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body; a larger one is refused with 413 without being read (AWS's largest
    /// request to these services, PutMetricData and PutLogEvents, is 1 MiB).
    pub max_body_bytes: usize,
    /// Largest request head (request line and headers); over it hyper answers 431.
    pub max_header_bytes: usize,
    /// How long a connection may wait for the next complete request head: the idle time of a
    /// kept-alive connection plus the head of its next request. Then it is closed.
    pub header_timeout: Duration,
    /// How long a request body may take to arrive, from its head; then 408 and closed.
    pub body_timeout: Duration,
    /// How long writing an answer may stall on a client that does not read; then closed.
    pub write_timeout: Duration,
    /// Connections served at once; the ones over it are answered 503 and closed.
    pub max_connections: usize,
}

/// 1 MiB.
pub(crate) const MAX_BODY_BYTES: usize = 1 << 20;
/// 16 KiB (a signed SDK request head is about 1 KiB).
pub(crate) const MAX_HEADER_BYTES: usize = 16 << 10;
/// Idle keep-alive plus request head: 20 s.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(20);
/// Request body: 20 s.
pub(crate) const BODY_TIMEOUT: Duration = Duration::from_secs(20);
/// A stalled answer: 20 s.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(20);
/// Connections at once: 512 (an SDK client keeps a few; a game day has tens of clients).
pub const MAX_CONNECTIONS: usize = 512;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: MAX_BODY_BYTES,
            max_header_bytes: MAX_HEADER_BYTES,
            header_timeout: HEADER_TIMEOUT,
            body_timeout: BODY_TIMEOUT,
            write_timeout: WRITE_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
        }
    }
}
