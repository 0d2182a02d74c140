//! Run specifications (`adam:lr=0.3,beta1=0.9`), gradient sources, and their parsing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Objective;
use super::kind::{OptimizerKind, ParamInfo, ParamRange};
use crate::typo::edit_distance;

/// Steps of a run when nothing else is said: the book's 30.
pub const DEFAULT_STEPS: usize = 30;
/// The most steps a run may ask for; more is a parse error, and [`super::run`] caps
/// unvalidated specs here so a path's memory stays bounded.
pub const MAX_STEPS: usize = 1_000_000;
/// The central-difference step of the book's `numerical_gradient`.
pub const DEFAULT_NUMERIC_H: f64 = 1e-4;

/// A spec that cannot be parsed or is out of range; the message names the bad part.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpecError {
    #[error(
        "empty run spec: expected kind[:key=value,...], e.g. `adam:lr=0.3`; kinds: {}",
        kind_list()
    )]
    Empty,
    #[error("unknown optimizer `{given}`{}; kinds: {}", did_you_mean(*.suggestion), kind_list())]
    UnknownKind {
        given: String,
        suggestion: Option<&'static str>,
    },
    #[error("`{given}` is not a parameter of {owner}{}; valid: {}", did_you_mean(*.suggestion), name_list(.valid))]
    UnknownParam {
        owner: &'static str,
        given: String,
        suggestion: Option<&'static str>,
        valid: Vec<&'static str>,
    },
    #[error("empty parameter in `{spec}`: expected key=value after `:` and between commas")]
    EmptyParam { spec: String },
    #[error("`{part}` is not key=value")]
    MissingValue { part: String },
    #[error("`{key}` is given more than once")]
    Duplicate { key: String },
    #[error("{key}: `{value}` is not a number")]
    BadNumber { key: String, value: String },
    #[error("{key}={value} is out of range: {key} must be {rule}")]
    OutOfRange {
        key: String,
        value: String,
        rule: &'static str,
    },
    #[error("steps `{given}`: expected a whole number from 0 to {MAX_STEPS}")]
    BadSteps { given: String },
    #[error("start `{given}`: expected two finite numbers x,y, e.g. `-7,2`")]
    BadStart { given: String },
    #[error(
        "unknown gradient source `{given}`; expected `analytic`, `numeric` or `numeric:h=<step>`"
    )]
    UnknownGradient { given: String },
    #[error("unknown preset `{given}`; presets: {}", name_list(.known))]
    UnknownPreset {
        given: String,
        known: Vec<&'static str>,
    },
}

fn kind_list() -> String {
    name_list(&OptimizerKind::ALL.map(OptimizerKind::name))
}

fn name_list(names: &[&'static str]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

fn did_you_mean(suggestion: Option<&'static str>) -> String {
    suggestion.map_or_else(String::new, |name| format!(" (did you mean `{name}`?)"))
}

/// The candidate closest to a mistyped `given`, if any is plausibly meant: one that
/// `given` abbreviates, or one within two edits that is not wholly replaced.
pub(super) fn closest(
    given: &str,
    candidates: impl IntoIterator<Item = &'static str>,
) -> Option<&'static str> {
    let given = given.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter_map(|candidate| {
            let distance = if given.len() >= 2 && candidate.starts_with(given.as_str()) {
                0
            } else {
                edit_distance(&given, candidate)
            };
            (distance <= 2 && distance < candidate.len()).then_some((distance, candidate))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Splits `key=value,key=value` into trimmed, lowercased keys and trimmed values.
fn key_values<'a>(list: &'a str, whole: &str) -> Result<Vec<(String, &'a str)>, SpecError> {
    list.split(',')
        .map(|part| {
            let part = part.trim();
            if part.is_empty() {
                return Err(SpecError::EmptyParam {
                    spec: whole.to_owned(),
                });
            }
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| SpecError::MissingValue {
                    part: part.to_owned(),
                })?;
            Ok((key.trim().to_ascii_lowercase(), value.trim()))
        })
        .collect()
}

/// Parses one hyperparameter value and checks it against its range.
fn parse_value(info: &ParamInfo, text: &str) -> Result<f64, SpecError> {
    let value: f64 = text.parse().map_err(|_| SpecError::BadNumber {
        key: info.name.to_owned(),
        value: text.to_owned(),
    })?;
    check_range(info.name, info.range, value, text)?;
    Ok(value)
}

fn check_range(key: &str, range: ParamRange, value: f64, text: &str) -> Result<(), SpecError> {
    if range.admits(value) {
        Ok(())
    } else {
        Err(SpecError::OutOfRange {
            key: key.to_owned(),
            value: text.to_owned(),
            rule: range.describe(),
        })
    }
}

/// The numerical step `h` of `numeric:h=...`.
const NUMERIC_H: ParamInfo = ParamInfo {
    name: "h",
    default: DEFAULT_NUMERIC_H,
    range: ParamRange::Positive,
};

/// Where a run's gradients come from.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum GradientSource {
    /// The objective's own [`Objective::gradient`].
    #[default]
    Analytic,
    /// Central differences with step `h`, as the book's `numerical_gradient`:
    /// `(f(x+h, y) − f(x−h, y)) / (2h)`, and likewise for y.
    Numeric { h: f64 },
}

impl GradientSource {
    /// The gradient of `objective` at (x, y) from this source.
    pub fn gradient(&self, objective: &dyn Objective, x: f64, y: f64) -> [f64; 2] {
        match *self {
            GradientSource::Analytic => objective.gradient(x, y),
            GradientSource::Numeric { h } => [
                (objective.value(x + h, y) - objective.value(x - h, y)) / (2.0 * h),
                (objective.value(x, y + h) - objective.value(x, y - h)) / (2.0 * h),
            ],
        }
    }
}

impl fmt::Display for GradientSource {
    /// `analytic` or `numeric:h=<h>` with `h` in shortest round-trip form, so the text
    /// parses back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GradientSource::Analytic => f.write_str("analytic"),
            GradientSource::Numeric { h } => write!(f, "numeric:h={h:?}"),
        }
    }
}

impl FromStr for GradientSource {
    type Err = SpecError;

    /// `analytic`, `numeric` (h = [`DEFAULT_NUMERIC_H`]) or `numeric:h=<h>`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let whole = text.trim();
        let (name, list) = match whole.split_once(':') {
            Some((name, list)) => (name.trim(), Some(list)),
            None => (whole, None),
        };
        match name.to_ascii_lowercase().as_str() {
            "analytic" => match list {
                None => Ok(GradientSource::Analytic),
                Some(list) => {
                    let (key, _) = key_values(list, whole)?
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    Err(SpecError::UnknownParam {
                        owner: "analytic",
                        given: key,
                        suggestion: None,
                        valid: Vec::new(),
                    })
                }
            },
            "numeric" => {
                let mut h = None;
                for (key, value) in list.map_or(Ok(Vec::new()), |list| key_values(list, whole))? {
                    if key != NUMERIC_H.name {
                        return Err(SpecError::UnknownParam {
                            owner: "numeric",
                            suggestion: closest(&key, [NUMERIC_H.name]),
                            given: key,
                            valid: vec![NUMERIC_H.name],
                        });
                    }
                    if h.is_some() {
                        return Err(SpecError::Duplicate { key });
                    }
                    h = Some(parse_value(&NUMERIC_H, value)?);
                }
                Ok(GradientSource::Numeric {
                    h: h.unwrap_or(NUMERIC_H.default),
                })
            }
            _ => Err(SpecError::UnknownGradient {
                given: whole.to_owned(),
            }),
        }
    }
}

/// One optimizer run: kind, hyperparameters, start, steps, gradient source.
///
/// Parse one with [`FromStr`]: `kind[:key=value,...]`, e.g. `sgd`, `sgd:lr=0.95`,
/// `adam:lr=0.3,beta1=0.9`. The keys are the kind's hyperparameters
/// ([`OptimizerKind::params`]); start, steps and gradient source are not part of the
/// text (the command sets them for all runs) and take their defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RunFile", into = "RunFile")]
pub struct RunSpec {
    pub kind: OptimizerKind,
    /// Only the hyperparameters set explicitly, in the order given; the rest take the
    /// kind's defaults (see [`RunSpec::param`]).
    pub params: Vec<(String, f64)>,
    /// `None`: the function's default start.
    pub start: Option<[f64; 2]>,
    pub steps: usize,
    pub grad: GradientSource,
}

/// How a run is written in scene files: the text `--run` takes, and the rest beside it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFile {
    run: String,
    #[serde(default = "default_steps")]
    steps: usize,
    #[serde(default = "default_grad")]
    grad: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<[f64; 2]>,
}

fn default_steps() -> usize {
    DEFAULT_STEPS
}

fn default_grad() -> String {
    GradientSource::Analytic.to_string()
}

impl From<RunSpec> for RunFile {
    fn from(spec: RunSpec) -> RunFile {
        RunFile {
            run: spec.spec_text(),
            steps: spec.steps,
            grad: spec.grad.to_string(),
            start: spec.start,
        }
    }
}

impl TryFrom<RunFile> for RunSpec {
    type Error = SpecError;

    fn try_from(file: RunFile) -> Result<RunSpec, SpecError> {
        let mut spec: RunSpec = file.run.parse()?;
        spec.steps = file.steps;
        spec.grad = file.grad.parse()?;
        spec.start = file.start;
        spec.validate()?;
        Ok(spec)
    }
}

impl RunSpec {
    /// The text `--run` takes for this run: `kind[:key=value,...]` with the explicit
    /// hyperparameters in shortest round-trip form, e.g. `adam:lr=0.3,beta1=0.9`.
    pub fn spec_text(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(key, value)| format!("{key}={value:?}"))
            .collect();
        if params.is_empty() {
            self.kind.name().to_owned()
        } else {
            format!("{}:{}", self.kind.name(), params.join(","))
        }
    }

    /// A run of `kind` with every default: no explicit hyperparameters, the function's
    /// start, [`DEFAULT_STEPS`], analytic gradients.
    pub fn new(kind: OptimizerKind) -> RunSpec {
        RunSpec {
            kind,
            params: Vec::new(),
            start: None,
            steps: DEFAULT_STEPS,
            grad: GradientSource::Analytic,
        }
    }

    /// `kind(key=value,...)`: the explicit hyperparameters in the order given, preceded
    /// by the effective lr when lr is not among them, so a label always shows the lr,
    /// e.g. `adam(lr=0.3,beta1=0.9)` or `sgd(lr=0.01)`. Values are in shortest
    /// round-trip form.
    pub fn label(&self) -> String {
        let implicit_lr = self
            .explicit(self.kind.lr_param().name)
            .is_none()
            .then(|| format!("lr={:?}", self.lr()));
        let explicit = self
            .params
            .iter()
            .map(|(key, value)| format!("{key}={value:?}"));
        let parts: Vec<String> = implicit_lr.into_iter().chain(explicit).collect();
        format!("{}({})", self.kind, parts.join(","))
    }

    /// The effective learning rate.
    pub fn lr(&self) -> f64 {
        self.effective(self.kind.lr_param())
    }

    /// Sets the learning rate (the window raises and lowers it). So that stepping lr
    /// up or down can never produce an invalid spec, the value is clamped to the
    /// positive finite range `[f64::MIN_POSITIVE, f64::MAX]`, and NaN leaves lr
    /// unchanged. An lr that was not explicit becomes explicit, first in the list.
    pub fn set_lr(&mut self, lr: f64) {
        if lr.is_nan() {
            return;
        }
        let lr = lr.clamp(f64::MIN_POSITIVE, f64::MAX);
        let name = self.kind.lr_param().name;
        match self.params.iter_mut().find(|(key, _)| key == name) {
            Some((_, value)) => *value = lr,
            None => self.params.insert(0, (name.to_owned(), lr)),
        }
    }

    /// Sets hyperparameter `name` explicitly when the kind has it and `value` is in its
    /// range (the window's controls); returns whether it was set.
    pub fn set_param(&mut self, name: &str, value: f64) -> bool {
        let Some(info) = self.kind.param(name) else {
            return false;
        };
        if !info.range.admits(value) {
            return false;
        }
        match self.params.iter_mut().find(|(key, _)| key == info.name) {
            Some((_, explicit)) => *explicit = value,
            None => self.params.push((info.name.to_owned(), value)),
        }
        true
    }

    /// The effective value of hyperparameter `name` (explicit, else the kind's
    /// default); `None` if the kind has no such hyperparameter.
    pub fn param(&self, name: &str) -> Option<f64> {
        self.kind.param(name).map(|info| self.effective(info))
    }

    /// Every hyperparameter of the kind with its effective value, in canonical order.
    pub fn effective_params(&self) -> Vec<(&'static str, f64)> {
        self.kind
            .params()
            .iter()
            .map(|info| (info.name, self.effective(info)))
            .collect()
    }

    /// Checks a spec built or deserialized by hand against the rules [`FromStr`]
    /// enforces: known, distinct, in-range hyperparameters, at most [`MAX_STEPS`] steps,
    /// a finite start, a positive finite numeric step.
    pub fn validate(&self) -> Result<(), SpecError> {
        for (index, (key, value)) in self.params.iter().enumerate() {
            let info = self
                .kind
                .param(key)
                .ok_or_else(|| self.unknown_param(key))?;
            if self.params[..index]
                .iter()
                .any(|(earlier, _)| earlier == key)
            {
                return Err(SpecError::Duplicate { key: key.clone() });
            }
            check_range(key, info.range, *value, &format!("{value:?}"))?;
        }
        if self.steps > MAX_STEPS {
            return Err(SpecError::BadSteps {
                given: self.steps.to_string(),
            });
        }
        if let Some([x, y]) = self.start
            && !(x.is_finite() && y.is_finite())
        {
            return Err(SpecError::BadStart {
                given: format!("{x:?},{y:?}"),
            });
        }
        if let GradientSource::Numeric { h } = self.grad {
            check_range(NUMERIC_H.name, NUMERIC_H.range, h, &format!("{h:?}"))?;
        }
        Ok(())
    }

    /// The explicit value of `name`; the last one wins should a hand-built spec repeat it.
    fn explicit(&self, name: &str) -> Option<f64> {
        self.params
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|&(_, value)| value)
    }

    /// The explicit value of `info`, else its default.
    pub(super) fn effective(&self, info: &ParamInfo) -> f64 {
        self.explicit(info.name).unwrap_or(info.default)
    }

    fn unknown_param(&self, given: &str) -> SpecError {
        let valid: Vec<&'static str> = self.kind.params().iter().map(|info| info.name).collect();
        SpecError::UnknownParam {
            owner: self.kind.name(),
            given: given.to_owned(),
            suggestion: closest(given, valid.iter().copied()),
            valid,
        }
    }
}

impl FromStr for RunSpec {
    type Err = SpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let whole = text.trim();
        if whole.is_empty() {
            return Err(SpecError::Empty);
        }
        let (kind, list) = match whole.split_once(':') {
            Some((kind, list)) => (kind, Some(list)),
            None => (whole, None),
        };
        let mut spec = RunSpec::new(kind.parse()?);
        for (key, value) in list.map_or(Ok(Vec::new()), |list| key_values(list, whole))? {
            let info = spec
                .kind
                .param(&key)
                .ok_or_else(|| spec.unknown_param(&key))?;
            if spec.explicit(info.name).is_some() {
                return Err(SpecError::Duplicate { key });
            }
            spec.params
                .push((info.name.to_owned(), parse_value(info, value)?));
        }
        Ok(spec)
    }
}

/// Parses a step count (`--steps`): a whole number from 0 to [`MAX_STEPS`].
pub fn parse_steps(text: &str) -> Result<usize, SpecError> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|&steps| steps <= MAX_STEPS)
        .ok_or_else(|| SpecError::BadSteps {
            given: text.to_owned(),
        })
}

/// Parses a start position (`--start -7,2`): two finite numbers separated by a comma.
pub fn parse_start(text: &str) -> Result<[f64; 2], SpecError> {
    let bad = || SpecError::BadStart {
        given: text.to_owned(),
    };
    let (x, y) = text.split_once(',').ok_or_else(bad)?;
    let coordinate = |part: &str| {
        part.trim()
            .parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .ok_or_else(bad)
    };
    Ok([coordinate(x)?, coordinate(y)?])
}
