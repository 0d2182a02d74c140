// Thick anti-aliased line segments, point markers and arrows, drawn in screen space.
//
// Each segment is one instanced quad: both ends are projected, the quad is built around them in
// pixels (wide enough for the round caps and a pixel of anti-aliasing) and the fragment shader
// computes the distance to the segment, so the width is the same in pixels at any zoom and the
// ends join smoothly into a strip. Markers are quads too, with a signed distance per shape.
// In 3-D both are lifted towards the eye by a small distance so that points lying on the
// surface are not lost in its depth buffer, while a hill in front still hides them.
// Prepended: common.wgsl. Keep `Segment` and `Marker` in sync with src/render/lines.rs.

struct SegmentIn {
    @location(0) a: vec3<f32>,
    @location(1) b: vec3<f32>,
    // Linear RGB and alpha.
    @location(2) color: vec4<f32>,
    // Width in points, unused x3 (a path's halo is a wider white segment drawn first, so
    // that no halo covers the line where two segments join).
    @location(3) style: vec4<f32>,
};

struct MarkerIn {
    @location(0) center: vec3<f32>,
    @location(1) color: vec4<f32>,
    // Size in points (diameter), halo width in points, SHAPE_*, 1 to clip to the 3-D box.
    @location(2) style: vec4<f32>,
};

struct QuadIn {
    // Corners in data space, in order around the quad.
    @location(0) a: vec3<f32>,
    @location(1) b: vec3<f32>,
    @location(2) c: vec3<f32>,
    @location(3) d: vec3<f32>,
    @location(4) color: vec4<f32>,
};

struct ArrowIn {
    @location(0) base: vec3<f32>,
    @location(1) tip: vec3<f32>,
    @location(2) color: vec4<f32>,
    // Shaft width, head length and head width in points, and the reach past both ends (a halo's).
    @location(3) style: vec4<f32>,
};

const SHAPE_DISC: f32 = 0.0;
const SHAPE_RING: f32 = 1.0;
const SHAPE_PLUS: f32 = 2.0;
const SHAPE_CROSS: f32 = 3.0;

// Box units (the box is 2 wide) that lines and markers are lifted towards the eye, on top of
// their own screen-space radius: a flat marker must stand clear of the surface it sits on.
const LIFT: f32 = 0.01;

struct LineOut {
    @builtin(position) position: vec4<f32>,
    // Pixel offset from the first end (segments) or from the centre (markers).
    @location(0) local_px: vec2<f32>,
    // Segments: length and half width in pixels. Markers: radius and halo in pixels. z unused.
    // w: 1 to discard what lies outside the 3-D box, 0 not to, plus 2 × SHAPE_* for markers.
    // So both fragment shaders read the same components, and lavapipe, which compiles the
    // triangle setup for each set of inputs a fragment shader reads (about 6 ms at the first
    // draw of every process), compiles one for both.
    @location(1) @interpolate(flat) shape: vec4<f32>,
    @location(2) @interpolate(flat) color: vec4<f32>,
    // The box-space point the fragment stands for, over clip w, and 1 / clip w: quantities
    // linear in screen space, so that their ratio is interpolated with perspective.
    @location(3) box_over_w: vec4<f32>,
};

// A little slack, so that a path along the box's edge or on its top is kept.
const BOX_SLACK: f32 = 0.01;

// Paths that diverge leave the 3-D box: what lies outside it is not drawn.
fn outside_box(in: LineOut) -> bool {
    if (u32(in.shape.w) & 1u) == 0u || frame.grid.z != VIEW_3D {
        return false;
    }
    let in_box = in.box_over_w.xyz / in.box_over_w.w;
    let limit = vec3<f32>(1.0, 1.0, frame.box_scale.w) + BOX_SLACK;
    return any(abs(in_box) > limit);
}

// Clip position of a data point, lifted towards the eye in the 3-D view by LIFT plus
// `radius_px` pixels' worth of box units at its distance.
fn lifted_clip(p: vec3<f32>, radius_px: f32) -> vec4<f32> {
    if frame.grid.z == VIEW_MAP {
        return frame.clip_from_data * vec4<f32>(p, 1.0);
    }
    let in_box = box_from_data(p);
    let to_eye = frame.eye_in_box.xyz - in_box;
    let lift = LIFT + radius_px * frame.viewport.w * length(to_eye);
    let lifted = (in_box + normalize(to_eye) * lift - frame.box_offset.xyz) / frame.box_scale.xyz;
    return frame.clip_from_data * vec4<f32>(lifted, 1.0);
}

fn to_pixels(clip: vec4<f32>) -> vec2<f32> {
    return (clip.xy / clip.w * vec2<f32>(0.5, -0.5) + 0.5) * frame.viewport.xy;
}

fn from_pixels(px: vec2<f32>, depth: f32) -> vec4<f32> {
    let ndc = (px / frame.viewport.xy - 0.5) * vec2<f32>(2.0, -2.0);
    return to_target(vec4<f32>(ndc, depth, 1.0));
}

// Corner k (0..6) of a quad as two triangles, in -1..1.
fn quad_corner(k: u32) -> vec2<f32> {
    let corners = array<vec2<f32>, 6>(
        vec2<f32>(-1.0, -1.0), vec2<f32>(1.0, -1.0), vec2<f32>(1.0, 1.0),
        vec2<f32>(-1.0, -1.0), vec2<f32>(1.0, 1.0), vec2<f32>(-1.0, 1.0),
    );
    return corners[k];
}

fn hidden() -> LineOut {
    var out: LineOut;
    out.position = vec4<f32>(0.0, 0.0, 2.0, 1.0);
    return out;
}

@vertex
fn vs_segment(@builtin(vertex_index) vertex: u32, segment: SegmentIn) -> LineOut {
    let half_width_pt = 0.5 * segment.style.x;
    let clip_a = lifted_clip(segment.a, half_width_pt * frame.viewport.z);
    let clip_b = lifted_clip(segment.b, half_width_pt * frame.viewport.z);
    // Behind the camera: not drawn (paths are short; clipping them is not worth it).
    if clip_a.w <= 0.0 || clip_b.w <= 0.0 {
        return hidden();
    }
    let a = to_pixels(clip_a);
    let b = to_pixels(clip_b);
    let length = distance(a, b);
    let along = select(vec2<f32>(1.0, 0.0), (b - a) / length, length > 1e-6);
    let across = vec2<f32>(-along.y, along.x);
    let pixels = frame.viewport.z;
    let half_width = half_width_pt * pixels;
    let reach = half_width + 1.0;
    let corner = quad_corner(vertex);
    let t = corner.x * 0.5 + 0.5;
    let local = vec2<f32>(mix(-reach, length + reach, t), corner.y * reach);
    let px = a + along * local.x + across * local.y;
    let depth = mix(clip_a.z / clip_a.w, clip_b.z / clip_b.w, clamp(local.x / max(length, 1e-6), 0.0, 1.0));

    var out: LineOut;
    out.position = from_pixels(px, depth);
    out.local_px = local;
    out.shape = vec4<f32>(length, half_width, 0.0, segment.style.y);
    out.color = segment.color;
    // Extrapolated past the ends, so that across the quad it interpolates to the point of
    // the segment beside each fragment.
    let fraction = select(0.0, local.x / length, length > 1e-6);
    out.box_over_w = mix(
        vec4<f32>(box_from_data(segment.a), 1.0) / clip_a.w,
        vec4<f32>(box_from_data(segment.b), 1.0) / clip_b.w,
        fraction,
    );
    return out;
}

// The shape's colour inside (signed distance < 0), a white halo `halo` pixels wide around it
// so that paths stay visible on any colormap, anti-aliased over one pixel at the outer edge.
fn shade_edge(color: vec4<f32>, signed_distance: f32, halo: f32) -> vec4<f32> {
    let coverage = clamp(0.5 - (signed_distance - halo), 0.0, 1.0);
    if coverage <= 0.0 {
        discard;
    }
    let in_shape = clamp(0.5 - signed_distance, 0.0, 1.0);
    let rgb = mix(vec3<f32>(1.0), color.rgb, in_shape);
    let alpha = mix(0.85, color.a, in_shape);
    return vec4<f32>(rgb, alpha * coverage);
}

@fragment
fn fs_segment(in: LineOut) -> @location(0) vec4<f32> {
    if outside_box(in) {
        discard;
    }
    let length = in.shape.x;
    let along = clamp(in.local_px.x, 0.0, length);
    let distance_px = distance(in.local_px, vec2<f32>(along, 0.0));
    return shade_edge(in.color, distance_px - in.shape.y, 0.0);
}

@vertex
fn vs_marker(@builtin(vertex_index) vertex: u32, marker: MarkerIn) -> LineOut {
    let clip = lifted_clip(marker.center, (0.5 * marker.style.x + marker.style.y) * frame.viewport.z);
    if clip.w <= 0.0 {
        return hidden();
    }
    let pixels = frame.viewport.z;
    let radius = 0.5 * marker.style.x * pixels;
    let halo = marker.style.y * pixels;
    let reach = radius + halo + 1.0;
    let local = quad_corner(vertex) * reach;
    var out: LineOut;
    out.position = from_pixels(to_pixels(clip) + local, clip.z / clip.w);
    out.local_px = local;
    out.shape = vec4<f32>(radius, halo, 0.0, marker.style.w + 2.0 * marker.style.z);
    out.color = marker.color;
    out.box_over_w = vec4<f32>(box_from_data(marker.center), 1.0);
    return out;
}

@fragment
fn fs_marker(in: LineOut) -> @location(0) vec4<f32> {
    if outside_box(in) {
        discard;
    }
    let radius = in.shape.x;
    let halo = in.shape.y;
    let shape = f32(u32(in.shape.w) >> 1u);
    let p = in.local_px;
    if shape == SHAPE_DISC {
        return shade_edge(in.color, length(p) - radius, halo);
    }
    let bar = max(0.18 * radius, 1.0);
    if shape == SHAPE_RING {
        return shade_edge(in.color, abs(length(p) - (radius - bar)) - bar, halo);
    }
    // Plus and cross: two bars.
    var q = abs(p);
    if shape == SHAPE_CROSS {
        q = abs(vec2<f32>(p.x + p.y, p.x - p.y)) * 0.70710678;
    }
    let bar_a = max(q.x - radius, q.y - bar);
    let bar_b = max(q.y - radius, q.x - bar);
    return shade_edge(in.color, min(bar_a, bar_b), halo);
}

// An arrow: a shaft quad and a head triangle, built between the projected ends. The head keeps
// its size in points, and shrinks with arrows too short to hold it (as matplotlib's quiver).
@vertex
fn vs_arrow(@builtin(vertex_index) vertex: u32, arrow: ArrowIn) -> LineOut {
    let head_half_pt = 0.5 * arrow.style.z;
    let clip_base = lifted_clip(arrow.base, head_half_pt * frame.viewport.z);
    let clip_tip = lifted_clip(arrow.tip, head_half_pt * frame.viewport.z);
    if clip_base.w <= 0.0 || clip_tip.w <= 0.0 {
        return hidden();
    }
    let base_px = to_pixels(clip_base);
    let tip_px = to_pixels(clip_tip);
    if distance(base_px, tip_px) < 0.5 {
        return hidden();
    }
    let along = normalize(tip_px - base_px);
    // A halo reaches past both ends by style.w points, so it rims the tip too.
    let reach = arrow.style.w * frame.viewport.z;
    let base = base_px - along * reach;
    let length = distance(base_px, tip_px) + 2.0 * reach;
    let across = vec2<f32>(-along.y, along.x);
    let pixels = frame.viewport.z;
    let head_length = min(arrow.style.y * pixels, 0.5 * length);
    let shrink = head_length / max(arrow.style.y * pixels, 1e-6);
    let head_half = 0.5 * arrow.style.z * pixels * shrink;
    let shaft_half = 0.5 * arrow.style.x * pixels * max(shrink, 0.5);
    let neck = length - head_length;
    // Two triangles for the shaft, one for the head: (along, across) in pixels.
    let corners = array<vec2<f32>, 9>(
        vec2<f32>(0.0, -shaft_half), vec2<f32>(neck, -shaft_half), vec2<f32>(neck, shaft_half),
        vec2<f32>(0.0, -shaft_half), vec2<f32>(neck, shaft_half), vec2<f32>(0.0, shaft_half),
        vec2<f32>(neck, -head_half), vec2<f32>(length, 0.0), vec2<f32>(neck, head_half),
    );
    let local = corners[vertex];
    let depth = mix(clip_base.z / clip_base.w, clip_tip.z / clip_tip.w, local.x / length);
    var out: LineOut;
    out.position = from_pixels(base + along * local.x + across * local.y, depth);
    out.local_px = local;
    out.shape = vec4<f32>(0.0);
    out.color = arrow.color;
    return out;
}

@fragment
fn fs_flat(in: LineOut) -> @location(0) vec4<f32> {
    return in.color;
}

// A flat quad in data space (the 3-D axes' panes): two triangles, no lift, flat colour.
@vertex
fn vs_quad(@builtin(vertex_index) vertex: u32, quad: QuadIn) -> LineOut {
    let corners = array<vec3<f32>, 6>(quad.a, quad.b, quad.c, quad.a, quad.c, quad.d);
    var out: LineOut;
    out.position = to_target(frame.clip_from_data * vec4<f32>(corners[vertex], 1.0));
    out.local_px = vec2<f32>(0.0);
    out.shape = vec4<f32>(0.0);
    out.color = quad.color;
    return out;
}
