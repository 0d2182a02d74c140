//! Optimizer paths drawn over the map and the surface, probed where the geometry is known.

mod common;

use glam::DVec3;
use gradscape::optim::RunSpec;
use gradscape::render::overlay::run_color;
use gradscape::scene::{Layers, Scene, ViewKind};

const SIZE: [u32; 2] = [480, 360];

fn one_run_scene(view: ViewKind, layers: Layers) -> Scene {
    Scene {
        view,
        layers,
        grid: 128,
        runs: vec!["sgd:lr=0.95".parse::<RunSpec>().expect("spec")],
        ..Scene::default()
    }
}

fn near(pixel: [u8; 4], color: [u8; 3], tolerance: u8) -> bool {
    (0..3).all(|c| pixel[c].abs_diff(color[c]) <= tolerance)
}

#[test]
fn path_points_are_drawn_where_the_map_projects_them() {
    let layers = Layers {
        paths: true,
        ..Layers::NONE
    };
    let scene = one_run_scene(ViewKind::Map, layers);
    let (image, prepared) = common::render(&scene, SIZE);
    let path = &prepared.paths[0].path;
    assert_eq!(path.points.len(), 30);
    let pixels: Vec<glam::DVec2> = path
        .points
        .iter()
        .map(|&[x, y, f]| {
            prepared
                .image_pixel_of(0, DVec3::new(x, y, f))
                .expect("on the map")
        })
        .collect();
    for (i, (&[x, y, _], &at)) in path.points.iter().zip(&pixels).enumerate() {
        // Near the minimum the points crowd: a later marker's white halo covers an earlier
        // one. Those are checked only where no later marker lies within its reach.
        if pixels[i + 1..].iter().any(|later| later.distance(at) < 6.0) {
            continue;
        }
        let pixel = image.pixel(at.x as u32, at.y as u32);
        assert!(
            near(pixel, run_color(0), 12),
            "point ({x}, {y}) at {at}: {pixel:?}"
        );
    }
    // Between the zigzag's first two points, off the line, the map is blank.
    let a = prepared
        .image_pixel_of(0, DVec3::new(-7.0, 2.0, 0.0))
        .expect("map");
    assert_eq!(
        image.pixel(a.x as u32 + 40, a.y as u32),
        [255, 255, 255, 255]
    );
}

#[test]
fn a_path_behind_a_hill_is_hidden_in_3d() {
    // matplotlib's default view looks over the valley's near wall: the start (−7, 2) on the
    // valley floor (a marker) and the middle of the first step (a line, no marker) are behind
    // it. From above (pitch 70) both are in plain sight.
    let start = DVec3::new(-7.0, 2.0, 6.45);
    let mut scene = one_run_scene(ViewKind::ThreeD, Layers::default());
    let probes = |scene: &Scene| {
        let (image, prepared) = common::render(scene, SIZE);
        let &[x, y, f] = &prepared.paths[0].path.points[1];
        let middle = (start + DVec3::new(x, y, f)) * 0.5;
        // Whether the run's colour shows within two pixels (a thin line's edges blend).
        [start, middle].map(|p| {
            let at = prepared
                .image_pixel_of(0, p)
                .expect("in front of the camera");
            let (cx, cy) = (at.x.round() as i64, at.y.round() as i64);
            (-2..=2).any(|dy| {
                (-2..=2).any(|dx| {
                    let pixel = image.pixel((cx + dx) as u32, (cy + dy) as u32);
                    near(pixel, run_color(0), 40)
                })
            })
        })
    };
    assert_eq!(
        probes(&scene),
        [false, false],
        "path visible through the wall"
    );
    scene.camera.pitch_deg = 70.0;
    assert_eq!(probes(&scene), [true, true], "path hidden from above");
}

#[test]
fn per_run_panels_show_one_run_each() {
    let scene = Scene {
        view: ViewKind::Map,
        panels: gradscape::scene::Panels::PerRun,
        layers: Layers {
            paths: true,
            ..Layers::NONE
        },
        grid: 64,
        ..Scene::default()
    };
    let (image, prepared) = common::render(&scene, SIZE);
    assert_eq!(prepared.panels.len(), 4);
    for (index, run) in prepared.paths.iter().enumerate() {
        // The last point of each run, inside its own panel, in its own colour.
        let &[x, y, f] = run.path.points.last().expect("points");
        let at = prepared
            .image_pixel_of(index, DVec3::new(x, y, f))
            .expect("map");
        let pixel = image.pixel(at.x as u32, at.y as u32);
        assert!(near(pixel, run_color(index), 12), "run {index}: {pixel:?}");
    }
}

#[test]
fn a_minimum_in_a_curved_valley_is_marked() {
    // Rosenbrock's minimum lies on the floor of a curved valley, which the coarse mesh's
    // chords cut across: seen from above, its + must still stand clear of the surface.
    let mut scene = Scene::default();
    scene.set_function("rosenbrock").expect("gallery");
    scene.layers = Layers {
        surface: true,
        paths: true,
        ..Layers::NONE
    };
    scene.runs = vec!["sgd:lr=0.0001".parse::<RunSpec>().expect("spec")];
    scene.runs[0].steps = 1;
    scene.camera.pitch_deg = 80.0;
    let (image, prepared) = common::render(&scene, SIZE);
    let at = prepared
        .image_pixel_of(0, DVec3::new(1.0, 1.0, 0.0))
        .expect("in view");
    let pixel = image.pixel(at.x.round() as u32, at.y.round() as u32);
    assert!(near(pixel, [0, 0, 0], 40), "{pixel:?} at {at}");
}

#[test]
fn a_diverging_path_is_clipped_to_the_3d_box() {
    // y ← y − 2.5·2y = −4y: the run leaves the box within a few steps.
    let mut scene = one_run_scene(
        ViewKind::ThreeD,
        Layers {
            paths: true,
            ..Layers::NONE
        },
    );
    scene.runs = vec!["sgd:lr=2.5".parse::<RunSpec>().expect("spec")];
    // The legend shows the run's colour too.
    scene.figure.legend = false;
    let (image, prepared) = common::render(&scene, SIZE);
    let values = prepared.values;
    let corners: Vec<glam::DVec2> = [scene.domain.x[0], scene.domain.x[1]]
        .into_iter()
        .flat_map(|x| [scene.domain.y[0], scene.domain.y[1]].map(|y| (x, y)))
        .flat_map(|(x, y)| [values.min, values.max].map(|f| DVec3::new(x, y, f)))
        .map(|corner| prepared.image_pixel_of(0, corner).expect("in view"))
        .collect();
    let low = corners.iter().fold(corners[0], |a, &b| a.min(b)) - 8.0;
    let high = corners.iter().fold(corners[0], |a, &b| a.max(b)) + 8.0;
    let mut inside = 0;
    for y in 0..SIZE[1] {
        for x in 0..SIZE[0] {
            if !near(image.pixel(x, y), run_color(0), 40) {
                continue;
            }
            let at = glam::DVec2::new(f64::from(x), f64::from(y));
            assert!(
                at.cmpge(low).all() && at.cmple(high).all(),
                "path colour at {at}, outside the box's {low}..{high}"
            );
            inside += 1;
        }
    }
    assert!(
        inside > 50,
        "the path inside the box is drawn ({inside} pixels)"
    );
}
