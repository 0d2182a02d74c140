//! The update rules, with their state.
//!
//! The book's six follow `common/optimizer.py` operation for operation: Python
//! evaluates `a*b*c` as `(a*b)*c` and `a*b/c` as `(a*b)/c`, and so does Rust, so the
//! expressions below are written exactly as the book writes them. Rust never contracts
//! `a*b + c` into a fused multiply-add, numpy's scalar operations don't either, and
//! `sqrt` is correctly rounded on both sides, so every result is bit-identical.

use std::hint::black_box;

use super::RunSpec;
use super::kind::{BETA1, BETA2, DECAY, EPS, MOMENTUM, OptimizerKind, WEIGHT_DECAY};

/// The book's AdaGrad, RMSprop and Adam add this to the root before dividing.
const BOOK_EPS: f64 = 1e-7;

/// An optimizer in motion: the hyperparameters of a [`RunSpec`] and the state its rule
/// carries between updates (velocity, accumulated squares, moments, step count). State
/// starts at zero, as the book's `np.zeros_like`. The formulas are documented on
/// [`OptimizerKind`]'s variants.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer(Rule);

/// One rule per kind; `p` is a coordinate, `g` its gradient component, and every
/// coordinate is updated independently.
#[derive(Clone, Debug, PartialEq)]
enum Rule {
    Sgd {
        lr: f64,
    },
    Momentum {
        lr: f64,
        momentum: f64,
        v: [f64; 2],
    },
    Nesterov {
        lr: f64,
        momentum: f64,
        v: [f64; 2],
    },
    AdaGrad {
        lr: f64,
        h: [f64; 2],
    },
    RmsProp {
        lr: f64,
        decay: f64,
        h: [f64; 2],
    },
    Adam {
        lr: f64,
        beta1: f64,
        beta2: f64,
        t: u32,
        m: [f64; 2],
        v: [f64; 2],
    },
    AdamPaper(PaperAdam),
    AdamW {
        weight_decay: f64,
        adam: PaperAdam,
    },
}

/// Adam as in Kingma & Ba (2015), shared by `adam-paper` and `adamw`.
#[derive(Clone, Debug, PartialEq)]
struct PaperAdam {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    t: u32,
    m: [f64; 2],
    v: [f64; 2],
}

impl PaperAdam {
    fn new(spec: &RunSpec) -> PaperAdam {
        PaperAdam {
            lr: spec.lr(),
            beta1: spec.effective(&BETA1),
            beta2: spec.effective(&BETA2),
            eps: spec.effective(&EPS),
            t: 0,
            m: [0.0; 2],
            v: [0.0; 2],
        }
    }

    fn update(&mut self, p: &mut [f64; 2], g: [f64; 2]) {
        let PaperAdam {
            lr,
            beta1,
            beta2,
            eps,
            t,
            m,
            v,
        } = self;
        *t = t.saturating_add(1);
        let bias1 = 1.0 - power(*beta1, *t);
        let bias2 = 1.0 - power(*beta2, *t);
        for (((p, g), m), v) in p.iter_mut().zip(g).zip(m).zip(v) {
            *m = *beta1 * *m + (1.0 - *beta1) * g;
            *v = *beta2 * *v + (1.0 - *beta2) * (g * g);
            let m_hat = *m / bias1;
            let v_hat = *v / bias2;
            *p -= *lr * m_hat / (v_hat.sqrt() + *eps);
        }
    }
}

/// `g**2` as the book's Python evaluates it: CPython and numpy scalars call libm
/// `pow(g, 2.0)`, which glibc rounds differently from `g*g` in about 0.1% of cases.
/// `f64::powf` calls the same `pow`, but LLVM rewrites `pow(g, 2.0)` with a constant
/// exponent into `g*g` in optimized builds; `black_box` hides the constant.
fn book_square(g: f64) -> f64 {
    g.powf(black_box(2.0))
}

/// `beta^t` as the book computes `beta**t`: libm `pow`, like `f64::powf`
/// (`powi` multiplies repeatedly and rounds differently).
fn power(beta: f64, t: u32) -> f64 {
    beta.powf(f64::from(t))
}

impl Optimizer {
    /// A fresh optimizer (zero state) for `spec`'s kind and effective hyperparameters.
    pub fn new(spec: &RunSpec) -> Optimizer {
        let lr = spec.lr();
        let zero = [0.0; 2];
        Optimizer(match spec.kind {
            OptimizerKind::Sgd => Rule::Sgd { lr },
            OptimizerKind::Momentum => Rule::Momentum {
                lr,
                momentum: spec.effective(&MOMENTUM),
                v: zero,
            },
            OptimizerKind::Nesterov => Rule::Nesterov {
                lr,
                momentum: spec.effective(&MOMENTUM),
                v: zero,
            },
            OptimizerKind::AdaGrad => Rule::AdaGrad { lr, h: zero },
            OptimizerKind::RmsProp => Rule::RmsProp {
                lr,
                decay: spec.effective(&DECAY),
                h: zero,
            },
            OptimizerKind::Adam => Rule::Adam {
                lr,
                beta1: spec.effective(&BETA1),
                beta2: spec.effective(&BETA2),
                t: 0,
                m: zero,
                v: zero,
            },
            OptimizerKind::AdamPaper => Rule::AdamPaper(PaperAdam::new(spec)),
            OptimizerKind::AdamW => Rule::AdamW {
                weight_decay: spec.effective(&WEIGHT_DECAY),
                adam: PaperAdam::new(spec),
            },
        })
    }

    /// One update of the position `p` given the gradient `g` there.
    pub fn update(&mut self, p: &mut [f64; 2], g: [f64; 2]) {
        match &mut self.0 {
            Rule::Sgd { lr } => {
                for (p, g) in p.iter_mut().zip(g) {
                    *p -= *lr * g;
                }
            }
            Rule::Momentum { lr, momentum, v } => {
                for ((p, g), v) in p.iter_mut().zip(g).zip(v) {
                    *v = *momentum * *v - *lr * g;
                    *p += *v;
                }
            }
            Rule::Nesterov { lr, momentum, v } => {
                for ((p, g), v) in p.iter_mut().zip(g).zip(v) {
                    *p += *momentum * *momentum * *v;
                    *p -= (1.0 + *momentum) * *lr * g;
                    *v *= *momentum;
                    *v -= *lr * g;
                }
            }
            Rule::AdaGrad { lr, h } => {
                for ((p, g), h) in p.iter_mut().zip(g).zip(h) {
                    *h += g * g;
                    *p -= *lr * g / (h.sqrt() + BOOK_EPS);
                }
            }
            Rule::RmsProp { lr, decay, h } => {
                for ((p, g), h) in p.iter_mut().zip(g).zip(h) {
                    *h *= *decay;
                    *h += (1.0 - *decay) * g * g;
                    *p -= *lr * g / (h.sqrt() + BOOK_EPS);
                }
            }
            Rule::Adam {
                lr,
                beta1,
                beta2,
                t,
                m,
                v,
            } => {
                // Saturating: a hand-driven optimizer may outlive u32, and by then
                // beta^t is 0 either way.
                *t = t.saturating_add(1);
                // Computed once per update, before the coordinates, as the book does.
                let lr_t = *lr * (1.0 - power(*beta2, *t)).sqrt() / (1.0 - power(*beta1, *t));
                for (((p, g), m), v) in p.iter_mut().zip(g).zip(m).zip(v) {
                    *m += (1.0 - *beta1) * (g - *m);
                    *v += (1.0 - *beta2) * (book_square(g) - *v);
                    *p -= lr_t * *m / (v.sqrt() + BOOK_EPS);
                }
            }
            Rule::AdamPaper(adam) => adam.update(p, g),
            Rule::AdamW { weight_decay, adam } => {
                // Decay the current position before the Adam step (the gradient was
                // taken there too), scaled by lr as in PyTorch's AdamW.
                for p in p.iter_mut() {
                    *p -= adam.lr * *weight_decay * *p;
                }
                adam.update(p, g);
            }
        }
    }
}
