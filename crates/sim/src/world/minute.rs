//! One minute of the world: traffic per population and region, Global Accelerator routing, WAF
//! accounting, errors, hosts, CPU and the data tier, computed from the script plus seeded noise.
//! Latency percentiles are drawn from a log-normal sample of the minute's requests.

// Short names (a, b, m, r, x) follow the formulas and AWS field names they mirror.
#![allow(clippy::many_single_char_names)]

use super::super::rng;
use super::super::script::Script;
use super::{SiteId, ga};

/// Baseline legitimate requests per minute (both regions).
pub(crate) const BASELINE_RPM: f64 = 2000.0;
/// Share of Seoul-origin buyers reaching the ALB directly (`kr.hybridbts.com`), not through GA.
const DIRECT_SHARE: f64 = 0.01;
/// Log-normal shape of request latency (p99 is 2.26 x the median).
const SIGMA: f64 = 0.35;

/// The true counts and gauges of one site (region) for one minute.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Site {
    pub(crate) legit: f64,
    pub(crate) bots: f64,
    pub(crate) rate_blocked: f64,
    pub(crate) sqli_blocked: f64,
    pub(crate) other_blocked: f64,
    pub(crate) allowed: f64,
    pub(crate) requests: f64,
    pub(crate) target_5xx: f64,
    pub(crate) elb_5xx: f64,
    pub(crate) healthy_min: f64,
    pub(crate) unhealthy_max: f64,
    pub(crate) cpu: f64,
    pub(crate) ga_bytes: f64,
}

impl Site {
    pub(crate) fn blocked(&self) -> f64 {
        self.rate_blocked + self.sqli_blocked + self.other_blocked
    }
}

/// The whole world for one minute.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Minute {
    pub(crate) seoul: Site,
    pub(crate) virginia: Site,
    pub(crate) cpu_credits: f64,
    pub(crate) asg_desired: f64,
    pub(crate) asg_in_service: f64,
    pub(crate) asg_max: f64,
    pub(crate) db_cpu: f64,
    pub(crate) db_connections: f64,
    pub(crate) replica_lag: f64,
    pub(crate) redis_cpu: f64,
    pub(crate) redis_memory: f64,
    pub(crate) cf_5xx_rate: f64,
    pub(crate) edge_blocked: f64,
    pub(crate) new_flows: f64,
    pub(crate) ga_unhealthy: f64,
}

pub(crate) fn virginia_cpu(script: &Script, seed: u64, m: i64) -> f64 {
    (script.virginia_cpu.at(m as f64 + 0.5) * rng::jitter(seed, "virginia.cpu", m, 0.015))
        .min(100.0)
}

pub(crate) fn compute(script: &Script, seed: u64, m: i64) -> Minute {
    let mid = m as f64 + 0.5;
    let s0 = m * 60;
    let j = |name: &str, pct: f64| rng::jitter(seed, name, m, pct);
    let mut counts = rng::stream(seed, "counts", m);
    let mut pois = |mean: f64| rng::poisson(&mut counts, mean) as f64;
    // Error counts: Poisson once there are a few per minute; below that a jittered rounding, so
    // a quiet minute never shows a lone burst that would flap a 5xx-rate threshold.
    let mut errs = rng::stream(seed, "errors", m);
    let mut errors = |mean: f64| {
        if mean >= 5.0 {
            rng::poisson(&mut errs, mean) as f64
        } else {
            (mean * (1.0 + 0.15 * rng::normal(&mut errs).clamp(-2.0, 2.0)))
                .round()
                .max(0.0)
        }
    };

    let legit = BASELINE_RPM * script.traffic.at(mid) * j("traffic", 0.02);
    let bots = script.bots.at(mid) * j("bots", 0.03);
    let (a, b) = ga::minute(script, s0);
    let legit_s = legit * (ga::SEOUL_ORIGIN_LEGIT * a + (1.0 - ga::SEOUL_ORIGIN_LEGIT) * b);
    let bots_s = bots * (ga::SEOUL_ORIGIN_BOTS * a + (1.0 - ga::SEOUL_ORIGIN_BOTS) * b);
    let legit_v = legit - legit_s;
    let bots_v = bots - bots_s;
    let bytes = 1450.0 * j("bytes", 0.01);

    let mut seoul = Site {
        legit: legit_s,
        bots: bots_s,
        ..Site::default()
    };
    let direct = legit * ga::SEOUL_ORIGIN_LEGIT * DIRECT_SHARE;
    seoul.ga_bytes = (legit_s + bots_s) * bytes;
    seoul.rate_blocked =
        (bots_s * script.bot_block + legit_s * script.false_positive.at(mid)).round();
    seoul.sqli_blocked = pois(script.sqli.at(mid));
    seoul.other_blocked = pois(0.0197 * (legit_s + direct));
    seoul.allowed = (legit_s + bots_s + direct - seoul.blocked())
        .max(0.0)
        .round();
    seoul.requests = seoul.allowed;
    seoul.target_5xx = errors(seoul.requests * script.seoul_t5xx.at(mid) / 100.0);
    seoul.elb_5xx = errors(seoul.requests * script.seoul_e5xx.at(mid) / 100.0);
    let (h, u, in_service) = script.seoul.minute_counts(s0);
    seoul.healthy_min = h as f64;
    seoul.unhealthy_max = u as f64;
    seoul.cpu = (script.seoul_cpu.at(mid) * j("seoul.cpu", 0.015)).min(100.0);

    let mut virginia = Site {
        legit: legit_v,
        bots: bots_v,
        ..Site::default()
    };
    virginia.ga_bytes = (legit_v + bots_v) * bytes;
    virginia.rate_blocked = (bots_v * script.bot_block).round();
    virginia.other_blocked = pois(0.0195 * legit_v);
    virginia.allowed = (legit_v + bots_v - virginia.blocked()).max(0.0).round();
    virginia.requests = virginia.allowed;
    virginia.target_5xx = errors(virginia.requests * script.virginia_t5xx.at(mid) / 100.0);
    virginia.elb_5xx = errors(virginia.requests * script.virginia_e5xx.at(mid) / 100.0);
    let (vh, vu, _) = script.virginia.minute_counts(s0);
    virginia.healthy_min = vh as f64;
    virginia.unhealthy_max = vu as f64;
    virginia.cpu = virginia_cpu(script, seed, m);

    Minute {
        seoul,
        virginia,
        cpu_credits: (script.seoul_credits.at(mid) * j("credits", 0.01)).max(0.0),
        asg_desired: script
            .asg_desired
            .at(s0)
            .max(script.asg_desired.at(s0 + 59)),
        asg_in_service: in_service as f64,
        asg_max: script.asg_max.at(s0).max(script.asg_max.at(s0 + 59)),
        db_cpu: (script.db_cpu.at(mid) * j("db.cpu", 0.015)).min(100.0),
        db_connections: (script.db_conn.at(mid) * j("db.conn", 0.012)).round(),
        replica_lag: (script.replica_lag.at(mid) * j("db.lag", 0.05)).max(0.0),
        redis_cpu: script.redis_cpu.at(mid) * j("redis.cpu", 0.02),
        redis_memory: script.redis_mem.at(mid) * j("redis.mem", 0.005),
        cf_5xx_rate: script.cf_5xx.at(mid) * j("cf.5xx", 0.05),
        edge_blocked: pois(script.edge_blocked.at(mid)),
        new_flows: ((legit + bots) * 0.95 * j("flows", 0.02)).round(),
        ga_unhealthy: ga::unhealthy_max(script, s0),
    }
}

/// The `q`-th percentile of the latencies of the minute's requests, each drawn from a log-normal
/// whose p99 is the script's target: the sample percentile wobbles like real data.
pub(crate) fn latency_sample_percentile(
    script: &Script,
    seed: u64,
    minute: &Minute,
    site: SiteId,
    m: i64,
    q: f64,
) -> Option<f64> {
    let (requests, target, name) = match site {
        SiteId::Seoul => (
            minute.seoul.requests,
            script.seoul_p99.at(m as f64 + 0.5),
            "latency.seoul",
        ),
        SiteId::Virginia => (
            minute.virginia.requests,
            script.virginia_p99.at(m as f64 + 0.5),
            "latency.virginia",
        ),
    };
    if requests < 1.0 {
        return None;
    }
    // The q-th percentile of n request latencies, each log-normal: the k-th smallest of n
    // uniforms mapped through the log-normal quantile. Sampling that order statistic directly
    // (a Beta draw) gives the sample percentile's exact distribution at O(1) cost.
    let n = requests as usize;
    let k = ((q / 100.0 * n as f64).ceil() as usize).clamp(1, n);
    let median_ln = target.ln() - rng::normal_quantile(0.99) * SIGMA;
    let mut r = rng::stream(seed, name, m);
    let u = rng::uniform_order_statistic(&mut r, k, n);
    Some((median_ln + SIGMA * rng::normal_quantile(u)).exp())
}
