//! The command line as users run it: exit codes, messages, files.

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
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().expect("parent"))
        .expect("list scratch")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".partial"))
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
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&out).expect("PNG written"),
    ));
    let reader = decoder.read_info().expect("a PNG");
    assert_eq!((reader.info().width, reader.info().height), (320, 200));
}

#[test]
fn bad_requests_are_refused_with_a_clear_message() {
    let out = scratch("refused.png");
    let path = out.to_str().expect("utf-8");
    assert_refused(
        &["render", "--out", path, "--size", "0x0"],
        "0×0 pixels",
        &out,
    );
    assert_refused(
        &["render", "--out", path, "--grid", "1"],
        "--grid 1 is too small",
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
