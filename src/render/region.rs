//! Where in a panel the scene pass can draw anything: the 3-D box (or the map's domain) and the
//! lines around it, projected, widened by the lines' own widths.
//!
//! On a CPU rasteriser every multisampled pixel costs whether or not anything covers it: its
//! four samples of colour and depth are cleared, written to memory for the first time and
//! averaged. The book's figure draws its surface into about a third of the image (the rest is
//! margins, the colorbar and the legend), so the renderer multisamples only this region and
//! clears the rest of the target to the background, which is what the resolve of an untouched
//! pixel gives anyway.

use glam::{DVec2, DVec3};

use crate::render::lines::LineBatch;
use crate::scene::ViewKind;
use crate::view::{ValueRange, ViewGeometry};

/// Box units kept around the 3-D box: more than the slack of the lines' clipping to the box
/// (`BOX_SLACK` in shaders/lines.wgsl).
const BOX_SLACK: f64 = 0.02;
/// Pixels kept around everything: a line's anti-aliased rim and rounding.
const MARGIN_PX: f64 = 3.0;

/// Panel pixels x0, y0, x1, y1 (x right, y down) that hold everything the scene pass draws for
/// `geometry`: the surface, the floor and the lines in `batches`. `None` when that cannot be
/// bounded (a point behind the camera, or not finite): then the whole panel.
pub fn content_bounds(
    geometry: &ViewGeometry,
    values: ValueRange,
    batches: &[&LineBatch],
    pixels_per_point: f32,
) -> Option<[f64; 4]> {
    let three_d = geometry.view == ViewKind::ThreeD;
    let mut points = box_corners(geometry, values);
    let mut extent_pt = 0.0_f32;
    for batch in batches {
        for segment in &batch.segments {
            extent_pt = extent_pt.max(0.5 * segment.style[0]);
            // Paths are clipped to the box in 3-D: whatever of them shows is inside it.
            if !(three_d && segment.style[1] > 0.5) {
                points.extend([segment.a, segment.b].map(data_point));
            }
        }
        for marker in &batch.markers {
            extent_pt = extent_pt.max(0.5 * marker.style[0] + marker.style[1]);
            if !(three_d && marker.style[3] > 0.5) {
                points.push(data_point(marker.center));
            }
        }
        for arrow in &batch.arrows {
            let half_width = 0.5 * arrow.style[0].max(arrow.style[2]);
            extent_pt = extent_pt.max(half_width + arrow.style[3]);
            points.extend([arrow.base, arrow.tip].map(data_point));
        }
        for quad in &batch.quads {
            points.extend(quad.corners.map(data_point));
        }
    }
    let mut low = DVec2::splat(f64::INFINITY);
    let mut high = DVec2::splat(f64::NEG_INFINITY);
    for point in points {
        let pixel = geometry.pixel_of(point).filter(|p| p.is_finite())?;
        low = low.min(pixel);
        high = high.max(pixel);
    }
    let pad = f64::from(extent_pt * pixels_per_point) + MARGIN_PX;
    Some([low.x - pad, low.y - pad, high.x + pad, high.y + pad])
}

fn data_point(p: [f32; 3]) -> DVec3 {
    DVec3::from(p.map(f64::from))
}

/// The corners of the 3-D box with its floor, a little enlarged, in data space. On the map they
/// project onto the corners of the domain.
fn box_corners(geometry: &ViewGeometry, values: ValueRange) -> Vec<DVec3> {
    let half = DVec3::new(1.0, 1.0, geometry.box_half_height) + BOX_SLACK;
    let to_data = |box_point: DVec3| (box_point - geometry.box_offset) / geometry.box_scale;
    let floor_in_box = geometry.floor_value * geometry.box_scale.z + geometry.box_offset.z;
    let top_in_box = values.max * geometry.box_scale.z + geometry.box_offset.z;
    let bottom = floor_in_box.min(-half.z) - BOX_SLACK;
    let top = top_in_box.max(half.z) + BOX_SLACK;
    let mut corners = Vec::with_capacity(8);
    for z in [bottom, top] {
        for y in [-half.y, half.y] {
            for x in [-half.x, half.x] {
                corners.push(to_data(DVec3::new(x, y, z)));
            }
        }
    }
    corners
}

/// The part of a `target`-sized texture that the scene pass needs, x, y, width, height in
/// pixels: the union of each visible panel's `content` (panel pixels, `None` for all of it),
/// where panel `[x, y, w, h]` lies at `origin` + (x, y) in the target. Empty when no panel shows.
pub fn scene_region(
    panels: &[[u32; 4]],
    content: Option<[f64; 4]>,
    origin: [i32; 2],
    target: [u32; 2],
) -> Option<[u32; 4]> {
    let mut union: Option<[i64; 4]> = None;
    for &[x, y, w, h] in panels {
        let [x, y, w, h] = [x, y, w, h].map(i64::from);
        let (x, y) = (x + i64::from(origin[0]), y + i64::from(origin[1]));
        let [c0, c1, c2, c3] = content.unwrap_or([0.0, 0.0, w as f64, h as f64]);
        let rect = [
            (x + c0.floor().max(0.0) as i64).max(0),
            (y + c1.floor().max(0.0) as i64).max(0),
            (x + (c2.ceil() as i64).min(w)).min(i64::from(target[0])),
            (y + (c3.ceil() as i64).min(h)).min(i64::from(target[1])),
        ];
        if rect[2] <= rect[0] || rect[3] <= rect[1] {
            continue;
        }
        union = Some(union.map_or(rect, |u| {
            [
                u[0].min(rect[0]),
                u[1].min(rect[1]),
                u[2].max(rect[2]),
                u[3].max(rect[3]),
            ]
        }));
    }
    union.map(|[x0, y0, x1, y1]| [x0, y0, x1 - x0, y1 - y0].map(|v| v as u32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::lines::{Marker, Segment, Shape};
    use crate::scene::Scene;

    fn book_geometry() -> (ViewGeometry, ValueRange) {
        let scene = Scene::default();
        let values = ValueRange::new(0.0, 105.0);
        (ViewGeometry::new(&scene, values, [1200, 1000]), values)
    }

    fn segment(a: [f32; 3], b: [f32; 3], width_pt: f32, clipped: bool) -> Segment {
        Segment {
            a,
            b,
            color: [0.0, 0.0, 0.0, 1.0],
            style: [width_pt, if clipped { 1.0 } else { 0.0 }, 0.0, 0.0],
        }
    }

    #[test]
    fn the_box_of_the_books_figure_fills_part_of_the_panel_and_holds_its_corners() {
        let (geometry, values) = book_geometry();
        let [x0, y0, x1, y1] = content_bounds(&geometry, values, &[], 1.0).unwrap();
        assert!(x0 > 0.0 && y0 > 0.0 && x1 < 1200.0 && y1 < 1000.0);
        assert!((x1 - x0) * (y1 - y0) < 0.8 * 1200.0 * 1000.0);
        for x in [-10.0, 10.0] {
            for y in [-10.0, 10.0] {
                for f in [geometry.floor_value, 105.0] {
                    let p = geometry.pixel_of(DVec3::new(x, y, f)).unwrap();
                    assert!(p.x > x0 && p.x < x1 && p.y > y0 && p.y < y1, "{p}");
                }
            }
        }
    }

    #[test]
    fn lines_widen_the_bounds_and_clipped_paths_do_not_reach_beyond_the_box() {
        let (geometry, values) = book_geometry();
        let bare = content_bounds(&geometry, values, &[], 1.0).unwrap();
        let far = [1e6, 0.0, 0.0];
        let mut batch = LineBatch::default();
        batch.segments.push(segment([0.0; 3], far, 2.0, true));
        let clipped = content_bounds(&geometry, values, &[&batch], 1.0).unwrap();
        for (b, c) in bare.iter().zip(clipped) {
            assert!((b - c).abs() <= 1.0, "{bare:?} {clipped:?}");
        }
        batch.markers.push(Marker::new(
            [10.0, 10.0, 105.0],
            [0.0; 4],
            200.0,
            0.0,
            Shape::Disc,
        ));
        let wide = content_bounds(&geometry, values, &[&batch], 1.0).unwrap();
        assert!(wide[0] < bare[0] - 90.0 && wide[2] > bare[2] + 90.0);
    }

    #[test]
    fn a_point_behind_the_camera_means_the_whole_panel() {
        let (geometry, values) = book_geometry();
        let behind = geometry.eye_in_box.as_dvec3() * 3.0;
        let data = (behind - geometry.box_offset) / geometry.box_scale;
        let mut batch = LineBatch::default();
        batch
            .segments
            .push(segment([0.0; 3], data.as_vec3().to_array(), 1.0, false));
        assert_eq!(content_bounds(&geometry, values, &[&batch], 1.0), None);
    }

    #[test]
    fn the_region_is_the_union_of_the_visible_panels_content_within_the_target() {
        let panels = [[0, 0, 100, 100], [100, 0, 100, 100]];
        let content = Some([10.5, 20.5, 90.5, 80.0]);
        assert_eq!(
            scene_region(&panels, content, [0, 0], [200, 100]),
            Some([10, 20, 181, 60])
        );
        // A tile of a large screenshot: the figure's top left lies left of the target.
        assert_eq!(
            scene_region(&panels, content, [-150, 0], [40, 100]),
            Some([0, 20, 40, 60])
        );
        assert_eq!(
            scene_region(&panels, None, [0, 0], [150, 100]),
            Some([0, 0, 150, 100])
        );
        assert_eq!(scene_region(&panels, content, [-500, 0], [40, 100]), None);
    }
}
