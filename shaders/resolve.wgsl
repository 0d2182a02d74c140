// The multisample resolve: each pixel of the target is the mean of its four samples in the
// scene's multisampled colour (gradscape multisamples 4× or not at all). textureLoad decodes
// sRGB formats to linear, so the mean is taken in linear light and the target re-encodes it,
// as a hardware resolve does.

@group(0) @binding(0) var scene_samples: texture_multisampled_2d<f32>;
// Where the samples' top left lies in the target (xy; zw unused): on a CPU adapter only the
// part of the target that the scene covers is multisampled, and drawn here by the viewport.
@group(0) @binding(1) var<uniform> region_origin: vec4<i32>;

// One triangle that covers the whole viewport.
@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> @builtin(position) vec4<f32> {
    let uv = vec2<f32>(f32((index << 1u) & 2u), f32(index & 2u));
    return vec4<f32>(uv * 2.0 - 1.0, 0.0, 1.0);
}

@fragment
fn fs_main(@builtin(position) position: vec4<f32>) -> @location(0) vec4<f32> {
    let pixel = vec2<i32>(position.xy) - region_origin.xy;
    // Written out rather than looped over textureNumSamples: lavapipe runs the unrolled form
    // about a quarter faster.
    let sum = textureLoad(scene_samples, pixel, 0) + textureLoad(scene_samples, pixel, 1)
        + textureLoad(scene_samples, pixel, 2) + textureLoad(scene_samples, pixel, 3);
    return 0.25 * sum;
}
