//! The lines pass: thick anti-aliased segments, point markers, arrows and flat quads
//! (optimizer paths, minima, the arrow field, the 3-D axes), instanced and built in screen space
//! (see shaders/lines.wgsl for why quads and not GPU lines).
//!
//! The pipelines are built once; each batch (the cached overlay, the per-frame axes) has its own
//! instance buffers, which grow as needed and are rewritten only when the batch changed.

use std::ops::Range;

use bytemuck::{Pod, Zeroable};

use crate::render::gpu::Gpu;

const LINES_SHADER: &str = include_str!("../../shaders/lines.wgsl");

/// Keep in sync with `SegmentIn` in shaders/lines.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct Segment {
    /// Ends in data space (x, y, f).
    pub a: [f32; 3],
    pub b: [f32; 3],
    /// Linear RGB and alpha.
    pub color: [f32; 4],
    /// Width in points, 1 to clip to the 3-D box (paths), unused ×2 (see
    /// [`LineBatch::polyline`] for halos).
    pub style: [f32; 4],
}

/// Marker shapes, `SHAPE_*` in shaders/lines.wgsl.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Disc = 0,
    Ring = 1,
    Plus = 2,
    Cross = 3,
}

/// Keep in sync with `MarkerIn` in shaders/lines.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct Marker {
    pub center: [f32; 3],
    pub color: [f32; 4],
    /// Diameter in points, white halo width in points, shape, 1 to clip to the 3-D box.
    pub style: [f32; 4],
}

impl Marker {
    pub fn new(
        center: [f32; 3],
        color: [f32; 4],
        size_pt: f32,
        outline_pt: f32,
        shape: Shape,
    ) -> Marker {
        Marker {
            center,
            color,
            style: [size_pt, outline_pt, shape as u32 as f32, 0.0],
        }
    }

    /// Not drawn outside the 3-D box (a point of a path that diverged).
    pub fn clipped_to_box(self) -> Marker {
        Marker {
            style: [self.style[0], self.style[1], self.style[2], 1.0],
            ..self
        }
    }
}

/// Keep in sync with `ArrowIn` in shaders/lines.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct Arrow {
    /// Ends in data space (x, y, f).
    pub base: [f32; 3],
    pub tip: [f32; 3],
    /// Linear RGB and alpha.
    pub color: [f32; 4],
    /// Shaft width, head length and head width in points, and how far past both ends the
    /// arrow reaches (0, or a halo's width).
    pub style: [f32; 4],
}

/// Keep in sync with `QuadIn` in shaders/lines.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct Quad {
    /// Corners in data space, in order around the quad.
    pub corners: [[f32; 3]; 4],
    /// Linear RGB and alpha.
    pub color: [f32; 4],
}

/// A run of instances drawn together (one optimizer path, say).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    pub segments: Range<u32>,
    pub markers: Range<u32>,
    pub arrows: Range<u32>,
    pub quads: Range<u32>,
}

/// Everything one set of [`LineBuffers`] draws, in groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineBatch {
    pub segments: Vec<Segment>,
    pub markers: Vec<Marker>,
    pub arrows: Vec<Arrow>,
    pub quads: Vec<Quad>,
}

impl LineBatch {
    /// Starts a group at the current end of the batch; close it with [`LineBatch::end_group`].
    pub fn begin_group(&self) -> Group {
        let at = |len: usize| len as u32..len as u32;
        Group {
            segments: at(self.segments.len()),
            markers: at(self.markers.len()),
            arrows: at(self.arrows.len()),
            quads: at(self.quads.len()),
        }
    }

    pub fn end_group(&self, mut group: Group) -> Group {
        group.segments.end = self.segments.len() as u32;
        group.markers.end = self.markers.len() as u32;
        group.arrows.end = self.arrows.len() as u32;
        group.quads.end = self.quads.len() as u32;
        group
    }

    /// Everything in the batch as one group.
    pub fn all(&self) -> Group {
        self.end_group(Group::default())
    }

    /// A polyline through `points`, over a white halo `halo_pt` wide on each side, clipped to
    /// the 3-D box. All the halo comes first, so that it never covers the line where two
    /// segments join.
    pub fn polyline(&mut self, points: &[[f32; 3]], color: [f32; 4], width_pt: f32, halo_pt: f32) {
        let segments = |color, width_pt| {
            points.windows(2).map(move |pair| Segment {
                a: pair[0],
                b: pair[1],
                color,
                style: [width_pt, 1.0, 0.0, 0.0],
            })
        };
        if halo_pt > 0.0 {
            self.segments
                .extend(segments([1.0, 1.0, 1.0, 0.85], width_pt + 2.0 * halo_pt));
        }
        self.segments.extend(segments(color, width_pt));
    }
}

/// A growable instance buffer.
struct InstanceBuffer {
    label: &'static str,
    buffer: Option<wgpu::Buffer>,
}

impl InstanceBuffer {
    fn new(label: &'static str) -> InstanceBuffer {
        InstanceBuffer {
            label,
            buffer: None,
        }
    }

    fn write(&mut self, gpu: &Gpu, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let needed = bytes.len() as u64;
        if self.buffer.as_ref().is_none_or(|b| b.size() < needed) {
            self.buffer = Some(gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(self.label),
                size: needed.next_power_of_two().max(1024),
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }));
        }
        if let Some(buffer) = &self.buffer {
            gpu.queue.write_buffer(buffer, 0, bytes);
        }
    }
}

/// The instance buffers of one batch, rewritten only when the batch changes.
pub struct LineBuffers {
    segments: InstanceBuffer,
    markers: InstanceBuffer,
    arrows: InstanceBuffer,
    quads: InstanceBuffer,
    uploaded: LineBatch,
}

impl Default for LineBuffers {
    fn default() -> Self {
        LineBuffers {
            segments: InstanceBuffer::new("lines::segments"),
            markers: InstanceBuffer::new("lines::markers"),
            arrows: InstanceBuffer::new("lines::arrows"),
            quads: InstanceBuffer::new("lines::quads"),
            uploaded: LineBatch::default(),
        }
    }
}

impl LineBuffers {
    /// Uploads `batch` unless it is what the buffers already hold.
    pub fn prepare(&mut self, gpu: &Gpu, batch: &LineBatch) {
        if *batch == self.uploaded {
            return;
        }
        self.segments
            .write(gpu, bytemuck::cast_slice(&batch.segments));
        self.markers
            .write(gpu, bytemuck::cast_slice(&batch.markers));
        self.arrows.write(gpu, bytemuck::cast_slice(&batch.arrows));
        self.quads.write(gpu, bytemuck::cast_slice(&batch.quads));
        self.uploaded = batch.clone();
    }
}

/// The pipelines, built once; batches live in [`LineBuffers`].
pub struct LinesPass {
    segment_pipeline: wgpu::RenderPipeline,
    marker_pipeline: wgpu::RenderPipeline,
    arrow_pipeline: wgpu::RenderPipeline,
    quad_pipeline: wgpu::RenderPipeline,
}

impl LinesPass {
    pub fn new(
        gpu: &Gpu,
        frame_layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
        sample_count: u32,
    ) -> LinesPass {
        let device = &gpu.device;
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("lines::shader"),
            source: wgpu::ShaderSource::Wgsl(
                format!("{}\n{LINES_SHADER}", super::COMMON_SHADER).into(),
            ),
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("lines::pipeline_layout"),
            bind_group_layouts: &[Some(frame_layout)],
            immediate_size: 0,
        });
        // (label, vertex and fragment entry points, instance attributes, instance size)
        let pipeline = |label,
                        vertex_entry,
                        fragment_entry,
                        attributes: &[wgpu::VertexAttribute],
                        stride: usize| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(&layout),
                vertex: wgpu::VertexState {
                    module: &module,
                    entry_point: Some(vertex_entry),
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: stride as u64,
                        step_mode: wgpu::VertexStepMode::Instance,
                        attributes,
                    })],
                },
                primitive: wgpu::PrimitiveState::default(),
                // Tested against the surface but not written: overlapping anti-aliased edges
                // of neighbouring segments must blend, not occlude each other.
                depth_stencil: Some(super::depth_state(false)),
                multisample: wgpu::MultisampleState {
                    count: sample_count,
                    ..wgpu::MultisampleState::default()
                },
                fragment: Some(wgpu::FragmentState {
                    module: &module,
                    entry_point: Some(fragment_entry),
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format,
                        blend: Some(wgpu::BlendState::ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        LinesPass {
            segment_pipeline: pipeline(
                "lines::segment_pipeline",
                "vs_segment",
                "fs_segment",
                &wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x3, 2 => Float32x4, 3 => Float32x4],
                std::mem::size_of::<Segment>(),
            ),
            marker_pipeline: pipeline(
                "lines::marker_pipeline",
                "vs_marker",
                "fs_marker",
                &wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x4, 2 => Float32x4],
                std::mem::size_of::<Marker>(),
            ),
            arrow_pipeline: pipeline(
                "lines::arrow_pipeline",
                "vs_arrow",
                "fs_flat",
                &wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x3, 2 => Float32x4, 3 => Float32x4],
                std::mem::size_of::<Arrow>(),
            ),
            quad_pipeline: pipeline(
                "lines::quad_pipeline",
                "vs_quad",
                "fs_flat",
                &wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x3, 2 => Float32x3, 3 => Float32x3, 4 => Float32x4],
                std::mem::size_of::<Quad>(),
            ),
        }
    }

    /// Draws one group of `buffers` (quads, arrows, lines, then markers on top); the frame
    /// bind group is set at group 0.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>, buffers: &LineBuffers, group: &Group) {
        let kinds = [
            (&buffers.quads, &self.quad_pipeline, &group.quads, 6),
            (&buffers.arrows, &self.arrow_pipeline, &group.arrows, 9),
            (
                &buffers.segments,
                &self.segment_pipeline,
                &group.segments,
                6,
            ),
            (&buffers.markers, &self.marker_pipeline, &group.markers, 6),
        ];
        for (instances, pipeline, range, vertices) in kinds {
            if let (Some(buffer), false) = (&instances.buffer, range.is_empty()) {
                pass.set_pipeline(pipeline);
                pass.set_vertex_buffer(0, buffer.slice(..));
                pass.draw(0..vertices, range.clone());
            }
        }
    }
}
