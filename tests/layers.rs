//! Contours, arrows and presets, probed where the geometry of f = x²/20 + y² is known.

mod common;

use glam::{DVec2, DVec3};
use gradscape::presets::{self, PRESETS};
use gradscape::render::capture::Image;
use gradscape::render::overlay;
use gradscape::scene::{Layers, Scene, ViewKind};

const SIZE: [u32; 2] = [600, 600];
const WHITE: [u8; 4] = [255, 255, 255, 255];

fn contour_scene() -> Scene {
    let mut scene = common::contours_on_the_map([0, 0, 0]);
    scene.contours.levels = "1,4,9".parse().expect("levels");
    scene.contours.width = 2.0;
    scene
}

/// The darkest pixel within `radius` of `at`: a 2-point line need not cover the exact pixel
/// centre a probe lands on.
fn darkest_near(image: &Image, at: DVec2, radius: i64) -> u8 {
    let mut darkest = 255;
    for dy in -radius..=radius {
        for dx in -radius..=radius {
            let (x, y) = (at.x as i64 + dx, at.y as i64 + dy);
            if (0..image.width as i64).contains(&x) && (0..image.height as i64).contains(&y) {
                let p = image.pixel(x as u32, y as u32);
                darkest = darkest.min(p[0]).min(p[1]).min(p[2]);
            }
        }
    }
    darkest
}

#[test]
fn contour_levels_pass_where_the_algebra_says() {
    let (image, prepared) = common::render(&contour_scene(), SIZE);
    let pixel_of = |x: f64, y: f64| {
        prepared
            .image_pixel_of(0, DVec3::new(x, y, 0.0))
            .expect("map")
    };
    for c in [1.0f64, 4.0, 9.0] {
        // x²/20 + y² = c at (±√(20c), 0) and (0, ±√c).
        let (a, b) = ((20.0 * c).sqrt(), c.sqrt());
        // (±√180, 0) lies outside the domain [−10, 10]².
        for (x, y) in [(a, 0.0), (-a, 0.0), (0.0, b), (0.0, -b)]
            .into_iter()
            .filter(|(x, _)| x.abs() < 10.0)
        {
            let darkest = darkest_near(&image, pixel_of(x, y), 1);
            assert!(
                darkest < 80,
                "level {c} at ({x:.3}, {y:.3}): darkest {darkest}"
            );
        }
    }
    // Midway (in f) between neighbouring levels there is no line.
    for c in [2.5f64, 4.5] {
        for (x, y) in [((20.0 * c).sqrt(), 0.0), (0.0, c.sqrt())] {
            let at = pixel_of(x, y);
            assert_eq!(
                image.pixel(at.x as u32, at.y as u32),
                WHITE,
                "between levels at f = {c}"
            );
        }
    }
    assert_eq!(image.pixel(300, 300), WHITE, "inside the smallest level");
}

#[test]
fn a_level_at_the_lowest_value_draws_no_blot_and_no_flood() {
    // On an odd grid the minimum of x²/20 + y², 0, is a node: level 0 meets f only there.
    let mut scene = contour_scene();
    scene.grid = 65;
    scene.contours.levels = "0,1,4".parse().expect("levels");
    let (image, prepared) = common::render(&scene, SIZE);
    assert_eq!(prepared.stats.min, 0.0, "the minimum is a node");
    let minimum = prepared
        .image_pixel_of(0, DVec3::ZERO)
        .expect("the minimum is on the map");
    assert_eq!(
        darkest_near(&image, minimum, 3),
        255,
        "a blot at the minimum"
    );
    let level_one = prepared
        .image_pixel_of(0, DVec3::new(0.0, 1.0, 0.0))
        .expect("on the map");
    assert!(darkest_near(&image, level_one, 1) < 80, "level 1 is drawn");

    // A plateau at the lowest level (a hinge, max(0, x)) stays clear instead of filling
    // with the line's colour; the levels above it are drawn.
    scene.function = "max(0, x) + 0*y".into();
    let (image, prepared) = common::render(&scene, SIZE);
    let pixel_of = |x: f64| {
        prepared
            .image_pixel_of(0, DVec3::new(x, 0.0, 0.0))
            .expect("on the map")
    };
    assert_eq!(
        darkest_near(&image, pixel_of(-5.0), 3),
        255,
        "the plateau is flooded"
    );
    for level in [1.0, 4.0] {
        assert!(
            darkest_near(&image, pixel_of(level), 1) < 80,
            "level {level}"
        );
    }
}

#[test]
fn contour_lines_keep_their_width_when_zoomed_in() {
    let mut scene = contour_scene();
    scene.map.zoom = 8.0;
    scene.map.center = Some([20f64.sqrt(), 0.0]);
    let (image, prepared) = common::render(&scene, SIZE);
    let at = prepared
        .image_pixel_of(0, DVec3::new(20f64.sqrt(), 0.0, 0.0))
        .expect("map");
    // Walk across the line horizontally and count the dark pixels: the width in pixels, not
    // in data units, so about 2 points (the line is ~2–4 px wide at this size).
    let row = at.y as u32;
    // Inside the plot, away from the axes' frame.
    let [left, _, width, _] = prepared.panels[0];
    let dark = (left + 3..left + width - 3)
        .filter(|&x| image.pixel(x, row)[0] < 128)
        .count();
    assert!(
        (1..=5).contains(&dark),
        "{dark} dark pixels across a 2-point line at 8× zoom"
    );
}

#[test]
fn contour_lines_denser_than_pixels_blend_into_a_flat_tone() {
    // 100 levels, 1 apart: along x = 0 (f = y²) they crowd to about a pixel apart near y = ±9,
    // where a line per level would alias into moiré rings.
    let mut scene = contour_scene();
    scene.contours.levels = "0:100:1".parse().expect("levels");
    scene.contours.width = 1.0;
    let (image, prepared) = common::render(&scene, SIZE);
    let row_of = |y: f64| {
        prepared
            .image_pixel_of(0, DVec3::new(0.0, y, 0.0))
            .expect("map")
    };
    let column = row_of(0.0).x as u32;
    let (top, bottom) = (row_of(9.5).y as u32, row_of(7.5).y as u32);
    let tones: Vec<i32> = (top..=bottom)
        .map(|y| i32::from(image.pixel(column, y)[0]))
        .collect();
    let steepest = tones.windows(2).map(|w| (w[1] - w[0]).abs()).max();
    assert!(
        steepest.is_some_and(|s| s <= 24),
        "neighbouring pixels differ by {steepest:?} in the dense band: {tones:?}"
    );
    // A tone, not the background: the lines still darken the band.
    assert!(
        tones.iter().all(|&t| (60..220).contains(&t)),
        "the dense band's tones: {tones:?}"
    );
}

#[test]
fn arrows_point_down_the_gradient_and_skip_the_minimum() {
    let function = gradscape::function::Function::from_spec("book").expect("book");
    let mut scene = Scene::default();
    // An odd lattice puts a cell centre exactly on the minimum.
    scene.arrows.lattice = 21;
    let arrows = overlay::arrows(&scene, &function);
    assert_eq!(arrows.len(), 21 * 21 - 1, "every cell but the minimum's");
    for arrow in &arrows {
        let (x, y) = (f64::from(arrow.base[0]), f64::from(arrow.base[1]));
        assert!(x != 0.0 || y != 0.0, "an arrow at the minimum");
        let [gx, gy] = function.gradient(x, y);
        let (dx, dy) = (
            f64::from(arrow.tip[0] - arrow.base[0]),
            f64::from(arrow.tip[1] - arrow.base[1]),
        );
        let cross = dx * gy - dy * gx;
        let dot = dx * gx + dy * gy;
        let length = dx.hypot(dy) * gx.hypot(gy);
        assert!(
            dot < 0.0 && cross.abs() < 1e-5 * length,
            "({x}, {y}) not along −∇f"
        );
        assert!(arrow.base.iter().chain(&arrow.tip).all(|v| v.is_finite()));
    }
    // matplotlib's autoscale: the longest arrow is one cell (20/21) long.
    let longest = arrows
        .iter()
        .map(|a| f64::from(a.tip[0] - a.base[0]).hypot(f64::from(a.tip[1] - a.base[1])))
        .fold(0.0, f64::max);
    assert!((longest - 20.0 / 21.0).abs() < 1e-5, "{longest}");
}

#[test]
fn a_large_arrow_is_drawn_where_it_points() {
    let mut scene = Scene {
        view: ViewKind::Map,
        layers: Layers {
            arrows: true,
            ..Layers::NONE
        },
        runs: Vec::new(),
        grid: 64,
        ..Scene::default()
    };
    scene.arrows.lattice = 4;
    let (image, prepared) = common::render(&scene, SIZE);
    // The cell centred at (−7.5, 7.5): −∇f = (0.75, −15), scaled to the longest (one cell,
    // 5 long) it points almost straight down. Probe a quarter of the way along the shaft.
    let function = gradscape::function::Function::from_spec("book").expect("book");
    let arrows = overlay::arrows(&scene, &function);
    let arrow = arrows
        .iter()
        .find(|a| (a.base[0] + 7.5).abs() < 1e-6 && (a.base[1] - 7.5).abs() < 1e-6)
        .expect("the arrow at (−7.5, 7.5)");
    let along = |t: f64| {
        let p = DVec3::new(
            f64::from(arrow.base[0] + (arrow.tip[0] - arrow.base[0]) * t as f32),
            f64::from(arrow.base[1] + (arrow.tip[1] - arrow.base[1]) * t as f32),
            0.0,
        );
        prepared.image_pixel_of(0, p).expect("map")
    };
    assert!(darkest_near(&image, along(0.25), 1) < 150, "no shaft");
    let beside = along(0.25) + DVec2::new(25.0, 0.0);
    assert_eq!(image.pixel(beside.x as u32, beside.y as u32), WHITE);
}

#[test]
fn every_preset_renders_and_differs_from_the_others() {
    let mut images: Vec<(&str, Image)> = Vec::new();
    for preset in PRESETS {
        let mut scene = Scene::default();
        presets::apply(preset.name, &mut scene).expect("preset");
        scene.grid = 96;
        let (image, _) = common::render(&scene, [240, 180]);
        assert!(
            image.rgba.chunks_exact(4).any(|p| p != WHITE),
            "{} is blank",
            preset.name
        );
        for (other, seen) in &images {
            assert_ne!(&image, seen, "{} looks like {other}", preset.name);
        }
        images.push((preset.name, image));
    }
}
