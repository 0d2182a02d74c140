//! The window: turns input into Scene edits and asks for a redraw; the Renderer draws.
//!
//! Redraws happen only when something changed (`ControlFlow::Wait`, AutoVsync), so an idle
//! window costs nothing. The surface is reconfigured lazily, once, before the next frame is
//! acquired, and never while the window has zero size.

pub mod input;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glam::Vec2;
use winit::application::ApplicationHandler;
use winit::event::{ElementState, MouseButton, MouseScrollDelta, StartCause, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::window::{Window, WindowId};

use crate::render::capture::{Image, save_screenshot};
use crate::render::gpu::Gpu;
use crate::render::{RenderError, Renderer};
use crate::scene::Scene;
use input::{Action, Controls, Drag};

/// Animation speed: optimizer steps per second.
const ANIMATION_INTERVAL: Duration = Duration::from_millis(125);

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
        scene,
        options,
        window: None,
        pointer: Pointer::default(),
        controls: Controls::default(),
        next_tick: Instant::now(),
        reported_stops: Vec::new(),
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
}

struct WindowState {
    window: Arc<Window>,
    surface: wgpu::Surface<'static>,
    surface_state: SurfaceState,
    renderer: Renderer,
    /// The last error shown, so a failing frame is reported once, not sixty times a second.
    last_error: Option<String>,
}

struct App {
    scene: Scene,
    options: WindowOptions,
    window: Option<WindowState>,
    pointer: Pointer,
    controls: Controls,
    /// When the animation shows its next step.
    next_tick: Instant,
    /// The early stops last printed, so each is reported once.
    reported_stops: Vec<String>,
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

impl App {
    fn open_window(&mut self, event_loop: &ActiveEventLoop) -> Result<WindowState, String> {
        let attributes = Window::default_attributes()
            .with_title(format!("gradscape — {}", self.scene.function))
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
            let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
                backends,
                ..wgpu::InstanceDescriptor::new_with_display_handle_from_env(Box::new(
                    event_loop.owned_display_handle(),
                ))
            });
            let surface = instance.create_surface(window.clone())?;
            let gpu = pollster::block_on(Gpu::new(instance, Some(&surface)))?;
            Ok((gpu, surface))
        })
        .map_err(|e| e.to_string())?;
        let format = surface_format(&surface.get_capabilities(&gpu.adapter))
            .ok_or("the GPU cannot present to this window")?;
        let size = window.inner_size();
        Ok(WindowState {
            surface_state: SurfaceState::new(format, [size.width, size.height]),
            renderer: Renderer::new(&gpu, format),
            window,
            surface,
            last_error: None,
        })
    }

    fn request_redraw(&self) {
        if let Some(state) = &self.window {
            state.window.request_redraw();
        }
    }

    fn report(state: &mut WindowState, error: &RenderError) {
        let message = error.to_string();
        if state.last_error.as_deref() != Some(message.as_str()) {
            eprintln!("gradscape: {message}");
            state.last_error = Some(message);
        }
    }

    fn redraw(&mut self) {
        let Some(state) = &mut self.window else {
            return;
        };
        if !state.surface_state.drawable() {
            return;
        }
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
        if let Err(error) = state.renderer.prepare(&self.scene, size) {
            // The previous frame's state stays prepared: keep showing the last good figure.
            Self::report(state, &error);
        } else {
            state.last_error = None;
            self.report_stops();
        }
        let Some(state) = &mut self.window else {
            return;
        };
        let view = frame
            .texture
            .create_view(&wgpu::TextureViewDescriptor::default());
        let gpu = state.renderer.gpu().clone();
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("window::encoder"),
            });
        state.renderer.encode(&mut encoder, &view);
        gpu.queue.submit([encoder.finish()]);
        state.window.pre_present_notify();
        gpu.queue.present(frame);
    }

    /// Prints each run that stopped early (diverged or converged) once, with its reason.
    fn report_stops(&mut self) {
        let Some(prepared) = self.window.as_ref().and_then(|s| s.renderer.prepared()) else {
            return;
        };
        let stops: Vec<String> = prepared
            .paths
            .iter()
            .filter(|run| run.path.stop.reason != crate::optim::StopReason::Completed)
            .map(|run| format!("{}: {}", run.spec.label(), run.path.stop.detail))
            .collect();
        for stop in stops.iter().filter(|s| !self.reported_stops.contains(s)) {
            eprintln!("gradscape: {stop}");
        }
        self.reported_stops = stops;
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

    /// Shows the selected run (which the run keys act on) in the title bar.
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
        state
            .window
            .set_title(&format!("gradscape — {}{selected}", self.scene.function));
    }

    /// A fresh render of the same Scene into an offscreen texture, never the swapchain.
    fn screenshot(&mut self) {
        let Some(state) = &mut self.window else {
            return;
        };
        let window_size = state.surface_state.size();
        let max_side = state.renderer.max_target_side();
        let (size, clamped) = screenshot_size(window_size, self.options.screenshot_scale, max_side);
        if clamped {
            println!(
                "note: the screenshot is {}×{}: --screenshot-scale {} would exceed this GPU's \
                 largest texture ({max_side} pixels per side)",
                size[0], size[1], self.options.screenshot_scale
            );
        }
        let result: Result<Image, RenderError> = state.renderer.render_image(&self.scene, size);
        match result {
            Ok(image) => match save_screenshot(&self.options.screenshot_dir, &image) {
                Ok(path) => println!("{}", path.display()),
                Err(error) => eprintln!("gradscape: {error}"),
            },
            Err(error) => eprintln!("gradscape: screenshot failed: {error}"),
        }
        state.window.request_redraw();
    }
}

/// The screenshot size for a window size and scale, clamped (keeping the aspect ratio) to the
/// largest texture; the flag says whether it was clamped.
pub fn screenshot_size(window: [u32; 2], scale: f32, max_side: u32) -> ([u32; 2], bool) {
    let wanted = window.map(|v| ((v as f32 * scale).round() as u32).max(1));
    let largest = wanted[0].max(wanted[1]);
    if largest <= max_side {
        return (wanted, false);
    }
    let shrink = max_side as f64 / largest as f64;
    (
        wanted.map(|v| ((v as f64 * shrink).floor() as u32).clamp(1, max_side)),
        true,
    )
}

impl ApplicationHandler for App {
    fn new_events(&mut self, _event_loop: &ActiveEventLoop, cause: StartCause) {
        if let StartCause::ResumeTimeReached { .. } = cause
            && self.controls.playing
        {
            let longest = self.longest_path();
            input::advance_animation(&mut self.scene, &mut self.controls, longest);
            self.next_tick = Instant::now() + ANIMATION_INTERVAL;
            self.request_redraw();
        }
    }

    /// Sleeps until the next event, or until the next animation step while playing.
    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        event_loop.set_control_flow(if self.controls.playing {
            ControlFlow::WaitUntil(self.next_tick)
        } else {
            ControlFlow::Wait
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
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(size) => {
                if let Some(state) = &mut self.window {
                    state.surface_state.resize([size.width, size.height]);
                }
                self.request_redraw();
            }
            WindowEvent::ScaleFactorChanged { .. } => self.request_redraw(),
            WindowEvent::RedrawRequested => self.redraw(),
            WindowEvent::KeyboardInput { event, .. } if event.state == ElementState::Pressed => {
                let Some(action) = input::action_for_key(&event.logical_key) else {
                    return;
                };
                match action {
                    Action::Quit => event_loop.exit(),
                    Action::Screenshot => self.screenshot(),
                    _ => {
                        let longest = self.longest_path();
                        if input::apply_action(&mut self.scene, &mut self.controls, action, longest)
                        {
                            self.next_tick = Instant::now() + ANIMATION_INTERVAL;
                            self.update_title();
                            self.request_redraw();
                        }
                    }
                }
            }
            WindowEvent::MouseInput { state, button, .. } => {
                self.pointer.drag = match (state, button) {
                    (ElementState::Pressed, MouseButton::Left) => Drag::Primary,
                    (ElementState::Pressed, MouseButton::Right | MouseButton::Middle) => Drag::Pan,
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
                    self.request_redraw();
                }
            }
            WindowEvent::CursorLeft { .. } => self.pointer.position = None,
            WindowEvent::MouseWheel { delta, .. } => {
                let lines = match delta {
                    MouseScrollDelta::LineDelta(_, y) => y,
                    MouseScrollDelta::PixelDelta(p) => p.y as f32 / 40.0,
                };
                if let Some(state) = &self.window
                    && let Some(prepared) = state.renderer.prepared()
                {
                    let geometry = prepared.geometry;
                    let size = geometry.size_px.map(|v| v as f32);
                    let cursor = self
                        .pointer
                        .position
                        .unwrap_or(Vec2::new(size[0], size[1]) * 0.5);
                    input::zoom(
                        &mut self.scene,
                        &geometry,
                        input::zoom_factor(lines),
                        cursor,
                    );
                    self.request_redraw();
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
            screenshot_size([800, 600], 2.0, 8192),
            ([1600, 1200], false)
        );
        let (size, clamped) = screenshot_size([6000, 3000], 2.0, 8192);
        assert!(clamped);
        assert_eq!(size, [8192, 4096]);
    }
}
