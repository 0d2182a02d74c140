//! Contour levels as matplotlib users give them: a count (`10`), a range (`0:100:1`) or a
//! list (`1,2,4,8`).
//!
//! A [`LevelSpec`] is what the user wrote, checked as it is parsed so a bad flag or scene
//! file fails at once with a message that names the bad part. It is stored in scene files
//! as the same text the flag takes. [`LevelSpec::resolve`] turns it into the [`Levels`]
//! the GPU draws, once the range of f on screen is known.
//!
//! * A range `start:stop:step` is `numpy.arange(start, stop, step)`: start, start + step,
//!   … up to but not including stop, so the memo's `np.arange(0, 100, 1)` is `0:100:1`
//!   and `0:100` means the same. A negative step counts down, and the levels come back
//!   ascending all the same. Where (stop − start) / step lands within rounding of a whole
//!   number it is taken as that number, so `1:1.3:0.1` is 1, 1.1, 1.2 (numpy's quotient
//!   rounds to 3.0000000000000004 and lets 1.3 in).
//! * A list is used as given, sorted and without repeats.
//! * A count n asks for automatic levels. On a linear colour scale they are matplotlib's
//!   `contour(…, levels=n)`: `MaxNLocator(n + 1)`, the smallest step m × 10^k (m from
//!   its default steps 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8) at least (max − min) / (n + 1),
//!   and its multiples within [min, max] (matplotlib keeps one more on each side, where
//!   a contour line has nothing to draw).
//! * On a log colour scale, which shows f − min over the decades below the span
//!   max − min, a count n gives the levels min + d for offsets d = 1, 2, 5 × 10^k (only
//!   the decades, 10^k, when n ≤ 6), taken downward from the largest d ≤ max − min: n of
//!   them, but none deeper than 6 decades below the span. That reaches 2 decades past the
//!   colour scale's floor (the shader's span × 10⁻⁴), so the floor of a deep valley such
//!   as Rosenbrock's still gets lines, and stops before f32 on the GPU (about 7 digits)
//!   could no longer tell the levels from each other. (matplotlib's log contours ignore
//!   n and draw every decade.)
//!
//! No spec ever yields more than [`MAX_LEVELS`] levels.

use std::fmt;
use std::str::FromStr;

use crate::function::ValueScale;
use crate::ticks::{NiceStep, scale10};

/// The most levels a spec may give (the GPU's level list grows to hold them); more is an
/// error rather than a figure of solid lines.
pub const MAX_LEVELS: usize = 10_000;

/// `MaxNLocator`'s default steps (10 is the next decade's 1), which matplotlib's
/// automatic contour levels use; axes use `AutoLocator`'s coarser 1, 2, 2.5, 5.
const CONTOUR_MANTISSAS: &[f64] = &[1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0];

/// How many decades below the span log-spaced levels may reach (see the module docs).
const LOG_DEPTH: i32 = 6;

/// How close (stop − start) / step must be to a whole number to be taken as one: far
/// above f64's rounding of a quotient, far below any step a person means.
const ARANGE_SLACK: f64 = 1e-9;

const RANGE_FORM: &str = "write start:stop:step like 0:100:1";
const LIST_FORM: &str = "write numbers separated by commas like 1,2,4,8";

/// Contour levels as the user asked for them; see the module docs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum LevelSpec {
    /// About this many automatic levels.
    Count(u32),
    /// `numpy.arange(start, stop, step)`.
    Range { start: f64, stop: f64, step: f64 },
    /// Exactly these levels (two or more).
    List(Vec<f64>),
}

/// What the GPU gets: evenly spaced levels as (first, step, count), or a sorted list.
#[derive(Clone, Debug, PartialEq)]
pub enum Levels {
    Even { first: f64, step: f64, count: u32 },
    List(Vec<f64>),
}

/// A level spec that can't be drawn; the message names the bad part and how to write it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LevelError {
    #[error("no levels given: write a count like 10, a range like 0:100:1, or a list like 1,2,4,8")]
    Empty,
    #[error(
        "\"{text}\" is not a level count: write a whole number like 10, a range like 0:100:1, \
         or a list like 1,2,4,8"
    )]
    BadCount { text: String },
    #[error("a count of 0 draws no levels: ask for at least 1")]
    ZeroCount,
    #[error("\"{text}\" is not a range: {RANGE_FORM}, or start:stop for step 1")]
    RangeShape { text: String },
    #[error("empty value in \"{text}\": {form}")]
    MissingValue { text: String, form: &'static str },
    #[error("\"{part}\" in \"{text}\" is not a number")]
    NotANumber { part: String, text: String },
    #[error("\"{part}\" in \"{text}\" is not a finite number")]
    NotFinite { part: String, text: String },
    #[error("step 0 in \"{text}\" must not be zero")]
    ZeroStep { text: String },
    #[error("\"{text}\" is empty: with step {step} the start must be {side} the stop")]
    EmptyRange {
        text: String,
        step: String,
        side: &'static str,
    },
    #[error("\"{text}\" gives {count} levels; at most {MAX_LEVELS} are drawn")]
    TooMany { text: String, count: u64 },
    #[error(
        "\"{text}\" has fewer than two values: {LIST_FORM} (a lone number is a count of levels)"
    )]
    ListTooShort { text: String },
}

impl Default for LevelSpec {
    /// Ten automatic levels, as `--levels 10`.
    fn default() -> Self {
        LevelSpec::Count(10)
    }
}

impl LevelSpec {
    /// The levels to draw for f ranging over [min, max] on a `spacing` colour scale.
    /// Only a count depends on the range; a degenerate range (max ≤ min, or not finite)
    /// gives a count no levels.
    pub fn resolve(&self, min: f64, max: f64, spacing: ValueScale) -> Result<Levels, LevelError> {
        let text = self.to_string();
        self.check(&text)?;
        Ok(match *self {
            LevelSpec::Count(count) => match spacing {
                ValueScale::Linear => linear_levels(count, min, max),
                ValueScale::Log => log_levels(count, min, max),
            },
            LevelSpec::Range { start, stop, step } => {
                let count = range_count(start, stop, step, &text)?;
                if step > 0.0 {
                    Levels::Even {
                        first: start,
                        step,
                        count,
                    }
                } else {
                    // Counting down: the same levels from the lowest up.
                    Levels::Even {
                        first: start + f64::from(count - 1) * step,
                        step: -step,
                        count,
                    }
                }
            }
            LevelSpec::List(ref values) => {
                let mut values = values.clone();
                values.sort_by(f64::total_cmp);
                values.dedup();
                Levels::List(values)
            }
        })
    }

    /// Whether this spec can be drawn, with `text` (as the user wrote it) in any error.
    fn check(&self, text: &str) -> Result<(), LevelError> {
        match self {
            LevelSpec::Count(0) => Err(LevelError::ZeroCount),
            LevelSpec::Count(count) if *count as usize > MAX_LEVELS => Err(LevelError::TooMany {
                text: text.to_owned(),
                count: u64::from(*count),
            }),
            LevelSpec::Count(_) => Ok(()),
            LevelSpec::Range { start, stop, step } => {
                range_count(*start, *stop, *step, text).map(|_| ())
            }
            LevelSpec::List(values) => {
                if values.len() < 2 {
                    return Err(LevelError::ListTooShort {
                        text: text.to_owned(),
                    });
                }
                if values.len() > MAX_LEVELS {
                    return Err(LevelError::TooMany {
                        text: text.to_owned(),
                        count: values.len() as u64,
                    });
                }
                match values.iter().find(|v| !v.is_finite()) {
                    Some(&bad) => Err(LevelError::NotFinite {
                        part: number(bad),
                        text: text.to_owned(),
                    }),
                    None => Ok(()),
                }
            }
        }
    }
}

impl Levels {
    /// Every level, ascending.
    pub fn values(&self) -> Vec<f64> {
        match self {
            Levels::Even { first, step, count } => {
                (0..*count).map(|i| first + f64::from(i) * step).collect()
            }
            Levels::List(values) => values.clone(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Levels::Even { count, .. } => *count as usize,
            Levels::List(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// numpy's `arange` length, checked: finite bounds, a nonzero step, 1 to [`MAX_LEVELS`]
/// levels.
fn range_count(start: f64, stop: f64, step: f64, text: &str) -> Result<u32, LevelError> {
    if let Some(&bad) = [start, stop, step].iter().find(|v| !v.is_finite()) {
        return Err(LevelError::NotFinite {
            part: number(bad),
            text: text.to_owned(),
        });
    }
    if step == 0.0 {
        return Err(LevelError::ZeroStep {
            text: text.to_owned(),
        });
    }
    let quotient = (stop - start) / step;
    let nearest = quotient.round();
    let count = if (quotient - nearest).abs() <= ARANGE_SLACK * nearest.abs().max(1.0) {
        nearest
    } else {
        quotient.ceil()
    };
    if count < 1.0 {
        return Err(LevelError::EmptyRange {
            text: text.to_owned(),
            step: number(step),
            side: if step > 0.0 { "below" } else { "above" },
        });
    }
    if count > MAX_LEVELS as f64 {
        return Err(LevelError::TooMany {
            text: text.to_owned(),
            // Saturates where stop − start overflowed to infinity.
            count: count as u64,
        });
    }
    Ok(count as u32)
}

/// matplotlib's `MaxNLocator(count + 1)` levels within [min, max].
fn linear_levels(count: u32, min: f64, max: f64) -> Levels {
    let span = max - min;
    if !(span > 0.0 && span.is_finite()) {
        return Levels::List(Vec::new());
    }
    let Some(mut step) = NiceStep::at_least(span / (f64::from(count) + 1.0), CONTOUR_MANTISSAS)
    else {
        return Levels::List(Vec::new());
    };
    loop {
        let (first, how_many) = step.multiples_within(min, max);
        // A count near MAX_LEVELS can give two more levels than asked for (one on each
        // end); a coarser step keeps within the buffer.
        if how_many <= MAX_LEVELS as f64 {
            return if how_many < 1.0 {
                Levels::List(Vec::new())
            } else {
                Levels::Even {
                    first: step.multiple(first),
                    step: step.value(),
                    count: how_many as u32,
                }
            };
        }
        step = step.next();
    }
}

/// Levels min + d, d = 1, 2, 5 × 10^k (or 10^k alone) downward from max − min; see the
/// module docs.
fn log_levels(count: u32, min: f64, max: f64) -> Levels {
    let span = max - min;
    if !(span > 0.0 && span.is_finite()) {
        return Levels::List(Vec::new());
    }
    let mantissas: &[f64] = if count <= LOG_DEPTH as u32 {
        &[10.0]
    } else {
        &[10.0, 5.0, 2.0]
    };
    let deepest = scale10(span, -LOG_DEPTH);
    // 10 × 10^(top − 1) is the first candidate, at or above the span whatever log10 rounds.
    let top = span.log10().ceil() as i32;
    let offsets = (top - LOG_DEPTH - 2..=top)
        .rev()
        .flat_map(|exponent| mantissas.iter().map(move |&m| scale10(m, exponent - 1)))
        .filter(|&offset| offset <= span && offset >= deepest);
    let mut levels: Vec<f64> = offsets
        .map(|offset| min + offset)
        // Far from zero, min + a small offset can round to min itself or past max.
        .filter(|&level| level > min && level <= max)
        .take(count as usize)
        .collect();
    levels.reverse();
    levels.dedup();
    Levels::List(levels)
}

/// Shortest text that parses back to `v`, without a 300-digit 1e300.
fn number(v: f64) -> String {
    let magnitude = v.abs();
    if magnitude == 0.0 || !v.is_finite() || (1e-4..1e15).contains(&magnitude) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

impl fmt::Display for LevelSpec {
    /// The text [`FromStr`] takes: `10`, `0:100:1`, `1,2,4,8`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LevelSpec::Count(count) => write!(f, "{count}"),
            LevelSpec::Range { start, stop, step } => {
                write!(f, "{}:{}:{}", number(*start), number(*stop), number(*step))
            }
            LevelSpec::List(values) => {
                let parts: Vec<String> = values.iter().map(|&v| number(v)).collect();
                f.write_str(&parts.join(","))
            }
        }
    }
}

impl FromStr for LevelSpec {
    type Err = LevelError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err(LevelError::Empty);
        }
        let spec = if text.contains(':') {
            parse_range(text)?
        } else if text.contains(',') {
            let values = text
                .split(',')
                .map(|part| parse_number(part, text, LIST_FORM))
                .collect::<Result<_, _>>()?;
            LevelSpec::List(values)
        } else {
            parse_count(text)?
        };
        spec.check(text)?;
        Ok(spec)
    }
}

fn parse_range(text: &str) -> Result<LevelSpec, LevelError> {
    let parts: Vec<&str> = text.split(':').collect();
    let [start, stop, step] = match parts[..] {
        [start, stop] => [start, stop, "1"],
        [start, stop, step] => [start, stop, step],
        _ => {
            return Err(LevelError::RangeShape {
                text: text.to_owned(),
            });
        }
    };
    Ok(LevelSpec::Range {
        start: parse_number(start, text, RANGE_FORM)?,
        stop: parse_number(stop, text, RANGE_FORM)?,
        step: parse_number(step, text, RANGE_FORM)?,
    })
}

/// One finite number of a range or list; `form` says how to write the whole.
fn parse_number(part: &str, text: &str, form: &'static str) -> Result<f64, LevelError> {
    let part = part.trim();
    if part.is_empty() {
        return Err(LevelError::MissingValue {
            text: text.to_owned(),
            form,
        });
    }
    match part.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        Ok(_) => Err(LevelError::NotFinite {
            part: part.to_owned(),
            text: text.to_owned(),
        }),
        Err(_) => Err(LevelError::NotANumber {
            part: part.to_owned(),
            text: text.to_owned(),
        }),
    }
}

/// A whole number of levels; `1e3` is accepted as the number it is.
fn parse_count(text: &str) -> Result<LevelSpec, LevelError> {
    let bad = || LevelError::BadCount {
        text: text.to_owned(),
    };
    let value: f64 = text.parse().map_err(|_| bad())?;
    if !(value.is_finite() && value >= 0.0 && value.fract() == 0.0) {
        return Err(bad());
    }
    if value > MAX_LEVELS as f64 {
        return Err(LevelError::TooMany {
            text: text.to_owned(),
            count: value as u64,
        });
    }
    Ok(LevelSpec::Count(value as u32))
}

impl TryFrom<String> for LevelSpec {
    type Error = LevelError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<LevelSpec> for String {
    fn from(spec: LevelSpec) -> String {
        spec.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error as ValueError;

    fn parse(text: &str) -> LevelSpec {
        match text.parse() {
            Ok(spec) => spec,
            Err(error) => panic!("{text:?}: {error}"),
        }
    }

    fn error(text: &str) -> String {
        match text.parse::<LevelSpec>() {
            Ok(spec) => panic!("{text:?} parsed as {spec:?}"),
            Err(error) => error.to_string(),
        }
    }

    fn linear(spec: &LevelSpec, min: f64, max: f64) -> Levels {
        spec.resolve(min, max, ValueScale::Linear)
            .unwrap_or_else(|e| panic!("{spec}: {e}"))
    }

    #[test]
    fn each_form_parses_and_displays_back() {
        for (text, spec) in [
            ("10", LevelSpec::Count(10)),
            ("1", LevelSpec::Count(1)),
            (
                "0:100:1",
                LevelSpec::Range {
                    start: 0.0,
                    stop: 100.0,
                    step: 1.0,
                },
            ),
            (
                "-5:5:0.5",
                LevelSpec::Range {
                    start: -5.0,
                    stop: 5.0,
                    step: 0.5,
                },
            ),
            ("1,2,4,8", LevelSpec::List(vec![1.0, 2.0, 4.0, 8.0])),
            ("1e-7,2.5e20", LevelSpec::List(vec![1e-7, 2.5e20])),
        ] {
            assert_eq!(parse(text), spec, "{text}");
            assert_eq!(spec.to_string(), text);
            assert_eq!(parse(&spec.to_string()), spec);
        }
    }

    #[test]
    fn shorthand_and_whitespace() {
        assert_eq!(parse("0:100"), parse("0:100:1"));
        assert_eq!(parse(" 0 : 100 : 1 "), parse("0:100:1"));
        assert_eq!(parse(" 1, 2 ,4,8 "), parse("1,2,4,8"));
        assert_eq!(parse(" 12 "), LevelSpec::Count(12));
        assert_eq!(parse("1e3"), LevelSpec::Count(1000));
        assert_eq!(LevelSpec::default(), LevelSpec::Count(10));
    }

    #[test]
    fn memo_range_is_even() {
        assert_eq!(
            linear(&parse("0:100:1"), 0.0, 1.0),
            Levels::Even {
                first: 0.0,
                step: 1.0,
                count: 100
            }
        );
        let ten = linear(&parse("0:10:1"), -7.0, 3.0);
        assert_eq!(ten.len(), 10);
        assert_eq!(ten.values(), (0..10).map(f64::from).collect::<Vec<_>>());
    }

    #[test]
    fn ranges_follow_arange() {
        assert_eq!(linear(&parse("0:1:0.1"), 0.0, 1.0).len(), 10);
        // numpy gives 4 here, 1.3 included, through rounding.
        assert_eq!(linear(&parse("1:1.3:0.1"), 0.0, 1.0).len(), 3);
        assert_eq!(linear(&parse("0:1:0.3"), 0.0, 1.0).len(), 4);
        assert_eq!(
            linear(&parse("5:1:-1"), 0.0, 1.0).values(),
            [2.0, 3.0, 4.0, 5.0]
        );
        // Ranges and lists ignore the data range and the spacing.
        let spec = parse("-5:5:0.5");
        assert_eq!(
            spec.resolve(f64::NAN, f64::NAN, ValueScale::Log),
            spec.resolve(0.0, 1.0, ValueScale::Linear)
        );
    }

    #[test]
    fn lists_sort_and_drop_repeats() {
        assert_eq!(
            linear(&parse("1,4,9"), 0.0, 1.0),
            Levels::List(vec![1.0, 4.0, 9.0])
        );
        assert_eq!(
            linear(&parse("8,2,2,-1"), 0.0, 1.0).values(),
            [-1.0, 2.0, 8.0]
        );
    }

    #[test]
    fn bad_specs_say_what_and_how() {
        assert_eq!(error("0:100:0"), "step 0 in \"0:100:0\" must not be zero");
        assert_eq!(error("a,b"), "\"a\" in \"a,b\" is not a number");
        assert_eq!(
            error("5:1:1"),
            "\"5:1:1\" is empty: with step 1 the start must be below the stop"
        );
        assert_eq!(
            error("1:5:-1"),
            "\"1:5:-1\" is empty: with step -1 the start must be above the stop"
        );
        assert_eq!(
            error("0:1000000:1"),
            "\"0:1000000:1\" gives 1000000 levels; at most 10000 are drawn"
        );
        assert_eq!(
            error("1e6"),
            "\"1e6\" gives 1000000 levels; at most 10000 are drawn"
        );
        assert_eq!(
            error("0"),
            "a count of 0 draws no levels: ask for at least 1"
        );
        assert!(error("").starts_with("no levels given"));
        assert!(error("   ").starts_with("no levels given"));
        assert_eq!(
            error("1,"),
            "empty value in \"1,\": write numbers separated by commas like 1,2,4,8"
        );
        assert_eq!(
            error("nan"),
            "\"nan\" is not a level count: write a whole number like 10, a range like \
             0:100:1, or a list like 1,2,4,8"
        );
        assert_eq!(
            error("1:2:inf"),
            "\"inf\" in \"1:2:inf\" is not a finite number"
        );
        assert!(error("2.5").starts_with("\"2.5\" is not a level count"));
        assert!(error("-3").starts_with("\"-3\" is not a level count"));
        assert!(error("ten").starts_with("\"ten\" is not a level count"));
        assert!(error("1:2:3:4").starts_with("\"1:2:3:4\" is not a range"));
        assert!(error("0::1").starts_with("empty value in \"0::1\": write start:stop:step"));
        assert!(error("1e20").contains("levels; at most 10000"));
        assert!(error("-1e308:1e308:1").contains("levels; at most 10000"));
    }

    #[test]
    fn constructed_specs_are_checked_on_resolve() {
        let resolve = |spec: LevelSpec| spec.resolve(0.0, 1.0, ValueScale::Linear);
        assert_eq!(resolve(LevelSpec::Count(0)), Err(LevelError::ZeroCount));
        assert!(matches!(
            resolve(LevelSpec::Count(20_000)),
            Err(LevelError::TooMany { count: 20_000, .. })
        ));
        assert!(matches!(
            resolve(LevelSpec::List(vec![1.0])),
            Err(LevelError::ListTooShort { .. })
        ));
        assert!(matches!(
            resolve(LevelSpec::List(vec![1.0, f64::NAN])),
            Err(LevelError::NotFinite { .. })
        ));
        assert!(matches!(
            resolve(LevelSpec::Range {
                start: 0.0,
                stop: 1.0,
                step: 0.0
            }),
            Err(LevelError::ZeroStep { .. })
        ));
    }

    #[test]
    fn counts_are_matplotlibs_levels() {
        // matplotlib: contour(levels=10) on [0, 2500] draws 0, 250, …, 2500.
        assert_eq!(
            linear(&LevelSpec::Count(10), 0.0, 2500.0),
            Levels::Even {
                first: 0.0,
                step: 250.0,
                count: 11
            }
        );
        // matplotlib's levels=10 for Rosenbrock sampled on [-2, 2]², which spans
        // [0.0438, 3609]: 0, 400, …, 4000, of which 400 … 3600 lie inside.
        assert_eq!(
            linear(&LevelSpec::Count(10), 0.0437831245172202, 3609.0),
            Levels::Even {
                first: 400.0,
                step: 400.0,
                count: 9
            }
        );
        // MaxNLocator(6) on [-1.3, 3.7]: step 1, levels -1..3.
        assert_eq!(
            linear(&LevelSpec::Count(5), -1.3, 3.7).values(),
            [-1.0, 0.0, 1.0, 2.0, 3.0]
        );
        let one = linear(&LevelSpec::Count(1), 0.0, 1.0).values();
        assert!(!one.is_empty() && one.len() <= 3, "{one:?}");
        let most = linear(&LevelSpec::Count(MAX_LEVELS as u32), 0.0, 1.0);
        assert!(most.len() <= MAX_LEVELS);
    }

    #[test]
    fn counts_on_degenerate_ranges_give_nothing() {
        for (min, max) in [
            (1.0, 1.0),
            (2.0, 1.0),
            (f64::NAN, 1.0),
            (0.0, f64::INFINITY),
            (-f64::MAX, f64::MAX),
        ] {
            for spacing in [ValueScale::Linear, ValueScale::Log] {
                let levels = LevelSpec::Count(10).resolve(min, max, spacing);
                assert_eq!(levels, Ok(Levels::List(Vec::new())), "[{min}, {max}]");
            }
        }
    }

    #[test]
    fn log_counts_are_one_two_five_above_the_minimum() {
        let levels = LevelSpec::Count(10)
            .resolve(0.0, 2500.0, ValueScale::Log)
            .map(|levels| levels.values());
        assert_eq!(
            levels,
            Ok(vec![
                2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0
            ])
        );
        let values = levels.unwrap_or_default();
        assert!(values.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(values.iter().all(|&v| v > 0.0 && v <= 2500.0));
    }

    #[test]
    fn log_counts_use_decades_when_few_and_stop_six_decades_down() {
        let few = LevelSpec::Count(3).resolve(-1.0, 999.0, ValueScale::Log);
        assert_eq!(few.map(|l| l.values()), Ok(vec![9.0, 99.0, 999.0]));
        let many = LevelSpec::Count(100).resolve(0.0, 1.0, ValueScale::Log);
        let many = many.map(|l| l.values()).unwrap_or_default();
        assert_eq!(many.len(), 19, "1, 0.5, 0.2 … 1e-6: {many:?}");
        assert_eq!(many.first(), Some(&1e-6));
        // A minimum far from zero swallows offsets below its rounding.
        let far = LevelSpec::Count(100).resolve(1e12, 1e12 + 1.0, ValueScale::Log);
        let far = far.map(|l| l.values()).unwrap_or_default();
        assert!(far.windows(2).all(|pair| pair[0] < pair[1]) && far.len() < 19);
    }

    #[test]
    fn scene_files_store_the_flag_text() {
        let spec = LevelSpec::deserialize(IntoDeserializer::<ValueError>::into_deserializer(
            "-5:5:0.5".to_owned(),
        ));
        assert_eq!(spec, Ok(parse("-5:5:0.5")));
        let bad = LevelSpec::deserialize(IntoDeserializer::<ValueError>::into_deserializer(
            "a,b".to_owned(),
        ));
        assert!(bad.is_err_and(|e| e.to_string() == "\"a\" in \"a,b\" is not a number"));
        assert_eq!(String::from(parse("1,2,4,8")), "1,2,4,8");
    }

    proptest! {
        // No regression files: they would land beside the source, outside the build.
        #![proptest_config(ProptestConfig {
            cases: 3000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn any_text_is_safe_and_any_levels_fit(
            text in prop_oneof![".*", "[-+0-9.eE:, naif]{0,16}", "-?[0-9]{1,5}(:-?[0-9.]{1,4}){1,2}"],
            min in prop_oneof![any::<f64>(), -1e6f64..1e6],
            width in prop_oneof![any::<f64>(), 0.0f64..1e6],
            log in any::<bool>(),
        ) {
            let Ok(spec) = text.parse::<LevelSpec>() else { return Ok(()) };
            // What parses displays as text that parses back the same.
            prop_assert_eq!(spec.to_string().parse::<LevelSpec>(), Ok(spec.clone()));
            let spacing = if log { ValueScale::Log } else { ValueScale::Linear };
            let resolved = spec.resolve(min, min + width, spacing);
            prop_assert!(resolved.is_ok(), "{text:?}: {resolved:?}");
            if let Ok(levels) = resolved {
                let values = levels.values();
                prop_assert_eq!(values.len(), levels.len());
                prop_assert!(values.len() <= MAX_LEVELS);
                prop_assert!(values.iter().all(|v| v.is_finite()), "{values:?}");
                prop_assert!(values.windows(2).all(|pair| pair[0] <= pair[1]), "{values:?}");
            }
        }
    }
}
