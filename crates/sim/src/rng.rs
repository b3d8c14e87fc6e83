//! Deterministic randomness for the world: one ChaCha8 stream per (seed, stream name, key), so
//! every quantity is a pure function of the seed and time, and streams are independent.

// Short names (a, b, m, r, x) follow the formulas and AWS field names they mirror.
#![allow(clippy::many_single_char_names)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// FNV-1a of a stream name: stable across platforms and releases.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The stream `name` of `seed`, at position `key` (a minute, a bucket, an index).
pub(crate) fn stream(seed: u64, name: &str, key: i64) -> ChaCha8Rng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&fnv1a(name).to_le_bytes());
    bytes[16..24].copy_from_slice(&key.to_le_bytes());
    bytes[24..].copy_from_slice(b"warroom1");
    ChaCha8Rng::from_seed(bytes)
}

/// One uniform draw in `[0, 1)`.
pub(crate) fn unit(seed: u64, name: &str, key: i64) -> f64 {
    stream(seed, name, key).random::<f64>()
}

/// A standard normal draw (Box-Muller).
pub(crate) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-12);
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A multiplicative noise factor `1 + pct * z`, with `z` standard normal clipped to ±2.5, so
/// noise stays small and bounded (it must never flap a threshold).
pub(crate) fn jitter(seed: u64, name: &str, key: i64, pct: f64) -> f64 {
    let z = normal(&mut stream(seed, name, key)).clamp(-2.5, 2.5);
    1.0 + pct * z
}

/// A Poisson count with the given mean (normal approximation above 50).
pub(crate) fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    if mean > 50.0 {
        let z = normal(rng).clamp(-3.0, 3.0);
        return (mean + z * mean.sqrt()).round().max(0.0) as u64;
    }
    let limit = (-mean).exp();
    let mut k = 0;
    let mut p = 1.0;
    loop {
        p *= rng.random::<f64>();
        if p <= limit {
            return k;
        }
        k += 1;
    }
}

/// A Gamma(shape, 1) draw, shape >= 1 (Marsaglia-Tsang).
fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.random::<f64>().max(1e-300);
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// The `k`-th smallest of `n` uniform draws, sampled directly: it is Beta(k, n + 1 - k).
pub(crate) fn uniform_order_statistic(rng: &mut ChaCha8Rng, k: usize, n: usize) -> f64 {
    let a = gamma(rng, k.max(1) as f64);
    let b = gamma(rng, (n + 1 - k.min(n)).max(1) as f64);
    a / (a + b)
}

/// The standard normal quantile function (Acklam's rational approximation, |error| < 1.2e-9).
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.024_25 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.024_25 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// An integer in `[lo, hi]`.
pub(crate) fn range(seed: u64, name: &str, key: i64, lo: i64, hi: i64) -> i64 {
    stream(seed, name, key).random_range(lo..=hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let bits = |s: u64, n: &str, k: i64| unit(s, n, k).to_bits();
        assert_eq!(bits(1, "a", 5), bits(1, "a", 5));
        assert_ne!(bits(1, "a", 5), bits(1, "b", 5));
        assert_ne!(bits(1, "a", 5), bits(2, "a", 5));
        assert_ne!(bits(1, "a", 5), bits(1, "a", 6));
    }

    #[test]
    fn jitter_is_bounded_and_poisson_has_its_mean() {
        for k in 0..500 {
            let j = jitter(7, "j", k, 0.02);
            assert!((0.95..=1.05).contains(&j), "{j}");
        }
        let mut rng = stream(3, "p", 0);
        let total: u64 = (0..2000).map(|_| poisson(&mut rng, 4.0)).sum();
        let mean = total as f64 / 2000.0;
        assert!((3.7..4.3).contains(&mean), "{mean}");
    }

    #[test]
    fn normal_quantile_matches_known_values() {
        assert!(normal_quantile(0.5).abs() < 1e-9);
        assert!((normal_quantile(0.99) - 2.326_347_874).abs() < 1e-6);
        assert!((normal_quantile(0.01) + 2.326_347_874).abs() < 1e-6);
    }

    #[test]
    fn order_statistic_sits_near_its_quantile() {
        let mut rng = stream(9, "os", 0);
        let mean: f64 = (0..400)
            .map(|_| uniform_order_statistic(&mut rng, 990, 1000))
            .sum::<f64>()
            / 400.0;
        assert!((mean - 990.0 / 1001.0).abs() < 0.001, "{mean}");
    }
}
