//! The command line: builds a Scene from flags and hands it to the window, the headless
//! renderer or one of the data commands. Nothing here draws.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use gradscape::app::{self, WindowOptions, input};
use gradscape::bench::{self, BenchOptions};
use gradscape::colormap::Colormap;
use gradscape::function::{ValueScale, gallery_listing};
use gradscape::huge_pages;
use gradscape::levels::LevelSpec;
use gradscape::optim::{self, GradientSource, RunOutput, RunSpec};
use gradscape::presets;
use gradscape::render::Renderer;
use gradscape::render::capture::{Overwrite, only_files_replaced};
use gradscape::render::field::FieldPass;
use gradscape::render::gpu::{self, Gpu};
use gradscape::scene::{
    ArrowDirection, ArrowScaling, ContourColor, Layers, MAX_SIDE, Panels, Scene, Theme, ViewKind,
    parse_range,
};

/// Window size when `--size` is not given: fits a laptop screen.
const DEFAULT_WINDOW_SIZE: [u32; 2] = [1280, 960];

#[derive(Parser)]
#[command(
    name = "gradscape",
    version,
    about = "Explore a function of two variables and how optimizers travel across it, live on the GPU.",
    long_about = None,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    figure: FigureArgs,
    /// Screenshot size relative to the window (P or F12), e.g. 2 for twice the window size.
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0, value_parser = parse_scale)]
    screenshot_scale: f32,
}

#[derive(Subcommand)]
enum Command {
    /// Render the figure to a PNG without a window or display (works on Mesa lavapipe).
    Render(Box<RenderArgs>),
    /// Write the GPU-evaluated field as CSV: x,y,f,dfdx,dfdy per node, y-major.
    Field(Box<FieldArgs>),
    /// Print optimizer paths (computed on the CPU in f64) as CSV or JSON.
    Paths(Box<PathsArgs>),
    /// List the gallery of functions with their formulas, domains and minima.
    Functions,
    /// Measure field evaluation, frame and whole-render times on this machine's GPU.
    Bench(Box<BenchArgs>),
}

/// The function and its domain.
#[derive(Args, Clone, Default)]
struct FunctionArgs {
    /// The function: a gallery name (see `gradscape functions`) or an expression in x and y,
    /// e.g. "x^2/20 + y^2" (default: book).
    #[arg(long = "fn", value_name = "EXPR", allow_hyphen_values = true)]
    function: Option<String>,
    /// x range of the domain, e.g. -2:2 (default: the function's own, else -10:10).
    #[arg(long, value_name = "LOW:HIGH", allow_hyphen_values = true, value_parser = parse_range)]
    x: Option<[f64; 2]>,
    /// y range of the domain, e.g. -1:3.
    #[arg(long, value_name = "LOW:HIGH", allow_hyphen_values = true, value_parser = parse_range)]
    y: Option<[f64; 2]>,
}

/// The optimizer runs.
#[derive(Args, Clone, Default)]
struct RunArgs {
    /// A named figure: fig6-1 … fig6-5, fig6-path3d, book-compare (listed in --help).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// An optimizer run, kind[:key=value,...], e.g. sgd:lr=0.95 or adam:lr=0.3,beta1=0.9;
    /// repeat for several (default: the book's comparison of four).
    #[arg(long = "run", value_name = "SPEC")]
    runs: Vec<RunSpec>,
    /// Start of every run, x,y (default: the function's own, (-7, 2) for the book's).
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true, value_parser = optim::parse_start)]
    start: Option<[f64; 2]>,
    /// Steps of every run (default: 30).
    #[arg(long, value_name = "N", value_parser = optim::parse_steps)]
    steps: Option<usize>,
    /// Gradient of every run: analytic or numeric[:h=1e-4] (central differences).
    #[arg(long, value_name = "SOURCE")]
    grad: Option<GradientSource>,
}

/// What the figure shows; the window and `render` take the same flags.
#[derive(Args, Clone)]
struct FigureArgs {
    /// A scene file (TOML, as the window's Ctrl+S writes); flags given beside it override it.
    #[arg(long, value_name = "FILE", conflicts_with = "preset")]
    scene: Option<PathBuf>,
    #[command(flatten)]
    function: FunctionArgs,
    #[command(flatten)]
    runs: RunArgs,
    /// Image size in pixels (default: 1600x1200; the window opens at 1280x960).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<[u32; 2]>,
    /// Grid nodes per side evaluated on the GPU (default: 512).
    #[arg(long, value_name = "N")]
    grid: Option<u32>,
    /// 3-D surface or top-down map (default: 3d).
    #[arg(long, value_enum)]
    view: Option<ViewKind>,
    /// Camera azimuth in degrees, matplotlib's azim (default: -60).
    #[arg(long, value_name = "DEG", allow_hyphen_values = true)]
    yaw: Option<f32>,
    /// Camera elevation in degrees, matplotlib's elev (default: 30).
    #[arg(long, value_name = "DEG", allow_hyphen_values = true)]
    pitch: Option<f32>,
    /// Camera distance from the centre of the box, which is 2 wide (default: 8.8).
    #[arg(long, value_name = "D")]
    distance: Option<f32>,
    /// Colormap of the surface and the map (default: bwr).
    #[arg(long, value_enum)]
    colormap: Option<Colormap>,
    /// Colour scale: linear, or log for deep narrow valleys (default: the function's own).
    #[arg(long, value_enum)]
    scale: Option<ValueScale>,
    /// Vertical exaggeration of the 3-D surface (default: 1).
    #[arg(long, value_name = "FACTOR")]
    z_scale: Option<f32>,
    /// Layers to show, a comma list of: surface, wireframe, contours, contours3d,
    /// floor-contours, filled, arrows, scatter, paths (default: surface,contours,floor-contours,paths).
    #[arg(long, value_name = "LIST", value_parser = |s: &str| s.parse::<Layers>())]
    layers: Option<Layers>,
    /// One panel per optimizer run, or all runs over one figure (default: overlay).
    #[arg(long, value_enum)]
    panels: Option<Panels>,
    /// Contour levels: a count (10: about ten nice levels), a range start:stop:step with the
    /// stop excluded (0:100:1, as np.arange), or a list (1,2,4,8) (default: 10).
    #[arg(long, value_name = "SPEC", allow_hyphen_values = true)]
    levels: Option<LevelSpec>,
    /// Contour line colour: auto (dark over a fill, else by level), by-level, or a colour
    /// such as k or #336699 (default: auto).
    #[arg(long, value_name = "COLOR")]
    contour_color: Option<ContourColor>,
    /// Arrows across the longer side of the domain, whatever the grid (default: 20).
    #[arg(long, value_name = "N")]
    arrows: Option<u32>,
    /// Arrow lengths: scaled (data units, the longest one cell long, as matplotlib's quiver)
    /// or normalized (all alike, coloured by |∇f|) (default: scaled).
    #[arg(long, value_enum)]
    arrow_style: Option<ArrowScaling>,
    /// Arrows along −∇f (descent) or +∇f (ascent) (default: descent).
    #[arg(long, value_enum)]
    arrow_direction: Option<ArrowDirection>,
    /// Wireframe lines across each axis (default: 50).
    #[arg(long, value_name = "N")]
    wire_lines: Option<u32>,
    /// Scatter points per side (default: 40).
    #[arg(long, value_name = "N")]
    scatter_points: Option<u32>,
    /// Figure title.
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Axis titles x,y,f (default: "x,y,f(x, y)"); commas inside a title are not supported.
    #[arg(long, value_name = "X,Y,F")]
    axis_labels: Option<String>,
    /// No axes, ticks or tick labels.
    #[arg(long)]
    no_axes: bool,
    /// No colorbar.
    #[arg(long)]
    no_colorbar: bool,
    /// No legend of the optimizer runs.
    #[arg(long)]
    no_legend: bool,
    /// A small chart of f against step for each run.
    #[arg(long)]
    learning_curve: bool,
    /// light (matplotlib's look) or dark (default: light).
    #[arg(long, value_enum)]
    theme: Option<Theme>,
    /// PNGs with a transparent background.
    #[arg(long)]
    transparent: bool,
    /// Low end of the colour range (default: the smallest defined value).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    vmin: Option<f64>,
    /// High end of the colour range (default: the largest defined value).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    vmax: Option<f64>,
}

#[derive(Args)]
struct RenderArgs {
    /// Output PNG file.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    figure: FigureArgs,
}

#[derive(Args)]
struct FieldArgs {
    /// Output CSV file.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Grid nodes per side.
    #[arg(long, value_name = "N", default_value_t = 64)]
    grid: u32,
    #[command(flatten)]
    function: FunctionArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum PathsFormat {
    Csv,
    Json,
}

#[derive(Args)]
struct PathsArgs {
    #[command(flatten)]
    function: FunctionArgs,
    #[command(flatten)]
    runs: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: PathsFormat,
}

#[derive(Args)]
struct BenchArgs {
    /// Grid sizes to measure (nodes per side), comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [256, 512, 1024, 2048])]
    grids: Vec<u32>,
    /// Frame size of the book's figure and of the comparisons.
    #[arg(long, value_name = "WxH", value_parser = parse_size, default_value = "1600x1200")]
    size: [u32; 2],
    /// Frame size of the figure with every layer.
    #[arg(long, value_name = "WxH", value_parser = parse_size, default_value = "1920x1080")]
    layers_size: [u32; 2],
    /// Repetitions per measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    repeats: usize,
    /// Skip timing whole `gradscape render` processes (and the comparisons).
    #[arg(long)]
    no_process: bool,
    /// A python with matplotlib and PyVista, as bench/setup.sh makes (default:
    /// bench/.venv/bin/python when it exists); the comparisons are skipped without one.
    #[arg(long, value_name = "PATH")]
    python: Option<PathBuf>,
    /// Grids of the comparisons with matplotlib and PyVista.
    #[arg(long, value_delimiter = ',', default_values_t = [200, 1000, 2000])]
    compare_grids: Vec<u32>,
    /// Skip the comparisons with matplotlib and PyVista.
    #[arg(long, conflicts_with = "python")]
    no_compare: bool,
}

fn parse_size(text: &str) -> Result<[u32; 2], String> {
    let (width, height) = text
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| format!("{text:?} is not a size: write WIDTHxHEIGHT, e.g. 1600x1200"))?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|side| (1..=MAX_SIDE).contains(side))
            .ok_or_else(|| {
                format!("{s:?} in {text:?} is not a whole number of pixels from 1 to {MAX_SIDE}")
            })
    };
    Ok([side(width)?, side(height)?])
}

/// A screenshot scale: a finite factor from 0.1 to 16.
fn parse_scale(text: &str) -> Result<f32, String> {
    text.trim()
        .parse::<f32>()
        .ok()
        .filter(|scale| (0.1..=16.0).contains(scale))
        .ok_or_else(|| format!("{text:?} is not a scale from 0.1 to 16"))
}

impl FunctionArgs {
    fn apply(&self, scene: &mut Scene) -> anyhow::Result<()> {
        if let Some(function) = &self.function {
            scene.set_function(function)?;
        }
        if let Some(x) = self.x {
            scene.domain.x = x;
        }
        if let Some(y) = self.y {
            scene.domain.y = y;
        }
        Ok(())
    }
}

impl RunArgs {
    fn apply(&self, scene: &mut Scene) {
        if !self.runs.is_empty() {
            scene.runs = self.runs.clone();
        }
        if self.start.is_some() {
            scene.set_start(self.start);
        }
        for run in &mut scene.runs {
            if let Some(steps) = self.steps {
                run.steps = steps;
            }
            if let Some(grad) = &self.grad {
                run.grad = grad.clone();
            }
        }
    }
}

/// The scene file or preset (if any), then the function, then every flag that was given, in
/// that order.
fn base_scene(
    scene_file: Option<&Path>,
    function: &FunctionArgs,
    runs: &RunArgs,
) -> anyhow::Result<Scene> {
    let mut scene = match scene_file {
        Some(path) => Scene::load(path)?,
        None => Scene::default(),
    };
    if let Some(preset) = &runs.preset {
        presets::apply(preset, &mut scene).map_err(anyhow::Error::msg)?;
    }
    function.apply(&mut scene)?;
    runs.apply(&mut scene);
    Ok(scene)
}

impl FigureArgs {
    fn scene(&self) -> anyhow::Result<Scene> {
        let mut scene = base_scene(self.scene.as_deref(), &self.function, &self.runs)?;
        let camera = &mut scene.camera;
        camera.yaw_deg = self.yaw.unwrap_or(camera.yaw_deg);
        camera.pitch_deg = self.pitch.unwrap_or(camera.pitch_deg);
        camera.distance = self.distance.unwrap_or(camera.distance);
        scene.size = self.size.unwrap_or(scene.size);
        scene.grid = self.grid.unwrap_or(scene.grid);
        scene.view = self.view.unwrap_or(scene.view);
        scene.colormap = self.colormap.unwrap_or(scene.colormap);
        scene.value_scale = self.scale.unwrap_or(scene.value_scale);
        scene.z_scale = self.z_scale.unwrap_or(scene.z_scale);
        scene.layers = self.layers.unwrap_or(scene.layers);
        scene.panels = self.panels.unwrap_or(scene.panels);
        if let Some(levels) = &self.levels {
            scene.contours.levels = levels.clone();
        }
        scene.contours.color = self.contour_color.unwrap_or(scene.contours.color);
        scene.arrows.lattice = self.arrows.unwrap_or(scene.arrows.lattice);
        scene.arrows.scaling = self.arrow_style.unwrap_or(scene.arrows.scaling);
        scene.arrows.direction = self.arrow_direction.unwrap_or(scene.arrows.direction);
        scene.mesh.wire_lines = self.wire_lines.unwrap_or(scene.mesh.wire_lines);
        scene.mesh.scatter_points = self.scatter_points.unwrap_or(scene.mesh.scatter_points);
        let figure = &mut scene.figure;
        if let Some(title) = &self.title {
            figure.title = title.clone();
        }
        if let Some(labels) = &self.axis_labels {
            let parts: Vec<&str> = labels.split(',').map(str::trim).collect();
            let [x, y, f] = parts[..] else {
                anyhow::bail!("--axis-labels {labels:?}: expected three titles, x,y,f");
            };
            figure.labels = [x.to_owned(), y.to_owned(), f.to_owned()];
        }
        figure.axes &= !self.no_axes;
        figure.colorbar &= !self.no_colorbar;
        figure.legend &= !self.no_legend;
        figure.learning_curve |= self.learning_curve;
        figure.theme = self.theme.unwrap_or(figure.theme);
        figure.transparent |= self.transparent;
        figure.vmin = self.vmin.or(figure.vmin);
        figure.vmax = self.vmax.or(figure.vmax);
        // A scene file was checked as it loaded: what is wrong now came from a flag.
        scene
            .check()
            .map_err(|bad| anyhow::anyhow!(bad.as_flag()))?;
        // Within limits; this only brings the azimuth into (−180°, 180°].
        scene.camera = scene.camera.clamped();
        Ok(scene)
    }
}

/// Tells the user what fraction of the grid is undefined (shown as holes).
fn note_undefined(stats: &gradscape::render::field::FieldStats) {
    if stats.invalid_nodes > 0 {
        eprintln!(
            "note: f is undefined on {:.1} % of the grid ({} of {} nodes); those parts are left out",
            stats.invalid_fraction() * 100.0,
            stats.invalid_nodes,
            stats.nodes
        );
    }
}

fn render(args: &RenderArgs) -> anyhow::Result<()> {
    // Where a headless render spends its time: RUST_LOG=gradscape=info shows it.
    let start = std::time::Instant::now();
    let lap = |what: &str| log::info!("{what}: {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
    let scene = args.figure.scene()?;
    let gpu = Gpu::headless()?;
    lap("device");
    let mut renderer = Renderer::new(&gpu, wgpu::TextureFormat::Rgba8UnormSrgb);
    lap("pipelines");
    renderer.render_png(&scene, scene.size, &args.out, Overwrite::Replace)??;
    lap("rendered and written");
    if let Some(prepared) = renderer.prepared() {
        note_undefined(&prepared.stats);
    }
    if std::env::var_os(bench::REPORT_PEAK_ENV).is_some()
        && let Some(peak) = bench::peak_memory_mib()
    {
        eprintln!("peak memory: {peak:.1} MiB");
    }
    println!("{}", args.out.display());
    // The process ends here, and the kernel frees the device's memory faster than the
    // driver's orderly teardown would (5 ms of a 0.27 s render on lavapipe).
    std::mem::forget(renderer);
    std::mem::forget(gpu);
    Ok(())
}

/// Full precision and `NaN` for undefined values; f32 values print their shortest round trip.
fn csv_value(value: f32, defined: bool) -> String {
    if defined && value.is_finite() {
        value.to_string()
    } else {
        "NaN".to_owned()
    }
}

fn field(args: &FieldArgs) -> anyhow::Result<()> {
    let mut scene = Scene {
        grid: args.grid,
        ..Scene::default()
    };
    args.function.apply(&mut scene)?;
    let function = scene.parse_function()?;
    let gpu = Gpu::headless()?;
    let mut pass = FieldPass::new(&gpu);
    let stats = pass.update(&gpu, &function, &scene.domain, scene.grid)?;
    note_undefined(&stats);
    let nodes = pass.read_nodes(&gpu)?;
    let mut text = String::from("x,y,f,dfdx,dfdy\n");
    for j in 0..scene.grid {
        for i in 0..scene.grid {
            let [f, dfdx, dfdy, valid] = nodes[(j * scene.grid + i) as usize];
            let [x, y] = scene.domain.node(i, j, scene.grid);
            let defined = valid > 0.5;
            text.push_str(&format!(
                "{x},{y},{},{},{}\n",
                csv_value(f, defined),
                csv_value(dfdx, defined),
                csv_value(dfdy, defined)
            ));
        }
    }
    write_atomically(&args.out, text.as_bytes())?;
    println!("{}", args.out.display());
    Ok(())
}

fn paths(args: &PathsArgs) -> anyhow::Result<()> {
    let scene = base_scene(None, &args.function, &args.runs)?;
    let function = scene.parse_function()?;
    let runs = scene.optimize(&function);
    for run in &runs {
        eprintln!("{}: {}", run.spec.label(), run.path.stop.detail);
    }
    let outputs: Vec<RunOutput> = runs
        .iter()
        .map(|run| RunOutput {
            spec: &run.spec,
            start: run.start,
            path: &run.path,
        })
        .collect();
    match args.format {
        PathsFormat::Csv => print!("{}", optim::to_csv(&outputs)),
        PathsFormat::Json => println!("{}", optim::to_json(&outputs)),
    }
    Ok(())
}

/// Writes through a temporary file beside `path`, so a failure leaves no partial file.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.partial", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let written = only_files_replaced(path)
        .and_then(|()| std::fs::write(&temporary, bytes))
        .and_then(|()| std::fs::rename(&temporary, path))
        .with_context(|| format!("cannot write {}", path.display()));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    let gpu = Gpu::headless()?;
    let default_python = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/.venv/bin/python");
    let python = args
        .python
        .clone()
        .or_else(|| default_python.exists().then_some(default_python))
        .filter(|_| !args.no_compare);
    if python.is_none() && !args.no_compare {
        eprintln!("note: no python for the comparisons; run bench/setup.sh or pass --python");
    }
    let options = BenchOptions {
        grids: args.grids.clone(),
        size: args.size,
        layers_size: args.layers_size,
        repeats: args.repeats.max(1),
        executable: if args.no_process {
            None
        } else {
            Some(std::env::current_exe()?)
        },
        python,
        compare_grids: args.compare_grids.clone(),
    };
    let report = bench::run(&gpu, &options)?;
    print!("{}", bench::table(&options, &report));
    Ok(())
}

fn window(cli: &Cli) -> anyhow::Result<()> {
    let scene = cli.figure.scene()?;
    let options = WindowOptions {
        size: cli.figure.size.unwrap_or(DEFAULT_WINDOW_SIZE),
        screenshot_scale: cli.screenshot_scale,
        screenshot_dir: std::env::current_dir()?,
    };
    app::run(scene, options)?;
    Ok(())
}

fn main() -> ExitCode {
    let restarted = huge_pages::environment_to_restore();
    let settings = restarted.iter().flatten().cloned().chain(
        gpu::loader_environment()
            .into_iter()
            .map(|(name, value)| (name, Some(value.into()))),
    );
    for (name, value) in settings {
        // SAFETY: the first statement of main, before any other thread exists.
        #[allow(unsafe_code)]
        unsafe {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("warn,egui_wgpu=error"),
    )
    .init();
    let presets: Vec<String> = presets::PRESETS
        .iter()
        .map(|p| format!("  {:14}  {}", p.name, p.description))
        .collect();
    let command = Cli::command().after_help(format!(
        "Keys and mouse in the window:\n{}\n\nPresets (--preset):\n{}",
        input::key_table_text(),
        presets.join("\n")
    ));
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    // Worth it where lavapipe renders; the benchmark's python children must not inherit it.
    let draws = matches!(
        cli.command,
        None | Some(Command::Render(_) | Command::Field(_))
    );
    if draws
        && restarted.is_none()
        && let Some(error) = huge_pages::restart()
    {
        log::info!("running without huge pages: cannot re-execute: {error}");
    }
    let result = match &cli.command {
        None => window(&cli),
        Some(Command::Render(args)) => render(args),
        Some(Command::Field(args)) => field(args),
        Some(Command::Paths(args)) => paths(args),
        Some(Command::Functions) => {
            print!("{}", gallery_listing());
            Ok(())
        }
        Some(Command::Bench(args)) => bench(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gradscape: {error:#}");
            ExitCode::FAILURE
        }
    }
}
