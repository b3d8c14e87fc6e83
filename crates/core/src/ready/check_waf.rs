//! WAF: rules still in COUNT mode (they watch but do not block) and rate-based rule limits
//! against what one legitimate client IP sends at the expected peak (carrier NAT puts many
//! buyers behind one address).

use super::facts::Facts;
use super::{check, not_checked, num};
use crate::config::Layout;
use crate::config::readiness::Readiness;
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessCheck};

pub(crate) fn checks(layout: &Layout, r: &Readiness, facts: &Facts) -> Vec<ReadinessCheck> {
    let mut out = Vec::new();
    for w in &layout.web_acls {
        let id = format!("waf.count.{}", w.name);
        let title = format!("web ACL {}", w.name);
        if let Some(g) = facts.gap(&format!("waf.{}", w.name)) {
            out.push(not_checked(id, CheckGroup::Waf, title, &g.detail));
            continue;
        }
        let Some(acl) = facts.web_acls.iter().find(|a| a.name == w.name) else {
            out.push(not_checked(id, CheckGroup::Waf, title, "web ACL not found"));
            continue;
        };
        let counting: Vec<&str> = acl
            .rules
            .iter()
            .filter(|x| x.count_mode)
            .map(|x| x.name.as_str())
            .collect();
        out.push(check(
            id,
            CheckGroup::Waf,
            format!("{title} rules in COUNT"),
            if counting.is_empty() {
                Status::Green
            } else {
                Status::Yellow
            },
            if counting.is_empty() {
                format!("all {} rule(s) act; none only counts", acl.rules.len())
            } else {
                format!("{} rule(s) only count: {}", counting.len(), counting.join(", "))
            },
            "decide before the event: switch each to BLOCK (after checking its COUNT data against normal users) or keep it counting on purpose",
        ));
        let rate: Vec<_> = acl
            .rules
            .iter()
            .filter(|x| x.rate_limit.is_some())
            .collect();
        if rate.is_empty() {
            out.push(check(
                format!("waf.rate.{}", w.name),
                CheckGroup::Waf,
                format!("{title} rate limit"),
                Status::Yellow,
                "no rate-based rule: one client can send without limit",
                "add a rate-based rule (start in COUNT, limit above the peak per IP, evaluation window 60 s)",
            ));
        }
        for x in rate {
            let Some((limit, window)) = x.rate_limit else {
                continue;
            };
            out.push(rate_check(
                r,
                &w.name,
                &title,
                &x.name,
                limit,
                window,
                x.count_mode,
            ));
        }
    }
    out
}

fn rate_check(
    r: &Readiness,
    acl: &str,
    title: &str,
    rule: &str,
    limit: i64,
    window: i64,
    count_mode: bool,
) -> ReadinessCheck {
    let per_min = limit as f64 * 60.0 / window.max(1) as f64;
    let base = format!(
        "{rule}: {limit} per {window} s ({}/min per IP){}",
        num(per_min),
        if count_mode { ", counting only" } else { "" }
    );
    let (status, number) = match r.peak_requests_per_ip {
        None => (Status::Green, format!("{base}; the peak per IP is not set")),
        Some(p) if per_min < p => (
            Status::Red,
            format!(
                "{base} < {}/min one legitimate IP sends at the peak: buyers get blocked",
                num(p)
            ),
        ),
        Some(p) if per_min < 1.5 * p => (
            Status::Yellow,
            format!(
                "{base}: less than 1.5x the {}/min one legitimate IP sends at the peak",
                num(p)
            ),
        ),
        Some(p) => (
            Status::Green,
            format!("{base} for {}/min per IP at the peak", num(p)),
        ),
    };
    check(
        format!("waf.rate.{acl}.{rule}"),
        CheckGroup::Waf,
        format!("{title} rate limit"),
        status,
        number,
        "raise the limit above what one legitimate IP (carrier NAT included) sends at the peak, or scope the rule to the paths bots hit",
    )
}
