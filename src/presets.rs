//! Named figures (`--preset`): the memo's figures and the book's comparison of optimizers.

use crate::colormap::Colormap;
use crate::levels::LevelSpec;
use crate::optim::{self, RunSpec};
use crate::scene::{ContourColor, Domain, Layers, Panels, Scene, ViewKind};

/// A preset's name and what it shows.
pub struct Preset {
    pub name: &'static str,
    pub description: &'static str,
    build: fn() -> Scene,
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "fig6-1",
        description: "the memo's Fig. 6-1: f as a 3-D wireframe",
        build: fig6_1,
    },
    Preset {
        name: "fig6-2",
        description: "the memo's Fig. 6-2: the shaded surface in bwr",
        build: fig6_2,
    },
    Preset {
        name: "fig6-3",
        description: "the memo's Fig. 6-3: contour lines at levels 0, 1, …, 99",
        build: fig6_3,
    },
    Preset {
        name: "fig6-4",
        description: "the memo's Fig. 6-4: the −∇f arrow field on [−10, 10] × [−5, 5]",
        build: fig6_4,
    },
    Preset {
        name: "fig6-5",
        description: "the memo's Fig. 6-5: SGD lr 0.9, 100 steps from (−7, 2) over contours 0:10:1",
        build: fig6_5,
    },
    Preset {
        name: "fig6-path3d",
        description: "the memo's 3-D path: SGD lr 0.9, 100 steps on the surface over [−8, 8] × [−4, 4]",
        build: fig6_path3d,
    },
    Preset {
        name: optim::BOOK_COMPARE,
        description: "the book's comparison: SGD lr 0.95, Momentum lr 0.1, AdaGrad lr 1.5, \
                      Adam lr 0.3 from (−7, 2), 30 steps, a map panel each (G overlays them)",
        build: book_compare,
    },
];

fn levels(text: &str) -> LevelSpec {
    text.parse().unwrap_or_default()
}

/// The memo's run: `gradient_descent(sgd, ..., lr=0.9, step_num=100)` from (−7, 2).
fn memo_sgd() -> Vec<RunSpec> {
    let mut run = RunSpec::new(optim::OptimizerKind::Sgd);
    run.set_lr(0.9);
    run.steps = 100;
    vec![run]
}

fn fig6_1() -> Scene {
    Scene {
        layers: Layers {
            wireframe: true,
            ..Layers::NONE
        },
        runs: Vec::new(),
        ..Scene::default()
    }
}

fn fig6_2() -> Scene {
    Scene {
        layers: Layers {
            surface: true,
            ..Layers::NONE
        },
        runs: Vec::new(),
        ..Scene::default()
    }
}

fn fig6_3() -> Scene {
    let mut scene = Scene {
        view: ViewKind::Map,
        colormap: Colormap::Viridis,
        layers: Layers {
            contours: true,
            ..Layers::NONE
        },
        runs: Vec::new(),
        ..Scene::default()
    };
    scene.contours.levels = levels("0:100:1");
    scene.contours.color = ContourColor::ByLevel;
    // matplotlib spreads a contour set's colours over its own levels, 0 to 99 here.
    scene.figure.vmin = Some(0.0);
    scene.figure.vmax = Some(99.0);
    scene
}

fn fig6_4() -> Scene {
    let mut scene = Scene {
        view: ViewKind::Map,
        domain: Domain {
            x: [-10.0, 10.0],
            y: [-5.0, 5.0],
        },
        layers: Layers {
            arrows: true,
            ..Layers::NONE
        },
        runs: Vec::new(),
        ..Scene::default()
    };
    scene.arrows.color = [0x66, 0x66, 0x66];
    scene
}

fn fig6_5() -> Scene {
    let mut scene = Scene {
        view: ViewKind::Map,
        colormap: Colormap::Viridis,
        layers: Layers {
            contours: true,
            paths: true,
            ..Layers::NONE
        },
        runs: memo_sgd(),
        ..Scene::default()
    };
    scene.contours.levels = levels("0:10:1");
    scene.contours.color = ContourColor::ByLevel;
    // matplotlib spreads a contour set's colours over its own levels, 0 to 9 here.
    scene.figure.vmin = Some(0.0);
    scene.figure.vmax = Some(9.0);
    scene
}

fn fig6_path3d() -> Scene {
    let mut scene = Scene {
        domain: Domain {
            x: [-8.0, 8.0],
            y: [-4.0, 4.0],
        },
        layers: Layers {
            surface: true,
            paths: true,
            ..Layers::NONE
        },
        runs: memo_sgd(),
        ..Scene::default()
    };
    // matplotlib draws the path over the valley's near wall, which should hide it; from
    // higher up the path is genuinely in sight.
    scene.camera.pitch_deg = 60.0;
    scene
}

fn book_compare() -> Scene {
    Scene {
        runs: optim::book_compare(),
        view: ViewKind::Map,
        panels: Panels::PerRun,
        colormap: Colormap::Viridis,
        layers: Layers {
            contours: true,
            paths: true,
            ..Layers::NONE
        },
        ..Scene::default()
    }
}

/// Replaces `scene` with the preset called `name`.
pub fn apply(name: &str, scene: &mut Scene) -> Result<(), String> {
    let preset = PRESETS
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
            format!("unknown preset {name:?}; presets: {}", names.join(", "))
        })?;
    *scene = (preset.build)();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_presets_list_the_known_ones() {
        let mut scene = Scene::default();
        let message = apply("fig6-9", &mut scene).unwrap_err();
        assert!(
            message.contains("book-compare") && message.contains("fig6-1"),
            "{message}"
        );
    }

    #[test]
    fn book_compare_is_four_map_panels() {
        let mut scene = Scene::default();
        apply("book-compare", &mut scene).expect("known preset");
        assert_eq!(scene.runs.len(), 4);
        assert_eq!(scene.panels, Panels::PerRun);
        assert_eq!(scene.view, ViewKind::Map);
    }

    #[test]
    fn the_memo_figures_use_the_memos_levels_and_run() {
        let mut scene = Scene::default();
        apply("fig6-3", &mut scene).expect("known preset");
        assert_eq!(scene.contours.levels.to_string(), "0:100:1");
        apply("fig6-5", &mut scene).expect("known preset");
        assert_eq!(scene.runs[0].label(), "sgd(lr=0.9)");
        assert_eq!(scene.runs[0].steps, 100);
        assert_eq!(scene.contours.levels.to_string(), "0:10:1");
    }
}
