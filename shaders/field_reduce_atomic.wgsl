// One workgroup atomic per invocation, for devices without subgroup operations (see
// field.wgsl).
fn reduce_into_group(min_key: u32, max_key: u32, invalid: u32) {
    atomicMin(&group_min, min_key);
    atomicMax(&group_max, max_key);
    atomicAdd(&group_invalid, invalid);
}
