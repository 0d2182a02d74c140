//! Running an optimizer from a start, and why it stopped.

use std::fmt;

use super::spec::{MAX_STEPS, SpecError};
use super::{Bounds, Objective, Optimizer, OptimizerKind, RunSpec};

/// A gradient whose norm is below this counts as zero: the run has converged.
pub const CONVERGED_GRADIENT_NORM: f64 = 1e-12;
/// The divergence box is this many times the domain's half-extents.
pub const DIVERGENCE_BOX_SCALE: f64 = 10.0;
/// The name of the book's comparison preset.
pub const BOOK_COMPARE: &str = "book-compare";

/// Why a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// All requested steps were taken.
    Completed,
    /// The gradient's norm fell below [`CONVERGED_GRADIENT_NORM`].
    Converged,
    /// The position left the divergence box or stopped being finite, or f or its
    /// gradient is undefined or infinite there.
    Diverged,
}

impl StopReason {
    /// `completed`, `converged` or `diverged`, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            StopReason::Completed => "completed",
            StopReason::Converged => "converged",
            StopReason::Diverged => "diverged",
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where and why a run ended. See the [module docs](super) for how `step` relates to
/// the points of the path.
#[derive(Clone, Debug, PartialEq)]
pub struct Stop {
    pub reason: StopReason,
    /// The index of the step where the run stopped; for a completed run, the number of
    /// steps taken.
    pub step: usize,
    /// A sentence for the user, e.g. `diverged at step 18: y = -53.2 left the box [-50, 50]`.
    pub detail: String,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

/// The positions a run visited, and how it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// `(x, y, f)` before each update; all finite.
    pub points: Vec<[f64; 3]>,
    pub stop: Stop,
}

/// A number for a sentence: shortest round-trip form without a trailing `.0`.
fn human(value: f64) -> String {
    let text = format!("{value:?}");
    match text.strip_suffix(".0") {
        Some(integer) => integer.to_owned(),
        None => text,
    }
}

fn at([x, y]: [f64; 2]) -> String {
    format!("({}, {})", human(x), human(y))
}

/// Why position `p` is not acceptable, if it isn't.
fn position_problem(p: [f64; 2], bounds: &Bounds) -> Option<String> {
    [("x", p[0], bounds.x), ("y", p[1], bounds.y)]
        .into_iter()
        .find_map(|(axis, value, [lo, hi])| {
            if !value.is_finite() {
                Some(format!("{axis} became {}", human(value)))
            } else if value < lo || value > hi {
                Some(format!(
                    "{axis} = {} left the box [{}, {}]",
                    human(value),
                    human(lo),
                    human(hi)
                ))
            } else {
                None
            }
        })
}

/// Why a value or gradient component is not usable, if it isn't.
fn non_finite(what: &str, values: &[f64], p: [f64; 2]) -> Option<String> {
    if values.iter().any(|value| value.is_nan()) {
        Some(format!("{what} is undefined at {}", at(p)))
    } else if values.iter().any(|value| value.is_infinite()) {
        Some(format!("{what} is infinite at {}", at(p)))
    } else {
        None
    }
}

/// f and the gradient at `p`, checked in the order the module docs give; otherwise
/// why the run diverges there.
fn evaluate(
    spec: &RunSpec,
    objective: &dyn Objective,
    p: [f64; 2],
    bounds: &Bounds,
) -> Result<(f64, [f64; 2]), String> {
    if let Some(why) = position_problem(p, bounds) {
        return Err(why);
    }
    let f = objective.value(p[0], p[1]);
    if let Some(why) = non_finite("f", &[f], p) {
        return Err(why);
    }
    let g = spec.grad.gradient(objective, p[0], p[1]);
    if let Some(why) = non_finite("the gradient", &g, p) {
        return Err(why);
    }
    Ok((f, g))
}

/// Runs `spec` from `start` (the caller resolves `spec.start`, falling back to the
/// function's default start) on `objective`, stopping early when the position leaves
/// `domain`'s divergence box or the gradient vanishes; the exact rules are in the
/// [module docs](super). `spec.steps` above [`MAX_STEPS`] (possible only in a spec
/// that skipped validation) is capped there. Never panics, whatever the hyperparameters.
pub fn run(spec: &RunSpec, start: [f64; 2], objective: &dyn Objective, domain: &Bounds) -> Path {
    let steps = spec.steps.min(MAX_STEPS);
    let bounds = domain.divergence_box();
    let mut optimizer = Optimizer::new(spec);
    let mut points = Vec::with_capacity(steps);
    let mut p = start;
    for step in 0..steps {
        let (f, g) = match evaluate(spec, objective, p, &bounds) {
            Ok(evaluated) => evaluated,
            Err(why) => {
                return Path {
                    points,
                    stop: Stop {
                        reason: StopReason::Diverged,
                        step,
                        detail: format!("diverged at step {step}: {why}"),
                    },
                };
            }
        };
        points.push([p[0], p[1], f]);
        let norm = g[0].hypot(g[1]);
        if norm < CONVERGED_GRADIENT_NORM {
            return Path {
                points,
                stop: Stop {
                    reason: StopReason::Converged,
                    step,
                    detail: format!(
                        "converged at step {step}: the gradient's norm is {} at {}",
                        human(norm),
                        at(p)
                    ),
                },
            };
        }
        optimizer.update(&mut p, g);
    }
    Path {
        points,
        stop: Stop {
            reason: StopReason::Completed,
            step: steps,
            detail: format!("completed {steps} steps"),
        },
    }
}

/// The book's comparison figure (ch06/optimizer_compare_naive.py): SGD lr 0.95,
/// Momentum lr 0.1, AdaGrad lr 1.5, Adam lr 0.3, 30 steps each from the function's
/// default start.
pub fn book_compare() -> Vec<RunSpec> {
    [
        (OptimizerKind::Sgd, 0.95),
        (OptimizerKind::Momentum, 0.1),
        (OptimizerKind::AdaGrad, 1.5),
        (OptimizerKind::Adam, 0.3),
    ]
    .into_iter()
    .map(|(kind, lr)| {
        let mut spec = RunSpec::new(kind);
        spec.set_lr(lr);
        spec
    })
    .collect()
}

/// The runs of the preset called `name` (`--preset`); only [`BOOK_COMPARE`] exists.
pub fn preset(name: &str) -> Result<Vec<RunSpec>, SpecError> {
    if name.trim().eq_ignore_ascii_case(BOOK_COMPARE) {
        Ok(book_compare())
    } else {
        Err(SpecError::UnknownPreset {
            given: name.to_owned(),
            known: vec![BOOK_COMPARE],
        })
    }
}
