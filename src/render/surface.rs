//! The surface pass: the function as a lit, colormapped surface in 3-D, its contours projected on
//! the floor, or a flat map; contour lines, filled bands and the wireframe are per-fragment
//! features of the same draw. See shaders/surface.wgsl for how the mesh is pulled from the field.

use bytemuck::{Pod, Zeroable};

use crate::function::Function;
use crate::render::RenderError;
use crate::render::gpu::Gpu;

const SURFACE_SHADER: &str = include_str!("../../shaders/surface.wgsl");

/// How many surface draws one frame can hold (the surface and its floor projection).
pub const MAX_DRAWS: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SurfaceMode {
    Surface = 0,
    Floor = 1,
    Map = 2,
}

/// Per-fragment features, `FEATURE_*` in shaders/surface.wgsl.
pub mod features {
    pub const FILL: u32 = 1;
    pub const CONTOURS: u32 = 2;
    pub const WIRE: u32 = 4;
    pub const BANDS: u32 = 8;
}

/// Keep in sync with `SurfaceDraw` in shaders/surface.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub struct SurfaceDrawUniform {
    pub mode: u32,
    pub mesh: u32,
    pub features: u32,
    pub level_list_len: u32,
    pub contour_color: [f32; 4],
    pub wire_color: [f32; 4],
    /// Contour width px, wire width px, wire lines across x, across y.
    pub lines: [f32; 4],
    /// Evenly spaced levels: first, step, count, unused.
    pub level_range: [f32; 4],
}

const _: () = assert!(std::mem::size_of::<SurfaceDrawUniform>() == 16 + 4 * 16);

impl SurfaceDrawUniform {
    pub fn new(mode: SurfaceMode, mesh: u32, features: u32) -> SurfaceDrawUniform {
        SurfaceDrawUniform {
            mode: mode as u32,
            mesh,
            features,
            level_list_len: 0,
            contour_color: [0.0; 4],
            wire_color: [0.0; 4],
            lines: [1.0, 1.0, 2.0, 2.0],
            level_range: [0.0, 1.0, 1.0, 0.0],
        }
    }

    /// Vertices of the row strips, the two joining vertices of each row included.
    pub fn vertex_count(&self) -> u32 {
        (self.mesh - 1) * (2 * self.mesh + 2)
    }
}

struct DrawSlot {
    uniform: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
}

pub struct SurfacePass {
    pipeline_layout: wgpu::PipelineLayout,
    format: wgpu::TextureFormat,
    sample_count: u32,
    /// Compiled for the function whose WGSL is the key.
    pipeline: Option<(String, wgpu::RenderPipeline)>,
    slots: Vec<DrawSlot>,
    draws: Vec<SurfaceDrawUniform>,
}

impl SurfacePass {
    pub fn new(
        gpu: &Gpu,
        frame_layout: &wgpu::BindGroupLayout,
        level_list: &wgpu::Buffer,
        format: wgpu::TextureFormat,
        sample_count: u32,
    ) -> SurfacePass {
        let device = &gpu.device;
        let stages = wgpu::ShaderStages::VERTEX_FRAGMENT;
        let draw_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("surface::draw_layout"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: stages,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: stages,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Storage { read_only: true },
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("surface::pipeline_layout"),
            bind_group_layouts: &[Some(frame_layout), Some(&draw_layout)],
            immediate_size: 0,
        });
        let slots = (0..MAX_DRAWS)
            .map(|_| {
                let uniform = device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("surface::draw_uniform"),
                    size: std::mem::size_of::<SurfaceDrawUniform>() as u64,
                    usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                });
                let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("surface::draw_bind_group"),
                    layout: &draw_layout,
                    entries: &[
                        wgpu::BindGroupEntry {
                            binding: 0,
                            resource: uniform.as_entire_binding(),
                        },
                        wgpu::BindGroupEntry {
                            binding: 1,
                            resource: level_list.as_entire_binding(),
                        },
                    ],
                });
                DrawSlot {
                    uniform,
                    bind_group,
                }
            })
            .collect();
        SurfacePass {
            pipeline_layout,
            format,
            sample_count,
            pipeline: None,
            slots,
            draws: Vec::new(),
        }
    }

    /// Builds the pipeline for `function` unless it is already built for it.
    pub fn set_function(&mut self, gpu: &Gpu, function: &Function) -> Result<(), RenderError> {
        if self
            .pipeline
            .as_ref()
            .is_some_and(|(wgsl, _)| wgsl == function.wgsl())
        {
            return Ok(());
        }
        let source = format!(
            "{}\n{}\n{SURFACE_SHADER}",
            super::COMMON_SHADER,
            function.wgsl()
        );
        let pipeline = super::with_validation_scope(&gpu.device, || {
            let module = gpu
                .device
                .create_shader_module(wgpu::ShaderModuleDescriptor {
                    label: Some("surface::shader"),
                    source: wgpu::ShaderSource::Wgsl(source.into()),
                });
            gpu.device
                .create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                    label: Some("surface::pipeline"),
                    layout: Some(&self.pipeline_layout),
                    vertex: wgpu::VertexState {
                        module: &module,
                        entry_point: Some("vs_main"),
                        compilation_options: wgpu::PipelineCompilationOptions::default(),
                        buffers: &[],
                    },
                    primitive: wgpu::PrimitiveState {
                        topology: wgpu::PrimitiveTopology::TriangleStrip,
                        cull_mode: None,
                        ..wgpu::PrimitiveState::default()
                    },
                    depth_stencil: Some(super::depth_state(true)),
                    multisample: wgpu::MultisampleState {
                        count: self.sample_count,
                        ..wgpu::MultisampleState::default()
                    },
                    fragment: Some(wgpu::FragmentState {
                        module: &module,
                        entry_point: Some("fs_main"),
                        compilation_options: wgpu::PipelineCompilationOptions::default(),
                        targets: &[Some(wgpu::ColorTargetState {
                            format: self.format,
                            blend: Some(wgpu::BlendState::ALPHA_BLENDING),
                            write_mask: wgpu::ColorWrites::ALL,
                        })],
                    }),
                    multiview_mask: None,
                    cache: None,
                })
        })?;
        self.pipeline = Some((function.wgsl().to_owned(), pipeline));
        Ok(())
    }

    /// Uploads this frame's draws (at most [`MAX_DRAWS`]).
    pub fn prepare(&mut self, gpu: &Gpu, draws: &[SurfaceDrawUniform]) {
        self.draws = draws.iter().take(MAX_DRAWS).copied().collect();
        for (slot, draw) in self.slots.iter().zip(&self.draws) {
            gpu.queue
                .write_buffer(&slot.uniform, 0, bytemuck::bytes_of(draw));
        }
    }

    /// Records the draws; the frame bind group is already set at group 0.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        let Some((_, pipeline)) = &self.pipeline else {
            return;
        };
        pass.set_pipeline(pipeline);
        for (slot, draw) in self.slots.iter().zip(&self.draws) {
            pass.set_bind_group(1, &slot.bind_group, &[]);
            pass.draw(0..draw.vertex_count(), 0..1);
        }
    }
}
