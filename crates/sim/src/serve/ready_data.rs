//! The data tier of `warroom ready` against the simulator, over the AWS query protocol (form
//! POST, XML answers): RDS `DescribeDBInstances` and ElastiCache `DescribeReplicationGroups`,
//! each resource in its own region only.

use super::route::{ApiError, Ctx, Reply, Service, id_ns};
use super::state::Served;
use super::xml::{Xml, finish, one};

pub(crate) fn error(ns: &str, e: &ApiError) -> Reply {
    super::xml::error(ns, e)
}

pub(crate) fn handle(
    served: &Served,
    service: Service,
    op: &str,
    body: &[u8],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    match (service, op) {
        (Service::Rds, "DescribeDBInstances") => {
            db_instances(served, one(&form, "DBInstanceIdentifier"), ctx)
        }
        (Service::ElastiCache, "DescribeReplicationGroups") => {
            replication_groups(served, one(&form, "ReplicationGroupId"), ctx)
        }
        _ => Err(ApiError::client(
            "InvalidAction",
            format!("{service} action {op:?} is not served by the simulator"),
        )),
    }
}

fn db_instances(served: &Served, id: Option<&str>, ctx: &mut Ctx) -> Result<Reply, ApiError> {
    ctx.resource = id.unwrap_or_default().to_string();
    let dbs: Vec<_> = served
        .world()
        .db_instances()
        .into_iter()
        .filter(|d| d.region == ctx.region && id.is_none_or(|i| i == d.id))
        .collect();
    if let Some(i) = id
        && dbs.is_empty()
    {
        return Err(ApiError::new(
            404,
            "DBInstanceNotFound",
            format!("DBInstance {i} not found."),
        ));
    }
    let mut x = Xml::new();
    x.open_ns(id_ns(Service::Rds), "DescribeDBInstancesResponse")
        .open("DescribeDBInstancesResult")
        .open("DBInstances");
    for d in &dbs {
        x.open("DBInstance")
            .leaf("DBInstanceIdentifier", d.id)
            .leaf("DBInstanceClass", d.class)
            .leaf("Engine", "mysql")
            .leaf("DBInstanceStatus", "available")
            .leaf("AvailabilityZone", d.zone)
            .leaf("MultiAZ", if d.multi_az { "true" } else { "false" })
            .leaf("BackupRetentionPeriod", &d.backup_days.to_string());
        if let Some(src) = d.replica_of {
            x.leaf("ReadReplicaSourceDBInstanceIdentifier", src);
        }
        x.close("DBInstance");
    }
    x.close("DBInstances").close("DescribeDBInstancesResult");
    finish(&mut x, "DescribeDBInstancesResponse");
    Ok(x.into_reply(200))
}

fn replication_groups(served: &Served, id: Option<&str>, ctx: &mut Ctx) -> Result<Reply, ApiError> {
    ctx.resource = id.unwrap_or_default().to_string();
    let groups: Vec<_> = served
        .world()
        .cache_groups()
        .into_iter()
        .filter(|g| g.region == ctx.region && id.is_none_or(|i| i == g.id))
        .collect();
    if let Some(i) = id
        && groups.is_empty()
    {
        return Err(ApiError::new(
            404,
            "ReplicationGroupNotFoundFault",
            format!("Replication group {i} not found."),
        ));
    }
    let on = |b: bool| if b { "enabled" } else { "disabled" };
    let mut x = Xml::new();
    x.open_ns(
        id_ns(Service::ElastiCache),
        "DescribeReplicationGroupsResponse",
    )
    .open("DescribeReplicationGroupsResult")
    .open("ReplicationGroups");
    for g in &groups {
        x.open("ReplicationGroup")
            .leaf("ReplicationGroupId", g.id)
            .leaf("Status", "available")
            .open("MemberClusters");
        for m in g.members {
            x.leaf("ClusterId", m);
        }
        x.close("MemberClusters")
            .leaf("AutomaticFailover", on(g.automatic_failover))
            .leaf("MultiAZ", on(g.automatic_failover))
            .close("ReplicationGroup");
    }
    x.close("ReplicationGroups")
        .close("DescribeReplicationGroupsResult");
    finish(&mut x, "DescribeReplicationGroupsResponse");
    Ok(x.into_reply(200))
}
