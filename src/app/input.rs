//! Input to Scene edits: the one key table, and mouse drags and scrolls turned into camera moves.
//! No window here, so all of it is unit-tested.

use glam::Vec2;
use winit::keyboard::{Key, NamedKey};

use crate::optim::{OptimizerKind, RunSpec};
use crate::scene::{Layers, MAX_Z_SCALE, MIN_Z_SCALE, Scene, ViewKind};
use crate::view::ViewGeometry;

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ToggleView,
    ResetView,
    CycleColormap,
    TogglePanels,
    AddRun,
    RemoveRun,
    SelectNextRun,
    RaiseLearningRate,
    LowerLearningRate,
    PlayPause,
    StepForward,
    StepBack,
    RaiseZScale,
    LowerZScale,
    /// Switches the layer `Layers::NAMES[index]` on or off (keys 1 to 9).
    ToggleLayer(usize),
    TogglePanel,
    ToggleHelp,
    SaveScene,
    Screenshot,
    Quit,
}

/// One row of the key table: the keys or mouse gesture, and what it does.
pub struct Binding {
    pub input: &'static str,
    pub effect: &'static str,
}

/// The one key table: the window, `gradscape --help` and the README all show this.
pub const BINDINGS: &[Binding] = &[
    Binding {
        input: "Left drag",
        effect: "orbit the surface (3-D view); pan (map view)",
    },
    Binding {
        input: "Right or middle drag",
        effect: "pan",
    },
    Binding {
        input: "Scroll",
        effect: "zoom towards the cursor",
    },
    Binding {
        input: "Tab",
        effect: "switch between the 3-D view and the 2-D map view",
    },
    Binding {
        input: "R",
        effect: "reset the view",
    },
    Binding {
        input: "C",
        effect: "next colormap",
    },
    Binding {
        input: "G",
        effect: "one panel per optimizer run, or all runs overlaid",
    },
    Binding {
        input: "A",
        effect: "add an optimizer run (the next kind)",
    },
    Binding {
        input: "N",
        effect: "select the next run",
    },
    Binding {
        input: "Delete, Backspace",
        effect: "remove the selected run",
    },
    Binding {
        input: "+, −",
        effect: "raise or lower the selected run's learning rate by 25 %",
    },
    Binding {
        input: "Space",
        effect: "play or pause the step-by-step animation",
    },
    Binding {
        input: "→, ←",
        effect: "one optimizer step forward or back",
    },
    Binding {
        input: "], [",
        effect: "raise or lower the vertical scale of the 3-D surface",
    },
    Binding {
        input: "1 … 9",
        effect: "switch a layer on or off: 1 surface, 2 wireframe, 3 contours (map), \
                 4 contours3d, 5 floor-contours, 6 filled, 7 arrows, 8 scatter, 9 paths",
    },
    Binding {
        input: "Ctrl+click, Shift+click",
        effect: "start the optimizer runs at the point clicked",
    },
    Binding {
        input: "Hover",
        effect: "x, y, f and ∇f under the cursor, in a box beside it",
    },
    Binding {
        input: "H",
        effect: "show or hide the control panel",
    },
    Binding {
        input: "F1, ?",
        effect: "show or hide this key table",
    },
    Binding {
        input: "Ctrl+S",
        effect: "save the figure as a scene file (TOML) in the current directory",
    },
    Binding {
        input: "P, F12",
        effect: "save a screenshot PNG in the current directory",
    },
    Binding {
        input: "Esc, Q",
        effect: "quit",
    },
];

/// The key table as aligned plain text (for `--help`).
pub fn key_table_text() -> String {
    let width = BINDINGS.iter().map(|b| b.input.len()).max().unwrap_or(0);
    BINDINGS
        .iter()
        .map(|b| format!("  {:width$}  {}", b.input, b.effect))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The action of a key, `control` telling whether Ctrl is held. Keys typed into the panel never
/// get here (egui consumes them), so typing `sqrt` neither saves nor quits.
pub fn action_for_key(key: &Key, control: bool) -> Option<Action> {
    if control {
        return match key {
            Key::Character(text) if text.eq_ignore_ascii_case("s") => Some(Action::SaveScene),
            _ => None,
        };
    }
    match key {
        Key::Named(NamedKey::F1) => Some(Action::ToggleHelp),
        Key::Named(NamedKey::Tab) => Some(Action::ToggleView),
        Key::Named(NamedKey::F12) => Some(Action::Screenshot),
        Key::Named(NamedKey::Escape) => Some(Action::Quit),
        Key::Named(NamedKey::Space) => Some(Action::PlayPause),
        Key::Named(NamedKey::ArrowRight) => Some(Action::StepForward),
        Key::Named(NamedKey::ArrowLeft) => Some(Action::StepBack),
        Key::Named(NamedKey::Delete | NamedKey::Backspace) => Some(Action::RemoveRun),
        Key::Character(text) => match text.to_lowercase().as_str() {
            "r" => Some(Action::ResetView),
            "c" => Some(Action::CycleColormap),
            "g" => Some(Action::TogglePanels),
            "a" => Some(Action::AddRun),
            "n" => Some(Action::SelectNextRun),
            "+" | "=" => Some(Action::RaiseLearningRate),
            "-" | "_" => Some(Action::LowerLearningRate),
            "p" => Some(Action::Screenshot),
            "q" => Some(Action::Quit),
            "h" => Some(Action::TogglePanel),
            "?" => Some(Action::ToggleHelp),
            "]" => Some(Action::RaiseZScale),
            "[" => Some(Action::LowerZScale),
            digit => digit
                .parse::<usize>()
                .ok()
                .filter(|d| (1..=Layers::NAMES.len()).contains(d))
                .map(|d| Action::ToggleLayer(d - 1)),
        },
        _ => None,
    }
}

/// Learning-rate step of the `+` and `−` keys.
const LEARNING_RATE_FACTOR: f64 = 1.25;

/// A learning rate that makes a visible path on the book's function in 30 steps (the book's
/// defaults, 0.01 and 0.001, barely move).
pub fn lively_learning_rate(kind: OptimizerKind) -> f64 {
    match kind {
        OptimizerKind::Sgd => 0.95,
        OptimizerKind::Momentum | OptimizerKind::Nesterov => 0.1,
        OptimizerKind::AdaGrad => 1.5,
        OptimizerKind::RmsProp => 0.1,
        OptimizerKind::Adam | OptimizerKind::AdamPaper | OptimizerKind::AdamW => 0.3,
    }
}

/// A run of `kind` with [`lively_learning_rate`].
pub fn lively_run(kind: OptimizerKind) -> RunSpec {
    let mut run = RunSpec::new(kind);
    run.set_lr(lively_learning_rate(kind));
    run
}

/// Removes run `index`, keeping the same run selected where it remains.
pub fn remove_run(scene: &mut Scene, controls: &mut Controls, index: usize) {
    if index >= scene.runs.len() {
        return;
    }
    scene.runs.remove(index);
    if index < controls.selected_run {
        controls.selected_run -= 1;
    }
    controls.selected_run = controls
        .selected_run
        .min(scene.runs.len().saturating_sub(1));
}

/// Which run the run keys act on, and the animation: window state that is not part of the
/// figure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Controls {
    pub selected_run: usize,
    pub playing: bool,
}

/// Applies a scene-editing action; returns false for the ones the window handles itself
/// (screenshot, quit). `longest_path` is the number of points of the longest path, for the
/// animation keys.
pub fn apply_action(
    scene: &mut Scene,
    controls: &mut Controls,
    action: Action,
    longest_path: usize,
) -> bool {
    let shown = scene.shown_steps.unwrap_or(longest_path);
    match action {
        Action::ToggleView => scene.view = scene.view.toggled(),
        Action::ResetView => scene.reset_view(),
        Action::CycleColormap => scene.colormap = scene.colormap.next(),
        Action::TogglePanels => scene.panels = scene.panels.toggled(),
        Action::AddRun => {
            let next = scene.runs.last().map_or(OptimizerKind::Sgd, |run| {
                let index = OptimizerKind::ALL.iter().position(|k| *k == run.kind);
                OptimizerKind::ALL[index.map_or(0, |i| (i + 1) % OptimizerKind::ALL.len())]
            });
            let mut run = lively_run(next);
            if let Some(steps) = scene.runs.last().map(|r| r.steps) {
                run.steps = steps;
            }
            scene.runs.push(run);
            controls.selected_run = scene.runs.len() - 1;
        }
        Action::RemoveRun => remove_run(scene, controls, controls.selected_run),
        Action::SelectNextRun => {
            controls.selected_run = (controls.selected_run + 1) % scene.runs.len().max(1);
        }
        Action::RaiseLearningRate | Action::LowerLearningRate => {
            let factor = if action == Action::RaiseLearningRate {
                LEARNING_RATE_FACTOR
            } else {
                1.0 / LEARNING_RATE_FACTOR
            };
            match scene.runs.get_mut(controls.selected_run) {
                Some(run) => run.set_lr(run.lr() * factor),
                None => return false,
            }
        }
        Action::PlayPause => {
            controls.playing = !controls.playing;
            if controls.playing && scene.shown_steps.is_none() {
                scene.shown_steps = Some(1);
            }
        }
        Action::StepForward => {
            controls.playing = false;
            scene.shown_steps = (shown + 1 < longest_path).then_some(shown + 1);
        }
        Action::StepBack => {
            controls.playing = false;
            scene.shown_steps = Some(shown.saturating_sub(1).max(1));
        }
        Action::RaiseZScale => scene.z_scale = (scene.z_scale * 1.25).min(MAX_Z_SCALE),
        Action::LowerZScale => scene.z_scale = (scene.z_scale / 1.25).max(MIN_Z_SCALE),
        Action::ToggleLayer(index) => {
            if let Some(on) = scene.layers.get_mut(Layers::NAMES[index]) {
                *on = !*on;
            }
        }
        Action::Screenshot
        | Action::Quit
        | Action::SaveScene
        | Action::TogglePanel
        | Action::ToggleHelp => return false,
    }
    true
}

/// One animation tick: the next step, until the longest path is shown whole.
pub fn advance_animation(scene: &mut Scene, controls: &mut Controls, longest_path: usize) {
    let next = scene.shown_steps.map_or(longest_path, |k| k + 1);
    if next >= longest_path {
        scene.shown_steps = None;
        controls.playing = false;
    } else {
        scene.shown_steps = Some(next);
    }
}

/// What a held mouse button does while the pointer moves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Drag {
    #[default]
    None,
    /// Left button: orbit in 3-D, pan on the map.
    Primary,
    /// Right or middle button: pan.
    Pan,
}

/// Scroll lines to a zoom factor: one notch zooms by about 10 %.
pub fn zoom_factor(scroll_lines: f32) -> f32 {
    0.9f32.powf(scroll_lines)
}

/// Moves the camera of the current view for a drag of `delta_px` (physical pixels).
pub fn drag(scene: &mut Scene, geometry: &ViewGeometry, drag: Drag, delta_px: Vec2) {
    let viewport = Vec2::new(geometry.size_px[0] as f32, geometry.size_px[1] as f32);
    let height = viewport.y;
    match (scene.view, drag) {
        (_, Drag::None) => {}
        (ViewKind::ThreeD, Drag::Primary) => scene.camera.orbit_by_pixels(delta_px),
        (ViewKind::ThreeD, Drag::Pan) => scene.camera.pan_by_pixels(delta_px, viewport),
        (ViewKind::Map, _) => {
            if let Some(frame) = &geometry.map_frame {
                scene.map.pan_by_pixels(frame, delta_px, height);
            }
        }
    }
}

/// Zooms the current view by `factor` (< 1 zooms in) towards `cursor_px`.
pub fn zoom(scene: &mut Scene, geometry: &ViewGeometry, factor: f32, cursor_px: Vec2) {
    let [width, height] = geometry.size_px.map(|v| v.max(1) as f32);
    let ndc = Vec2::new(
        cursor_px.x / width * 2.0 - 1.0,
        1.0 - cursor_px.y / height * 2.0,
    );
    match scene.view {
        ViewKind::ThreeD => scene.camera.zoom_towards(factor, ndc, width / height),
        ViewKind::Map => {
            if let Some(frame) = &geometry.map_frame {
                scene
                    .map
                    .zoom_towards(frame, f64::from(factor), ndc.as_dvec2());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::ValueRange;

    #[test]
    fn every_action_has_a_key_in_the_table() {
        let text = key_table_text();
        for key in [
            "Tab", "R", "C", "G", "A", "N", "Space", "P, F12", "Esc, Q", "Scroll",
        ] {
            assert!(text.contains(key), "{key} missing from\n{text}");
        }
        assert_eq!(
            action_for_key(&Key::Character("Q".into()), false),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for_key(&Key::Named(NamedKey::Tab), false),
            Some(Action::ToggleView)
        );
        assert_eq!(action_for_key(&Key::Character("x".into()), false), None);
        assert_eq!(
            action_for_key(&Key::Character("s".into()), true),
            Some(Action::SaveScene)
        );
        assert_eq!(action_for_key(&Key::Character("q".into()), true), None);
    }

    #[test]
    fn tab_toggles_and_r_resets() {
        let mut scene = Scene::default();
        let mut controls = Controls::default();
        scene.camera.yaw_deg = 10.0;
        assert!(apply_action(
            &mut scene,
            &mut controls,
            Action::ToggleView,
            30
        ));
        assert_eq!(scene.view, ViewKind::Map);
        assert!(apply_action(
            &mut scene,
            &mut controls,
            Action::ResetView,
            30
        ));
        assert_eq!(scene.camera, Scene::default().camera);
        assert!(!apply_action(&mut scene, &mut controls, Action::Quit, 30));
    }

    #[test]
    fn digit_keys_switch_the_layers_in_table_order() {
        let mut scene = Scene::default();
        let mut controls = Controls::default();
        let key = |digit: &str| action_for_key(&Key::Character(digit.into()), false);
        assert_eq!(key("0"), None);
        for (index, name) in Layers::NAMES.iter().enumerate() {
            let action = key(&(index + 1).to_string()).expect("a layer key");
            let before = scene.layers.get(name);
            assert!(apply_action(&mut scene, &mut controls, action, 30));
            assert_eq!(scene.layers.get(name), before.map(|on| !on), "{name}");
            assert!(key_table_text().contains(&format!("{} {name}", index + 1)));
        }
    }

    #[test]
    fn run_keys_add_select_tune_and_remove_runs() {
        let mut scene = Scene::default();
        let mut controls = Controls::default();
        apply_action(&mut scene, &mut controls, Action::AddRun, 30);
        assert_eq!(scene.runs.len(), 5);
        assert_eq!(
            scene.runs[4].kind,
            OptimizerKind::AdamPaper,
            "the kind after adam"
        );
        assert_eq!(controls.selected_run, 4);
        let lr = scene.runs[4].lr();
        apply_action(&mut scene, &mut controls, Action::RaiseLearningRate, 30);
        assert!((scene.runs[4].lr() - lr * 1.25).abs() < 1e-12);
        apply_action(&mut scene, &mut controls, Action::SelectNextRun, 30);
        assert_eq!(controls.selected_run, 0);
        apply_action(&mut scene, &mut controls, Action::LowerLearningRate, 30);
        assert!((scene.runs[0].lr() - 0.95 / 1.25).abs() < 1e-12);
        apply_action(&mut scene, &mut controls, Action::RemoveRun, 30);
        assert_eq!(scene.runs.len(), 4);
        assert_eq!(scene.runs[0].kind, OptimizerKind::Momentum);
        for _ in 0..10 {
            apply_action(&mut scene, &mut controls, Action::RemoveRun, 30);
        }
        assert!(scene.runs.is_empty());
        assert!(!apply_action(
            &mut scene,
            &mut controls,
            Action::RaiseLearningRate,
            30
        ));
    }

    #[test]
    fn the_animation_steps_through_the_path_and_ends_showing_all() {
        let mut scene = Scene::default();
        let mut controls = Controls::default();
        apply_action(&mut scene, &mut controls, Action::PlayPause, 3);
        assert!(controls.playing);
        assert_eq!(scene.shown_steps, Some(1));
        advance_animation(&mut scene, &mut controls, 3);
        assert_eq!(scene.shown_steps, Some(2));
        advance_animation(&mut scene, &mut controls, 3);
        assert_eq!(scene.shown_steps, None);
        assert!(!controls.playing);
        apply_action(&mut scene, &mut controls, Action::StepBack, 3);
        assert_eq!(scene.shown_steps, Some(2));
        apply_action(&mut scene, &mut controls, Action::StepBack, 3);
        apply_action(&mut scene, &mut controls, Action::StepBack, 3);
        assert_eq!(scene.shown_steps, Some(1), "never less than the start");
        apply_action(&mut scene, &mut controls, Action::StepForward, 3);
        apply_action(&mut scene, &mut controls, Action::StepForward, 3);
        assert_eq!(scene.shown_steps, None, "the whole path again");
    }

    #[test]
    fn drags_orbit_in_3d_and_pan_on_the_map() {
        let mut scene = Scene::default();
        let geometry = ViewGeometry::new(&scene, ValueRange::new(0.0, 1.0), [800, 600]);
        drag(&mut scene, &geometry, Drag::Primary, Vec2::new(10.0, 0.0));
        assert_ne!(scene.camera.yaw_deg, Scene::default().camera.yaw_deg);
        scene.view = ViewKind::Map;
        let geometry = ViewGeometry::new(&scene, ValueRange::new(0.0, 1.0), [800, 600]);
        drag(&mut scene, &geometry, Drag::Primary, Vec2::new(10.0, 0.0));
        assert!(scene.map.center.is_some_and(|c| c[0] < 0.0));
    }

    #[test]
    fn scrolling_in_zooms_in() {
        let mut scene = Scene::default();
        let geometry = ViewGeometry::new(&scene, ValueRange::new(0.0, 1.0), [800, 600]);
        zoom(
            &mut scene,
            &geometry,
            zoom_factor(1.0),
            Vec2::new(400.0, 300.0),
        );
        assert!(scene.camera.distance < Scene::default().camera.distance);
    }
}
