//! The control panel rendered by egui_kittest on the real wgpu stack (lavapipe in CI) and
//! compared with a snapshot; `UPDATE_SNAPSHOTS=1 cargo test` rewrites it, a missing one fails.
//! Also drives it: typing a bad expression shows the error and leaves the scene alone, and a
//! new one shows its own gradient.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gradscape::app::input::Controls;
use gradscape::app::panel::{self, PanelState};
use gradscape::scene::Scene;

struct Fixture {
    scene: Scene,
    controls: Controls,
    panel: PanelState,
}

fn harness() -> Harness<'static, Fixture> {
    let scene = Scene::default();
    let fixture = Fixture {
        panel: PanelState::new(&scene, 1.0),
        scene,
        controls: Controls::default(),
    };
    Harness::builder()
        .with_size(egui::vec2(panel::PANEL_WIDTH, 900.0))
        .wgpu()
        .build_ui_state(
            |ui, fixture: &mut Fixture| {
                ui.ctx()
                    .set_fonts(gradscape::render::text::font_definitions());
                panel::show(
                    ui,
                    &mut fixture.scene,
                    &mut fixture.controls,
                    &mut fixture.panel,
                    30,
                );
            },
            fixture,
        )
}

#[test]
fn the_panel_matches_its_snapshot() {
    let mut harness = harness();
    harness.run();
    harness.snapshot("panel");
}

#[test]
fn a_bad_expression_shows_its_error_and_keeps_the_function() {
    let mut harness = harness();
    harness.run();
    let field = harness.get_by_label("f(x, y) =");
    field.focus();
    field.type_text(" + * y");
    harness.run();
    assert!(
        harness.query_by_label_contains("unexpected").is_some(),
        "no error shown for a bad expression"
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().scene.function,
        "book",
        "a bad expression was applied"
    );
}

#[test]
fn a_new_expression_shows_its_own_gradient() {
    let mut harness = harness();
    harness.run();
    assert!(harness.query_by_label("∂f/∂x = x/10").is_some());
    let field = harness.get_by_label("f(x, y) =");
    field.focus();
    field.type_text(" + x*y");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().scene.function, "x^2/20 + y^2 + x*y");
    // On the frame that applies it and on every later one.
    for _ in 0..2 {
        assert!(
            harness.query_by_label("∂f/∂x = x/10 + y").is_some(),
            "the panel shows another function's gradient"
        );
        harness.run();
    }
}
