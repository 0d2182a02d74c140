//! The per-frame uniform every render pass reads (`Frame` in shaders/common.wgsl).

use bytemuck::{Pod, Zeroable};

use crate::colormap::Colormap;
use crate::scene::ViewKind;
use crate::view::{ValueRange, ViewGeometry};

/// Keep in sync with `Frame` in shaders/common.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub struct FrameUniform {
    pub clip_from_data: [[f32; 4]; 4],
    pub box_scale: [f32; 4],
    pub box_offset: [f32; 4],
    pub eye_in_box: [f32; 4],
    pub light_in_box: [f32; 4],
    pub domain: [f32; 4],
    pub values: [f32; 4],
    pub viewport: [f32; 4],
    pub grid: [u32; 4],
    pub tile: [f32; 4],
}

const _: () = assert!(std::mem::size_of::<FrameUniform>() == 64 + 9 * 16);

/// Where a panel lands in the target, and the transform its clip space needs when the target
/// shows only part of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelView {
    /// The visible part of the panel: x, y, width, height in target pixels.
    pub viewport: [u32; 4],
    /// `FrameUniform::tile`: clip xy scale and offset from the panel to the viewport.
    pub tile: [f32; 4],
}

impl PanelView {
    /// The panel `[x, y, w, h]` (figure pixels) drawn with the figure's top left at `origin` of
    /// a target of `target` pixels; `None` when none of it is in the target.
    pub fn new(panel: [u32; 4], origin: [i32; 2], target: [u32; 2]) -> Option<PanelView> {
        let [x, y, w, h] = panel.map(i64::from);
        let (x, y) = (x + i64::from(origin[0]), y + i64::from(origin[1]));
        let (x0, y0) = (x.max(0), y.max(0));
        let (x1, y1) = (
            (x + w).min(i64::from(target[0])),
            (y + h).min(i64::from(target[1])),
        );
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        let (iw, ih) = ((x1 - x0) as f32, (y1 - y0) as f32);
        let (w, h) = (w as f32, h as f32);
        // ndc' = ndc · size/visible + offset; y points up in NDC and down in pixels.
        let offset_x = (2.0 * (x - x0) as f32 + w) / iw - 1.0;
        let offset_y = 1.0 - (2.0 * (y - y0) as f32 + h) / ih;
        Some(PanelView {
            viewport: [x0 as u32, y0 as u32, iw as u32, ih as u32],
            tile: [w / iw, h / ih, offset_x, offset_y],
        })
    }
}

/// What the frame uniform is built from.
pub struct FrameInputs<'a> {
    pub geometry: &'a ViewGeometry,
    pub domain: &'a crate::scene::Domain,
    pub values: ValueRange,
    pub log_scale: bool,
    pub grid: u32,
    /// The field is in several buffers: surface heights come from the function.
    pub tiled_field: bool,
    pub colormap: Colormap,
    /// Line widths are given in points; see [`crate::render::pixels_per_point`].
    pub pixels_per_point: f32,
}

impl FrameUniform {
    pub fn new(inputs: &FrameInputs) -> FrameUniform {
        let geometry = inputs.geometry;
        let vec4 = |v: glam::DVec3| [v.x as f32, v.y as f32, v.z as f32, 0.0];
        FrameUniform {
            clip_from_data: geometry.clip_from_data_f32().to_cols_array_2d(),
            box_scale: {
                let [x, y, z, _] = vec4(geometry.box_scale);
                [x, y, z, geometry.box_half_height as f32]
            },
            box_offset: vec4(geometry.box_offset),
            eye_in_box: geometry.eye_in_box.extend(1.0).to_array(),
            light_in_box: geometry.light_in_box.extend(0.0).to_array(),
            domain: [
                inputs.domain.x[0] as f32,
                inputs.domain.y[0] as f32,
                inputs.domain.x[1] as f32,
                inputs.domain.y[1] as f32,
            ],
            values: [
                inputs.values.min as f32,
                inputs.values.max as f32,
                if inputs.log_scale { 1.0 } else { 0.0 },
                geometry.floor_value as f32,
            ],
            viewport: [
                geometry.size_px[0] as f32,
                geometry.size_px[1] as f32,
                inputs.pixels_per_point,
                match geometry.view {
                    ViewKind::ThreeD => {
                        let [width, height] = geometry.size_px.map(|v| v.max(1) as f32);
                        2.0 * crate::camera::tan_half_fov(width / height) / height
                    }
                    ViewKind::Map => 0.0,
                },
            ],
            grid: [
                inputs.grid,
                u32::from(inputs.tiled_field),
                match geometry.view {
                    ViewKind::ThreeD => 0,
                    ViewKind::Map => 1,
                },
                inputs.colormap.row(),
            ],
            tile: [1.0, 1.0, 0.0, 0.0],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the tile transform sends a panel's NDC, in target pixels.
    fn land(view: &PanelView, ndc: [f32; 2]) -> [f32; 2] {
        let [x, y, w, h] = view.viewport.map(|v| v as f32);
        let sx = ndc[0] * view.tile[0] + view.tile[2];
        let sy = ndc[1] * view.tile[1] + view.tile[3];
        [x + (sx + 1.0) * 0.5 * w, y + (1.0 - sy) * 0.5 * h]
    }

    #[test]
    fn a_whole_panel_is_the_identity() {
        let view = PanelView::new([10, 20, 300, 200], [0, 0], [800, 600]).expect("visible");
        assert_eq!(view.viewport, [10, 20, 300, 200]);
        assert_eq!(view.tile, [1.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn a_cut_panel_keeps_its_pixels_where_they_were() {
        // A 1000×800 panel at (100, 50) of the figure, seen through a 512×512 tile whose top
        // left is figure pixel (400, 300).
        let view = PanelView::new([100, 50, 1000, 800], [-400, -300], [512, 512]).expect("visible");
        assert_eq!(view.viewport, [0, 0, 512, 512]);
        // The panel's centre is figure pixel (600, 450): tile pixel (200, 150).
        let [x, y] = land(&view, [0.0, 0.0]);
        assert!(
            (x - 200.0).abs() < 1e-3 && (y - 150.0).abs() < 1e-3,
            "{x} {y}"
        );
        // Its top left corner is figure (100, 50): tile (−300, −250).
        let [x, y] = land(&view, [-1.0, 1.0]);
        assert!(
            (x + 300.0).abs() < 1e-3 && (y + 250.0).abs() < 1e-3,
            "{x} {y}"
        );
        assert!(PanelView::new([0, 0, 100, 100], [-400, -300], [512, 512]).is_none());
    }
}
