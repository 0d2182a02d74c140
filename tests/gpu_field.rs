//! The GPU field against an independent f64 evaluation on the CPU, at every node.

mod common;

use gradscape::function::Function;
use gradscape::render::field::{FieldPass, NodeLayout, POISON_BITS};
use gradscape::scene::Domain;

#[test]
fn book_function_matches_f64_at_every_node() {
    let function = Function::from_spec("book").expect("book function");
    let domain = Domain::default();
    // Sizes that are not multiples of a workgroup's 16 × 64 nodes, and the smallest grid.
    for n in [2, 15, 16, 17, 64, 100, 257] {
        let nodes = common::gpu_field(&function, &domain, n);
        assert_eq!(nodes.len(), (n * n) as usize);
        let mut worst_f = 0.0f64;
        let mut worst_gradient = 0.0f64;
        for j in 0..n {
            for i in 0..n {
                let node = nodes[(j * n + i) as usize];
                assert_ne!(
                    node[0].to_bits(),
                    POISON_BITS,
                    "node ({i}, {j}) of {n}² never written"
                );
                assert_eq!(node[3], 1.0, "node ({i}, {j}) of {n}² flagged invalid");
                let [x, y] = domain.node(i, j, n);
                let f = function.value(x, y);
                let [fx, fy] = function.gradient(x, y);
                let relative = |gpu: f32, cpu: f64, absolute_floor: f64| {
                    (f64::from(gpu) - cpu).abs() / cpu.abs().max(absolute_floor)
                };
                worst_f = worst_f.max(relative(node[0], f, 1e-6));
                // Near zero the gradient is compared absolutely (to 1e-5).
                worst_gradient = worst_gradient
                    .max(relative(node[1], fx, 1.0))
                    .max(relative(node[2], fy, 1.0));
            }
        }
        assert!(worst_f <= 1e-6, "{n}²: relative error of f {worst_f:e}");
        assert!(
            worst_gradient <= 1e-5,
            "{n}²: error of the gradient {worst_gradient:e}"
        );
    }
}

#[test]
fn the_range_reduction_finds_the_extremes() {
    let gpu = common::gpu();
    let function = Function::from_spec("book").expect("book function");
    let mut pass = FieldPass::new(gpu);
    let stats = pass
        .update(gpu, &function, &Domain::default(), 101)
        .expect("evaluation");
    assert_eq!(stats.min, 0.0);
    assert_eq!(stats.max, 105.0);
    assert_eq!(stats.invalid_nodes, 0);
    assert_eq!(stats.nodes, 101 * 101);
}

#[test]
fn an_impossible_grid_is_refused_before_touching_the_gpu() {
    let gpu = common::gpu();
    let function = Function::from_spec("book").expect("book function");
    let mut pass = FieldPass::new(gpu);
    for n in [0, 1, 100_000_000] {
        let error = pass
            .update(gpu, &function, &Domain::default(), n)
            .expect_err("must be refused");
        assert!(
            error.to_string().contains(&format!("--grid {n}")),
            "{error}"
        );
    }
}

#[test]
fn a_tiled_field_equals_the_whole_one_in_either_layout() {
    let gpu = common::gpu();
    let function = Function::from_spec("log(x) + y^2").expect("expression");
    let domain = Domain {
        x: [-1.0, 1.0],
        y: [-1.0, 1.0],
    };
    let n = 65;
    let mut whole = FieldPass::new(gpu);
    let whole_stats = whole.update(gpu, &function, &domain, n).expect("whole");
    let mut tiled = FieldPass::new(gpu);
    // 7 rows a tile: ten tiles, each sharing a row with the next.
    tiled.set_max_tile_rows(Some(7));
    tiled
        .update(gpu, &function, &domain, n)
        .expect("first evaluation");
    assert!(tiled.is_tiled());
    tiled.poison(gpu);
    let tiled_stats = tiled.update(gpu, &function, &domain, n).expect("tiled");
    assert_eq!(tiled_stats, whole_stats);
    // log x is undefined on x <= 0: 33 of 65 columns, each counted once.
    assert_eq!(tiled_stats.invalid_nodes, 33 * 65);
    let (a, b) = (
        whole.read_nodes(gpu).expect("whole"),
        tiled.read_nodes(gpu).expect("tiled"),
    );
    assert_eq!(a.len(), (n * n) as usize);
    assert_eq!(b.len(), a.len());
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_ne!(y[0].to_bits(), POISON_BITS, "node {k} never written");
        let same = x
            .iter()
            .zip(y)
            .all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()));
        assert!(same, "node {k}: {x:?} vs {y:?}");
    }
    // Drawing's layout, in the same tiles: f alone, NaN where it is undefined.
    let mut heights = FieldPass::with_layout(gpu, NodeLayout::Heights);
    heights.set_max_tile_rows(Some(7));
    heights
        .update(gpu, &function, &domain, n)
        .expect("first evaluation");
    heights.poison(gpu);
    let heights_stats = heights.update(gpu, &function, &domain, n).expect("heights");
    assert_eq!(heights_stats, whole_stats);
    let values = heights.read_heights(gpu).expect("heights");
    assert_eq!(values.len(), a.len());
    assert!(
        heights.read_nodes(gpu).is_err(),
        "a field of heights has no gradients to read"
    );
    for (k, (node, height)) in a.iter().zip(&values).enumerate() {
        assert_ne!(height.to_bits(), POISON_BITS, "node {k} never written");
        if node[3] == 1.0 {
            assert_eq!(height.to_bits(), node[0].to_bits(), "node {k}");
        } else {
            assert!(height.is_nan(), "node {k}: {height} where f is undefined");
        }
    }
}

#[test]
fn a_tiled_field_draws_the_same_figure() {
    let scene = gradscape::scene::Scene {
        grid: 96,
        runs: Vec::new(),
        ..gradscape::scene::Scene::default()
    };
    let (whole, _) = common::render(&scene, [320, 240]);
    let mut renderer = common::renderer();
    renderer.field().set_max_tile_rows(Some(10));
    let tiled = renderer
        .render_image(&scene, [320, 240])
        .expect("tiled render");
    let differing = common::count_differing(&whole, &tiled, 8);
    assert!(
        differing < 50,
        "{differing} pixels differ between the tiled and whole field"
    );
}
