// The node buffer with f, df/dx, df/dy and 1 or 0 for valid at every node (see field.wgsl).

@group(0) @binding(1) var<storage, read_write> field_out: array<vec4<f32>>;

fn store_node(index: u32, sample: vec4<f32>, valid: bool) {
    field_out[index] = vec4<f32>(sample.xyz, select(0.0, 1.0, valid));
}
