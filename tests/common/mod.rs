//! Shared by the GPU test binaries: one device per test process and image helpers.
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gradscape::function::Function;
use gradscape::render::Renderer;
use gradscape::render::capture::Image;
use gradscape::render::field::{FieldPass, POISON_BITS};
use gradscape::render::gpu::Gpu;
use gradscape::scene::{ContourColor, Domain, Layers, Scene, ViewKind};

/// The book's function as contour lines of one colour on the map, nothing else.
pub fn contours_on_the_map(color: [u8; 3]) -> Scene {
    let mut scene = Scene {
        view: ViewKind::Map,
        layers: Layers {
            contours: true,
            ..Layers::NONE
        },
        runs: Vec::new(),
        grid: 64,
        ..Scene::default()
    };
    scene.contours.color = ContourColor::Single(color);
    scene
}

/// Set to rewrite the reference images from the current output.
pub const UPDATE_ENV: &str = "GRADSCAPE_UPDATE_REFERENCES";

/// The test GPU: a real adapter (on a machine without one, Mesa's lavapipe). Tests never skip:
/// with no adapter they fail and say how to get one.
pub fn gpu() -> &'static Gpu {
    static GPU: OnceLock<Gpu> = OnceLock::new();
    GPU.get_or_init(|| match Gpu::headless() {
        Ok(gpu) => gpu,
        Err(error) => panic!(
            "GPU tests need a GPU adapter: {error}\n(on Debian/Ubuntu: sudo apt-get install \
             mesa-vulkan-drivers)"
        ),
    })
}

/// The GPU's f, ∂f/∂x, ∂f/∂y and validity on an n×n grid of `domain`, evaluated into a
/// poisoned buffer so that a node the shader skipped shows as [`POISON_BITS`].
pub fn gpu_field(function: &Function, domain: &Domain, n: u32) -> Vec<[f32; 4]> {
    let gpu = gpu();
    let mut pass = FieldPass::new(gpu);
    pass.update(gpu, function, domain, n)
        .expect("first evaluation");
    pass.poison(gpu);
    let poisoned = pass.read_nodes(gpu).expect("read back the poison");
    assert!(
        poisoned.iter().all(|node| node[0].to_bits() == POISON_BITS),
        "the poison did not reach the buffer"
    );
    pass.update(gpu, function, domain, n).expect("evaluation");
    let nodes = pass.read_nodes(gpu).expect("read back");
    // The validity word is written at every node, defined or not.
    if let Some(k) = nodes
        .iter()
        .position(|node| node[3].to_bits() == POISON_BITS)
    {
        panic!("node {k} of {n}² was never written");
    }
    nodes
}

pub fn renderer() -> Renderer {
    Renderer::new(gpu(), wgpu::TextureFormat::Rgba8UnormSrgb)
}

/// Renders `scene` at `size` and returns the image with what the renderer settled.
pub fn render(scene: &Scene, size: [u32; 2]) -> (Image, gradscape::render::Prepared) {
    let mut renderer = renderer();
    let image = renderer
        .render_image(scene, size)
        .unwrap_or_else(|e| panic!("render failed: {e}"));
    let prepared = renderer.prepared().cloned().expect("prepared after render");
    (image, prepared)
}

pub fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

pub fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("images");
    std::fs::create_dir_all(&dir).expect("test output directory");
    dir
}

pub fn load_png(path: &Path) -> Image {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::ALPHA);
    let mut reader = decoder.read_info().expect("PNG header");
    let mut rgba = vec![0; reader.output_buffer_size().expect("PNG size")];
    let info = reader.next_frame(&mut rgba).expect("PNG data");
    rgba.truncate(info.buffer_size());
    assert_eq!(info.color_type, png::ColorType::Rgba, "{}", path.display());
    Image {
        width: info.width,
        height: info.height,
        rgba,
    }
}

fn save(image: &Image, path: &Path) {
    gradscape::render::capture::write_png(
        path,
        image,
        gradscape::render::capture::Overwrite::Replace,
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

/// Per pixel, the largest difference of a channel between two images of one size.
pub fn pixel_differences<'a>(a: &'a Image, b: &'a Image) -> impl Iterator<Item = u8> + 'a {
    a.rgba
        .chunks_exact(4)
        .zip(b.rgba.chunks_exact(4))
        .map(|(p, q)| {
            p.iter()
                .zip(q)
                .map(|(x, y)| x.abs_diff(*y))
                .max()
                .unwrap_or(0)
        })
}

/// Pixels where a channel differs by more than `tolerance` levels.
pub fn count_differing(a: &Image, b: &Image, tolerance: u8) -> usize {
    pixel_differences(a, b).filter(|&d| d > tolerance).count()
}

/// Compares with `tests/reference/{name}.png`; see [`assert_matches_image`].
pub fn assert_matches_reference(name: &str, image: &Image) {
    assert_matches_image(&reference_dir().join(format!("{name}.png")), image);
}

/// Compares with the PNG at `path`: at most 0.5 % of the pixels may differ by more than 24
/// levels in a channel (rasterisers differ along edges), and the mean difference must stay
/// under 1 level. A missing reference fails; `GRADSCAPE_UPDATE_REFERENCES=1` rewrites it.
/// On failure the actual image and a difference image are written beside the test output.
pub fn assert_matches_image(path: &Path, image: &Image) {
    // With the folder: docs/presets/book-compare.png and tests/reference/book-compare.png
    // must not write their failure images over each other.
    let name = [path.parent().and_then(Path::file_name), path.file_stem()]
        .map(|part| part.map(|p| p.to_string_lossy()).unwrap_or_default())
        .join("-");
    if std::env::var_os(UPDATE_ENV).is_some() {
        save(image, path);
        return;
    }
    assert!(
        path.exists(),
        "reference image {} is missing; create it with {UPDATE_ENV}=1 cargo test and review it",
        path.display()
    );
    let reference = load_png(path);
    assert_eq!(
        (image.width, image.height),
        (reference.width, reference.height),
        "{name}: size differs from the reference"
    );
    let mut total = 0u64;
    let mut differing = 0usize;
    let mut difference = Vec::with_capacity(image.rgba.len());
    for d in pixel_differences(image, &reference) {
        total += u64::from(d);
        if d > 24 {
            differing += 1;
        }
        difference.extend([d.saturating_mul(4), 0, 0, 255]);
    }
    let pixels = (image.width * image.height) as usize;
    let mean = total as f64 / pixels as f64;
    let fraction = differing as f64 / pixels as f64;
    if mean >= 1.0 || fraction > 0.005 {
        let out = output_dir();
        save(image, &out.join(format!("{name}-actual.png")));
        let difference = Image {
            width: image.width,
            height: image.height,
            rgba: difference,
        };
        save(&difference, &out.join(format!("{name}-difference.png")));
        panic!(
            "{name} differs from its reference: mean {mean:.3} levels, {:.3} % of pixels off \
             by more than 24; see {}",
            fraction * 100.0,
            out.display()
        );
    }
}
