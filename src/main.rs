//! The command line: builds a Scene from flags and hands it to the window, the headless
//! renderer or one of the data commands. Nothing here draws.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use gradscape::app::{self, WindowOptions, input};
use gradscape::bench::{self, BenchOptions};
use gradscape::camera::OrbitCamera;
use gradscape::colormap::Colormap;
use gradscape::render::Renderer;
use gradscape::render::capture::{Overwrite, write_png};
use gradscape::render::field::FieldPass;
use gradscape::render::gpu::Gpu;
use gradscape::scene::{DEFAULT_GRID, DEFAULT_SIZE, Scene, ViewKind};

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
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0)]
    screenshot_scale: f32,
}

#[derive(Subcommand)]
enum Command {
    /// Render the figure to a PNG without a window or display (works on Mesa lavapipe).
    Render(RenderArgs),
    /// Write the GPU-evaluated field as CSV: x,y,f,dfdx,dfdy per node, y-major.
    Field(FieldArgs),
    /// Measure field evaluation, frame and whole-render times on this machine's GPU.
    Bench(BenchArgs),
}

/// What the figure shows; the window and `render` take the same flags.
#[derive(Args, Clone)]
struct FigureArgs {
    /// The function: a gallery name (`book`, …) or an expression in x and y.
    #[arg(
        long = "fn",
        value_name = "EXPR",
        default_value = "book",
        allow_hyphen_values = true
    )]
    function: String,
    /// Image size in pixels (the window's initial size).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<[u32; 2]>,
    /// Grid nodes per side evaluated on the GPU.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_GRID)]
    grid: u32,
    /// 3-D surface or top-down map.
    #[arg(long, value_enum, default_value_t = ViewKind::ThreeD)]
    view: ViewKind,
    /// Camera azimuth in degrees (matplotlib's azim).
    #[arg(long, value_name = "DEG", allow_hyphen_values = true, default_value_t = OrbitCamera::default().yaw_deg)]
    yaw: f32,
    /// Camera elevation in degrees (matplotlib's elev).
    #[arg(long, value_name = "DEG", allow_hyphen_values = true, default_value_t = OrbitCamera::default().pitch_deg)]
    pitch: f32,
    /// Camera distance from the centre of the box (box half-width = 1).
    #[arg(long, value_name = "D", default_value_t = OrbitCamera::default().distance)]
    distance: f32,
    /// Colormap of the surface and the map.
    #[arg(long, value_enum, default_value_t = Colormap::default())]
    colormap: Colormap,
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
    /// The function: a gallery name or an expression in x and y.
    #[arg(
        long = "fn",
        value_name = "EXPR",
        default_value = "book",
        allow_hyphen_values = true
    )]
    function: String,
}

#[derive(Args)]
struct BenchArgs {
    /// Grid sizes to measure (nodes per side), comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [256, 512, 1024, 2048])]
    grids: Vec<u32>,
    /// Frame size in pixels.
    #[arg(long, value_name = "WxH", value_parser = parse_size, default_value = "1600x1200")]
    size: [u32; 2],
    /// Repetitions per measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    repeats: usize,
    /// Skip timing whole `gradscape render` processes.
    #[arg(long)]
    no_process: bool,
}

fn parse_size(text: &str) -> Result<[u32; 2], String> {
    let (width, height) = text
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| format!("{text:?} is not a size: write WIDTHxHEIGHT, e.g. 1600x1200"))?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .map_err(|_| format!("{s:?} in {text:?} is not a whole number of pixels"))
    };
    Ok([side(width)?, side(height)?])
}

impl FigureArgs {
    fn scene(&self) -> Scene {
        let defaults = Scene::default();
        Scene {
            function: self.function.clone(),
            grid: self.grid,
            view: self.view,
            camera: OrbitCamera {
                yaw_deg: self.yaw,
                pitch_deg: self.pitch,
                distance: self.distance,
                ..OrbitCamera::default()
            }
            .clamped(),
            colormap: self.colormap,
            size: self.size.unwrap_or(DEFAULT_SIZE),
            ..defaults
        }
    }
}

fn render(args: &RenderArgs) -> anyhow::Result<()> {
    let scene = args.figure.scene();
    let gpu = Gpu::headless()?;
    let mut renderer = Renderer::new(&gpu, wgpu::TextureFormat::Rgba8UnormSrgb);
    let image = renderer.render_image(&scene, scene.size, 1.0)?;
    write_png(&args.out, &image, Overwrite::Replace)?;
    println!("{}", args.out.display());
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
    let scene = Scene {
        function: args.function.clone(),
        grid: args.grid,
        ..Scene::default()
    };
    let function = scene.parse_function()?;
    let gpu = Gpu::headless()?;
    let mut pass = FieldPass::new(&gpu);
    pass.update(&gpu, &function, &scene.domain, scene.grid)?;
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

/// Writes through a temporary file beside `path`, so a failure leaves no partial file.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.partial", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let written = std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .with_context(|| format!("cannot write {}", path.display()));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    let gpu = Gpu::headless()?;
    let options = BenchOptions {
        grids: args.grids.clone(),
        size: args.size,
        repeats: args.repeats.max(1),
        executable: if args.no_process {
            None
        } else {
            Some(std::env::current_exe()?)
        },
    };
    let rows = bench::run(&gpu, &options)?;
    print!("{}", bench::table(&gpu, &options, &rows));
    Ok(())
}

fn window(cli: &Cli) -> anyhow::Result<()> {
    let scene = cli.figure.scene();
    let options = WindowOptions {
        size: cli.figure.size.unwrap_or(DEFAULT_WINDOW_SIZE),
        screenshot_scale: cli.screenshot_scale.clamp(0.1, 16.0),
        screenshot_dir: std::env::current_dir()?,
    };
    app::run(scene, options)?;
    Ok(())
}

fn main() -> ExitCode {
    // Mesa's device-select Vulkan layer opens a Wayland connection while listing GPUs, and
    // libwayland prints an error when XDG_RUNTIME_DIR is unset (headless servers, CI). Adapters
    // are ranked here anyway, so the layer is not needed then.
    if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        // SAFETY: the first statement of main, before any other thread exists.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var("NODEVICE_SELECT", "1");
        }
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let command = Cli::command().after_help(format!(
        "Keys and mouse in the window:\n{}",
        input::key_table_text()
    ));
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let result = match &cli.command {
        None => window(&cli),
        Some(Command::Render(args)) => render(args),
        Some(Command::Field(args)) => field(args),
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
