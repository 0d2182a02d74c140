//! `gradscape bench`: field evaluation, frame and whole-`render` times per grid size on this
//! machine's GPU. Medians of a few repetitions; GPU timestamps where the adapter has them.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::render::Renderer;
use crate::render::field::max_grid;
use crate::render::gpu::Gpu;
use crate::scene::Scene;

#[derive(Clone, Debug)]
pub struct BenchOptions {
    pub grids: Vec<u32>,
    pub size: [u32; 2],
    pub repeats: usize,
    /// The gradscape executable to time whole `render` runs with; `None` skips them.
    pub executable: Option<std::path::PathBuf>,
}

/// One grid's measurements.
#[derive(Clone, Debug)]
pub struct BenchRow {
    pub grid: u32,
    pub field_wall: Duration,
    pub field_gpu: Option<Duration>,
    pub frame_wall: Duration,
    pub frame_gpu: Option<Duration>,
    pub render_process: Option<Duration>,
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn median_of(samples: Vec<Option<Duration>>) -> Option<Duration> {
    samples.into_iter().collect::<Option<Vec<_>>>().map(median)
}

fn format_ms(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.1}")
    }
}

fn format_optional(duration: Option<Duration>) -> String {
    duration.map_or_else(|| "–".to_owned(), format_ms)
}

/// Times one whole `gradscape render` process.
fn time_render_process(executable: &Path, grid: u32, size: [u32; 2]) -> anyhow::Result<Duration> {
    let out = std::env::temp_dir().join(format!("gradscape-bench-{}.png", std::process::id()));
    let start = Instant::now();
    let status = Command::new(executable)
        .args(["render", "--grid", &grid.to_string()])
        .args(["--size", &format!("{}x{}", size[0], size[1])])
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()?;
    let elapsed = start.elapsed();
    let _ = std::fs::remove_file(&out);
    anyhow::ensure!(status.success(), "gradscape render failed: {status}");
    Ok(elapsed)
}

pub fn run(gpu: &Gpu, options: &BenchOptions) -> anyhow::Result<Vec<BenchRow>> {
    let mut renderer = Renderer::new(gpu, wgpu::TextureFormat::Rgba8UnormSrgb);
    renderer.enable_timing();
    let largest = max_grid(&gpu.device.limits());
    let target = gpu.device.create_texture(&wgpu::TextureDescriptor {
        label: Some("bench::target"),
        size: wgpu::Extent3d {
            width: options.size[0],
            height: options.size[1],
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: renderer.format(),
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
        view_formats: &[],
    });
    let view = target.create_view(&wgpu::TextureViewDescriptor::default());
    let mut rows = Vec::new();
    for &grid in options.grids.iter().filter(|&&g| g <= largest) {
        let scene = Scene {
            grid,
            ..Scene::default()
        };
        // Warm-up: pipelines are compiled and buffers allocated outside the timings.
        renderer.prepare(&scene, options.size)?;

        let (mut field_wall, mut field_gpu) = (Vec::new(), Vec::new());
        for _ in 0..options.repeats {
            renderer.field().invalidate();
            let start = Instant::now();
            renderer.prepare(&scene, options.size)?;
            field_wall.push(start.elapsed());
            field_gpu.push(renderer.field().last_gpu_time());
        }

        let (mut frame_wall, mut frame_gpu) = (Vec::new(), Vec::new());
        for _ in 0..options.repeats {
            let start = Instant::now();
            renderer.prepare(&scene, options.size)?;
            let mut encoder = gpu
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("bench::encoder"),
                });
            renderer.encode(&mut encoder, &view);
            let submission = gpu.queue.submit([encoder.finish()]);
            let gpu_time = renderer.read_frame_time(submission.clone()).transpose()?;
            gpu.wait(submission)?;
            frame_wall.push(start.elapsed());
            frame_gpu.push(gpu_time);
        }

        let render_process = match &options.executable {
            Some(executable) => Some(median(
                (0..options.repeats.min(3))
                    .map(|_| time_render_process(executable, grid, options.size))
                    .collect::<anyhow::Result<Vec<_>>>()?,
            )),
            None => None,
        };
        rows.push(BenchRow {
            grid,
            field_wall: median(field_wall),
            field_gpu: median_of(field_gpu),
            frame_wall: median(frame_wall),
            frame_gpu: median_of(frame_gpu),
            render_process,
        });
    }
    Ok(rows)
}

/// The results as a Markdown table (what the README shows).
pub fn table(gpu: &Gpu, options: &BenchOptions, rows: &[BenchRow]) -> String {
    let mut text = format!(
        "Adapter: {}\nFrame: {}×{} px, {}× MSAA; medians of {} runs; times in ms.\n\n",
        gpu.describe(),
        options.size[0],
        options.size[1],
        gpu.sample_count(wgpu::TextureFormat::Rgba8UnormSrgb),
        options.repeats
    );
    text.push_str(
        "| grid | field (GPU) | field (wall, incl. read-back) | frame (GPU) | frame (wall) | whole `render` to PNG |\n",
    );
    text.push_str("|---:|---:|---:|---:|---:|---:|\n");
    for row in rows {
        text.push_str(&format!(
            "| {0}² | {1} | {2} | {3} | {4} | {5} |\n",
            row.grid,
            format_optional(row.field_gpu),
            format_ms(row.field_wall),
            format_optional(row.frame_gpu),
            format_ms(row.frame_wall),
            format_optional(row.render_process),
        ));
    }
    text
}
