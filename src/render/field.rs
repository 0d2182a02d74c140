//! The field pass: f, ∂f/∂x, ∂f/∂y and a validity flag at every grid node, evaluated by a
//! compute shader into one storage buffer: all four for reading back ([`NodeLayout::Full`]),
//! or f alone for the render passes, which read nothing else ([`NodeLayout::Heights`]).
//!
//! It runs only when the function, the domain or the resolution changes. The same dispatch
//! also reduces the range of the valid values and counts the invalid nodes (within subgroups
//! where the device has them, then workgroup atomics, then one global merge per workgroup),
//! which are read back once: they set the colour range and the height of the 3-D box.

use std::time::Duration;

use crate::function::Function;
use crate::render::gpu::Gpu;
use crate::render::timer::GpuTimer;
use crate::render::{RenderError, buffer_entry};
use crate::scene::Domain;

/// What the node buffer holds for each node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeLayout {
    /// `vec4<f32>`: f, ∂f/∂x, ∂f/∂y and 1 or 0 for valid: for `gradscape field`, the tests and
    /// the benchmark's bandwidth.
    Full,
    /// `f32`: f, NaN where it is undefined. All that drawing reads, in a quarter of the memory.
    Heights,
}

impl NodeLayout {
    pub fn node_bytes(self) -> u64 {
        match self {
            NodeLayout::Full => 16,
            NodeLayout::Heights => 4,
        }
    }

    /// The WGSL that declares the node buffer and `store_node` (see shaders/field.wgsl).
    fn store_shader(self) -> &'static str {
        match self {
            NodeLayout::Full => STORE_FULL,
            NodeLayout::Heights => STORE_HEIGHTS,
        }
    }
}

/// Workgroup side; keep in sync with `@workgroup_size` in shaders/field.wgsl.
const WORKGROUP_SIDE: u32 = 16;
/// Nodes each invocation evaluates, one per row, so that one range reduction (two barriers and
/// a few atomics) serves four nodes. On an H200 this took the dispatch from 49 % to 98 % of the
/// device's write bandwidth at 4096² (1: 49 %, 2: 77 %, 4: 98 %, 8: 97 %).
const ROWS_PER_INVOCATION: u32 = 4;
/// Node indices are u32 in the shaders (`j·n + i`).
const MAX_GRID_BY_INDEX: u32 = 65_535;

const FIELD_SHADER: &str = include_str!("../../shaders/field.wgsl");
const REDUCE_SUBGROUP: &str = include_str!("../../shaders/field_reduce_subgroup.wgsl");
const REDUCE_ATOMIC: &str = include_str!("../../shaders/field_reduce_atomic.wgsl");
const STORE_FULL: &str = include_str!("../../shaders/field_store_full.wgsl");
const STORE_HEIGHTS: &str = include_str!("../../shaders/field_store_heights.wgsl");

/// Keep in sync with `FieldParams` in shaders/field.wgsl.
#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct FieldParams {
    domain: [f32; 4],
    /// Nodes per side, this tile's first row, the end of the rows it counts, its row count
    /// (see shaders/field.wgsl).
    size: [u32; 4],
}

/// What the reduction found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldStats {
    /// Smallest and largest f over the valid nodes (NaN when none is valid).
    pub min: f32,
    pub max: f32,
    pub invalid_nodes: u64,
    pub nodes: u64,
}

impl FieldStats {
    pub fn invalid_fraction(&self) -> f64 {
        self.invalid_nodes as f64 / self.nodes.max(1) as f64
    }
}

/// Inverse of `order_key` in shaders/field.wgsl.
fn from_order_key(key: u32) -> f32 {
    if key & 0x8000_0000 != 0 {
        f32::from_bits(key & 0x7fff_ffff)
    } else {
        f32::from_bits(!key)
    }
}

/// The field may take at most this many storage bindings' worth of memory (in tiles), and
/// never more than [`MAX_FIELD_BYTES`]: a driver that over-commits memory (lavapipe on Linux)
/// would accept an allocation it cannot back and fail later, out of our hands.
const MAX_FIELD_BINDINGS: u64 = 16;
const MAX_FIELD_BYTES: u64 = 8 << 30;

/// Memory the field may use on this device.
fn field_budget(limits: &wgpu::Limits) -> u64 {
    (limits.max_storage_buffer_binding_size * MAX_FIELD_BINDINGS).min(MAX_FIELD_BYTES)
}

const POISON_BYTE: u8 = 0xA5;
/// Every word of a poisoned node buffer: a NaN no evaluation writes.
pub const POISON_BITS: u32 = u32::from_ne_bytes([POISON_BYTE; 4]);

/// Largest grid this device takes in `layout`: within the field's memory budget, split into
/// tiles when it exceeds one storage binding.
pub fn max_grid(limits: &wgpu::Limits, layout: NodeLayout) -> u32 {
    let by_memory = ((field_budget(limits) / layout.node_bytes()) as f64)
        .sqrt()
        .floor() as u32;
    by_memory.min(MAX_GRID_BY_INDEX)
}

/// Bytes in binary units for messages ("128 MiB").
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Checks a requested grid size against the device before anything is allocated.
pub fn check_grid(n: u32, limits: &wgpu::Limits, layout: NodeLayout) -> Result<(), RenderError> {
    if n < 2 {
        return Err(RenderError::GridTooSmall { requested: n });
    }
    let max = max_grid(limits, layout);
    if n > max {
        return Err(RenderError::GridTooLarge {
            requested: n,
            needed: format_bytes(u64::from(n) * u64::from(n) * layout.node_bytes()),
            limit: format_bytes(field_budget(limits)),
            max,
        });
    }
    Ok(())
}

/// Rows of the grid in one storage buffer. Neighbouring tiles share a row, so that every
/// pair of adjacent rows lies in one tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TileRows {
    pub first: u32,
    pub count: u32,
}

/// How an n×n grid is split so that each tile fits in `max_rows` rows.
pub fn tile_rows(n: u32, max_rows: u32) -> Vec<TileRows> {
    let max_rows = max_rows.clamp(2, n.max(2));
    let mut tiles = Vec::new();
    let mut first = 0;
    loop {
        let count = max_rows.min(n - first);
        tiles.push(TileRows { first, count });
        if first + count >= n {
            return tiles;
        }
        first += count - 1;
    }
}

#[derive(Clone, Debug, PartialEq)]
struct FieldKey {
    function: String,
    domain: Domain,
    n: u32,
}

/// One tile of the field: its rows, node buffer, parameters and bind group.
struct Tile {
    rows: TileRows,
    nodes: wgpu::Buffer,
    params: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
}

pub struct FieldPass {
    layout: NodeLayout,
    bind_group_layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    /// Compiled for the function whose WGSL is the key.
    pipeline: Option<(String, wgpu::ComputePipeline)>,
    stats: wgpu::Buffer,
    stats_readback: wgpu::Buffer,
    /// The grid in tiles of at most one storage binding each; usually one.
    tiles: Vec<Tile>,
    /// For tests: split the grid into tiles of at most this many rows.
    max_tile_rows: Option<u32>,
    evaluated: Option<(FieldKey, FieldStats)>,
    /// Benchmark only: timestamps around the dispatch.
    timer: Option<GpuTimer>,
    last_gpu_time: Option<Duration>,
}

impl FieldPass {
    /// A field pass whose node buffer holds f, ∇f and validity, for reading back.
    pub fn new(gpu: &Gpu) -> FieldPass {
        FieldPass::with_layout(gpu, NodeLayout::Full)
    }

    /// A field pass whose node buffer is in `layout`.
    pub fn with_layout(gpu: &Gpu, layout: NodeLayout) -> FieldPass {
        let device = &gpu.device;
        let compute = wgpu::ShaderStages::COMPUTE;
        let storage = wgpu::BufferBindingType::Storage { read_only: false };
        let bind_group_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("field::bind_group_layout"),
            entries: &[
                buffer_entry(0, compute, wgpu::BufferBindingType::Uniform),
                buffer_entry(1, compute, storage),
                buffer_entry(2, compute, storage),
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("field::pipeline_layout"),
            bind_group_layouts: &[Some(&bind_group_layout)],
            immediate_size: 0,
        });
        let buffer = |label, usage| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: 16,
                usage,
                mapped_at_creation: false,
            })
        };
        use wgpu::BufferUsages as U;
        FieldPass {
            layout,
            bind_group_layout,
            pipeline_layout,
            pipeline: None,
            stats: buffer("field::stats", U::STORAGE | U::COPY_DST | U::COPY_SRC),
            stats_readback: buffer("field::stats_readback", U::MAP_READ | U::COPY_DST),
            tiles: Vec::new(),
            max_tile_rows: None,
            evaluated: None,
            timer: None,
            last_gpu_time: None,
        }
    }

    /// Times every evaluation with GPU timestamps where the adapter supports them.
    pub fn enable_timing(&mut self, gpu: &Gpu) {
        self.timer = GpuTimer::new(gpu);
    }

    /// GPU time of the last evaluation, when timing is enabled and supported.
    pub fn last_gpu_time(&self) -> Option<Duration> {
        self.last_gpu_time
    }

    /// Forgets the last evaluation so the next `update` evaluates again (benchmark).
    pub fn invalidate(&mut self) {
        self.evaluated = None;
    }

    /// Splits grids into tiles of at most `rows` rows, as if the device's storage bindings
    /// were that small: tiling is tested without giant grids.
    pub fn set_max_tile_rows(&mut self, rows: Option<u32>) {
        self.max_tile_rows = rows;
        self.invalidate();
    }

    /// The first tile's node buffer (y-major, see [`NodeLayout`]), once `update` has run.
    pub fn nodes(&self) -> Option<&wgpu::Buffer> {
        self.tiles.first().map(|tile| &tile.nodes)
    }

    /// Whether the grid is split over several buffers (then the surface takes its heights
    /// from the function rather than from one node buffer).
    pub fn is_tiled(&self) -> bool {
        self.tiles.len() > 1
    }

    /// Stats of the current field, once `update` has run.
    pub fn stats(&self) -> Option<FieldStats> {
        self.evaluated.as_ref().map(|(_, stats)| *stats)
    }

    fn ensure_pipeline(&mut self, gpu: &Gpu, function: &Function) -> Result<(), RenderError> {
        if self
            .pipeline
            .as_ref()
            .is_some_and(|(wgsl, _)| wgsl == function.wgsl())
        {
            return Ok(());
        }
        let reduce = if gpu.device.features().contains(wgpu::Features::SUBGROUP) {
            REDUCE_SUBGROUP
        } else {
            REDUCE_ATOMIC
        };
        let source = format!(
            "{}\n{FIELD_SHADER}\n{reduce}\n{}",
            function.wgsl(),
            self.layout.store_shader()
        );
        let pipeline = super::with_validation_scope(&gpu.device, || {
            let module = gpu
                .device
                .create_shader_module(wgpu::ShaderModuleDescriptor {
                    label: Some("field::shader"),
                    source: wgpu::ShaderSource::Wgsl(source.into()),
                });
            gpu.device
                .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                    label: Some("field::pipeline"),
                    layout: Some(&self.pipeline_layout),
                    module: &module,
                    entry_point: Some("cs_main"),
                    compilation_options: wgpu::PipelineCompilationOptions {
                        constants: &[("rows_per_invocation", f64::from(ROWS_PER_INVOCATION))],
                        ..Default::default()
                    },
                    cache: None,
                })
        })?;
        self.pipeline = Some((function.wgsl().to_owned(), pipeline));
        Ok(())
    }

    /// Allocates the tiles for an n×n grid unless they are already there. An allocation the
    /// device refuses is an error naming the grid that fits in what was allocated.
    fn ensure_tiles(&mut self, gpu: &Gpu, n: u32) -> Result<(), RenderError> {
        let node_bytes = self.layout.node_bytes();
        let binding = gpu.device.limits().max_storage_buffer_binding_size;
        let rows_per_binding = (binding / (u64::from(n) * node_bytes)).min(u64::from(n)) as u32;
        let max_rows = self.max_tile_rows.unwrap_or(n).min(rows_per_binding);
        let layout = tile_rows(n, max_rows);
        let current: Vec<TileRows> = self.tiles.iter().map(|t| t.rows).collect();
        let same_width = self
            .tiles
            .first()
            .is_some_and(|t| t.nodes.size() == u64::from(t.rows.count) * u64::from(n) * node_bytes);
        if current == layout && same_width {
            return Ok(());
        }
        self.tiles.clear();
        let mut allocated = 0u64;
        for rows in layout {
            let size = u64::from(rows.count) * u64::from(n) * node_bytes;
            let scope = gpu.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
            let nodes = gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("field::nodes"),
                size,
                usage: wgpu::BufferUsages::STORAGE
                    | wgpu::BufferUsages::COPY_SRC
                    | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            if let Some(error) = pollster::block_on(scope.pop()) {
                self.tiles.clear();
                let fits = ((allocated / node_bytes) as f64).sqrt() as u32;
                return Err(RenderError::OutOfMemory {
                    what: format!(
                        "the {n}² grid ({}); about --grid {fits} fits",
                        format_bytes(u64::from(n) * u64::from(n) * node_bytes)
                    ),
                    detail: error.to_string(),
                });
            }
            allocated += size;
            let params = gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("field::params"),
                size: std::mem::size_of::<FieldParams>() as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            let bind_group = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("field::bind_group"),
                layout: &self.bind_group_layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: params.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: nodes.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: self.stats.as_entire_binding(),
                    },
                ],
            });
            self.tiles.push(Tile {
                rows,
                nodes,
                params,
                bind_group,
            });
        }
        Ok(())
    }

    /// Evaluates the field unless the same function, domain and grid were evaluated last, and
    /// returns its stats.
    pub fn update(
        &mut self,
        gpu: &Gpu,
        function: &Function,
        domain: &Domain,
        n: u32,
    ) -> Result<FieldStats, RenderError> {
        check_grid(n, &gpu.device.limits(), self.layout)?;
        let key = FieldKey {
            function: function.wgsl().to_owned(),
            domain: *domain,
            n,
        };
        if let Some((evaluated, stats)) = &self.evaluated
            && *evaluated == key
        {
            return Ok(*stats);
        }
        self.evaluated = None;
        self.ensure_pipeline(gpu, function)?;
        self.ensure_tiles(gpu, n)?;
        let Some((_, pipeline)) = &self.pipeline else {
            unreachable!("ensure_pipeline succeeded")
        };
        gpu.queue.write_buffer(
            &self.stats,
            0,
            bytemuck::cast_slice(&[u32::MAX, 0u32, 0u32, 0u32]),
        );
        let last = self.tiles.len() - 1;
        for (index, tile) in self.tiles.iter().enumerate() {
            // A shared row belongs to the tile below it, so nothing is counted twice.
            let owned_end = if index == last {
                tile.rows.first + tile.rows.count
            } else {
                tile.rows.first + tile.rows.count - 1
            };
            let params = FieldParams {
                domain: [
                    domain.x[0] as f32,
                    domain.y[0] as f32,
                    domain.x[1] as f32,
                    domain.y[1] as f32,
                ],
                size: [n, tile.rows.first, owned_end, tile.rows.count],
            };
            gpu.queue
                .write_buffer(&tile.params, 0, bytemuck::bytes_of(&params));
        }
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("field::encoder"),
            });
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("field::pass"),
                timestamp_writes: self.timer.as_ref().map(GpuTimer::compute_writes),
            });
            pass.set_pipeline(pipeline);
            for tile in &self.tiles {
                pass.set_bind_group(0, &tile.bind_group, &[]);
                pass.dispatch_workgroups(
                    n.div_ceil(WORKGROUP_SIDE),
                    tile.rows
                        .count
                        .div_ceil(WORKGROUP_SIDE * ROWS_PER_INVOCATION),
                    1,
                );
            }
        }
        encoder.copy_buffer_to_buffer(&self.stats, 0, &self.stats_readback, 0, 16);
        if let Some(timer) = &self.timer {
            timer.resolve(&mut encoder);
        }
        let submission = gpu.queue.submit([encoder.finish()]);
        if let Some(timer) = &self.timer {
            self.last_gpu_time = Some(timer.read(gpu, submission.clone())?);
        }
        let words: [u32; 4] = read_mapped(gpu, &self.stats_readback, submission)?
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect::<Vec<_>>()
            .try_into()
            .map_err(|_| RenderError::Readback("stats buffer has the wrong size".into()))?;
        let nodes_total = u64::from(n) * u64::from(n);
        let any_valid = u64::from(words[2]) < nodes_total;
        let stats = FieldStats {
            min: if any_valid {
                from_order_key(words[0])
            } else {
                f32::NAN
            },
            max: if any_valid {
                from_order_key(words[1])
            } else {
                f32::NAN
            },
            invalid_nodes: u64::from(words[2]),
            nodes: nodes_total,
        };
        self.evaluated = Some((key, stats));
        Ok(stats)
    }

    /// Fills the node buffers with [`POISON_BITS`] and forgets the last evaluation, so a
    /// test can see which nodes the next `update` writes.
    pub fn poison(&mut self, gpu: &Gpu) {
        for tile in &self.tiles {
            let pattern = vec![POISON_BYTE; tile.nodes.size() as usize];
            gpu.queue.write_buffer(&tile.nodes, 0, &pattern);
        }
        self.invalidate();
    }

    /// Copies the nodes of a [`NodeLayout::Full`] field back to the CPU: (f, ∂f/∂x, ∂f/∂y,
    /// valid) per node, y-major, each row once.
    pub fn read_nodes(&self, gpu: &Gpu) -> Result<Vec<[f32; 4]>, RenderError> {
        Ok(bytemuck::pod_collect_to_vec(
            &self.read_back(gpu, NodeLayout::Full)?,
        ))
    }

    /// Copies the heights of a [`NodeLayout::Heights`] field back to the CPU: f per node (NaN
    /// where undefined), y-major, each row once.
    pub fn read_heights(&self, gpu: &Gpu) -> Result<Vec<f32>, RenderError> {
        Ok(bytemuck::pod_collect_to_vec(
            &self.read_back(gpu, NodeLayout::Heights)?,
        ))
    }

    /// The node buffers' bytes, each row once, when they are in `layout`.
    fn read_back(&self, gpu: &Gpu, layout: NodeLayout) -> Result<Vec<u8>, RenderError> {
        if layout != self.layout {
            return Err(RenderError::Readback(format!(
                "the field holds {:?} nodes, not {layout:?}",
                self.layout
            )));
        }
        let mut bytes = Vec::new();
        for (index, tile) in self.tiles.iter().enumerate() {
            let staging = gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("field::nodes_readback"),
                size: tile.nodes.size(),
                usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            let mut encoder = gpu
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("field::readback_encoder"),
                });
            encoder.copy_buffer_to_buffer(&tile.nodes, 0, &staging, 0, tile.nodes.size());
            let submission = gpu.queue.submit([encoder.finish()]);
            let tile_bytes = read_mapped(gpu, &staging, submission)?;
            // The first row of every tile after the first repeats the previous tile's last.
            let row_bytes = tile_bytes.len() / tile.rows.count.max(1) as usize;
            let skip = if index == 0 { 0 } else { row_bytes };
            bytes.extend_from_slice(&tile_bytes[skip..]);
        }
        Ok(bytes)
    }
}

/// Waits for `submission`, maps `buffer` and copies its contents out.
pub fn read_mapped(
    gpu: &Gpu,
    buffer: &wgpu::Buffer,
    submission: wgpu::SubmissionIndex,
) -> Result<Vec<u8>, RenderError> {
    read_mapped_with(gpu, buffer, submission, <[u8]>::to_vec)
}

/// Waits for `submission`, maps `buffer` and returns what `read` makes of its contents.
pub fn read_mapped_with<T>(
    gpu: &Gpu,
    buffer: &wgpu::Buffer,
    submission: wgpu::SubmissionIndex,
    read: impl FnOnce(&[u8]) -> T,
) -> Result<T, RenderError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    buffer
        .slice(..)
        .map_async(wgpu::MapMode::Read, move |result| {
            // The receiver outlives this callback: it waits just below.
            let _ = sender.send(result);
        });
    gpu.wait(submission)
        .map_err(|e| RenderError::Readback(format!("waiting for the GPU: {e}")))?;
    receiver
        .recv_timeout(std::time::Duration::from_secs(1))
        .map_err(|_| RenderError::Readback("the GPU never mapped the buffer".into()))?
        .map_err(|e| RenderError::Readback(e.to_string()))?;
    let value = read(
        &buffer
            .slice(..)
            .get_mapped_range()
            .map_err(|e| RenderError::Readback(e.to_string()))?,
    );
    buffer.unmap();
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_keys_round_trip() {
        for v in [-3.5f32, -0.0, 0.0, 1e-30, 7.25, f32::MAX, -f32::MAX] {
            let bits = v.to_bits();
            let key = if bits & 0x8000_0000 != 0 {
                !bits
            } else {
                bits | 0x8000_0000
            };
            assert_eq!(from_order_key(key).to_bits(), bits);
        }
    }

    #[test]
    fn grid_limits_name_the_largest_grid_that_fits() {
        // lavapipe: 128 MiB per binding; the field may take 16 bindings' worth in tiles.
        let limits = wgpu::Limits {
            max_storage_buffer_binding_size: 128 << 20,
            max_buffer_size: 256 << 20,
            ..wgpu::Limits::default()
        };
        let full = NodeLayout::Full;
        assert_eq!(max_grid(&limits, full), 11585);
        assert!(matches!(
            check_grid(1, &limits, full),
            Err(RenderError::GridTooSmall { requested: 1 })
        ));
        let message = check_grid(100_000_000, &limits, full)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("2 GiB") && message.contains("11585"),
            "{message}"
        );
        assert!(check_grid(11585, &limits, full).is_ok());
        // Heights take a quarter of the memory: twice the side.
        assert_eq!(max_grid(&limits, NodeLayout::Heights), 23170);
    }

    #[test]
    fn tiles_share_one_row_and_cover_the_grid() {
        assert_eq!(
            tile_rows(10, 10),
            [TileRows {
                first: 0,
                count: 10
            }]
        );
        let tiles = tile_rows(10, 4);
        assert_eq!(
            tiles,
            [
                TileRows { first: 0, count: 4 },
                TileRows { first: 3, count: 4 },
                TileRows { first: 6, count: 4 },
            ]
        );
        for pair in tiles.windows(2) {
            assert_eq!(pair[0].first + pair[0].count - 1, pair[1].first);
        }
        let last = tile_rows(11, 4)
            .pop()
            .unwrap_or(TileRows { first: 0, count: 0 });
        assert_eq!(last.first + last.count, 11);
    }

    #[test]
    fn bytes_are_formatted_for_people() {
        assert_eq!(format_bytes(512), "512 bytes");
        assert_eq!(format_bytes(128 << 20), "128 MiB");
        assert_eq!(format_bytes(1536), "1.5 KiB");
    }
}
