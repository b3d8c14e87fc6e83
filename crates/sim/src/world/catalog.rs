//! The resources of the world by AWS identity, as the `Describe*`/`List*` calls of the
//! simulator endpoint (`sim::serve`) find them: target groups, the accelerator and its listener,
//! web ACLs and log groups, each with its region and ARN (names and ids match the reference
//! layout's dimension values).

use super::{ACCOUNT, World};

/// One ALB target group.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetGroupRes {
    pub name: &'static str,
    pub(crate) region: &'static str,
    pub(crate) load_balancer: &'static str,
    pub arn: String,
    pub(crate) load_balancer_arn: String,
}

/// One WAFv2 web ACL; CLOUDFRONT ACLs are served from us-east-1.
#[derive(Debug, Clone, PartialEq)]
pub struct WebAclRes {
    pub(crate) name: &'static str,
    pub(crate) id: &'static str,
    pub(crate) cloudfront: bool,
    pub(crate) region: &'static str,
    pub(crate) arn: String,
}

/// The accelerator (API in us-west-2), its one listener and its endpoint groups' ARNs.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceleratorRes {
    pub(crate) name: &'static str,
    pub(crate) arn: String,
    pub listener_arn: String,
}

const GA_ID: &str = "5f2d7a1c-0b9e-4c3a-9d61-2e7f8a4b6c10";
const GA_LISTENER: &str = "abcdef12";

// The catalog is the world's, fixed for every scenario today: asked of the world, so a
// scenario that adds or removes resources changes it in one place.
#[allow(clippy::unused_self)]
impl World {
    pub fn target_groups(&self) -> Vec<TargetGroupRes> {
        let tg = |name, region, lb, tg_id: &str, lb_id: &str| TargetGroupRes {
            name,
            region,
            load_balancer: lb,
            arn: format!(
                "arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:targetgroup/{name}/{tg_id}"
            ),
            load_balancer_arn: format!(
                "arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:loadbalancer/app/{lb}/{lb_id}"
            ),
        };
        vec![
            tg(
                "BTS-tg",
                "ap-northeast-2",
                "BTS-ALB",
                "6d0ecf831eec9f09",
                "50dc6c495c0c9188",
            ),
            tg(
                "WEB-tg",
                "us-east-1",
                "WEB-ALB",
                "a81c2f0b7e3d4c19",
                "8e2a7c41b96d03f5",
            ),
        ]
    }

    pub(crate) fn web_acls(&self) -> Vec<WebAclRes> {
        let acl = |name, id, cloudfront, region: &'static str| WebAclRes {
            name,
            id,
            cloudfront,
            region,
            arn: format!(
                "arn:aws:wafv2:{region}:{ACCOUNT}:{}/webacl/{name}/{id}",
                if cloudfront { "global" } else { "regional" }
            ),
        };
        vec![
            acl(
                "BTS-WebACL-Seoul-ALB",
                "0c8a5e31-7d2b-4f6e-9a10-3b5c7d9e1f20",
                false,
                "ap-northeast-2",
            ),
            acl(
                "BTS-WebACL-Virginia-ALB",
                "4e1f9b27-2c6d-48a3-b5e0-7f8a9c0d1e2f",
                false,
                "us-east-1",
            ),
            acl(
                "BTS-CloudFront-WebACL",
                "9d3b6f14-8e2a-4c5b-a7d1-0e2f4a6b8c9d",
                true,
                "us-east-1",
            ),
        ]
    }

    pub fn accelerators(&self) -> Vec<AcceleratorRes> {
        let arn = format!("arn:aws:globalaccelerator::{ACCOUNT}:accelerator/{GA_ID}");
        vec![AcceleratorRes {
            name: "BTS-AGA",
            listener_arn: format!("{arn}/listener/{GA_LISTENER}"),
            arn,
        }]
    }

    /// Log groups as (name, region).
    pub(crate) fn log_groups(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("/hybridbts/seoul/httpd/error_log", "ap-northeast-2"),
            ("/ecs/bts-web", "us-east-1"),
        ]
    }
}
