// The benchmark's write ceiling: the plainest kernel that writes one vec4<f32> per node of the
// grid (16x16 workgroups, one node per invocation, a value that costs nothing), so the field's
// own bandwidth can be given as a fraction of what this device writes.

struct Size {
    n: u32,
};

@group(0) @binding(0) var<uniform> size: Size;
@group(0) @binding(1) var<storage, read_write> nodes: array<vec4<f32>>;

@compute @workgroup_size(16, 16)
fn cs_main(@builtin(global_invocation_id) id: vec3<u32>) {
    if id.x < size.n && id.y < size.n {
        let index = id.y * size.n + id.x;
        nodes[index] = vec4<f32>(f32(index));
    }
}
