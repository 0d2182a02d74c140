//! `gradscape bench`: how fast, on this machine's GPU, and against matplotlib and PyVista/VTK.
//!
//! Per grid size: the field evaluation (GPU timestamps where the adapter has them, and wall
//! time with the read-back), a frame of the book's figure at 1600×1200 at final quality and
//! while the camera moves, a frame of surface + contours + arrows + paths at 1920×1080, and a
//! whole `gradscape render` process with its peak memory. With a python that has the
//! `bench/` environment (`bench/setup.sh`), the same figure by matplotlib and PyVista, run
//! alternately with gradscape, with ratios. Medians of a few repetitions throughout.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::function::Function;
use crate::levels::LevelSpec;
use crate::render::field::{FieldPass, NodeLayout, max_grid};
use crate::render::gpu::Gpu;
use crate::render::{FrameGpuTime, Quality, Renderer};
use crate::scene::Scene;

/// The environment variable a `render` child reads to print its peak memory.
pub const REPORT_PEAK_ENV: &str = "GRADSCAPE_REPORT_PEAK_RSS";

#[derive(Clone, Debug)]
pub struct BenchOptions {
    pub grids: Vec<u32>,
    /// Frame size of the book's figure (and of the comparisons).
    pub size: [u32; 2],
    /// Frame size of the figure with every layer.
    pub layers_size: [u32; 2],
    pub repeats: usize,
    /// The gradscape executable to time whole `render` runs with; `None` skips them.
    pub executable: Option<PathBuf>,
    /// A python with matplotlib and PyVista (see bench/setup.sh); `None` skips them.
    pub python: Option<PathBuf>,
    /// Grids the comparisons run on.
    pub compare_grids: Vec<u32>,
}

/// One grid's measurements.
#[derive(Clone, Debug, Default)]
pub struct GridRow {
    pub grid: u32,
    /// The write ceiling: the plainest kernel writing as many bytes as the field.
    pub write_gpu: Option<Duration>,
    pub field_gpu: Option<Duration>,
    pub field_wall: Duration,
    pub frame_gpu: Option<FrameGpuTime>,
    pub frame_wall: Duration,
    pub moving_wall: Duration,
    pub layers_gpu: Option<FrameGpuTime>,
    pub layers_wall: Duration,
    pub process: Option<Process>,
    /// The same with empty driver shader caches: a user's very first run.
    pub first_process: Option<Process>,
    /// matplotlib's `contour` with 100 levels and `quiver` over it at the layers' size:
    /// building and drawing the figure, without writing the PNG (as gradscape's frame).
    pub matplotlib_contour: Option<Duration>,
    pub matplotlib_quiver: Option<Duration>,
}

/// A whole process: wall time and peak memory.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Process {
    pub wall: Duration,
    pub peak_mib: Option<f64>,
}

/// One grid of the comparison with matplotlib and PyVista.
#[derive(Clone, Debug, Default)]
pub struct CompareRow {
    pub grid: u32,
    pub gradscape: Option<Process>,
    pub matplotlib: Option<Process>,
    pub pyvista: Option<Process>,
    /// One redraw after a rotation: gradscape's moving-camera frame, the others' own.
    pub gradscape_redraw: Option<Duration>,
    pub matplotlib_redraw: Option<Duration>,
    pub pyvista_redraw: Option<Duration>,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub adapter: String,
    pub sample_count: u32,
    pub grids: Vec<GridRow>,
    pub comparisons: Vec<CompareRow>,
    /// Grids asked for that this device cannot hold, and the largest it can.
    pub skipped: (Vec<u32>, u32),
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn median_of(samples: Vec<Option<Duration>>) -> Option<Duration> {
    samples.into_iter().collect::<Option<Vec<_>>>().map(median)
}

/// Medians of each pass, when every frame was timed.
fn median_frame(samples: Vec<Option<FrameGpuTime>>) -> Option<FrameGpuTime> {
    let frames = samples.into_iter().collect::<Option<Vec<_>>>()?;
    Some(FrameGpuTime {
        scene: median(frames.iter().map(|f| f.scene).collect()),
        text: median_of(frames.iter().map(|f| f.text).collect()),
    })
}

fn median_process(samples: Vec<Process>) -> Option<Process> {
    if samples.is_empty() {
        return None;
    }
    let wall = median(samples.iter().map(|p| p.wall).collect());
    let mut peaks: Vec<f64> = samples.iter().filter_map(|p| p.peak_mib).collect();
    peaks.sort_by(f64::total_cmp);
    Some(Process {
        wall,
        peak_mib: peaks.get(peaks.len() / 2).copied(),
    })
}

/// The book's figure, as the comparisons draw it.
fn book_scene(grid: u32) -> Scene {
    Scene {
        grid,
        ..Scene::default()
    }
}

/// A figure with every layer at once: surface, 3-D and floor contours, arrows, paths; with
/// matplotlib's contour task's 100 levels.
fn layers_scene(grid: u32) -> Scene {
    let mut scene = Scene {
        grid,
        layers: "surface,contours3d,floor-contours,arrows,paths"
            .parse()
            .unwrap_or_default(),
        ..Scene::default()
    };
    scene.contours.levels = LevelSpec::Count(100);
    scene
}

fn offscreen(gpu: &Gpu, format: wgpu::TextureFormat, size: [u32; 2]) -> wgpu::TextureView {
    gpu.device
        .create_texture(&wgpu::TextureDescriptor {
            label: Some("bench::target"),
            size: wgpu::Extent3d {
                width: size[0],
                height: size[1],
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
            view_formats: &[],
        })
        .create_view(&wgpu::TextureViewDescriptor::default())
}

/// Median wall and GPU time of a frame of `scene` (prepared and drawn, waited for).
fn time_frames(
    gpu: &Gpu,
    renderer: &mut Renderer,
    scene: &Scene,
    size: [u32; 2],
    repeats: usize,
) -> anyhow::Result<(Duration, Option<FrameGpuTime>)> {
    let view = offscreen(gpu, renderer.format(), size);
    // Warm-up: pipelines are compiled and buffers allocated outside the timings.
    renderer.prepare(scene, size)?;
    let (mut walls, mut gpus) = (Vec::new(), Vec::new());
    for _ in 0..=repeats {
        let start = Instant::now();
        renderer.prepare(scene, size)?;
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("bench::encoder"),
            });
        renderer.encode(&mut encoder, &view);
        let submission = gpu.queue.submit([encoder.finish()]);
        let gpu_time = renderer.read_frame_time(submission.clone()).transpose()?;
        gpu.wait(submission)?;
        walls.push(start.elapsed());
        gpus.push(gpu_time);
    }
    // The first timed frame still compiles lazily on some drivers: keep the rest.
    walls.remove(0);
    gpus.remove(0);
    Ok((median(walls), median_frame(gpus)))
}

/// How a timed `render` process finds the drivers' shader caches.
#[derive(Clone, Copy, PartialEq)]
enum ShaderCache {
    /// As a user's later runs do: filled by the runs before.
    Warm,
    /// Empty, as on a user's very first run: the drivers compile every shader.
    Empty,
}

/// Times one whole `gradscape render` process and reads the peak memory it reports.
fn time_render_process(
    executable: &Path,
    grid: u32,
    size: [u32; 2],
    cache: ShaderCache,
) -> anyhow::Result<Process> {
    let temporary = std::env::temp_dir();
    let out = temporary.join(format!("gradscape-bench-{}.png", std::process::id()));
    let mut command = Command::new(executable);
    command
        .args(["render", "--grid", &grid.to_string()])
        .args(["--size", &format!("{}x{}", size[0], size[1])])
        .arg("--out")
        .arg(&out)
        .env(REPORT_PEAK_ENV, "1");
    let empty_cache = temporary.join(format!("gradscape-bench-cache-{}", std::process::id()));
    if cache == ShaderCache::Empty {
        let _ = std::fs::remove_dir_all(&empty_cache);
        std::fs::create_dir_all(&empty_cache)?;
        // Mesa's cache, NVIDIA's, and the default place of both.
        command
            .env("MESA_SHADER_CACHE_DIR", &empty_cache)
            .env("__GL_SHADER_DISK_CACHE_PATH", &empty_cache)
            .env("XDG_CACHE_HOME", &empty_cache);
    }
    let start = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("cannot run {}", executable.display()))?;
    let wall = start.elapsed();
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_dir_all(&empty_cache);
    anyhow::ensure!(
        output.status.success(),
        "gradscape render failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let peak_mib = String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|l| {
            l.strip_prefix("peak memory: ")?
                .strip_suffix(" MiB")?
                .parse()
                .ok()
        });
    Ok(Process { wall, peak_mib })
}

/// One run of bench/compare.py: the whole process's wall time, the task's own time and its
/// peak memory; `None` when the tool cannot do the task.
fn run_compare(
    python: &Path,
    tool: &str,
    task: &str,
    grid: u32,
    size: [u32; 2],
) -> anyhow::Result<Option<(Process, Duration)>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/compare.py");
    let out = std::env::temp_dir().join(format!("gradscape-compare-{}.png", std::process::id()));
    let start = Instant::now();
    let output = Command::new(python)
        .arg(&script)
        .args(["--tool", tool, "--task", task, "--grid", &grid.to_string()])
        .args(["--size", &format!("{}x{}", size[0], size[1])])
        .arg("--out")
        .arg(&out)
        .output()
        .with_context(|| format!("cannot run the comparison python {}", python.display()))?;
    let wall = start.elapsed();
    let _ = std::fs::remove_file(&out);
    // 3: the tool is not installed; 4: it has no such task.
    if matches!(output.status.code(), Some(3 | 4)) {
        return Ok(None);
    }
    anyhow::ensure!(
        output.status.success(),
        "{tool} {task} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let seconds = json["seconds"].as_f64().unwrap_or(f64::NAN);
    Ok(Some((
        Process {
            wall,
            peak_mib: json["peak_rss_mib"].as_f64(),
        },
        Duration::from_secs_f64(seconds.max(0.0)),
    )))
}

/// GPU time of the write ceiling (shaders/bench_write.wgsl) on an n×n grid, where the
/// device has timestamps and the grid fits one storage binding.
fn time_write_ceiling(gpu: &Gpu, n: u32, repeats: usize) -> anyhow::Result<Option<Duration>> {
    let bytes = u64::from(n) * u64::from(n) * NodeLayout::Full.node_bytes();
    // Grids larger than one storage binding are evaluated in tiles; this kernel writes one.
    let Some(timer) = crate::render::timer::GpuTimer::new(gpu)
        .filter(|_| bytes <= gpu.device.limits().max_storage_buffer_binding_size)
    else {
        return Ok(None);
    };
    let device = &gpu.device;
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some("bench::write_shader"),
        source: wgpu::ShaderSource::Wgsl(include_str!("../shaders/bench_write.wgsl").into()),
    });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some("bench::write_pipeline"),
        layout: None,
        module: &module,
        entry_point: Some("cs_main"),
        compilation_options: wgpu::PipelineCompilationOptions::default(),
        cache: None,
    });
    let size = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("bench::write_size"),
        size: 16,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    gpu.queue
        .write_buffer(&size, 0, bytemuck::cast_slice(&[n, 0, 0, 0]));
    let nodes = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("bench::write_nodes"),
        size: bytes,
        usage: wgpu::BufferUsages::STORAGE,
        mapped_at_creation: false,
    });
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("bench::write_bind_group"),
        layout: &pipeline.get_bind_group_layout(0),
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: size.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: nodes.as_entire_binding(),
            },
        ],
    });
    let mut times = Vec::new();
    for _ in 0..=repeats {
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("bench::write_encoder"),
        });
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("bench::write_pass"),
                timestamp_writes: Some(timer.compute_writes()),
            });
            pass.set_pipeline(&pipeline);
            pass.set_bind_group(0, &bind_group, &[]);
            let groups = n.div_ceil(16);
            pass.dispatch_workgroups(groups, groups, 1);
        }
        timer.resolve(&mut encoder);
        let submission = gpu.queue.submit([encoder.finish()]);
        times.push(timer.read(gpu, submission)?);
    }
    times.remove(0);
    Ok(Some(median(times)))
}

fn measure_grid(
    gpu: &Gpu,
    renderer: &mut Renderer,
    field: &mut FieldPass,
    options: &BenchOptions,
    grid: u32,
) -> anyhow::Result<GridRow> {
    let scene = book_scene(grid);
    renderer.prepare(&scene, options.size)?;
    // The field pass alone, writing f, ∇f and validity (what the write ceiling is compared
    // with): dispatch, and waiting for its value range to come back.
    let function = Function::from_spec(&scene.function)?;
    let (mut field_wall, mut field_gpu) = (Vec::new(), Vec::new());
    for _ in 0..options.repeats {
        field.invalidate();
        let start = Instant::now();
        field.update(gpu, &function, &scene.domain, grid)?;
        field_wall.push(start.elapsed());
        field_gpu.push(field.last_gpu_time());
    }
    let (frame_wall, frame_gpu) =
        time_frames(gpu, renderer, &scene, options.size, options.repeats)?;
    renderer.set_quality(Quality::Interactive);
    let (moving_wall, _) = time_frames(gpu, renderer, &scene, options.size, options.repeats)?;
    renderer.set_quality(Quality::Final);
    let (layers_wall, layers_gpu) = time_frames(
        gpu,
        renderer,
        &layers_scene(grid),
        options.layers_size,
        options.repeats,
    )?;
    let process = match &options.executable {
        Some(executable) => median_process(
            (0..options.repeats.min(3))
                .map(|_| time_render_process(executable, grid, options.size, ShaderCache::Warm))
                .collect::<anyhow::Result<Vec<_>>>()?,
        ),
        None => None,
    };
    let first_process = match &options.executable {
        Some(executable) => Some(time_render_process(
            executable,
            grid,
            options.size,
            ShaderCache::Empty,
        )?),
        None => None,
    };
    Ok(GridRow {
        grid,
        write_gpu: time_write_ceiling(gpu, grid, options.repeats)?,
        field_gpu: median_of(field_gpu),
        field_wall: median(field_wall),
        frame_gpu,
        frame_wall,
        moving_wall,
        layers_gpu,
        layers_wall,
        process,
        first_process,
        ..GridRow::default()
    })
}

/// gradscape, matplotlib and PyVista on one grid, alternating, `repeats` rounds.
fn compare_grid(
    options: &BenchOptions,
    python: &Path,
    executable: &Path,
    moving_frame: Duration,
    grid: u32,
) -> anyhow::Result<CompareRow> {
    let size = options.size;
    let rounds = options.repeats.min(3);
    let mut samples: [Vec<Process>; 3] = Default::default();
    let mut redraws: [Vec<Duration>; 2] = Default::default();
    for _ in 0..rounds {
        samples[0].push(time_render_process(
            executable,
            grid,
            size,
            ShaderCache::Warm,
        )?);
        for (index, tool) in ["matplotlib", "pyvista"].into_iter().enumerate() {
            if let Some((process, _)) = run_compare(python, tool, "surface", grid, size)? {
                samples[index + 1].push(process);
            }
            if let Some((_, redraw)) = run_compare(python, tool, "redraw", grid, size)? {
                redraws[index].push(redraw);
            }
        }
    }
    let [gradscape, matplotlib, pyvista] = samples;
    let [matplotlib_redraw, pyvista_redraw] = redraws;
    Ok(CompareRow {
        grid,
        gradscape: median_process(gradscape),
        matplotlib: median_process(matplotlib),
        pyvista: median_process(pyvista),
        gradscape_redraw: Some(moving_frame),
        matplotlib_redraw: (!matplotlib_redraw.is_empty()).then(|| median(matplotlib_redraw)),
        pyvista_redraw: (!pyvista_redraw.is_empty()).then(|| median(pyvista_redraw)),
    })
}

/// The median of matplotlib's own timing of `task` (`contour`, `quiver`) on `grid` at the
/// layers' size, over up to 3 runs; `None` where it cannot run.
fn matplotlib_task(
    options: &BenchOptions,
    python: &Path,
    task: &str,
    grid: u32,
) -> anyhow::Result<Option<Duration>> {
    let times = (0..options.repeats.min(3))
        .filter_map(|_| {
            run_compare(python, "matplotlib", task, grid, options.layers_size).transpose()
        })
        .map(|run| run.map(|(_, seconds)| seconds))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((!times.is_empty()).then(|| median(times)))
}

pub fn run(gpu: &Gpu, options: &BenchOptions) -> anyhow::Result<Report> {
    let mut renderer = Renderer::new(gpu, wgpu::TextureFormat::Rgba8UnormSrgb);
    renderer.enable_timing();
    let mut field = FieldPass::new(gpu);
    field.enable_timing(gpu);
    let largest = max_grid(&gpu.device.limits(), NodeLayout::Full);
    let mut report = Report {
        adapter: gpu.describe(),
        sample_count: gpu.sample_count(wgpu::TextureFormat::Rgba8UnormSrgb),
        ..Report::default()
    };
    let all_grids = options.grids.iter().chain(&options.compare_grids);
    let mut skipped: Vec<u32> = all_grids.copied().filter(|&g| g > largest).collect();
    skipped.sort_unstable();
    skipped.dedup();
    report.skipped = (skipped, largest);
    for &grid in options.grids.iter().filter(|&&g| g <= largest) {
        let mut row = measure_grid(gpu, &mut renderer, &mut field, options, grid)?;
        if let (Some(python), Some(_)) = (&options.python, &options.executable) {
            row.matplotlib_contour = matplotlib_task(options, python, "contour", grid)?;
            row.matplotlib_quiver = matplotlib_task(options, python, "quiver", grid)?;
        }
        report.grids.push(row);
    }
    if let (Some(python), Some(executable)) = (&options.python, &options.executable) {
        for &grid in options.compare_grids.iter().filter(|&&g| g <= largest) {
            renderer.set_quality(Quality::Interactive);
            let (moving, _) = time_frames(
                gpu,
                &mut renderer,
                &book_scene(grid),
                options.size,
                options.repeats,
            )?;
            renderer.set_quality(Quality::Final);
            report
                .comparisons
                .push(compare_grid(options, python, executable, moving, grid)?);
        }
    }
    Ok(report)
}

fn ms(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.0}")
    }
}

fn optional_ms(duration: Option<Duration>) -> String {
    duration.map_or_else(|| "–".to_owned(), ms)
}

/// A frame's GPU time as `total (scene + text)`.
fn frame_ms(frame: Option<FrameGpuTime>) -> String {
    frame.map_or_else(
        || "–".to_owned(),
        |f| {
            format!(
                "{} ({} + {})",
                ms(f.total()),
                ms(f.scene),
                optional_ms(f.text)
            )
        },
    )
}

fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

/// `theirs / ours` as "12×", or a dash.
fn ratio(ours: Option<Duration>, theirs: Option<Duration>) -> String {
    match (ours, theirs) {
        (Some(ours), Some(theirs)) if ours > Duration::ZERO => {
            format!("{:.1}×", theirs.as_secs_f64() / ours.as_secs_f64())
        }
        _ => "–".to_owned(),
    }
}

fn peak(process: Option<Process>) -> String {
    process
        .and_then(|p| p.peak_mib)
        .map_or_else(|| "–".to_owned(), |m| format!("{m:.0} MiB"))
}

/// The results as Markdown tables (what the README shows).
pub fn table(options: &BenchOptions, report: &Report) -> String {
    let [w, h] = options.size;
    let [lw, lh] = options.layers_size;
    let mut text = format!(
        "Adapter: {}\nFrames: the book's figure at {w}×{h} ({}× MSAA; \"moving\": while the \
         camera moves), every layer at {lw}×{lh}; medians of {}; times in ms; a frame's GPU time \
         is its scene pass (surface, lines, multisample resolve) plus its text pass.\n\n",
        report.adapter, report.sample_count, options.repeats
    );
    let (skipped, largest) = &report.skipped;
    if !skipped.is_empty() {
        let list: Vec<String> = skipped.iter().map(u32::to_string).collect();
        text.push_str(&format!(
            "Skipped grids {}: this GPU holds grids up to {largest}².\n\n",
            list.join(", ")
        ));
    }
    text.push_str(
        "| grid | field GPU | field wall | field GB/s | of ceiling | frame GPU | frame wall | \
         moving wall | all layers GPU | all layers wall | `render` process | first run | peak \
         memory |\n",
    );
    text.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for row in &report.grids {
        let bytes =
            f64::from(row.grid) * f64::from(row.grid) * NodeLayout::Full.node_bytes() as f64;
        let bandwidth = row.field_gpu.map_or_else(
            || "–".to_owned(),
            |t| format!("{:.0}", bytes / t.as_secs_f64() / 1e9),
        );
        // The field's time against the write ceiling's, as a share of its bandwidth.
        let share = match (row.field_gpu, row.write_gpu) {
            (Some(field), Some(write)) => {
                format!("{:.0} %", 100.0 * write.as_secs_f64() / field.as_secs_f64())
            }
            _ => "–".to_owned(),
        };
        text.push_str(&format!(
            "| {}² | {} | {} | {bandwidth} | {share} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            row.grid,
            optional_ms(row.field_gpu),
            ms(row.field_wall),
            frame_ms(row.frame_gpu),
            ms(row.frame_wall),
            ms(row.moving_wall),
            frame_ms(row.layers_gpu),
            ms(row.layers_wall),
            optional_ms(row.process.map(|p| p.wall)),
            optional_ms(row.first_process.map(|p| p.wall)),
            peak(row.process),
        ));
    }
    if report.comparisons.is_empty() {
        return text;
    }
    text.push_str(&format!(
        "\nThe memo's surface at {w}×{h}, whole processes, run alternately (matplotlib: \
         `plot_surface` rstride=cstride=1; PyVista: off screen, anti-aliasing off):\n\n"
    ));
    text.push_str(
        "| grid | gradscape | matplotlib | ratio | PyVista/VTK | ratio | peak: gradscape | \
         matplotlib | PyVista |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let wall = |p: Option<Process>| p.map(|p| p.wall);
    for row in &report.comparisons {
        let show = |p: Option<Process>| wall(p).map_or_else(|| "–".to_owned(), seconds);
        text.push_str(&format!(
            "| {}² | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            row.grid,
            show(row.gradscape),
            show(row.matplotlib),
            ratio(wall(row.gradscape), wall(row.matplotlib)),
            show(row.pyvista),
            ratio(wall(row.gradscape), wall(row.pyvista)),
            peak(row.gradscape),
            peak(row.matplotlib),
            peak(row.pyvista),
        ));
    }
    text.push_str(&format!(
        "\nOne redraw after a rotation at {w}×{h} (gradscape: a frame while the camera moves), \
         in ms:\n\n| grid | gradscape | matplotlib | ratio | PyVista/VTK | ratio |\n\
         |---:|---:|---:|---:|---:|---:|\n"
    ));
    push_ratio_rows(
        &mut text,
        report.comparisons.iter().map(|row| {
            let times = [
                row.gradscape_redraw,
                row.matplotlib_redraw,
                row.pyvista_redraw,
            ];
            (row.grid, times)
        }),
    );
    text.push_str(&format!(
        "\nEvery layer (surface, 100 contour levels, arrows, paths) at {lw}×{lh}: a gradscape \
         frame against matplotlib drawing `contour` with 100 levels and its `quiver` over them \
         (PNG untimed on both sides), in ms:\n\n\
         | grid | gradscape | matplotlib contour | ratio | matplotlib quiver | ratio |\n\
         |---:|---:|---:|---:|---:|---:|\n"
    ));
    // Measured on the benchmark's own grids, where matplotlib could run.
    let measured = report
        .grids
        .iter()
        .filter(|row| row.matplotlib_contour.is_some());
    push_ratio_rows(
        &mut text,
        measured.map(|row| {
            let times = [
                Some(row.layers_wall),
                row.matplotlib_contour,
                row.matplotlib_quiver,
            ];
            (row.grid, times)
        }),
    );
    text
}

/// Table rows `| grid | ours | theirs | ratio | theirs | ratio |` from each grid's times (ours
/// first).
fn push_ratio_rows(text: &mut String, rows: impl Iterator<Item = (u32, [Option<Duration>; 3])>) {
    for (grid, [ours, first, second]) in rows {
        text.push_str(&format!(
            "| {grid}² | {} | {} | {} | {} | {} |\n",
            optional_ms(ours),
            optional_ms(first),
            ratio(ours, first),
            optional_ms(second),
            ratio(ours, second),
        ));
    }
}

/// Peak resident memory of this process (Linux), for the benchmark's `render` children.
pub fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}
