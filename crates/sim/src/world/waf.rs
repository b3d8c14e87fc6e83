//! WAF sampled requests of the world (GetSampledRequests): bots from a pool of ~400 IPs hitting
//! checkout, SQLi probes on `/board`, carrier-NAT buyers behind a few KR mobile IPs (the
//! false-positive variant), IP-reputation hits at the edge. URIs and headers are attacker
//! controlled: a few carry ANSI escapes and control characters.

// Short names (a, b, m, r, x) follow the formulas and AWS field names they mirror.
#![allow(clippy::many_single_char_names)]

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::model::WafRequest;

use super::super::rng;
use super::{World, minute_of};

const BOT_POOL: i64 = 400;
const BOT_URIS: [&str; 5] = [
    "/cart",
    "/order",
    "/order/checkout",
    "/product/photocard-1000",
    "/api/stock?sku=PC-1000",
];
const SQLI_URIS: [&str; 4] = [
    "/board?id=1' OR 1=1",
    "/board?id=1%27%20UNION%20SELECT%20card_no,cvv%20FROM%20payments--",
    "/review?sort=(SELECT%20SLEEP(5))",
    "/board?id=1'\u{1b}[31m OR '1'='1",
];
const CARRIER_NAT: [&str; 12] = [
    "223.38.12.5",
    "223.38.40.17",
    "223.62.9.201",
    "223.62.171.4",
    "106.101.3.88",
    "106.101.129.9",
    "117.111.5.140",
    "117.111.22.61",
    "211.234.180.7",
    "211.234.201.33",
    "39.7.46.210",
    "39.7.55.18",
];

/// Which population a rule's samples come from.
#[derive(Clone, Copy, PartialEq)]
enum Pool {
    RateSeoul,
    RateVirginia,
    Sqli,
    Reputation,
}

impl World {
    /// GetSampledRequests of `rule` (metric name) in web ACL `acl` over `[from, to)`: the
    /// population size and up to `max` sampled requests in time order; `None` when the world has
    /// no such ACL or rule.
    pub fn sampled_requests(
        &self,
        acl: &str,
        rule: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        max: usize,
    ) -> Option<(u64, Vec<WafRequest>)> {
        let pool = match (acl, rule) {
            ("BTS-WebACL-Seoul-ALB", "BTS-RateLimit-PerIP") => Pool::RateSeoul,
            ("BTS-WebACL-Seoul-ALB", "BTS-SQLiRuleSet") => Pool::Sqli,
            ("BTS-WebACL-Virginia-ALB", "BTS-RateLimit-PerIP") => Pool::RateVirginia,
            ("BTS-CloudFront-WebACL", "BTS-AMAZONIPREPUTATIONLIST") => Pool::Reputation,
            _ => return None,
        };
        let (a, b) = (self.rel(from), self.rel(to));
        if b <= a {
            return Some((0, Vec::new()));
        }
        // Population: the rule's matches, prorated over the minutes the window covers.
        let mut population = 0.0;
        let mut fp_share = 0.0;
        let mut m = minute_of(a);
        while m * 60 < b {
            let x = self.minute(m);
            let overlap = ((m * 60 + 60).min(b) - (m * 60).max(a)) as f64 / 60.0;
            let v = match pool {
                Pool::RateSeoul => x.seoul.rate_blocked,
                Pool::RateVirginia => x.virginia.rate_blocked,
                Pool::Sqli => x.seoul.sqli_blocked,
                Pool::Reputation => x.edge_blocked,
            };
            population += v * overlap;
            if pool == Pool::RateSeoul && x.seoul.rate_blocked > 0.0 {
                let fp = self.script().false_positive.at(m as f64 + 0.5) * x.seoul.legit;
                fp_share = f64::max(fp_share, fp / x.seoul.rate_blocked);
            }
            m += 1;
        }
        let population = population.round() as u64;
        let n = (population.min(max as u64)) as usize;
        let mut r = rng::stream(self.seed(), &format!("waf-sample:{acl}:{rule}"), a);
        let weight = if n == 0 {
            1
        } else {
            (population as f64 / n as f64).round().max(1.0) as u64
        };
        let mut out: Vec<WafRequest> = (0..n)
            .map(|_| {
                let ts = self.abs(a) + TimeDelta::milliseconds(r.random_range(0..(b - a) * 1000));
                let carrier = r.random::<f64>() < fp_share;
                sample(self.seed(), &mut r, pool, carrier, ts, rule, weight)
            })
            .collect();
        out.sort_by_key(|q| q.ts);
        Some((population, out))
    }
}

fn sample(
    seed: u64,
    r: &mut ChaCha8Rng,
    pool: Pool,
    carrier: bool,
    ts: DateTime<Utc>,
    rule: &str,
    weight: u64,
) -> WafRequest {
    let hostile = r.random::<f64>() < 0.03;
    let (ip, country, method, uri, ua, weight) = match pool {
        _ if carrier => (
            CARRIER_NAT[r.random_range(0..CARRIER_NAT.len())].to_string(),
            "KR",
            if r.random::<bool>() { "POST" } else { "GET" },
            ["/order/checkout", "/cart", "/order"][r.random_range(0..3)].to_string(),
            "Mozilla/5.0 (Linux; Android 14; SM-S928N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36".to_string(),
            weight * r.random_range(40..400),
        ),
        Pool::RateSeoul | Pool::RateVirginia => {
            let k = r.random_range(0..BOT_POOL);
            let uri = if hostile { "/cart?qty=9999\u{1b}[2J\u{1b}[H".to_string() } else { BOT_URIS[r.random_range(0..BOT_URIS.len())].to_string() };
            let ua = if hostile { "python-requests/2.31.0\u{1b}]0;pwned\u{7}".to_string() } else { ["python-requests/2.31.0", "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/124.0.0.0", "Go-http-client/1.1"][r.random_range(0..3)].to_string() };
            (bot_ip(seed, k), ["KR", "KR", "CN", "VN", "US", "JP"][(k % 6) as usize], if r.random::<bool>() { "POST" } else { "GET" }, uri, ua, weight)
        }
        Pool::Sqli => (
            format!("185.220.101.{}", r.random_range(1..64)),
            ["DE", "NL", "RU", "US"][r.random_range(0..4)],
            "GET",
            SQLI_URIS[r.random_range(0..SQLI_URIS.len())].to_string(),
            "sqlmap/1.8.4#stable (https://sqlmap.org)".to_string(),
            weight,
        ),
        Pool::Reputation => (
            format!("45.155.205.{}", r.random_range(1..255)),
            ["RU", "CN", "BR", "IN"][r.random_range(0..4)],
            "GET",
            ["/wp-login.php", "/.env", "/video/teaser.m3u8", "/xmlrpc.php"][r.random_range(0..4)].to_string(),
            "Mozilla/5.0 zgrab/0.x".to_string(),
            weight,
        ),
    };
    WafRequest {
        ts,
        client_ip: ip,
        country: Some(country.to_string()),
        method: method.to_string(),
        uri,
        rule: Some(rule.to_string()),
        action: "BLOCK".to_string(),
        weight,
        headers: vec![
            ("Host".to_string(), "www.hybridbts.com".to_string()),
            ("User-Agent".to_string(), ua),
        ],
    }
}

/// The `k`-th address of the bot pool: hosting and proxy ranges, fixed per seed.
fn bot_ip(seed: u64, k: i64) -> String {
    let mut r = rng::stream(seed, "bot-pool", k);
    let nets = [
        (103, 152),
        (45, 76),
        (185, 199),
        (104, 248),
        (139, 59),
        (159, 89),
        (43, 201),
    ];
    let (a, b) = nets[r.random_range(0..nets.len())];
    format!(
        "{a}.{b}.{}.{}",
        r.random_range(0..256),
        r.random_range(1..255)
    )
}
