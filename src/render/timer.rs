//! GPU timestamp queries around one pass, for the benchmark. Adapters without
//! `TIMESTAMP_QUERY` get no timer and the benchmark falls back to wall-clock times; so do CPU
//! adapters, whose timestamps (lavapipe's) are taken when the work is recorded, not when it
//! runs, and read near zero.

use std::time::Duration;

use crate::render::RenderError;
use crate::render::field::read_mapped;
use crate::render::gpu::Gpu;

pub struct GpuTimer {
    queries: wgpu::QuerySet,
    resolved: wgpu::Buffer,
    readback: wgpu::Buffer,
    nanoseconds_per_tick: f64,
}

impl GpuTimer {
    pub fn new(gpu: &Gpu) -> Option<GpuTimer> {
        let supported = gpu
            .device
            .features()
            .contains(wgpu::Features::TIMESTAMP_QUERY);
        if !supported || gpu.is_cpu() {
            return None;
        }
        let buffer = |label, usage| {
            gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: 16,
                usage,
                mapped_at_creation: false,
            })
        };
        Some(GpuTimer {
            queries: gpu.device.create_query_set(&wgpu::QuerySetDescriptor {
                label: Some("timer::queries"),
                ty: wgpu::QueryType::Timestamp,
                count: 2,
            }),
            resolved: buffer(
                "timer::resolved",
                wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
            ),
            readback: buffer(
                "timer::readback",
                wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            ),
            nanoseconds_per_tick: f64::from(gpu.queue.get_timestamp_period()),
        })
    }

    pub fn compute_writes(&self) -> wgpu::ComputePassTimestampWrites<'_> {
        wgpu::ComputePassTimestampWrites {
            query_set: &self.queries,
            beginning_of_pass_write_index: Some(0),
            end_of_pass_write_index: Some(1),
        }
    }

    pub fn render_writes(&self) -> wgpu::RenderPassTimestampWrites<'_> {
        wgpu::RenderPassTimestampWrites {
            query_set: &self.queries,
            beginning_of_pass_write_index: Some(0),
            end_of_pass_write_index: Some(1),
        }
    }

    /// The same two timestamps for work that spans two render passes: the first at the
    /// beginning of one, the second at the end of the other.
    pub fn split_render_writes(&self) -> [wgpu::RenderPassTimestampWrites<'_>; 2] {
        let write = |beginning, end| wgpu::RenderPassTimestampWrites {
            query_set: &self.queries,
            beginning_of_pass_write_index: beginning,
            end_of_pass_write_index: end,
        };
        [write(Some(0), None), write(None, Some(1))]
    }

    /// Records the copy of the two timestamps; call after the timed pass ends.
    pub fn resolve(&self, encoder: &mut wgpu::CommandEncoder) {
        encoder.resolve_query_set(&self.queries, 0..2, &self.resolved, 0);
        encoder.copy_buffer_to_buffer(&self.resolved, 0, &self.readback, 0, 16);
    }

    /// The time between the two timestamps of `submission`.
    pub fn read(
        &self,
        gpu: &Gpu,
        submission: wgpu::SubmissionIndex,
    ) -> Result<Duration, RenderError> {
        let bytes = read_mapped(gpu, &self.readback, submission)?;
        let ticks: Vec<u64> = bytemuck::pod_collect_to_vec(&bytes);
        let elapsed = ticks[1].saturating_sub(ticks[0]) as f64 * self.nanoseconds_per_tick;
        Ok(Duration::from_nanos(elapsed as u64))
    }
}
