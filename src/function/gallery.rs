//! The built-in functions, selectable by name (`--fn rosenbrock`).

use super::Function;
use super::print::format_number;

/// How values map to colours and automatic contour levels.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum ValueScale {
    #[default]
    Linear,
    /// Logarithmic: for narrow curved valleys whose floor is orders of
    /// magnitude below the walls (Rosenbrock, Beale, ...).
    Log,
}

#[derive(Debug)]
pub struct GalleryEntry {
    /// What `--fn` accepts (case-insensitive).
    pub name: &'static str,
    pub title: &'static str,
    /// The expression, in the syntax `--fn` accepts.
    pub formula: &'static str,
    /// Customary plotting domain: x range and y range.
    pub x: [f64; 2],
    pub y: [f64; 2],
    /// Default start point of the optimizers.
    pub start: [f64; 2],
    /// Known global minima (marked on the figure); empty when unbounded below.
    pub minima: &'static [[f64; 2]],
    pub scale: ValueScale,
}

pub const GALLERY: &[GalleryEntry] = &[
    GalleryEntry {
        name: "book",
        title: "The book's elongated bowl",
        formula: "x^2/20 + y^2",
        x: [-10.0, 10.0],
        y: [-10.0, 10.0],
        start: [-7.0, 2.0],
        minima: &[[0.0, 0.0]],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "bowl",
        title: "Round bowl",
        formula: "x^2 + y^2",
        x: [-5.0, 5.0],
        y: [-5.0, 5.0],
        start: [-4.0, 3.0],
        minima: &[[0.0, 0.0]],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "rosenbrock",
        title: "Rosenbrock's banana valley",
        formula: "(1 - x)^2 + 100*(y - x^2)^2",
        x: [-2.0, 2.0],
        y: [-1.0, 3.0],
        start: [-1.2, 1.0],
        minima: &[[1.0, 1.0]],
        scale: ValueScale::Log,
    },
    GalleryEntry {
        name: "beale",
        title: "Beale",
        formula: "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        x: [-4.5, 4.5],
        y: [-4.5, 4.5],
        start: [1.0, 1.5],
        minima: &[[3.0, 0.5]],
        scale: ValueScale::Log,
    },
    GalleryEntry {
        name: "himmelblau",
        title: "Himmelblau (four minima)",
        formula: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        x: [-5.0, 5.0],
        y: [-5.0, 5.0],
        start: [-0.5, -1.5],
        minima: &[
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.28318599128617],
            [3.584428340330492, -1.848126526964404],
        ],
        scale: ValueScale::Log,
    },
    GalleryEntry {
        name: "booth",
        title: "Booth",
        formula: "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
        x: [-10.0, 10.0],
        y: [-10.0, 10.0],
        start: [-8.0, -7.0],
        minima: &[[1.0, 3.0]],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "matyas",
        title: "Matyas",
        formula: "0.26*(x^2 + y^2) - 0.48*x*y",
        x: [-10.0, 10.0],
        y: [-10.0, 10.0],
        start: [8.0, 3.0],
        minima: &[[0.0, 0.0]],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "saddle",
        title: "Saddle",
        formula: "x^2 - y^2",
        x: [-2.0, 2.0],
        y: [-2.0, 2.0],
        start: [-1.5, 0.1],
        minima: &[],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "monkey-saddle",
        title: "Monkey saddle",
        formula: "x^3 - 3*x*y^2",
        x: [-2.0, 2.0],
        y: [-2.0, 2.0],
        start: [1.5, 0.5],
        minima: &[],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "rastrigin",
        title: "Rastrigin (many local minima)",
        formula: "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        x: [-5.12, 5.12],
        y: [-5.12, 5.12],
        start: [-4.6, 3.3],
        minima: &[[0.0, 0.0]],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "ackley",
        title: "Ackley",
        formula: "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
        x: [-5.0, 5.0],
        y: [-5.0, 5.0],
        start: [3.2, -4.3],
        minima: &[[0.0, 0.0]],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "goldstein-price",
        title: "Goldstein-Price",
        formula: "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))\
                  *(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
        x: [-2.0, 2.0],
        y: [-2.0, 2.0],
        start: [-1.5, 1.5],
        minima: &[[0.0, -1.0]],
        scale: ValueScale::Log,
    },
    GalleryEntry {
        name: "styblinski-tang",
        title: "Styblinski-Tang",
        formula: "0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)",
        x: [-5.0, 5.0],
        y: [-5.0, 5.0],
        start: [-0.5, 4.5],
        minima: &[[-2.903534027771178, -2.903534027771178]],
        scale: ValueScale::Linear,
    },
    GalleryEntry {
        name: "six-hump-camel",
        title: "Six-hump camel",
        formula: "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        x: [-3.0, 3.0],
        y: [-2.0, 2.0],
        start: [-2.0, -1.5],
        minima: &[
            [0.08984201368301331, -0.7126564032704135],
            [-0.08984201368301331, 0.7126564032704135],
        ],
        scale: ValueScale::Linear,
    },
];

/// The entry called `name`, ignoring case and surrounding blanks (`_` may
/// stand for `-`).
pub fn gallery_entry(name: &str) -> Option<&'static GalleryEntry> {
    let key = name.trim().to_ascii_lowercase().replace('_', "-");
    GALLERY.iter().find(|e| e.name == key)
}

fn point(p: [f64; 2]) -> String {
    format!("({}, {})", short(p[0]), short(p[1]))
}

/// Rounds for display (6 significant digits) without trailing zeros.
fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = (5 - v.abs().log10().floor() as i32).clamp(0, 15) as usize;
    let text = format!("{v:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" { "0".into() } else { text }
}

/// The text `gradscape functions` prints.
pub fn gallery_listing() -> String {
    let mut out = String::new();
    for entry in GALLERY {
        out.push_str(&format!("{}  {}\n", entry.name, entry.title));
        out.push_str(&format!("    f(x, y) = {}\n", entry.formula));
        // Entries are tested to parse; a failure would only drop these lines.
        let function = Function::from_spec(entry.name).ok();
        if let Some(f) = &function {
            let [dx, dy] = f.derivative_sources();
            out.push_str(&format!("    df/dx   = {dx}\n    df/dy   = {dy}\n"));
        }
        out.push_str(&format!(
            "    domain  x in [{}, {}], y in [{}, {}]\n",
            format_number(entry.x[0]),
            format_number(entry.x[1]),
            format_number(entry.y[0]),
            format_number(entry.y[1])
        ));
        out.push_str(&format!("    start   {}\n", point(entry.start)));
        if entry.minima.is_empty() {
            out.push_str("    minima  none (unbounded below)\n");
        }
        for (i, m) in entry.minima.iter().enumerate() {
            let label = if i == 0 { "minima " } else { "       " };
            let value = function
                .as_ref()
                .map(|f| format!(", f = {}", short(f.value(m[0], m[1]))))
                .unwrap_or_default();
            out.push_str(&format!("    {label} {}{value}\n", point(*m)));
        }
        let scale = match entry.scale {
            ValueScale::Linear => "linear",
            ValueScale::Log => "log",
        };
        out.push_str(&format!("    scale   {scale}\n\n"));
    }
    out
}
