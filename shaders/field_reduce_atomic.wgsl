// For devices without subgroup operations: one workgroup atomic per invocation, then one merge
// per workgroup (see field.wgsl).
var<workgroup> group_min: atomic<u32>;
var<workgroup> group_max: atomic<u32>;
var<workgroup> group_invalid: atomic<u32>;

fn reduce_range(min_key: u32, max_key: u32, invalid: u32, local: u32) {
    if local == 0u {
        atomicStore(&group_min, 0xffffffffu);
        atomicStore(&group_max, 0u);
        atomicStore(&group_invalid, 0u);
    }
    workgroupBarrier();
    atomicMin(&group_min, min_key);
    atomicMax(&group_max, max_key);
    atomicAdd(&group_invalid, invalid);
    workgroupBarrier();
    if local == 0u {
        merge_into_stats(
            atomicLoad(&group_min),
            atomicLoad(&group_max),
            atomicLoad(&group_invalid),
        );
    }
}
