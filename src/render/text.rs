//! The text pass: figure decorations (see [`crate::figure`]) drawn with egui's painter and
//! egui-wgpu, after the scene, into the same target. It owns an egui context of its own with
//! the bundled DejaVu Sans (matplotlib's font), so text is identical on every machine and the
//! same in the window, in screenshots and in `render`.

use crate::render::gpu::Gpu;

/// matplotlib's default font, bundled so figures look the same everywhere.
const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Fonts for figures and for the window's panel: DejaVu Sans first, egui's own as fallback.
pub fn font_definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "DejaVuSans".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(DEJAVU_SANS)),
    );
    fonts
        .families
        .entry(egui::FontFamily::Proportional)
        .or_default()
        .insert(0, "DejaVuSans".to_owned());
    fonts
}

pub struct TextPass {
    context: egui::Context,
    renderer: egui_wgpu::Renderer,
    jobs: Vec<egui::ClippedPrimitive>,
    to_free: Vec<egui::TextureId>,
    screen: egui_wgpu::ScreenDescriptor,
}

impl TextPass {
    pub fn new(gpu: &Gpu, format: wgpu::TextureFormat) -> TextPass {
        let context = egui::Context::default();
        context.set_fonts(font_definitions());
        TextPass {
            context,
            renderer: egui_wgpu::Renderer::new(
                &gpu.device,
                format,
                egui_wgpu::RendererOptions::PREDICTABLE,
            ),
            jobs: Vec::new(),
            to_free: Vec::new(),
            screen: egui_wgpu::ScreenDescriptor {
                size_in_pixels: [1, 1],
                pixels_per_point: 1.0,
            },
        }
    }

    /// Draws one glyph into a 3×3 target, as [`Renderer`](super::Renderer)'s warm-up does
    /// with its own pipelines (see `warm_up`), from the thread that built the pass: lavapipe
    /// compiles the triangle setup for egui's shader at its first draw, on its queue's thread,
    /// which otherwise held up the end of the first frame by about 7 ms; and egui loads its
    /// fonts and uploads its atlas here instead of in the first frame's preparation.
    pub fn warm_up(&mut self, gpu: &Gpu, format: wgpu::TextureFormat) {
        let target = super::texture_view(
            &gpu.device,
            "text::warm_up",
            [3, 3],
            format,
            1,
            wgpu::TextureUsages::RENDER_ATTACHMENT,
        );
        self.prepare(gpu, [3, 3], [3, 3], [0, 0], 1.0, |painter| {
            painter.text(
                egui::Pos2::ZERO,
                egui::Align2::LEFT_TOP,
                "0",
                egui::FontId::proportional(10.0),
                egui::Color32::BLACK,
            );
        });
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("text::warm_up"),
            });
        self.encode(gpu, &mut encoder, &target, None);
        gpu.queue.submit([encoder.finish()]);
    }

    /// Lays out and tessellates this frame's text: `paint` draws in points of a figure of
    /// `figure_px`, `pixels_per_point` of them per pixel; the figure's top left is at
    /// `origin_px` of a `size_px` target (beside the window's panel, or left of and above a
    /// screenshot tile).
    pub fn prepare(
        &mut self,
        gpu: &Gpu,
        size_px: [u32; 2],
        figure_px: [u32; 2],
        origin_px: [i32; 2],
        pixels_per_point: f32,
        paint: impl FnOnce(&egui::Painter),
    ) {
        // egui's screen is the whole figure, so nothing of it is culled; the layer is moved
        // into the target afterwards.
        let mut input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(figure_px[0] as f32, figure_px[1] as f32) / pixels_per_point,
            )),
            ..egui::RawInput::default()
        };
        input
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .native_pixels_per_point = Some(pixels_per_point);
        self.context.begin_pass(input);
        let layer = egui::LayerId::background();
        paint(&self.context.layer_painter(layer));
        let offset = egui::vec2(origin_px[0] as f32, origin_px[1] as f32) / pixels_per_point;
        self.context
            .transform_layer_shapes(layer, egui::emath::TSTransform::from_translation(offset));
        let mut output = self.context.end_pass();
        for (id, deltas) in &output.textures_delta.set {
            for delta in deltas {
                self.renderer
                    .update_texture(&gpu.device, &gpu.queue, *id, delta);
            }
        }
        // Freed after the frame that still uses them has been recorded; kept across
        // preparations that were never drawn.
        self.to_free
            .extend(output.textures_delta.free.iter().copied());
        output.textures_delta.clear();
        self.jobs = self
            .context
            .tessellate(output.shapes, output.pixels_per_point);
        self.screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: size_px,
            pixels_per_point: output.pixels_per_point,
        };
    }

    /// Draws the prepared text over what `target` holds; false when there is none (and no
    /// pass, so `timestamp_writes` are not written).
    pub fn encode(
        &mut self,
        gpu: &Gpu,
        encoder: &mut wgpu::CommandEncoder,
        target: &wgpu::TextureView,
        timestamp_writes: Option<wgpu::RenderPassTimestampWrites<'_>>,
    ) -> bool {
        let drawn = !self.jobs.is_empty();
        if drawn {
            let commands = self.renderer.update_buffers(
                &gpu.device,
                &gpu.queue,
                encoder,
                &self.jobs,
                &self.screen,
            );
            // egui-wgpu records into passes that outlive the borrow of the encoder.
            debug_assert!(commands.is_empty(), "no paint callbacks are used");
            let mut pass = super::overlay_pass(encoder, target, "text::pass", timestamp_writes);
            self.renderer.render(&mut pass, &self.jobs, &self.screen);
        }
        for id in self.to_free.drain(..) {
            self.renderer.free_texture(&id);
        }
        drawn
    }
}
