// Field evaluation: f, df/dx, df/dy and a validity flag for every grid node, plus the range of
// the valid values and the count of invalid nodes. 16x16 workgroups; each invocation evaluates
// `rows_per_invocation` nodes of one column (set by src/render/field.rs), so a workgroup covers
// 16 columns by 16 × that many rows.
// The range is reduced into workgroup atomics by `reduce_into_group`, defined in one of two
// files appended to this one: field_reduce_subgroup.wgsl where the device has subgroup
// operations (one atomic per subgroup), field_reduce_atomic.wgsl otherwise (one per
// invocation); then one invocation merges the workgroup's range into the global one. A shared
// address hit by every invocation serialises on GPUs and on lavapipe alike, and a
// barrier-per-level tree costs lavapipe a context switch per invocation. Merging every
// subgroup straight into the global range, without the barriers, made the dispatch 3.7 times
// slower on an H200: the global atomics serialise.
// The node buffer and `store_node` are declared by one of two files appended too:
// field_store_full.wgsl (f, df/dx, df/dy and the flag, for reading back) or
// field_store_heights.wgsl (f alone, all that drawing needs).
// `gs_field` is generated from the function's syntax tree and prepended to this file.
// Keep `FieldParams` in sync with src/render/field.rs.

struct FieldParams {
    // xmin, ymin, xmax, ymax of the domain.
    domain: vec4<f32>,
    // Nodes per side; this tile's first row, the end of the rows it counts (the last row of
    // a tile repeats as the first of the next, and is counted there), and its row count.
    size: vec4<u32>,
};

struct FieldStats {
    // Order-preserving keys of the smallest and largest valid f (see `order_key`).
    min_key: atomic<u32>,
    max_key: atomic<u32>,
    invalid: atomic<u32>,
    _pad: u32,
};

@group(0) @binding(0) var<uniform> params: FieldParams;
@group(0) @binding(2) var<storage, read_write> stats: FieldStats;

var<workgroup> group_min: atomic<u32>;
var<workgroup> group_max: atomic<u32>;
var<workgroup> group_invalid: atomic<u32>;

// Maps a float to a u32 whose unsigned order is the float's order, so atomicMin/Max work.
fn order_key(v: f32) -> u32 {
    let bits = bitcast<u32>(v);
    return select(bits | 0x80000000u, ~bits, (bits & 0x80000000u) != 0u);
}

fn finite(v: f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

override rows_per_invocation: u32;

@compute @workgroup_size(16, 16)
fn cs_main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_id) local_id: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    if local == 0u {
        atomicStore(&group_min, 0xffffffffu);
        atomicStore(&group_max, 0u);
        atomicStore(&group_invalid, 0u);
    }
    workgroupBarrier();

    // Nodes outside the grid are neutral: they change neither end of the range nor the count.
    var min_key = 0xffffffffu;
    var max_key = 0u;
    var invalid = 0u;
    let n = params.size.x;
    let last = f32(n - 1u);
    let i = group.x * 16u + local_id.x;
    let first_row = group.y * 16u * rows_per_invocation + local_id.y;
    for (var k = 0u; k < rows_per_invocation; k++) {
        // Row within this tile; the rows of one pass over the workgroup lie side by side.
        let row = first_row + 16u * k;
        let j = row + params.size.y;
        if i < n && j < n && row < params.size.w {
            let t = vec2<f32>(f32(i), f32(j));
            // Written so both ends and the centre of the domain are exact.
            let p = (params.domain.xy * (last - t) + params.domain.zw * t) / last;
            let sample = gs_field(p);
            let valid = sample.w > 0.5 && finite(sample.x);
            store_node(row * n + i, sample, valid);
            if valid {
                let key = order_key(sample.x);
                min_key = min(min_key, key);
                max_key = max(max_key, key);
            } else if j < params.size.z {
                invalid += 1u;
            }
        }
    }
    // In uniform control flow: subgroup operations need every invocation.
    reduce_into_group(min_key, max_key, invalid);

    workgroupBarrier();
    if local == 0u {
        // Most workgroups improve on neither end once a few have run: a load is cheaper than
        // an atomic every workgroup contends for.
        let group_low = atomicLoad(&group_min);
        let group_high = atomicLoad(&group_max);
        if group_low < atomicLoad(&stats.min_key) {
            atomicMin(&stats.min_key, group_low);
        }
        if group_high > atomicLoad(&stats.max_key) {
            atomicMax(&stats.max_key, group_high);
        }
        let group_invalid_count = atomicLoad(&group_invalid);
        if group_invalid_count > 0u {
            atomicAdd(&stats.invalid, group_invalid_count);
        }
    }
}
