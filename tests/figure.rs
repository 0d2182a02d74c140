//! Text, axes, colorbar and themes in headless renders: the same figure code the window uses.

mod common;

use gradscape::axes::{self, LabelKind};
use gradscape::render::capture::Image;
use gradscape::scene::{Layers, Scene, Theme};

/// matplotlib-like ink: dark and grey (the theme's text colour, anti-aliased).
fn is_ink(p: [u8; 4]) -> bool {
    p[0] < 110 && p[0].abs_diff(p[1]) < 12 && p[1].abs_diff(p[2]) < 12
}

fn ink_in(image: &Image, x: std::ops::Range<u32>, y: std::ops::Range<u32>) -> usize {
    y.flat_map(|y| x.clone().map(move |x| (x, y)))
        .filter(|&(x, y)| x < image.width && y < image.height && is_ink(image.pixel(x, y)))
        .count()
}

/// The book's surface in 3-D, nothing else on it.
fn surface_only() -> Scene {
    Scene {
        layers: Layers {
            surface: true,
            ..Layers::NONE
        },
        runs: Vec::new(),
        grid: 64,
        ..Scene::default()
    }
}

fn red_contours_on_the_map() -> Scene {
    common::contours_on_the_map([220, 0, 0])
}

#[test]
fn map_tick_labels_are_drawn_below_the_frame_and_vanish_without_axes() {
    let scene = red_contours_on_the_map();
    let (image, prepared) = common::render(&scene, [600, 450]);
    let [x, y, width, height] = prepared.panels[0];
    let band = y + height + 6..y + height + 20;
    let with_axes = ink_in(&image, x..x + width, band.clone());
    assert!(
        with_axes > 40,
        "only {with_axes} ink pixels in the tick-label band"
    );

    let mut bare = scene;
    bare.figure.axes = false;
    let (image, _) = common::render(&bare, [600, 450]);
    assert_eq!(ink_in(&image, 0..600, band), 0, "text without axes");
}

#[test]
fn the_3d_tick_labels_are_where_the_axes_put_them() {
    let scene = surface_only();
    let (image, prepared) = common::render(&scene, [800, 600]);
    let labels = axes::axes_3d(&scene, &prepared.geometry, prepared.values).labels;
    let [ox, oy, ..] = prepared.panels[0];
    let ticks: Vec<_> = labels
        .iter()
        .filter(|l| l.kind == LabelKind::Tick)
        .collect();
    assert!(ticks.len() >= 14, "{} tick labels", ticks.len());
    for label in ticks {
        let (cx, cy) = (ox + label.at_px.x as u32, oy + label.at_px.y as u32);
        let found = ink_in(
            &image,
            cx.saturating_sub(8)..cx + 8,
            cy.saturating_sub(6)..cy + 6,
        );
        assert!(
            found > 3,
            "no text at the tick label {:?} ({cx}, {cy})",
            label.text
        );
    }
}

#[test]
fn the_colorbar_runs_through_the_colormap() {
    let scene = surface_only();
    let (image, prepared) = common::render(&scene, [800, 600]);
    let bar = prepared.colorbar.expect("a colorbar");
    let x = bar.center().x as u32;
    let at = |t: f32| image.pixel(x, (bar.max.y - t * bar.height()) as u32);
    // bwr: blue at the bottom, white in the middle, red at the top.
    let (low, middle, high) = (at(0.02), at(0.5), at(0.98));
    assert!(low[2] > 200 && low[0] < 40, "{low:?}");
    assert!(middle.iter().take(3).all(|&c| c > 220), "{middle:?}");
    assert!(high[0] > 200 && high[2] < 40, "{high:?}");
}

#[test]
fn long_colorbar_labels_fit_in_the_figure() {
    // A narrow range far from zero: labels as long as 1.0000004×10⁵.
    let scene = Scene {
        function: "100000 + 0.001*x".to_owned(),
        ..surface_only()
    };
    let (image, prepared) = common::render(&scene, [800, 600]);
    let bar = prepared.colorbar.expect("a colorbar");
    let rows = bar.min.y as u32..bar.max.y as u32;
    assert!(
        ink_in(&image, bar.max.x as u32 + 8..790, rows.clone()) > 200,
        "no labels"
    );
    assert_eq!(
        ink_in(&image, 790..800, rows),
        0,
        "labels run off the right edge"
    );
}

#[test]
fn a_2x_render_is_the_same_figure_twice_as_sharp() {
    let mut scene = red_contours_on_the_map();
    scene.figure.title = "Contours".to_owned();
    let (small, _) = common::render(&scene, [400, 300]);
    let (large, _) = common::render(&scene, [800, 600]);
    // Average 2×2 blocks of the large image and compare with the small one.
    let mut total = 0u64;
    for y in 0..300 {
        for x in 0..400 {
            let block: [u32; 3] = std::array::from_fn(|c| {
                (0..4)
                    .map(|k| u32::from(large.pixel(2 * x + k % 2, 2 * y + k / 2)[c]))
                    .sum::<u32>()
                    / 4
            });
            let p = small.pixel(x, y);
            total += (0..3)
                .map(|c| u64::from(block[c].abs_diff(u32::from(p[c]))))
                .sum::<u64>();
        }
    }
    let mean = total as f64 / (400.0 * 300.0 * 3.0);
    assert!(
        mean < 4.0,
        "the 2× figure differs from the 1× one by {mean:.2} levels on average"
    );
}

#[test]
fn themes_and_transparency_set_the_background() {
    let mut scene = red_contours_on_the_map();
    scene.contours.width = 6.0;
    scene.figure.theme = Theme::Dark;
    let (image, _) = common::render(&scene, [300, 200]);
    assert_eq!(image.pixel(2, 2), [0x1e, 0x1f, 0x22, 255]);
    scene.figure.transparent = true;
    let (image, _) = common::render(&scene, [300, 200]);
    assert_eq!(image.pixel(2, 2)[3], 0, "transparent background");
    // Opaque where the figure draws: the red contour lines keep their colour.
    assert!(
        image
            .rgba
            .chunks_exact(4)
            .any(|p| p[3] == 255 && p[0] > 200 && p[1] < 30)
    );
}
