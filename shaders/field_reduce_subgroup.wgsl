// The range of a subgroup, merged into the global one by its first invocation: no barrier, and
// on most subgroups only loads (see `merge_into_stats` in field.wgsl).
fn reduce_range(min_key: u32, max_key: u32, invalid: u32, local: u32) {
    let subgroup_min = subgroupMin(min_key);
    let subgroup_max = subgroupMax(max_key);
    let subgroup_invalid = subgroupAdd(invalid);
    if subgroupExclusiveAdd(1u) == 0u {
        merge_into_stats(subgroup_min, subgroup_max, subgroup_invalid);
    }
}
