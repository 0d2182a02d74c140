//! How fine the surface's mesh has to be on a CPU rasteriser.
//!
//! Colour, light and lines are computed per fragment from the function itself, so the mesh only
//! shapes the silhouette and what hides what: its flat triangles must not stray from f by more
//! than a fraction of a pixel. On lavapipe every triangle edge also sends the pixel blocks it
//! crosses down the slow multisampled path, so a smooth function (the book's bowl) is drawn with
//! the coarsest mesh that keeps that promise, and anything rugged keeps the finest.

use crate::function::Function;
use crate::scene::Domain;
use crate::view::{ValueRange, ViewGeometry};

/// How far, in pixels on screen, the mesh may stray from the function.
pub const MAX_ERROR_PX: f64 = 0.35;

/// How far meshes of several sizes stray from a function over a domain.
pub struct MeshErrors {
    /// Vertices per side, coarsest first, and the largest |f − mesh| found, in units of f
    /// (infinite where f is undefined or infinite at a probe).
    sizes: Vec<(u32, f64)>,
}

impl MeshErrors {
    /// Errors of meshes from 2 vertices per side up to (not including) `finest`, each about a
    /// fifth finer than the last.
    pub fn new(function: &Function, domain: &Domain, finest: u32) -> MeshErrors {
        let mut sizes = Vec::new();
        let mut vertices = 2;
        while vertices < finest {
            sizes.push((vertices, max_error(function, domain, vertices)));
            vertices = (vertices * 6 / 5).max(vertices + 1);
        }
        MeshErrors { sizes }
    }

    /// The coarsest mesh that strays at most `max_error` (units of f), and so does every finer
    /// one measured (a coarse mesh whose probes happen to miss a ripple that a finer one catches
    /// is not trusted); `finest` when none does.
    pub fn coarsest_within(&self, max_error: f64, finest: u32) -> u32 {
        let mut coarsest = finest;
        for &(vertices, error) in self.sizes.iter().rev() {
            if error > max_error || error.is_nan() {
                break;
            }
            coarsest = vertices;
        }
        coarsest
    }
}

/// The largest |f − mesh| over a mesh of `vertices`² over `domain`, probed in every cell at two
/// edge midpoints, the middle of the diagonal and both triangles' centroids. The strips split
/// each cell along the diagonal from its corner (0, 1) to (1, 0) (see shaders/surface.wgsl).
fn max_error(function: &Function, domain: &Domain, vertices: u32) -> f64 {
    let cells = f64::from(vertices - 1);
    let at = |u: f64, v: f64| {
        let x = domain.x[0] + (domain.x[1] - domain.x[0]) * u / cells;
        let y = domain.y[0] + (domain.y[1] - domain.y[0]) * v / cells;
        function.value(x, y)
    };
    let n = vertices as usize;
    let mut corners = Vec::with_capacity(n * n);
    for j in 0..vertices {
        for i in 0..vertices {
            corners.push(at(f64::from(i), f64::from(j)));
        }
    }
    let mut worst = 0.0_f64;
    for j in 0..n - 1 {
        for i in 0..n - 1 {
            let [f00, f10, f01, f11] = [
                corners[j * n + i],
                corners[j * n + i + 1],
                corners[(j + 1) * n + i],
                corners[(j + 1) * n + i + 1],
            ];
            let probes = [
                (0.5, 0.0, 0.5 * (f00 + f10)),
                (0.0, 0.5, 0.5 * (f00 + f01)),
                (0.5, 0.5, 0.5 * (f10 + f01)),
                (1.0 / 3.0, 1.0 / 3.0, (f00 + f10 + f01) / 3.0),
                (2.0 / 3.0, 2.0 / 3.0, (f10 + f01 + f11) / 3.0),
            ];
            for (du, dv, mesh) in probes {
                let error = (at(i as f64 + du, j as f64 + dv) - mesh).abs();
                if !error.is_finite() {
                    return f64::INFINITY;
                }
                worst = worst.max(error);
            }
        }
    }
    worst
}

/// Screen pixels per unit of f: how tall a unit of f stands in the 3-D view, at the middle and
/// at the corners of the domain (the nearest corner stands tallest in perspective). `None`
/// when a point is behind the camera.
pub fn pixels_per_unit_of_f(
    geometry: &ViewGeometry,
    domain: &Domain,
    values: ValueRange,
) -> Option<f64> {
    let [cx, cy] = domain.center();
    let mut tallest = 0.0_f64;
    for [x, y] in [
        [cx, cy],
        [domain.x[0], domain.y[0]],
        [domain.x[1], domain.y[0]],
        [domain.x[0], domain.y[1]],
        [domain.x[1], domain.y[1]],
    ] {
        let low = geometry.pixel_of(glam::DVec3::new(x, y, values.min))?;
        let high = geometry.pixel_of(glam::DVec3::new(x, y, values.max))?;
        tallest = tallest.max(low.distance(high) / values.span());
    }
    Some(tallest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(expression: &str, finest: u32) -> MeshErrors {
        let function = Function::parse(expression).expect("a function");
        let domain = Domain {
            x: [-10.0, 10.0],
            y: [-10.0, 10.0],
        };
        MeshErrors::new(&function, &domain, finest)
    }

    #[test]
    fn a_plane_needs_one_quad() {
        assert_eq!(errors("3*x - 2*y + 1", 67).coarsest_within(1e-9, 67), 2);
    }

    #[test]
    fn the_error_of_a_quadratic_is_its_curvature_times_the_cell_squared() {
        // y² over cells of h: the linear interpolation misses by h²/4 at an edge's middle.
        let errors = errors("y^2", 67);
        for &(vertices, error) in &errors.sizes {
            let h = 20.0 / f64::from(vertices - 1);
            assert!(
                (error - h * h / 4.0).abs() < 1e-9 * h * h,
                "{vertices}: {error}"
            );
        }
        let chosen = errors.coarsest_within(0.1, 67);
        let h = 20.0 / f64::from(chosen - 1);
        assert!(
            h * h / 4.0 <= 0.1,
            "{chosen} vertices miss by {}",
            h * h / 4.0
        );
    }

    #[test]
    fn ripples_and_holes_keep_the_finest_mesh() {
        // Ripples 0.5 apart: the finest mesh measured, 62 vertices, has cells of 0.33.
        assert_eq!(errors("sin(4*pi*x)", 67).coarsest_within(0.01, 67), 67);
        assert_eq!(errors("log(x)", 67).coarsest_within(1e9, 67), 67);
    }
}
