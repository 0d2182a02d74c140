//! The Scene: everything a figure shows, as plain data.
//!
//! The window edits a Scene, the command line builds one from flags, and the renderer draws
//! one. Nothing here knows about the GPU, so a Scene can be saved, compared and tested as data.

use serde::{Deserialize, Serialize};

use crate::camera::{MapCamera, OrbitCamera};
use crate::colormap::Colormap;
use crate::function::{Function, FunctionError};

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
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub x: [f64; 2],
    pub y: [f64; 2],
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
}

/// A figure: the function and how it is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scene {
    /// A gallery name (`book`, `rosenbrock`, …) or an expression in x and y.
    pub function: String,
    pub domain: Domain,
    /// Nodes per side of the evaluated grid.
    pub grid: u32,
    pub view: ViewKind,
    pub camera: OrbitCamera,
    pub map: MapCamera,
    pub colormap: Colormap,
    /// Vertical exaggeration of the 3-D surface (1 = matplotlib's proportions).
    pub z_scale: f32,
    /// Figure size in pixels for `render` (the window uses its own size).
    pub size: [u32; 2],
}

impl Default for Scene {
    /// The memo's figure: f(x, y) = x²/20 + y² on [-10, 10]², in matplotlib's default 3-D view.
    fn default() -> Self {
        Scene {
            function: "book".to_owned(),
            domain: Domain::default(),
            grid: DEFAULT_GRID,
            view: ViewKind::ThreeD,
            camera: OrbitCamera::default(),
            map: MapCamera::default(),
            colormap: Colormap::default(),
            z_scale: 1.0,
            size: DEFAULT_SIZE,
        }
    }
}

impl Scene {
    /// Parses the scene's function (gallery name or expression).
    pub fn parse_function(&self) -> Result<Function, FunctionError> {
        Function::from_spec(&self.function)
    }

    /// Both cameras back to the view the figure opened with.
    pub fn reset_view(&mut self) {
        self.camera = OrbitCamera::default();
        self.map = MapCamera::default();
    }
}
