//! The surface pass: the function as a lit, colormapped surface in 3-D, its contours projected on
//! the floor, or a flat map; contour lines, filled bands and the wireframe are per-fragment
//! features of the same draw. See shaders/surface.wgsl for how the mesh is pulled from the field.

use bytemuck::{Pod, Zeroable};

use crate::function::Function;
use crate::levels::Levels;
use crate::render::gpu::Gpu;
use crate::render::overlay::linear_rgba;
use crate::render::{RenderError, buffer_entry};
use crate::scene::{ContourColor, Scene, ViewKind};

const SURFACE_SHADER: &str = include_str!("../../shaders/surface.wgsl");

/// How many surface draws one frame can hold (the surface and its floor projection).
pub const MAX_DRAWS: usize = 2;
/// Wireframe line width in points: thin, so that 50 lines a side do not bury the surface.
const WIRE_WIDTH_PT: f32 = 0.8;

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

/// What a surface pipeline draws, fixed when it is built: `MODE`, `FEATURES` and `LEVEL_LIST`
/// in shaders/surface.wgsl are pipeline-overridable constants. A CPU rasteriser runs every
/// branch of a shader for every fragment, taken or not, so each draw gets a shader holding only
/// the code of its own features: on lavapipe the book's figure takes a quarter less time a
/// multisampled frame, nearly half less a frame while the camera moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SurfaceVariant {
    pub mode: SurfaceMode,
    /// [`features`] bits.
    pub features: u32,
    /// The contour levels are a list (`level_list`), not evenly spaced.
    pub level_list: bool,
}

impl SurfaceVariant {
    /// Whether every fragment it draws is opaque: filled (by the colormap or in bands), with
    /// lines and wires mixed in by the shader. Such a draw skips blending, which a CPU
    /// rasteriser pays for on every sample of a multisampled sRGB target.
    pub fn is_opaque(&self) -> bool {
        self.features & (features::FILL | features::BANDS) != 0
    }

    fn constants(&self) -> [(&'static str, f64); 3] {
        [
            ("MODE", f64::from(self.mode as u32)),
            ("FEATURES", f64::from(self.features)),
            ("LEVEL_LIST", if self.level_list { 1.0 } else { 0.0 }),
        ]
    }
}

/// One draw of the surface pass: which pipeline, and what its uniform holds.
#[derive(Clone, Copy, Debug)]
pub struct SurfaceDraw {
    pub variant: SurfaceVariant,
    pub uniform: SurfaceDrawUniform,
}

/// Keep in sync with `SurfaceDraw` in shaders/surface.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub struct SurfaceDrawUniform {
    pub mesh: u32,
    pub level_list_len: u32,
    pub padding: [u32; 2],
    pub contour_color: [f32; 4],
    pub wire_color: [f32; 4],
    /// Contour width pt, wire width pt, wire lines across x, across y.
    pub lines: [f32; 4],
    /// Evenly spaced levels: first, step, count; then 1 to colour each contour line by its
    /// level through the colormap, 0 to use `contour_color`.
    pub level_range: [f32; 4],
    /// Just inside the lowest and highest value on the grid (then two unused): a level at or
    /// beyond them draws no line. f meets it only where it peaks or bottoms out, at a point,
    /// along a ridge or over a plateau, so the line would be a blot at the minimum (level 0 of
    /// x²/20 + y²) or would flood a plateau; matplotlib draws nothing there either.
    pub lines_within: [f32; 4],
}

const _: () = assert!(std::mem::size_of::<SurfaceDrawUniform>() == 16 + 5 * 16);

impl SurfaceDrawUniform {
    /// Vertices of the row strips, the two joining vertices of each row included.
    pub fn vertex_count(&self) -> u32 {
        (self.mesh - 1) * (2 * self.mesh + 2)
    }
}

struct DrawSlot {
    uniform: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
}

/// Contour levels the list buffer holds at first; it grows on demand.
const LEVEL_LIST_CAPACITY: u64 = 256;

fn create_level_list(gpu: &Gpu, levels: u64) -> wgpu::Buffer {
    gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("surface::level_list"),
        size: levels.max(1) * 4,
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

fn draw_bind_group(
    gpu: &Gpu,
    layout: &wgpu::BindGroupLayout,
    uniform: &wgpu::Buffer,
    level_list: &wgpu::Buffer,
) -> wgpu::BindGroup {
    gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("surface::draw_bind_group"),
        layout,
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
    })
}

pub struct SurfacePass {
    draw_layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    /// Sorted contour levels when they are a list (`level_list` in the shader).
    level_list: wgpu::Buffer,
    format: wgpu::TextureFormat,
    sample_count: u32,
    shader: Option<FunctionShader>,
    slots: Vec<DrawSlot>,
    draws: Vec<SurfaceDraw>,
}

/// The shader module for one function, and the pipelines built from it so far (a handful: one
/// per combination of layers drawn since the function was set).
struct FunctionShader {
    wgsl: String,
    module: wgpu::ShaderModule,
    pipelines: Vec<(SurfaceVariant, wgpu::RenderPipeline)>,
}

impl SurfacePass {
    pub fn new(
        gpu: &Gpu,
        frame_layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
        sample_count: u32,
    ) -> SurfacePass {
        let device = &gpu.device;
        let stages = wgpu::ShaderStages::VERTEX_FRAGMENT;
        let draw_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("surface::draw_layout"),
            entries: &[
                buffer_entry(0, stages, wgpu::BufferBindingType::Uniform),
                buffer_entry(
                    1,
                    stages,
                    wgpu::BufferBindingType::Storage { read_only: true },
                ),
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("surface::pipeline_layout"),
            bind_group_layouts: &[Some(frame_layout), Some(&draw_layout)],
            immediate_size: 0,
        });
        let level_list = create_level_list(gpu, LEVEL_LIST_CAPACITY);
        let slots = (0..MAX_DRAWS)
            .map(|_| {
                let uniform = device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("surface::draw_uniform"),
                    size: std::mem::size_of::<SurfaceDrawUniform>() as u64,
                    usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                });
                let bind_group = draw_bind_group(gpu, &draw_layout, &uniform, &level_list);
                DrawSlot {
                    uniform,
                    bind_group,
                }
            })
            .collect();
        SurfacePass {
            draw_layout,
            pipeline_layout,
            level_list,
            format,
            sample_count,
            shader: None,
            slots,
            draws: Vec::new(),
        }
    }

    /// Compiles the shader for `function` unless it is already compiled for it; its pipelines
    /// are built as draws need them (see [`SurfacePass::prepare`]).
    pub fn set_function(&mut self, gpu: &Gpu, function: &Function) -> Result<(), RenderError> {
        if self
            .shader
            .as_ref()
            .is_some_and(|shader| shader.wgsl == function.wgsl())
        {
            return Ok(());
        }
        let source = format!(
            "{}\n{}\n{SURFACE_SHADER}",
            super::COMMON_SHADER,
            function.wgsl()
        );
        let module = super::with_validation_scope(&gpu.device, || {
            gpu.device
                .create_shader_module(wgpu::ShaderModuleDescriptor {
                    label: Some("surface::shader"),
                    source: wgpu::ShaderSource::Wgsl(source.into()),
                })
        })?;
        self.shader = Some(FunctionShader {
            wgsl: function.wgsl().to_owned(),
            module,
            pipelines: Vec::new(),
        });
        Ok(())
    }

    /// Builds the pipelines this frame's draws (at most [`MAX_DRAWS`]) need, then uploads the
    /// draws and, when the levels are a list, the sorted levels. Without a function set there
    /// is nothing to draw.
    pub fn prepare(
        &mut self,
        gpu: &Gpu,
        draws: &[SurfaceDraw],
        level_list: &[f32],
    ) -> Result<(), RenderError> {
        let draws = &draws[..draws.len().min(MAX_DRAWS)];
        let Some(shader) = &mut self.shader else {
            self.draws.clear();
            return Ok(());
        };
        for draw in draws {
            if !shader.pipelines.iter().any(|(v, _)| *v == draw.variant) {
                let target = (&self.pipeline_layout, self.format, self.sample_count);
                let pipeline = create_pipeline(gpu, target, &shader.module, draw.variant)?;
                shader.pipelines.push((draw.variant, pipeline));
            }
        }
        let bytes = std::mem::size_of_val(level_list) as u64;
        if bytes > self.level_list.size() {
            self.level_list = create_level_list(gpu, level_list.len().next_power_of_two() as u64);
            for slot in &mut self.slots {
                slot.bind_group =
                    draw_bind_group(gpu, &self.draw_layout, &slot.uniform, &self.level_list);
            }
        }
        if !level_list.is_empty() {
            gpu.queue
                .write_buffer(&self.level_list, 0, bytemuck::cast_slice(level_list));
        }
        self.draws = draws.to_vec();
        for (slot, draw) in self.slots.iter().zip(&self.draws) {
            gpu.queue
                .write_buffer(&slot.uniform, 0, bytemuck::bytes_of(&draw.uniform));
        }
        Ok(())
    }

    /// Records the draws; the frame bind group is already set at group 0.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        let Some(shader) = &self.shader else {
            return;
        };
        for (slot, draw) in self.slots.iter().zip(&self.draws) {
            let built = shader.pipelines.iter().find(|(v, _)| *v == draw.variant);
            if let Some((_, pipeline)) = built {
                pass.set_pipeline(pipeline);
                pass.set_bind_group(1, &slot.bind_group, &[]);
                pass.draw(0..draw.uniform.vertex_count(), 0..1);
            }
        }
    }
}

/// A pipeline drawing `variant` with `module`, into targets of a format and sample count.
fn create_pipeline(
    gpu: &Gpu,
    (layout, format, sample_count): (&wgpu::PipelineLayout, wgpu::TextureFormat, u32),
    module: &wgpu::ShaderModule,
    variant: SurfaceVariant,
) -> Result<wgpu::RenderPipeline, RenderError> {
    let constants = variant.constants();
    let compilation_options = wgpu::PipelineCompilationOptions {
        constants: &constants,
        ..wgpu::PipelineCompilationOptions::default()
    };
    super::with_validation_scope(&gpu.device, || {
        gpu.device
            .create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some("surface::pipeline"),
                layout: Some(layout),
                vertex: wgpu::VertexState {
                    module,
                    entry_point: Some("vs_main"),
                    compilation_options: compilation_options.clone(),
                    buffers: &[],
                },
                primitive: wgpu::PrimitiveState {
                    topology: wgpu::PrimitiveTopology::TriangleStrip,
                    cull_mode: None,
                    ..wgpu::PrimitiveState::default()
                },
                depth_stencil: Some(super::depth_state(true)),
                multisample: wgpu::MultisampleState {
                    count: sample_count,
                    ..wgpu::MultisampleState::default()
                },
                fragment: Some(wgpu::FragmentState {
                    module,
                    entry_point: Some("fs_main"),
                    compilation_options,
                    targets: &[Some(wgpu::ColorTargetState {
                        format,
                        blend: (!variant.is_opaque()).then_some(wgpu::BlendState::ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
    })
}

/// Mesh vertices per side for a target, never more than the grid has nodes. Colour, normals
/// and lines are computed per fragment, so the mesh only has to get the silhouette and depth
/// right: one vertex per `pixels_per_vertex` pixels of the longer side is plenty.
pub fn mesh_resolution(grid: u32, size_px: [u32; 2], pixels_per_vertex: u32) -> u32 {
    let by_pixels = size_px[0].max(size_px[1]) / pixels_per_vertex.max(1) + 1;
    grid.min(by_pixels.max(2))
}

/// Pixels per mesh vertex. A CPU rasteriser (lavapipe) pays microseconds per small triangle,
/// more with multisampling, so it gets one vertex per 24 pixels at most (a mesh of 67² for a
/// 1600-pixel figure, 5 ms a frame instead of 180 at one per 8), and fewer where the function
/// is smooth enough (see [`crate::render::lod`]). A GPU gets one per 4: the H100, a compute
/// card, rasterises slowly too, and the shading is per pixel anyway.
pub fn pixels_per_vertex(gpu: &Gpu) -> u32 {
    if gpu.is_cpu() { 24 } else { 4 }
}

/// How close to the grid's lowest or highest value, as a fraction of the range, a level counts
/// as at it: evenly spaced levels are computed in f32, and an ulp must not decide.
const LEVEL_AT_EXTREME: f32 = 1e-5;

/// Darkest contour lines: over a filled surface, lines in the colormap would vanish.
const DARK_LINES: [f32; 4] = [0.0, 0.0, 0.0, 0.7];

/// The surface draws a Scene needs, the surface with a mesh of `surface_mesh` vertices a side,
/// and, when the contour levels are a list, the list.
pub fn draws_for(
    scene: &Scene,
    surface_mesh: u32,
    levels: &Levels,
    grid_values: [f32; 2],
) -> (Vec<SurfaceDraw>, Vec<f32>) {
    let layers = &scene.layers;
    let (level_range, level_list) = match levels {
        Levels::Even { first, step, count } => {
            ([*first as f32, *step as f32, *count as f32], Vec::new())
        }
        Levels::List(values) => ([0.0, 1.0, 1.0], values.iter().map(|&v| v as f32).collect()),
    };
    let span = grid_values[1] - grid_values[0];
    let style = |mode, mesh, features: u32, filled_under: bool| {
        let (contour_color, by_level) = match scene.contours.color {
            ContourColor::Single(rgb) => (linear_rgba(rgb, 1.0), false),
            ContourColor::ByLevel => ([0.0; 4], true),
            ContourColor::Auto if filled_under => (DARK_LINES, false),
            ContourColor::Auto => ([0.0; 4], true),
        };
        let uniform = SurfaceDrawUniform {
            mesh,
            level_list_len: level_list.len() as u32,
            padding: [0; 2],
            contour_color,
            wire_color: linear_rgba(scene.mesh.wire_color, 1.0),
            lines: [
                scene.contours.width,
                WIRE_WIDTH_PT,
                scene.mesh.wire_lines as f32,
                scene.mesh.wire_lines as f32,
            ],
            level_range: [
                level_range[0],
                level_range[1],
                level_range[2],
                if by_level { 1.0 } else { 0.0 },
            ],
            lines_within: [
                grid_values[0] + LEVEL_AT_EXTREME * span,
                grid_values[1] - LEVEL_AT_EXTREME * span,
                0.0,
                0.0,
            ],
        };
        let variant = SurfaceVariant {
            mode,
            features,
            level_list: !level_list.is_empty(),
        };
        SurfaceDraw { variant, uniform }
    };
    let bit = |on: bool, feature: u32| if on { feature } else { 0 };
    // With no levels (all outside the range) there is nothing to draw; an empty list would
    // otherwise read as the placeholder range above, a line at 0.
    let contours = |on: bool| bit(on && !levels.is_empty(), features::CONTOURS);
    let mut draws = Vec::new();
    match scene.view {
        ViewKind::ThreeD => {
            let on_surface = bit(layers.surface, features::FILL)
                | contours(layers.contours3d)
                | bit(layers.wireframe, features::WIRE);
            if on_surface != 0 {
                draws.push(style(
                    SurfaceMode::Surface,
                    surface_mesh,
                    on_surface,
                    scene.colour_fill(),
                ));
            }
            let floor = contours(layers.floor_contours);
            if floor != 0 {
                // The floor is flat: one quad places it exactly, and a CPU rasteriser spends
                // a third of a multisampled frame on the edges of a finer mesh's triangles.
                draws.push(style(SurfaceMode::Floor, 2, floor, false));
            }
        }
        ViewKind::Map => {
            let on_map = bit(layers.surface && !layers.filled, features::FILL)
                | bit(layers.filled, features::BANDS)
                | contours(layers.contours)
                | bit(layers.wireframe, features::WIRE);
            if on_map != 0 {
                draws.push(style(SurfaceMode::Map, 2, on_map, scene.colour_fill()));
            }
        }
    }
    (draws, level_list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_levels_means_no_contour_lines() {
        let mut scene = Scene::default();
        scene.layers.surface = true;
        scene.layers.contours3d = true;
        scene.layers.floor_contours = true;
        let range = [0.0, 3.0];
        let (some, _) = draws_for(&scene, 161, &Levels::List(vec![1.0, 2.0]), range);
        assert_eq!(some.len(), 2, "surface and floor");
        assert!(
            some.iter()
                .all(|d| d.variant.features & features::CONTOURS != 0)
        );
        let (none, _) = draws_for(&scene, 161, &Levels::List(Vec::new()), range);
        assert_eq!(none.len(), 1, "the surface alone, no floor draw");
        assert_eq!(none[0].variant.features, features::FILL);
    }
}
