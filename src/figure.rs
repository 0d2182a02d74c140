//! Everything around the data, as matplotlib lays it out: the figure title, framed axes with
//! ticks on the map, tick and axis labels of the 3-D box, the colorbar, the legend of the
//! optimizer runs and the learning-curve inset.
//!
//! [`layout`] decides where the data goes (the viewports the renderer draws into) and
//! [`paint`] draws the rest with egui's painter, in points. The same code runs for the window,
//! screenshots and `render`, so text looks the same in all of them, and since sizes are in
//! points (see [`crate::render::pixels_per_point`]) a 2× screenshot is the same figure, sharper.

use egui::{Align2, Color32, FontFamily, FontId, Pos2, Rect, Shape, Stroke, Vec2};

use crate::axes::{Label, LabelKind};
use crate::camera::MapFrame;
use crate::function::ValueScale;
use crate::optim::StopReason;
use crate::render::overlay::run_color;
use crate::scene::{ContourColor, Scene, ViewKind};
use crate::ticks::{Ticks, log_ticks, nice_ticks, scale10};
use crate::view::{LOG_SCALE_OFFSET, ValueRange, ViewGeometry};

/// Font sizes in points, as matplotlib's defaults.
const TICK_PT: f32 = 10.0;
const LABEL_PT: f32 = 11.0;
const TITLE_PT: f32 = 13.0;
const LEGEND_PT: f32 = 9.0;
/// Margins in points.
const OUTER_PT: f32 = 8.0;
const TITLE_STRIP_PT: f32 = 26.0;
const PANEL_TITLE_PT: f32 = 18.0;
const MAP_LEFT_PT: f32 = 50.0;
const MAP_BOTTOM_PT: f32 = 38.0;
const COLORBAR_WIDTH_PT: f32 = 13.0;
const COLORBAR_STRIP_PT: f32 = 78.0;
/// From the strip's left edge to a tick label: gap, bar, tick, gap.
const COLORBAR_LABEL_LEFT_PT: f32 = 14.0 + COLORBAR_WIDTH_PT + TICK_LENGTH_PT + 2.0;
const TICK_LENGTH_PT: f32 = 3.5;
/// The widest a 3-D panel gets, as width over height: matplotlib's default figure.
const MAX_3D_ASPECT: f32 = 4.0 / 3.0;
/// The least room between a 3-D axis's tick labels and its title.
const TITLE_GAP_PT: f32 = 4.0;
const AXIS_STROKE_PT: f32 = 0.8;

/// Where the data and the colorbar go, in pixels of the figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub size_px: [u32; 2],
    pub pixels_per_point: f32,
    /// One viewport per panel: x, y, width, height in pixels.
    pub plots: Vec<[u32; 4]>,
    /// The colorbar's bar, in pixels.
    pub colorbar: Option<Rect>,
}

/// Whether colours in the figure stand for values, so that a colorbar means something.
pub fn colors_show_values(scene: &Scene) -> bool {
    let layers = &scene.layers;
    let lines_by_level = match scene.contours.color {
        ContourColor::ByLevel => true,
        ContourColor::Single(_) => false,
        ContourColor::Auto => !scene.colour_fill(),
    };
    let lines = layers.contours || layers.contours3d || layers.floor_contours;
    scene.colour_fill() || (lines && lines_by_level)
}

/// The panel grid, with the room that titles, tick labels and the colorbar need.
pub fn layout(
    scene: &Scene,
    size_px: [u32; 2],
    panel_count: usize,
    pixels_per_point: f32,
    colors: ValueRange,
) -> Layout {
    let pt = pixels_per_point;
    let full = Rect::from_min_size(Pos2::ZERO, Vec2::new(size_px[0] as f32, size_px[1] as f32));
    let style = &scene.figure;
    let mut area = full;
    let mut colorbar = None;
    if style.axes || style.colorbar || !style.title.is_empty() {
        area = area.shrink(OUTER_PT * pt);
    }
    if !style.title.is_empty() {
        area.min.y += TITLE_STRIP_PT * pt;
    }
    // Wide enough for the longest tick label (as 1.0000004×10⁵ on a narrow range).
    let strip_pt = colorbar_ticks(colors, scene.value_scale)
        .iter()
        .map(|(_, label)| COLORBAR_LABEL_LEFT_PT + estimated_width_pt(label, TICK_PT) + 4.0)
        .fold(COLORBAR_STRIP_PT, f32::max);
    let with_colorbar =
        style.colorbar && colors_show_values(scene) && area.width() > 4.0 * strip_pt * pt;
    if with_colorbar {
        area.max.x -= strip_pt * pt;
    }
    let count = panel_count.max(1) as u32;
    let columns = (f64::from(count).sqrt().ceil() as u32).max(1);
    let rows = count.div_ceil(columns);
    if scene.view == ViewKind::ThreeD {
        // A 3-D box fits the height of a wide panel and leaves its sides empty: panels no
        // wider than 4:3, centred with their colorbar, keep the bar beside the box.
        let widest = area.height() / rows as f32 * MAX_3D_ASPECT * columns as f32;
        let spare = (area.width() - widest).max(0.0);
        area.min.x += spare * 0.5;
        area.max.x -= spare * 0.5;
    }
    if with_colorbar {
        let height = area.height() * 0.8;
        colorbar = Some(Rect::from_min_size(
            Pos2::new(area.max.x + 14.0 * pt, area.center().y - height * 0.5),
            Vec2::new(COLORBAR_WIDTH_PT * pt, height),
        ));
    }
    let cell = Vec2::new(area.width() / columns as f32, area.height() / rows as f32);
    let titled = count > 1;
    let map_axes = style.axes && scene.view == ViewKind::Map;
    let plots = (0..count)
        .map(|i| {
            let min =
                area.min + Vec2::new((i % columns) as f32 * cell.x, (i / columns) as f32 * cell.y);
            let mut plot = Rect::from_min_size(min, cell);
            if titled {
                plot.min.y += PANEL_TITLE_PT * pt;
            }
            if map_axes {
                plot.min.x += MAP_LEFT_PT * pt;
                plot.max.y -= MAP_BOTTOM_PT * pt;
                plot.min.y += 6.0 * pt;
                plot.max.x -= 10.0 * pt;
            }
            let x = plot.min.x.round().max(0.0);
            let y = plot.min.y.round().max(0.0);
            let width = (plot.width().round().max(1.0) as u32)
                .min(size_px[0].saturating_sub(x as u32).max(1));
            let height = (plot.height().round().max(1.0) as u32)
                .min(size_px[1].saturating_sub(y as u32).max(1));
            [x as u32, y as u32, width, height]
        })
        .collect();
    Layout {
        size_px,
        pixels_per_point,
        plots,
        colorbar,
    }
}

/// How one panel's axes are drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum PanelAxes {
    /// A frame around the map with ticks of the visible data rectangle.
    Map(MapFrame),
    /// Labels of the 3-D box, at pixels within the panel.
    Box3d(Vec<Label>),
    None,
}

/// What [`paint`] draws for one panel.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelDecoration {
    pub title: Option<String>,
    pub axes: PanelAxes,
}

/// A run's name, colour and values along its path, for the legend and the inset.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    pub label: String,
    pub color: [u8; 3],
    pub values: Vec<f64>,
    pub stop: StopReason,
    /// Where its points land, in pixels from the first panel's top left (only for the map's
    /// learning-curve inset; empty otherwise).
    pub pixels: Vec<Pos2>,
}

/// Everything [`paint`] needs.
pub struct Decorations<'a> {
    pub scene: &'a Scene,
    pub layout: &'a Layout,
    pub panels: &'a [PanelDecoration],
    /// The range the colours span.
    pub colors: ValueRange,
    pub runs: &'a [RunSummary],
}

fn color32(rgb: [u8; 3]) -> Color32 {
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}

/// Draws the decorations; `painter` works in points of `layout.pixels_per_point`.
pub fn paint(painter: &egui::Painter, decorations: &Decorations) {
    let layout = decorations.layout;
    let to_points = |px: f32| px / layout.pixels_per_point;
    let style = &decorations.scene.figure;
    let ink = color32(style.theme.ink());
    let font = |size: f32| FontId::new(size, FontFamily::Proportional);
    if !style.title.is_empty() {
        let x = to_points(layout.size_px[0] as f32 * 0.5);
        painter.text(
            Pos2::new(x, OUTER_PT + TITLE_STRIP_PT * 0.45),
            Align2::CENTER_CENTER,
            &style.title,
            font(TITLE_PT),
            ink,
        );
    }
    for (plot, panel) in layout.plots.iter().zip(decorations.panels) {
        let rect = Rect::from_min_size(
            Pos2::new(to_points(plot[0] as f32), to_points(plot[1] as f32)),
            Vec2::new(to_points(plot[2] as f32), to_points(plot[3] as f32)),
        );
        if let Some(title) = &panel.title {
            let above = if matches!(panel.axes, PanelAxes::Map(_)) {
                8.0
            } else {
                0.0
            };
            painter.text(
                Pos2::new(rect.center().x, rect.min.y - above - PANEL_TITLE_PT * 0.45),
                Align2::CENTER_CENTER,
                title,
                font(LABEL_PT),
                ink,
            );
        }
        match &panel.axes {
            PanelAxes::Map(frame) => map_axes(painter, rect, frame, style.labels.clone(), ink),
            PanelAxes::Box3d(labels) => {
                // Each axis lists its tick labels, then its title.
                let mut ticks: Vec<Rect> = Vec::new();
                for label in labels {
                    let mut at = rect.min
                        + Vec2::new(
                            to_points(label.at_px.x as f32),
                            to_points(label.at_px.y as f32),
                        );
                    let size = match label.kind {
                        LabelKind::Tick => TICK_PT,
                        LabelKind::Title => LABEL_PT,
                    };
                    let galley = painter.layout_no_wrap(label.text.clone(), font(size), ink);
                    match label.kind {
                        LabelKind::Tick => ticks.push(Rect::from_center_size(at, galley.size())),
                        LabelKind::Title => {
                            at = clear_of_ticks(at, galley.size(), &ticks);
                            ticks.clear();
                        }
                    }
                    painter.galley(at - galley.size() * 0.5, galley, ink);
                }
            }
            PanelAxes::None => {}
        }
    }
    if let Some(bar) = layout.colorbar {
        let bar = Rect::from_min_max(
            Pos2::new(to_points(bar.min.x), to_points(bar.min.y)),
            Pos2::new(to_points(bar.max.x), to_points(bar.max.y)),
        );
        colorbar(painter, bar, decorations, ink);
    }
    let first_plot = layout.plots.first().map(|p| {
        Rect::from_min_size(
            Pos2::new(to_points(p[0] as f32), to_points(p[1] as f32)),
            Vec2::new(to_points(p[2] as f32), to_points(p[3] as f32)),
        )
    });
    let overlaid = layout.plots.len() == 1;
    if let Some(plot) = first_plot
        && overlaid
        && decorations.scene.layers.paths
        && !decorations.runs.is_empty()
    {
        if style.legend {
            legend(painter, plot, decorations, ink);
        }
        if style.learning_curve {
            learning_curve(painter, plot, decorations, layout.pixels_per_point, ink);
        }
    }
}

/// matplotlib's 2-D axes: a frame with ticks pointing out and labels, axis titles below and
/// (turned) to the left.
fn map_axes(
    painter: &egui::Painter,
    rect: Rect,
    frame: &MapFrame,
    titles: [String; 3],
    ink: Color32,
) {
    let stroke = Stroke::new(AXIS_STROKE_PT, ink);
    painter.rect_stroke(rect, 0.0, stroke, egui::StrokeKind::Middle);
    let font = FontId::new(TICK_PT, FontFamily::Proportional);
    let x_range = [frame.center.x - frame.half.x, frame.center.x + frame.half.x];
    let y_range = [frame.center.y - frame.half.y, frame.center.y + frame.half.y];
    let x_ticks = nice_ticks(
        x_range[0],
        x_range[1],
        ((rect.width() / 55.0) as usize).clamp(2, 11),
    );
    let y_ticks = nice_ticks(
        y_range[0],
        y_range[1],
        ((rect.height() / 40.0) as usize).clamp(2, 11),
    );
    for (value, text) in x_ticks.values.iter().zip(x_ticks.labels()) {
        let x =
            rect.min.x + ((value - x_range[0]) / (x_range[1] - x_range[0])) as f32 * rect.width();
        painter.line_segment(
            [
                Pos2::new(x, rect.max.y),
                Pos2::new(x, rect.max.y + TICK_LENGTH_PT),
            ],
            stroke,
        );
        painter.text(
            Pos2::new(x, rect.max.y + TICK_LENGTH_PT + 2.0),
            Align2::CENTER_TOP,
            text,
            font.clone(),
            ink,
        );
    }
    for (value, text) in y_ticks.values.iter().zip(y_ticks.labels()) {
        let y =
            rect.max.y - ((value - y_range[0]) / (y_range[1] - y_range[0])) as f32 * rect.height();
        painter.line_segment(
            [
                Pos2::new(rect.min.x - TICK_LENGTH_PT, y),
                Pos2::new(rect.min.x, y),
            ],
            stroke,
        );
        painter.text(
            Pos2::new(rect.min.x - TICK_LENGTH_PT - 2.0, y),
            Align2::RIGHT_CENTER,
            text,
            font.clone(),
            ink,
        );
    }
    let label_font = FontId::new(LABEL_PT, FontFamily::Proportional);
    let [x_title, y_title, _] = titles;
    painter.text(
        Pos2::new(rect.center().x, rect.max.y + TICK_LENGTH_PT + TICK_PT + 6.0),
        Align2::CENTER_TOP,
        x_title,
        label_font.clone(),
        ink,
    );
    let galley = painter.layout_no_wrap(y_title, label_font, ink);
    let at = Pos2::new(
        rect.min.x - MAP_LEFT_PT + 2.0,
        rect.center().y + galley.size().x * 0.5,
    );
    painter.add(Shape::Text(
        egui::epaint::TextShape::new(at, galley, ink).with_angle(-std::f32::consts::FRAC_PI_2),
    ));
}

/// Ticks of the colour range and their labels: even ones on a linear scale; on a log scale,
/// the minimum plus decades, labelled as the decade when the minimum is negligible beside
/// them (10, not 10.0001).
/// Where an axis title centred at `title` (of `size`) clears its axis's tick labels: moved
/// further out, away from them, when long labels (1.0000004×10⁵) would run into it.
fn clear_of_ticks(title: Pos2, size: Vec2, ticks: &[Rect]) -> Pos2 {
    if ticks.is_empty() {
        return title;
    }
    let sum = ticks
        .iter()
        .fold(Vec2::ZERO, |sum, r| sum + r.center().to_vec2());
    let center = (sum / ticks.len() as f32).to_pos2();
    let away = title - center;
    let distance = away.length();
    if distance < 1e-3 {
        return title;
    }
    let out = away / distance;
    // Half the extent of a box of `size` along `out`.
    let reach = |size: Vec2| 0.5 * (out.x.abs() * size.x + out.y.abs() * size.y);
    let widest = ticks.iter().map(|r| reach(r.size())).fold(0.0, f32::max);
    let needed = widest + reach(size) + TITLE_GAP_PT;
    if distance >= needed {
        title
    } else {
        center + out * needed
    }
}

/// A label's width in points, before any font is loaded: DejaVu Sans's digits advance 0.64 em,
/// wider than most of its other glyphs, so this errs on the wide side.
fn estimated_width_pt(label: &str, size_pt: f32) -> f32 {
    label.chars().count() as f32 * 0.64 * size_pt
}

fn colorbar_ticks(colors: ValueRange, scale: ValueScale) -> Vec<(f64, String)> {
    match scale {
        ValueScale::Linear => {
            let ticks = nice_ticks(colors.min, colors.max, 7);
            ticks.values.iter().copied().zip(ticks.labels()).collect()
        }
        ValueScale::Log => {
            // The scale is log(f − min + offset): ticks go where f − min runs through the
            // decades, each at the round value of f nearest there at that decade's precision
            // (1, 10, 100 above a minimum of 0.0016; −0.8, 0, 10 above −0.89).
            let span = colors.span();
            let offsets = log_ticks(span * LOG_SCALE_OFFSET * 10.0, span);
            let mut values: Vec<f64> = offsets
                .values
                .iter()
                .map(|&d| {
                    let exponent = d.log10().floor() as i32;
                    scale10(scale10(colors.min + d, -exponent).round(), exponent)
                })
                .filter(|&v| v > colors.min && v <= colors.max * (1.0 + 1e-9))
                .collect();
            values.dedup();
            let ticks = Ticks { values, step: 0.0 };
            ticks.values.iter().copied().zip(ticks.labels()).collect()
        }
    }
}

fn colorbar(painter: &egui::Painter, bar: Rect, decorations: &Decorations, ink: Color32) {
    let scene = decorations.scene;
    let colors = decorations.colors;
    // The bar is drawn as slices, each the colormap's colour at its height.
    let slices = 128;
    let mut mesh = egui::Mesh::default();
    for i in 0..slices {
        let t0 = i as f32 / slices as f32;
        let t1 = (i + 1) as f32 / slices as f32;
        let rgb = scene.colormap.sample(f64::from((t0 + t1) * 0.5));
        let slice = Rect::from_min_max(
            Pos2::new(bar.min.x, bar.max.y - t1 * bar.height()),
            Pos2::new(bar.max.x, bar.max.y - t0 * bar.height()),
        );
        mesh.add_colored_rect(slice.expand2(Vec2::new(0.0, 0.25)), color32(rgb));
    }
    painter.add(Shape::mesh(mesh));
    let stroke = Stroke::new(AXIS_STROKE_PT, ink);
    painter.rect_stroke(bar, 0.0, stroke, egui::StrokeKind::Middle);
    let font = FontId::new(TICK_PT, FontFamily::Proportional);
    for (value, text) in colorbar_ticks(colors, scene.value_scale) {
        let t = colors.unit(value, scene.value_scale) as f32;
        let y = bar.max.y - t * bar.height();
        painter.line_segment(
            [
                Pos2::new(bar.max.x, y),
                Pos2::new(bar.max.x + TICK_LENGTH_PT, y),
            ],
            stroke,
        );
        painter.text(
            Pos2::new(bar.max.x + TICK_LENGTH_PT + 2.0, y),
            Align2::LEFT_CENTER,
            text,
            font.clone(),
            ink,
        );
    }
}

fn legend(painter: &egui::Painter, plot: Rect, decorations: &Decorations, ink: Color32) {
    let font = FontId::new(LEGEND_PT, FontFamily::Proportional);
    let row = LEGEND_PT * 1.6;
    let sample = 18.0;
    let galleys: Vec<_> = decorations
        .runs
        .iter()
        .map(|run| {
            let text = match run.stop {
                StopReason::Diverged => format!("{} (diverged)", run.label),
                _ => run.label.clone(),
            };
            painter.layout_no_wrap(text, font.clone(), ink)
        })
        .collect();
    let width = galleys.iter().map(|g| g.size().x).fold(0.0, f32::max) + sample + 16.0;
    let height = row * galleys.len() as f32 + 8.0;
    // Top right on the map; top left in 3-D, where the box leaves room above the z axis.
    let x = match decorations.scene.view {
        ViewKind::Map => plot.max.x - width - 6.0,
        ViewKind::ThreeD => plot.min.x + 6.0,
    };
    let frame = Rect::from_min_size(Pos2::new(x, plot.min.y + 6.0), Vec2::new(width, height));
    let background = decorations.scene.figure.theme.background();
    painter.rect_filled(frame, 3.0, color32(background).gamma_multiply(0.85));
    painter.rect_stroke(
        frame,
        3.0,
        Stroke::new(0.6, color32(decorations.scene.figure.theme.grid())),
        egui::StrokeKind::Inside,
    );
    for (i, (run, galley)) in decorations.runs.iter().zip(galleys).enumerate() {
        let y = frame.min.y + 4.0 + row * (i as f32 + 0.5);
        let x = frame.min.x + 6.0;
        let color = color32(run.color);
        painter.line_segment(
            [Pos2::new(x, y), Pos2::new(x + sample, y)],
            Stroke::new(1.75, color),
        );
        painter.circle_filled(Pos2::new(x + sample * 0.5, y), 2.75, color);
        painter.galley(
            Pos2::new(x + sample + 5.0, y - galley.size().y * 0.5),
            galley,
            ink,
        );
    }
}

/// Where the learning curve goes in `plot`: the top right in 3-D (the axes' labels take the
/// bottom corners); on the map the free corner (the legend takes the top right) that covers
/// the fewest of the path `points`, the bottom left when it is as good as any.
fn inset_rect(plot: Rect, view: ViewKind, points: &[Pos2]) -> Rect {
    let size = Vec2::new(plot.width() * 0.32, plot.height() * 0.26);
    let at = |x: f32, y: f32| Rect::from_min_size(Pos2::new(x, y), size);
    let (left, right) = (plot.min.x + 10.0, plot.max.x - size.x - 10.0);
    let (top, bottom) = (plot.min.y + 10.0, plot.max.y - size.y - 22.0);
    match view {
        ViewKind::ThreeD => at(right, top),
        ViewKind::Map => {
            let covered = |rect: &Rect| points.iter().filter(|p| rect.contains(**p)).count();
            let corners = [at(left, bottom), at(right, bottom), at(left, top)];
            corners
                .into_iter()
                .min_by_key(covered)
                .unwrap_or(corners[0])
        }
    }
}

/// f against step for each run, in a small chart, on a log scale when every value is positive
/// and they span more than two decades, in the corner [`inset_rect`] picks.
fn learning_curve(
    painter: &egui::Painter,
    plot: Rect,
    decorations: &Decorations,
    pixels_per_point: f32,
    ink: Color32,
) {
    let points: Vec<Pos2> = decorations
        .runs
        .iter()
        .flat_map(|run| &run.pixels)
        .map(|p| plot.min + p.to_vec2() / pixels_per_point)
        .collect();
    let chart = inset_rect(plot, decorations.scene.view, &points);
    let values: Vec<f64> = decorations
        .runs
        .iter()
        .flat_map(|r| r.values.iter().copied())
        .collect();
    let steps = decorations
        .runs
        .iter()
        .map(|r| r.values.len())
        .max()
        .unwrap_or(0);
    if values.is_empty() || steps < 2 {
        return;
    }
    let (low, high) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let log = low > 0.0 && high / low > 100.0;
    let map_value = |v: f64| if log { v.log10() } else { v };
    let (y0, y1) = (map_value(low), map_value(high).max(map_value(low) + 1e-12));
    let background = decorations.scene.figure.theme.background();
    painter.rect_filled(
        chart.expand(2.0),
        2.0,
        color32(background).gamma_multiply(0.85),
    );
    painter.rect_stroke(chart, 0.0, Stroke::new(0.6, ink), egui::StrokeKind::Middle);
    let to_screen = |step: usize, v: f64| {
        Pos2::new(
            chart.min.x + chart.width() * step as f32 / (steps - 1) as f32,
            chart.max.y - chart.height() * ((map_value(v) - y0) / (y1 - y0)) as f32,
        )
    };
    for run in decorations.runs {
        let points: Vec<Pos2> = run
            .values
            .iter()
            .enumerate()
            .map(|(i, &v)| to_screen(i, v))
            .collect();
        painter.add(Shape::line(points, Stroke::new(1.2, color32(run.color))));
    }
    let font = FontId::new(LEGEND_PT, FontFamily::Proportional);
    let scale = if log { " (log)" } else { "" };
    painter.text(
        chart.left_top() + Vec2::new(3.0, 2.0),
        Align2::LEFT_TOP,
        format!("f{scale}"),
        font.clone(),
        ink,
    );
    painter.text(
        chart.right_bottom() + Vec2::new(0.0, 2.0),
        Align2::RIGHT_TOP,
        format!("step {}", steps - 1),
        font.clone(),
        ink,
    );
    painter.text(
        chart.left_bottom() + Vec2::new(0.0, 2.0),
        Align2::LEFT_TOP,
        "0",
        font,
        ink,
    );
}

/// The runs as the legend and the inset show them.
pub fn run_summaries(
    paths: &[crate::scene::RunPath],
    scene: &Scene,
    geometry: &ViewGeometry,
) -> Vec<RunSummary> {
    // Only the map's learning-curve inset looks at where the points land: no projecting
    // every point every frame otherwise.
    let project = scene.figure.learning_curve && scene.view == ViewKind::Map;
    paths
        .iter()
        .enumerate()
        .map(|(i, run)| RunSummary {
            label: run.spec.label(),
            color: run_color(i),
            values: run.path.points.iter().map(|p| p[2]).collect(),
            stop: run.path.stop.reason,
            pixels: if project {
                run.path
                    .points
                    .iter()
                    .filter_map(|&[x, y, f]| geometry.pixel_of(glam::DVec3::new(x, y, f)))
                    .map(|p| Pos2::new(p.x as f32, p.y as f32))
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f = x²/20 + y² on [−10, 10]².
    const BOOK_RANGE: ValueRange = ValueRange {
        min: 0.0,
        max: 105.0,
    };

    #[test]
    fn the_colorbar_takes_room_only_when_colours_mean_values() {
        let scene = Scene::default();
        let with = layout(&scene, [1600, 1200], 1, 2.78, BOOK_RANGE);
        assert!(with.colorbar.is_some());
        assert!(with.plots[0][2] < 1500);
        let mut lines = Scene {
            layers: "contours,paths".parse().unwrap_or_default(),
            view: ViewKind::Map,
            ..Scene::default()
        };
        lines.contours.color = ContourColor::Single([0, 0, 0]);
        let without = layout(&lines, [1600, 1200], 1, 2.78, BOOK_RANGE);
        assert!(without.colorbar.is_none());
    }

    #[test]
    fn a_wide_3d_figure_keeps_its_colorbar_beside_the_box() {
        let scene = Scene::default();
        let pt = 1.5;
        let wide = layout(&scene, [2400, 800], 1, pt, BOOK_RANGE);
        let [x, _, width, height] = wide.plots[0];
        assert!(
            width as f32 <= height as f32 * MAX_3D_ASPECT + 1.0,
            "{:?}",
            wide.plots
        );
        let bar = wide.colorbar.expect("a colorbar");
        assert!((bar.min.x - (x + width) as f32 - 14.0 * pt).abs() < 1.0);
        // Centred with its colorbar: room on both sides, more right of the bar's labels than
        // left of the panel only by the labels' width.
        let right = 2400.0 - bar.max.x;
        assert!(
            x as f32 > 0.3 * right && (x as f32) < right,
            "{x} vs {right}"
        );
        // A map fills the width (its x range grows instead).
        let map = Scene {
            view: ViewKind::Map,
            ..Scene::default()
        };
        assert!(layout(&map, [2400, 800], 1, pt, BOOK_RANGE).plots[0][2] > 1800);
    }

    #[test]
    fn map_panels_leave_room_for_tick_labels() {
        let scene = Scene {
            view: ViewKind::Map,
            ..Scene::default()
        };
        let layout = layout(&scene, [800, 600], 4, 1.39, BOOK_RANGE);
        assert_eq!(layout.plots.len(), 4);
        for [x, y, w, h] in &layout.plots {
            assert!(*x >= 60 && *w > 100 && *h > 100, "{x} {y} {w} {h}");
            assert!(x + w <= 800 && y + h <= 600);
        }
    }

    #[test]
    fn the_learning_curve_avoids_the_paths_on_the_map() {
        let plot = Rect::from_min_size(Pos2::ZERO, Vec2::splat(500.0));
        let corner = |points: &[Pos2]| {
            let rect = inset_rect(plot, ViewKind::Map, points);
            (rect.center().x < 250.0, rect.center().y < 250.0)
        };
        // (left, top): bottom left by default, elsewhere when a path runs through it.
        assert_eq!(corner(&[]), (true, false));
        assert_eq!(corner(&[Pos2::new(40.0, 450.0)]), (false, false));
        let both_bottoms = [Pos2::new(40.0, 450.0), Pos2::new(460.0, 450.0)];
        assert_eq!(corner(&both_bottoms), (true, true));
        assert_eq!(
            inset_rect(plot, ViewKind::ThreeD, &both_bottoms).min.y,
            10.0
        );
    }

    #[test]
    fn log_colorbar_ticks_are_decades_above_the_minimum() {
        let labels = |min: f64, max: f64| -> Vec<String> {
            let ticks = colorbar_ticks(ValueRange::new(min, max), ValueScale::Log);
            assert!(ticks.windows(2).all(|w| w[0].0 < w[1].0), "{ticks:?}");
            ticks.into_iter().map(|(_, label)| label).collect()
        };
        assert_eq!(labels(1e-6, 2500.0), ["10", "100", "1000"]);
        // A minimum just off zero (Himmelblau's field) or below it: round values of f.
        assert_eq!(labels(0.00162, 890.0), ["1", "10", "100"]);
        assert_eq!(labels(-0.887821, 31.0), ["−0.8", "0", "10"]);
    }
}
