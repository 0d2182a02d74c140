//! Nice axis ticks and their labels, as matplotlib draws them, for axes and colorbars.
//!
//! # Where ticks go
//!
//! [`nice_ticks`] works like matplotlib's `AutoLocator` (a `MaxNLocator` with
//! `steps=[1, 2, 2.5, 5, 10]`): a step is m × 10^k with m from {1, 2, 2.5, 5}, and the
//! ticks are the multiples of the step that lie in [min, max]. Of all such steps it takes
//! the smallest (densest) one that puts at most `max_ticks` ticks inside the range, and at
//! least 2 when some step can.
//!
//! The bin rule differs from matplotlib's in what is counted: matplotlib's `nbins` bounds
//! the intervals of a tick span that *covers* the range, and ticks outside the view are
//! then hidden, so how many show depends on where the range happens to start.
//! `max_ticks` bounds the ticks that are actually drawn. The two agree on the memo's
//! figures: with `max_ticks` from 6 to 8, [−10, 10] gets −10, −5, 0, 5, 10 and [0, 105]
//! gets 0, 20, …, 100, which matplotlib gives with `nbins` 6 or 7.
//!
//! A tick is k × step computed as (k·m) / 10^j, which rounds once (k·m is an exact
//! integer), so the ticks are the nearest floats to the exact multiples: 3 × 0.1 is
//! 0.3, not 0.30000000000000004 as adding 0.1 three times gives.
//!
//! [`log_ticks`] gives decades for a log-scaled colorbar, with 2 and 5 of each decade
//! when the range spans fewer than 3 decades, as matplotlib's `LogLocator` does.
//!
//! # How labels read
//!
//! [`Ticks::labels`] follows matplotlib's `ScalarFormatter`: evenly spaced ticks share
//! one number of decimals, just enough for the step (ticks by 2.5 read 0.0, 2.5, 5.0,
//! 7.5; ticks by 5 read 0, 5, 10), and negatives take matplotlib's minus sign "−"
//! (U+2212) rather than a hyphen. Where matplotlib would move a power of ten into an
//! offset text beside the axis (the largest tick ≥ 10⁵ or below 10⁻⁴), each label
//! carries that shared power itself, since a label here has to stand alone:
//! 0, 0.5×10⁵, 1.0×10⁵, 1.5×10⁵. A fine step on ticks of everyday size stays plain
//! (1.00000, 1.00002, …): a power of ten would not shorten it, only an offset would.
//! Ticks that are not evenly spaced (log ticks, a lone tick) are each written with up to
//! 6 significant digits, all in the `m×10ⁿ` form if any of them is that large or small
//! (1×10⁻⁶, 1×10⁻³, 1×10⁰, 1×10³), else all plain (0.01, 0.1, 1, 10).
//!
//! Checked against matplotlib 3 on random ranges: the contour levels of
//! [`crate::levels`] equal `MaxNLocator`'s, and plain labels equal `ScalarFormatter`'s.

/// `AutoLocator`'s `steps=[1, 2, 2.5, 5, 10]` as the mantissas of a step; 10 is the next
/// decade's 1.
const AXIS_MANTISSAS: &[f64] = &[1.0, 2.0, 2.5, 5.0];

/// How far past an end, in steps, a tick still counts as on it: so a range ending at 0.3
/// keeps its tick at 0.3 whichever way 0.3 / 0.1 rounds.
const END_SLACK: f64 = 1e-9;

/// The most ticks [`nice_ticks`] returns whatever it is asked for: no axis shows more, and
/// it bounds what a careless `max_ticks` can allocate.
const TICK_CAP: usize = 1_000;

/// The most ticks [`log_ticks`] puts on a colorbar; a range of more decades than this gets
/// every second (third, …) decade instead.
const LOG_TICK_CAP: usize = 9;

/// A log range with fewer than 2 decade-or-2-or-5 ticks in it (such as [3, 4]) gets up to
/// this many evenly spaced ticks instead, so its colorbar is still labelled.
const LOG_FALLBACK_TICKS: usize = 5;

/// Magnitudes from here up are written with a power of ten (matplotlib's offset text).
const SCIENTIFIC_FROM: f64 = 1e5;

/// Magnitudes below this are written with a power of ten.
const SCIENTIFIC_BELOW: f64 = 1e-4;

/// Significant digits of a label written on its own rather than to a shared step.
const LONE_DIGITS: usize = 6;

/// More decimals than f64 holds would only print rounding noise.
const MAX_DECIMALS: usize = 15;

/// Tick positions, ascending, and the spacing they were laid out with.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    pub values: Vec<f64>,
    /// The spacing of evenly spaced ticks; 0 where they are not evenly spaced (log ticks,
    /// or a lone tick for an empty range), and then each label is written on its own.
    pub step: f64,
}

impl Ticks {
    fn none() -> Ticks {
        Ticks {
            values: Vec::new(),
            step: 0.0,
        }
    }

    /// One label per tick, in the style the module docs describe.
    pub fn labels(&self) -> Vec<String> {
        let largest = self
            .values
            .iter()
            .map(|v| v.abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        if !(self.step > 0.0 && self.step.is_finite()) {
            let scientific = self.values.iter().any(|&v| needs_exponent(v.abs()));
            return self.values.iter().map(|&v| lone(v, scientific)).collect();
        }
        if needs_exponent(largest) {
            // The largest tick's power of ten for all, as matplotlib's offset text.
            let exponent = decimal_exponent(largest);
            let decimals = decimals_for(scale10(self.step, exponent.saturating_neg()));
            self.values
                .iter()
                .map(|&v| shared_power(v, decimals, exponent))
                .collect()
        } else {
            let decimals = decimals_for(self.step);
            self.values
                .iter()
                .map(|&v| with_sign(v, format!("{:.decimals$}", v.abs())))
                .collect()
        }
    }
}

/// matplotlib `AutoLocator`-like ticks for [min, max]: the densest step m × 10^k, m from
/// {1, 2, 2.5, 5}, that puts at most `max_ticks` ticks (capped at 1000) inside the range,
/// and at least 2 when a step can (always so for `max_ticks` ≥ 5). An empty range gets
/// one tick at its value; a reversed or non-finite one, or `max_ticks` 0, gets none.
pub fn nice_ticks(min: f64, max: f64, max_ticks: usize) -> Ticks {
    let span = max - min;
    if !(min.is_finite() && max.is_finite() && span.is_finite()) || max < min || max_ticks == 0 {
        return Ticks::none();
    }
    if span == 0.0 {
        return Ticks {
            values: vec![clean_zero(min)],
            step: 0.0,
        };
    }
    let cap = max_ticks.min(TICK_CAP);
    // A step below span / (cap + 1) has more than cap multiples in the range.
    let Some(mut step) = NiceStep::at_least(span / (cap as f64 + 1.0), AXIS_MANTISSAS) else {
        return Ticks::none();
    };
    let wanted = cap.min(2) as f64;
    let mut fallback = None;
    // Past twice the span a step has at most one multiple in the range: nothing new.
    while step.value() / 2.0 <= span {
        let (first, count) = step.multiples_within(min, max);
        if count <= cap as f64 {
            if count >= wanted {
                return evenly(step, first, count);
            }
            if count >= 1.0 && fallback.is_none() {
                fallback = Some((step, first, count));
            }
        }
        step = step.next();
    }
    fallback.map_or_else(Ticks::none, |(step, first, count)| {
        evenly(step, first, count)
    })
}

/// Ticks for a log-scaled colorbar over [min, max]: the decades in it, with 2 and 5 of
/// each decade too when it spans fewer than 3 decades, and only every second (third, …)
/// decade when it spans more than 9. A range with fewer than 2 such ticks (as [3, 4])
/// gets [`nice_ticks`] with up to 5 instead. Needs 0 < min ≤ max, all finite; otherwise
/// there are no ticks.
pub fn log_ticks(min: f64, max: f64) -> Ticks {
    if !(min > 0.0 && min.is_finite() && max.is_finite() && max >= min) {
        return Ticks::none();
    }
    // Logs rather than max / min, which overflows for ranges such as [1e-300, 1e300].
    let decades = max.log10() - min.log10();
    // With slack, so exactly 3 decades ([1, 1000]) does not flip on the logs' rounding.
    let mantissas: &[f64] = if decades < 3.0 - END_SLACK {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let lowest = min.log10().floor() as i32;
    let highest = max.log10().ceil() as i32;
    let inside = |v: f64| v >= min * (1.0 - END_SLACK) && v <= max * (1.0 + END_SLACK);
    let ticks_every = |stride: i32| -> Vec<f64> {
        (lowest..=highest)
            .filter(|exponent| exponent.rem_euclid(stride) == 0)
            .flat_map(|exponent| mantissas.iter().map(move |&m| scale10(m, exponent)))
            .filter(|&v| inside(v))
            .collect()
    };
    let mut stride = 1;
    let mut values = ticks_every(stride);
    // Ends by the time one decade in `stride` is left, at most 3 ticks.
    while values.len() > LOG_TICK_CAP {
        stride += 1;
        values = ticks_every(stride);
    }
    if values.len() < 2 {
        return nice_ticks(min, max, LOG_FALLBACK_TICKS);
    }
    Ticks { values, step: 0.0 }
}

/// A nice step, `mantissas[index]` × 10^`exponent`; also how [`crate::levels`] lays out
/// matplotlib's automatic contour levels, from a finer table of mantissas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct NiceStep {
    /// Ascending, from 1 and below 10.
    mantissas: &'static [f64],
    index: usize,
    exponent: i32,
}

impl NiceStep {
    /// The smallest step `mantissas` (ascending, from 1 and below 10) × 10^k at least `x`;
    /// none for `x` not positive and finite.
    pub(crate) fn at_least(x: f64, mantissas: &'static [f64]) -> Option<NiceStep> {
        if !(x > 0.0 && x.is_finite()) || mantissas.is_empty() {
            return None;
        }
        // A decade below x's, so rounding in log10 can't start the walk above the answer.
        let mut step = NiceStep {
            mantissas,
            index: 0,
            exponent: x.log10().floor() as i32 - 1,
        };
        // A few steps for normal x; the values grow to infinity, so it always ends.
        while step.value() < x {
            step = step.next();
        }
        Some(step)
    }

    /// The next larger nice step.
    pub(crate) fn next(self) -> NiceStep {
        if self.index + 1 < self.mantissas.len() {
            NiceStep {
                index: self.index + 1,
                ..self
            }
        } else {
            NiceStep {
                index: 0,
                exponent: self.exponent + 1,
                ..self
            }
        }
    }

    pub(crate) fn value(self) -> f64 {
        self.multiple(1.0)
    }

    /// `k` × this step, rounded once: `k` · m is exact while below 2⁵⁰ (the mantissas have
    /// at most a few significant bits).
    pub(crate) fn multiple(self, k: f64) -> f64 {
        clean_zero(scale10(k * self.mantissas[self.index], self.exponent))
    }

    /// The multiples of this step in [min, max], give or take [`END_SLACK`] steps, as
    /// (the first's multiplier, how many).
    pub(crate) fn multiples_within(self, min: f64, max: f64) -> (f64, f64) {
        let step = self.value();
        // Far from zero, min / step is only good to a few ulps of itself: allow for that
        // too, or a tick on the end could be lost to rounding.
        let slack = END_SLACK + 4.0 * f64::EPSILON * min.abs().max(max.abs()) / step;
        let first = (min / step - slack).ceil();
        let last = (max / step + slack).floor();
        // f64::max drops a NaN count, from a step rounded to 0, as none.
        (first, (last - first + 1.0).max(0.0))
    }
}

/// `count` ticks `step` apart from `first` × step.
fn evenly(step: NiceStep, first: f64, count: f64) -> Ticks {
    let values = (0..count as usize)
        .map(|i| step.multiple(first + i as f64))
        .collect();
    Ticks {
        values,
        step: step.value(),
    }
}

/// x × 10^exponent, rounded once where 10^|exponent| is exact (up to 10²²).
pub(crate) fn scale10(x: f64, exponent: i32) -> f64 {
    if exponent >= 0 {
        x * 10f64.powi(exponent)
    } else {
        x / 10f64.powi(exponent.saturating_neg())
    }
}

/// Turns −0.0 into 0.0, so no label or level reads "−0".
fn clean_zero(v: f64) -> f64 {
    if v == 0.0 { 0.0 } else { v }
}

/// floor(log10(x)) for x > 0, exact at powers of ten whatever log10 rounds to.
fn decimal_exponent(x: f64) -> i32 {
    let guess = x.log10().floor() as i32;
    if scale10(x, guess.saturating_neg()) >= 10.0 {
        guess + 1
    } else if scale10(x, guess.saturating_neg()) < 1.0 {
        guess - 1
    } else {
        guess
    }
}

/// The fewest decimals that write `x` exactly, to rounding noise: 1 for 2.5 or 0.1.
fn decimals_for(x: f64) -> usize {
    (0..=MAX_DECIMALS)
        .find(|&decimals| {
            let scaled = scale10(x, decimals as i32);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs()
        })
        .unwrap_or(MAX_DECIMALS)
}

/// Whether a magnitude is outside the plain range, so it is written as m×10ⁿ.
fn needs_exponent(magnitude: f64) -> bool {
    magnitude.is_finite()
        && magnitude != 0.0
        && !(SCIENTIFIC_BELOW..SCIENTIFIC_FROM).contains(&magnitude)
}

/// `v` in the shared-power form: its mantissa to 10^`exponent` with `decimals` decimals.
fn shared_power(v: f64, decimals: usize, exponent: i32) -> String {
    if v == 0.0 || !v.is_finite() {
        return lone(v, false);
    }
    let mantissa = scale10(v.abs(), exponent.saturating_neg());
    with_sign(
        v,
        format!("{mantissa:.decimals$}×10{}", superscript(exponent)),
    )
}

/// `v` on its own, to [`LONE_DIGITS`] significant digits, plain or as m×10ⁿ.
fn lone(v: f64, scientific: bool) -> String {
    if v == 0.0 {
        return "0".to_owned();
    }
    if !v.is_finite() {
        return format!("{v}").replace('-', "−");
    }
    // Rust's exponent form rounds to the digits asked for and says where the point goes.
    let rounded = format!("{:.*e}", LONE_DIGITS - 1, v.abs());
    let (mantissa, exponent) = rounded.split_once('e').unwrap_or((&rounded, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let magnitude = if scientific {
        format!("{}×10{}", trim_zeros(mantissa), superscript(exponent))
    } else {
        let decimals = (LONE_DIGITS as i32 - 1 - exponent).max(0) as usize;
        trim_zeros(&format!("{:.decimals$}", v.abs())).to_owned()
    };
    with_sign(v, magnitude)
}

/// "2.50000" → "2.5", "3.000" → "3"; whole numbers are left alone.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// Puts matplotlib's "−" (U+2212) before a negative magnitude, unless it rounded to zero.
fn with_sign(v: f64, magnitude: String) -> String {
    let shows_nonzero = magnitude
        .split('×')
        .next()
        .is_some_and(|digits| digits.bytes().any(|b| matches!(b, b'1'..=b'9')));
    if v < 0.0 && shows_nonzero {
        format!("−{magnitude}")
    } else {
        magnitude
    }
}

fn superscript(exponent: i32) -> String {
    exponent
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn memo_axes() {
        let x = nice_ticks(-10.0, 10.0, 6);
        assert_eq!(x.values, [-10.0, -5.0, 0.0, 5.0, 10.0]);
        assert_eq!(x.labels(), ["−10", "−5", "0", "5", "10"]);
        let f = nice_ticks(0.0, 105.0, 6);
        assert_eq!(f.values, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(f.labels(), ["0", "20", "40", "60", "80", "100"]);
        // The same ticks for every max_ticks from 6 to 8.
        for max_ticks in 6..=8 {
            assert_eq!(nice_ticks(-10.0, 10.0, max_ticks), x);
            assert_eq!(nice_ticks(0.0, 105.0, max_ticks), f);
        }
    }

    #[test]
    fn denser_bins_take_matplotlibs_smaller_steps() {
        // matplotlib's default 9 bins on [−10, 10].
        let ticks = nice_ticks(-10.0, 10.0, 9);
        assert_eq!(ticks.step, 2.5);
        assert_eq!(
            ticks.labels(),
            [
                "−10.0", "−7.5", "−5.0", "−2.5", "0.0", "2.5", "5.0", "7.5", "10.0"
            ]
        );
        assert_eq!(
            nice_ticks(-2.0, 2.0, 9).labels(),
            [
                "−2.0", "−1.5", "−1.0", "−0.5", "0.0", "0.5", "1.0", "1.5", "2.0"
            ]
        );
    }

    #[test]
    fn unit_range_has_one_decimal() {
        let ticks = nice_ticks(0.0, 1.0, 6);
        assert_eq!(ticks.values, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(ticks.labels(), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    }

    #[test]
    fn symmetric_small_range() {
        let ticks = nice_ticks(-2.0, 2.0, 6);
        assert_eq!(ticks.values, [-2.0, -1.0, 0.0, 1.0, 2.0]);
        assert_eq!(ticks.labels(), ["−2", "−1", "0", "1", "2"]);
    }

    #[test]
    fn ticks_are_exact_multiples() {
        // Accumulating 0.1 would give 0.30000000000000004 and 0.7999999999999999.
        let ticks = nice_ticks(0.25, 0.95, 8);
        assert_eq!(ticks.values, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
        let negative = nice_ticks(-0.3, 0.0, 4);
        assert_eq!(negative.values, [-0.3, -0.2, -0.1, 0.0]);
        assert!(negative.values[3].is_sign_positive(), "−0.0 cleaned");
        assert_eq!(negative.labels(), ["−0.3", "−0.2", "−0.1", "0.0"]);
    }

    #[test]
    fn step_two_and_a_half_keeps_its_decimal() {
        // Step 2 would put 6 ticks on [0, 10].
        let ticks = nice_ticks(0.0, 10.0, 5);
        assert_eq!(ticks.labels(), ["0.0", "2.5", "5.0", "7.5", "10.0"]);
        assert_eq!(nice_ticks(0.0, 10.0, 3).labels(), ["0", "5", "10"]);
    }

    #[test]
    fn huge_ranges_share_a_power_of_ten() {
        let ticks = nice_ticks(0.0, 150_000.0, 4);
        assert_eq!(ticks.values, [0.0, 50_000.0, 100_000.0, 150_000.0]);
        assert_eq!(ticks.labels(), ["0", "0.5×10⁵", "1.0×10⁵", "1.5×10⁵"]);
        let ticks = nice_ticks(-3e12, 3e12, 7);
        assert_eq!(
            ticks.labels(),
            [
                "−3×10¹²",
                "−2×10¹²",
                "−1×10¹²",
                "0",
                "1×10¹²",
                "2×10¹²",
                "3×10¹²"
            ]
        );
    }

    #[test]
    fn tiny_ranges_share_a_power_of_ten() {
        let ticks = nice_ticks(0.0, 1e-5, 6);
        assert_eq!(ticks.values.len(), 6);
        assert_eq!(
            ticks.labels(),
            [
                "0",
                "0.2×10⁻⁵",
                "0.4×10⁻⁵",
                "0.6×10⁻⁵",
                "0.8×10⁻⁵",
                "1.0×10⁻⁵"
            ]
        );
        // Plain down to steps of 10⁻⁴, with matplotlib's shared decimals.
        assert_eq!(
            nice_ticks(-0.001, 0.001, 5).labels(),
            ["−0.0010", "−0.0005", "0.0000", "0.0005", "0.0010"]
        );
    }

    #[test]
    fn narrow_range_far_from_zero() {
        let ticks = nice_ticks(1000.0, 1000.5, 6);
        assert_eq!(
            ticks.values,
            [1000.0, 1000.1, 1000.2, 1000.3, 1000.4, 1000.5]
        );
        assert_eq!(ticks.labels()[1], "1000.1");
        assert_eq!(
            nice_ticks(1.0, 1.0001, 6).labels(),
            [
                "1.00000", "1.00002", "1.00004", "1.00006", "1.00008", "1.00010"
            ]
        );
    }

    #[test]
    fn degenerate_input_gives_at_most_one_tick() {
        let same = nice_ticks(3.5, 3.5, 6);
        assert_eq!(same.values, [3.5]);
        assert_eq!(same.labels(), ["3.5"]);
        assert_eq!(nice_ticks(-0.0, -0.0, 6).labels(), ["0"]);
        for (min, max) in [
            (1.0, 0.0),
            (f64::NAN, 1.0),
            (0.0, f64::INFINITY),
            (f64::NEG_INFINITY, f64::INFINITY),
            (-f64::MAX, f64::MAX),
        ] {
            assert_eq!(nice_ticks(min, max, 6), Ticks::none(), "[{min}, {max}]");
        }
        assert_eq!(nice_ticks(0.0, 1.0, 0), Ticks::none());
    }

    #[test]
    fn one_tick_when_asked_for_one() {
        let ticks = nice_ticks(0.0, 1.0, 1);
        assert_eq!(ticks.values.len(), 1);
        // No step puts exactly two multiples in [0.95, 1.05]: 1.0 alone rather than none.
        assert_eq!(nice_ticks(0.95, 1.05, 2).values, [1.0]);
    }

    #[test]
    fn log_decades_and_subdivisions() {
        let wide = log_ticks(1.0, 1000.0);
        assert_eq!(wide.values, [1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(wide.labels(), ["1", "10", "100", "1000"]);
        // Three decades whose logs differ by a hair under 3: still decades only.
        let rounded = log_ticks(55.48322816414586, 55.48322816414586 * 1000.0);
        assert_eq!(rounded.values, [100.0, 1000.0, 10000.0]);
        let narrow = log_ticks(1.0, 100.0);
        assert_eq!(narrow.values, [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]);
        let small = log_ticks(0.001, 0.1);
        assert_eq!(
            small.labels(),
            ["0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1"]
        );
    }

    #[test]
    fn log_many_decades_thin_out() {
        let ticks = log_ticks(1e-6, 1e6);
        assert_eq!(ticks.values, [1e-6, 1e-4, 1e-2, 1.0, 1e2, 1e4, 1e6]);
        assert_eq!(
            ticks.labels(),
            [
                "1×10⁻⁶",
                "1×10⁻⁴",
                "1×10⁻²",
                "1×10⁰",
                "1×10²",
                "1×10⁴",
                "1×10⁶"
            ]
        );
        let extreme = log_ticks(1e-300, 1e300);
        assert!(extreme.values.len() <= LOG_TICK_CAP && extreme.values.len() >= 2);
    }

    #[test]
    fn log_without_decades_falls_back_to_linear() {
        assert_eq!(log_ticks(3.0, 4.0).values, [3.0, 3.25, 3.5, 3.75, 4.0]);
        assert_eq!(log_ticks(5.0, 5.0).values, [5.0]);
    }

    #[test]
    fn log_needs_positive_finite_range() {
        for (min, max) in [
            (0.0, 10.0),
            (-1.0, 10.0),
            (10.0, 1.0),
            (1.0, f64::INFINITY),
            (f64::NAN, 1.0),
        ] {
            assert_eq!(log_ticks(min, max), Ticks::none(), "[{min}, {max}]");
        }
    }

    #[test]
    fn lone_labels() {
        let ticks = Ticks {
            values: vec![-2.5e-7, 1.0 / 3.0, 123_456_789.0, f64::NEG_INFINITY],
            step: 0.0,
        };
        assert_eq!(
            ticks.labels(),
            ["−2.5×10⁻⁷", "3.33333×10⁻¹", "1.23457×10⁸", "−inf"]
        );
        let plain = Ticks {
            values: vec![1.0 / 3.0, -99_999.0],
            step: 0.0,
        };
        assert_eq!(plain.labels(), ["0.333333", "−99999"]);
    }

    #[test]
    fn nice_steps_walk_up() {
        let mut step = NiceStep::at_least(0.09, AXIS_MANTISSAS).map(NiceStep::value);
        assert_eq!(step, Some(0.1));
        step = NiceStep::at_least(0.11, AXIS_MANTISSAS).map(NiceStep::value);
        assert_eq!(step, Some(0.2));
        assert_eq!(
            NiceStep::at_least(2.1, AXIS_MANTISSAS).map(NiceStep::value),
            Some(2.5)
        );
        assert_eq!(
            NiceStep::at_least(1000.0, AXIS_MANTISSAS).map(NiceStep::value),
            Some(1000.0)
        );
        assert_eq!(NiceStep::at_least(0.0, AXIS_MANTISSAS), None);
        assert_eq!(NiceStep::at_least(f64::NAN, AXIS_MANTISSAS), None);
        assert_eq!(NiceStep::at_least(1.0, &[]), None);
        assert!(NiceStep::at_least(f64::MIN_POSITIVE / 1e10, AXIS_MANTISSAS).is_some());
    }

    /// A range whose width is not lost to the magnitude of its ends.
    fn finite_range() -> impl Strategy<Value = (f64, f64)> {
        (-9i32..10, -10.0f64..10.0, -6i32..3, 0.1f64..10.0).prop_map(
            |(magnitude, start, width_exponent, width)| {
                let min = scale10(start, magnitude);
                (min, min + scale10(width, magnitude + width_exponent))
            },
        )
    }

    proptest! {
        // No regression files: they would land beside the source, outside the build.
        #![proptest_config(ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn ticks_are_sorted_inside_and_evenly_spaced(
            (min, max) in finite_range(),
            max_ticks in 1usize..30,
        ) {
            let ticks = nice_ticks(min, max, max_ticks);
            let v = &ticks.values;
            prop_assert!(v.len() <= max_ticks);
            if max_ticks >= 5 {
                prop_assert!(v.len() >= 2, "{v:?}");
            }
            let noise = 8.0 * f64::EPSILON * min.abs().max(max.abs());
            let slack = 1e-8 * ticks.step + noise;
            for &t in v {
                prop_assert!(t >= min - slack && t <= max + slack, "{t} outside [{min}, {max}]");
            }
            for pair in v.windows(2) {
                prop_assert!(pair[0] < pair[1]);
                let gap = pair[1] - pair[0];
                prop_assert!((gap - ticks.step).abs() <= 1e-9 * ticks.step + noise);
            }
            prop_assert_eq!(ticks.labels().len(), v.len());
        }

        #[test]
        fn any_input_is_safe(min in any::<f64>(), max in any::<f64>(), max_ticks in any::<usize>()) {
            let ticks = nice_ticks(min, max, max_ticks);
            prop_assert!(ticks.values.len() <= max_ticks.min(TICK_CAP));
            prop_assert!(ticks.values.windows(2).all(|pair| pair[0] < pair[1]));
            prop_assert!(ticks.values.iter().all(|v| v.is_finite()));
            let _ = ticks.labels();
            let log = log_ticks(min, max);
            prop_assert!(log.values.len() <= LOG_TICK_CAP);
            prop_assert!(log.values.windows(2).all(|pair| pair[0] < pair[1]));
            let _ = log.labels();
        }
    }
}
