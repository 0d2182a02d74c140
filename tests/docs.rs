//! The README's images are what the commands beside them make with this build: each command is
//! run again and its image compared with the committed one like a reference image
//! (`GRADSCAPE_UPDATE_REFERENCES=1 cargo test` renders them afresh).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const HERO: &str = "docs/hero.png";

/// The README's hero command after `gradscape render --out docs/hero.png`.
const HERO_ARGS: &[&str] = &[
    "--size",
    "1200x800",
    "--x",
    "-8:2",
    "--y",
    "-3:3",
    "--pitch",
    "52",
    "--yaw",
    "-70",
    "--layers",
    "surface,contours3d,floor-contours,paths",
    "--title",
    "f(x, y) = x²/20 + y²: SGD, Momentum, AdaGrad and Adam from (−7, 2)",
];

fn in_repository(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn readme() -> String {
    std::fs::read_to_string(in_repository("README.md")).expect("README.md")
}

/// Runs `gradscape render --out <temporary file>` with `args` and compares the image with the
/// committed one at `committed`.
fn assert_render_matches(committed: &str, args: &[&str]) {
    let out = common::output_dir().join(format!("docs-{}", committed.replace('/', "-")));
    let output = Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .arg("render")
        .arg("--out")
        .arg(&out)
        .args(args)
        .output()
        .expect("run gradscape");
    assert!(
        output.status.success(),
        "gradscape render {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    common::assert_matches_image(&in_repository(committed), &common::load_png(&out));
}

#[test]
fn the_hero_image_is_what_its_command_draws() {
    // The command as the README prints it: backquoted, wrapped over lines, the title quoted.
    let command = HERO_ARGS
        .iter()
        .map(|arg| {
            if arg.contains(' ') {
                format!("\"{arg}\"")
            } else {
                (*arg).to_owned()
            }
        })
        .fold(format!("gradscape render --out {HERO}"), |line, arg| {
            format!("{line} {arg}")
        });
    let readme = readme().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains(&format!("`{command}`")),
        "the README's hero command is no longer `{command}`"
    );
    assert_render_matches(HERO, HERO_ARGS);
}

#[test]
fn the_preset_images_are_what_their_presets_draw() {
    let readme = readme();
    assert!(
        readme.contains(
            "Each image: `gradscape render --preset NAME --size 400x300 --out \
             docs/presets/NAME.png`."
        ),
        "the README no longer says how the preset images are made"
    );
    let mut names: Vec<String> = std::fs::read_dir(in_repository("docs/presets"))
        .expect("docs/presets")
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            (path.extension()? == "png").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no preset images in docs/presets");
    for shown in readme.split("(docs/presets/").skip(1) {
        let name = shown.split(".png)").next().unwrap_or_default();
        assert!(
            names.iter().any(|n| n == name),
            "the README shows docs/presets/{name}.png, which does not exist"
        );
    }
    for name in names {
        let image = format!("docs/presets/{name}.png");
        assert!(
            readme.contains(&format!("({image})")),
            "{image} is not shown in the README"
        );
        assert_render_matches(&image, &["--preset", &name, "--size", "400x300"]);
    }
}
