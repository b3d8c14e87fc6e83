//! The scripted fleets: the Seoul ASG's instances (scheduled scale-out, target tracking, the
//! AZ-c saturation, collapse, replacement and recovery, the scale-in) and the Virginia ECS hosts,
//! each with its target-health phases.

use super::{Peak, Script};
use crate::fleet::{Fleet, Phase};
use crate::rng;

impl Script {
    /// The two fleets with their scripted health.
    pub(super) fn build_fleets(&mut self, seed: u64, extra: usize) {
        let (a, cz) = ("ap-northeast-2a", "ap-northeast-2c");
        let mut f = Fleet::default();
        let s1 = f.existing(seed, "seoul", a);
        let s2 = f.existing(seed, "seoul", cz);
        // 19:30 scheduled scale-out 2 -> 8: launches 35-60 s apart.
        let mut t = -1800 + 5;
        let mut out = Vec::new();
        for k in 0..6 {
            let az = if k % 2 == 0 { a } else { cz };
            out.push(f.launch(
                seed,
                "seoul",
                az,
                t,
                rng::range(seed, "hc-ready", k, 95, 120),
            ));
            t += rng::range(seed, "launch-gap", k, 35, 60);
        }
        // Target tracking adds `extra` at T+1m.
        let mut t = 65;
        for k in 0..extra {
            let az = if k % 2 == 0 { a } else { cz };
            out.push(f.launch(
                seed,
                "seoul",
                az,
                t,
                rng::range(seed, "hc-ready", 10 + k as i64, 95, 120),
            ));
            t += rng::range(seed, "launch-gap", 10 + k as i64, 35, 60);
        }
        let mut keep = vec![s1];
        match self.peak {
            Peak::Calm => keep.push(s2),
            Peak::Collapse | Peak::SharedDb | Peak::FailOpen => {
                self.seoul_collapse(&mut f, seed, s2, &mut keep);
            }
        }
        // 22:00 scheduled scale-in to 2: keep the oldest AZ-a instance and one AZ-c instance.
        let keep_c = keep.iter().copied().find(|&i| f.instances[i].az == cz);
        let survivors = [Some(s1), keep_c];
        let victims: Vec<usize> = (0..f.instances.len())
            .filter(|i| !survivors.contains(&Some(*i)) && f.instances[*i].terminate.is_none())
            .collect();
        for (k, &i) in victims.iter().enumerate() {
            f.terminate(i, 7200 + 2 * k as i64);
        }
        self.seoul = f;
        self.virginia = self.virginia_fleet(seed);
    }

    /// The Seoul web tier falls over (AZ c first, unless the database is the cause), AZ-a
    /// targets flap, the ASG replaces AZ c, and the rest recover; `keep` gains the instances the
    /// scale-in keeps a choice among.
    fn seoul_collapse(&self, f: &mut Fleet, seed: u64, s2: usize, keep: &mut Vec<usize>) {
        let (a, cz) = ("ap-northeast-2a", "ap-northeast-2c");
        let shared = self.peak == Peak::SharedDb;
        let recover_at = if shared { 2430 } else { 1030 };
        // php-fpm saturation in AZ c (not in shared-db: there the DB is the cause).
        let c_side: Vec<usize> = f.indices_in(cz).into_iter().take(3).collect();
        if !shared {
            for (k, &i) in c_side.iter().enumerate() {
                f.set(i, [350, 410, 452][k], Phase::Unhealthy("Target.Timeout"));
            }
        }
        let others: Vec<usize> = (0..f.instances.len())
            .filter(|i| shared || !c_side.contains(i))
            .collect();
        let base = if shared { 520 } else { 540 };
        for (k, &i) in others.iter().enumerate() {
            f.set(i, base + 3 * k as i64, Phase::Unhealthy("Target.Timeout"));
        }
        // Two AZ-a targets pass checks briefly once traffic drains away: GA flaps.
        if self.peak != Peak::FailOpen {
            let flappers: Vec<usize> = others
                .iter()
                .copied()
                .filter(|&i| f.instances[i].az == a)
                .take(2)
                .collect();
            for i in flappers {
                f.set(i, 630, Phase::Healthy);
                f.set(i, 702, Phase::Unhealthy("Target.Timeout"));
            }
        }
        // 20:12 the ASG replaces the three AZ-c instances.
        let replaced: Vec<usize> = if shared { Vec::new() } else { c_side.clone() };
        for &i in &replaced {
            f.terminate(i, 720);
        }
        let ready = [(760, 980), (800, 1005), (845, 1025)];
        for &(in_service, healthy) in ready.iter().take(replaced.len()) {
            keep.push(f.launch(seed, "seoul", cz, in_service - 40, healthy - in_service));
        }
        for (k, &i) in others.iter().enumerate() {
            f.set(i, recover_at + 23 * k as i64, Phase::Healthy);
        }
        if shared {
            keep.push(s2);
        }
    }

    fn virginia_fleet(&self, seed: u64) -> Fleet {
        let (a, cz) = ("us-east-1a", "us-east-1c");
        let mut v = Fleet::default();
        let v1 = v.existing(seed, "virginia", a);
        let v2 = v.existing(seed, "virginia", cz);
        if self.peak == Peak::Calm {
            return v;
        }
        // 20:15 ECS scaled to 6 hosts: boot, agent, DAEMON task, then health checks.
        for (k, launch) in [910, 940, 965, 990].into_iter().enumerate() {
            let az = if k % 2 == 0 { a } else { cz };
            v.launch(
                seed,
                "virginia",
                az,
                launch,
                150 + rng::range(seed, "ecs-ready", k as i64, 0, 20),
            );
        }
        if self.peak == Peak::FailOpen {
            for (k, &i) in [v1, v2].iter().enumerate() {
                v.set(
                    i,
                    560 + 7 * k as i64,
                    Phase::Unhealthy("Target.ResponseCodeMismatch"),
                );
                v.set(i, 1130 + 9 * k as i64, Phase::Healthy);
            }
        }
        v
    }
}
