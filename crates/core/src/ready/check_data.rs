//! DNS and data tier: Route 53 TTLs of the event's names (low, so a change takes effect fast),
//! RDS Multi-AZ, automated backups and connections at the peak against `max_connections`, and
//! ElastiCache replicas with automatic failover.

use super::facts::Facts;
use super::{by_share, check, needed, not_checked, num};
use crate::config::readiness::{Readiness, Tier, TierKind};
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessCheck};

pub(crate) fn checks(r: &Readiness, facts: &Facts) -> Vec<ReadinessCheck> {
    let mut out: Vec<ReadinessCheck> = r.dns_names.iter().map(|n| dns(r, n, facts)).collect();
    for t in &r.tiers {
        match t.kind {
            TierKind::Rds => rds(r, t, facts, &mut out),
            TierKind::Cache => out.push(cache(t, facts)),
            TierKind::Asg | TierKind::Ecs => {}
        }
    }
    out
}

fn dns(r: &Readiness, name: &str, facts: &Facts) -> ReadinessCheck {
    let id = format!("dns.ttl.{name}");
    let title = format!("DNS {name}");
    if let Some(g) = facts.gap(&id) {
        return not_checked(id, CheckGroup::DnsData, title, &g.detail);
    }
    let max = r.max_ttl.num_seconds();
    let records: Vec<_> = facts.records.iter().filter(|x| x.name == name).collect();
    if records.is_empty() {
        return not_checked(
            id,
            CheckGroup::DnsData,
            title,
            "no record of that name in the account's hosted zones",
        );
    }
    let worst = records.iter().filter_map(|x| x.ttl).max();
    let kinds: Vec<&str> = records.iter().map(|x| x.kind.as_str()).collect();
    match worst {
        None => check(
            id,
            CheckGroup::DnsData,
            title,
            Status::Green,
            format!("{} alias: answers carry the target's TTL", kinds.join("/")),
            "",
        ),
        Some(ttl) => check(
            id,
            CheckGroup::DnsData,
            title,
            if ttl <= max {
                Status::Green
            } else if ttl <= 5 * max {
                Status::Yellow
            } else {
                Status::Red
            },
            format!("{} TTL {ttl} s (at most {max} s wanted)", kinds.join("/")),
            format!(
                "lower the TTL to {max} s a day before the event: resolvers keep the old answer for the whole TTL after a change"
            ),
        ),
    }
}

fn rds(r: &Readiness, t: &Tier, facts: &Facts, out: &mut Vec<ReadinessCheck>) {
    let id = format!("data.rds.{}", t.name);
    let title = format!("RDS {} ({})", t.name, t.region);
    if let Some(g) = facts.gap(&id) {
        out.push(not_checked(id, CheckGroup::DnsData, title, &g.detail));
        return;
    }
    let Some(d) = facts
        .rds
        .iter()
        .find(|d| d.id == t.name && d.region == t.region)
    else {
        out.push(check(
            id,
            CheckGroup::DnsData,
            title,
            Status::Red,
            format!("DB instance {} not found in {}", t.name, t.region),
            "fix the tier's name or region in [readiness]",
        ));
        return;
    };
    if let Some(src) = &d.replica_of {
        out.push(check(
            format!("{id}.multi_az"),
            CheckGroup::DnsData,
            format!("{title} replica"),
            Status::Green,
            format!("read replica of {src} ({})", d.class),
            "",
        ));
    } else {
        out.push(check(
            format!("{id}.multi_az"),
            CheckGroup::DnsData,
            format!("{title} Multi-AZ"),
            if d.multi_az {
                Status::Green
            } else {
                Status::Red
            },
            format!(
                "Multi-AZ {} ({})",
                if d.multi_az { "on" } else { "off" },
                d.class
            ),
            "turn Multi-AZ on before the event (a standby in another AZ; failover in 60 to 120 s)",
        ));
        out.push(check(
            format!("{id}.backups"),
            CheckGroup::DnsData,
            format!("{title} backups"),
            if d.backup_retention_days > 0 {
                Status::Green
            } else {
                Status::Red
            },
            format!("automated backups kept {} day(s)", d.backup_retention_days),
            "turn automated backups on (retention of at least 1 day) for point-in-time recovery",
        ));
    }
    if let (Some((need, from)), Some(max)) = (connections(r, t), t.max_connections) {
        let pct = 100.0 * need / max;
        out.push(check(
            format!("{id}.connections"),
            CheckGroup::DnsData,
            format!("{title} connections"),
            by_share(pct),
            format!(
                "{} connections at the peak of max_connections {} ({pct:.0}%){from}",
                num(need),
                num(max)
            ),
            "use a larger instance class or a connection pool (RDS Proxy), or cap the web tier: past max_connections new connections fail",
        ));
    }
}

/// Connections at the peak to the RDS tier `t`: what every tier that `uses` it brings (its
/// units at the peak times its connections each, from whichever region), plus `t`'s own
/// `capacity` (other clients); and where they come from, in words.
fn connections(r: &Readiness, t: &Tier) -> Option<(f64, String)> {
    let users: Vec<(&Tier, f64)> = r
        .tiers
        .iter()
        .filter_map(|u| {
            let per = u.uses.iter().find(|(id, _)| *id == t.id)?.1;
            Some((u, needed(r, u)? * per))
        })
        .collect();
    if users.is_empty() {
        return needed(r, t).map(|n| (n, String::new()));
    }
    let mut words: Vec<String> = users
        .iter()
        .map(|(u, n)| {
            let per = n / needed(r, u).unwrap_or(1.0);
            let away = if u.region == t.region {
                String::new()
            } else {
                format!(" from {}", u.region)
            };
            format!("{} {} x {}{away}", u.id, num(n / per), num(per))
        })
        .collect();
    let own = t.capacity.unwrap_or(0.0);
    if own > 0.0 {
        words.push(format!("{} other", num(own)));
    }
    let total = users.iter().map(|(_, n)| n).sum::<f64>() + own;
    Some((total, format!(": {}", words.join(", "))))
}

fn cache(t: &Tier, facts: &Facts) -> ReadinessCheck {
    let id = format!("data.cache.{}", t.name);
    let title = format!("ElastiCache {} ({})", t.name, t.region);
    if let Some(g) = facts.gap(&id) {
        return not_checked(id, CheckGroup::DnsData, title, &g.detail);
    }
    let Some(c) = facts
        .caches
        .iter()
        .find(|c| c.id == t.name && c.region == t.region)
    else {
        return check(
            id,
            CheckGroup::DnsData,
            title,
            Status::Red,
            format!("replication group {} not found in {}", t.name, t.region),
            "fix the tier's name or region in [readiness]",
        );
    };
    let replicas = c.nodes.saturating_sub(1);
    let status = if replicas == 0 {
        Status::Red
    } else if c.automatic_failover {
        Status::Green
    } else {
        Status::Yellow
    };
    check(
        id,
        CheckGroup::DnsData,
        title,
        status,
        format!(
            "{replicas} replica(s), automatic failover {}, Multi-AZ {}",
            if c.automatic_failover { "on" } else { "off" },
            if c.multi_az { "on" } else { "off" }
        ),
        "add a replica in another AZ with automatic failover: losing the only node loses the sessions it holds",
    )
}
