//! Functions f(x, y): parsing, exact symbolic gradients, an f64 evaluator
//! for the CPU optimizers and generated WGSL for the GPU.
//!
//! The pipeline is text → tape (flat SSA instructions, built directly by the
//! parser with simplification and common-subexpression elimination) → forward
//! differentiation on the tape → WGSL and CPU evaluation from the same tape.
//! Nothing recurses (the parser uses explicit stacks too), so no input can
//! overflow the stack, and the GPU and CPU compute the same expression.
//!
//! Syntax: numbers (`1`, `2.5`, `1e-3`), `x`, `y`, `pi`, `e`, `+ - * / ^`
//! with `^` right-associative and binding tighter than unary minus (`-x^2`
//! is -(x^2), `2^3^2` is 2^9), parentheses, and the functions `sin cos tan
//! asin acos atan atan2 sinh cosh tanh exp log log10 sqrt abs min max pow`
//! (`log` is natural, `atan2(y, x)`). Multiplication is always written `*`.
//! Limits: 4096 characters, 200 nested parentheses/calls, numbers that fit
//! a 32-bit float.

mod gallery;
mod parse;
mod print;
mod tape;
mod wgsl;

#[cfg(test)]
mod tests;

use std::fmt;

pub use gallery::{GALLERY, GalleryEntry, ValueScale, gallery_entry, gallery_listing};
pub use wgsl::validate_wgsl;

/// Longest derivative text [`Function::derivative_sources`] writes out; shared
/// sub-expressions are repeated in text, so it can be far longer than the input.
const MAX_DERIVATIVE_TEXT: usize = 4000;

/// A parsed function with its exact gradient, ready for the CPU and the GPU.
#[derive(Clone, Debug)]
pub struct Function {
    source: String,
    entry: Option<&'static GalleryEntry>,
    tape: tape::Tape,
    wgsl: String,
}

impl Function {
    /// A gallery name (case-insensitive, e.g. `rosenbrock`) or an expression.
    pub fn from_spec(spec: &str) -> Result<Function, FunctionError> {
        if let Some(entry) = gallery_entry(spec) {
            return Self::build(entry.formula, Some(entry));
        }
        Self::parse(spec).map_err(|err| gallery_hint(spec, err))
    }

    /// An expression in `x` and `y` (see the module docs for the syntax).
    pub fn parse(expr: &str) -> Result<Function, FunctionError> {
        Self::build(expr, None)
    }

    fn build(expr: &str, entry: Option<&'static GalleryEntry>) -> Result<Function, FunctionError> {
        let whole = |message: String| FunctionError {
            message,
            input: expr.to_string(),
            column: None,
        };
        let (builder, root) = parse::parse(expr)?;
        let tape = builder.finish(root).map_err(whole)?;
        let wgsl = wgsl::emit(&tape);
        // The generator is meant to produce only valid code; checking anyway
        // keeps a bug here from ever reaching (and failing on) the GPU.
        validate_wgsl(&wgsl::check_module(&wgsl)).map_err(|e| {
            whole(format!(
                "internal error: the generated WGSL does not validate:\n{e}"
            ))
        })?;
        Ok(Function {
            source: expr.to_string(),
            entry,
            tape,
            wgsl,
        })
    }

    /// The expression text (for a gallery entry, its formula).
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn gallery_entry(&self) -> Option<&'static GalleryEntry> {
        self.entry
    }

    /// f(x, y), or NaN wherever a domain check of f fails: log of u ≤ 0,
    /// sqrt of u < 0, division by 0, asin/acos outside [-1, 1], a^b with
    /// a ≤ 0 unless b is a constant integer (|b| ≤ 2^30), a^-n at a = 0,
    /// atan2(0, 0). Otherwise plain f64 arithmetic: overflow gives ±inf.
    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.tape.value(x, y)
    }

    /// The exact symbolic gradient [df/dx, df/dy], evaluated in f64 on the same
    /// tape as [`Self::value`]. NaN where f is undefined; at a singular point
    /// of the gradient only (e.g. the apex of sqrt(x^2 + y^2)) it may be
    /// non-finite while f is defined.
    pub fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        self.tape.gradient(x, y)
    }

    /// Whether no step of f at (x, y) leaves f32's range in f64 (overflowing, or so small that
    /// f32 would flush it to zero). Where none does, an f32 evaluation (the GPU's) reaches the
    /// same validity as [`Self::value`]; the tests hold it to that.
    pub fn within_f32_range(&self, x: f64, y: f64) -> bool {
        self.tape.within_f32_range(x, y)
    }

    /// Generated WGSL defining `fn gs_field(p: vec2<f32>) -> vec4<f32>` that
    /// returns `(f, df/dx, df/dy, valid)`, valid being 1.0 when every domain
    /// check of f passed and 0.0 otherwise. Already validated with naga.
    pub fn wgsl(&self) -> &str {
        &self.wgsl
    }

    /// df/dx and df/dy as expressions in the input syntax. The derivatives of
    /// abs, min and max use `sign(u)` and `if(a <= b, p, q)`, which are
    /// display-only (the parser does not accept them).
    pub fn derivative_sources(&self) -> [String; 2] {
        [self.tape.dx, self.tape.dy].map(|root| {
            print::to_source(&self.tape.ops, root, MAX_DERIVATIVE_TEXT)
                .unwrap_or_else(|| format!("(longer than {MAX_DERIVATIVE_TEXT} characters)"))
        })
    }
}

/// A misspelt gallery name parses as an unknown variable; say what was meant.
fn gallery_hint(spec: &str, err: FunctionError) -> FunctionError {
    let word = spec.trim();
    let is_word = word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match parse::closest(word, GALLERY.iter().map(|e| e.name)) {
        Some(best) if is_word => FunctionError {
            message: format!(
                "unknown function `{word}`: did you mean `{best}`? (`gradscape functions` lists the gallery)"
            ),
            input: spec.to_string(),
            column: None,
        },
        _ => err,
    }
}

/// Why a function could not be used. `Display` prints the message and, when
/// there is a column, the input with a caret under that column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct FunctionError {
    pub message: String,
    pub input: String,
    /// 0-based character column the message refers to.
    pub column: Option<usize>,
}

/// Inputs longer than this are shown as a window around the column.
const ERROR_WINDOW: usize = 80;

impl fmt::Display for FunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        let Some(col) = self.column else {
            return Ok(());
        };
        // Tabs and newlines would break the caret's alignment.
        let chars: Vec<char> = self
            .input
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let col = col.min(chars.len());
        let (start, end) = if chars.len() <= ERROR_WINDOW {
            (0, chars.len())
        } else {
            let end = (col.saturating_sub(ERROR_WINDOW / 2) + ERROR_WINDOW).min(chars.len());
            (end - ERROR_WINDOW, end)
        };
        let before = if start > 0 { "..." } else { "" };
        let after = if end < chars.len() { "..." } else { "" };
        let shown: String = chars[start..end].iter().collect();
        let pad = " ".repeat(before.len() + col - start);
        write!(f, "\n{before}{shown}{after}\n{pad}^")
    }
}
