// The multisample resolve: each pixel of the target is the mean of its samples in the scene's
// multisampled colour. textureLoad decodes sRGB formats to linear, so the mean is taken in
// linear light and the target re-encodes it, as a hardware resolve does.

@group(0) @binding(0) var scene_samples: texture_multisampled_2d<f32>;

// One triangle that covers the whole target.
@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> @builtin(position) vec4<f32> {
    let uv = vec2<f32>(f32((index << 1u) & 2u), f32(index & 2u));
    return vec4<f32>(uv * 2.0 - 1.0, 0.0, 1.0);
}

@fragment
fn fs_main(@builtin(position) position: vec4<f32>) -> @location(0) vec4<f32> {
    let pixel = vec2<i32>(position.xy);
    let samples = textureNumSamples(scene_samples);
    var sum = vec4<f32>(0.0);
    for (var i = 0u; i < samples; i++) {
        sum += textureLoad(scene_samples, pixel, i32(i));
    }
    return sum / f32(samples);
}
