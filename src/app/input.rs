//! Input to Scene edits: the one key table, and mouse drags and scrolls turned into camera moves.
//! No window here, so all of it is unit-tested.

use glam::Vec2;
use winit::keyboard::{Key, NamedKey};

use crate::scene::{Scene, ViewKind};
use crate::view::ViewGeometry;

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ToggleView,
    ResetView,
    CycleColormap,
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

pub fn action_for_key(key: &Key) -> Option<Action> {
    match key {
        Key::Named(NamedKey::Tab) => Some(Action::ToggleView),
        Key::Named(NamedKey::F12) => Some(Action::Screenshot),
        Key::Named(NamedKey::Escape) => Some(Action::Quit),
        Key::Character(text) => match text.to_lowercase().as_str() {
            "r" => Some(Action::ResetView),
            "c" => Some(Action::CycleColormap),
            "p" => Some(Action::Screenshot),
            "q" => Some(Action::Quit),
            _ => None,
        },
        _ => None,
    }
}

/// Applies the scene-editing actions; returns false for the ones the window handles itself.
pub fn apply_action(scene: &mut Scene, action: Action) -> bool {
    match action {
        Action::ToggleView => scene.view = scene.view.toggled(),
        Action::ResetView => scene.reset_view(),
        Action::CycleColormap => scene.colormap = scene.colormap.next(),
        Action::Screenshot | Action::Quit => return false,
    }
    true
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
    let height = geometry.size_px[1] as f32;
    match (scene.view, drag) {
        (_, Drag::None) => {}
        (ViewKind::ThreeD, Drag::Primary) => scene.camera.orbit_by_pixels(delta_px),
        (ViewKind::ThreeD, Drag::Pan) => scene.camera.pan_by_pixels(delta_px, height),
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
        for key in ["Tab", "R", "C", "P, F12", "Esc, Q", "Scroll"] {
            assert!(text.contains(key), "{key} missing from\n{text}");
        }
        assert_eq!(
            action_for_key(&Key::Character("Q".into())),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for_key(&Key::Named(NamedKey::Tab)),
            Some(Action::ToggleView)
        );
        assert_eq!(action_for_key(&Key::Character("x".into())), None);
    }

    #[test]
    fn tab_toggles_and_r_resets() {
        let mut scene = Scene::default();
        scene.camera.yaw_deg = 10.0;
        assert!(apply_action(&mut scene, Action::ToggleView));
        assert_eq!(scene.view, ViewKind::Map);
        assert!(apply_action(&mut scene, Action::ResetView));
        assert_eq!(scene.camera, Scene::default().camera);
        assert!(!apply_action(&mut scene, Action::Quit));
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
