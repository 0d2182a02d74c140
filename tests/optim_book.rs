//! The optimizers against the book *Deep Learning from Scratch* (ch. 6).
//!
//! Reference values come from outside this crate: closed forms, the book's printed
//! checkpoints, and `tests/data/optim_reference.csv`, the output of
//! `tests/data/optim_reference.py`, a numpy transcription of the book's
//! `common/optimizer.py` and `ch06/optimizer_compare_naive.py`. Paths are compared
//! bit for bit.
//!
//! The one place a C library enters is `pow`: the book's Adam computes `beta**t` and
//! `g**2` with it (CPython and numpy scalars both call libm `pow`), and so does the Rust
//! side (`f64::powf`). Both were produced against glibc, where they agree exactly; a
//! platform whose libm `pow` rounds differently could differ in the last bit of the
//! Adam paths only, which is why those are the values to look at first if this test
//! fails on another platform. Everything else (+, −, ×, ÷, sqrt) is correctly rounded
//! IEEE arithmetic on both sides.

use gradscape::optim::*;

/// The book's function f(x, y) = x²/20 + y².
struct Book;

impl Objective for Book {
    fn value(&self, x: f64, y: f64) -> f64 {
        x * x / 20.0 + y * y
    }
    fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        [x / 10.0, 2.0 * y]
    }
}

/// A round bowl x² + y², for convergence.
struct Bowl;

impl Objective for Bowl {
    fn value(&self, x: f64, y: f64) -> f64 {
        x * x + y * y
    }
    fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        [2.0 * x, 2.0 * y]
    }
}

/// ln(x) + y², undefined (NaN) for x < 0.
struct Log;

impl Objective for Log {
    fn value(&self, x: f64, y: f64) -> f64 {
        x.ln() + y * y
    }
    fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        [1.0 / x, 2.0 * y]
    }
}

/// The cone √(x² + y²): finite everywhere, its gradient 0/0 at the origin.
struct Cone;

impl Objective for Cone {
    fn value(&self, x: f64, y: f64) -> f64 {
        x.hypot(y)
    }
    fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        let r = x.hypot(y);
        [x / r, y / r]
    }
}

/// 1/x + y², infinite at x = 0.
struct Reciprocal;

impl Objective for Reciprocal {
    fn value(&self, x: f64, y: f64) -> f64 {
        1.0 / x + y * y
    }
    fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        [-1.0 / (x * x), 2.0 * y]
    }
}

const BOOK_START: [f64; 2] = [-7.0, 2.0];
/// The book's plot range; its divergence box is [-100, 100] × [-50, 50].
const BOOK_DOMAIN: Bounds = Bounds {
    x: [-10.0, 10.0],
    y: [-5.0, 5.0],
};

fn spec(text: &str) -> RunSpec {
    match text.parse() {
        Ok(spec) => spec,
        Err(error) => panic!("`{text}` should parse: {error}"),
    }
}

fn run_on(objective: &dyn Objective, spec: &RunSpec, start: [f64; 2]) -> Path {
    run(spec, start, objective, &BOOK_DOMAIN)
}

fn book_path(text: &str) -> Path {
    let spec = spec(text);
    run_on(&Book, &spec, spec.start.unwrap_or(BOOK_START))
}

fn bits(point: [f64; 3]) -> [u64; 3] {
    point.map(f64::to_bits)
}

/// Splits RFC 4180 records (no line breaks inside fields) into fields.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let mut fields = vec![String::new()];
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                let field = fields.last_mut().expect("always one field");
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => fields.push(String::new()),
                    _ => field.push(c),
                }
            }
            assert!(!quoted, "unterminated quote in {line:?}");
            fields
        })
        .collect()
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("`{text}` is not a number"))
}

/// One trajectory of the numpy reference.
struct Reference {
    spec: String,
    grad: String,
    points: Vec<[f64; 3]>,
}

fn reference() -> Vec<Reference> {
    let records = csv_records(include_str!("data/optim_reference.csv"));
    assert_eq!(records[0], ["spec", "grad", "step", "x", "y", "f"]);
    let mut runs: Vec<Reference> = Vec::new();
    for record in &records[1..] {
        let [spec, grad, step, x, y, f] = record.as_slice() else {
            panic!("bad reference record {record:?}");
        };
        let step: usize = step.parse().expect("step");
        if step == 0 {
            runs.push(Reference {
                spec: spec.clone(),
                grad: grad.clone(),
                points: Vec::new(),
            });
        }
        let current = runs.last_mut().expect("a run starts at step 0");
        assert_eq!((&current.spec, &current.grad), (spec, grad));
        assert_eq!(current.points.len(), step);
        current.points.push([number(x), number(y), number(f)]);
    }
    runs
}

#[test]
fn every_reference_path_matches_numpy_bit_for_bit() {
    let runs = reference();
    assert_eq!(runs.len(), 27);
    for reference in runs {
        let mut spec = spec(&reference.spec);
        spec.grad = reference.grad.parse().expect("gradient source");
        let path = run_on(&Book, &spec, BOOK_START);
        let case = format!("{} with {}", reference.spec, reference.grad);
        assert_eq!(path.stop.reason, StopReason::Completed, "{case}");
        assert_eq!(path.stop.step, 30, "{case}");
        assert_eq!(path.points.len(), reference.points.len(), "{case}");
        for (step, (got, want)) in path.points.iter().zip(&reference.points).enumerate() {
            assert_eq!(
                bits(*got),
                bits(*want),
                "{case}, step {step}: {got:?} != numpy's {want:?}"
            );
        }
    }
}

#[test]
fn the_reference_covers_the_book_figure_and_every_kind() {
    let runs = reference();
    let analytic = |label: &str| {
        runs.iter()
            .any(|run| run.grad == "analytic" && spec(&run.spec).label() == label)
    };
    for preset_run in book_compare() {
        assert!(analytic(&preset_run.label()), "{}", preset_run.label());
    }
    for kind in OptimizerKind::ALL {
        assert!(
            analytic(&RunSpec::new(kind).label()),
            "{kind} at its defaults"
        );
    }
    for text in ["nesterov:lr=0.1", "rmsprop:lr=0.1"] {
        assert!(analytic(&spec(text).label()), "{text}");
    }
}

#[test]
fn book_compare_is_the_books_figure() {
    let runs = book_compare();
    let labels: Vec<String> = runs.iter().map(RunSpec::label).collect();
    assert_eq!(
        labels,
        [
            "sgd(lr=0.95)",
            "momentum(lr=0.1)",
            "adagrad(lr=1.5)",
            "adam(lr=0.3)"
        ]
    );
    for run in &runs {
        assert_eq!((run.start, run.steps), (None, 30));
        assert_eq!(run.grad, GradientSource::Analytic);
    }
    assert_eq!(preset("book-compare"), Ok(runs));
    let error = preset("book-comparison").expect_err("unknown preset");
    assert!(error.to_string().contains("`book-comparison`"), "{error}");
}

#[test]
fn sgd_follows_its_closed_form() {
    // With lr 0.95: x -= 0.95·x/10 and y -= 0.95·2y, so x_k = −7·0.905^k and
    // y_k = 2·(−0.9)^k. The iteration rounds once per step while the closed form rounds
    // in powf, so the two may part in the last bits: ≤ 1e-12 on values ≤ 7.
    let path = book_path("sgd:lr=0.95");
    assert_eq!(path.points.len(), 30);
    for (k, [x, y, f]) in path.points.iter().copied().enumerate() {
        let k = k as f64;
        let (want_x, want_y) = (-7.0 * 0.905_f64.powf(k), 2.0 * (-0.9_f64).powf(k));
        assert!((x - want_x).abs() <= 1e-12, "x_{k}: {x} vs {want_x}");
        assert!((y - want_y).abs() <= 1e-12, "y_{k}: {y} vs {want_y}");
        assert_eq!(f, Book.value(x, y));
    }
    // The start is exact; the first step is one multiplication and one subtraction.
    assert_eq!(path.points[0], [-7.0, 2.0, 6.45]);
    assert_eq!(path.points[1][..2], [-6.335, -1.7999999999999998]);
}

#[test]
fn the_books_checkpoints() {
    assert_eq!(book_path("momentum:lr=0.1").points[1][..2], [-6.93, 1.6]);
    assert_eq!(
        book_path("adagrad:lr=1.5").points[1][..2],
        [-5.500000214285683, 0.5000000374999991]
    );
    assert_eq!(
        book_path("adam:lr=0.3").points[2][..2],
        [-6.400416624043272, 1.4022457408988034]
    );
}

#[test]
fn the_memos_hundred_step_sgd_keeps_every_point() {
    let mut spec = spec("sgd:lr=0.95");
    spec.steps = 100;
    let path = run_on(&Book, &spec, BOOK_START);
    assert_eq!(path.points.len(), 100);
    assert_eq!(path.stop.reason, StopReason::Completed);
    assert_eq!(path.stop.step, 100);
    assert_eq!(path.stop.detail, "completed 100 steps");
}

#[test]
fn sgd_with_lr_1_1_diverges_and_keeps_only_points_inside_the_box() {
    // y_k = 2·(−1.2)^k leaves [-50, 50] first at k = 18 (1.2^18 ≈ 26.6).
    let path = book_path("sgd:lr=1.1");
    assert_eq!(path.stop.reason, StopReason::Diverged);
    assert_eq!(path.stop.step, 18);
    assert_eq!(path.points.len(), 18);
    assert!(
        path.stop
            .detail
            .starts_with("diverged at step 18: y = 53.2"),
        "{}",
        path.stop.detail
    );
    assert!(path.stop.detail.ends_with("left the box [-50, 50]"));
    assert!(
        path.points
            .iter()
            .all(|[x, y, _]| x.abs() <= 100.0 && y.abs() <= 50.0)
    );
}

#[test]
fn huge_learning_rates_diverge_without_panicking() {
    let path = book_path("sgd:lr=1e6");
    assert_eq!(path.stop.reason, StopReason::Diverged);
    assert_eq!((path.stop.step, path.points.len()), (1, 1));
    assert_eq!(
        path.stop.detail,
        "diverged at step 1: x = 699993 left the box [-100, 100]"
    );
    for kind in OptimizerKind::ALL {
        for lr in [
            f64::MIN_POSITIVE,
            1e-300,
            1e6,
            1e300,
            f64::MAX,
            f64::INFINITY,
        ] {
            let mut spec = RunSpec::new(kind);
            spec.set_lr(lr);
            spec.steps = 50;
            let path = run_on(&Book, &spec, BOOK_START);
            assert!(
                path.points.iter().flatten().all(|value| value.is_finite()),
                "{kind} lr {lr}"
            );
            if path.stop.reason == StopReason::Diverged {
                assert_eq!(path.points.len(), path.stop.step, "{kind} lr {lr}");
            }
        }
    }
}

#[test]
fn an_undefined_function_stops_the_run_as_diverged() {
    // From x = 0.5 the gradient is 2, so SGD with lr 1 jumps to x = -1.5, where ln is NaN.
    let path = run_on(&Log, &spec("sgd:lr=1"), [0.5, 0.0]);
    assert_eq!(path.stop.reason, StopReason::Diverged);
    assert_eq!(path.stop.step, 1);
    assert_eq!(
        path.stop.detail,
        "diverged at step 1: f is undefined at (-1.5, 0)"
    );
    assert_eq!(
        path.points,
        [[0.5, 0.5_f64.ln(), 0.0]].map(|[x, f, y]| [x, y, f])
    );

    // The cone is finite at its tip, but its gradient is 0/0 there.
    let path = run_on(&Cone, &spec("adam"), [0.0, 0.0]);
    assert_eq!(path.stop.reason, StopReason::Diverged);
    assert_eq!(
        path.stop.detail,
        "diverged at step 0: the gradient is undefined at (0, 0)"
    );
    assert!(path.points.is_empty());

    // Central differences reach across x = 0, where ln is undefined.
    let mut numeric = spec("sgd");
    numeric.grad = "numeric:h=1e-4".parse().expect("gradient source");
    let path = run_on(&Log, &numeric, [5e-5, 0.0]);
    assert_eq!(path.stop.reason, StopReason::Diverged);
    assert!(
        path.stop.detail.contains("the gradient is undefined"),
        "{}",
        path.stop.detail
    );

    let path = run_on(&Reciprocal, &spec("sgd"), [0.0, 1.0]);
    assert_eq!(
        path.stop.detail,
        "diverged at step 0: f is infinite at (0, 1)"
    );
}

#[test]
fn a_start_outside_the_box_or_not_finite_diverges_at_step_0() {
    let path = run_on(&Book, &spec("sgd"), [-100.5, 0.0]);
    assert_eq!(
        path.stop.detail,
        "diverged at step 0: x = -100.5 left the box [-100, 100]"
    );
    assert!(path.points.is_empty());
    let path = run_on(&Book, &spec("sgd"), [0.0, f64::NAN]);
    assert_eq!(path.stop.detail, "diverged at step 0: y became NaN");
    // The box's edge is still inside.
    let path = run_on(&Book, &spec("sgd"), [100.0, -50.0]);
    assert_eq!(path.stop.reason, StopReason::Completed);
}

#[test]
fn a_vanishing_gradient_converges_and_keeps_its_point() {
    // SGD with lr 0.5 on x² + y² lands exactly on the minimum in one step.
    let path = run_on(&Bowl, &spec("sgd:lr=0.5"), [3.0, -4.0]);
    assert_eq!(path.stop.reason, StopReason::Converged);
    assert_eq!(path.stop.step, 1);
    assert_eq!(path.points, [[3.0, -4.0, 25.0], [0.0, 0.0, 0.0]]);
    assert_eq!(
        path.stop.detail,
        "converged at step 1: the gradient's norm is 0 at (0, 0)"
    );

    // A gradient of norm 2e-13 at the start is already below 1e-12.
    let path = run_on(&Bowl, &spec("adam"), [1e-13, 0.0]);
    assert_eq!(path.stop.reason, StopReason::Converged);
    assert_eq!((path.stop.step, path.points.len()), (0, 1));
    // A norm of exactly 1e-12 is not below the threshold.
    let mut one = spec("sgd");
    one.steps = 1;
    let path = run_on(&Bowl, &one, [5e-13, 0.0]);
    assert_eq!(path.stop.reason, StopReason::Completed);
    assert_eq!(path.points.len(), 1);
}

#[test]
fn zero_steps_give_an_empty_completed_path() {
    let mut spec = spec("adam");
    spec.steps = 0;
    let path = run_on(&Book, &spec, BOOK_START);
    assert!(path.points.is_empty());
    assert_eq!(
        path.stop,
        Stop {
            reason: StopReason::Completed,
            step: 0,
            detail: "completed 0 steps".to_owned()
        }
    );
}

#[test]
fn numerical_and_analytic_gradients_agree() {
    let numeric = GradientSource::Numeric {
        h: DEFAULT_NUMERIC_H,
    };
    for x in [-9.5, -7.0, -0.3, 0.0, 2.5, 10.0] {
        for y in [-5.0, -1.25, 0.0, 0.7, 2.0] {
            let [nx, ny] = numeric.gradient(&Book, x, y);
            let [ax, ay] = GradientSource::Analytic.gradient(&Book, x, y);
            assert!(
                (nx - ax).abs() < 1e-7 && (ny - ay).abs() < 1e-7,
                "at ({x}, {y})"
            );
        }
    }
    for analytic in book_compare() {
        let mut numerical = analytic.clone();
        numerical.grad = numeric.clone();
        let exact = run_on(&Book, &analytic, BOOK_START);
        let approximate = run_on(&Book, &numerical, BOOK_START);
        // Same length and the same way of stopping, not just a common prefix.
        assert_eq!(
            (exact.stop.reason, exact.stop.step, exact.points.len()),
            (
                approximate.stop.reason,
                approximate.stop.step,
                approximate.points.len()
            ),
            "{}",
            analytic.label()
        );
        for (a, b) in exact.points.iter().zip(&approximate.points) {
            assert!(
                a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-7),
                "{}: {a:?} vs {b:?}",
                analytic.label()
            );
        }
    }
}

#[test]
fn specs_parse_with_defaults_and_labels() {
    let adam = spec("adam:lr=0.3,beta1=0.9");
    assert_eq!(adam.kind, OptimizerKind::Adam);
    assert_eq!(
        adam.params,
        [("lr".to_owned(), 0.3), ("beta1".to_owned(), 0.9)]
    );
    assert_eq!((adam.start, adam.steps), (None, DEFAULT_STEPS));
    assert_eq!(adam.label(), "adam(lr=0.3,beta1=0.9)");
    assert_eq!(
        adam.effective_params(),
        [("lr", 0.3), ("beta1", 0.9), ("beta2", 0.999)]
    );
    assert_eq!(spec("sgd").label(), "sgd(lr=0.01)");
    assert_eq!(spec("adam").lr(), 0.001);
    assert_eq!(
        spec(" RMSprop : decay = 0.9 ").label(),
        "rmsprop(lr=0.01,decay=0.9)"
    );
    assert_eq!(
        spec("adamw:weight_decay=0,lr=1e-5").label(),
        "adamw(weight_decay=0.0,lr=1e-5)"
    );
    assert_eq!(spec("momentum").param("momentum"), Some(0.9));
    assert_eq!(spec("momentum").param("beta1"), None);
    assert_eq!(
        spec("adamw").effective_params(),
        [
            ("lr", 0.001),
            ("beta1", 0.9),
            ("beta2", 0.999),
            ("eps", 1e-8),
            ("weight_decay", 0.01)
        ]
    );
    assert_eq!(spec("nesterov:momentum=0").param("momentum"), Some(0.0));
}

#[test]
fn set_lr_makes_lr_explicit_and_stays_valid() {
    let mut adam = spec("adam:beta1=0.8");
    adam.set_lr(0.3);
    assert_eq!(adam.label(), "adam(lr=0.3,beta1=0.8)");
    adam.set_lr(0.6);
    assert_eq!(adam.label(), "adam(lr=0.6,beta1=0.8)");
    adam.set_lr(f64::NAN);
    assert_eq!(adam.lr(), 0.6);
    adam.set_lr(-1.0);
    assert_eq!(adam.lr(), f64::MIN_POSITIVE);
    adam.set_lr(f64::INFINITY);
    assert_eq!(adam.lr(), f64::MAX);
    assert_eq!(adam.validate(), Ok(()));
}

#[test]
fn kinds_and_gradient_sources_round_trip() {
    let names: Vec<String> = OptimizerKind::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "sgd",
            "momentum",
            "nesterov",
            "adagrad",
            "rmsprop",
            "adam",
            "adam-paper",
            "adamw"
        ]
    );
    for kind in OptimizerKind::ALL {
        assert_eq!(kind.to_string().parse(), Ok(kind));
    }
    for (text, source) in [
        ("analytic", GradientSource::Analytic),
        ("numeric", GradientSource::Numeric { h: 1e-4 }),
        ("numeric:h=1e-4", GradientSource::Numeric { h: 1e-4 }),
        ("numeric:h=0.001", GradientSource::Numeric { h: 0.001 }),
        ("numeric:h=1e-7", GradientSource::Numeric { h: 1e-7 }),
    ] {
        assert_eq!(text.parse(), Ok(source.clone()), "{text}");
        assert_eq!(source.to_string().parse(), Ok(source.clone()));
    }
    assert_eq!(
        GradientSource::Numeric { h: 1e-4 }.to_string(),
        "numeric:h=0.0001"
    );
    assert_eq!(parse_steps("30"), Ok(30));
    assert_eq!(parse_steps("0"), Ok(0));
    assert_eq!(parse_steps("1000000"), Ok(MAX_STEPS));
    assert_eq!(parse_start("-7,2"), Ok([-7.0, 2.0]));
    assert_eq!(parse_start(" 0.5 , -1e-3 "), Ok([0.5, -0.001]));
}

#[test]
fn bad_specs_name_the_bad_part() {
    let cases: &[(&str, &[&str])] = &[
        ("", &["empty run spec"]),
        ("adan:lr=0.3", &["`adan`", "did you mean `adam`?"]),
        ("rms", &["`rms`", "`rmsprop`"]),
        ("quux", &["`quux`", "sgd, momentum"]),
        (
            "adam:momentum=0.9",
            &["`momentum`", "adam", "valid: lr, beta1, beta2"],
        ),
        ("sgd:steps=50", &["`steps`", "valid: lr"]),
        (
            "adamw:weight-decay=0.1",
            &["`weight-decay`", "did you mean `weight_decay`?"],
        ),
        ("sgd:lr=abc", &["lr", "`abc` is not a number"]),
        ("sgd:lr=0", &["lr=0", "lr must be a finite number > 0"]),
        ("sgd:lr=-0.5", &["lr=-0.5"]),
        ("sgd:lr=nan", &["lr=nan"]),
        ("sgd:lr=inf", &["lr=inf"]),
        ("momentum:momentum=1", &["momentum=1", "in [0, 1)"]),
        ("rmsprop:decay=-0.1", &["decay=-0.1", "in [0, 1)"]),
        ("adam:beta2=1.5", &["beta2=1.5"]),
        ("adam-paper:eps=0", &["eps=0"]),
        ("adamw:weight_decay=-1", &["weight_decay=-1", ">= 0"]),
        ("sgd:lr", &["`lr` is not key=value"]),
        ("sgd:", &["empty parameter in `sgd:`"]),
        ("sgd:lr=0.1,", &["empty parameter"]),
        ("sgd:lr=0.1,lr=0.2", &["`lr` is given more than once"]),
    ];
    for &(text, parts) in cases {
        let error = text.parse::<RunSpec>().expect_err(text).to_string();
        for part in parts {
            assert!(
                error.contains(part),
                "`{text}` gave {error:?}, missing {part:?}"
            );
        }
    }
    let gradient_cases: &[(&str, &str)] = &[
        ("numerical", "`numerical`"),
        ("numeric:h=0", "h=0"),
        ("numeric:h=x", "`x` is not a number"),
        ("numeric:step=1", "`step`"),
        ("analytic:h=1", "`h`"),
    ];
    for &(text, part) in gradient_cases {
        let error = text.parse::<GradientSource>().expect_err(text).to_string();
        assert!(error.contains(part), "`{text}` gave {error:?}");
    }
    for text in ["1000001", "-1", "3.5", "many"] {
        let error = parse_steps(text).expect_err(text).to_string();
        assert!(error.contains(&format!("`{text}`")), "{error}");
    }
    for text in ["-7", "-7,inf", "a,b", "1,2,3"] {
        let error = parse_start(text).expect_err(text).to_string();
        assert!(error.contains(&format!("`{text}`")), "{error}");
    }
    let mut hand_built = RunSpec::new(OptimizerKind::Sgd);
    hand_built.params.push(("beta1".to_owned(), 0.9));
    let error = hand_built
        .validate()
        .expect_err("beta1 is not sgd's")
        .to_string();
    assert!(error.contains("`beta1`"), "{error}");
    hand_built.params.clear();
    hand_built.steps = MAX_STEPS + 1;
    assert!(hand_built.validate().is_err());
}

/// Runs the preset plus one run whose label contains commas.
fn sample_runs() -> Vec<(RunSpec, Path)> {
    let mut specs = book_compare();
    specs.push(spec("adam:lr=0.3,beta1=0.9"));
    specs
        .into_iter()
        .map(|spec| {
            let path = run_on(&Book, &spec, BOOK_START);
            (spec, path)
        })
        .collect()
}

fn outputs(runs: &[(RunSpec, Path)]) -> Vec<RunOutput<'_>> {
    runs.iter()
        .map(|(spec, path)| RunOutput {
            spec,
            start: BOOK_START,
            path,
        })
        .collect()
}

#[test]
fn csv_quotes_labels_and_round_trips_every_number() {
    let runs = sample_runs();
    let csv = to_csv(&outputs(&runs));
    assert!(csv.starts_with("run,step,x,y,f\r\n"));
    assert!(csv.ends_with("\r\n"));
    assert!(!csv.replace("\r\n", "").contains('\n'));
    assert!(csv.contains("\r\nsgd(lr=0.95),0,-7.0,2.0,6.45\r\n"));
    assert!(csv.contains("\r\n\"adam(lr=0.3,beta1=0.9)\",0,-7.0,2.0,6.45\r\n"));
    let records = csv_records(&csv);
    assert_eq!(records.len(), 1 + 5 * 30);
    let mut rows = records[1..].iter();
    for (spec, path) in &runs {
        for (step, point) in path.points.iter().enumerate() {
            let row = rows.next().expect("a row per point");
            assert_eq!(row[0], spec.label());
            assert_eq!(row[1], step.to_string());
            let parsed = [number(&row[2]), number(&row[3]), number(&row[4])];
            assert_eq!(bits(parsed), bits(*point), "{row:?}");
        }
    }
}

#[test]
fn json_has_the_documented_shape() {
    let mut runs = sample_runs();
    runs[1].0.grad = GradientSource::Numeric { h: 1e-4 };
    runs.push((spec("sgd:lr=1.1"), book_path("sgd:lr=1.1")));
    let text = to_json(&outputs(&runs));
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let listed = json["runs"].as_array().expect("runs array");
    assert_eq!(listed.len(), runs.len());
    for ((spec, path), run) in runs.iter().zip(listed) {
        let mut keys: Vec<&str> = run
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["grad", "kind", "label", "params", "points", "start", "stop"]
        );
        assert_eq!(run["label"], spec.label());
        assert_eq!(run["kind"], spec.kind.to_string());
        assert_eq!(run["grad"], spec.grad.to_string());
        assert_eq!(run["start"], serde_json::json!([-7.0, 2.0]));
        let params = run["params"].as_object().expect("params object");
        assert_eq!(params.len(), spec.effective_params().len());
        for (name, value) in spec.effective_params() {
            assert_eq!(params[name].as_f64(), Some(value), "{name}");
        }
        let points = run["points"].as_array().expect("points");
        assert_eq!(points.len(), path.points.len());
        assert!(
            points
                .iter()
                .all(|point| point.as_array().map(Vec::len) == Some(3))
        );
        // serde_json's own parser (without its float_roundtrip feature) may miss the
        // last bit, so the exactness of the printed numbers is checked on the text:
        // each point appears as serde_json writes [x, y, f], and Rust's exact parser
        // reads that text back to the same bits.
        for point in &path.points {
            let written = serde_json::to_string(point).expect("serialize");
            assert!(text.contains(&written), "{written} missing");
            let parsed: Vec<f64> = written
                .trim_matches(['[', ']'])
                .split(',')
                .map(number)
                .collect();
            assert_eq!(bits([parsed[0], parsed[1], parsed[2]]), bits(*point));
        }
        assert_eq!(run["stop"]["reason"], path.stop.reason.to_string());
        assert_eq!(run["stop"]["step"], path.stop.step);
        assert_eq!(run["stop"]["detail"], path.stop.detail);
    }
    assert_eq!(
        listed[3]["params"],
        serde_json::json!({"lr": 0.3, "beta1": 0.9, "beta2": 0.999})
    );
    assert_eq!(listed[1]["grad"], "numeric:h=0.0001");
    assert_eq!(listed[5]["stop"]["reason"], "diverged");
    assert_eq!(listed[5]["stop"]["step"], 18);
    assert_eq!(
        listed[0]["stop"],
        serde_json::json!({"reason": "completed", "step": 30, "detail": "completed 30 steps"})
    );
}

#[test]
fn the_divergence_box_is_ten_half_extents_around_the_centre() {
    let domain = Bounds {
        x: [0.0, 4.0],
        y: [-3.0, -1.0],
    };
    assert_eq!(
        domain.divergence_box(),
        Bounds {
            x: [-18.0, 22.0],
            y: [-12.0, 8.0]
        }
    );
    assert_eq!(
        BOOK_DOMAIN.divergence_box(),
        Bounds {
            x: [-100.0, 100.0],
            y: [-50.0, 50.0]
        }
    );
}
