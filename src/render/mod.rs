//! The renderer: draws a [`Scene`] into any texture view.
//!
//! The window, the screenshot key, the headless `render` command and the tests all go through
//! [`Renderer::prepare`] and [`Renderer::encode`], so what a test sees is what a user sees.
//!
//! Each pass is a long-lived struct holding its pipeline and layouts. `prepare` writes the
//! uniforms, rebuilds the camera-dependent lines and lays out the text; it re-runs the field
//! compute only when the function, domain or grid changed, and the optimizers only when the
//! runs did. `encode` only sets state and draws.

pub mod capture;
pub mod field;
pub mod gpu;
pub mod lines;
pub mod lod;
pub mod overlay;
pub mod region;
pub mod resolve;
mod spawned;
pub mod surface;
pub mod text;
pub mod timer;
pub mod uniforms;
mod warm_up;

use crate::axes;
use crate::colormap::{self, Colormap};
use crate::figure::{self, PanelAxes, PanelDecoration};
use crate::function::{Function, FunctionError, ValueScale};
use crate::optim::RunSpec;
use crate::scene::{Domain, FigureStyle, Panels, RunPath, Scene, ViewKind};
use crate::view::{ValueRange, ViewGeometry};

use field::{FieldPass, FieldStats, NodeLayout};
use gpu::Gpu;
use lines::{LineBatch, LineBuffers, LinesPass};
use overlay::Overlay;
use resolve::ResolvePass;
use spawned::Spawned;
use surface::SurfacePass;
use text::TextPass;
use timer::GpuTimer;
use uniforms::{FrameInputs, FrameUniform, PanelView};

pub(crate) const COMMON_SHADER: &str = include_str!("../../shaders/common.wgsl");
pub const DEPTH_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;
const FRAME_BYTES: u64 = std::mem::size_of::<FrameUniform>() as u64;

/// The clear colour for a figure: the theme's background, or nothing for transparent PNGs.
fn background(style: &FigureStyle) -> wgpu::Color {
    if style.transparent {
        return wgpu::Color::TRANSPARENT;
    }
    let [r, g, b, _] = overlay::linear_rgba(style.theme.background(), 1.0);
    wgpu::Color {
        r: f64::from(r),
        g: f64::from(g),
        b: f64::from(b),
        a: 1.0,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("--grid {requested} is too small: a grid needs at least 2 nodes per side")]
    GridTooSmall { requested: u32 },
    #[error(
        "--grid {requested} needs {needed} of GPU memory for its nodes, more than the {limit} \
         the field may take on this GPU (in tiles of one storage buffer each); the largest grid \
         that fits is --grid {max}"
    )]
    GridTooLarge {
        requested: u32,
        needed: String,
        limit: String,
        max: u32,
    },
    #[error(
        "an image of {width}×{height} pixels cannot be rendered: each side must be between 1 \
         and {max} pixels on this GPU"
    )]
    TargetSize { width: u32, height: u32, max: u32 },
    #[error(
        "an image of {width}×{height} pixels is too large: at most {max_pixels} pixels \
         (20480×11520) are rendered in tiles"
    )]
    ImageTooLarge {
        width: u32,
        height: u32,
        max_pixels: u64,
    },
    #[error(transparent)]
    Function(#[from] FunctionError),
    #[error("contour levels: {0}")]
    Levels(String),
    #[error("the GPU rejected a shader or pipeline: {0}")]
    Shader(String),
    #[error("the GPU has no memory for {what}: {detail}")]
    OutOfMemory { what: String, detail: String },
    #[error("reading the result back from the GPU failed: {0}")]
    Readback(String),
}

/// Runs `create` inside a validation error scope, so a bad shader or pipeline becomes an error
/// value instead of reaching the uncaptured-error handler.
pub(crate) fn with_validation_scope<T>(
    device: &wgpu::Device,
    create: impl FnOnce() -> T,
) -> Result<T, RenderError> {
    let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let created = create();
    match pollster::block_on(scope.pop()) {
        Some(error) => Err(RenderError::Shader(error.to_string())),
        None => Ok(created),
    }
}

/// Depth state shared by the passes: less-or-equal, so later layers at equal depth (the map)
/// draw over earlier ones.
pub(crate) fn depth_state(write: bool) -> wgpu::DepthStencilState {
    wgpu::DepthStencilState {
        format: DEPTH_FORMAT,
        depth_write_enabled: Some(write),
        depth_compare: Some(wgpu::CompareFunction::LessEqual),
        stencil: wgpu::StencilState::default(),
        bias: wgpu::DepthBiasState::default(),
    }
}

/// A view of a new 2-D texture of `size` with one mip level (attachments, mostly).
pub(crate) fn texture_view(
    device: &wgpu::Device,
    label: &str,
    size: [u32; 2],
    format: wgpu::TextureFormat,
    sample_count: u32,
    usage: wgpu::TextureUsages,
) -> wgpu::TextureView {
    device
        .create_texture(&wgpu::TextureDescriptor {
            label: Some(label),
            size: wgpu::Extent3d {
                width: size[0],
                height: size[1],
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage,
            view_formats: &[],
        })
        .create_view(&wgpu::TextureViewDescriptor::default())
}

/// A uniform or storage buffer entry of a bind group layout, without a dynamic offset.
pub(crate) fn buffer_entry(
    binding: u32,
    visibility: wgpu::ShaderStages,
    ty: wgpu::BufferBindingType,
) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility,
        ty: wgpu::BindingType::Buffer {
            ty,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// A colour-only pass that draws over what `view` holds (egui's panel and the figure's text).
/// egui-wgpu records into a pass that does not borrow the encoder, hence `'static`.
pub(crate) fn overlay_pass(
    encoder: &mut wgpu::CommandEncoder,
    view: &wgpu::TextureView,
    label: &str,
    timestamp_writes: Option<wgpu::RenderPassTimestampWrites<'_>>,
) -> wgpu::RenderPass<'static> {
    encoder
        .begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some(label),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Load,
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes,
            occlusion_query_set: None,
            multiview_mask: None,
        })
        .forget_lifetime()
}

/// GPU time of one frame's passes (benchmark only).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameGpuTime {
    /// Surface, lines and the multisample resolve.
    pub scene: std::time::Duration,
    /// Titles, tick labels, legend and colorbar labels; `None` for a figure without text.
    pub text: Option<std::time::Duration>,
}

impl FrameGpuTime {
    pub fn total(&self) -> std::time::Duration {
        self.scene + self.text.unwrap_or_default()
    }
}

/// How a frame is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Quality {
    /// 4× MSAA where the adapter has it: screenshots, `render`, a window at rest.
    #[default]
    Final,
    /// While the camera moves in the window. On a CPU rasteriser (lavapipe) multisampling
    /// costs more than the rest of the frame, so this draws without it; on a GPU it is the
    /// same as `Final`.
    Interactive,
}

/// The passes whose pipelines depend on the sample count.
struct Passes {
    sample_count: u32,
    surface: SurfacePass,
    lines: LinesPass,
    /// Only when multisampled.
    resolve: Option<ResolvePass>,
}

impl Passes {
    fn new(
        gpu: &Gpu,
        frame_layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
        sample_count: u32,
    ) -> Passes {
        Passes {
            sample_count,
            surface: SurfacePass::new(gpu, frame_layout, format, sample_count),
            lines: LinesPass::new(gpu, frame_layout, format, sample_count),
            resolve: (sample_count > 1).then(|| ResolvePass::new(gpu, format)),
        }
    }
}

/// The multisampled colour and depth attachments for one target size.
struct Targets {
    size: [u32; 2],
    /// The attachments' size: the scene region's, rounded up (see `ensure_targets`).
    scene_size: [u32; 2],
    sample_count: u32,
    msaa_color: Option<MultisampledColor>,
    depth: wgpu::TextureView,
}

/// A multisampled colour attachment, bound as the resolve pass's input.
struct MultisampledColor {
    view: wgpu::TextureView,
    resolve_input: wgpu::BindGroup,
}

/// What the last `prepare` settled, for the window and the tests.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Where data lands within one panel (all panels have the same size).
    pub geometry: ViewGeometry,
    /// Panel rectangles in the figure: x, y, width, height in pixels.
    pub panels: Vec<[u32; 4]>,
    /// Where the figure's top left is in the target (beside the window's panel).
    pub origin: [i32; 2],
    /// The colorbar's bar in the target, in pixels.
    pub colorbar: Option<egui::Rect>,
    /// The range of the defined values (the 3-D box's height, automatic levels).
    pub values: ValueRange,
    /// The range the colormap spans (the values unless --vmin/--vmax say otherwise).
    pub colors: ValueRange,
    pub stats: FieldStats,
    /// The optimizer paths, computed on the CPU in f64.
    pub paths: Vec<RunPath>,
}

impl Prepared {
    /// Pixel in the whole figure (not the panel) where `panel` shows the data point
    /// (x, y, f).
    pub fn image_pixel_of(&self, panel: usize, data: glam::DVec3) -> Option<glam::DVec2> {
        let [x, y, ..] = *self.panels.get(panel)?;
        let at = self.geometry.pixel_of(data)?;
        Some(at + glam::DVec2::new(f64::from(x), f64::from(y)))
    }

    /// The panel under `target_px` (a position in the target the figure was prepared into),
    /// and that position relative to the panel's top left.
    pub fn panel_at(&self, target_px: glam::DVec2) -> Option<(usize, glam::DVec2)> {
        let [ox, oy] = self.origin.map(f64::from);
        let in_figure = target_px - glam::DVec2::new(ox, oy);
        self.panels
            .iter()
            .enumerate()
            .find_map(|(index, &[x, y, w, h])| {
                let corner = glam::DVec2::new(f64::from(x), f64::from(y));
                let local = in_figure - corner;
                let inside = (0.0..f64::from(w)).contains(&local.x)
                    && (0.0..f64::from(h)).contains(&local.y);
                inside.then_some((index, local))
            })
    }
}

/// What the optimizer paths depend on.
#[derive(Clone, Debug, PartialEq)]
struct PathsKey {
    function: String,
    domain: Domain,
    runs: Vec<crate::optim::RunSpec>,
    start: Option<[f64; 2]>,
}

/// What the surface's mesh errors were measured for.
struct MeshErrorsKey {
    function: String,
    domain: Domain,
    finest: u32,
}

impl MeshErrorsKey {
    /// Compared without building a key: the check runs every frame.
    fn is_for(&self, function: &str, domain: &Domain, finest: u32) -> bool {
        self.function == function && self.domain == *domain && self.finest == finest
    }
}

/// What the overlay depends on beyond the paths.
#[derive(Clone, Debug, PartialEq)]
struct OverlayKey {
    paths: PathsKey,
    shown_steps: Option<usize>,
    layers: crate::scene::Layers,
    arrows: crate::scene::ArrowStyle,
    mesh: crate::scene::MeshStyle,
    colormap: Colormap,
    value_scale: ValueScale,
    values: ValueRange,
}

/// Pixels per point for a target: the figure is drawn as if it were 8 inches wide (6 tall), so
/// it looks the same at any resolution and a 2× screenshot is the same picture, twice as
/// sharp; `render --size 1600x1200` matches matplotlib's 8×6-inch figure saved at 200 dpi.
pub fn pixels_per_point(size_px: [u32; 2]) -> f32 {
    let width_in_points = 8.0 * 72.0;
    let width = (size_px[0] as f32).min(size_px[1] as f32 * 4.0 / 3.0);
    // Below half a pixel per point, text would be unreadable anyway.
    (width / width_in_points).max(0.5)
}

pub struct Renderer {
    gpu: Gpu,
    format: wgpu::TextureFormat,
    pixels_per_vertex: u32,
    frame_layout: wgpu::BindGroupLayout,
    /// Frame uniforms, one per visible panel, `frame_stride` bytes apart.
    frame_uniform: wgpu::Buffer,
    frame_stride: u64,
    /// The visible panels of the prepared frame: their index and where they land in the
    /// scene pass's attachments.
    panel_views: Vec<(usize, PanelView)>,
    /// Where the scene pass's attachments lie in the target: x, y, width, height.
    scene_region: [u32; 4],
    colormap_view: wgpu::TextureView,
    colormap_sampler: wgpu::Sampler,
    field: FieldPass,
    quality: Quality,
    /// Multisampled where the adapter can; the one `Quality::Final` uses. Built in the
    /// background from [`Renderer::new`] on, like `text`.
    final_passes: Spawned<Passes>,
    /// Single-sampled, built on first use, for `Quality::Interactive` on CPU adapters.
    interactive_passes: Option<Passes>,
    overlay_lines: LineBuffers,
    axes_lines: LineBuffers,
    axes_group: lines::Group,
    text: Spawned<TextPass>,
    background: wgpu::Color,
    paths: Option<(PathsKey, Vec<RunPath>)>,
    overlay: Option<(OverlayKey, Overlay)>,
    /// Frame bind group and the node and uniform buffers it was made for.
    frame_bind_group: Option<([wgpu::Buffer; 2], wgpu::BindGroup)>,
    targets: Option<Targets>,
    function: Option<(String, Function)>,
    prepared: Option<Prepared>,
    /// Benchmark only: timestamps around the scene pass and the text pass.
    timers: Option<[GpuTimer; 2]>,
    /// Whether the last frame drew text (a figure without any has no text pass to time).
    text_drawn: bool,
    /// How far meshes stray from the function, for the CPU adapter's mesh (see [`lod`]).
    mesh_errors: Option<(MeshErrorsKey, lod::MeshErrors)>,
    /// For tests: tile images larger than this.
    max_tile_side: Option<u32>,
    /// For tests: multisample the whole target even on a CPU adapter.
    multisample_whole_target: bool,
}

impl Renderer {
    /// A renderer for targets of `format` (the window's surface format, or
    /// `Rgba8UnormSrgb` offscreen). Its pipelines compile in the background; the first frame
    /// waits for them, after the field has been evaluated.
    pub fn new(gpu: &Gpu, format: wgpu::TextureFormat) -> Renderer {
        let device = &gpu.device;
        let sample_count = gpu.sample_count(format);
        let stages = wgpu::ShaderStages::VERTEX_FRAGMENT;
        let frame_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("renderer::frame_layout"),
            entries: &[
                // One frame uniform per visible panel, chosen by dynamic offset.
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: stages,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: true,
                        min_binding_size: wgpu::BufferSize::new(FRAME_BYTES),
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: stages,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: true },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 2,
                    visibility: stages,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
                buffer_entry(
                    3,
                    stages,
                    wgpu::BufferBindingType::Storage { read_only: true },
                ),
            ],
        });
        let frame_stride = wgpu::util::align_to(
            FRAME_BYTES,
            u64::from(device.limits().min_uniform_buffer_offset_alignment),
        );
        let frame_uniform = create_frame_uniform(gpu, frame_stride);
        let (colormap_view, colormap_sampler) = create_colormap_texture(gpu);
        Renderer {
            gpu: gpu.clone(),
            format,
            pixels_per_vertex: surface::pixels_per_vertex(gpu),
            field: FieldPass::with_layout(gpu, NodeLayout::Heights),
            quality: Quality::Final,
            final_passes: {
                let (gpu, frame_layout) = (gpu.clone(), frame_layout.clone());
                Spawned::spawn(move || {
                    let passes = Passes::new(&gpu, &frame_layout, format, sample_count);
                    if gpu.is_cpu() {
                        passes.warm_up(&gpu, &frame_layout, format);
                    }
                    passes
                })
            },
            interactive_passes: None,
            overlay_lines: LineBuffers::default(),
            axes_lines: LineBuffers::default(),
            axes_group: lines::Group::default(),
            text: {
                let gpu = gpu.clone();
                Spawned::spawn(move || {
                    let mut text = TextPass::new(&gpu, format);
                    if gpu.is_cpu() {
                        text.warm_up(&gpu, format);
                    }
                    text
                })
            },
            background: background(&FigureStyle::default()),
            paths: None,
            overlay: None,
            frame_layout,
            frame_uniform,
            frame_stride,
            panel_views: Vec::new(),
            scene_region: [0; 4],
            colormap_view,
            colormap_sampler,
            frame_bind_group: None,
            targets: None,
            function: None,
            prepared: None,
            timers: None,
            text_drawn: false,
            mesh_errors: None,
            max_tile_side: None,
            multisample_whole_target: false,
        }
    }

    /// Times every frame with GPU timestamps where the adapter supports them. Read the results
    /// with [`Renderer::read_frame_time`].
    pub fn enable_timing(&mut self) {
        self.timers = GpuTimer::new(&self.gpu)
            .zip(GpuTimer::new(&self.gpu))
            .map(Into::into);
    }

    /// GPU times of the frame in `submission`, when timing is enabled and supported.
    pub fn read_frame_time(
        &self,
        submission: wgpu::SubmissionIndex,
    ) -> Option<Result<FrameGpuTime, RenderError>> {
        let [scene, text] = self.timers.as_ref()?;
        let read = || {
            Ok(FrameGpuTime {
                scene: scene.read(&self.gpu, submission.clone())?,
                text: if self.text_drawn {
                    Some(text.read(&self.gpu, submission.clone())?)
                } else {
                    None
                },
            })
        };
        Some(read())
    }

    pub fn gpu(&self) -> &Gpu {
        &self.gpu
    }

    pub fn format(&self) -> wgpu::TextureFormat {
        self.format
    }

    /// The largest image side this device can render in one piece.
    pub fn max_target_side(&self) -> u32 {
        self.gpu.device.limits().max_texture_dimension_2d
    }

    /// Largest tile of an image rendered in pieces.
    pub fn max_tile_side(&self) -> u32 {
        self.max_tile_side.unwrap_or_else(|| self.max_target_side())
    }

    /// Renders images in tiles of at most `side` pixels, as if the device's textures were that
    /// small: tiled screenshots are tested without giant images.
    pub fn set_max_tile_side(&mut self, side: Option<u32>) {
        self.max_tile_side = side;
    }

    /// Multisamples the whole target even on a CPU adapter, as the reference that shows what
    /// multisampling only the scene's region (see [`region`]) leaves out: nothing.
    pub fn set_multisample_whole_target(&mut self, whole: bool) {
        self.multisample_whole_target = whole;
    }

    /// What the last successful `prepare` settled.
    pub fn prepared(&self) -> Option<&Prepared> {
        self.prepared.as_ref()
    }

    /// The function of the last successful `prepare`, parsed.
    pub fn function(&self) -> Option<&Function> {
        self.function.as_ref().map(|(_, function)| function)
    }

    /// The field pass: reading the evaluated nodes back, timing it (bench).
    pub fn field(&mut self) -> &mut FieldPass {
        &mut self.field
    }

    fn parse_function(&mut self, spec: &str) -> Result<Function, RenderError> {
        match &self.function {
            Some((cached, function)) if cached == spec => Ok(function.clone()),
            _ => Ok(Function::from_spec(spec)?),
        }
    }

    /// Gets everything ready to draw `scene` into a target of `size_px`: parses the function,
    /// re-evaluates the field if needed, writes the uniforms. On error the previous frame's
    /// state is kept, so the window keeps showing the last good figure.
    pub fn prepare(&mut self, scene: &Scene, size_px: [u32; 2]) -> Result<&Prepared, RenderError> {
        self.prepare_view(scene, size_px, size_px, [0, 0])
    }

    /// As [`Renderer::prepare`], with the figure in the rectangle `figure` (x, y, width,
    /// height) of a target of `size_px`: the window keeps its side panel beside it.
    pub fn prepare_in(
        &mut self,
        scene: &Scene,
        size_px: [u32; 2],
        figure: [u32; 4],
    ) -> Result<&Prepared, RenderError> {
        let [x, y, width, height] = figure;
        self.prepare_view(scene, size_px, [width, height], [x as i32, y as i32])
    }

    /// A figure of `figure_px` whose top left is at `origin` of a target of `target_px`:
    /// beside a panel, or (negative origin) one tile of a screenshot larger than a texture.
    fn prepare_view(
        &mut self,
        scene: &Scene,
        target_px: [u32; 2],
        figure_px: [u32; 2],
        origin: [i32; 2],
    ) -> Result<&Prepared, RenderError> {
        let max = self.max_target_side();
        let size_px = target_px;
        let too_large =
            |size: [u32; 2]| size[0] == 0 || size[1] == 0 || size[0] > max || size[1] > max;
        if too_large(size_px) || figure_px.contains(&0) {
            return Err(RenderError::TargetSize {
                width: figure_px[0],
                height: figure_px[1],
                max,
            });
        }
        let function = self.parse_function(&scene.function)?;
        let stats = self
            .field
            .update(&self.gpu, &function, &scene.domain, scene.grid)?;
        let gpu = self.gpu.clone();
        self.passes_mut().surface.set_function(&gpu, &function)?;
        self.function = Some((scene.function.clone(), function));
        self.ensure_frame_bind_group();

        let values = ValueRange::new(f64::from(stats.min), f64::from(stats.max));
        let colors = ValueRange::new(
            scene.figure.vmin.unwrap_or(values.min),
            scene.figure.vmax.unwrap_or(values.max),
        );
        let panel_count = match scene.panels {
            Panels::Overlay => 1,
            Panels::PerRun => scene.runs.len(),
        };
        let pixels_per_point = pixels_per_point(figure_px);
        let layout = figure::layout(scene, figure_px, panel_count, pixels_per_point, colors);
        let panels = layout.plots.clone();
        let panel_size = [panels[0][2], panels[0][3]];
        let geometry = ViewGeometry::new(scene, values, panel_size);
        let paths = self.update_overlay(scene, colors);
        let levels = scene
            .contours
            .levels
            .resolve(values.min, values.max, scene.value_scale)
            .map_err(|e| RenderError::Levels(e.to_string()))?;
        let surface_mesh = self.surface_mesh(scene, &geometry, values, &stats);
        let (draws, level_list) =
            surface::draws_for(scene, surface_mesh, &levels, [stats.min, stats.max]);
        self.passes_mut()
            .surface
            .prepare(&gpu, &draws, &level_list)?;
        let prepared = Prepared {
            geometry,
            panels,
            origin,
            colorbar: layout.colorbar,
            values,
            colors,
            stats,
            paths,
        };
        let axes_batch = self.prepare_decorations(scene, &layout, &prepared, target_px);
        let region = self.scene_region(&prepared, &axes_batch, pixels_per_point, target_px);
        self.ensure_targets(target_px, region);
        self.panel_views = prepared
            .panels
            .iter()
            .enumerate()
            .filter_map(|(i, &panel)| {
                let origin = [origin[0] - region[0] as i32, origin[1] - region[1] as i32];
                PanelView::new(panel, origin, [region[2], region[3]]).map(|v| (i, v))
            })
            .collect();
        self.ensure_frame_capacity(self.panel_views.len());
        let frame = FrameUniform::new(&FrameInputs {
            geometry: &prepared.geometry,
            domain: &scene.domain,
            values: colors,
            log_scale: scene.value_scale == ValueScale::Log,
            grid: scene.grid,
            tiled_field: self.field.is_tiled(),
            colormap: scene.colormap,
            pixels_per_point,
        });
        for (slot, (_, view)) in self.panel_views.iter().enumerate() {
            let panel_frame = FrameUniform {
                tile: view.tile,
                ..frame
            };
            self.gpu.queue.write_buffer(
                &self.frame_uniform,
                slot as u64 * self.frame_stride,
                bytemuck::bytes_of(&panel_frame),
            );
        }
        self.background = background(&scene.figure);
        Ok(self.prepared.insert(prepared))
    }

    /// Vertices per side of the surface's mesh: one per `pixels_per_vertex` pixels of the
    /// panel, and on a CPU adapter no more than keep it within [`lod::MAX_ERROR_PX`] of f in
    /// this view (a mesh with holes keeps the finest: its triangles outline them).
    fn surface_mesh(
        &mut self,
        scene: &Scene,
        geometry: &ViewGeometry,
        values: ValueRange,
        stats: &FieldStats,
    ) -> u32 {
        let finest = surface::mesh_resolution(scene.grid, geometry.size_px, self.pixels_per_vertex);
        let Some((spec, function)) = &self.function else {
            return finest;
        };
        if !self.gpu.is_cpu() || scene.view != ViewKind::ThreeD || stats.invalid_nodes > 0 {
            return finest;
        }
        let Some(pixels_per_f) = lod::pixels_per_unit_of_f(geometry, &scene.domain, values) else {
            return finest;
        };
        let errors = match &self.mesh_errors {
            Some((made_for, errors)) if made_for.is_for(spec, &scene.domain, finest) => errors,
            _ => {
                let key = MeshErrorsKey {
                    function: spec.clone(),
                    domain: scene.domain,
                    finest,
                };
                let errors = lod::MeshErrors::new(function, &scene.domain, finest);
                &self.mesh_errors.insert((key, errors)).1
            }
        };
        errors.coarsest_within(lod::MAX_ERROR_PX / pixels_per_f, finest)
    }

    /// The part of the target the scene pass draws into, x, y, width, height: on a CPU
    /// adapter that multisamples, only what the panels' content covers (see [`region`]); else
    /// the whole target. Never empty, so that the targets can be made.
    fn scene_region(
        &self,
        prepared: &Prepared,
        axes: &LineBatch,
        pixels_per_point: f32,
        target: [u32; 2],
    ) -> [u32; 4] {
        let whole = [0, 0, target[0], target[1]];
        if self.passes().resolve.is_none() || !self.gpu.is_cpu() || self.multisample_whole_target {
            return whole;
        }
        let mut batches = vec![axes];
        if let Some((_, overlay)) = &self.overlay {
            batches.push(&overlay.batch);
        }
        let content = region::content_bounds(
            &prepared.geometry,
            prepared.values,
            &batches,
            pixels_per_point,
        );
        region::scene_region(&prepared.panels, content, prepared.origin, target)
            .unwrap_or([0, 0, 1, 1])
    }

    /// The 3-D axes (rebuilt every frame: which panes are at the back depends on the camera)
    /// and the text around the data, for a target of `target` pixels. Returns the axes' lines.
    fn prepare_decorations(
        &mut self,
        scene: &Scene,
        layout: &figure::Layout,
        frame: &Prepared,
        target: [u32; 2],
    ) -> LineBatch {
        let Prepared {
            geometry,
            origin,
            values,
            colors,
            paths,
            ..
        } = frame;
        let (origin, values, colors) = (*origin, *values, *colors);
        let mut box_labels = Vec::new();
        let mut axes_batch = LineBatch::default();
        if scene.figure.axes && scene.view == ViewKind::ThreeD {
            let axes = axes::axes_3d(scene, geometry, values);
            axes_batch = axes.batch;
            box_labels = axes.labels;
        }
        self.axes_lines.prepare(&self.gpu, &axes_batch);
        self.axes_group = axes_batch.all();
        let per_run = layout.plots.len() > 1;
        let panels: Vec<PanelDecoration> = (0..layout.plots.len())
            .map(|index| PanelDecoration {
                title: per_run
                    .then(|| scene.runs.get(index).map(RunSpec::label))
                    .flatten(),
                axes: match (scene.figure.axes, scene.view, geometry.map_frame) {
                    (false, _, _) => PanelAxes::None,
                    (true, ViewKind::Map, Some(frame)) => PanelAxes::Map(frame),
                    (true, _, _) => PanelAxes::Box3d(box_labels.clone()),
                },
            })
            .collect();
        let runs = figure::run_summaries(paths, scene, geometry);
        let decorations = figure::Decorations {
            scene,
            layout,
            panels: &panels,
            colors,
            runs: &runs,
        };
        self.text.get_mut().prepare(
            &self.gpu,
            target,
            layout.size_px,
            origin,
            layout.pixels_per_point,
            |painter| figure::paint(painter, &decorations),
        );
        axes_batch
    }

    /// Recomputes the paths and the overlay when what they depend on changed, and uploads
    /// the overlay; returns the paths.
    fn update_overlay(&mut self, scene: &Scene, values: ValueRange) -> Vec<RunPath> {
        let Some((_, function)) = &self.function else {
            return Vec::new();
        };
        let paths_key = PathsKey {
            function: scene.function.clone(),
            domain: scene.domain,
            runs: scene.runs.clone(),
            start: scene.start,
        };
        let paths = match &self.paths {
            Some((key, paths)) if *key == paths_key => paths.clone(),
            _ => {
                let paths = scene.optimize(function);
                self.paths = Some((paths_key.clone(), paths.clone()));
                paths
            }
        };
        let overlay_key = OverlayKey {
            paths: paths_key,
            shown_steps: scene.shown_steps,
            layers: scene.layers,
            arrows: scene.arrows,
            mesh: scene.mesh,
            colormap: scene.colormap,
            value_scale: scene.value_scale,
            values,
        };
        if self
            .overlay
            .as_ref()
            .is_none_or(|(key, _)| *key != overlay_key)
        {
            let overlay = overlay::build(
                scene,
                &overlay::OverlayInputs {
                    function,
                    paths: &paths,
                    values,
                },
            );
            self.overlay_lines.prepare(&self.gpu, &overlay.batch);
            self.overlay = Some((overlay_key, overlay));
        }
        paths
    }

    /// Room for a frame uniform per visible panel.
    fn ensure_frame_capacity(&mut self, panels: usize) {
        let needed = panels.max(1) as u64 * self.frame_stride;
        if self.frame_uniform.size() < needed {
            self.frame_uniform = create_frame_uniform(&self.gpu, needed);
            self.ensure_frame_bind_group();
        }
    }

    fn ensure_frame_bind_group(&mut self) {
        let Some(nodes) = self.field.nodes() else {
            return;
        };
        let buffers = [nodes.clone(), self.frame_uniform.clone()];
        if self
            .frame_bind_group
            .as_ref()
            .is_some_and(|(bound, _)| *bound == buffers)
        {
            return;
        }
        let bind_group = self
            .gpu
            .device
            .create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("renderer::frame_bind_group"),
                layout: &self.frame_layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                            buffer: &self.frame_uniform,
                            offset: 0,
                            size: wgpu::BufferSize::new(FRAME_BYTES),
                        }),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: wgpu::BindingResource::TextureView(&self.colormap_view),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: wgpu::BindingResource::Sampler(&self.colormap_sampler),
                    },
                    wgpu::BindGroupEntry {
                        binding: 3,
                        resource: nodes.as_entire_binding(),
                    },
                ],
            });
        self.frame_bind_group = Some((buffers, bind_group));
    }

    pub fn quality(&self) -> Quality {
        self.quality
    }

    /// Chooses how the next frames are drawn (see [`Quality`]).
    pub fn set_quality(&mut self, quality: Quality) {
        let multisampled = self.gpu.sample_count(self.format) > 1;
        self.quality = if self.gpu.is_cpu() && multisampled {
            quality
        } else {
            Quality::Final
        };
    }

    fn passes(&self) -> &Passes {
        match (self.quality, &self.interactive_passes) {
            (Quality::Interactive, Some(passes)) => passes,
            _ => self.final_passes.get(),
        }
    }

    fn passes_mut(&mut self) -> &mut Passes {
        if self.quality == Quality::Interactive {
            let (gpu, layout, format) = (&self.gpu, &self.frame_layout, self.format);
            return self
                .interactive_passes
                .get_or_insert_with(|| Passes::new(gpu, layout, format, 1));
        }
        self.final_passes.get_mut()
    }

    /// Attachments for a target of `size` whose scene pass draws into `region`.
    fn ensure_targets(&mut self, size: [u32; 2], region: [u32; 4]) {
        // The origin buffer starts at zero, the whole target's.
        let moved = self.scene_region[..2] != region[..2];
        self.scene_region = region;
        let passes = self.passes();
        if let Some(resolve) = passes.resolve.as_ref().filter(|_| moved) {
            resolve.set_origin(&self.gpu, [region[0], region[1]]);
        }
        let sample_count = passes.sample_count;
        // Rounded up so that a region that changes a little (the window at rest after each
        // turn of the camera) keeps its attachments.
        let scene_size = [0, 1].map(|i| region[2 + i].next_multiple_of(64).min(size[i]));
        if self.targets.as_ref().is_some_and(|t| {
            t.size == size && t.scene_size == scene_size && t.sample_count == sample_count
        }) {
            return;
        }
        let texture = |label, format, usage| {
            texture_view(
                &self.gpu.device,
                label,
                scene_size,
                format,
                sample_count,
                usage,
            )
        };
        let msaa_color = passes.resolve.as_ref().map(|resolve| {
            let view = texture(
                "renderer::msaa_color",
                self.format,
                wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
            );
            MultisampledColor {
                resolve_input: resolve.bind_group(&self.gpu, &view),
                view,
            }
        });
        let depth = texture(
            "renderer::depth",
            DEPTH_FORMAT,
            wgpu::TextureUsages::RENDER_ATTACHMENT,
        );
        self.targets = Some(Targets {
            size,
            scene_size,
            sample_count,
            msaa_color,
            depth,
        });
    }

    /// Records the prepared frame into `encoder`, drawing into `target` (of the renderer's
    /// format and the prepared size). Does nothing before a successful `prepare`.
    pub fn encode(&mut self, encoder: &mut wgpu::CommandEncoder, target: &wgpu::TextureView) {
        let (Some(targets), Some((_, frame_bind_group))) = (&self.targets, &self.frame_bind_group)
        else {
            return;
        };
        let passes = self.passes();
        // Multisampled, the scene is drawn into its own attachment and resolved into
        // `target` by a pass of ours (see `resolve`); the scene timer spans both passes.
        let resolve = passes.resolve.as_ref().zip(targets.msaa_color.as_ref());
        let scene_timer = self.timers.as_ref().map(|[scene, _]| scene);
        let (scene_writes, resolve_writes) = match (scene_timer, resolve) {
            (Some(timer), Some(_)) => {
                let [begin, end] = timer.split_render_writes();
                (Some(begin), Some(end))
            }
            (timer, _) => (timer.map(GpuTimer::render_writes), None),
        };
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("renderer::pass"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: resolve.map_or(target, |(_, msaa)| &msaa.view),
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(self.background),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
                view: &targets.depth,
                depth_ops: Some(wgpu::Operations {
                    load: wgpu::LoadOp::Clear(1.0),
                    store: wgpu::StoreOp::Discard,
                }),
                stencil_ops: None,
            }),
            timestamp_writes: scene_writes,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        let per_run = self.prepared.as_ref().is_some_and(|p| p.panels.len() > 1);
        for (slot, (index, view)) in self.panel_views.iter().enumerate() {
            let [x, y, width, height] = view.viewport;
            pass.set_viewport(x as f32, y as f32, width as f32, height as f32, 0.0, 1.0);
            let offset = (slot as u64 * self.frame_stride) as u32;
            pass.set_bind_group(0, frame_bind_group, &[offset]);
            // The panes first: they stay behind whatever is drawn over them.
            passes
                .lines
                .draw(&mut pass, &self.axes_lines, &self.axes_group);
            passes.surface.draw(&mut pass);
            if let Some((_, overlay)) = &self.overlay {
                passes
                    .lines
                    .draw(&mut pass, &self.overlay_lines, &overlay.common);
                // One panel shows every run; several show one run each.
                let runs = if per_run {
                    overlay.runs.get(*index..=*index).unwrap_or(&[])
                } else {
                    &overlay.runs[..]
                };
                // The paths over the minima: a path's last points stay visible where it
                // reaches its minimum.
                passes
                    .lines
                    .draw(&mut pass, &self.overlay_lines, &overlay.minima);
                for group in runs {
                    passes.lines.draw(&mut pass, &self.overlay_lines, group);
                }
            }
        }
        drop(pass);
        if let Some((resolve, msaa)) = resolve {
            resolve.encode(
                encoder,
                &msaa.resolve_input,
                target,
                self.scene_region,
                self.background,
                resolve_writes,
            );
        }
        let text_timer = self.timers.as_ref().map(|[_, text]| text);
        if let Some(timer) = scene_timer {
            timer.resolve(encoder);
        }
        self.text_drawn = self.text.get_mut().encode(
            &self.gpu,
            encoder,
            target,
            text_timer.map(GpuTimer::render_writes),
        );
        if let Some(timer) = text_timer.filter(|_| self.text_drawn) {
            timer.resolve(encoder);
        }
    }
}

fn create_frame_uniform(gpu: &Gpu, size: u64) -> wgpu::Buffer {
    gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("renderer::frame_uniform"),
        size,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

fn create_colormap_texture(gpu: &Gpu) -> (wgpu::TextureView, wgpu::Sampler) {
    let size = wgpu::Extent3d {
        width: colormap::SAMPLES as u32,
        height: Colormap::ALL.len() as u32,
        depth_or_array_layers: 1,
    };
    let texture = gpu.device.create_texture(&wgpu::TextureDescriptor {
        label: Some("renderer::colormaps"),
        size,
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        // Linear, so that the fragment shaders convert nothing (three `pow` a fragment on a
        // CPU rasteriser). Between two entries the filter then interpolates in linear light
        // where matplotlib interpolates sRGB values: over every colormap here that differs
        // by at most 0.15 of an 8-bit step, and 16-bit floats add less than 0.05.
        format: wgpu::TextureFormat::Rgba16Float,
        usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    });
    gpu.queue.write_texture(
        texture.as_image_copy(),
        bytemuck::cast_slice(&Colormap::texture_linear_rgba()),
        wgpu::TexelCopyBufferLayout {
            offset: 0,
            bytes_per_row: Some(size.width * 8),
            rows_per_image: None,
        },
        size,
    );
    let sampler = gpu.device.create_sampler(&wgpu::SamplerDescriptor {
        label: Some("renderer::colormap_sampler"),
        address_mode_u: wgpu::AddressMode::ClampToEdge,
        address_mode_v: wgpu::AddressMode::ClampToEdge,
        mag_filter: wgpu::FilterMode::Linear,
        min_filter: wgpu::FilterMode::Linear,
        ..wgpu::SamplerDescriptor::default()
    });
    (
        texture.create_view(&wgpu::TextureViewDescriptor::default()),
        sampler,
    )
}
