//! The field pass: f, ∂f/∂x, ∂f/∂y and a validity flag at every grid node, evaluated by a
//! compute shader into one storage buffer that the render passes read.
//!
//! It runs only when the function, the domain or the resolution changes. The same dispatch
//! also reduces the range of the valid values and counts the invalid nodes (workgroup atomics,
//! then one global atomic per workgroup), which are read back once: they set the colour range
//! and the height of the 3-D box.

use std::time::Duration;

use crate::function::Function;
use crate::render::RenderError;
use crate::render::gpu::Gpu;
use crate::render::timer::GpuTimer;
use crate::scene::Domain;

/// Bytes per node: `vec4<f32>` (f, ∂f/∂x, ∂f/∂y, valid).
pub const NODE_BYTES: u64 = 16;
/// Workgroup side; keep in sync with `@workgroup_size` in shaders/field.wgsl.
const WORKGROUP_SIDE: u32 = 16;
/// Node indices are u32 in the shaders (`j·n + i`).
const MAX_GRID_BY_INDEX: u32 = 65_535;

const FIELD_SHADER: &str = include_str!("../../shaders/field.wgsl");
const REDUCE_SUBGROUP: &str = include_str!("../../shaders/field_reduce_subgroup.wgsl");
const REDUCE_ATOMIC: &str = include_str!("../../shaders/field_reduce_atomic.wgsl");

/// Keep in sync with `FieldParams` in shaders/field.wgsl.
#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct FieldParams {
    domain: [f32; 4],
    /// Nodes per side, first row of this dispatch, unused ×2.
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

/// Largest grid whose nodes fit in one storage binding of this device.
pub fn max_grid(limits: &wgpu::Limits) -> u32 {
    let bytes = limits
        .max_storage_buffer_binding_size
        .min(limits.max_buffer_size);
    let by_memory = ((bytes / NODE_BYTES) as f64).sqrt().floor() as u32;
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
pub fn check_grid(n: u32, limits: &wgpu::Limits) -> Result<(), RenderError> {
    if n < 2 {
        return Err(RenderError::GridTooSmall { requested: n });
    }
    let max = max_grid(limits);
    if n > max {
        return Err(RenderError::GridTooLarge {
            requested: n,
            needed: format_bytes(u64::from(n) * u64::from(n) * NODE_BYTES),
            limit: format_bytes(
                limits
                    .max_storage_buffer_binding_size
                    .min(limits.max_buffer_size),
            ),
            max,
        });
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq)]
struct FieldKey {
    function: String,
    domain: Domain,
    n: u32,
}

pub struct FieldPass {
    bind_group_layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    /// Compiled for the function whose WGSL is the key.
    pipeline: Option<(String, wgpu::ComputePipeline)>,
    params: wgpu::Buffer,
    stats: wgpu::Buffer,
    stats_readback: wgpu::Buffer,
    nodes: Option<wgpu::Buffer>,
    evaluated: Option<(FieldKey, FieldStats)>,
    /// Benchmark only: timestamps around the dispatch.
    timer: Option<GpuTimer>,
    last_gpu_time: Option<Duration>,
}

impl FieldPass {
    pub fn new(gpu: &Gpu) -> FieldPass {
        let device = &gpu.device;
        let storage = |binding, read_only| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Storage { read_only },
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        };
        let bind_group_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("field::bind_group_layout"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
                storage(1, false),
                storage(2, false),
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("field::pipeline_layout"),
            bind_group_layouts: &[Some(&bind_group_layout)],
            immediate_size: 0,
        });
        let buffer = |label, size, usage| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size,
                usage,
                mapped_at_creation: false,
            })
        };
        use wgpu::BufferUsages as U;
        FieldPass {
            bind_group_layout,
            pipeline_layout,
            pipeline: None,
            params: buffer(
                "field::params",
                std::mem::size_of::<FieldParams>() as u64,
                U::UNIFORM | U::COPY_DST,
            ),
            stats: buffer("field::stats", 16, U::STORAGE | U::COPY_DST | U::COPY_SRC),
            stats_readback: buffer("field::stats_readback", 16, U::MAP_READ | U::COPY_DST),
            nodes: None,
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

    /// The node buffer (`array<vec4<f32>>`, y-major), once `update` has run.
    pub fn nodes(&self) -> Option<&wgpu::Buffer> {
        self.nodes.as_ref()
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
        let source = format!("{}\n{FIELD_SHADER}\n{reduce}", function.wgsl());
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
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    cache: None,
                })
        })?;
        self.pipeline = Some((function.wgsl().to_owned(), pipeline));
        Ok(())
    }

    fn ensure_nodes(&mut self, gpu: &Gpu, n: u32) -> Result<wgpu::Buffer, RenderError> {
        let size = u64::from(n) * u64::from(n) * NODE_BYTES;
        if let Some(nodes) = self.nodes.as_ref().filter(|b| b.size() == size) {
            return Ok(nodes.clone());
        }
        self.nodes = None;
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
            return Err(RenderError::OutOfMemory {
                what: format!("the {n}² grid ({})", format_bytes(size)),
                detail: error.to_string(),
            });
        }
        self.nodes = Some(nodes.clone());
        Ok(nodes)
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
        check_grid(n, &gpu.device.limits())?;
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
        let nodes = self.ensure_nodes(gpu, n)?;
        let Some((_, pipeline)) = &self.pipeline else {
            unreachable!("ensure_pipeline succeeded")
        };

        let params = FieldParams {
            domain: [
                domain.x[0] as f32,
                domain.y[0] as f32,
                domain.x[1] as f32,
                domain.y[1] as f32,
            ],
            size: [n, 0, 0, 0],
        };
        gpu.queue
            .write_buffer(&self.params, 0, bytemuck::bytes_of(&params));
        gpu.queue.write_buffer(
            &self.stats,
            0,
            bytemuck::cast_slice(&[u32::MAX, 0u32, 0u32, 0u32]),
        );
        let bind_group = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("field::bind_group"),
            layout: &self.bind_group_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: self.params.as_entire_binding(),
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
            pass.set_bind_group(0, &bind_group, &[]);
            let groups = n.div_ceil(WORKGROUP_SIDE);
            pass.dispatch_workgroups(groups, groups, 1);
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

    /// Fills the node buffer with a pattern no evaluation produces and forgets the last
    /// evaluation, so a test can see which nodes the next `update` writes.
    pub fn poison(&mut self, gpu: &Gpu) {
        if let Some(nodes) = &self.nodes {
            let pattern = vec![0xA5u8; nodes.size() as usize];
            gpu.queue.write_buffer(nodes, 0, &pattern);
        }
        self.evaluated = None;
    }

    /// Copies the nodes back to the CPU: (f, ∂f/∂x, ∂f/∂y, valid) per node, y-major.
    pub fn read_nodes(&self, gpu: &Gpu) -> Result<Vec<[f32; 4]>, RenderError> {
        let Some(nodes) = &self.nodes else {
            return Ok(Vec::new());
        };
        let staging = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("field::nodes_readback"),
            size: nodes.size(),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("field::readback_encoder"),
            });
        encoder.copy_buffer_to_buffer(nodes, 0, &staging, 0, nodes.size());
        let submission = gpu.queue.submit([encoder.finish()]);
        let bytes = read_mapped(gpu, &staging, submission)?;
        Ok(bytemuck::pod_collect_to_vec(&bytes))
    }
}

/// Waits for `submission`, maps `buffer` and copies its contents out.
pub fn read_mapped(
    gpu: &Gpu,
    buffer: &wgpu::Buffer,
    submission: wgpu::SubmissionIndex,
) -> Result<Vec<u8>, RenderError> {
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
    let bytes = buffer
        .slice(..)
        .get_mapped_range()
        .map_err(|e| RenderError::Readback(e.to_string()))?
        .to_vec();
    buffer.unmap();
    Ok(bytes)
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
        let limits = wgpu::Limits {
            max_storage_buffer_binding_size: 128 << 20,
            max_buffer_size: 256 << 20,
            ..wgpu::Limits::default()
        };
        assert_eq!(max_grid(&limits), 2896);
        assert!(matches!(
            check_grid(1, &limits),
            Err(RenderError::GridTooSmall { requested: 1 })
        ));
        let message = check_grid(100_000_000, &limits)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("128 MiB") && message.contains("2896"),
            "{message}"
        );
        assert!(check_grid(2896, &limits).is_ok());
    }

    #[test]
    fn bytes_are_formatted_for_people() {
        assert_eq!(format_bytes(512), "512 bytes");
        assert_eq!(format_bytes(128 << 20), "128 MiB");
        assert_eq!(format_bytes(1536), "1.5 KiB");
    }
}
