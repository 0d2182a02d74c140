//! Every gallery function and random expressions: the GPU field against the f64 evaluator,
//! validity flags, minima, and headless renders.

mod common;

use gradscape::function::{Function, GALLERY};
use gradscape::scene::{Domain, Scene};

/// Worst error of GPU against CPU over the nodes where both are defined, relative to a scale:
/// |f| but at least 1e-3 of the field's range (f32 sums lose digits near zero crossings), and
/// for the gradient the largest |∇f| on the grid. Returns (f error, gradient error, nodes whose
/// validity differs although every step of f stays within f32's range there, nodes where some
/// step does not).
fn compare(function: &Function, domain: &Domain, n: u32) -> (f64, f64, usize, usize) {
    let nodes = common::gpu_field(function, domain, n);
    let (mut cpu, mut in_range) = (Vec::new(), Vec::new());
    for j in 0..n {
        for i in 0..n {
            let [x, y] = domain.node(i, j, n);
            cpu.push((function.value(x, y), function.gradient(x, y)));
            in_range.push(function.within_f32_range(x, y));
        }
    }
    let finite: Vec<&(f64, [f64; 2])> = cpu
        .iter()
        .filter(|(f, g)| f.is_finite() && f.abs() < 1e30 && g.iter().all(|v| v.abs() < 1e30))
        .collect();
    let range = finite
        .iter()
        .map(|(f, _)| *f)
        .fold(f64::NEG_INFINITY, f64::max)
        - finite.iter().map(|(f, _)| *f).fold(f64::INFINITY, f64::min);
    let gradient_scale = finite
        .iter()
        .map(|(_, g)| g[0].hypot(g[1]))
        .fold(1e-30, f64::max);
    let (mut worst_f, mut worst_gradient, mut disagreements) = (0.0f64, 0.0f64, 0);
    for ((node, (f, g)), &in_range) in nodes.iter().zip(&cpu).zip(&in_range) {
        let cpu_valid = f.is_finite() && f.abs() < 1e30;
        let gpu_valid = node[3] > 0.5;
        if cpu_valid != gpu_valid {
            disagreements += usize::from(in_range);
            continue;
        }
        if !cpu_valid || !g.iter().all(|v| v.abs() < 1e30) {
            continue;
        }
        let f_scale = f.abs().max(1e-3 * range).max(1e-30);
        worst_f = worst_f.max((f64::from(node[0]) - f).abs() / f_scale);
        worst_gradient = worst_gradient
            .max((f64::from(node[1]) - g[0]).abs() / gradient_scale)
            .max((f64::from(node[2]) - g[1]).abs() / gradient_scale);
    }
    let out_of_range = in_range.iter().filter(|&&fits| !fits).count();
    (worst_f, worst_gradient, disagreements, out_of_range)
}

#[test]
fn every_gallery_function_matches_the_f64_evaluator() {
    for entry in GALLERY {
        let function = Function::from_spec(entry.name).expect("gallery entry");
        let domain = Domain {
            x: entry.x,
            y: entry.y,
        };
        let (f_error, gradient_error, disagreements, out_of_range) =
            compare(&function, &domain, 97);
        assert_eq!(out_of_range, 0, "{}: f32 cannot hold f's steps", entry.name);
        eprintln!("{:16} f {f_error:.1e}  ∇f {gradient_error:.1e}", entry.name);
        // f32 rounding of the node position and of each operation, and WGSL's accuracy of
        // sin, cos and exp, bound these well below the tolerance.
        assert!(f_error < 2e-4, "{}: f error {f_error:e}", entry.name);
        assert!(
            gradient_error < 2e-4,
            "{}: gradient error {gradient_error:e}",
            entry.name
        );
        assert_eq!(disagreements, 0, "{}: validity differs", entry.name);
    }
}

/// A small deterministic generator (xorshift) of expressions over the whole grammar.
struct Expressions(u64);

impl Expressions {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn expression(&mut self, depth: u32) -> String {
        if depth == 0 || self.next().is_multiple_of(4) {
            let leaf = self.pick(&["x", "y", "0.5", "2", "pi", "e", "1.5"]);
            return leaf.to_owned();
        }
        let a = self.expression(depth - 1);
        let b = self.expression(depth - 1);
        match self.next() % 5 {
            0 => format!("({a} {} {b})", self.pick(&["+", "-", "*", "/"])),
            1 => format!("({a})^{}", self.pick(&["2", "3", "-1", "0.5"])),
            2 => {
                let f = self.pick(&[
                    "sin", "cos", "tan", "atan", "sinh", "tanh", "exp", "log", "log10", "sqrt",
                    "abs", "asin", "acos", "cosh",
                ]);
                format!("{f}({a})")
            }
            3 => format!("{}({a}, {b})", self.pick(&["atan2", "min", "max", "pow"])),
            _ => format!("-({a})"),
        }
    }
}

#[test]
fn random_expressions_match_the_f64_evaluator() {
    let mut generator = Expressions(0x9e37_79b9_7f4a_7c15);
    let domain = Domain {
        x: [-2.0, 2.0],
        y: [-2.0, 2.0],
    };
    let (mut checked, mut excluded) = (0, 0);
    while checked < 40 {
        let text = generator.expression(4);
        // Every generated expression is well formed: a refusal is a parser bug.
        let function = Function::parse(&text).unwrap_or_else(|e| panic!("{text} was refused: {e}"));
        let (f_error, gradient_error, disagreements, out_of_range) =
            compare(&function, &domain, 33);
        excluded += out_of_range;
        assert_eq!(
            disagreements, 0,
            "{text}: validity differs at {disagreements} nodes where f32 holds every step"
        );
        assert!(f_error < 1e-3, "{text}: f error {f_error:e}");
        assert!(
            gradient_error < 1e-3,
            "{text}: gradient error {gradient_error:e}"
        );
        checked += 1;
    }
    // The exclusion must leave the check its teeth: most nodes are held to it.
    let nodes = checked * 33 * 33;
    eprintln!("{excluded} of {nodes} nodes leave f32's range in some step");
    assert!(
        excluded * 10 < nodes,
        "{excluded} of {nodes} nodes excluded"
    );
}

#[test]
fn listed_minima_are_where_the_field_is_lowest() {
    for entry in GALLERY.iter().filter(|e| !e.minima.is_empty()) {
        let function = Function::from_spec(entry.name).expect("gallery entry");
        let domain = Domain {
            x: entry.x,
            y: entry.y,
        };
        let n = 257;
        let nodes = common::gpu_field(&function, &domain, n);
        let (lowest, _) = nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| node[3] > 0.5)
            .min_by(|a, b| a.1[0].total_cmp(&b.1[0]))
            .expect("a valid node");
        let [x, y] = domain.node(lowest as u32 % n, lowest as u32 / n, n);
        let cell = (domain.x[1] - domain.x[0]).max(domain.y[1] - domain.y[0]) / f64::from(n - 1);
        let nearest = entry
            .minima
            .iter()
            .map(|m| (m[0] - x).hypot(m[1] - y))
            .fold(f64::INFINITY, f64::min);
        assert!(
            nearest < 3.0 * cell,
            "{}: lowest node ({x}, {y}) is {nearest} from the listed minima",
            entry.name
        );
    }
}

#[test]
fn every_gallery_function_renders_headless() {
    for entry in GALLERY {
        let mut scene = Scene {
            grid: 64,
            ..Scene::default()
        };
        scene.set_function(entry.name).expect("gallery entry");
        let (image, prepared) = common::render(&scene, [160, 120]);
        assert_eq!(prepared.stats.invalid_nodes, 0, "{}", entry.name);
        assert!(
            image
                .rgba
                .chunks_exact(4)
                .any(|p| p != [255, 255, 255, 255]),
            "{} rendered blank",
            entry.name
        );
    }
}

#[test]
fn undefined_regions_become_holes_and_are_counted() {
    // log(x) is undefined for x <= 0: the left half of [-1, 1]² and the column x = 0.
    let mut scene = Scene {
        grid: 65,
        view: gradscape::scene::ViewKind::Map,
        runs: Vec::new(),
        ..Scene::default()
    };
    scene.set_function("log(x) + y^2").expect("expression");
    scene.domain = Domain {
        x: [-1.0, 1.0],
        y: [-1.0, 1.0],
    };
    let (image, prepared) = common::render(&scene, [200, 200]);
    let fraction = prepared.stats.invalid_fraction();
    assert!((fraction - 33.0 / 65.0).abs() < 1e-9, "{fraction}");
    // The value range ignores the hole (log x → −∞ near 0 is still finite on the nodes).
    assert!(prepared.values.min.is_finite() && prepared.values.max.is_finite());
    let left = prepared
        .image_pixel_of(0, glam::DVec3::new(-0.5, 0.0, 0.0))
        .expect("map");
    let right = prepared
        .image_pixel_of(0, glam::DVec3::new(0.5, 0.0, 0.0))
        .expect("map");
    assert_eq!(
        image.pixel(left.x as u32, left.y as u32),
        [255, 255, 255, 255],
        "hole"
    );
    assert_ne!(
        image.pixel(right.x as u32, right.y as u32),
        [255, 255, 255, 255]
    );
}
