//! The command line as users run it: exit codes, messages, files.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gradscape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(args)
        .output()
        .expect("gradscape runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A refused command: non-zero exit, a message containing `expected`, no panic, no file.
fn assert_refused(args: &[&str], expected: &str, out: &Path) {
    let output = gradscape(args);
    let message = stderr(&output);
    assert!(!output.status.success(), "{args:?} succeeded");
    assert!(message.contains(expected), "{args:?}: {message}");
    assert!(
        !message.contains("panicked"),
        "{args:?} panicked: {message}"
    );
    assert!(!out.exists(), "{args:?} left {} behind", out.display());
    // Other tests write beside this one: only this file's temporaries count.
    let prefix = format!(".{}", out.file_name().expect("a file").to_string_lossy());
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().expect("parent"))
        .expect("list scratch")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .collect();
    assert!(leftovers.is_empty(), "partial files: {leftovers:?}");
}

#[test]
fn render_writes_a_png_of_the_requested_size() {
    let out = scratch("fig.png");
    let output = gradscape(&[
        "render",
        "--out",
        out.to_str().expect("utf-8"),
        "--size",
        "320x200",
        "--grid",
        "64",
        "--yaw",
        "-30",
        "--pitch",
        "45",
        "--colormap",
        "viridis",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let image = common::load_png(&out);
    assert_eq!((image.width, image.height), (320, 200));
}

#[test]
fn bad_requests_are_refused_with_a_clear_message() {
    let out = scratch("refused.png");
    let path = out.to_str().expect("utf-8");
    assert_refused(
        &["render", "--out", path, "--size", "0x0"],
        "\"0\" in \"0x0\" is not a whole number of pixels from 1 to 65535",
        &out,
    );
    assert_refused(
        &["render", "--out", path, "--size", "30000x30000"],
        "30000×30000 pixels is too large",
        &out,
    );
    assert_refused(
        &["--screenshot-scale", "NaN", "--grid", "8"],
        "\"NaN\" is not a scale from 0.1 to 16",
        &out,
    );
    assert_refused(
        &["render", "--out", path, "--grid", "1"],
        "--grid 1: a grid needs at least 2 nodes per side",
        &out,
    );
    assert_refused(
        &["render", "--out", path, "--grid", "100000000"],
        "the largest grid that fits is --grid",
        &out,
    );
    assert_refused(
        &["render", "--out", path, "--size", "12"],
        "WIDTHxHEIGHT",
        &out,
    );
    let unwritable = Path::new("/nonexistent-directory/fig.png");
    let output = gradscape(&[
        "render",
        "--out",
        "/nonexistent-directory/fig.png",
        "--grid",
        "8",
    ]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("cannot write /nonexistent-directory/fig.png"));
    assert!(!unwritable.exists());
    // What is not a regular file is never replaced: a directory here, a device as root.
    let directory = scratch("a-directory");
    std::fs::create_dir_all(&directory).expect("directory");
    for command in [["render", "--grid"], ["field", "--grid"]] {
        let output = gradscape(&[
            command[0],
            command[1],
            "8",
            "--out",
            directory.to_str().expect("utf-8"),
        ]);
        assert!(
            stderr(&output).contains("it exists and is not a regular file"),
            "{}",
            stderr(&output)
        );
        assert!(directory.is_dir(), "{command:?} replaced the directory");
    }
    let output = gradscape(&["render", "--grid", "8", "--out", "/dev/null"]);
    assert!(
        stderr(&output).contains("cannot write /dev/null: it exists and is not a regular file")
    );
}

#[test]
fn field_writes_the_gpu_field_as_csv() {
    let out = scratch("field.csv");
    let output = gradscape(&[
        "field",
        "--grid",
        "64",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&out).expect("CSV written");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("x,y,f,dfdx,dfdy"));
    let rows: Vec<Vec<f64>> = lines
        .map(|line| {
            line.split(',')
                .map(|v| v.parse().expect("a number"))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 64 * 64);
    // y-major: x runs first; the nodes include both ends of the closed domain.
    assert_eq!(&rows[0][..2], &[-10.0, -10.0]);
    assert_eq!(rows[1][1], -10.0);
    assert!(rows[1][0] > -10.0);
    assert_eq!(&rows[63][..2], &[10.0, -10.0]);
    assert_eq!(&rows[64][..2], &[-10.0, -10.0 + 20.0 / 63.0]);
    assert_eq!(&rows[64 * 64 - 1][..2], &[10.0, 10.0]);
    for row in &rows {
        let (x, y) = (row[0], row[1]);
        let f = x * x / 20.0 + y * y;
        assert!((row[2] - f).abs() <= 1e-6 * f.max(1e-6), "{row:?}");
    }
}

#[test]
fn negative_numbers_work_as_written() {
    let out = scratch("negative.png");
    let output = gradscape(&[
        "render",
        "--out",
        out.to_str().expect("utf-8"),
        "--size",
        "64x48",
        "--grid",
        "16",
        "--yaw",
        "-60",
        "--pitch",
        "-20",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn without_a_display_the_window_explains_and_points_to_render() {
    let output = Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("gradscape runs");
    let message = stderr(&output);
    assert!(!output.status.success());
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(
        message.contains("no display") && message.contains("gradscape render"),
        "{message}"
    );
}

#[test]
fn help_lists_the_keys() {
    let output = gradscape(&["--help"]);
    let text = String::from_utf8_lossy(&output.stdout);
    for key in ["Left drag", "Tab", "P, F12", "Esc, Q"] {
        assert!(text.contains(key), "--help lacks {key}");
    }
}

#[test]
fn the_readme_shows_the_key_table() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    for binding in gradscape::app::input::BINDINGS {
        let row = format!("| {} | {} |", binding.input, binding.effect);
        assert!(readme.contains(&row), "README.md lacks the row {row}");
    }
}

#[test]
fn paths_print_the_trajectories_as_csv() {
    let output = gradscape(&[
        "paths",
        "--run",
        "sgd:lr=0.95",
        "--run",
        "adam:lr=0.3,beta1=0.9",
        "--start",
        "-7,2",
        "--steps",
        "30",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("run,step,x,y,f"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 60);
    assert_eq!(rows[0], "sgd(lr=0.95),0,-7.0,2.0,6.45");
    // Labels with commas are quoted (RFC 4180); Adam's third point is the issue's checkpoint.
    assert_eq!(
        rows[32],
        "\"adam(lr=0.3,beta1=0.9)\",2,-6.400416624043272,1.4022457408988034,4.014559765935308"
    );
    assert!(stderr(&output).contains("sgd(lr=0.95): completed 30 steps"));
}

#[test]
fn paths_print_json_and_the_book_preset() {
    let output = gradscape(&["paths", "--preset", "book-compare", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let runs = json["runs"].as_array().expect("runs");
    let labels: Vec<&str> = runs.iter().filter_map(|r| r["label"].as_str()).collect();
    let book: Vec<String> = gradscape::optim::book_compare()
        .iter()
        .map(gradscape::optim::RunSpec::label)
        .collect();
    assert_eq!(labels, book);
    assert_eq!(runs[1]["points"][1][0], serde_json::json!(-6.93));
    assert_eq!(runs[0]["stop"]["reason"], "completed");
    assert_eq!(runs[0]["start"], serde_json::json!([-7.0, 2.0]));
}

#[test]
fn paths_name_the_bad_part_of_a_run_spec() {
    for (spec, part) in [("sgd:lx=1", "lx"), ("sdg", "sdg"), ("adam:lr=-1", "lr=-1")] {
        let output = gradscape(&["paths", "--run", spec]);
        assert!(!output.status.success(), "{spec}");
        let message = stderr(&output);
        assert!(message.contains(part), "{spec}: {message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}

#[test]
fn paths_report_divergence_on_stderr() {
    let output = gradscape(&["paths", "--run", "sgd:lr=1.1", "--steps", "100"]);
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("diverged at step"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_level_specs_are_refused_with_a_clear_message() {
    let out = scratch("levels.png");
    let path = out.to_str().expect("utf-8");
    for (spec, expected) in [
        ("0:100:0", "must not be zero"),
        ("a,b", "\"a\" in \"a,b\" is not a number"),
        ("5:1:1", "is empty"),
        ("0:1000000:1", "at most 10000"),
        ("1000000", "at most 10000"),
    ] {
        let output = gradscape(&["render", "--out", path, "--levels", spec]);
        let message = stderr(&output);
        assert!(!output.status.success(), "{spec}");
        assert!(message.contains(expected), "{spec}: {message}");
        assert!(!out.exists());
    }
}

#[test]
fn field_and_paths_take_a_function_and_a_domain() {
    let out = scratch("rosenbrock.csv");
    let output = gradscape(&[
        "field",
        "--fn",
        "rosenbrock",
        "--x",
        "-2:2",
        "--y",
        "-1:3",
        "--grid",
        "5",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&out).expect("CSV");
    let first: Vec<f64> = text
        .lines()
        .nth(1)
        .expect("a row")
        .split(',')
        .map(|v| v.parse().expect("number"))
        .collect();
    // (1 − x)² + 100(y − x²)² at (−2, −1): 9 + 2500; ∂f/∂x = −2(1 − x) − 400x(y − x²).
    assert_eq!(first, [-2.0, -1.0, 2509.0, -4006.0, -1000.0]);

    let output = gradscape(&[
        "paths",
        "--fn",
        "x^2 + y^2",
        "--x",
        "-5:5",
        "--y",
        "-5:5",
        "--run",
        "sgd:lr=0.25",
        "--start",
        "-4,2",
        "--steps",
        "2",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("sgd(lr=0.25),1,-2.0,1.0,5.0"), "{text}");
}

#[test]
fn a_bad_expression_points_at_the_spot() {
    let output = gradscape(&["paths", "--fn", "x^2 + * y"]);
    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(
        message.contains("x^2 + * y") && message.contains("      ^"),
        "{message}"
    );
    let out = scratch("never.csv");
    let output = gradscape(&[
        "field",
        "--out",
        out.to_str().expect("utf-8"),
        "--fn",
        "sni(x)",
    ]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("sin"), "{}", stderr(&output));
    assert!(
        !out.exists(),
        "a refused expression wrote {}",
        out.display()
    );
}

#[test]
fn functions_lists_the_gallery() {
    let output = gradscape(&["functions"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for entry in gradscape::function::GALLERY {
        assert!(text.contains(entry.name), "{} missing", entry.name);
    }
}

#[test]
fn a_scene_file_renders_the_same_image_as_the_equivalent_flags() {
    let scene_file = scratch("figure.toml");
    std::fs::write(
        &scene_file,
        r#"function = "rosenbrock"
value_scale = "log"
view = "map"
grid = 96
colormap = "viridis"

[domain]
x = [-2.0, 2.0]
y = [-1.0, 3.0]

[layers]
surface = true
contours = true
paths = true

[contours]
levels = "12"

[figure]
title = "Rosenbrock"

[[runs]]
run = "adam:lr=0.05"
steps = 60
start = [-1.5, 2.0]
"#,
    )
    .expect("scene file");
    let from_file = scratch("from-file.png");
    let from_flags = scratch("from-flags.png");
    let output = gradscape(&[
        "render",
        "--scene",
        scene_file.to_str().expect("utf-8"),
        "--size",
        "400x300",
        "--out",
        from_file.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = gradscape(&[
        "render",
        "--fn",
        "rosenbrock",
        "--view",
        "map",
        "--grid",
        "96",
        "--colormap",
        "viridis",
        "--layers",
        "surface,contours,paths",
        "--levels",
        "12",
        "--title",
        "Rosenbrock",
        "--run",
        "adam:lr=0.05",
        "--steps",
        "60",
        "--start",
        "-1.5,2",
        "--size",
        "400x300",
        "--out",
        from_flags.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        common::load_png(&from_file).rgba == common::load_png(&from_flags).rgba,
        "the two renders differ"
    );
}

#[test]
fn a_bad_scene_file_names_the_line() {
    let scene_file = scratch("bad.toml");
    std::fs::write(&scene_file, "grid = 64\nlayers = 3\n").expect("scene file");
    let out = scratch("bad-scene.png");
    let output = gradscape(&[
        "render",
        "--scene",
        scene_file.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("line 2") && message.contains("bad.toml"),
        "{message}"
    );
    assert!(!out.exists());
}

#[test]
fn values_no_figure_can_be_drawn_with_are_refused() {
    let out = scratch("bad-value.png");
    let path = out.to_str().expect("utf-8");
    for (flags, expected) in [
        (
            &["--z-scale=-3"][..],
            "--z-scale -3: the vertical scale must be from 0.05 to 20",
        ),
        (
            &["--vmin", "50", "--vmax", "10"],
            "--vmax 10.0: the colour range is empty",
        ),
        (&["--vmin", "nan"], "--vmin NaN: must be a finite number"),
        (
            &["--pitch", "95"],
            "--pitch 95: the elevation must be from -89 to 89 degrees",
        ),
    ] {
        let args: Vec<&str> = ["render", "--out", path, "--grid", "8"]
            .into_iter()
            .chain(flags.iter().copied())
            .collect();
        assert_refused(&args, expected, &out);
    }
    // In a scene file the message names the line.
    let scene_file = scratch("bad-values.toml");
    for (text, expected) in [
        (
            "grid = 64\n\n[camera]\nyaw_deg = 10\ndistance = -1\n",
            "line 5: camera.distance = -1",
        ),
        (
            "function = \"sni(x)\"\n",
            "line 1: function = \"sni(x)\": unknown name `sni`",
        ),
        (
            "[figure]\nvmin = 5\nvmax = 1\n",
            "line 3: figure.vmax = 1.0: the colour range is empty",
        ),
        ("z_scale = nan\n", "line 1: z_scale = NaN"),
    ] {
        std::fs::write(&scene_file, text).expect("scene file");
        let scene = scene_file.to_str().expect("utf-8");
        assert_refused(&["render", "--scene", scene, "--out", path], expected, &out);
    }
}

#[test]
fn the_readme_scene_example_is_a_valid_scene() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let start = readme.find("```toml\n").expect("a TOML example") + "```toml\n".len();
    let example = &readme[start..start + readme[start..].find("```").expect("its end")];
    let scene = gradscape::scene::Scene::from_toml(example)
        .unwrap_or_else(|e| panic!("the README's example does not parse: {e}"));
    assert_eq!(scene.function, "rosenbrock");
    assert_eq!(scene.runs[0].label(), "adam(lr=0.05)");
}

#[test]
fn bench_prints_its_table() {
    // One small grid, with whole `render` processes (warm and with empty shader caches), no
    // comparisons: the table's shape, not its times. A grid too large for the GPU is named.
    let output = gradscape(&[
        "bench",
        "--grids",
        "16,1000000",
        "--repeats",
        "1",
        "--size",
        "64x48",
        "--layers-size",
        "64x48",
        "--no-compare",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("Adapter: "), "{text}");
    assert!(
        text.contains("Skipped grids 1000000: this GPU holds grids up to "),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with("| 16² |"))
        .unwrap_or_else(|| panic!("no row for 16²: {text}"));
    let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
    assert_eq!(cells.len(), 13, "{row}");
    // The `render` process, its first run and its peak memory were measured.
    assert!(cells[10].parse::<f64>().is_ok(), "{row}");
    assert!(cells[11].parse::<f64>().is_ok(), "{row}");
    assert!(cells[12].ends_with("MiB"), "{row}");
}

#[test]
fn bench_names_a_python_it_cannot_run() {
    let output = gradscape(&[
        "bench",
        "--grids",
        "16",
        "--repeats",
        "1",
        "--size",
        "64x48",
        "--compare-grids",
        "16",
        "--python",
        "/nonexistent/python",
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("/nonexistent/python") && !message.contains("panicked"),
        "{message}"
    );
}
