//! The window: turns input into Scene edits and asks for a redraw; the Renderer draws.
//!
//! Redraws happen only when something changed (`ControlFlow::Wait`, AutoVsync), so an idle
//! window costs nothing. The surface is reconfigured lazily, once, before the next frame is
//! acquired, and never while the window has zero size.

mod figure_cache;
pub mod input;
pub mod panel;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glam::Vec2;
use winit::application::ApplicationHandler;
use winit::event::{ElementState, MouseButton, MouseScrollDelta, StartCause, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::keyboard::{Key, NamedKey};
use winit::window::{Window, WindowId};

use crate::render::capture::{Image, save_screenshot, timestamped_paths};
use crate::render::gpu::Gpu;
use crate::render::{Quality, RenderError, Renderer};
use crate::scene::Scene;
use figure_cache::{FigureCache, FigureKey};
use input::{Action, Controls, Drag};
use panel::{PANEL_WIDTH, PanelState, Request};

/// Animation speed: optimizer steps per second.
const ANIMATION_INTERVAL: Duration = Duration::from_millis(125);
/// How long the camera must be still before the window draws at final quality again.
const SETTLE_DELAY: Duration = Duration::from_millis(250);
/// Points between the cursor and the corner of the hover readout, clear of the arrow cursor.
const HOVER_GAP: f32 = 16.0;

/// Window settings that are not part of the figure.
#[derive(Clone, Debug)]
pub struct WindowOptions {
    /// Initial inner size in physical pixels.
    pub size: [u32; 2],
    /// Screenshot size relative to the window.
    pub screenshot_scale: f32,
    /// Where screenshots go.
    pub screenshot_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    #[error(
        "no display found (DISPLAY and WAYLAND_DISPLAY are unset); to make a figure without a \
         window run: gradscape render --out fig.png"
    )]
    NoDisplay,
    #[error(
        "cannot open a window ({0}); to make a figure without a window run: gradscape render \
         --out fig.png"
    )]
    EventLoop(winit::error::EventLoopError),
    #[error("{0}")]
    Startup(String),
}

/// True where a window system is reachable (always on Windows and macOS).
pub fn display_available() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// An event loop on the display that is set. Without WAYLAND_DISPLAY winit would still probe
/// Wayland first, and libwayland complains on stderr when XDG_RUNTIME_DIR is unset.
fn event_loop() -> Result<EventLoop<()>, winit::error::EventLoopError> {
    let mut builder = EventLoop::builder();
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("WAYLAND_DISPLAY").is_none_or(|v| v.is_empty()) {
        use winit::platform::x11::EventLoopBuilderExtX11;
        builder.with_x11();
    }
    builder.build()
}

/// Opens the window and runs until it is closed.
pub fn run(scene: Scene, options: WindowOptions) -> Result<(), WindowError> {
    if !display_available() {
        return Err(WindowError::NoDisplay);
    }
    let event_loop = event_loop().map_err(WindowError::EventLoop)?;
    event_loop.set_control_flow(ControlFlow::Wait);
    let mut app = App {
        panel: PanelState::new(&scene, options.screenshot_scale),
        scene,
        options,
        window: None,
        pointer: Pointer::default(),
        controls: Controls::default(),
        show_panel: false,
        show_help: false,
        hover: None,
        next_tick: None,
        next_ui_repaint: None,
        settle_at: None,
        reported: Vec::new(),
        fatal: None,
    };
    event_loop
        .run_app(&mut app)
        .map_err(WindowError::EventLoop)?;
    app.fatal
        .map_or(Ok(()), |message| Err(WindowError::Startup(message)))
}

/// The surface's configuration and whether it must be applied before the next frame.
/// Separate from the window so the zero-size rules are unit-tested.
#[derive(Debug)]
pub struct SurfaceState {
    pub config: wgpu::SurfaceConfiguration,
    pub stale: bool,
}

impl SurfaceState {
    pub fn new(format: wgpu::TextureFormat, size: [u32; 2]) -> SurfaceState {
        SurfaceState {
            config: wgpu::SurfaceConfiguration {
                usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
                format,
                color_space: wgpu::SurfaceColorSpace::Auto,
                width: size[0],
                height: size[1],
                // The first listed mode can be Immediate (a busy loop on lavapipe/Xvfb).
                present_mode: wgpu::PresentMode::AutoVsync,
                desired_maximum_frame_latency: 2,
                alpha_mode: wgpu::CompositeAlphaMode::Auto,
                view_formats: vec![],
            },
            stale: true,
        }
    }

    /// Records a new size; applied lazily, once, before the next frame.
    pub fn resize(&mut self, size: [u32; 2]) {
        if [self.config.width, self.config.height] != size {
            self.config.width = size[0];
            self.config.height = size[1];
            self.stale = true;
        }
    }

    /// A minimised window has zero size: configuring it is an error, so nothing is drawn.
    pub fn drawable(&self) -> bool {
        self.config.width > 0 && self.config.height > 0
    }

    pub fn size(&self) -> [u32; 2] {
        [self.config.width, self.config.height]
    }
}

#[derive(Default)]
struct Pointer {
    position: Option<Vec2>,
    drag: Drag,
    modifiers: winit::keyboard::ModifiersState,
}

/// The panel and help overlay: an egui context fed by egui-winit, drawn by egui-wgpu over
/// the figure. Figure text is drawn by the renderer itself (it must be in screenshots); this is
/// only what the window adds.
struct Ui {
    context: egui::Context,
    input: egui_winit::State,
    renderer: egui_wgpu::Renderer,
}

struct WindowState {
    window: Arc<Window>,
    surface: wgpu::Surface<'static>,
    surface_state: SurfaceState,
    renderer: Renderer,
    ui: Ui,
    /// The last error shown, so a failing frame is reported once, not sixty times a second.
    last_error: Option<String>,
    /// Whether the surface takes copies, so that the figure can be cached.
    surface_copies: bool,
    figure_cache: Option<FigureCache>,
}

/// f and ∇f at the point under the cursor.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pick {
    at: [f64; 2],
    f: f64,
    gradient: [f64; 2],
}

struct App {
    scene: Scene,
    options: WindowOptions,
    window: Option<WindowState>,
    pointer: Pointer,
    controls: Controls,
    panel: PanelState,
    show_panel: bool,
    show_help: bool,
    hover: Option<Pick>,
    /// When the animation shows its next step; set when it starts playing, so the first step
    /// comes one interval after ▶ however it was pressed (key or panel).
    next_tick: Option<Instant>,
    /// When egui asked to be redrawn (a tooltip, a blinking cursor).
    next_ui_repaint: Option<Instant>,
    /// When the camera has been still long enough to draw at final quality again.
    settle_at: Option<Instant>,
    /// The early stops and undefined fraction last printed, so each is reported once.
    reported: Vec<String>,
    fatal: Option<String>,
}

/// Picks an sRGB format so colours are blended in linear light and screenshots match.
fn surface_format(capabilities: &wgpu::SurfaceCapabilities) -> Option<wgpu::TextureFormat> {
    capabilities
        .formats
        .iter()
        .copied()
        .find(|f| f.is_srgb())
        .or_else(|| capabilities.formats.first().copied())
}

/// Where the figure goes in a window of `size`: beside the panel when it is open.
fn figure_rect(size: [u32; 2], panel_width_px: u32) -> [u32; 4] {
    let panel = panel_width_px.min(size[0].saturating_sub(1));
    [panel, 0, size[0] - panel, size[1]]
}

/// Where the hover readout goes: which of its corners (the pivot) sits at which point. Beside
/// the cursor, on the side towards the window's centre, so it never hides the point it
/// describes, and it moves off the tick labels and the colorbar when the cursor does.
fn hover_placement(pointer: egui::Pos2, window: egui::Rect) -> (egui::Align2, egui::Pos2) {
    let centre = window.center();
    let side = |beyond_centre: bool| {
        if beyond_centre {
            (egui::Align::Max, -HOVER_GAP)
        } else {
            (egui::Align::Min, HOVER_GAP)
        }
    };
    let (align_x, gap_x) = side(pointer.x > centre.x);
    let (align_y, gap_y) = side(pointer.y > centre.y);
    (
        egui::Align2([align_x, align_y]),
        pointer + egui::vec2(gap_x, gap_y),
    )
}

fn format_number(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) {
        format!("{v:.4e}")
    } else {
        format!("{v:.5}")
    }
}

impl App {
    fn open_window(&mut self, event_loop: &ActiveEventLoop) -> Result<WindowState, String> {
        let attributes = Window::default_attributes()
            .with_title("gradscape")
            .with_inner_size(winit::dpi::PhysicalSize::new(
                self.options.size[0],
                self.options.size[1],
            ));
        let window = Arc::new(
            event_loop
                .create_window(attributes)
                .map_err(|e| format!("cannot create the window: {e}"))?,
        );
        let (gpu, surface) = Gpu::with_fallback(|backends| {
            let instance = Gpu::instance(
                backends,
                wgpu::InstanceDescriptor::new_with_display_handle_from_env(Box::new(
                    event_loop.owned_display_handle(),
                )),
            );
            let surface = instance.create_surface(window.clone())?;
            let gpu = pollster::block_on(Gpu::new(instance, Some(&surface)))?;
            Ok((gpu, surface))
        })
        .map_err(|e| e.to_string())?;
        let capabilities = surface.get_capabilities(&gpu.adapter);
        let format =
            surface_format(&capabilities).ok_or("the GPU cannot present to this window")?;
        let surface_copies = capabilities.usages.contains(wgpu::TextureUsages::COPY_DST);
        let size = window.inner_size();
        let mut surface_state = SurfaceState::new(format, [size.width, size.height]);
        if surface_copies {
            surface_state.config.usage |= wgpu::TextureUsages::COPY_DST;
        }
        let context = egui::Context::default();
        // Ctrl+= and Ctrl+− would grow the panel over the figure, whose layout assumes the
        // panel's fixed width.
        context.options_mut(|options| options.zoom_with_keyboard = false);
        context.set_fonts(crate::render::text::font_definitions());
        let input = egui_winit::State::new(
            context.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            None,
            Some(gpu.device.limits().max_texture_dimension_2d as usize),
        );
        let ui = Ui {
            context,
            input,
            renderer: egui_wgpu::Renderer::new(
                &gpu.device,
                format,
                egui_wgpu::RendererOptions::default(),
            ),
        };
        Ok(WindowState {
            surface_state,
            renderer: Renderer::new(&gpu, format),
            ui,
            window,
            surface,
            last_error: None,
            surface_copies,
            figure_cache: None,
        })
    }

    fn request_redraw(&self) {
        if let Some(state) = &self.window {
            state.window.request_redraw();
        }
    }

    /// The figure's rectangle in the window, in physical pixels.
    fn figure_rect(&self) -> Option<[u32; 4]> {
        let state = self.window.as_ref()?;
        let panel = if self.show_panel {
            (PANEL_WIDTH * state.window.scale_factor() as f32).round() as u32
        } else {
            0
        };
        Some(figure_rect(state.surface_state.size(), panel))
    }

    fn report(state: &mut WindowState, error: &RenderError) {
        let message = error.to_string();
        if state.last_error.as_deref() != Some(message.as_str()) {
            eprintln!("gradscape: {message}");
            state.last_error = Some(message);
        }
    }

    fn redraw(&mut self) {
        let figure = self.figure_rect();
        let Some(state) = &mut self.window else {
            return;
        };
        let Some(figure) = figure.filter(|_| state.surface_state.drawable()) else {
            return;
        };
        if state.surface_state.stale {
            state
                .surface
                .configure(&state.renderer.gpu().device, &state.surface_state.config);
            state.surface_state.stale = false;
        }
        let frame = match state.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(frame) => frame,
            wgpu::CurrentSurfaceTexture::Suboptimal(frame) => {
                // Drop the frame before reconfiguring; the next redraw reconfigures once.
                drop(frame);
                state.surface_state.stale = true;
                state.window.request_redraw();
                return;
            }
            wgpu::CurrentSurfaceTexture::Timeout | wgpu::CurrentSurfaceTexture::Occluded => return,
            wgpu::CurrentSurfaceTexture::Outdated => {
                state.surface_state.stale = true;
                state.window.request_redraw();
                return;
            }
            wgpu::CurrentSurfaceTexture::Lost => {
                match state
                    .renderer
                    .gpu()
                    .instance
                    .create_surface(state.window.clone())
                {
                    Ok(surface) => state.surface = surface,
                    Err(e) => log::error!("cannot recreate the lost surface: {e}"),
                }
                state.surface_state.stale = true;
                state.window.request_redraw();
                return;
            }
            wgpu::CurrentSurfaceTexture::Validation => {
                log::error!("acquiring the next frame failed validation; skipping it");
                return;
            }
        };
        let size = state.surface_state.size();
        let gpu = state.renderer.gpu().clone();
        if state.surface_copies && state.figure_cache.as_ref().is_none_or(|c| c.size() != size) {
            state.figure_cache = Some(FigureCache::new(&gpu.device, state.renderer.format(), size));
        }
        let key = FigureKey {
            scene: self.scene.clone(),
            size,
            figure,
            quality: state.renderer.quality(),
        };
        let fresh = !state.figure_cache.as_ref().is_some_and(|c| c.holds(&key));
        if fresh {
            match state.renderer.prepare_in(&self.scene, size, figure) {
                // The previous frame's state stays prepared: keep showing the last good figure.
                Err(error) => {
                    self.panel.status = error.to_string();
                    Self::report(state, &error);
                }
                Ok(_) => state.last_error = None,
            }
        }
        let view = frame
            .texture
            .create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("window::encoder"),
            });
        match &mut state.figure_cache {
            Some(cache) => {
                if fresh {
                    state.renderer.encode(&mut encoder, cache.draw_into(key));
                }
                cache.copy_to(&mut encoder, &frame.texture);
            }
            None => state.renderer.encode(&mut encoder, &view),
        }
        let before = self.scene.clone();
        let requests = self.draw_ui(&gpu, &mut encoder, &view, size);
        gpu.queue.submit([encoder.finish()]);
        if let Some(state) = &self.window {
            state.window.pre_present_notify();
        }
        gpu.queue.present(frame);
        self.report_changes();
        for request in requests {
            match request {
                Request::Screenshot => self.screenshot(),
                Request::SaveScene => self.save_scene(),
            }
        }
        // A panel edit shows on the next frame.
        if self.scene != before {
            self.after_scene_edit();
        }
    }

    /// Runs the panel, the help overlay and the hover readout, and records them over the
    /// figure. Returns what the panel asked for.
    fn draw_ui(
        &mut self,
        gpu: &Gpu,
        encoder: &mut wgpu::CommandEncoder,
        view: &wgpu::TextureView,
        size: [u32; 2],
    ) -> Vec<Request> {
        let longest = self.longest_path();
        let Some(state) = &mut self.window else {
            return Vec::new();
        };
        let input = state.ui.input.take_egui_input(&state.window);
        let mut requests = Vec::new();
        let (scene, controls, panel) = (&mut self.scene, &mut self.controls, &mut self.panel);
        let (show_panel, show_help, hover) = (self.show_panel, &mut self.show_help, self.hover);
        let output = state.ui.context.run_ui(input, |ui| {
            if show_panel {
                egui::Panel::left("controls")
                    .exact_size(PANEL_WIDTH)
                    .resizable(false)
                    .show(ui, |ui| {
                        requests = panel::show(ui, scene, controls, panel, longest);
                    });
            }
            if *show_help {
                egui::Window::new("Keys and mouse (F1)")
                    .open(show_help)
                    .collapsible(false)
                    .show(ui.ctx(), |ui| {
                        egui::Grid::new("keys").striped(true).show(ui, |ui| {
                            for binding in input::BINDINGS {
                                ui.label(egui::RichText::new(binding.input).strong());
                                ui.label(binding.effect);
                                ui.end_row();
                            }
                        });
                    });
            }
            if let Some(pick) = hover
                && let Some(pointer) = ui.ctx().pointer_hover_pos()
            {
                let rows = [
                    ("x", format_number(pick.at[0])),
                    ("y", format_number(pick.at[1])),
                    ("f", format_number(pick.f)),
                    (
                        "∇f",
                        format!(
                            "({}, {})",
                            format_number(pick.gradient[0]),
                            format_number(pick.gradient[1])
                        ),
                    ),
                ];
                let (pivot, corner) = hover_placement(pointer, ui.ctx().content_rect());
                egui::Area::new(egui::Id::unique("hover"))
                    .order(egui::Order::Tooltip)
                    .interactable(false)
                    .pivot(pivot)
                    .fixed_pos(corner)
                    .show(ui.ctx(), |ui| {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            egui::Grid::new("hover rows").show(ui, |ui| {
                                for (name, value) in rows {
                                    ui.label(name);
                                    // Whole, however near the window's edge.
                                    ui.add(
                                        egui::Label::new(egui::RichText::new(value).monospace())
                                            .extend(),
                                    );
                                    ui.end_row();
                                }
                            });
                        });
                    });
            }
        });
        state
            .ui
            .input
            .handle_platform_output(&state.window, output.platform_output.clone());
        let repaint = output
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.repaint_delay);
        self.next_ui_repaint = repaint
            .filter(|delay| *delay < Duration::from_secs(60))
            .map(|delay| Instant::now() + delay);
        let jobs = state
            .ui
            .context
            .tessellate(output.shapes, output.pixels_per_point);
        let mut deltas = output.textures_delta;
        for (id, image_deltas) in &deltas.set {
            for delta in image_deltas {
                state
                    .ui
                    .renderer
                    .update_texture(&gpu.device, &gpu.queue, *id, delta);
            }
        }
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: size,
            pixels_per_point: output.pixels_per_point,
        };
        state
            .ui
            .renderer
            .update_buffers(&gpu.device, &gpu.queue, encoder, &jobs, &screen);
        let mut pass = crate::render::overlay_pass(encoder, view, "window::ui_pass", None);
        state.ui.renderer.render(&mut pass, &jobs, &screen);
        drop(pass);
        for id in &deltas.free {
            state.ui.renderer.free_texture(id);
        }
        deltas.clear();
        requests
    }

    /// The camera is moving: draw fast until it has been still for a moment.
    fn camera_moved(&mut self) {
        if let Some(state) = &mut self.window {
            state.renderer.set_quality(Quality::Interactive);
        }
        self.settle_at = Some(Instant::now() + SETTLE_DELAY);
        self.request_redraw();
    }

    /// After any edit: the title, and a redraw.
    fn after_scene_edit(&mut self) {
        self.update_title();
        self.request_redraw();
    }

    /// Prints, once each, the runs that stopped early and how much of f is undefined.
    fn report_changes(&mut self) {
        let Some(prepared) = self.window.as_ref().and_then(|s| s.renderer.prepared()) else {
            return;
        };
        let mut notes: Vec<String> = prepared
            .paths
            .iter()
            .filter(|run| run.path.stop.reason != crate::optim::StopReason::Completed)
            .map(|run| format!("{}: {}", run.spec.label(), run.path.stop.detail))
            .collect();
        if prepared.stats.invalid_nodes > 0 {
            notes.push(format!(
                "f is undefined on {:.1} % of the grid; those parts are left out",
                prepared.stats.invalid_fraction() * 100.0
            ));
        }
        for note in notes.iter().filter(|n| !self.reported.contains(n)) {
            eprintln!("gradscape: {note}");
            self.panel.status = note.clone();
        }
        self.reported = notes;
    }

    /// Points in the longest path, for the animation keys.
    fn longest_path(&self) -> usize {
        self.window
            .as_ref()
            .and_then(|s| s.renderer.prepared())
            .map_or(0, |p| {
                p.paths
                    .iter()
                    .map(|r| r.path.points.len())
                    .max()
                    .unwrap_or(0)
            })
    }

    /// Shows the function and the selected run (which the run keys act on) in the title bar.
    fn update_title(&self) {
        let Some(state) = &self.window else {
            return;
        };
        let selected = self
            .scene
            .runs
            .get(self.controls.selected_run)
            .map_or_else(String::new, |run| {
                format!(" — selected run: {}", run.label())
            });
        state.window.set_title(&format!(
            "gradscape — {}{selected} — H: panel, F1: keys",
            self.scene.function
        ));
    }

    /// A fresh render of the same Scene into an offscreen texture, never the swapchain.
    fn screenshot(&mut self) {
        let figure = self.figure_rect();
        let Some((state, figure)) = self.window.as_mut().zip(figure) else {
            return;
        };
        let scale = self.panel.screenshot_scale;
        let (size, clamped) = screenshot_size([figure[2], figure[3]], scale, MAX_SCREENSHOT_PIXELS);
        if clamped {
            println!(
                "note: the screenshot is {}×{}: a scale of {scale} would make more than \
                 {MAX_SCREENSHOT_PIXELS} pixels",
                size[0], size[1]
            );
        }
        let result: Result<Image, RenderError> = state.renderer.render_image(&self.scene, size);
        // The renderer is now prepared for the screenshot's size, not the window's.
        if let Some(cache) = &mut state.figure_cache {
            cache.forget();
        }
        self.panel.status = match result {
            Ok(image) => saved_status(save_screenshot(&self.options.screenshot_dir, &image)),
            Err(error) => {
                eprintln!("gradscape: screenshot failed: {error}");
                format!("screenshot failed: {error}")
            }
        };
        state.window.request_redraw();
    }

    /// Saves the Scene as TOML beside the screenshots (Ctrl+S).
    fn save_scene(&mut self) {
        let mut scene = self.scene.clone();
        // `render --scene` then draws the figure at the size it has in the window.
        if let Some([.., width, height]) = self.figure_rect().filter(|r| r[2] > 0 && r[3] > 0) {
            scene.size = [width, height];
        }
        let saved = scene
            .to_toml()
            .map_err(anyhow::Error::from)
            .and_then(|text| save_text(&self.options.screenshot_dir, "toml", &text));
        self.panel.status = saved_status(saved);
        self.request_redraw();
    }

    /// f and ∇f under the cursor, or `None` off the figure.
    fn pick(&self, cursor: Vec2) -> Option<Pick> {
        let state = self.window.as_ref()?;
        let prepared = state.renderer.prepared()?;
        let function = state.renderer.function()?;
        let (_, local) = prepared.panel_at(cursor.as_dvec2())?;
        let at = prepared
            .geometry
            .pick(local, |x, y| function.value(x, y), &self.scene.domain)?;
        Some(Pick {
            at,
            f: function.value(at[0], at[1]),
            gradient: function.gradient(at[0], at[1]),
        })
    }
}

/// Writes `text` in `directory` under the first free `timestamped_paths` name, never replacing
/// a file.
fn save_text(directory: &std::path::Path, extension: &str, text: &str) -> anyhow::Result<PathBuf> {
    use anyhow::Context;
    for path in timestamped_paths(directory, extension) {
        let cannot = || format!("cannot write {}", path.display());
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write;
                if let Err(error) = file.write_all(text.as_bytes()) {
                    // No partial scene file left behind (a full disk, say).
                    let _ = std::fs::remove_file(&path);
                    return Err(error).with_context(cannot);
                }
                return Ok(path);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error).with_context(cannot),
        }
    }
    unreachable!("the names never run out")
}

/// The panel's status line for a file saved from the window; the path also goes to stdout and
/// a failure to stderr.
fn saved_status<E: std::fmt::Display>(result: Result<PathBuf, E>) -> String {
    match result {
        Ok(path) => {
            println!("{}", path.display());
            format!("saved {}", path.display())
        }
        Err(error) => {
            // `{:#}`: anyhow's chain of causes on one line (plain Display for other errors).
            eprintln!("gradscape: {error:#}");
            format!("{error:#}")
        }
    }
}

/// The screenshot size for a figure size and scale, clamped (keeping the aspect ratio) to the
/// largest texture; the flag says whether it was clamped.
pub fn screenshot_size(window: [u32; 2], scale: f32, max_pixels: u64) -> ([u32; 2], bool) {
    let wanted = window.map(|v| ((v as f32 * scale).round() as u32).max(1));
    let pixels = u64::from(wanted[0]) * u64::from(wanted[1]);
    if pixels <= max_pixels {
        return (wanted, false);
    }
    let shrink = (max_pixels as f64 / pixels as f64).sqrt();
    (
        wanted.map(|v| ((f64::from(v) * shrink).floor() as u32).max(1)),
        true,
    )
}

/// Screenshots larger than a texture are rendered in tiles; this bounds their memory
/// (4× a 5K window).
pub const MAX_SCREENSHOT_PIXELS: u64 = crate::render::capture::MAX_IMAGE_PIXELS;

impl ApplicationHandler for App {
    fn new_events(&mut self, _event_loop: &ActiveEventLoop, cause: StartCause) {
        if let StartCause::ResumeTimeReached { .. } = cause {
            let now = Instant::now();
            if self.controls.playing && self.next_tick.is_some_and(|at| now >= at) {
                let longest = self.longest_path();
                input::advance_animation(&mut self.scene, &mut self.controls, longest);
                self.next_tick = Some(now + ANIMATION_INTERVAL);
                self.request_redraw();
            }
            if self.next_ui_repaint.is_some_and(|at| now >= at) {
                self.next_ui_repaint = None;
                self.request_redraw();
            }
            if self.settle_at.is_some_and(|at| now >= at) {
                self.settle_at = None;
                if let Some(state) = &mut self.window {
                    state.renderer.set_quality(Quality::Final);
                }
                self.request_redraw();
            }
        }
    }

    /// Sleeps until the next event, or until the next animation step or egui repaint.
    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        self.next_tick = match (self.controls.playing, self.next_tick) {
            (false, _) => None,
            (true, None) => Some(Instant::now() + ANIMATION_INTERVAL),
            (true, tick) => tick,
        };
        let wake = [self.next_tick, self.next_ui_repaint, self.settle_at]
            .into_iter()
            .flatten()
            .min();
        event_loop.set_control_flow(match wake {
            Some(at) => ControlFlow::WaitUntil(at),
            None => ControlFlow::Wait,
        });
    }

    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.window.is_some() {
            return;
        }
        match self.open_window(event_loop) {
            Ok(state) => {
                state.window.request_redraw();
                self.window = Some(state);
                self.update_title();
            }
            Err(message) => {
                self.fatal = Some(message);
                event_loop.exit();
            }
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        // egui asks for a repaint after every redraw; passing it on would redraw forever.
        if event == WindowEvent::RedrawRequested {
            self.redraw();
            return;
        }
        if let Some(state) = &mut self.window {
            // egui takes every Tab (to move focus); unless a text field has the keyboard it is
            // the key that switches the view.
            let view_switch = matches!(&event, WindowEvent::KeyboardInput { event: key, .. }
                if key.logical_key == Key::Named(NamedKey::Tab))
                && !state.ui.context.egui_wants_keyboard_input();
            if !view_switch {
                let response = state.ui.input.on_window_event(&state.window, &event);
                if response.repaint {
                    state.window.request_redraw();
                }
                // egui took it: a click on the panel, typing into a text field.
                if response.consumed {
                    return;
                }
            }
        }
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(size) => {
                if let Some(state) = &mut self.window {
                    state.surface_state.resize([size.width, size.height]);
                }
                self.request_redraw();
            }
            WindowEvent::ScaleFactorChanged { .. } => self.request_redraw(),
            WindowEvent::ModifiersChanged(modifiers) => self.pointer.modifiers = modifiers.state(),
            WindowEvent::KeyboardInput { event, .. } if event.state == ElementState::Pressed => {
                let control = self.pointer.modifiers.control_key();
                let Some(action) = input::action_for_key(&event.logical_key, control) else {
                    return;
                };
                match action {
                    Action::Quit => event_loop.exit(),
                    Action::Screenshot => self.screenshot(),
                    Action::SaveScene => self.save_scene(),
                    Action::TogglePanel => {
                        self.show_panel = !self.show_panel;
                        self.request_redraw();
                    }
                    Action::ToggleHelp => {
                        self.show_help = !self.show_help;
                        self.request_redraw();
                    }
                    _ => {
                        let longest = self.longest_path();
                        if input::apply_action(&mut self.scene, &mut self.controls, action, longest)
                        {
                            self.after_scene_edit();
                        }
                    }
                }
            }
            WindowEvent::MouseInput { state, button, .. } => {
                let pressed = state == ElementState::Pressed;
                let modifiers = self.pointer.modifiers;
                // Ctrl- or Shift-click moves the runs' start to the point clicked.
                if pressed
                    && button == MouseButton::Left
                    && (modifiers.control_key() || modifiers.shift_key())
                {
                    if let Some(pick) = self.pointer.position.and_then(|p| self.pick(p)) {
                        self.scene.set_start(Some(pick.at));
                        self.after_scene_edit();
                    }
                    return;
                }
                self.pointer.drag = match (pressed, button) {
                    (true, MouseButton::Left) => Drag::Primary,
                    (true, MouseButton::Right | MouseButton::Middle) => Drag::Pan,
                    _ => Drag::None,
                };
            }
            WindowEvent::CursorMoved { position, .. } => {
                let position = Vec2::new(position.x as f32, position.y as f32);
                let previous = self.pointer.position.replace(position);
                if let (Some(previous), Drag::Primary | Drag::Pan) = (previous, self.pointer.drag)
                    && let Some(state) = &self.window
                    && let Some(prepared) = state.renderer.prepared()
                {
                    let geometry = prepared.geometry;
                    input::drag(
                        &mut self.scene,
                        &geometry,
                        self.pointer.drag,
                        position - previous,
                    );
                    self.camera_moved();
                } else {
                    let hover = self.pick(position);
                    if hover != self.hover {
                        self.hover = hover;
                        self.request_redraw();
                    }
                }
            }
            WindowEvent::CursorLeft { .. } => {
                self.pointer.position = None;
                if self.hover.take().is_some() {
                    self.request_redraw();
                }
            }
            WindowEvent::MouseWheel { delta, .. } => {
                let lines = match delta {
                    MouseScrollDelta::LineDelta(_, y) => y,
                    MouseScrollDelta::PixelDelta(p) => p.y as f32 / 40.0,
                };
                if let Some(state) = &self.window
                    && let Some(prepared) = state.renderer.prepared()
                {
                    let geometry = prepared.geometry;
                    // Towards the cursor in whichever panel it is over, else the centre.
                    let [.., width, height] = prepared.panels[0];
                    let cursor = self
                        .pointer
                        .position
                        .and_then(|p| prepared.panel_at(p.as_dvec2()))
                        .map_or(
                            Vec2::new(width as f32, height as f32) * 0.5,
                            |(_, local)| local.as_vec2(),
                        );
                    input::zoom(
                        &mut self.scene,
                        &geometry,
                        input::zoom_factor(lines),
                        cursor,
                    );
                    self.camera_moved();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimised_window_is_not_drawn_and_restores_cleanly() {
        let mut surface = SurfaceState::new(wgpu::TextureFormat::Bgra8UnormSrgb, [800, 600]);
        surface.stale = false;
        surface.resize([0, 0]);
        assert!(!surface.drawable());
        surface.resize([800, 600]);
        assert!(surface.drawable() && surface.stale);
        assert_eq!(surface.config.present_mode, wgpu::PresentMode::AutoVsync);
    }

    #[test]
    fn the_hover_readout_sits_beside_the_cursor_towards_the_centre() {
        let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(800.0, 600.0));
        let readout = egui::vec2(220.0, 90.0);
        for pointer in [
            egui::pos2(5.0, 5.0),
            egui::pos2(795.0, 5.0),
            egui::pos2(5.0, 595.0),
            egui::pos2(795.0, 595.0),
            egui::pos2(400.0, 300.0),
        ] {
            let (pivot, corner) = hover_placement(pointer, window);
            let rect = pivot.anchor_size(corner, readout);
            assert!(
                window.contains_rect(rect),
                "{pointer:?}: {rect:?} leaves the window"
            );
            assert!(
                !rect.expand(HOVER_GAP / 2.0).contains(pointer),
                "{pointer:?}: {rect:?} covers the cursor"
            );
        }
    }

    #[test]
    fn a_resize_storm_reconfigures_once() {
        let mut surface = SurfaceState::new(wgpu::TextureFormat::Bgra8UnormSrgb, [800, 600]);
        for width in 100..200 {
            surface.resize([width, 300]);
        }
        assert!(surface.stale);
        assert_eq!(surface.size(), [199, 300]);
    }

    #[test]
    fn screenshots_are_clamped_to_the_largest_texture() {
        assert_eq!(
            screenshot_size([800, 600], 4.0, MAX_SCREENSHOT_PIXELS),
            ([3200, 2400], false)
        );
        let (size, clamped) = screenshot_size([8000, 4000], 4.0, 1_000_000);
        assert!(clamped);
        assert!(
            u64::from(size[0]) * u64::from(size[1]) <= 1_000_000,
            "{size:?}"
        );
        assert_eq!(size[0], 2 * size[1]);
    }
}
