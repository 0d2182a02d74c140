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
}

const _: () = assert!(std::mem::size_of::<FrameUniform>() == 64 + 8 * 16);

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
            box_scale: vec4(geometry.box_scale),
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
        }
    }
}
