//! The `paths` command's output: CSV and JSON at full f64 precision.
//!
//! Numbers are written in shortest round-trip form (the fewest digits that parse back
//! to the same f64): in CSV Rust's `{:?}`, which always keeps a fractional part or an
//! exponent (`-7.0`, `0.95`, `1e-5`), in JSON serde_json's equivalent. Paths are finite
//! by construction, so NaN and infinities never appear.

use serde_json::{Map, Value};

use super::{Path, RunSpec};

/// One run to print: its spec, the start it actually used, and its path.
#[derive(Clone, Copy, Debug)]
pub struct RunOutput<'a> {
    pub spec: &'a RunSpec,
    pub start: [f64; 2],
    pub path: &'a Path,
}

/// A CSV field, quoted per RFC 4180 when it holds a comma, quote or line break
/// (labels such as `adam(lr=0.3,beta1=0.9)` do).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// RFC 4180 CSV with header `run,step,x,y,f`: one record per point, `run` the run's
/// label, `step` counting from 0. Records end in CRLF as RFC 4180 specifies, the last
/// one included, so print it without adding a newline.
pub fn to_csv(runs: &[RunOutput]) -> String {
    let mut csv = String::from("run,step,x,y,f\r\n");
    for run in runs {
        let label = csv_field(&run.spec.label());
        for (step, [x, y, f]) in run.path.points.iter().enumerate() {
            csv.push_str(&format!("{label},{step},{x:?},{y:?},{f:?}\r\n"));
        }
    }
    csv
}

fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

fn numbers(values: &[f64]) -> Value {
    Value::Array(values.iter().copied().map(Value::from).collect())
}

/// `{"runs": [{"label", "kind", "params", "start", "grad", "points", "stop"}, …]}` on one
/// line: `params` holds every effective hyperparameter (defaults filled in), `start` is
/// `[x, y]`, `grad` the gradient source as `--grad` spells it, `points` is
/// `[[x, y, f], …]`, and `stop` is `{"reason", "step", "detail"}`.
pub fn to_json(runs: &[RunOutput]) -> String {
    let runs = runs
        .iter()
        .map(|run| {
            let params: Map<String, Value> = run
                .spec
                .effective_params()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), Value::from(value)))
                .collect();
            let stop = &run.path.stop;
            object([
                ("label", Value::from(run.spec.label())),
                ("kind", Value::from(run.spec.kind.name())),
                ("params", Value::Object(params)),
                ("start", numbers(&run.start)),
                ("grad", Value::from(run.spec.grad.to_string())),
                (
                    "points",
                    Value::Array(run.path.points.iter().map(|point| numbers(point)).collect()),
                ),
                (
                    "stop",
                    object([
                        ("reason", Value::from(stop.reason.name())),
                        ("step", Value::from(stop.step)),
                        ("detail", Value::from(stop.detail.as_str())),
                    ]),
                ),
            ])
        })
        .collect();
    object([("runs", Value::Array(runs))]).to_string()
}
