// The node buffer with f alone at every node, a quiet NaN where f is undefined (see
// field.wgsl): the surface reads nothing else.

@group(0) @binding(1) var<storage, read_write> heights_out: array<f32>;

fn store_node(index: u32, sample: vec4<f32>, valid: bool) {
    heights_out[index] = select(bitcast<f32>(0x7fc00000u), sample.x, valid);
}
