//! What the lines pass draws for a Scene, built on the CPU in f64 from the function itself:
//! the optimizer paths (the book's red `o-`, one colour per run, a ring at the start), a `+` at
//! each known minimum, the gradient arrow field and scatter points. Positions are in data
//! space (x, y, f), so in 3-D they lie on the surface.

use crate::colormap::Colormap;
use crate::function::{Function, ValueScale};
use crate::render::lines::{Arrow, Group, LineBatch, Marker, Shape};
use crate::scene::{ArrowDirection, ArrowScaling, RunPath, Scene};
use crate::view::ValueRange;

/// Path colours in run order (matplotlib's tab10, red first as in the book's `-ro`).
pub const RUN_COLORS: [[u8; 3]; 8] = [
    [0xd6, 0x27, 0x28],
    [0x1f, 0x77, 0xb4],
    [0x2c, 0xa0, 0x2c],
    [0xff, 0x7f, 0x0e],
    [0x94, 0x67, 0xbd],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
    [0x17, 0xbe, 0xcf],
];

const PATH_WIDTH_PT: f32 = 1.75;
const POINT_SIZE_PT: f32 = 5.5;
const START_SIZE_PT: f32 = 12.0;
const MINIMUM_SIZE_PT: f32 = 14.0;
const SCATTER_SIZE_PT: f32 = 3.0;
/// The book marks every point (`o-`); past this many a path is marked every few points.
const MAX_MARKERS_PER_PATH: usize = 200;
const SCATTER_OVER_SURFACE: [u8; 3] = [0x22, 0x22, 0x22];
/// White around paths and markers, so they stay visible on any colormap.
const HALO_PT: f32 = 0.9;
/// Arrow shaft width, head length and head width in points; no reach past the ends.
const ARROW_STYLE_PT: [f32; 4] = [1.3, 5.5, 5.0, 0.0];
/// White around normalized arrows over a colour fill: thinner than the paths' halo, as arrows
/// are many and thin.
const ARROW_HALO_PT: f32 = 0.5;
/// Normalized arrows fill this much of their lattice cell.
const NORMALIZED_LENGTH: f64 = 0.8;

/// An sRGB colour as linear RGBA for the GPU (the targets are sRGB).
pub fn linear_rgba(srgb: [u8; 3], alpha: f32) -> [f32; 4] {
    let [r, g, b] = srgb.map(crate::colormap::srgb_to_linear);
    [r, g, b, alpha]
}

pub fn run_color(index: usize) -> [u8; 3] {
    RUN_COLORS[index % RUN_COLORS.len()]
}

/// The lines pass's input for a scene, with a group per run and one for what every panel shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlay {
    pub batch: LineBatch,
    /// Drawn in every panel under the paths: arrows, scatter points.
    pub common: Group,
    /// One per run, in run order.
    pub runs: Vec<Group>,
    /// Drawn in every panel under the paths: the known minima (with the paths), where the
    /// paths should go.
    pub minima: Group,
}

/// What besides the Scene the overlay is built from.
pub struct OverlayInputs<'a> {
    pub function: &'a Function,
    pub paths: &'a [RunPath],
    pub values: ValueRange,
}

fn point(p: [f64; 3]) -> [f32; 3] {
    [p[0] as f32, p[1] as f32, p[2] as f32]
}

fn value_color(colormap: Colormap, values: ValueRange, scale: ValueScale, f: f64) -> [f32; 4] {
    ink(linear_rgba(colormap.sample(values.unit(f, scale)), 1.0))
}

/// A colormap colour for a glyph on a white figure: light colours (bwr's white middle) are
/// darkened until they show, dark and saturated ones are left as they are.
fn ink([r, g, b, a]: [f32; 4]) -> [f32; 4] {
    let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let keep = 1.0 - 0.5 * luminance * luminance;
    [r * keep, g * keep, b * keep, a]
}

/// The −∇f (or +∇f) field on a lattice of cell centres, independent of the grid. Where the
/// gradient vanishes or f is undefined there is no arrow.
pub fn arrows(scene: &Scene, function: &Function) -> Vec<Arrow> {
    let style = &scene.arrows;
    // `lattice` arrows across the longer side, square cells.
    let extent = [
        scene.domain.x[1] - scene.domain.x[0],
        scene.domain.y[1] - scene.domain.y[0],
    ];
    let cell_size = extent[0].max(extent[1]) / f64::from(style.lattice.clamp(1, 500));
    let counts = extent.map(|e| ((e / cell_size).round() as u32).max(1));
    let cell = [
        extent[0] / f64::from(counts[0]),
        extent[1] / f64::from(counts[1]),
    ];
    let sign = match style.direction {
        ArrowDirection::Descent => -1.0,
        ArrowDirection::Ascent => 1.0,
    };
    let samples: Vec<([f64; 3], [f64; 2], f64)> = (0..counts[0] * counts[1])
        .filter_map(|k| {
            let x = scene.domain.x[0] + (f64::from(k % counts[0]) + 0.5) * cell[0];
            let y = scene.domain.y[0] + (f64::from(k / counts[0]) + 0.5) * cell[1];
            let f = function.value(x, y);
            let [gx, gy] = function.gradient(x, y);
            let norm = gx.hypot(gy);
            (f.is_finite() && norm.is_finite() && norm > 0.0).then_some(([x, y, f], [gx, gy], norm))
        })
        .collect();
    let longest = samples.iter().map(|s| s.2).fold(0.0, f64::max);
    // Coloured by |∇f|, normalized arrows sink into a colour fill that uses the same colormap
    // for f (blue arrows on the blue valley): over one, each gets a white halo underneath, as
    // the paths do.
    let halo = style.scaling == ArrowScaling::Normalized && scene.colour_fill();
    samples
        .into_iter()
        .flat_map(|([x, y, f], [gx, gy], norm)| {
            let (scale, color) = match style.scaling {
                // matplotlib's autoscale: the longest arrow is one cell long.
                ArrowScaling::Scaled => (cell_size / longest, linear_rgba(style.color, 1.0)),
                ArrowScaling::Normalized => (
                    NORMALIZED_LENGTH * cell_size / norm,
                    ink(linear_rgba(scene.colormap.sample(norm / longest), 1.0)),
                ),
            };
            let [dx, dy] = [sign * gx * scale, sign * gy * scale];
            // The tip on the tangent plane, so that in 3-D the arrow lies along the surface.
            let tip = [x + dx, y + dy, f + gx * dx + gy * dy];
            let arrow = Arrow {
                base: point([x, y, f]),
                tip: point(tip),
                color,
                style: ARROW_STYLE_PT,
            };
            let [shaft, head_length, head_width, _] = ARROW_STYLE_PT;
            let halo = halo.then_some(Arrow {
                color: [1.0; 4],
                style: [
                    shaft + 2.0 * ARROW_HALO_PT,
                    head_length + 2.0 * ARROW_HALO_PT,
                    head_width + 4.0 * ARROW_HALO_PT,
                    ARROW_HALO_PT,
                ],
                ..arrow
            });
            halo.into_iter().chain([arrow])
        })
        .collect()
}

/// matplotlib's scatter3D of the grid: points on an S×S sub-lattice of the closed domain,
/// coloured by value, or dark over the surface, which already shows the value.
fn scatter(scene: &Scene, function: &Function, values: ValueRange) -> Vec<Marker> {
    let n = scene.mesh.scatter_points.clamp(2, 1000);
    (0..n * n)
        .filter_map(|k| {
            let [x, y] = scene.domain.node(k % n, k / n, n);
            let f = function.value(x, y);
            f.is_finite().then(|| {
                let color = if scene.colour_fill() {
                    linear_rgba(SCATTER_OVER_SURFACE, 1.0)
                } else {
                    value_color(scene.colormap, values, scene.value_scale, f)
                };
                Marker::new(point([x, y, f]), color, SCATTER_SIZE_PT, 0.0, Shape::Disc)
            })
        })
        .collect()
}

pub fn build(scene: &Scene, inputs: &OverlayInputs) -> Overlay {
    let function = inputs.function;
    let mut batch = LineBatch::default();
    let common = batch.begin_group();
    if scene.layers.arrows {
        batch.arrows = arrows(scene, function);
    }
    if scene.layers.scatter {
        batch.markers = scatter(scene, function, inputs.values);
    }
    let common = batch.end_group(common);
    let mut runs = Vec::with_capacity(inputs.paths.len());
    for (index, run) in inputs.paths.iter().enumerate() {
        let group = batch.begin_group();
        let shown = scene
            .shown_steps
            .map_or(run.path.points.len(), |k| k.min(run.path.points.len()));
        if scene.layers.paths && shown > 0 {
            let color = linear_rgba(run_color(index), 1.0);
            let points: Vec<[f32; 3]> =
                run.path.points[..shown].iter().map(|&p| point(p)).collect();
            batch.polyline(&points, color, PATH_WIDTH_PT, HALO_PT);
            // Clipped to the 3-D box with the line: a diverging run leaves the figure.
            batch.markers.push(
                Marker::new(points[0], color, START_SIZE_PT, HALO_PT, Shape::Ring).clipped_to_box(),
            );
            // Long paths get a marker every few points (and at the end), so the path stays
            // readable; the line still joins every point. An odd stride, so that a path that
            // zigzags (SGD across a valley) is marked on both sides.
            let stride = points.len().div_ceil(MAX_MARKERS_PER_PATH).max(1) | 1;
            let marked = points.iter().step_by(stride).chain(points.last());
            batch.markers.extend(marked.map(|&p| {
                Marker::new(p, color, POINT_SIZE_PT, HALO_PT, Shape::Disc).clipped_to_box()
            }));
        }
        runs.push(batch.end_group(group));
    }
    let minima = batch.begin_group();
    let known = match (scene.layers.paths, function.gallery_entry()) {
        (true, Some(entry)) => entry.minima,
        _ => &[],
    };
    for &[x, y] in known {
        let f = function.value(x, y);
        if f.is_finite() {
            batch.markers.push(Marker::new(
                point([x, y, f]),
                linear_rgba([0, 0, 0], 1.0),
                MINIMUM_SIZE_PT,
                HALO_PT,
                Shape::Plus,
            ));
        }
    }
    let minima = batch.end_group(minima);
    Overlay {
        batch,
        common,
        runs,
        minima,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::ViewKind;

    fn overlay_of(scene: &Scene) -> Overlay {
        let function = scene.parse_function().expect("book");
        let paths = scene.optimize(&function);
        build(
            scene,
            &OverlayInputs {
                function: &function,
                paths: &paths,
                values: ValueRange::new(0.0, 105.0),
            },
        )
    }

    #[test]
    fn normalized_arrows_get_a_white_halo_only_over_a_colour_fill() {
        let function = Function::from_spec("book").expect("book");
        let mut scene = Scene {
            view: ViewKind::Map,
            ..Scene::default()
        };
        scene.layers.arrows = true;
        let scaled = arrows(&scene, &function).len();
        scene.arrows.scaling = ArrowScaling::Normalized;
        let over_fill = arrows(&scene, &function);
        assert_eq!(over_fill.len(), 2 * scaled, "a halo under each arrow");
        for pair in over_fill.chunks_exact(2) {
            let [halo, arrow] = pair else { unreachable!() };
            assert_eq!(halo.color, [1.0; 4]);
            assert_ne!(arrow.color, [1.0; 4]);
            assert_eq!((halo.base, halo.tip), (arrow.base, arrow.tip));
            assert!(halo.style[0] > arrow.style[0] && halo.style[2] > arrow.style[2]);
            assert!(
                halo.style[3] > 0.0 && arrow.style[3] == 0.0,
                "only the halo reaches past"
            );
        }
        scene.layers.surface = false;
        assert_eq!(arrows(&scene, &function).len(), scaled, "no fill, no halo");
    }

    #[test]
    fn each_run_gets_its_points_and_segments() {
        let overlay = overlay_of(&Scene::default());
        assert_eq!(overlay.runs.len(), 4);
        assert_eq!(overlay.minima.markers.len(), 1, "one minimum");
        assert!(overlay.common.markers.is_empty());
        for group in &overlay.runs {
            assert_eq!(group.segments.len(), 2 * 29, "halo and line");
            assert_eq!(
                group.markers.len(),
                32,
                "30 points, the end again and the start ring"
            );
        }
    }

    #[test]
    fn long_paths_are_marked_on_both_sides_of_a_zigzag() {
        let mut scene = Scene {
            runs: vec!["sgd:lr=0.1".parse().expect("spec")],
            ..Scene::default()
        };
        // Every point up to 200 (plus the end again and the start ring); past that an odd
        // stride, so SGD's alternate sides of the valley both show.
        for (steps, stride) in [(100, 1), (300, 3), (700, 5)] {
            scene.runs[0].steps = steps;
            let function = scene.parse_function().expect("book");
            let points = scene.optimize(&function)[0].path.points.len();
            assert_eq!(points, steps, "the run takes every step");
            let overlay = overlay_of(&scene);
            let markers = points.div_ceil(stride) + 2;
            assert_eq!(overlay.runs[0].markers.len(), markers, "{steps} steps");
        }
    }

    #[test]
    fn the_animation_shows_the_first_points_only() {
        let scene = Scene {
            shown_steps: Some(3),
            ..Scene::default()
        };
        assert_eq!(overlay_of(&scene).runs[0].segments.len(), 2 * 2);
    }

    #[test]
    fn glyph_ink_shows_on_white_and_keeps_dark_colours() {
        // White (bwr's middle) becomes a mid grey; blue barely changes.
        assert_eq!(ink([1.0, 1.0, 1.0, 1.0]), [0.5, 0.5, 0.5, 1.0]);
        let [_, _, blue, _] = ink([0.0, 0.0, 1.0, 1.0]);
        assert!(blue > 0.99, "{blue}");
    }

    #[test]
    fn srgb_conversion_matches_the_standard() {
        assert_eq!(linear_rgba([255, 0, 0], 1.0), [1.0, 0.0, 0.0, 1.0]);
        let mid = linear_rgba([188, 188, 188], 1.0)[0];
        assert!((mid - 0.5029).abs() < 1e-3, "{mid}");
    }
}
