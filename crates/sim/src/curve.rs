//! Piecewise-linear curves and step functions over scenario time: the shapes the scripted
//! world follows (traffic multiplier, CPU, latency targets, dials, health).

/// A piecewise-linear curve of (minutes from T0, value), flat before the first and after the
/// last point.
#[derive(Debug, Clone)]
pub(crate) struct Curve(Vec<(f64, f64)>);

impl Curve {
    pub(crate) fn new(points: &[(f64, f64)]) -> Self {
        let mut p = points.to_vec();
        p.sort_by(|a, b| a.0.total_cmp(&b.0));
        Curve(p)
    }

    pub(crate) fn at(&self, minute: f64) -> f64 {
        let Some(first) = self.0.first() else {
            return 0.0;
        };
        if minute <= first.0 {
            return first.1;
        }
        for w in self.0.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            if minute <= x1 {
                if x1 <= x0 {
                    return y1;
                }
                return y0 + (y1 - y0) * (minute - x0) / (x1 - x0);
            }
        }
        self.0.last().map_or(0.0, |p| p.1)
    }
}

/// A step function of (seconds from T0, value), `initial` before the first step.
#[derive(Debug, Clone)]
pub(crate) struct Steps<T: Copy> {
    initial: T,
    steps: Vec<(i64, T)>,
}

impl<T: Copy> Steps<T> {
    pub(crate) fn new(initial: T, steps: &[(i64, T)]) -> Self {
        let mut s = steps.to_vec();
        s.sort_by_key(|x| x.0);
        Steps { initial, steps: s }
    }

    pub(crate) fn at(&self, secs: i64) -> T {
        self.steps
            .iter()
            .rev()
            .find(|(t, _)| *t <= secs)
            .map_or(self.initial, |(_, v)| *v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curve_interpolates_and_clamps() {
        let c = Curve::new(&[(0.0, 1.0), (10.0, 3.0)]);
        assert!((c.at(-5.0) - 1.0).abs() < 1e-9);
        assert!((c.at(5.0) - 2.0).abs() < 1e-9);
        assert!((c.at(50.0) - 3.0).abs() < 1e-9);
    }

    #[test]
    fn steps_hold_their_value() {
        let s: Steps<f64> = Steps::new(100.0, &[(900, 0.0), (1500, 25.0)]);
        assert!((s.at(0) - 100.0).abs() < 1e-9);
        assert!((s.at(900) - 0.0).abs() < 1e-9);
        assert!((s.at(1499) - 0.0).abs() < 1e-9);
        assert!((s.at(1500) - 25.0).abs() < 1e-9);
    }
}
