// The function as a surface (3-D), its shadow on the floor (3-D) or a flat map (2-D).
//
// Vertices are pulled from the field buffer by vertex index: a mesh of `mesh`² vertices drawn as
// one triangle strip per row, rows joined by two repeated vertices. The mesh only shapes the
// silhouette and the depth: colour, normal, contour lines and wireframe are computed per
// fragment from the function itself (`gs_field`, generated and prepended with common.wgsl), so
// they stay exact at any zoom whatever the grid or mesh resolution.
// Keep `SurfaceDraw` in sync with src/render/surface.rs.

struct SurfaceDraw {
    // Mesh vertices per side (2 for the map and the floor: one quad over the domain).
    mesh: u32,
    // Number of entries in `level_list` when the levels are a list, else 0.
    level_list_len: u32,
    // Linear RGB and opacity of single-colour contour lines.
    contour_color: vec4<f32>,
    wire_color: vec4<f32>,
    // Contour line width and wire width in points, wire lines across x and across y.
    lines: vec4<f32>,
    // Evenly spaced levels: first, step, count; then 1 to colour each line by its level.
    level_range: vec4<f32>,
    // Just inside the lowest and highest value on the grid: levels at or beyond them draw no
    // line.
    lines_within: vec4<f32>,
};

@group(1) @binding(0) var<uniform> draw: SurfaceDraw;
// Sorted contour levels when they are a list.
@group(1) @binding(1) var<storage, read> level_list: array<f32>;

// What this pipeline draws, fixed when it is built (`SurfaceVariant` in src/render/surface.rs):
// a CPU rasteriser runs every branch of a shader for every fragment, taken or not, so the code
// of a feature this draw does not use must not be in its shader.
// MODE_*.
override MODE: u32 = 0u;
// FEATURE_* bits.
override FEATURES: u32 = 1u;
// The levels are a list in `level_list`, not evenly spaced.
override LEVEL_LIST: bool = false;

const MODE_SURFACE: u32 = 0u;
const MODE_FLOOR: u32 = 1u;
const MODE_MAP: u32 = 2u;

const FEATURE_FILL: u32 = 1u;
const FEATURE_CONTOURS: u32 = 2u;
const FEATURE_WIRE: u32 = 4u;
const FEATURE_BANDS: u32 = 8u;

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) data_xy: vec2<f32>,
    // 1 where every node of the triangle is valid; less means it touches a hole.
    @location(1) valid: f32,
};

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32) -> VsOut {
    let per_row = 2u * draw.mesh + 2u;
    let row = vertex / per_row;
    // -1 and 2*mesh are the repeated vertices that join the strips of neighbouring rows.
    let k = u32(clamp(i32(vertex % per_row) - 1, 0, i32(2u * draw.mesh) - 1));
    let mesh_i = k / 2u;
    let mesh_j = row + (k % 2u);
    // Mesh vertex to the nearest field node, so vertices lie exactly on the evaluated surface.
    let n = frame.grid.x;
    let steps = draw.mesh - 1u;
    let node = (vec2<u32>(mesh_i, mesh_j) * (n - 1u) + vec2<u32>(steps / 2u)) / steps;
    let xy = node_position(node.x, node.y);

    var out: VsOut;
    out.data_xy = xy;
    out.valid = 1.0;
    var z = 0.0;
    if MODE != MODE_MAP {
        var height: f32;
        if frame.grid.y == 1u {
            // A vertex cannot choose among several bindings; these are the values the field
            // pass wrote, from the same code at the same node.
            let sample = gs_field(xy);
            height = select(bitcast<f32>(0x7fc00000u), sample.x, sample.w > 0.5);
        } else {
            height = heights[node.y * n + node.x];
        }
        let valid = is_finite(height);
        out.valid = select(0.0, 1.0, valid);
        // An invalid node gets a finite height; its triangles are discarded per fragment.
        z = select(frame.values.w, height, valid);
        if MODE == MODE_FLOOR {
            // One flat quad: its fragments see the holes themselves.
            z = frame.values.w;
            out.valid = 1.0;
        }
    }
    out.position = to_target(frame.clip_from_data * vec4<f32>(xy, z, 1.0));
    return out;
}

// Distance in f from `f` to the nearest contour level, that level, and the gap between the
// levels around f (a huge one beyond the first or the last level).
fn nearest_level(f: f32) -> vec3<f32> {
    if !LEVEL_LIST {
        let first = draw.level_range.x;
        let step = draw.level_range.y;
        let position = (f - first) / step;
        let k = clamp(round(position), 0.0, draw.level_range.z - 1.0);
        let level = first + k * step;
        let inside = position > 0.0 && position < draw.level_range.z - 1.0;
        return vec3<f32>(abs(f - level), level, select(1e30, step, inside));
    }
    // Binary search for the first level above f; the nearest is it or the one before.
    var lo = 0u;
    var hi = draw.level_list_len;
    while lo < hi {
        let mid = (lo + hi) / 2u;
        if level_list[mid] < f {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    let above = level_list[min(lo, draw.level_list_len - 1u)];
    let below = level_list[select(lo - 1u, 0u, lo == 0u)];
    let gap = select(1e30, above - below, lo > 0u && lo < draw.level_list_len);
    if abs(f - below) < abs(f - above) {
        return vec3<f32>(abs(f - below), below, gap);
    }
    return vec3<f32>(abs(f - above), above, gap);
}

// The value at the middle of the band (between two levels) that holds f, for filled contours.
fn band_value(f: f32) -> f32 {
    if !LEVEL_LIST {
        let first = draw.level_range.x;
        let step = draw.level_range.y;
        let k = clamp(floor((f - first) / step), 0.0, draw.level_range.z - 2.0);
        return first + (k + 0.5) * step;
    }
    var lo = 0u;
    var hi = draw.level_list_len;
    while lo < hi {
        let mid = (lo + hi) / 2u;
        if level_list[mid] <= f {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    let upper = min(max(lo, 1u), draw.level_list_len - 1u);
    return 0.5 * (level_list[upper - 1u] + level_list[upper]);
}

// Coverage of an anti-aliased line of `width_px` at `distance_px` from its centre.
fn line_coverage(distance_px: f32, width_px: f32) -> f32 {
    return clamp(0.5 * width_px + 0.5 - distance_px, 0.0, 1.0);
}

// Coverage of one of a family of parallel lines `spacing_px` apart. Lines closer than a few
// widths alias into moiré rings; there their average coverage, a flat tone, takes over.
fn dense_line_coverage(distance_px: f32, width_px: f32, spacing_px: f32) -> f32 {
    let mean = min(width_px / max(spacing_px, 1e-6), 1.0);
    return mix(line_coverage(distance_px, width_px), mean, smoothstep(0.3, 0.6, mean));
}

// Lambert plus a little Blinn-Phong, lit from the camera's upper left; two-sided.
fn shade(base: vec3<f32>, normal_in_box: vec3<f32>, position_in_box: vec3<f32>) -> vec3<f32> {
    let to_eye = normalize(frame.eye_in_box.xyz - position_in_box);
    let normal = select(-normal_in_box, normal_in_box, dot(normal_in_box, to_eye) >= 0.0);
    let light = frame.light_in_box.xyz;
    let diffuse = max(dot(normal, light), 0.0);
    let half_vector = normalize(light + to_eye);
    let specular = 0.15 * pow(max(dot(normal, half_vector), 0.0), 40.0);
    return base * (0.4 + 0.6 * diffuse) + vec3<f32>(specular);
}

fn over(top: vec4<f32>, bottom: vec4<f32>) -> vec4<f32> {
    let alpha = top.a + bottom.a * (1.0 - top.a);
    let rgb = (top.rgb * top.a + bottom.rgb * bottom.a * (1.0 - top.a)) / max(alpha, 1e-6);
    return vec4<f32>(rgb, alpha);
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    let sample = gs_field(in.data_xy);
    let f = sample.x;
    // Screen-space derivatives first: they need every fragment of the quad, discarded or not.
    let f_per_px = fwidth(f);
    let pixels = frame.viewport.z;

    var color = vec4<f32>(0.0);
    if (FEATURES & FEATURE_FILL) != 0u {
        var base = colormap(value_to_unit(f));
        if MODE == MODE_SURFACE {
            // Box-space normal from the exact gradient.
            let slope = sample.yz * frame.box_scale.z / frame.box_scale.xy;
            var normal = vec3<f32>(-slope, 1.0);
            if !(is_finite(normal.x) && is_finite(normal.y)) {
                normal = vec3<f32>(0.0, 0.0, 1.0);
            }
            let position = box_from_data(vec3<f32>(in.data_xy, f));
            base = shade(base, normalize(normal), position);
        }
        color = vec4<f32>(base, 1.0);
    }
    if (FEATURES & FEATURE_BANDS) != 0u {
        color = vec4<f32>(colormap(value_to_unit(band_value(f))), 1.0);
    }
    if (FEATURES & FEATURE_WIRE) != 0u {
        let cells = draw.lines.zw - 1.0;
        let u = (in.data_xy - frame.domain.xy) / (frame.domain.zw - frame.domain.xy) * cells;
        let u_per_px = max(fwidth(u), vec2<f32>(1e-12));
        let distance_px = abs(u - round(u)) / u_per_px;
        let width_px = draw.lines.y * pixels;
        let coverage = max(
            dense_line_coverage(distance_px.x, width_px, 1.0 / u_per_px.x),
            dense_line_coverage(distance_px.y, width_px, 1.0 / u_per_px.y),
        );
        color = over(vec4<f32>(draw.wire_color.rgb, draw.wire_color.a * coverage), color);
    }
    if (FEATURES & FEATURE_CONTOURS) != 0u {
        let nearest = nearest_level(f);
        // f meets a level at its lowest or highest value only where it bottoms out or peaks:
        // as a line that would be a blot at the minimum or would flood a plateau.
        let has_line = nearest.y > draw.lines_within.x && nearest.y < draw.lines_within.y;
        let f_per_px_safe = max(f_per_px, 1e-30);
        let coverage = select(0.0, 1.0, has_line) * dense_line_coverage(
            nearest.x / f_per_px_safe,
            draw.lines.x * pixels,
            nearest.z / f_per_px_safe,
        );
        var line = draw.contour_color;
        if draw.level_range.w > 0.5 {
            // Darkened a little so that the light middle of a diverging colormap (bwr's
            // white) still shows on a white background.
            line = vec4<f32>(colormap(value_to_unit(nearest.y)) * 0.75, 1.0);
        }
        color = over(vec4<f32>(line.rgb, line.a * coverage), color);
    }

    let valid = sample.w > 0.5 && is_finite(f) && in.valid > 0.999;
    if !valid || color.a <= 0.0 {
        discard;
    }
    return color;
}
