//! Drawing nothing, once, with each pipeline as soon as it is built, on CPU adapters.
//!
//! lavapipe compiles the code that rasterises for a pipeline at its first draw, on its queue
//! thread, and caches none of the triangle setup (about 6 ms a pipeline, 17 for the first,
//! which also warms LLVM up). Drawn into tiny attachments from the thread that built
//! the pipelines, that compiling overlaps with the main thread's work (setting up the field,
//! preparing the frame) instead of holding up the first frame. It does not overlap with the
//! field's evaluation: lavapipe's queue runs submissions one after another.

use super::gpu::Gpu;
use super::lines::{self, LineBatch, LineBuffers};
use super::{DEPTH_FORMAT, FRAME_BYTES, Passes, texture_view};

/// Attachments of 3×3 pixels to draw nothing into: lavapipe's shader variants depend on
/// whether a sampled texture's sides are powers of two, and the resolve's input seldom has
/// such sides.
struct WarmUp {
    /// Multisampled as the scene's colour, and bindable as the resolve's input.
    color: wgpu::TextureView,
    depth: wgpu::TextureView,
    /// Single-sampled, for the resolve.
    target: wgpu::TextureView,
}

impl WarmUp {
    fn new(device: &wgpu::Device, format: wgpu::TextureFormat, sample_count: u32) -> WarmUp {
        let attachment = wgpu::TextureUsages::RENDER_ATTACHMENT;
        let view = |format, sample_count, usage| {
            texture_view(
                device,
                "renderer::warm_up",
                [3, 3],
                format,
                sample_count,
                usage,
            )
        };
        WarmUp {
            color: view(
                format,
                sample_count,
                attachment | wgpu::TextureUsages::TEXTURE_BINDING,
            ),
            depth: view(DEPTH_FORMAT, sample_count, attachment),
            target: view(format, 1, attachment),
        }
    }

    /// A scene pass into the attachments.
    fn begin<'e>(&self, encoder: &'e mut wgpu::CommandEncoder) -> wgpu::RenderPass<'e> {
        encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("renderer::warm_up"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: &self.color,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations::default(),
            })],
            depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
                view: &self.depth,
                depth_ops: Some(wgpu::Operations::default()),
                stencil_ops: None,
            }),
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        })
    }
}

impl Passes {
    /// Draws nothing with each pipeline, once. The surface's pipelines, built per function
    /// when a frame needs them, are not among these: warmed up as they were built, they
    /// measured no faster.
    pub(super) fn warm_up(
        &self,
        gpu: &Gpu,
        frame_layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
    ) {
        use bytemuck::Zeroable;
        let device = &gpu.device;
        let warm_up = WarmUp::new(device, format, self.sample_count);
        let buffer = |size, usage| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("renderer::warm_up"),
                size,
                usage,
                mapped_at_creation: false,
            })
        };
        let frame_uniform = buffer(FRAME_BYTES, wgpu::BufferUsages::UNIFORM);
        let nodes = buffer(16, wgpu::BufferUsages::STORAGE);
        // The lines' shaders sample no texture: any will do.
        let colormap = texture_view(
            device,
            "renderer::warm_up",
            [1, 1],
            wgpu::TextureFormat::Rgba8Unorm,
            1,
            wgpu::TextureUsages::TEXTURE_BINDING,
        );
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor::default());
        let frame_bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("renderer::warm_up"),
            layout: frame_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &frame_uniform,
                        offset: 0,
                        size: wgpu::BufferSize::new(FRAME_BYTES),
                    }),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&colormap),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::Sampler(&sampler),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: nodes.as_entire_binding(),
                },
            ],
        });
        // One instance of each kind, all zero: transparent and of no size.
        let batch = LineBatch {
            segments: vec![lines::Segment::zeroed()],
            markers: vec![lines::Marker::zeroed()],
            arrows: vec![lines::Arrow::zeroed()],
            quads: vec![lines::Quad::zeroed()],
        };
        let mut instances = LineBuffers::default();
        instances.prepare(gpu, &batch);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("renderer::warm_up"),
        });
        let mut pass = warm_up.begin(&mut encoder);
        pass.set_bind_group(0, &frame_bind_group, &[0]);
        self.lines.draw(&mut pass, &instances, &batch.all());
        drop(pass);
        if let Some(resolve) = &self.resolve {
            let samples = resolve.bind_group(gpu, &warm_up.color);
            resolve.encode(
                &mut encoder,
                &samples,
                &warm_up.target,
                [0, 0, 3, 3],
                wgpu::Color::TRANSPARENT,
                None,
            );
        }
        gpu.queue.submit([encoder.finish()]);
    }
}
