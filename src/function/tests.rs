use super::*;
use proptest::prelude::*;

fn f(expr: &str) -> Function {
    match Function::parse(expr) {
        Ok(f) => f,
        Err(e) => panic!("`{expr}` should parse:\n{e}"),
    }
}

fn err(expr: &str) -> FunctionError {
    match Function::parse(expr) {
        Ok(_) => panic!("`{expr}` should not parse"),
        Err(e) => e,
    }
}

#[test]
fn precedence_and_associativity() {
    let pi = std::f64::consts::PI;
    let e = std::f64::consts::E;
    // (expression, x, y, expected)
    let table: &[(&str, f64, f64, f64)] = &[
        ("2^3^2", 0.0, 0.0, 512.0),
        ("(2^3)^2", 0.0, 0.0, 64.0),
        ("-x^2", 3.0, 0.0, -9.0),
        ("(-x)^2", 3.0, 0.0, 9.0),
        ("-2^2", 0.0, 0.0, -4.0),
        ("2^-1", 0.0, 0.0, 0.5),
        ("2^-x^2", 1.0, 0.0, 0.5),
        ("2*3+4", 0.0, 0.0, 10.0),
        ("2+3*4", 0.0, 0.0, 14.0),
        ("(1+2)*3", 0.0, 0.0, 9.0),
        ("8/4/2", 0.0, 0.0, 1.0),
        ("8/(4/2)", 0.0, 0.0, 4.0),
        ("10-4-3", 0.0, 0.0, 3.0),
        ("x - -y", 1.0, 2.0, 3.0),
        ("x--y", 1.0, 2.0, 3.0),
        ("2*-x", 3.0, 0.0, -6.0),
        ("---x", 3.0, 0.0, -3.0),
        ("2*x^2", 3.0, 0.0, 18.0),
        ("x^2/20 + y^2", 2.0, 3.0, 0.2 + 9.0),
        ("e", 0.0, 0.0, e),
        ("pi", 0.0, 0.0, pi),
        ("2*pi", 0.0, 0.0, 2.0 * pi),
        ("1e-3", 0.0, 0.0, 1e-3),
        ("2.5E2", 0.0, 0.0, 250.0),
        (".5", 0.0, 0.0, 0.5),
        ("sin(pi/2)", 0.0, 0.0, 1.0),
        ("cos(0)", 0.0, 0.0, 1.0),
        ("tan(x)", 0.5, 0.0, 0.5f64.tan()),
        ("asin(1)", 0.0, 0.0, pi / 2.0),
        ("acos(x)", 0.5, 0.0, 0.5f64.acos()),
        ("atan(1)*4", 0.0, 0.0, pi),
        ("atan2(y, x)", -1.0, 0.0, pi),
        (
            "sinh(x) + cosh(x) + tanh(x)",
            0.7,
            0.0,
            0.7f64.sinh() + 0.7f64.cosh() + 0.7f64.tanh(),
        ),
        ("exp(log(x))", 3.0, 0.0, 3.0f64.ln().exp()),
        ("log10(1000)", 0.0, 0.0, 3.0),
        ("sqrt(x^2 + y^2)", 3.0, 4.0, 5.0),
        ("abs(x - y)", 1.0, 4.0, 3.0),
        ("min(x, y) + max(x, y)", 1.0, 4.0, 5.0),
        ("pow(x, 3)", -2.0, 0.0, -8.0),
        ("pow(2, 0.5)", 0.0, 0.0, 2f64.sqrt()),
        ("x^0.5", 4.0, 0.0, 2.0),
        ("x^-3", 2.0, 0.0, 0.125),
        ("x^0", -5.0, 0.0, 1.0),
        ("sin(sin(sin(x)))", 1.0, 0.0, 1f64.sin().sin().sin()),
        ("  x\t*\ny ", 2.0, 3.0, 6.0),
    ];
    for &(expr, x, y, want) in table {
        let got = f(expr).value(x, y);
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1.0),
            "{expr} at ({x}, {y}): got {got}, want {want}"
        );
    }
}

#[test]
fn steps_outside_f32_range_are_found() {
    // (expression, x, whether every step of f fits in f32 at (x, 0))
    let cases: &[(&str, f64, bool)] = &[
        ("x^2/20 + y^2", 3.0, true),
        ("log(x)", -1.0, true),
        ("exp(x)", 80.0, true),
        ("exp(x)", 100.0, false),
        ("exp(-x) * 1e30", 100.0, false),
        ("exp(exp(x))", 5.0, false),
        ("x * 1e-30 * 1e-30", 1.0, false),
        ("x - x", 1.0, true),
    ];
    for &(expr, x, fits) in cases {
        assert_eq!(f(expr).within_f32_range(x, 0.0), fits, "{expr} at x = {x}");
    }
}

#[test]
fn domain_checks_give_nan() {
    let undefined: &[(&str, f64, f64)] = &[
        ("log(x)", 0.0, 0.0),
        ("log(x)", -1.0, 0.0),
        ("log10(x)", 0.0, 0.0),
        ("sqrt(x)", -1e-300, 0.0),
        ("1/x", 0.0, 0.0),
        ("x/(y - 1)", 1.0, 1.0),
        ("asin(x)", 1.5, 0.0),
        ("acos(x)", -1.0000001, 0.0),
        ("x^0.5", -4.0, 0.0),
        ("x^y", -2.0, 2.0),
        ("x^-3", 0.0, 0.0),
        ("atan2(y, x)", 0.0, 0.0),
        // Hidden behind min: the check still counts.
        ("min(log(x), 1)", -1.0, 0.0),
        ("1/0 + x", 1.0, 1.0),
        ("log(0)", 1.0, 1.0),
        ("sqrt(-1)", 1.0, 1.0),
    ];
    for &(expr, x, y) in undefined {
        let func = f(expr);
        assert!(
            func.value(x, y).is_nan(),
            "{expr} at ({x}, {y}) should be NaN"
        );
        assert!(
            func.gradient(x, y).iter().all(|g| g.is_nan()),
            "{expr}: gradient should be NaN"
        );
    }
    let defined: &[(&str, f64, f64, f64)] = &[
        ("sqrt(x)", 0.0, 0.0, 0.0),
        ("asin(x)", 1.0, 0.0, std::f64::consts::FRAC_PI_2),
        ("x^2", -3.0, 0.0, 9.0),
        ("x^3", -2.0, 0.0, -8.0),
        ("exp(x)", 1000.0, 0.0, f64::INFINITY),
    ];
    for &(expr, x, y, want) in defined {
        assert_eq!(f(expr).value(x, y), want, "{expr} at ({x}, {y})");
    }
    // A singular gradient does not make f undefined.
    let cone = f("sqrt(x^2 + y^2)");
    assert_eq!(cone.value(0.0, 0.0), 0.0);
    assert!(cone.gradient(0.0, 0.0).iter().all(|g| !g.is_finite()));
    assert_eq!(f("abs(x)").gradient(0.0, 0.0), [0.0, 0.0]);
}

/// Asserts the error for `expr` mentions each of `needles` and points at `column`.
fn expect_error(expr: &str, column: Option<usize>, needles: &[&str]) {
    let e = err(expr);
    assert_eq!(e.column, column, "{expr}: wrong column in {e:?}");
    assert_eq!(e.input, expr);
    for needle in needles {
        assert!(
            e.message.contains(needle),
            "{expr}: message {:?} lacks {needle:?}",
            e.message
        );
    }
}

#[test]
fn every_error_kind_points_at_its_column() {
    expect_error("x^2 + * y", Some(6), &["unexpected `*`"]);
    expect_error("x^2 +", Some(5), &["unexpected end of input"]);
    expect_error("(x + 1", Some(0), &["unclosed `(`"]);
    expect_error("sin(x", Some(3), &["unclosed `(`"]);
    expect_error("x + 1)", Some(5), &["unmatched `)`"]);
    expect_error("(x, y)", Some(2), &["expected `)`"]);
    expect_error("x, y", Some(1), &["outside a function call"]);
    expect_error("2 + sni(x)", Some(4), &["unknown name `sni`", "`sin`"]);
    expect_error("exq(x)", Some(0), &["`exp`"]);
    expect_error("foo", Some(0), &["unknown name `foo`"]);
    expect_error("X + 1", Some(0), &["`x`"]);
    expect_error("atan2(x)", Some(0), &["`atan2`", "2 arguments", "got 1"]);
    expect_error("sin(x, y)", Some(0), &["`sin`", "1 argument,", "got 2"]);
    expect_error("max()", Some(0), &["`max`", "got 0"]);
    expect_error("sin x", Some(0), &["`sin` is a function"]);
    expect_error("2x", Some(1), &["implicit multiplication", "`*`"]);
    expect_error("2 x", Some(2), &["implicit multiplication", "`*`"]);
    expect_error("x y", Some(2), &["implicit multiplication", "`*`"]);
    expect_error("2(x)", Some(1), &["implicit multiplication", "`*`"]);
    expect_error("(x)(y)", Some(3), &["implicit multiplication", "`*`"]);
    expect_error("2 sin(x)", Some(2), &["implicit multiplication"]);
    expect_error("xy", Some(0), &["implicit multiplication", "`x*y`"]);
    expect_error("x**2", Some(1), &["`^`"]);
    expect_error("1e", Some(0), &["malformed number `1e`"]);
    expect_error("3 * 1e+", Some(4), &["malformed number"]);
    expect_error("1.2.3", Some(0), &["malformed number `1.2.3`"]);
    expect_error("x + .", Some(4), &["malformed number"]);
    expect_error("x * 1e39", Some(4), &["too large", "32-bit"]);
    expect_error("1e400", Some(0), &["too large"]);
    expect_error("x + 1e-50", Some(4), &["too small"]);
    expect_error("x # y", Some(2), &["unexpected character `#`"]);
    expect_error("", None, &["empty"]);
    expect_error("   ", None, &["empty"]);
    let long = "x+".repeat(3000) + "x";
    expect_error(&long, None, &["too long", "4096"]);
    let deep = "(".repeat(parse::MAX_DEPTH + 1) + "x" + &")".repeat(parse::MAX_DEPTH + 1);
    expect_error(&deep, Some(parse::MAX_DEPTH), &["nested too deeply"]);
    let deep_calls = "sin(".repeat(300) + "x" + &")".repeat(300);
    expect_error(
        &deep_calls,
        Some(parse::MAX_DEPTH * 4 + 3),
        &["nested too deeply"],
    );
}

#[test]
fn error_display_has_caret_under_column() {
    let e = err("x^2 + * y");
    assert_eq!(e.to_string(), format!("{}\nx^2 + * y\n      ^", e.message));
    let e = err("x +");
    assert!(e.to_string().ends_with("x +\n   ^"), "{e}");
    // Long inputs are shown as a window around the column.
    let long = "x + ".repeat(100) + "* y";
    let e = err(&long);
    let shown = e.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1].len() <= ERROR_WINDOW + 6, "{shown}");
    let caret = lines[2].len() - 1;
    assert_eq!(&lines[1][caret..caret + 1], "*", "{shown}");
    assert_eq!(err("").to_string(), err("").message);
}

#[test]
fn gallery_names_resolve() {
    let names = [
        "book",
        "bowl",
        "rosenbrock",
        "beale",
        "himmelblau",
        "booth",
        "matyas",
        "saddle",
        "monkey-saddle",
        "rastrigin",
        "ackley",
        "goldstein-price",
        "styblinski-tang",
        "six-hump-camel",
    ];
    assert_eq!(GALLERY.iter().map(|e| e.name).collect::<Vec<_>>(), names);
    for name in names {
        let func =
            Function::from_spec(&name.to_uppercase()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let entry = func
            .gallery_entry()
            .unwrap_or_else(|| panic!("{name} has no entry"));
        assert_eq!(entry.name, name);
        assert_eq!(func.source(), entry.formula);
    }
    assert_eq!(
        gallery_entry(" Six_Hump_Camel ").map(|e| e.name),
        Some("six-hump-camel")
    );
    let expr = Function::from_spec("x^2/20 + y^2").unwrap_or_else(|e| panic!("{e}"));
    assert!(expr.gallery_entry().is_none());
    assert!(Function::from_spec("").is_err());
    let typo = Function::from_spec("rosenbrok")
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
    assert!(typo.contains("`rosenbrock`"), "{typo}");
    let listing = gallery_listing();
    for entry in GALLERY {
        assert!(listing.contains(entry.name) && listing.contains(entry.formula));
    }
    assert!(listing.contains("df/dx   = x/10"), "{listing}");
}

#[test]
fn gallery_minima_are_lowest_on_a_dense_grid() {
    for entry in GALLERY {
        let func = Function::from_spec(entry.name).unwrap_or_else(|e| panic!("{e}"));
        let inside = |p: [f64; 2]| {
            (entry.x[0]..=entry.x[1]).contains(&p[0]) && (entry.y[0]..=entry.y[1]).contains(&p[1])
        };
        assert!(
            inside(entry.start),
            "{}: start outside the domain",
            entry.name
        );
        assert!(entry.x[0] < entry.x[1] && entry.y[0] < entry.y[1]);
        let n = 200;
        let mut grid_min = f64::INFINITY;
        for i in 0..=n {
            for j in 0..=n {
                let x = entry.x[0] + (entry.x[1] - entry.x[0]) * f64::from(i) / f64::from(n);
                let y = entry.y[0] + (entry.y[1] - entry.y[0]) * f64::from(j) / f64::from(n);
                let v = func.value(x, y);
                assert!(v.is_finite(), "{} undefined at ({x}, {y})", entry.name);
                grid_min = grid_min.min(v);
            }
        }
        for &m in entry.minima {
            assert!(
                inside(m),
                "{}: minimum {m:?} outside the domain",
                entry.name
            );
            let v = func.value(m[0], m[1]);
            assert!(
                v <= grid_min + 1e-9 * (1.0 + grid_min.abs()),
                "{}: f{m:?} = {v} > grid minimum {grid_min}",
                entry.name
            );
            for g in func.gradient(m[0], m[1]) {
                // Ackley's minimum is a cone tip: no finite gradient there.
                assert!(
                    !g.is_finite() || g.abs() < 1e-6,
                    "{}: gradient {g} at minimum {m:?}",
                    entry.name
                );
            }
        }
        if entry.minima.is_empty() {
            // Saddles: lower values exist right at the domain's edge.
            assert!(grid_min < func.value(0.0, 0.0), "{}", entry.name);
        }
    }
}

/// Finite f64 samples including extremes: huge, tiny, subnormal, signed zeros.
fn sample_values() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -7.0,
        2.0,
        0.1,
        1e-300,
        -1e-310,
        f64::MIN_POSITIVE,
        5e-324,
        1e150,
        1e154,
        -1.34e154,
        1e300,
        f64::MAX,
        -f64::MAX,
        3.0e-155,
    ];
    // A deterministic spread of bit patterns (xorshift).
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    while v.len() < 400 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let x = f64::from_bits(s);
        if x.is_finite() {
            v.push(x);
        }
        v.push((s >> 11) as f64 / (1u64 << 53) as f64 * 20.0 - 10.0);
    }
    v
}

#[test]
fn book_function_is_bit_exact_with_the_numpy_reference() {
    let parsed = f("x^2/20 + y^2");
    let book = Function::from_spec("book").unwrap_or_else(|e| panic!("{e}"));
    let values = sample_values();
    for func in [&parsed, &book] {
        for (i, &x) in values.iter().enumerate() {
            for &y in values.iter().skip(i % 7).step_by(7) {
                let want = (x * x) / 20.0 + y * y;
                let got = func.value(x, y);
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "f({x:e}, {y:e}) = {got:e}, numpy {want:e}"
                );
                let [gx, gy] = func.gradient(x, y);
                assert_eq!(gx.to_bits(), (x / 10.0).to_bits(), "df/dx({x:e}) = {gx:e}");
                assert_eq!(gy.to_bits(), (2.0 * y).to_bits(), "df/dy({y:e}) = {gy:e}");
            }
        }
    }
    assert_eq!(
        parsed.derivative_sources(),
        ["x/10".to_string(), "2*y".to_string()]
    );
}

#[test]
fn derivative_sources_are_readable() {
    let cases: &[(&str, &str, &str)] = &[
        ("x*y", "y", "x"),
        ("x^3 - 3*x*y^2", "3*x^2 - 3*y^2", "-6*x*y"),
        // Constants gathered across a product, and a negative term as a subtraction.
        (
            "(1 - x)^2 + 100*(y - x^2)^2",
            "-2*(1 - x) - 400*(y - x^2)*x",
            "200*(y - x^2)",
        ),
        ("0.13*(x^2 + y^2)", "0.26*x", "0.26*y"),
        // 0.1*3 is 0.30000000000000004 in binary: such a product is left as written.
        ("0.1*(3*x^2)", "0.1*(6*x)", "0"),
        ("sin(2*x)", "2*cos(2*x)", "0"),
        ("exp(x*y)", "exp(x*y)*y", "exp(x*y)*x"),
        ("log(x)", "1/x", "0"),
        ("x^-2", "-2*x^-3", "0"),
        ("sqrt(x)", "1/(2*sqrt(x))", "0"),
        ("5", "0", "0"),
    ];
    for &(expr, dx, dy) in cases {
        assert_eq!(
            f(expr).derivative_sources(),
            [dx.to_string(), dy.to_string()],
            "{expr}"
        );
    }
}

#[test]
fn wgsl_of_tricky_expressions_validates() {
    let mut exprs: Vec<String> = [
        "log(x)",
        "1/x",
        "sqrt(x)",
        "x^-3",
        "x^0.5",
        "x^y",
        "log10(x)",
        "1/0",
        "log(0)",
        "sqrt(-1)",
        "0/0",
        "asin(2)",
        "atan2(0, 0)",
        "3.4e38*x",
        "3e38*3e38 + x",
        "1e30^2",
        "-3.4e38 - 3.4e38",
        "1e-45*x",
        "1e-30*1e-30",
        "x^1000001",
        "x^-1000001",
        "2^x",
        "(-8)^(1/3)",
        "min(x, y) + max(x^2, y) + abs(x*y)",
        "atan2(y, x) + asin(x/2) + acos(y/3) + atan(x)",
        "sinh(x) + cosh(y) + tanh(x*y) + tan(x) + exp(-x)",
        "x",
        "7",
        "-x",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    exprs.push("(".repeat(150) + "x + y" + &")".repeat(150));
    exprs.push("sin(".repeat(150) + "x" + &")".repeat(150));
    exprs.push("x^".repeat(30) + "x");
    exprs.push("x*".repeat(1000) + "y");
    exprs.push("-".repeat(2001) + "x");
    for expr in &exprs {
        // `f` parses, and parsing validates the generated WGSL with naga.
        let func = f(expr);
        let w = func.wgsl();
        assert!(w.contains("fn gs_field(p: vec2<f32>) -> vec4<f32>"));
        assert!(
            !w.contains("inf") && !w.contains("NaN"),
            "{expr}: non-finite literal\n{w}"
        );
        assert_eq!(w.matches("fn ").count(), 1);
        // Literals only initialise `var`s; every operation reads lets.
        for line in w.lines().map(str::trim) {
            let has_literal = line
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '_')
                .any(|word| word.starts_with(|c: char| c.is_ascii_digit()));
            assert!(
                !has_literal || line.starts_with("var "),
                "{expr}: literal outside a var: {line}"
            );
        }
    }
    // Integer powers are multiplications, log10 a scaled log.
    let square = f("x^2").wgsl().to_string();
    assert!(
        square.contains("= t0 * t0;") && !square.contains("pow("),
        "{square}"
    );
    assert!(f("x^2/20").wgsl().contains("_k = 20.0f;"));
    assert!(f("x^-3").wgsl().contains("one / "));
    assert!(f("log10(x)").wgsl().contains("* inv_ln10"));
    // Literal-only operations never appear: each operand is a let.
    assert!(f("1/0").wgsl().contains("/ t"));
    assert!(validate_wgsl("fn broken( {").is_err());
}

#[test]
fn long_chains_and_deep_nesting_do_not_overflow() {
    let sum = "x+".repeat(2000) + "x";
    assert_eq!(f(&sum).value(1.0, 0.0), 2001.0);
    let power = "1^".repeat(2000) + "x";
    assert_eq!(f(&power).value(3.0, 0.0), 1.0);
    let nested = "(".repeat(parse::MAX_DEPTH) + "x" + &")".repeat(parse::MAX_DEPTH);
    assert_eq!(f(&nested).value(2.0, 0.0), 2.0);
    assert!(Function::parse(&"(".repeat(100_000)).is_err());
    assert!(Function::parse(&("(".repeat(4000) + "x")).is_err());
    assert!(Function::parse(&"sin(".repeat(1000)).is_err());
    assert!(Function::parse(&"-".repeat(4000)).is_err());
    let product = "sin(x)*".repeat(500) + "x";
    let func = f(&product);
    assert!(func.gradient(0.5, 0.0)[0].is_finite());
}

#[test]
fn derivative_sources_reparse_to_the_gradient() {
    let exprs = [
        "x^2/20 + y^2",
        "(1 - x)^2 + 100*(y - x^2)^2",
        "sin(x)*cos(y)/(2 + x^2)",
        "exp(-x^2 - y^2)*log(3 + x)",
        "x^y + 2^x",
        "atan2(y, x) + asin(x/5)",
        "-x/(1 + y^2) - (x - y)^3",
    ];
    for name in GALLERY.iter().map(|e| e.name).chain(exprs) {
        let func = Function::from_spec(name).unwrap_or_else(|e| panic!("{e}"));
        let [sx, sy] = func.derivative_sources();
        let (gx, gy) = (f(&sx), f(&sy));
        for (x, y) in [(0.3, 0.7), (1.1, -0.4), (-1.7, 1.3)] {
            let g = func.gradient(x, y);
            for (want, got) in g.into_iter().zip([gx.value(x, y), gy.value(x, y)]) {
                if want.is_finite() {
                    assert!(
                        (want - got).abs() <= 1e-12 * (1.0 + want.abs()),
                        "{name}: {want} vs {got}"
                    );
                }
            }
        }
    }
}

/// Random expressions over the whole grammar, fully parenthesised.
fn expr_strategy() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        (1u32..40).prop_map(|n| format!("{}", f64::from(n) / 8.0)),
        Just("pi".to_string()),
        Just("e".to_string()),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        let fun1 = prop::sample::select(vec![
            "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "log",
            "log10", "sqrt", "abs",
        ]);
        prop_oneof![
            (
                inner.clone(),
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/"])
            )
                .prop_map(|(a, b, op)| format!("({a}) {op} ({b})")),
            (inner.clone(), -3i32..=4).prop_map(|(a, n)| format!("({a})^{n}")),
            (
                inner.clone(),
                prop::sample::select(vec!["0.5", "1.5", "-0.5", "(y)"])
            )
                .prop_map(|(a, p)| format!("({a})^{p}")),
            (inner.clone(), fun1).prop_map(|(a, f)| format!("{f}({a})")),
            (
                inner.clone(),
                inner.clone(),
                prop::sample::select(vec!["atan2", "min", "max", "pow"])
            )
                .prop_map(|(a, b, f)| format!("{f}({a}, {b})")),
            inner.prop_map(|a| format!("-({a})")),
        ]
    })
}

/// Central difference of f along x (`dir` 0) or y with step `h`, or `None`
/// when f is undefined at a probe or rounding in f swamps the difference.
fn central(func: &Function, x: f64, y: f64, h: f64, dir: usize) -> Option<f64> {
    let (ex, ey) = if dir == 0 { (h, 0.0) } else { (0.0, h) };
    let (hi, lo) = (func.value(x + ex, y + ey), func.value(x - ex, y - ey));
    let d = (hi - lo) / (2.0 * h);
    let noise = 8.0 * f64::EPSILON * hi.abs().max(lo.abs()) / h;
    (d.is_finite() && noise <= 1e-7 * (1.0 + d.abs())).then_some(d)
}

proptest! {
    // No regression files: they would land outside this module's directory.
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn symbolic_gradient_matches_central_differences(
        expr in expr_strategy(),
        points in prop::collection::vec((-3.0f64..3.0, -3.0f64..3.0), 6),
    ) {
        let func = Function::parse(&expr).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (x, y) in points {
            let v = func.value(x, y);
            if !v.is_finite() {
                continue;
            }
            let g = func.gradient(x, y);
            for (dir, &gd) in g.iter().enumerate() {
                let h = 1e-5 * (1.0 + if dir == 0 { x.abs() } else { y.abs() });
                // Skip points near a kink, a singularity or the domain's edge
                // (the two step sizes disagree, or f is undefined nearby) and
                // singular points of the gradient itself.
                let (Some(coarse), Some(fine)) =
                    (central(&func, x, y, h, dir), central(&func, x, y, h / 2.0, dir))
                else {
                    continue;
                };
                if !gd.is_finite() || (coarse - fine).abs() > 1e-6 * (1.0 + fine.abs()) {
                    continue;
                }
                prop_assert!(
                    (gd - fine).abs() <= 1e-5 * (1.0 + gd.abs()),
                    "{expr}: d/d{} at ({x}, {y}) symbolic {gd}, numeric {fine}", ["x", "y"][dir]
                );
            }
        }
    }

    #[test]
    fn printed_derivatives_evaluate_to_the_gradient(
        expr in expr_strategy(),
        points in prop::collection::vec((-3.0f64..3.0, -3.0f64..3.0), 4),
    ) {
        let func = Function::parse(&expr).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let printed = func.derivative_sources();
        // sign() and if() (from abs, min and max) are for reading only.
        if printed.iter().any(|text| text.contains("sign(") || text.contains("if(")) {
            return Ok(());
        }
        let mut reparsed = Vec::new();
        for text in &printed {
            if text.starts_with("(longer than") {
                return Ok(());
            }
            let derivative = Function::parse(text)
                .map_err(|e| TestCaseError::fail(format!("{expr}: {text} does not parse: {e}")))?;
            reparsed.push(derivative);
        }
        for (x, y) in points {
            let gradient = func.gradient(x, y);
            for dir in 0..2 {
                let (want, got) = (gradient[dir], reparsed[dir].value(x, y));
                if want.is_finite() {
                    prop_assert!(
                        (want - got).abs() <= 1e-6 * (1.0 + want.abs()),
                        "{expr}: d/d{} = {} is {got} at ({x}, {y}), not {want}",
                        ["x", "y"][dir],
                        printed[dir]
                    );
                }
            }
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(func) = Function::from_spec(&text) {
            let _ = func.value(0.5, -0.5);
            let _ = func.derivative_sources();
        }
    }

    #[test]
    fn random_token_streams_never_panic(
        tokens in prop::collection::vec(prop::sample::select(vec![
            "x", "y", "1", "2.5", "1e-3", "0", "+", "-", "*", "/", "^", "(", ")", ",", " ",
            "sin", "atan2", "min", "log", "sqrt", "pi", "e", "foo", "**", "1e", ".", "1e39",
        ]), 0..80)
    ) {
        let text = tokens.concat();
        match Function::parse(&text) {
            Ok(func) => {
                let _ = func.gradient(0.25, 2.0);
            }
            Err(e) => {
                prop_assert!(e.column.is_none_or(|c| c <= text.chars().count()));
                let _ = e.to_string();
            }
        }
    }

    #[test]
    fn deeply_nested_input_is_an_error_not_a_crash(
        depth in 150usize..4000,
        opener in prop::sample::select(vec!["(", "sin(", "-(", "2^(", "atan2(x,"]),
    ) {
        let text = opener.repeat(depth) + "x" + &")".repeat(depth);
        let result = Function::parse(&text);
        if text.chars().count() <= parse::MAX_LEN && depth <= parse::MAX_DEPTH {
            prop_assert!(result.is_ok(), "{:?}", result.err());
        } else {
            prop_assert!(result.is_err());
        }
    }
}
