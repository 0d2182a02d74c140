//! The Scene: everything a figure shows, as plain data.
//!
//! The window edits a Scene, the command line builds one from flags, and the renderer draws
//! one. Nothing here knows about the GPU, so a Scene can be saved, compared and tested as data.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::camera::{
    MAX_DISTANCE, MAX_MAP_ZOOM, MAX_PITCH_DEG, MIN_DISTANCE, MIN_MAP_ZOOM, MapCamera, OrbitCamera,
};
use crate::colormap::Colormap;
use crate::function::{Function, FunctionError, ValueScale};
use crate::levels::LevelSpec;
use crate::optim::{self, Bounds, Objective, Path, RunSpec};

/// Default grid: nodes per side of the field evaluated on the GPU.
pub const DEFAULT_GRID: u32 = 512;
/// Default figure size for `render` (matplotlib's 8×6 inches at 200 dpi).
pub const DEFAULT_SIZE: [u32; 2] = [1600, 1200];

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
pub enum ViewKind {
    /// The surface in 3-D, orbited by the camera.
    #[default]
    #[serde(rename = "3d")]
    #[value(name = "3d")]
    ThreeD,
    /// The function seen from above, equal aspect.
    #[serde(rename = "map")]
    Map,
}

impl ViewKind {
    pub fn toggled(self) -> ViewKind {
        match self {
            ViewKind::ThreeD => ViewKind::Map,
            ViewKind::Map => ViewKind::ThreeD,
        }
    }
}

/// The rectangle `[x0, x1] × [y0, y1]` the function is shown on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DomainFile")]
pub struct Domain {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

/// A domain as a scene file writes it, before its ranges are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainFile {
    x: [f64; 2],
    y: [f64; 2],
}

impl TryFrom<DomainFile> for Domain {
    type Error = String;

    fn try_from(file: DomainFile) -> Result<Domain, String> {
        let checked = |axis: &str, [low, high]: [f64; 2]| {
            check_range(low, high).map_err(|problem| format!("{axis} = [{low}, {high}]: {problem}"))
        };
        Ok(Domain {
            x: checked("x", file.x)?,
            y: checked("y", file.y)?,
        })
    }
}

/// An axis range must be finite and not empty.
fn check_range(low: f64, high: f64) -> Result<[f64; 2], String> {
    if !(low.is_finite() && high.is_finite()) {
        Err("both ends must be finite numbers".to_owned())
    } else if low >= high {
        Err("the low end must be below the high end".to_owned())
    } else {
        Ok([low, high])
    }
}

impl Default for Domain {
    fn default() -> Self {
        Domain {
            x: [-10.0, 10.0],
            y: [-10.0, 10.0],
        }
    }
}

impl Domain {
    pub fn center(&self) -> [f64; 2] {
        [0.5 * (self.x[0] + self.x[1]), 0.5 * (self.y[0] + self.y[1])]
    }

    pub fn half_extents(&self) -> [f64; 2] {
        [0.5 * (self.x[1] - self.x[0]), 0.5 * (self.y[1] - self.y[0])]
    }

    /// Data position of node `i` of `n` along each axis: `x_i = x0 + i·(x1 − x0)/(n − 1)`.
    pub fn node(&self, i: u32, j: u32, n: u32) -> [f64; 2] {
        let last = f64::from(n - 1);
        [
            self.x[0] + f64::from(i) * (self.x[1] - self.x[0]) / last,
            self.y[0] + f64::from(j) * (self.y[1] - self.y[0]) / last,
        ]
    }

    pub fn bounds(&self) -> Bounds {
        Bounds {
            x: self.x,
            y: self.y,
        }
    }
}

/// Parses an axis range `a:b` (`--x -2:2`): two finite numbers, a < b.
pub fn parse_range(text: &str) -> Result<[f64; 2], String> {
    let (low, high) = text
        .split_once(':')
        .ok_or_else(|| format!("{text:?} is not a range: write low:high, e.g. -2:2"))?;
    let number = |s: &str| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| format!("{s:?} in {text:?} is not a number"))
    };
    check_range(number(low)?, number(high)?).map_err(|problem| format!("{text:?}: {problem}"))
}

/// Which layers a figure shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Layers {
    /// The lit surface (3-D); the colormapped function (map).
    pub surface: bool,
    /// Grid lines over the surface (3-D), with their own density.
    pub wireframe: bool,
    /// Contour lines on the map.
    pub contours: bool,
    /// Contour lines on the 3-D surface.
    pub contours3d: bool,
    /// Contour lines projected on the floor below the 3-D surface.
    pub floor_contours: bool,
    /// Colour bands between contour levels (map).
    pub filled: bool,
    /// The −∇f arrow field.
    pub arrows: bool,
    /// Points at grid nodes (matplotlib's scatter3D).
    pub scatter: bool,
    /// Optimizer paths, and a `+` at the function's known minima.
    pub paths: bool,
}

impl Layers {
    /// `--layers` names, in the order they are listed.
    pub const NAMES: [&'static str; 9] = [
        "surface",
        "wireframe",
        "contours",
        "contours3d",
        "floor-contours",
        "filled",
        "arrows",
        "scatter",
        "paths",
    ];

    pub const NONE: Layers = Layers {
        surface: false,
        wireframe: false,
        contours: false,
        contours3d: false,
        floor_contours: false,
        filled: false,
        arrows: false,
        scatter: false,
        paths: false,
    };

    /// The switch for a `--layers` name.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "surface" => &mut self.surface,
            "wireframe" => &mut self.wireframe,
            "contours" => &mut self.contours,
            "contours3d" => &mut self.contours3d,
            "floor-contours" => &mut self.floor_contours,
            "filled" => &mut self.filled,
            "arrows" => &mut self.arrows,
            "scatter" => &mut self.scatter,
            "paths" => &mut self.paths,
            _ => return None,
        })
    }

    pub fn get(&self, name: &str) -> Option<bool> {
        let mut copy = *self;
        copy.get_mut(name).map(|on| *on)
    }
}

impl Default for Layers {
    /// The surface with its contours on the floor and on the map, and the optimizer paths.
    fn default() -> Self {
        Layers {
            surface: true,
            contours: true,
            floor_contours: true,
            paths: true,
            ..Layers::NONE
        }
    }
}

impl FromStr for Layers {
    type Err = String;

    /// A comma list of layer names, e.g. `surface,contours,arrows,paths`.
    fn from_str(text: &str) -> Result<Layers, String> {
        let mut layers = Layers::NONE;
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let on = layers.get_mut(name).ok_or_else(|| {
                format!(
                    "unknown layer {name:?}; layers: {}",
                    Layers::NAMES.join(", ")
                )
            })?;
            *on = true;
        }
        Ok(layers)
    }
}

impl fmt::Display for Layers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on: Vec<&str> = Layers::NAMES
            .into_iter()
            .filter(|name| self.get(name) == Some(true))
            .collect();
        f.write_str(&on.join(","))
    }
}

/// Parses a colour: `#rrggbb` or one of matplotlib's single-letter names (`k`, `r`, …).
pub fn parse_color(text: &str) -> Result<[u8; 3], String> {
    let text = text.trim();
    let named = match text {
        "k" | "black" => Some([0, 0, 0]),
        "w" | "white" => Some([255, 255, 255]),
        "r" | "red" => Some([255, 0, 0]),
        "g" | "green" => Some([0, 128, 0]),
        "b" | "blue" => Some([0, 0, 255]),
        "gray" | "grey" => Some([128, 128, 128]),
        _ => None,
    };
    if let Some(rgb) = named {
        return Ok(rgb);
    }
    let hex = text.strip_prefix('#').unwrap_or(text);
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    match (hex.len(), channel(0), channel(2), channel(4)) {
        (6, Some(r), Some(g), Some(b)) => Ok([r, g, b]),
        _ => Err(format!(
            "{text:?} is not a colour: write #rrggbb or one of k, w, r, g, b, gray"
        )),
    }
}

/// The colour of contour lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContourColor {
    /// Dark over a filled surface or map, through the colormap by level otherwise.
    #[default]
    Auto,
    /// Each line in the colormap's colour for its level (matplotlib's `contour`).
    ByLevel,
    /// Every line in one sRGB colour.
    Single([u8; 3]),
}

impl FromStr for ContourColor {
    type Err = String;

    /// `auto`, `by-level`, or a colour (`#rrggbb`, `k`, …).
    fn from_str(text: &str) -> Result<ContourColor, String> {
        match text.trim() {
            "auto" => Ok(ContourColor::Auto),
            "by-level" => Ok(ContourColor::ByLevel),
            other => parse_color(other)
                .map(ContourColor::Single)
                .map_err(|e| format!("{e}, or auto, or by-level")),
        }
    }
}

/// Contour lines and filled contours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContourStyle {
    /// `10` (about ten nice levels), `0:100:1` (a range, stop excluded) or `1,2,4,8`.
    pub levels: LevelSpec,
    pub color: ContourColor,
    /// Line width in points.
    pub width: f32,
}

impl Default for ContourStyle {
    fn default() -> Self {
        ContourStyle {
            levels: LevelSpec::default(),
            color: ContourColor::Auto,
            width: 1.2,
        }
    }
}

/// How arrows are sized.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum ArrowScaling {
    /// matplotlib's quiver: lengths in data units, the longest arrow one lattice cell long.
    #[default]
    Scaled,
    /// Every arrow the same length, coloured by |∇f| through the colormap.
    Normalized,
}

/// Which way arrows point.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum ArrowDirection {
    /// −∇f, downhill, as the memo's quiver.
    #[default]
    Descent,
    /// +∇f, uphill.
    Ascent,
}

/// The gradient arrow field.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArrowStyle {
    /// Arrows per side of the lattice, whatever the grid.
    pub lattice: u32,
    pub scaling: ArrowScaling,
    pub direction: ArrowDirection,
    /// sRGB colour of scaled arrows: a shade darker than the memo's #666666, so they still
    /// read over the colormap's middle greys and whites.
    pub color: [u8; 3],
}

impl Default for ArrowStyle {
    fn default() -> Self {
        ArrowStyle {
            lattice: 20,
            scaling: ArrowScaling::Scaled,
            direction: ArrowDirection::Descent,
            color: [0x55, 0x55, 0x55],
        }
    }
}

/// Wireframe lines and scatter points, each with its own density.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MeshStyle {
    /// Wireframe lines across each axis (matplotlib's default `rcount = ccount = 50`).
    pub wire_lines: u32,
    /// sRGB colour of the wireframe (matplotlib's C0).
    pub wire_color: [u8; 3],
    /// Scatter points per side.
    pub scatter_points: u32,
}

impl Default for MeshStyle {
    fn default() -> Self {
        MeshStyle {
            wire_lines: 50,
            wire_color: [0x1f, 0x77, 0xb4],
            scatter_points: 40,
        }
    }
}

/// Colours of the figure around the data.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    /// matplotlib's look: white background, dark text.
    #[default]
    Light,
    /// Dark background, light text, for slides and dark desktops.
    Dark,
}

impl Theme {
    /// sRGB background colour.
    pub fn background(self) -> [u8; 3] {
        match self {
            Theme::Light => [255, 255, 255],
            Theme::Dark => [0x1e, 0x1f, 0x22],
        }
    }

    /// sRGB colour of text, axes and ticks.
    pub fn ink(self) -> [u8; 3] {
        match self {
            Theme::Light => [0x26, 0x26, 0x26],
            Theme::Dark => [0xe6, 0xe6, 0xe6],
        }
    }

    /// sRGB colour and opacity of the 3-D axes' panes.
    pub fn pane(self) -> ([u8; 3], f32) {
        match self {
            Theme::Light => ([0xf0, 0xf0, 0xf0], 1.0),
            Theme::Dark => ([0x2c, 0x2e, 0x33], 1.0),
        }
    }

    /// sRGB colour of grid lines.
    pub fn grid(self) -> [u8; 3] {
        match self {
            Theme::Light => [0xc8, 0xc8, 0xc8],
            Theme::Dark => [0x48, 0x4b, 0x52],
        }
    }
}

/// Everything around the data: text, axes, colorbar, legend, colours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FigureStyle {
    /// Figure title; empty for none.
    pub title: String,
    /// Axis titles: x, y and the function's value.
    pub labels: [String; 3],
    /// Axes with ticks and tick labels (a box in 3-D, a frame on the map).
    pub axes: bool,
    pub colorbar: bool,
    /// Names the optimizer runs, each in its colour.
    pub legend: bool,
    /// A small chart of f against step for each run.
    pub learning_curve: bool,
    pub theme: Theme,
    /// PNGs with a transparent background.
    pub transparent: bool,
    /// Ends of the colour range; `None`: the smallest and largest defined value.
    pub vmin: Option<f64>,
    pub vmax: Option<f64>,
}

impl Default for FigureStyle {
    fn default() -> Self {
        FigureStyle {
            title: String::new(),
            labels: ["x".to_owned(), "y".to_owned(), "f(x, y)".to_owned()],
            axes: true,
            colorbar: true,
            legend: true,
            learning_curve: false,
            theme: Theme::Light,
            transparent: false,
            vmin: None,
            vmax: None,
        }
    }
}

/// How the optimizer runs share the figure.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Panels {
    /// All runs over one figure.
    #[default]
    Overlay,
    /// One panel per run, in a grid (the book's comparison figure).
    PerRun,
}

impl Panels {
    pub fn toggled(self) -> Panels {
        match self {
            Panels::Overlay => Panels::PerRun,
            Panels::PerRun => Panels::Overlay,
        }
    }
}

/// A figure: the function and how it is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scene {
    /// A gallery name (`book`, `rosenbrock`, …) or an expression in x and y.
    pub function: String,
    pub domain: Domain,
    /// How values map to colours: linear, or logarithmic for deep narrow valleys.
    pub value_scale: ValueScale,
    /// Nodes per side of the evaluated grid.
    pub grid: u32,
    pub view: ViewKind,
    pub camera: OrbitCamera,
    pub map: MapCamera,
    pub colormap: Colormap,
    /// Vertical exaggeration of the 3-D surface (1 = matplotlib's proportions).
    pub z_scale: f32,
    pub layers: Layers,
    pub contours: ContourStyle,
    pub arrows: ArrowStyle,
    pub mesh: MeshStyle,
    pub figure: FigureStyle,
    /// Optimizer runs, each drawn as a path.
    pub runs: Vec<RunSpec>,
    /// Start of the runs that do not set their own; `None`: the function's default start.
    pub start: Option<[f64; 2]>,
    /// Animation: only the first this-many points of each path are shown; `None`: all.
    pub shown_steps: Option<usize>,
    pub panels: Panels,
    /// Figure size in pixels for `render` (the window uses its own size).
    pub size: [u32; 2],
}

impl Default for Scene {
    /// The memo's figure: f(x, y) = x²/20 + y² on [-10, 10]², in matplotlib's default 3-D view,
    /// with the book's comparison of SGD, Momentum, AdaGrad and Adam from (−7, 2).
    fn default() -> Self {
        Scene {
            function: "book".to_owned(),
            domain: Domain::default(),
            value_scale: ValueScale::Linear,
            grid: DEFAULT_GRID,
            view: ViewKind::ThreeD,
            camera: OrbitCamera::default(),
            map: MapCamera::default(),
            colormap: Colormap::default(),
            z_scale: 1.0,
            layers: Layers::default(),
            contours: ContourStyle::default(),
            arrows: ArrowStyle::default(),
            mesh: MeshStyle::default(),
            figure: FigureStyle::default(),
            runs: optim::book_compare(),
            start: None,
            shown_steps: None,
            panels: Panels::Overlay,
            size: DEFAULT_SIZE,
        }
    }
}

impl Objective for Function {
    fn value(&self, x: f64, y: f64) -> f64 {
        Function::value(self, x, y)
    }

    fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        Function::gradient(self, x, y)
    }
}

/// One run's resolved start and its path.
#[derive(Clone, Debug, PartialEq)]
pub struct RunPath {
    pub spec: RunSpec,
    pub start: [f64; 2],
    pub path: Path,
}

/// A scene file that cannot be read or does not describe a scene.
/// The longest side a window (X11 sizes are 16-bit) or an image may have.
pub const MAX_SIDE: u32 = u16::MAX as u32;
/// Limits of the vertical exaggeration.
pub const MIN_Z_SCALE: f32 = 0.05;
pub const MAX_Z_SCALE: f32 = 20.0;
/// The widest contour line, in points.
const MAX_LINE_WIDTH_PT: f32 = 20.0;

/// A value no figure can be drawn with, found by [`Scene::check`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{key} = {value}: {problem}")]
pub struct BadValue {
    /// Where it sits in a scene file (`camera.distance`).
    pub key: &'static str,
    /// The flag that sets it (`--distance`), or the key where no flag does.
    pub flag: &'static str,
    pub value: String,
    pub problem: String,
}

impl BadValue {
    /// The same problem told as the flag that set it.
    pub fn as_flag(&self) -> String {
        format!("{} {}: {}", self.flag, self.value, self.problem)
    }
}

/// The line (from 1) of `key` (`camera.distance`: `distance` in the `[camera]` table) in a
/// TOML scene written one key per line, as gradscape writes them.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let (table, leaf) = key.rsplit_once('.').unwrap_or(("", key));
    let mut current = "";
    text.lines().enumerate().find_map(|(index, line)| {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            current = header.trim_end_matches(']').trim();
            return None;
        }
        let name = line.split('=').next()?.trim();
        (current == table && name == leaf).then_some(index + 1)
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SceneFileError {
    #[error("cannot read {path}: {error}")]
    Read {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    /// toml's message names the line and column, and the field.
    #[error("{path} is not a gradscape scene: {message}")]
    Parse {
        path: std::path::PathBuf,
        message: String,
    },
}

impl Scene {
    /// The scene as a TOML document (`--scene` reads it back).
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(self)
    }

    /// Parses a TOML scene; missing keys take their defaults, unknown keys and values no
    /// figure can be drawn with ([`Scene::check`]) are errors that name the line.
    pub fn from_toml(text: &str) -> Result<Scene, String> {
        let scene: Scene = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
        scene.check().map_err(|bad| match line_of(text, bad.key) {
            Some(line) => format!("line {line}: {bad}"),
            None => bad.to_string(),
        })?;
        Ok(scene)
    }

    /// Refuses values no figure can be drawn with, wherever they came from (flags, files).
    pub fn check(&self) -> Result<(), BadValue> {
        let bad = |key, flag, value: String, problem: &str| {
            Err(BadValue {
                key,
                flag,
                value,
                problem: problem.to_owned(),
            })
        };
        if let Err(error) = Function::from_spec(&self.function) {
            let problem = error.to_string();
            return bad("function", "--fn", format!("{:?}", self.function), &problem);
        }
        if self.grid < 2 {
            let problem = "a grid needs at least 2 nodes per side";
            return bad("grid", "--grid", self.grid.to_string(), problem);
        }
        if !self.size.iter().all(|side| (1..=MAX_SIDE).contains(side)) {
            let [w, h] = self.size;
            return bad(
                "size",
                "--size",
                format!("[{w}, {h}]"),
                "each side must be from 1 to 65535 pixels",
            );
        }
        if !(MIN_Z_SCALE..=MAX_Z_SCALE).contains(&self.z_scale) {
            let problem = "the vertical scale must be from 0.05 to 20";
            return bad("z_scale", "--z-scale", self.z_scale.to_string(), problem);
        }
        let camera = &self.camera;
        if !camera.yaw_deg.is_finite() {
            return bad(
                "camera.yaw_deg",
                "--yaw",
                camera.yaw_deg.to_string(),
                "must be a finite angle",
            );
        }
        if !(-MAX_PITCH_DEG..=MAX_PITCH_DEG).contains(&camera.pitch_deg) {
            let problem = "the elevation must be from -89 to 89 degrees";
            return bad(
                "camera.pitch_deg",
                "--pitch",
                camera.pitch_deg.to_string(),
                problem,
            );
        }
        if !(MIN_DISTANCE..=MAX_DISTANCE).contains(&camera.distance) {
            let problem = "the camera distance must be from 1.2 to 60";
            return bad(
                "camera.distance",
                "--distance",
                camera.distance.to_string(),
                problem,
            );
        }
        if !camera.target.is_finite() {
            return bad(
                "camera.target",
                "camera.target",
                format!("{:?}", camera.target.to_array()),
                "must be finite",
            );
        }
        if !(MIN_MAP_ZOOM..=MAX_MAP_ZOOM).contains(&self.map.zoom) {
            let problem = "the map zoom must be from 0.05 to 10000";
            return bad("map.zoom", "map.zoom", self.map.zoom.to_string(), problem);
        }
        let finite_point =
            |p: Option<[f64; 2]>| p.is_none_or(|[x, y]| x.is_finite() && y.is_finite());
        if !finite_point(self.map.center) {
            return bad(
                "map.center",
                "map.center",
                format!("{:?}", self.map.center),
                "must be finite",
            );
        }
        if !finite_point(self.start) {
            return bad(
                "start",
                "--start",
                format!("{:?}", self.start),
                "must be finite",
            );
        }
        if !(0.0..=MAX_LINE_WIDTH_PT).contains(&self.contours.width) {
            let problem = "the contour width must be from 0 to 20 points";
            return bad(
                "contours.width",
                "contours.width",
                self.contours.width.to_string(),
                problem,
            );
        }
        let figure = &self.figure;
        for (key, flag, end) in [
            ("figure.vmin", "--vmin", figure.vmin),
            ("figure.vmax", "--vmax", figure.vmax),
        ] {
            if end.is_some_and(|v| !v.is_finite()) {
                return bad(
                    key,
                    flag,
                    format!("{:?}", end.unwrap_or_default()),
                    "must be a finite number",
                );
            }
        }
        if let (Some(low), Some(high)) = (figure.vmin, figure.vmax)
            && low >= high
        {
            let problem = "the colour range is empty: vmin must be below vmax";
            return bad("figure.vmax", "--vmax", format!("{high:?}"), problem);
        }
        Ok(())
    }

    /// Reads a scene file.
    pub fn load(path: &std::path::Path) -> Result<Scene, SceneFileError> {
        let text = std::fs::read_to_string(path).map_err(|error| SceneFileError::Read {
            path: path.to_owned(),
            error,
        })?;
        Scene::from_toml(&text).map_err(|message| SceneFileError::Parse {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses the scene's function (gallery name or expression).
    pub fn parse_function(&self) -> Result<Function, FunctionError> {
        Function::from_spec(&self.function)
    }

    /// Switches to another function: a gallery entry brings its domain and colour scale,
    /// an expression keeps the current ones. The view resets, since the old one framed
    /// another figure.
    pub fn set_function(&mut self, spec: &str) -> Result<Function, FunctionError> {
        let function = Function::from_spec(spec)?;
        self.function = spec.trim().to_owned();
        if let Some(entry) = function.gallery_entry() {
            self.domain = Domain {
                x: entry.x,
                y: entry.y,
            };
            self.value_scale = entry.scale;
        }
        self.reset_view();
        Ok(function)
    }

    /// Whether the figure is coloured by f under its lines and glyphs: the surface, or on the
    /// map also the filled bands (3-D has none). Over such a fill, contours, scatter points and
    /// arrows must not take the same colormap, or they sink into it.
    pub fn colour_fill(&self) -> bool {
        self.layers.surface || (self.view == ViewKind::Map && self.layers.filled)
    }

    /// Both cameras back to the view the figure opened with.
    pub fn reset_view(&mut self) {
        self.camera = OrbitCamera::default();
        self.map = MapCamera::default();
    }

    /// Starts every run at `at` (`None`: the function's own start), whatever starts the runs
    /// had of their own.
    pub fn set_start(&mut self, at: Option<[f64; 2]>) {
        self.start = at;
        for run in &mut self.runs {
            run.start = None;
        }
    }

    /// Where a run starts: its own start, else the scene's, else the function's default
    /// (the gallery's, or the point at (−0.7, 0.2) of the half-extents from the centre, which
    /// is the book's (−7, 2) on [−10, 10]²).
    pub fn run_start(&self, run: &RunSpec, function: &Function) -> [f64; 2] {
        run.start.or(self.start).unwrap_or_else(|| {
            function.gallery_entry().map_or_else(
                || {
                    let [cx, cy] = self.domain.center();
                    let [hx, hy] = self.domain.half_extents();
                    [cx - 0.7 * hx, cy + 0.2 * hy]
                },
                |entry| entry.start,
            )
        })
    }

    /// Runs every optimizer on the CPU in f64.
    pub fn optimize(&self, function: &Function) -> Vec<RunPath> {
        let bounds = self.domain.bounds();
        self.runs
            .iter()
            .map(|spec| {
                let start = self.run_start(spec, function);
                RunPath {
                    spec: spec.clone(),
                    start,
                    path: optim::run(spec, start, function, &bounds),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_surface_or_the_map_s_bands_fill_with_colour() {
        let mut scene = Scene {
            layers: Layers {
                filled: true,
                ..Layers::NONE
            },
            ..Scene::default()
        };
        assert!(!scene.colour_fill(), "3-D draws no bands");
        scene.view = ViewKind::Map;
        assert!(scene.colour_fill());
        scene.layers = Layers {
            surface: true,
            ..Layers::NONE
        };
        assert!(scene.colour_fill());
        scene.view = ViewKind::ThreeD;
        assert!(scene.colour_fill());
    }

    #[test]
    fn ranges_parse_with_negative_numbers_and_refuse_empty_ones() {
        assert_eq!(parse_range("-2:2"), Ok([-2.0, 2.0]));
        assert_eq!(parse_range(" -1.5 : 3e0 "), Ok([-1.5, 3.0]));
        for bad in ["2:-2", "1:1", "a:1", "1", "nan:1", "-inf:0"] {
            assert!(parse_range(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn layers_parse_and_print_back() {
        let layers: Layers = "surface,contours,arrows,paths"
            .parse()
            .unwrap_or(Layers::NONE);
        assert!(layers.surface && layers.contours && layers.arrows && layers.paths);
        assert!(!layers.wireframe && !layers.filled);
        assert_eq!(layers.to_string(), "surface,contours,arrows,paths");
        let message = "surface,wirefram".parse::<Layers>().unwrap_err();
        assert!(
            message.contains("\"wirefram\"") && message.contains("wireframe"),
            "{message}"
        );
    }

    #[test]
    fn a_gallery_function_brings_its_domain_and_start() {
        let mut scene = Scene::default();
        let function = scene.set_function("rosenbrock").expect("gallery");
        assert_eq!(scene.domain.x, [-2.0, 2.0]);
        assert_eq!(scene.value_scale, ValueScale::Log);
        let run = RunSpec::new(optim::OptimizerKind::Sgd);
        assert_eq!(scene.run_start(&run, &function), [-1.2, 1.0]);
        // An expression keeps the domain and starts at the book-like point of it.
        let function = scene.set_function("x^2 + y^2").expect("expression");
        assert_eq!(scene.domain.x, [-2.0, 2.0]);
        let start = scene.run_start(&run, &function);
        assert!((start[0] - -1.4).abs() < 1e-12 && (start[1] - 1.4).abs() < 1e-12);
    }

    #[test]
    fn scenes_round_trip_through_toml() {
        let mut scene = Scene::default();
        scene.figure.title = "Four optimizers".to_owned();
        scene.figure.vmax = Some(50.0);
        scene.contours.levels = "0:100:5".parse().expect("levels");
        scene.contours.color = ContourColor::Single([0x33, 0x66, 0x99]);
        scene.runs[3] = "adam:lr=0.3,beta1=0.8".parse().expect("run");
        scene.runs[3].start = Some([-7.0, 2.5]);
        scene.runs[3].grad = "numeric:h=0.001".parse().expect("grad");
        scene.map.center = Some([1.5, -2.0]);
        scene.camera.yaw_deg = -33.25;
        let text = scene.to_toml().expect("a scene serializes");
        assert!(text.contains("run = \"adam:lr=0.3,beta1=0.8\""), "{text}");
        assert_eq!(Scene::from_toml(&text), Ok(scene));
    }

    #[test]
    fn scene_files_name_the_line_of_a_mistake() {
        let message = Scene::from_toml("grid = 64\ncolour = \"bwr\"\n").unwrap_err();
        assert!(
            message.contains("line 2") && message.contains("colour"),
            "{message}"
        );
        let message = Scene::from_toml("[[runs]]\nrun = \"sgd:lx=1\"\n").unwrap_err();
        assert!(message.contains("lx"), "{message}");
        assert_eq!(Scene::from_toml(""), Ok(Scene::default()));
    }

    #[test]
    fn the_default_scene_runs_the_books_comparison_from_minus_7_2() {
        let scene = Scene::default();
        let function = scene.parse_function().expect("book");
        let paths = scene.optimize(&function);
        assert_eq!(paths.len(), 4);
        for run in &paths {
            assert_eq!(run.start, [-7.0, 2.0]);
            assert_eq!(run.path.points.len(), 30);
        }
    }
}
