//! The 3-D axes as matplotlib draws them: the three panes behind the data with grid lines at the
//! ticks, the x and y axes along the front edges of the floor, the z axis on the vertical edge
//! at the left, tick marks pointing out of the box, and where each label goes.
//!
//! Which panes are "behind" and which edges are "in front" depends on the camera, so this is
//! rebuilt every frame; it is a few dozen instances. Geometry is made in box space, where the
//! box is axis-aligned, and handed to the lines pass in data space.

use glam::{DVec2, DVec3};

use crate::render::lines::{LineBatch, Quad, Segment};
use crate::render::overlay::linear_rgba;
use crate::scene::{Scene, Theme};
use crate::ticks::{Ticks, nice_ticks};
use crate::view::{ValueRange, ViewGeometry};

/// Ticks per axis at most, as matplotlib's 3-D axes.
const MAX_TICKS: usize = 6;
/// Tick length, and the distances of tick labels and axis titles from their edge, in box units
/// (the box is 2 wide).
const TICK_LENGTH: f64 = 0.05;
const TICK_LABEL_OFFSET: f64 = 0.2;
const TITLE_OFFSET: f64 = 0.45;
const AXIS_WIDTH_PT: f32 = 0.8;
const GRID_WIDTH_PT: f32 = 0.6;

/// What a label is, for its size and style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    Tick,
    Title,
}

/// Text placed at a pixel, centred there.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub text: String,
    pub at_px: DVec2,
    pub kind: LabelKind,
}

/// Lines for the lines pass and labels for the text pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Axes3d {
    pub batch: LineBatch,
    pub labels: Vec<Label>,
}

/// Converts between box and data space for one frame.
struct BoxSpace<'a> {
    geometry: &'a ViewGeometry,
}

impl BoxSpace<'_> {
    fn data_of(&self, p: DVec3) -> DVec3 {
        (p - self.geometry.box_offset) / self.geometry.box_scale
    }

    fn box_of(&self, p: DVec3) -> DVec3 {
        p * self.geometry.box_scale + self.geometry.box_offset
    }

    fn point(&self, p: DVec3) -> [f32; 3] {
        self.data_of(p).as_vec3().to_array()
    }

    fn pixel(&self, p: DVec3) -> Option<DVec2> {
        self.geometry.pixel_of(self.data_of(p))
    }
}

fn segment(space: &BoxSpace, a: DVec3, b: DVec3, color: [f32; 4], width_pt: f32) -> Segment {
    Segment {
        a: space.point(a),
        b: space.point(b),
        color,
        style: [width_pt, 0.0, 0.0, 0.0],
    }
}

/// An axis line with its ticks (box-space positions and labels), the direction its ticks and
/// labels point (out of the box), and its title.
struct Axis<'a> {
    ends: [DVec3; 2],
    ticks: Vec<(DVec3, String)>,
    outward: DVec3,
    title: &'a str,
}

impl Axis<'_> {
    fn draw(
        &self,
        space: &BoxSpace,
        ink: [f32; 4],
        batch: &mut LineBatch,
        labels: &mut Vec<Label>,
    ) {
        let [from, to] = self.ends;
        batch
            .segments
            .push(segment(space, from, to, ink, AXIS_WIDTH_PT));
        for (at, text) in &self.ticks {
            let tip = *at + self.outward * TICK_LENGTH;
            batch
                .segments
                .push(segment(space, *at, tip, ink, AXIS_WIDTH_PT));
            if let Some(at_px) = space.pixel(*at + self.outward * TICK_LABEL_OFFSET) {
                labels.push(Label {
                    text: text.clone(),
                    at_px,
                    kind: LabelKind::Tick,
                });
            }
        }
        let middle = (from + to) * 0.5 + self.outward * TITLE_OFFSET;
        if let Some(at_px) = space.pixel(middle) {
            labels.push(Label {
                text: self.title.to_owned(),
                at_px,
                kind: LabelKind::Title,
            });
        }
    }
}

fn sign(v: f32) -> f64 {
    if v >= 0.0 { 1.0 } else { -1.0 }
}

/// The axes for the current camera. `values` is the range of f the box spans.
pub fn axes_3d(scene: &Scene, geometry: &ViewGeometry, values: ValueRange) -> Axes3d {
    let space = BoxSpace { geometry };
    let theme: Theme = scene.figure.theme;
    let ink = linear_rgba(theme.ink(), 1.0);
    let grid = linear_rgba(theme.grid(), 1.0);
    let (pane_rgb, pane_alpha) = theme.pane();
    let pane = linear_rgba(pane_rgb, pane_alpha);

    // The box from the floor (where the floor contours lie) to the top of the values.
    let bottom = space.box_of(DVec3::new(0.0, 0.0, geometry.floor_value)).z;
    let top = space.box_of(DVec3::new(0.0, 0.0, values.max)).z;
    let eye = geometry.eye_in_box;
    // The far side of each axis holds the pane; the near side the axis line.
    let (near_x, near_y) = (sign(eye.x), sign(eye.y));
    let floor_z = if f64::from(eye.z) >= bottom {
        bottom
    } else {
        top
    };

    let x_ticks = nice_ticks(scene.domain.x[0], scene.domain.x[1], MAX_TICKS);
    let y_ticks = nice_ticks(scene.domain.y[0], scene.domain.y[1], MAX_TICKS);
    let z_ticks = nice_ticks(values.min, values.max, MAX_TICKS);
    let to_box_x = |x: f64| space.box_of(DVec3::new(x, 0.0, 0.0)).x;
    let to_box_y = |y: f64| space.box_of(DVec3::new(0.0, y, 0.0)).y;
    let to_box_z = |z: f64| space.box_of(DVec3::new(0.0, 0.0, z)).z;
    let corners = |x: f64, y: f64| [DVec3::new(x, y, bottom), DVec3::new(x, y, top)];

    let mut batch = LineBatch::default();
    // Panes: x = −near_x, y = −near_y, and the floor.
    let far_x = -near_x;
    let far_y = -near_y;
    let [xa, xb] = [
        DVec3::new(far_x, -1.0, bottom),
        DVec3::new(far_x, 1.0, bottom),
    ];
    let [ya, yb] = [
        DVec3::new(-1.0, far_y, bottom),
        DVec3::new(1.0, far_y, bottom),
    ];
    let lift = DVec3::Z * (top - bottom);
    let quad = |a: DVec3, b: DVec3, c: DVec3, d: DVec3| Quad {
        corners: [
            space.point(a),
            space.point(b),
            space.point(c),
            space.point(d),
        ],
        color: pane,
    };
    batch.quads.push(quad(xa, xb, xb + lift, xa + lift));
    batch.quads.push(quad(ya, yb, yb + lift, ya + lift));
    let floor = |x: f64, y: f64| DVec3::new(x, y, floor_z);
    batch.quads.push(quad(
        floor(-1.0, -1.0),
        floor(1.0, -1.0),
        floor(1.0, 1.0),
        floor(-1.0, 1.0),
    ));

    // Grid lines on the panes at the ticks.
    for x in x_ticks.values.iter().map(|&x| to_box_x(x)) {
        let [a, b] = corners(x, far_y);
        batch
            .segments
            .push(segment(&space, a, b, grid, GRID_WIDTH_PT));
        batch.segments.push(segment(
            &space,
            floor(x, -1.0),
            floor(x, 1.0),
            grid,
            GRID_WIDTH_PT,
        ));
    }
    for y in y_ticks.values.iter().map(|&y| to_box_y(y)) {
        let [a, b] = corners(far_x, y);
        batch
            .segments
            .push(segment(&space, a, b, grid, GRID_WIDTH_PT));
        batch.segments.push(segment(
            &space,
            floor(-1.0, y),
            floor(1.0, y),
            grid,
            GRID_WIDTH_PT,
        ));
    }
    for z in z_ticks.values.iter().map(|&z| to_box_z(z)) {
        batch.segments.push(segment(
            &space,
            DVec3::new(far_x, -1.0, z),
            DVec3::new(far_x, 1.0, z),
            grid,
            GRID_WIDTH_PT,
        ));
        batch.segments.push(segment(
            &space,
            DVec3::new(-1.0, far_y, z),
            DVec3::new(1.0, far_y, z),
            grid,
            GRID_WIDTH_PT,
        ));
    }

    // The z axis stands on whichever side corner appears further left on screen.
    let side_corners = [(near_x, far_y), (far_x, near_y)];
    let (zx, zy) = side_corners
        .into_iter()
        .min_by(|a, b| {
            let screen_x = |&(x, y): &(f64, f64)| {
                space
                    .pixel(DVec3::new(x, y, bottom))
                    .map_or(f64::INFINITY, |p| p.x)
            };
            screen_x(a).total_cmp(&screen_x(b))
        })
        .unwrap_or((far_x, near_y));

    let [x_title, y_title, z_title] = &scene.figure.labels;
    let ticks_along = |ticks: &Ticks, at: &dyn Fn(f64) -> DVec3| {
        ticks
            .values
            .iter()
            .zip(ticks.labels())
            .map(|(&v, text)| (at(v), text))
            .collect()
    };
    let axes = [
        Axis {
            ends: [
                DVec3::new(-1.0, near_y, floor_z),
                DVec3::new(1.0, near_y, floor_z),
            ],
            ticks: ticks_along(&x_ticks, &|v| DVec3::new(to_box_x(v), near_y, floor_z)),
            outward: DVec3::new(0.0, near_y, 0.0),
            title: x_title,
        },
        Axis {
            ends: [
                DVec3::new(near_x, -1.0, floor_z),
                DVec3::new(near_x, 1.0, floor_z),
            ],
            ticks: ticks_along(&y_ticks, &|v| DVec3::new(near_x, to_box_y(v), floor_z)),
            outward: DVec3::new(near_x, 0.0, 0.0),
            title: y_title,
        },
        Axis {
            ends: corners(zx, zy),
            ticks: ticks_along(&z_ticks, &|v| DVec3::new(zx, zy, to_box_z(v))),
            outward: DVec3::new(zx, zy, 0.0).normalize_or_zero(),
            title: z_title,
        },
    ];
    let mut labels = Vec::new();
    for axis in &axes {
        axis.draw(&space, ink, &mut batch, &mut labels);
    }
    Axes3d { batch, labels }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matplotlibs_default_view_gets_three_panes_and_labelled_axes() {
        let scene = Scene::default();
        let values = ValueRange::new(0.0, 105.0);
        let geometry = ViewGeometry::new(&scene, values, [800, 600]);
        let axes = axes_3d(&scene, &geometry, values);
        assert_eq!(axes.batch.quads.len(), 3);
        let ticks: Vec<&str> = axes
            .labels
            .iter()
            .filter(|l| l.kind == LabelKind::Tick)
            .map(|l| l.text.as_str())
            .collect();
        // The memo's ticks: −10, −5, 0, 5, 10 on x and y; 0, 20, …, 100 on f.
        for text in ["−10", "−5", "0", "5", "10", "20", "100"] {
            assert!(ticks.contains(&text), "{text} missing from {ticks:?}");
        }
        let titles: Vec<&str> = axes
            .labels
            .iter()
            .filter(|l| l.kind == LabelKind::Title)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(titles, ["x", "y", "f(x, y)"]);
        // Every label lands inside the image.
        for label in &axes.labels {
            let p = label.at_px;
            assert!(
                (0.0..800.0).contains(&p.x) && (0.0..600.0).contains(&p.y),
                "{label:?}"
            );
        }
    }

    #[test]
    fn the_x_axis_runs_along_the_edge_nearest_the_viewer() {
        let mut scene = Scene::default();
        let values = ValueRange::new(0.0, 105.0);
        for yaw in [-60.0f32, 60.0, 120.0, -120.0] {
            scene.camera.yaw_deg = yaw;
            let geometry = ViewGeometry::new(&scene, values, [800, 600]);
            let axes = axes_3d(&scene, &geometry, values);
            let eye_y = geometry.eye_in_box.y;
            // The x axis line: the first segment after the grid lines, parallel to x.
            let x_axis = axes
                .batch
                .segments
                .iter()
                .find(|s| s.style[0] == AXIS_WIDTH_PT)
                .expect("an axis line");
            let box_y = f64::from(x_axis.a[1]) * geometry.box_scale.y + geometry.box_offset.y;
            assert_eq!(box_y.signum(), f64::from(eye_y).signum(), "yaw {yaw}");
        }
    }
}
