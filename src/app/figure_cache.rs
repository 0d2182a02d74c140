//! The figure last drawn into the window, kept in a texture of its own so that a redraw for the
//! interface alone (the hover readout, the panel's widgets, the help window) copies it instead
//! of rendering the scene again: on a CPU rasteriser a copy takes milliseconds where the scene
//! takes 50–150.

use crate::render::Quality;
use crate::scene::Scene;

/// Everything the window's figure depends on; equal keys draw equal pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureKey {
    pub scene: Scene,
    /// The surface's size in pixels.
    pub size: [u32; 2],
    /// Where the figure lies in it (beside the panel).
    pub figure: [u32; 4],
    pub quality: Quality,
}

pub struct FigureCache {
    texture: wgpu::Texture,
    view: wgpu::TextureView,
    drawn: Option<FigureKey>,
}

impl FigureCache {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat, size: [u32; 2]) -> Self {
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("window::figure_cache"),
            size: extent(size),
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        FigureCache {
            texture,
            view,
            drawn: None,
        }
    }

    pub fn size(&self) -> [u32; 2] {
        [self.texture.width(), self.texture.height()]
    }

    /// Whether it holds the figure `key` describes.
    pub fn holds(&self, key: &FigureKey) -> bool {
        self.drawn.as_ref() == Some(key)
    }

    /// The view to draw the figure `key` describes into; from then on the cache holds it.
    pub fn draw_into(&mut self, key: FigureKey) -> &wgpu::TextureView {
        self.drawn = Some(key);
        &self.view
    }

    /// Forgets what it holds: the renderer was used for something else (a screenshot), so
    /// the next redraw prepares the window's figure again.
    pub fn forget(&mut self) {
        self.drawn = None;
    }

    /// Records a copy of the figure onto `target`, a texture of the same size and format.
    pub fn copy_to(&self, encoder: &mut wgpu::CommandEncoder, target: &wgpu::Texture) {
        encoder.copy_texture_to_texture(
            self.texture.as_image_copy(),
            target.as_image_copy(),
            extent(self.size()),
        );
    }
}

fn extent([width, height]: [u32; 2]) -> wgpu::Extent3d {
    wgpu::Extent3d {
        width,
        height,
        depth_or_array_layers: 1,
    }
}
