"""Seeds moto_server with what warroom only reads and has no Rust SDK crate for (EC2 networks and
instances; SNS topics read back through SQS; the workload `warroom ready` checks), with boto3
from the emulators' virtualenv.

Called by tests/support/emulators/moto.rs as `python moto_seed.py COMMAND URL REGION [ARGS...]`;
prints one JSON document on stdout. Credentials are static test values; URL must be loopback.
"""

import json
import sys
from urllib.parse import urlparse

import boto3


def client(service, url, region):
    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"refusing non-loopback endpoint {url}")
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def network(url, region, cidr):
    """A VPC with two subnets in two availability zones (an ALB needs two)."""
    ec2 = client("ec2", url, region)
    vpc = ec2.create_vpc(CidrBlock=f"{cidr}.0.0/16")["Vpc"]["VpcId"]
    subnets = []
    for i, az in enumerate(("a", "c")):
        s = ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"{cidr}.{i + 1}.0/24", AvailabilityZone=f"{region}{az}"
        )
        subnets.append(s["Subnet"]["SubnetId"])
    return {"vpc": vpc, "subnets": subnets}


def instances(url, region, subnet, count):
    ec2 = client("ec2", url, region)
    out = ec2.run_instances(
        ImageId="ami-12c6146b", MinCount=int(count), MaxCount=int(count), SubnetId=subnet
    )
    return {"instances": [i["InstanceId"] for i in out["Instances"]]}


def stop(url, region, *ids):
    ec2 = client("ec2", url, region)
    out = ec2.stop_instances(InstanceIds=list(ids))
    return {"stopping": [i["InstanceId"] for i in out["StoppingInstances"]]}


def target_health(url, region, arn):
    """DescribeTargetHealth as boto3 sees it: an independent reading to compare with."""
    elb = client("elbv2", url, region)
    out = elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
    return {
        "targets": [
            {
                "id": d["Target"]["Id"],
                "port": d["Target"].get("Port"),
                "state": d["TargetHealth"].get("State"),
                "reason": d["TargetHealth"].get("Reason"),
                "description": d["TargetHealth"].get("Description"),
            }
            for d in out
        ]
    }


def sns_topic(url, region, name):
    """A topic with an SQS queue subscribed (raw delivery), so what is published can be read."""
    sns = client("sns", url, region)
    sqs = client("sqs", url, region)
    topic = sns.create_topic(Name=name)["TopicArn"]
    queue = sqs.create_queue(QueueName=f"{name}-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "false"},
    )
    return {"topic_arn": topic, "queue_url": queue}


def sns_messages(url, region, queue):
    """Every notification delivered to the queue so far: subject and message, oldest first."""
    sqs = client("sqs", url, region)
    got = []
    while True:
        out = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        msgs = out.get("Messages", [])
        if not msgs:
            break
        for m in msgs:
            body = json.loads(m["Body"])
            got.append({"subject": body.get("Subject"), "message": body.get("Message")})
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    return {"messages": got}


def readiness(url, region, run):
    """A workload for `warroom ready`: an Auto Scaling group short of capacity in one AZ and one
    with room; an ECS service; a single-AZ RDS instance without backups and a Multi-AZ one with;
    a Redis replication group; a Route 53 zone with a long and a short TTL; a target group with
    slow health checks; a web ACL whose rate rule only counts, at a low limit."""
    asg = client("autoscaling", url, region)
    asg.create_launch_configuration(
        LaunchConfigurationName=f"lc-{run}", ImageId="ami-12c6146b", InstanceType="t2.micro"
    )
    asg.create_auto_scaling_group(
        AutoScalingGroupName=f"small-{run}", LaunchConfigurationName=f"lc-{run}",
        MinSize=1, MaxSize=2, DesiredCapacity=1, AvailabilityZones=[f"{region}a"],
    )
    asg.create_auto_scaling_group(
        AutoScalingGroupName=f"big-{run}", LaunchConfigurationName=f"lc-{run}",
        MinSize=2, MaxSize=12, DesiredCapacity=2, AvailabilityZones=[f"{region}a", f"{region}c"],
        HealthCheckType="ELB", HealthCheckGracePeriod=60,
    )
    ecs = client("ecs", url, region)
    ecs.create_cluster(clusterName=f"c-{run}")
    ecs.register_task_definition(
        family=f"web-{run}", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
    )
    ecs.create_service(
        cluster=f"c-{run}", serviceName="web", taskDefinition=f"web-{run}", desiredCount=2
    )
    rds = client("rds", url, region)
    for name, multi_az, days in ((f"single-{run}", False, 0), (f"multi-{run}", True, 7)):
        rds.create_db_instance(
            DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="mysql",
            MasterUsername="admin", MasterUserPassword="password123", AllocatedStorage=20,
            MultiAZ=multi_az, BackupRetentionPeriod=days,
        )
    cache = client("elasticache", url, region)
    cache.create_replication_group(
        ReplicationGroupId=f"r{run}", ReplicationGroupDescription="sessions", Engine="redis",
        CacheNodeType="cache.t3.micro", NumCacheClusters=2, AutomaticFailoverEnabled=True,
    )
    r53 = client("route53", url, region)
    zone = r53.create_hosted_zone(Name=f"ready-{run}.example.com", CallerReference=run)
    changes = [
        {"Action": "CREATE", "ResourceRecordSet": {
            "Name": f"{name}.ready-{run}.example.com", "Type": kind, "TTL": ttl,
            "ResourceRecords": [{"Value": value}]}}
        for name, kind, ttl, value in (("www", "CNAME", 300, "shop.example.net"), ("api", "A", 30, "192.0.2.10"))
    ]
    r53.change_resource_record_sets(
        HostedZoneId=zone["HostedZone"]["Id"], ChangeBatch={"Changes": changes}
    )
    ec2 = client("ec2", url, region)
    vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    elb = client("elbv2", url, region)
    elb.create_target_group(
        Name=f"tg-{run}", Protocol="HTTP", Port=80, VpcId=vpc,
        HealthCheckIntervalSeconds=30, UnhealthyThresholdCount=10,
    )
    vis = {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
    waf = client("wafv2", url, region)
    waf.create_web_acl(
        Name=f"acl-{run}", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=vis,
        Rules=[{
            "Name": "rate", "Priority": 0, "Action": {"Count": {}}, "VisibilityConfig": vis,
            "Statement": {"RateBasedStatement": {
                "Limit": 100, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}},
        }],
    )
    return {"vpc": vpc}


COMMANDS = {
    "network": network,
    "instances": instances,
    "stop": stop,
    "target-health": target_health,
    "sns-topic": sns_topic,
    "sns-messages": sns_messages,
    "readiness": readiness,
}

if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: moto_seed.py {{{'|'.join(COMMANDS)}}} URL REGION [ARGS...]")
    json.dump(COMMANDS[sys.argv[1]](*sys.argv[2:]), sys.stdout)
    print()
