// Shared by every render pass: the frame uniform, the colormap and the field buffer.
// Keep `Frame` in sync with `FrameUniform` in src/render/uniforms.rs.

struct Frame {
    // Data space (x, y, f) to clip space, for the current view (3-D or map).
    clip_from_data: mat4x4<f32>,
    // box = data * box_scale + box_offset (xyz). box_scale.w: half the box's height (the
    // values' range spans -w..w in box z); box_offset.w unused.
    box_scale: vec4<f32>,
    box_offset: vec4<f32>,
    // Eye position and direction towards the light, in box space.
    eye_in_box: vec4<f32>,
    light_in_box: vec4<f32>,
    // xmin, ymin, xmax, ymax of the domain.
    domain: vec4<f32>,
    // Colour range (vmin, vmax), log scale flag (0 or 1), f of the floor plane.
    values: vec4<f32>,
    // Target width and height in pixels, pixels per point (line widths scale with it), and in
    // the 3-D view the box units one pixel spans at unit distance from the eye.
    viewport: vec4<f32>,
    // Field nodes per side; 1 when the field is split over several buffers (the surface then
    // takes its heights from the function, the same f32 code); view (0 = 3-D, 1 = map);
    // colormap row.
    grid: vec4<u32>,
    // Where this panel's clip space lands in the viewport: scale xy, offset zw. The identity
    // unless the panel is cut by the target's edge (a screenshot tile); see `to_target`.
    tile: vec4<f32>,
};

@group(0) @binding(0) var<uniform> frame: Frame;
@group(0) @binding(1) var colormap_texture: texture_2d<f32>;
@group(0) @binding(2) var colormap_sampler: sampler;
// f per node, y-major, NaN where it is undefined (shaders/field_store_heights.wgsl).
@group(0) @binding(3) var<storage, read> heights: array<f32>;

const VIEW_3D: u32 = 0u;
const VIEW_MAP: u32 = 1u;

// NaN and infinities: compilers may assume neither exists, so `v != v` is not reliable.
fn is_finite(v: f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// Data position of grid node (i, j). Written so the ends and the centre are exact.
fn node_position(i: u32, j: u32) -> vec2<f32> {
    let last = f32(frame.grid.x - 1u);
    let t = vec2<f32>(f32(i), f32(j));
    return (frame.domain.xy * (last - t) + frame.domain.zw * t) / last;
}

// Where a value falls in the colour range, 0..1. Keep in sync with `ValueRange::unit` in
// src/view.rs.
fn value_to_unit(f: f32) -> f32 {
    let vmin = frame.values.x;
    let span = max(frame.values.y - vmin, 1e-30);
    var t = (f - vmin) / span;
    if frame.values.z > 0.5 {
        // Log scale: log(1 + (f - min)/offset), offset 1e-4 of the range, so four decades of
        // detail above the minimum and the minimum itself at 0.
        let offset = span * 1e-4;
        t = log(1.0 + (f - vmin) / offset) / log(1.0 + span / offset);
    }
    return clamp(t, 0.0, 1.0);
}

// Linear RGB of the colormap at t in 0..1 (the texture holds matplotlib's entries in linear
// light).
fn colormap(t: f32) -> vec3<f32> {
    let size = vec2<f32>(textureDimensions(colormap_texture));
    let uv = vec2<f32>((t * (size.x - 1.0) + 0.5) / size.x, (f32(frame.grid.w) + 0.5) / size.y);
    return textureSampleLevel(colormap_texture, colormap_sampler, uv, 0.0).rgb;
}

// A panel's clip position as the viewport sees it when only part of the panel is in the
// target: one pixel of the panel stays one pixel, so line widths and derivatives do not change.
fn to_target(clip: vec4<f32>) -> vec4<f32> {
    return vec4<f32>(clip.xy * frame.tile.xy + frame.tile.zw * clip.w, clip.zw);
}

// Box-space position of a data point.
fn box_from_data(p: vec3<f32>) -> vec3<f32> {
    return p * frame.box_scale.xyz + frame.box_offset.xyz;
}
