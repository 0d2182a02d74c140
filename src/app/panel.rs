//! The control panel (H): every setting of the Scene as a widget. It only edits the Scene; the
//! renderer shows the change on the next frame. Text fields check what is typed as it is
//! typed and apply it on Enter, so a half-typed expression never reaches the GPU.

use egui::{Color32, RichText, Ui};

use crate::app::input::{self, Action, Controls, lively_run};
use crate::colormap::Colormap;
use crate::function::{Function, GALLERY, ValueScale, gallery_entry};
use crate::levels::LevelSpec;
use crate::optim::{GradientSource, OptimizerKind, ParamInfo, ParamRange, RunSpec};
use crate::presets::PRESETS;
use crate::render::overlay::run_color;
use crate::scene::{
    ArrowDirection, ArrowScaling, ContourColor, Layers, MAX_Z_SCALE, MIN_Z_SCALE, Panels, Scene,
    Theme, ViewKind,
};

/// Panel width in points.
pub const PANEL_WIDTH: f32 = 330.0;

/// What the panel asks the window to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    Screenshot,
    SaveScene,
}

/// Text being typed, and what was wrong with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PanelState {
    pub expression: String,
    pub expression_error: Option<String>,
    pub levels: String,
    pub levels_error: Option<String>,
    /// Screenshot size relative to the figure.
    pub screenshot_scale: f32,
    /// The last thing that happened, shown at the bottom.
    pub status: String,
    /// ∂f/∂x and ∂f/∂y as text, for the function spec they were printed from.
    gradient: Option<(String, [String; 2])>,
}

impl PanelState {
    pub fn new(scene: &Scene, screenshot_scale: f32) -> PanelState {
        let expression = Function::from_spec(&scene.function)
            .map_or_else(|_| scene.function.clone(), |f| f.source().to_owned());
        PanelState {
            expression,
            levels: scene.contours.levels.to_string(),
            screenshot_scale,
            ..PanelState::default()
        }
    }
}

/// A slider that keeps a value set elsewhere (a flag, a key, a scene file) outside its range
/// until the user drags it; egui's default would clamp the scene the moment the panel shows.
fn slider<Num: egui::emath::Numeric>(
    value: &mut Num,
    range: std::ops::RangeInclusive<Num>,
) -> egui::Slider<'_> {
    egui::Slider::new(value, range).clamping(egui::SliderClamping::Edits)
}

fn error_text(ui: &mut Ui, error: &Option<String>) {
    if let Some(error) = error {
        ui.label(
            RichText::new(error)
                .monospace()
                .color(Color32::from_rgb(0xd6, 0x27, 0x28)),
        );
    }
}

/// A labelled single-line text field that is checked on every keystroke and applied on Enter.
/// Returns the text when Enter was pressed and it was accepted.
fn checked_text(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    error: &mut Option<String>,
    check: impl Fn(&str) -> Result<(), String>,
) -> Option<String> {
    let label = ui.label(label);
    let response = ui
        .add(egui::TextEdit::singleline(text).desired_width(f32::INFINITY))
        .labelled_by(label.id);
    if response.changed() {
        *error = check(text).err();
    }
    let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    error_text(ui, error);
    (entered && error.is_none()).then(|| text.clone())
}

/// Draws the panel; returns what the window should do.
pub fn show(
    ui: &mut Ui,
    scene: &mut Scene,
    controls: &mut Controls,
    state: &mut PanelState,
    longest_path: usize,
) -> Vec<Request> {
    let mut requests = Vec::new();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("gradscape");
        function_section(ui, scene, state);
        view_section(ui, scene, state);
        layers_section(ui, scene, state);
        runs_section(ui, scene, controls, longest_path);
        figure_section(ui, scene);
        ui.separator();
        ui.horizontal(|ui| {
            if ui.button("Screenshot").clicked() {
                requests.push(Request::Screenshot);
            }
            for scale in [1.0, 2.0, 4.0] {
                ui.selectable_value(&mut state.screenshot_scale, scale, format!("{scale}×"));
            }
        });
        if ui.button("Save scene (Ctrl+S)").clicked() {
            requests.push(Request::SaveScene);
        }
        if !state.status.is_empty() {
            ui.label(RichText::new(&state.status).small());
        }
    });
    requests
}

fn function_section(ui: &mut Ui, scene: &mut Scene, state: &mut PanelState) {
    egui::CollapsingHeader::new("Function")
        .default_open(true)
        .show(ui, |ui| {
            // By name: parsing the function (and checking its shader) every frame would cost.
            let current = gallery_entry(&scene.function).map(|e| e.title);
            egui::ComboBox::from_label("gallery")
                .selected_text(current.unwrap_or("(expression)"))
                .show_ui(ui, |ui| {
                    for entry in GALLERY {
                        if ui.selectable_label(false, entry.title).clicked()
                            && scene.set_function(entry.name).is_ok()
                        {
                            state.expression = entry.formula.to_owned();
                            state.expression_error = None;
                        }
                    }
                });
            let check = |text: &str| Function::parse(text).map(drop).map_err(|e| e.to_string());
            let expression = checked_text(
                ui,
                "f(x, y) =",
                &mut state.expression,
                &mut state.expression_error,
                check,
            );
            if let Some(text) = expression {
                state.expression_error = scene.set_function(&text).err().map(|e| e.to_string());
            }
            gradient_text(ui, &scene.function, &mut state.gradient);
            ui.horizontal(|ui| {
                range_drag(ui, "x", &mut scene.domain.x);
                range_drag(ui, "y", &mut scene.domain.y);
            });
            ui.add(
                slider(&mut scene.grid, 16..=4096)
                    .logarithmic(true)
                    .text("grid"),
            );
            ui.horizontal(|ui| {
                ui.radio_value(&mut scene.value_scale, ValueScale::Linear, "linear");
                ui.radio_value(&mut scene.value_scale, ValueScale::Log, "log colours");
            });
        });
}

/// Characters of a derivative beyond which the panel shows it on one line, cut.
const LONG_DERIVATIVE: usize = 120;

/// The exact gradient of the function `spec` names (what runs follow unless set to a numeric
/// one), as the derivatives print; printed again only when the function changes.
fn gradient_text(ui: &mut Ui, spec: &str, printed: &mut Option<(String, [String; 2])>) {
    if printed
        .as_ref()
        .is_none_or(|(printed_spec, _)| printed_spec != spec)
    {
        *printed = Function::from_spec(spec)
            .ok()
            .map(|function| (spec.to_owned(), function.derivative_sources()));
    }
    let Some((_, [dx, dy])) = printed else {
        return;
    };
    for (name, text) in [("∂f/∂x =", dx), ("∂f/∂y =", dy)] {
        let label = egui::Label::new(RichText::new(format!("{name} {text}")).monospace());
        // A few lines at most: a long one (Goldstein–Price's runs to hundreds of characters)
        // is cut to one line and shown whole under the pointer.
        ui.add(if text.len() > LONG_DERIVATIVE {
            label.truncate()
        } else {
            label
        });
    }
}

/// Two labelled drag values for a range that stays non-empty.
fn range_drag(ui: &mut Ui, name: &str, range: &mut [f64; 2]) {
    let label = ui.label(name);
    let speed = ((range[1] - range[0]) * 0.005).max(1e-6);
    let low = ui
        .add(egui::DragValue::new(&mut range[0]).speed(speed))
        .labelled_by(label.id);
    let high = ui
        .add(egui::DragValue::new(&mut range[1]).speed(speed))
        .labelled_by(label.id);
    if (low.changed() || high.changed()) && range[0] >= range[1] {
        range[1] = range[0] + speed;
    }
}

fn view_section(ui: &mut Ui, scene: &mut Scene, state: &mut PanelState) {
    egui::CollapsingHeader::new("View").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.radio_value(&mut scene.view, ViewKind::ThreeD, "3-D (Tab)");
            ui.radio_value(&mut scene.view, ViewKind::Map, "map");
        });
        ui.add(slider(&mut scene.camera.yaw_deg, -180.0..=180.0).text("yaw °"));
        ui.add(slider(&mut scene.camera.pitch_deg, -89.0..=89.0).text("pitch °"));
        ui.add(
            slider(&mut scene.z_scale, MIN_Z_SCALE..=MAX_Z_SCALE)
                .logarithmic(true)
                .text("z scale"),
        );
        ui.horizontal(|ui| {
            if ui.button("matplotlib").clicked() {
                scene.reset_view();
            }
            if ui.button("top").clicked() {
                scene.camera.pitch_deg = 89.0;
                scene.camera.yaw_deg = -90.0;
            }
            if ui.button("along x").clicked() {
                scene.camera.pitch_deg = 25.0;
                scene.camera.yaw_deg = 0.0;
            }
            if ui.button("along y").clicked() {
                scene.camera.pitch_deg = 25.0;
                scene.camera.yaw_deg = -90.0;
            }
        });
        egui::ComboBox::from_label("colormap")
            .selected_text(scene.colormap.name())
            .show_ui(ui, |ui| {
                for colormap in Colormap::ALL {
                    ui.selectable_value(&mut scene.colormap, colormap, colormap.name());
                }
            });
        egui::ComboBox::from_label("preset")
            .selected_text("choose…")
            .show_ui(ui, |ui| {
                for preset in PRESETS {
                    if ui
                        .selectable_label(false, preset.name)
                        .on_hover_text(preset.description)
                        .clicked()
                        && crate::presets::apply(preset.name, scene).is_ok()
                    {
                        // The preset replaced the function and the levels: show its text.
                        let status = std::mem::take(&mut state.status);
                        *state = PanelState {
                            status,
                            ..PanelState::new(scene, state.screenshot_scale)
                        };
                    }
                }
            });
    });
}

fn layers_section(ui: &mut Ui, scene: &mut Scene, state: &mut PanelState) {
    egui::CollapsingHeader::new("Layers").show(ui, |ui| {
        egui::Grid::new("layers").num_columns(3).show(ui, |ui| {
            for (i, name) in Layers::NAMES.iter().enumerate() {
                if let Some(on) = scene.layers.get_mut(name) {
                    ui.checkbox(on, *name);
                }
                if i % 3 == 2 {
                    ui.end_row();
                }
            }
        });
        let check = |text: &str| {
            text.parse::<LevelSpec>()
                .map(drop)
                .map_err(|e| e.to_string())
        };
        let levels = checked_text(
            ui,
            "contour levels (10, 0:100:1 or 1,2,4,8)",
            &mut state.levels,
            &mut state.levels_error,
            check,
        );
        if let Some(text) = levels
            && let Ok(levels) = text.parse()
        {
            scene.contours.levels = levels;
        }
        egui::ComboBox::from_label("contour colour")
            .selected_text(match scene.contours.color {
                ContourColor::Auto => "auto",
                ContourColor::ByLevel => "by level",
                ContourColor::Single(_) => "black",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut scene.contours.color, ContourColor::Auto, "auto");
                ui.selectable_value(&mut scene.contours.color, ContourColor::ByLevel, "by level");
                ui.selectable_value(
                    &mut scene.contours.color,
                    ContourColor::Single([0, 0, 0]),
                    "black",
                );
            });
        ui.add(slider(&mut scene.contours.width, 0.3..=5.0).text("line width pt"));
        ui.add(slider(&mut scene.arrows.lattice, 4..=60).text("arrows"));
        ui.horizontal(|ui| {
            ui.radio_value(&mut scene.arrows.scaling, ArrowScaling::Scaled, "scaled");
            ui.radio_value(
                &mut scene.arrows.scaling,
                ArrowScaling::Normalized,
                "normalized",
            );
            ui.radio_value(&mut scene.arrows.direction, ArrowDirection::Descent, "−∇f");
            ui.radio_value(&mut scene.arrows.direction, ArrowDirection::Ascent, "+∇f");
        });
        ui.add(slider(&mut scene.mesh.wire_lines, 2..=200).text("wireframe lines"));
        ui.add(slider(&mut scene.mesh.scatter_points, 2..=200).text("scatter points"));
    });
}

fn runs_section(ui: &mut Ui, scene: &mut Scene, controls: &mut Controls, longest_path: usize) {
    egui::CollapsingHeader::new("Optimizers")
        .default_open(true)
        .show(ui, |ui| {
            let mut remove = None;
            for (index, run) in scene.runs.iter_mut().enumerate() {
                let [r, g, b] = run_color(index);
                let selected = controls.selected_run == index;
                ui.horizontal(|ui| {
                    let marker = if selected { "●" } else { "○" };
                    if ui
                        .add(egui::Button::new(
                            RichText::new(marker).color(Color32::from_rgb(r, g, b)),
                        ))
                        .clicked()
                    {
                        controls.selected_run = index;
                    }
                    kind_combo(ui, index, run);
                    if ui.small_button("✖").on_hover_text("remove").clicked() {
                        remove = Some(index);
                    }
                });
                run_parameters(ui, run);
            }
            if let Some(index) = remove {
                input::remove_run(scene, controls, index);
            }
            if ui.button("Add run (A)").clicked() {
                input::apply_action(scene, controls, Action::AddRun, longest_path);
            }
            ui.horizontal(|ui| {
                let mut own_start = scene.start.is_some();
                ui.checkbox(&mut own_start, "start");
                match (own_start, scene.start) {
                    (true, None) => scene.start = Some([0.0, 0.0]),
                    (false, Some(_)) => scene.start = None,
                    _ => {}
                }
                if let Some(start) = &mut scene.start {
                    ui.add(egui::DragValue::new(&mut start[0]).speed(0.05).prefix("x "));
                    ui.add(egui::DragValue::new(&mut start[1]).speed(0.05).prefix("y "));
                } else {
                    ui.label("the function's own (Ctrl+click to set)");
                }
            });
            ui.horizontal(|ui| {
                ui.radio_value(&mut scene.panels, Panels::Overlay, "overlaid");
                ui.radio_value(&mut scene.panels, Panels::PerRun, "a panel each (G)");
            });
            ui.horizontal(|ui| {
                let label = if controls.playing { "⏸" } else { "▶" };
                if ui.button(label).on_hover_text("Space").clicked() {
                    input::apply_action(scene, controls, Action::PlayPause, longest_path);
                }
                let mut shown = scene.shown_steps.unwrap_or(longest_path);
                let slider = slider(&mut shown, 1..=longest_path.max(1)).text("steps shown");
                if ui.add(slider).changed() {
                    controls.playing = false;
                    scene.shown_steps = (shown < longest_path).then_some(shown);
                }
            });
        });
}

fn kind_combo(ui: &mut Ui, index: usize, run: &mut RunSpec) {
    let label = format!("run {} kind", index + 1);
    egui::ComboBox::from_id_salt(("kind", index))
        .selected_text(run.kind.name())
        .show_ui(ui, |ui| {
            for kind in OptimizerKind::ALL {
                if ui.selectable_label(run.kind == kind, kind.name()).clicked() && run.kind != kind
                {
                    let mut replacement = lively_run(kind);
                    replacement.steps = run.steps;
                    replacement.start = run.start;
                    replacement.grad = run.grad.clone();
                    *run = replacement;
                }
            }
        })
        .response
        .on_hover_text(label.clone())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label));
}

fn run_parameters(ui: &mut Ui, run: &mut RunSpec) {
    ui.indent(ui.next_auto_id(), |ui| {
        for info in run.kind.params() {
            let mut value = run.param(info.name).unwrap_or(info.default);
            ui.horizontal(|ui| {
                if ui.add(parameter_slider(info, &mut value)).changed() {
                    if info.name == "lr" {
                        run.set_lr(value);
                    } else {
                        run.set_param(info.name, value);
                    }
                }
            });
        }
        ui.horizontal(|ui| {
            let label = ui.label("steps");
            ui.add(
                egui::DragValue::new(&mut run.steps)
                    .range(0..=100_000)
                    .clamp_existing_to_range(false),
            )
            .labelled_by(label.id);
            let mut numeric = matches!(run.grad, GradientSource::Numeric { .. });
            if ui.checkbox(&mut numeric, "numeric ∇").changed() {
                run.grad = if numeric {
                    GradientSource::Numeric { h: 1e-4 }
                } else {
                    GradientSource::Analytic
                };
            }
        });
        // The book's central differences: their step, from 1e-8 to 0.1.
        if let GradientSource::Numeric { h } = &mut run.grad {
            ui.add(slider(h, 1e-8..=0.1).logarithmic(true).text("h"));
        }
    });
}

/// A slider over the values a hyperparameter may take: logarithmic for learning rates and
/// epsilons, up to just below 1 for decay rates (type a value for more digits).
fn parameter_slider<'a>(info: &ParamInfo, value: &'a mut f64) -> egui::Slider<'a> {
    let slider = match (info.name, info.range) {
        ("lr", _) => slider(value, 1e-5..=10.0).logarithmic(true),
        (_, ParamRange::Positive) => slider(value, 1e-12..=1.0).logarithmic(true),
        (_, ParamRange::UnitInterval) => slider(value, 0.0..=0.9999),
        (_, ParamRange::NonNegative) => slider(value, 0.0..=1.0),
    };
    slider.text(info.name)
}

fn figure_section(ui: &mut Ui, scene: &mut Scene) {
    egui::CollapsingHeader::new("Figure").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label("title");
            ui.text_edit_singleline(&mut scene.figure.title);
        });
        let figure = &mut scene.figure;
        ui.horizontal(|ui| {
            ui.checkbox(&mut figure.axes, "axes");
            ui.checkbox(&mut figure.colorbar, "colorbar");
            ui.checkbox(&mut figure.legend, "legend");
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut figure.learning_curve, "learning curve");
            ui.checkbox(&mut figure.transparent, "transparent PNG");
        });
        ui.horizontal(|ui| {
            ui.radio_value(&mut figure.theme, Theme::Light, "light");
            ui.radio_value(&mut figure.theme, Theme::Dark, "dark");
        });
    });
}
