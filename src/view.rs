//! Where things land on screen: the transform from data space (x, y, f) to clip space and
//! pixels for a Scene, a value range and a target size.
//!
//! The renderer feeds this to the shaders; tests and overlays use the same numbers to know
//! which pixel shows which data point.

use glam::{DMat4, DVec2, DVec3, DVec4, Mat4, Vec3};

use crate::camera::{BOX_HALF_EXTENTS, MapFrame};
use crate::function::ValueScale;
use crate::scene::{Domain, Scene, ViewKind};

/// Gap between the bottom of the surface's box and the floor that carries the projected contours,
/// in box units.
const FLOOR_GAP: f64 = 0.04;
/// Direction towards the light in view space: from the upper left, a little in front.
const LIGHT_IN_VIEW: Vec3 = Vec3::new(-0.45, 0.55, 0.7);

/// The colour and height range: the smallest and largest valid f (or the user's choice).
/// Never empty, so a constant function still gets a valid scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValueRange {
    pub min: f64,
    pub max: f64,
}

impl ValueRange {
    pub fn new(min: f64, max: f64) -> ValueRange {
        if !(min.is_finite() && max.is_finite()) {
            return ValueRange { min: 0.0, max: 1.0 };
        }
        let span = max - min;
        let smallest = 1e-6 * min.abs().max(max.abs()).max(1.0);
        if span >= smallest {
            ValueRange { min, max }
        } else {
            let mid = 0.5 * (min + max);
            ValueRange {
                min: mid - 0.5 * smallest,
                max: mid + 0.5 * smallest,
            }
        }
    }

    pub fn span(&self) -> f64 {
        self.max - self.min
    }

    /// Where `f` falls in the range, 0..1, linearly or logarithmically; the same mapping as
    /// `value_to_unit` in shaders/common.wgsl.
    pub fn unit(&self, f: f64, scale: ValueScale) -> f64 {
        let t = match scale {
            ValueScale::Linear => (f - self.min) / self.span(),
            ValueScale::Log => {
                let offset = self.span() * LOG_SCALE_OFFSET;
                ((f - self.min) / offset).ln_1p() / (self.span() / offset).ln_1p()
            }
        };
        t.clamp(0.0, 1.0)
    }
}

/// On a log colour scale, values are mapped as log(f − min + offset) with the offset this
/// fraction of the range: four decades of detail above the minimum.
pub const LOG_SCALE_OFFSET: f64 = 1e-4;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewGeometry {
    pub view: ViewKind,
    pub clip_from_data: DMat4,
    /// box = data · box_scale + box_offset (3-D view; the identity on the map).
    pub box_scale: DVec3,
    pub box_offset: DVec3,
    /// Half the box's height: the values' range spans −this..this in box z.
    pub box_half_height: f64,
    pub eye_in_box: Vec3,
    pub light_in_box: Vec3,
    /// f at the plane that carries the floor contours.
    pub floor_value: f64,
    /// The visible data rectangle in the map view.
    pub map_frame: Option<MapFrame>,
    pub size_px: [u32; 2],
}

impl ViewGeometry {
    pub fn new(scene: &Scene, values: ValueRange, size_px: [u32; 2]) -> ViewGeometry {
        let aspect = f64::from(size_px[0].max(1)) / f64::from(size_px[1].max(1));
        let [half_x, half_y] = scene.domain.half_extents();
        let [center_x, center_y] = scene.domain.center();
        let z_scale = f64::from(scene.z_scale);
        let half_z = f64::from(BOX_HALF_EXTENTS.z) * z_scale;
        let box_scale = DVec3::new(1.0 / half_x, 1.0 / half_y, 2.0 * half_z / values.span());
        let box_offset = DVec3::new(
            -center_x / half_x,
            -center_y / half_y,
            -half_z - values.min * box_scale.z,
        );
        let floor_value = (-half_z - FLOOR_GAP - box_offset.z) / box_scale.z;
        let camera = scene.camera.clamped();
        let view_from_box = camera.view_from_box();
        let light_in_box = view_from_box
            .inverse()
            .transform_vector3(LIGHT_IN_VIEW.normalize());
        match scene.view {
            ViewKind::ThreeD => {
                let clip_from_box = camera.clip_from_box(aspect as f32, scene.z_scale);
                let box_from_data =
                    DMat4::from_translation(box_offset) * DMat4::from_scale(box_scale);
                ViewGeometry {
                    view: scene.view,
                    clip_from_data: clip_from_box.as_dmat4() * box_from_data,
                    box_scale,
                    box_offset,
                    box_half_height: half_z,
                    eye_in_box: camera.eye_in_box(),
                    light_in_box,
                    floor_value,
                    map_frame: None,
                    size_px,
                }
            }
            ViewKind::Map => {
                let frame = scene
                    .map
                    .clamped()
                    .frame(scene.domain.x, scene.domain.y, aspect);
                ViewGeometry {
                    view: scene.view,
                    clip_from_data: frame.clip_from_data(),
                    box_scale,
                    box_offset,
                    box_half_height: half_z,
                    eye_in_box: camera.eye_in_box(),
                    light_in_box,
                    floor_value,
                    map_frame: Some(frame),
                    size_px,
                }
            }
        }
    }

    pub fn clip_from_data_f32(&self) -> Mat4 {
        self.clip_from_data.as_mat4()
    }

    /// Clip-space position of a data point (x, y, f); on the map f is ignored.
    pub fn clip_of(&self, data: DVec3) -> DVec4 {
        self.clip_from_data * data.extend(1.0)
    }

    /// Pixel position (x right, y down, pixel centres at .5) of a data point, or `None` when it
    /// is behind the camera.
    pub fn pixel_of(&self, data: DVec3) -> Option<DVec2> {
        let clip = self.clip_of(data);
        if clip.w <= 0.0 {
            return None;
        }
        let ndc = DVec2::new(clip.x / clip.w, clip.y / clip.w);
        Some(DVec2::new(
            (ndc.x + 1.0) * 0.5 * f64::from(self.size_px[0]),
            (1.0 - ndc.y) * 0.5 * f64::from(self.size_px[1]),
        ))
    }
}

/// Steps of the ray march in 3-D picking, before bisection refines the crossing.
const PICK_STEPS: u32 = 600;
const PICK_BISECTIONS: u32 = 40;

impl ViewGeometry {
    /// The data point (x, y) under pixel `px` of the panel: exact on the map; in 3-D the first
    /// place where the eye's ray meets the surface f, found by marching along the ray in f64
    /// and bisecting the crossing. `None` off the domain or off the surface.
    pub fn pick(
        &self,
        px: DVec2,
        f: impl Fn(f64, f64) -> f64,
        domain: &Domain,
    ) -> Option<[f64; 2]> {
        let ndc = DVec2::new(
            px.x / f64::from(self.size_px[0].max(1)) * 2.0 - 1.0,
            1.0 - px.y / f64::from(self.size_px[1].max(1)) * 2.0,
        );
        let inside = |x: f64, y: f64| {
            (domain.x[0]..=domain.x[1]).contains(&x) && (domain.y[0]..=domain.y[1]).contains(&y)
        };
        if let Some(frame) = &self.map_frame {
            let p = frame.data_at_ndc(ndc);
            return inside(p.x, p.y).then_some([p.x, p.y]);
        }
        let data_from_clip = self.clip_from_data.inverse();
        let unproject = |depth: f64| {
            let p = data_from_clip * glam::DVec4::new(ndc.x, ndc.y, depth, 1.0);
            p.truncate() / p.w
        };
        let (near, far) = (unproject(0.0), unproject(1.0));
        // Above (positive) or below the surface at ray parameter t; None off the domain or
        // where f is undefined.
        let side = |t: f64| {
            let p = near.lerp(far, t);
            let value = f(p.x, p.y);
            (inside(p.x, p.y) && value.is_finite()).then(|| (p.z - value).signum())
        };
        let mut previous: Option<(f64, f64)> = None;
        for step in 0..=PICK_STEPS {
            let t = f64::from(step) / f64::from(PICK_STEPS);
            let current = side(t);
            if let (Some((t0, s0)), Some(s1)) = (previous, current)
                && s0 != s1
            {
                let (mut low, mut high) = (t0, t);
                for _ in 0..PICK_BISECTIONS {
                    let mid = 0.5 * (low + high);
                    match side(mid) {
                        Some(s) if s == s0 => low = mid,
                        _ => high = mid,
                    }
                }
                let hit = near.lerp(far, 0.5 * (low + high));
                return Some([hit.x, hit.y]);
            }
            previous = current.map(|s| (t, s));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_range_is_never_empty() {
        let constant = ValueRange::new(3.0, 3.0);
        assert!(constant.span() > 0.0 && constant.min < 3.0 && constant.max > 3.0);
        let broken = ValueRange::new(f64::NAN, 1.0);
        assert_eq!(broken, ValueRange { min: 0.0, max: 1.0 });
    }

    #[test]
    fn value_range_maps_to_the_box_height() {
        let scene = Scene::default();
        let geometry = ViewGeometry::new(&scene, ValueRange::new(0.0, 105.0), [1600, 1200]);
        let bottom = 0.0 * geometry.box_scale.z + geometry.box_offset.z;
        let top = 105.0 * geometry.box_scale.z + geometry.box_offset.z;
        assert!((bottom + 0.75).abs() < 1e-12 && (top - 0.75).abs() < 1e-12);
        assert!(geometry.floor_value < 0.0);
    }

    #[test]
    fn picking_finds_the_point_under_the_cursor_in_both_views() {
        let book = |x: f64, y: f64| x * x / 20.0 + y * y;
        for (view, pitch) in [
            (ViewKind::Map, 30.0),
            (ViewKind::ThreeD, 30.0),
            (ViewKind::ThreeD, 70.0),
        ] {
            let mut scene = Scene {
                view,
                ..Scene::default()
            };
            scene.camera.pitch_deg = pitch;
            let geometry = ViewGeometry::new(&scene, ValueRange::new(0.0, 105.0), [800, 600]);
            for [x, y] in [[5.0, 7.0], [-8.0, 9.5], [3.0, -9.0]] {
                let at = geometry
                    .pixel_of(DVec3::new(x, y, book(x, y)))
                    .unwrap_or_default();
                let [px, py] = geometry
                    .pick(at, book, &scene.domain)
                    .unwrap_or([f64::NAN; 2]);
                assert!(
                    (px - x).hypot(py - y) < 1e-6,
                    "{view:?} {pitch}: ({x}, {y}) → ({px}, {py})"
                );
            }
        }
        let geometry =
            ViewGeometry::new(&Scene::default(), ValueRange::new(0.0, 105.0), [800, 600]);
        assert_eq!(
            geometry.pick(DVec2::new(2.0, 2.0), book, &Domain::default()),
            None,
            "sky"
        );
    }

    #[test]
    fn map_view_puts_the_domain_centre_at_the_image_centre() {
        let scene = Scene {
            view: ViewKind::Map,
            ..Scene::default()
        };
        let geometry = ViewGeometry::new(&scene, ValueRange::new(0.0, 105.0), [800, 600]);
        let centre = geometry
            .pixel_of(DVec3::new(0.0, 0.0, 50.0))
            .unwrap_or_default();
        assert!(
            (centre - DVec2::new(400.0, 300.0)).length() < 1e-9,
            "{centre}"
        );
        // y up in data is up on screen.
        let above = geometry
            .pixel_of(DVec3::new(0.0, 5.0, 0.0))
            .unwrap_or_default();
        assert!(above.y < centre.y);
    }
}
