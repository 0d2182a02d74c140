//! The multisample resolve as a pass of its own: it averages the samples of the scene's
//! multisampled colour into the target. A driver's resolve does the same work, but lavapipe's
//! is a blit whose shaders miss Mesa's on-disk shader cache, so every process compiled them
//! with LLVM again: about 80 ms of a 0.5 s headless `render`. This pipeline's shaders are cached
//! like the others, and every adapter runs the same pass, so images agree across them.

use crate::render::gpu::Gpu;

const RESOLVE_SHADER: &str = include_str!("../../shaders/resolve.wgsl");

pub struct ResolvePass {
    layout: wgpu::BindGroupLayout,
    pipeline: wgpu::RenderPipeline,
    /// `region_origin` in shaders/resolve.wgsl.
    origin: wgpu::Buffer,
}

impl ResolvePass {
    pub fn new(gpu: &Gpu, format: wgpu::TextureFormat) -> ResolvePass {
        let device = &gpu.device;
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("resolve::layout"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: false },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: true,
                    },
                    count: None,
                },
                crate::render::buffer_entry(
                    1,
                    wgpu::ShaderStages::FRAGMENT,
                    wgpu::BufferBindingType::Uniform,
                ),
            ],
        });
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("resolve::shader"),
            source: wgpu::ShaderSource::Wgsl(RESOLVE_SHADER.into()),
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("resolve::pipeline_layout"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("resolve::pipeline"),
            layout: Some(&pipeline_layout),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs_main"),
                compilation_options: wgpu::PipelineCompilationOptions::default(),
                buffers: &[],
            },
            primitive: wgpu::PrimitiveState::default(),
            depth_stencil: None,
            multisample: wgpu::MultisampleState::default(),
            fragment: Some(wgpu::FragmentState {
                module: &module,
                entry_point: Some("fs_main"),
                compilation_options: wgpu::PipelineCompilationOptions::default(),
                targets: &[Some(format.into())],
            }),
            multiview_mask: None,
            cache: None,
        });
        let origin = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("resolve::origin"),
            size: 16,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        ResolvePass {
            layout,
            pipeline,
            origin,
        }
    }

    /// Where the top left of the samples lies in the targets of the following frames.
    pub fn set_origin(&self, gpu: &Gpu, origin: [u32; 2]) {
        let origin = [origin[0] as i32, origin[1] as i32, 0, 0];
        gpu.queue
            .write_buffer(&self.origin, 0, bytemuck::cast_slice(&origin));
    }

    /// Binds a multisampled colour target (made with `TEXTURE_BINDING`) for [`Self::encode`].
    pub fn bind_group(&self, gpu: &Gpu, samples: &wgpu::TextureView) -> wgpu::BindGroup {
        gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("resolve::bind_group"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(samples),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: self.origin.as_entire_binding(),
                },
            ],
        })
    }

    /// Clears `target` to `background` and writes its `region` (x, y, width, height, at the
    /// origin last set) from the samples bound in `samples`.
    pub fn encode(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        samples: &wgpu::BindGroup,
        target: &wgpu::TextureView,
        region: [u32; 4],
        background: wgpu::Color,
        timestamp_writes: Option<wgpu::RenderPassTimestampWrites<'_>>,
    ) {
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("resolve::pass"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: target,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    // What the region leaves out is what the resolve of a pixel that the scene
                    // did not touch gives: the background.
                    load: wgpu::LoadOp::Clear(background),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        let [x, y, width, height] = region.map(|v| v as f32);
        pass.set_viewport(x, y, width, height, 0.0, 1.0);
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, samples, &[]);
        pass.draw(0..3, 0..1);
    }
}
