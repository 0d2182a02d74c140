//! The optimizer kinds, their names, and their hyperparameters with defaults.

use std::fmt;
use std::str::FromStr;

use super::spec::{SpecError, closest};

/// Which update rule a run uses.
///
/// In the formulas `p` is one coordinate of the position and `g` its gradient component;
/// the coordinates are updated independently, every state variable starts at 0, and the
/// book's rules are written in the book's exact order of operations (Python and Rust
/// both evaluate `a*b*c` as `(a*b)*c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptimizerKind {
    /// `sgd`, the book's SGD: `p -= lr*g`.
    Sgd,
    /// `momentum`, the book's Momentum: `v = momentum*v - lr*g; p += v`.
    Momentum,
    /// `nesterov`, the book's Nesterov:
    /// `p += momentum*momentum*v; p -= (1 + momentum)*lr*g; v *= momentum; v -= lr*g`.
    Nesterov,
    /// `adagrad`, the book's AdaGrad: `h += g*g; p -= lr*g / (sqrt(h) + 1e-7)`.
    // kebab-case would say "ada-grad"; the name is one word.
    AdaGrad,
    /// `rmsprop`, the book's RMSprop:
    /// `h *= decay; h += (1 - decay)*g*g; p -= lr*g / (sqrt(h) + 1e-7)`.
    RmsProp,
    /// `adam`, the book's Adam, which folds the bias corrections into the step size and
    /// keeps ε = 1e-7 outside them. Once per update `t += 1` (the first update uses
    /// t = 1) and `lr_t = lr*sqrt(1 - beta2^t)/(1 - beta1^t)`; then per coordinate
    /// `m += (1 - beta1)*(g - m); v += (1 - beta2)*(g**2 - v); p -= lr_t*m / (sqrt(v) + 1e-7)`.
    /// `beta^t` and `g**2` are libm `pow`, as in the book's Python.
    Adam,
    /// `adam-paper`, Adam as in Kingma & Ba (2015), Algorithm 1, with ε inside the
    /// bias-corrected denominator. Once per update `t += 1`; then per coordinate
    /// `m = beta1*m + (1 - beta1)*g; v = beta2*v + (1 - beta2)*(g*g);
    /// m_hat = m/(1 - beta1^t); v_hat = v/(1 - beta2^t); p -= lr*m_hat / (sqrt(v_hat) + eps)`.
    AdamPaper,
    /// `adamw`, Adam with decoupled weight decay, Loshchilov & Hutter (2019), the decay
    /// scaled by lr as PyTorch does: per coordinate, first `p -= lr*weight_decay*p` at the
    /// position where the gradient was taken, then exactly the `adam-paper` step.
    AdamW,
}

/// The values a hyperparameter may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamRange {
    /// Finite and > 0 (lr, eps).
    Positive,
    /// In [0, 1) (momentum, decay, beta1, beta2): at 1 the state never forgets and
    /// the bias corrections divide by zero.
    UnitInterval,
    /// Finite and ≥ 0 (weight_decay).
    NonNegative,
}

impl ParamRange {
    /// Whether `value` is allowed; NaN never is.
    pub fn admits(self, value: f64) -> bool {
        match self {
            ParamRange::Positive => value.is_finite() && value > 0.0,
            ParamRange::UnitInterval => (0.0..1.0).contains(&value),
            ParamRange::NonNegative => value.is_finite() && value >= 0.0,
        }
    }

    /// The rule in words, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            ParamRange::Positive => "a finite number > 0",
            ParamRange::UnitInterval => "in [0, 1)",
            ParamRange::NonNegative => "a finite number >= 0",
        }
    }
}

/// One hyperparameter of a kind: its name in run specs, its default, its range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamInfo {
    pub name: &'static str,
    pub default: f64,
    pub range: ParamRange,
}

// Defaults are the book's class defaults; adam-paper and adamw take Adam's, plus the
// paper's eps and the common AdamW weight decay.
const LR_BOOK: ParamInfo = ParamInfo {
    name: "lr",
    default: 0.01,
    range: ParamRange::Positive,
};
const LR_ADAM: ParamInfo = ParamInfo {
    name: "lr",
    default: 0.001,
    range: ParamRange::Positive,
};
pub(super) const MOMENTUM: ParamInfo = ParamInfo {
    name: "momentum",
    default: 0.9,
    range: ParamRange::UnitInterval,
};
pub(super) const DECAY: ParamInfo = ParamInfo {
    name: "decay",
    default: 0.99,
    range: ParamRange::UnitInterval,
};
pub(super) const BETA1: ParamInfo = ParamInfo {
    name: "beta1",
    default: 0.9,
    range: ParamRange::UnitInterval,
};
pub(super) const BETA2: ParamInfo = ParamInfo {
    name: "beta2",
    default: 0.999,
    range: ParamRange::UnitInterval,
};
pub(super) const EPS: ParamInfo = ParamInfo {
    name: "eps",
    default: 1e-8,
    range: ParamRange::Positive,
};
pub(super) const WEIGHT_DECAY: ParamInfo = ParamInfo {
    name: "weight_decay",
    default: 0.01,
    range: ParamRange::NonNegative,
};

impl OptimizerKind {
    /// Every kind, in the order the book introduces them, then the additions.
    pub const ALL: [OptimizerKind; 8] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::AdaGrad,
        OptimizerKind::RmsProp,
        OptimizerKind::Adam,
        OptimizerKind::AdamPaper,
        OptimizerKind::AdamW,
    ];

    /// The name used in run specs, labels and JSON (same as the serde name).
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Nesterov => "nesterov",
            OptimizerKind::AdaGrad => "adagrad",
            OptimizerKind::RmsProp => "rmsprop",
            OptimizerKind::Adam => "adam",
            OptimizerKind::AdamPaper => "adam-paper",
            OptimizerKind::AdamW => "adamw",
        }
    }

    /// The kind's hyperparameters in canonical order; `lr` is always first.
    pub fn params(self) -> &'static [ParamInfo] {
        match self {
            OptimizerKind::Sgd | OptimizerKind::AdaGrad => &[LR_BOOK],
            OptimizerKind::Momentum | OptimizerKind::Nesterov => &[LR_BOOK, MOMENTUM],
            OptimizerKind::RmsProp => &[LR_BOOK, DECAY],
            OptimizerKind::Adam => &[LR_ADAM, BETA1, BETA2],
            OptimizerKind::AdamPaper => &[LR_ADAM, BETA1, BETA2, EPS],
            OptimizerKind::AdamW => &[LR_ADAM, BETA1, BETA2, EPS, WEIGHT_DECAY],
        }
    }

    /// The hyperparameter called `name`, if this kind has one.
    pub fn param(self, name: &str) -> Option<&'static ParamInfo> {
        self.params().iter().find(|info| info.name == name)
    }

    /// The learning rate's description: every kind has one, listed first.
    pub fn lr_param(self) -> &'static ParamInfo {
        &self.params()[0]
    }
}

impl fmt::Display for OptimizerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OptimizerKind {
    type Err = SpecError;

    /// Accepts the names of [`OptimizerKind::name`], ignoring ASCII case and
    /// surrounding spaces.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        OptimizerKind::ALL
            .into_iter()
            .find(|kind| kind.name() == wanted)
            .ok_or_else(|| SpecError::UnknownKind {
                given: text.trim().to_owned(),
                suggestion: closest(&wanted, OptimizerKind::ALL.map(OptimizerKind::name)),
            })
    }
}
