//! How fast one Unix account may change the room: its screens' joins and leaves, and its
//! operator requests, each through a token bucket per account. A join over the rate is not
//! written at once: if the screen stays it is written when the account is under the rate again;
//! if it leaves first, it is counted, and the account's comings and goings are written as one
//! `room` event (`wall joined and left 2,000 times in 17 s`). A request over the rate is
//! refused with the reason, and nothing is written.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

/// Joins an account may make at once, and one more every [`JOIN_EVERY`].
pub const JOIN_BURST: f64 = 10.0;
pub const JOIN_EVERY: Duration = Duration::from_secs(6);
/// Requests an account may make at once, and one more every [`REQUEST_EVERY`].
pub const REQUEST_BURST: f64 = 20.0;
pub const REQUEST_EVERY: Duration = Duration::from_millis(500);
/// A count of comings and goings is written once the account has been quiet this long, or
/// once it is this old.
pub const CHURN_QUIET: Duration = Duration::from_secs(5);
pub const CHURN_LONGEST: Duration = Duration::from_mins(1);

/// A token bucket.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(burst: f64, now: Instant) -> Self {
        Bucket {
            tokens: burst,
            at: now,
        }
    }

    fn take(&mut self, burst: f64, every: Duration, now: Instant) -> bool {
        let gained = now.duration_since(self.at).as_secs_f64() / every.as_secs_f64();
        self.tokens = (self.tokens + gained).min(burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// One account's comings and goings not written one by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Churn {
    pub(crate) who: String,
    pub(crate) user: String,
    pub(crate) read_only: bool,
    pub(crate) times: u64,
    pub(crate) first: DateTime<Utc>,
    pub(crate) last: DateTime<Utc>,
    began: Instant,
    latest: Instant,
}

impl Churn {
    /// `2,000 times in 17 s`.
    pub(crate) fn text(&self) -> String {
        let secs = (self.last - self.first).num_seconds().max(1);
        format!("{} times in {secs} s", thousands(self.times))
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Debug, Default)]
struct Account {
    joins: Option<Bucket>,
    requests: Option<Bucket>,
    churn: Option<Churn>,
}

/// Every account's buckets and counts.
#[derive(Debug, Default)]
pub(crate) struct Rates {
    accounts: Mutex<HashMap<u32, Account>>,
}

impl Rates {
    fn accounts(&self) -> MutexGuard<'_, HashMap<u32, Account>> {
        self.accounts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// May account `uid`'s screen be written as joining now?
    pub(crate) fn join(&self, uid: u32) -> bool {
        let now = Instant::now();
        let mut a = self.accounts();
        let account = a.entry(uid).or_default();
        account
            .joins
            .get_or_insert_with(|| Bucket::full(JOIN_BURST, now))
            .take(JOIN_BURST, JOIN_EVERY, now)
    }

    /// May account `uid` make a request now?
    pub(crate) fn request(&self, uid: u32) -> bool {
        let now = Instant::now();
        let mut a = self.accounts();
        let account = a.entry(uid).or_default();
        account
            .requests
            .get_or_insert_with(|| Bucket::full(REQUEST_BURST, now))
            .take(REQUEST_BURST, REQUEST_EVERY, now)
    }

    /// A screen of `uid` whose join was not written left: counted.
    pub(crate) fn came_and_went(&self, uid: u32, who: &str, user: &str, read_only: bool) {
        let now = Instant::now();
        let wall = Utc::now();
        let mut a = self.accounts();
        let account = a.entry(uid).or_default();
        let churn = account.churn.get_or_insert_with(|| Churn {
            who: who.to_string(),
            user: user.to_string(),
            read_only,
            times: 0,
            first: wall,
            last: wall,
            began: now,
            latest: now,
        });
        churn.times += 1;
        churn.last = wall;
        churn.latest = now;
        churn.read_only &= read_only;
    }

    /// The counts due to be written: quiet for [`CHURN_QUIET`], or [`CHURN_LONGEST`] old (all
    /// of them when `all`: the room closes). Accounts with nothing left are forgotten once
    /// their buckets are full again.
    pub(crate) fn due(&self, all: bool) -> Vec<Churn> {
        let now = Instant::now();
        let mut a = self.accounts();
        let mut out = Vec::new();
        for account in a.values_mut() {
            let ready = account.churn.as_ref().is_some_and(|c| {
                all || now.duration_since(c.latest) >= CHURN_QUIET
                    || now.duration_since(c.began) >= CHURN_LONGEST
            });
            if ready && let Some(c) = account.churn.take() {
                out.push(c);
            }
        }
        a.retain(|_, account| {
            let rested = |b: &Option<Bucket>, burst: f64, every: Duration| {
                b.is_none_or(|b| {
                    b.tokens + now.duration_since(b.at).as_secs_f64() / every.as_secs_f64() >= burst
                })
            };
            account.churn.is_some()
                || !rested(&account.joins, JOIN_BURST, JOIN_EVERY)
                || !rested(&account.requests, REQUEST_BURST, REQUEST_EVERY)
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn joins_over_the_rate_are_counted_and_written_once_the_account_is_quiet() {
        let rates = Rates::default();
        let allowed = (0..2000).filter(|_| rates.join(1000)).count();
        assert_eq!(allowed, 10, "a burst of ten, then one every six seconds");
        for _ in 0..1990 {
            rates.came_and_went(1000, "wall", "klee", true);
        }
        assert!(rates.due(false).is_empty(), "still coming and going");
        tokio::time::advance(CHURN_QUIET).await;
        let due = rates.due(false);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].times, 1990);
        assert!(
            due[0].text().starts_with("1,990 times in "),
            "{}",
            due[0].text()
        );
        assert!(rates.due(true).is_empty(), "written once");
        tokio::time::advance(JOIN_EVERY).await;
        assert!(rates.join(1000), "one more join once the rate allows");
        assert!(rates.join(2000), "another account has its own bucket");
    }

    #[tokio::test(start_paused = true)]
    async fn requests_over_the_rate_are_refused_until_the_bucket_fills() {
        let rates = Rates::default();
        let allowed = (0..5000).filter(|_| rates.request(7)).count();
        assert_eq!(allowed, 20);
        tokio::time::advance(REQUEST_EVERY).await;
        assert!(rates.request(7));
        assert!(!rates.request(7));
    }

    #[test]
    fn counts_read_with_thousands_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(2000), "2,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
