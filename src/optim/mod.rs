//! Optimizers walking across a function f(x, y), and the paths they take.
//!
//! The six optimizers of the book *Deep Learning from Scratch* (`common/optimizer.py`)
//! are reproduced in f64 with the book's defaults and the book's order of operations,
//! so a path agrees bit for bit with the book's numpy code. Two modern variants are
//! added: Adam as in the paper (`adam-paper`) and AdamW (`adamw`).
//!
//! A run ([`RunSpec`]) is a kind, its hyperparameters, a start, a step count and a
//! gradient source; [`run`] turns it into a [`Path`], and [`to_csv`] / [`to_json`]
//! print paths for the `paths` command.
//!
//! # What a path holds, and where it stops
//!
//! `points[k]` is the position *before* update `k` (plus f there), exactly as the book
//! records its history, so `steps` updates give `steps` points: `points[0]` is the start
//! and the position after the last update is never evaluated. For each step `k`, in order:
//!
//! 1. the position must be finite and inside the divergence box (ten times the domain's
//!    half-extents around its centre, see [`Bounds::divergence_box`]);
//! 2. f there must be finite (NaN means the function is undefined there);
//! 3. the gradient there must be finite;
//! 4. the point is appended; if the gradient's norm is below
//!    [`CONVERGED_GRADIENT_NORM`] the run stops as converged;
//! 5. the optimizer updates the position.
//!
//! A failure in 1–3 stops the run as [`StopReason::Diverged`] at step `k`, and that
//! position is *not* in `points`, so `points.len() == stop.step` and a path never holds
//! a non-finite or out-of-box position, nor a point where f or its gradient is undefined.
//! A converged run *includes* the point where the tiny gradient was found:
//! `points.len() == stop.step + 1`. A completed run has `points.len() == stop.step == steps`
//! (so `steps == 0` gives an empty, completed path).

mod kind;
mod optimizer;
mod output;
mod run;
mod spec;

pub use kind::{OptimizerKind, ParamInfo, ParamRange};
pub use optimizer::Optimizer;
pub use output::{RunOutput, to_csv, to_json};
pub use run::{
    BOOK_COMPARE, CONVERGED_GRADIENT_NORM, DIVERGENCE_BOX_SCALE, Path, Stop, StopReason,
    book_compare, preset, run,
};
pub use spec::{
    DEFAULT_NUMERIC_H, DEFAULT_STEPS, GradientSource, MAX_STEPS, RunSpec, SpecError, parse_start,
    parse_steps,
};

/// What the optimizers need from a function; implemented elsewhere for the app's parsed
/// functions.
pub trait Objective {
    /// f(x, y); NaN where f is undefined.
    fn value(&self, x: f64, y: f64) -> f64;
    /// (∂f/∂x, ∂f/∂y); NaN components where the derivative is undefined.
    fn gradient(&self, x: f64, y: f64) -> [f64; 2];
}

/// A rectangle `x[0]..=x[1]` × `y[0]..=y[1]`: the function's domain, from which the
/// divergence box is derived.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

impl Bounds {
    /// The box a run must stay in: the same centre, [`DIVERGENCE_BOX_SCALE`] times the
    /// half-extents. For the book's domain `[-10, 10] × [-5, 5]` that is
    /// `[-100, 100] × [-50, 50]`. Halving before adding keeps a huge domain from
    /// overflowing; a box that overflows anyway is infinite, leaving only the
    /// finiteness check.
    pub fn divergence_box(&self) -> Bounds {
        fn widen([lo, hi]: [f64; 2]) -> [f64; 2] {
            let centre = lo * 0.5 + hi * 0.5;
            let reach = DIVERGENCE_BOX_SCALE * (hi * 0.5 - lo * 0.5).abs();
            [centre - reach, centre + reach]
        }
        Bounds {
            x: widen(self.x),
            y: widen(self.y),
        }
    }
}
