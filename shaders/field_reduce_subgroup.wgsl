// The range of a subgroup, then one workgroup atomic per subgroup (see field.wgsl).
fn reduce_into_group(min_key: u32, max_key: u32, invalid: u32) {
    let subgroup_min = subgroupMin(min_key);
    let subgroup_max = subgroupMax(max_key);
    let subgroup_invalid = subgroupAdd(invalid);
    // The first active invocation of the subgroup writes for all of it.
    if subgroupExclusiveAdd(1u) == 0u {
        atomicMin(&group_min, subgroup_min);
        atomicMax(&group_max, subgroup_max);
        atomicAdd(&group_invalid, subgroup_invalid);
    }
}
