//! The trigger expression language's syntax tree (`seoul.unhealthy_hosts > 0 for 3m`), shared by
//! runbook triggers, `verify:` conditions, return-to-normal criteria and metric math.
//! Parsing lives in `config::parse_expr`; evaluation over the state lives in `eval`.

use chrono::TimeDelta;

/// A parsed expression. Offsets are byte offsets into the expression's own text, so errors can be
/// reported at `file:line:column` once the caller adds where the text started.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    /// An upper-case state constant: `HEALTHY`, `UNHEALTHY`, `INITIAL`, `OK`, `ALARM`,
    /// `INSUFFICIENT_DATA`.
    Const {
        name: String,
        at: usize,
    },
    /// A name of the layout: a series id, `<target-group>.healthy`, `<accelerator>.<region>`,
    /// `<accelerator>.<region>.dial`, `alarm.<name>`, `alarms.firing`.
    Ref(Ref),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Arith {
        op: ArithOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Cmp {
        op: CmpOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    /// `<expr> for 3m`: the condition has held for at least the duration.
    For {
        expr: Box<Expr>,
        dur: TimeDelta,
    },
    /// `baseline(series)`, `changes(health-ref, 10m)`.
    Call {
        func: Func,
        args: Vec<Expr>,
        at: usize,
    },
    /// Only valid as a call argument.
    Duration(TimeDelta),
}

/// A reference to something in the layout, resolved by validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    pub(crate) name: String,
    pub(crate) at: usize,
    pub(crate) target: RefTarget,
}

/// What a name resolved to. Indices are into the `Layout` vectors.
#[derive(Debug, Clone, PartialEq)]
pub enum RefTarget {
    /// Not yet resolved (straight out of the parser).
    Unresolved,
    /// A series of the layout (`Layout::series[i]`), numeric.
    Series(usize),
    /// Number of targets of a target group in one state (from `DescribeTargetHealth`),
    /// `<tg>.healthy`, `<tg>.unhealthy`, `<tg>.initial`, `<tg>.draining`, `<tg>.total`.
    TargetCount { tg: usize, which: TargetCountKind },
    /// Health of a Global Accelerator endpoint group: `<accelerator>.<region>`.
    GaGroupHealth { acc: usize, region: String },
    /// Traffic dial of an endpoint group: `<accelerator>.<region>.dial`, numeric.
    GaGroupDial { acc: usize, region: String },
    /// State of one alarm: `alarm.<name>`.
    Alarm(String),
    /// Number of alarms in ALARM: `alarms.firing`.
    AlarmsFiring,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetCountKind {
    Healthy,
    Unhealthy,
    Initial,
    Draining,
    Total,
    Unused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `baseline(series)`: the series' documented baseline value.
    Baseline,
    /// `changes(health-ref, 10m)`: number of health transitions within the window.
    Changes,
}

impl Expr {
    /// Every reference in the expression, in source order.
    pub(crate) fn refs(&self) -> Vec<&Ref> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    /// The expression's direct sub-expressions.
    pub(crate) fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Neg(e) | Expr::Not(e) | Expr::For { expr: e, .. } => vec![e],
            Expr::Arith { lhs, rhs, .. } | Expr::Cmp { lhs, rhs, .. } => vec![lhs, rhs],
            Expr::And(a, b) | Expr::Or(a, b) => vec![a, b],
            Expr::Call { args, .. } => args.iter().collect(),
            Expr::Number(_) | Expr::Const { .. } | Expr::Ref(_) | Expr::Duration(_) => vec![],
        }
    }

    /// Where the expression's first name, state or call is (a byte offset), if it has one.
    pub(crate) fn first_at(&self) -> Option<usize> {
        let mut todo = vec![self];
        while let Some(e) = todo.pop() {
            match e {
                Expr::Ref(r) => return Some(r.at),
                Expr::Const { at, .. } | Expr::Call { at, .. } => return Some(*at),
                _ => todo.extend(e.children().into_iter().rev()),
            }
        }
        None
    }

    /// A node more than `max` levels deep, if any: walked with a heap stack, so a tree too deep
    /// for the recursive walkers (resolution, evaluation) is found without overflowing.
    pub(crate) fn deeper_than(&self, max: usize) -> Option<&Expr> {
        let mut todo = vec![(self, 1usize)];
        while let Some((e, depth)) = todo.pop() {
            if depth > max {
                return Some(e);
            }
            todo.extend(e.children().into_iter().map(|c| (c, depth + 1)));
        }
        None
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a Ref>) {
        match self {
            Expr::Ref(r) => out.push(r),
            Expr::Neg(e) | Expr::Not(e) | Expr::For { expr: e, .. } => e.collect_refs(out),
            Expr::Arith { lhs, rhs, .. } | Expr::Cmp { lhs, rhs, .. } => {
                lhs.collect_refs(out);
                rhs.collect_refs(out);
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.collect_refs(out);
                b.collect_refs(out);
            }
            Expr::Call { args, .. } => args.iter().for_each(|a| a.collect_refs(out)),
            Expr::Number(_) | Expr::Const { .. } | Expr::Duration(_) => {}
        }
    }
}
