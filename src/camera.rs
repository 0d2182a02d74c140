//! The two cameras: an orbit camera for the 3-D view and an orthographic camera for the 2-D map.
//!
//! Pure maths on glam types, no GPU. Transforms are named right to left: `clip_from_box` maps a
//! point in box space to clip space.
//!
//! * **Box space** is where the 3-D figure lives: the domain's x and y are normalised to
//!   [-1, 1] each and the value range to [-0.75, 0.75]·z-scale, the proportions (4:4:3) of
//!   matplotlib's default 3-D axes. The orbit camera circles the box.
//! * **Data space** is the function's own (x, y). The map camera shows it from above with equal
//!   aspect, so circles stay circles.

use glam::{DMat4, DVec2, Mat4, Vec2, Vec3};
use serde::{Deserialize, Serialize};

/// matplotlib's default 3-D view: `azim = -60°`, `elev = 30°`.
pub const DEFAULT_YAW_DEG: f32 = -60.0;
pub const DEFAULT_PITCH_DEG: f32 = 30.0;
/// Frames the whole box, as matplotlib's default view does, for a 4:3 figure.
pub const DEFAULT_DISTANCE: f32 = 8.8;
/// Looking straight down or up would make the up vector degenerate and the view flip over the
/// pole; stop just short of it.
pub const MAX_PITCH_DEG: f32 = 89.0;
pub const MIN_DISTANCE: f32 = 1.2;
pub const MAX_DISTANCE: f32 = 60.0;
/// A narrow field of view gives the mild perspective of matplotlib's 3-D axes. This is the
/// vertical field of a 4:3 view; narrower views widen it so the box still fits across.
pub const FOV_Y_DEG: f32 = 24.0;
/// The aspect ratio (width / height) the default framing is made for.
const FRAMED_ASPECT: f32 = 4.0 / 3.0;

/// tan(fov_y / 2) for a viewport of `aspect`: the vertical field of view grows on views
/// narrower than 4:3, so the figure keeps its width.
pub fn tan_half_fov(aspect: f32) -> f32 {
    (FOV_Y_DEG.to_radians() * 0.5).tan() * (FRAMED_ASPECT / aspect.max(1e-6)).max(1.0)
}
/// Half-extents of the figure box before the z-scale is applied (matplotlib's 4:4:3 box).
pub const BOX_HALF_EXTENTS: Vec3 = Vec3::new(1.0, 1.0, 0.75);

/// Degrees of orbit per pixel of mouse drag.
const ORBIT_DEG_PER_PX: f32 = 0.3;
/// Map zoom limits, relative to the view that fits the domain.
pub const MIN_MAP_ZOOM: f64 = 0.05;
pub const MAX_MAP_ZOOM: f64 = 1.0e4;
/// Blank border around the domain in the map view that fits it.
const MAP_FIT_MARGIN: f64 = 1.06;

/// Orbit camera of the 3-D view. `yaw_deg` is matplotlib's azimuth and `pitch_deg` its
/// elevation, so `--yaw -60 --pitch 30` gives matplotlib's default view.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrbitCamera {
    pub yaw_deg: f32,
    pub pitch_deg: f32,
    /// Eye-to-target distance in box units.
    pub distance: f32,
    /// The point the camera circles, in box space.
    pub target: Vec3,
}

impl Default for OrbitCamera {
    fn default() -> Self {
        Self {
            yaw_deg: DEFAULT_YAW_DEG,
            pitch_deg: DEFAULT_PITCH_DEG,
            distance: DEFAULT_DISTANCE,
            target: Vec3::ZERO,
        }
    }
}

impl OrbitCamera {
    /// Keeps the camera inside its limits; call after any edit from outside (flags, files).
    pub fn clamped(mut self) -> Self {
        self.pitch_deg = self.pitch_deg.clamp(-MAX_PITCH_DEG, MAX_PITCH_DEG);
        self.distance = self.distance.clamp(MIN_DISTANCE, MAX_DISTANCE);
        self.yaw_deg = self.yaw_deg.rem_euclid(360.0);
        if self.yaw_deg > 180.0 {
            self.yaw_deg -= 360.0;
        }
        self
    }

    /// Unit vector from the target towards the eye (matplotlib's convention for azim/elev).
    pub fn backward(&self) -> Vec3 {
        let (yaw, pitch) = (self.yaw_deg.to_radians(), self.pitch_deg.to_radians());
        Vec3::new(
            pitch.cos() * yaw.cos(),
            pitch.cos() * yaw.sin(),
            pitch.sin(),
        )
    }

    pub fn eye_in_box(&self) -> Vec3 {
        self.target + self.backward() * self.distance
    }

    pub fn view_from_box(&self) -> Mat4 {
        Mat4::look_at_rh(self.eye_in_box(), self.target, Vec3::Z)
    }

    /// Depth range hugs the box (whatever the z-scale) so depth precision is spent where the
    /// figure is.
    pub fn clip_from_view(&self, aspect: f32, z_scale: f32) -> Mat4 {
        let radius = (BOX_HALF_EXTENTS * Vec3::new(1.0, 1.0, z_scale.max(1.0))).length() + 0.5;
        let centre_depth = self.distance + self.target.length();
        let near = (centre_depth - radius).max(self.distance * 0.02);
        let far = centre_depth + radius;
        let fov_y = 2.0 * tan_half_fov(aspect).atan();
        Mat4::perspective_rh(fov_y, aspect.max(1e-6), near, far)
    }

    pub fn clip_from_box(&self, aspect: f32, z_scale: f32) -> Mat4 {
        self.clip_from_view(aspect, z_scale) * self.view_from_box()
    }

    /// Camera right and up axes in box space.
    fn right_up(&self) -> (Vec3, Vec3) {
        let forward = -self.backward();
        let right = forward.cross(Vec3::Z).normalize_or_zero();
        let up = right.cross(forward).normalize_or_zero();
        (right, up)
    }

    /// Half-height of the view, in box units, at the target's depth.
    fn half_height_at_target(&self, aspect: f32) -> f32 {
        self.distance * tan_half_fov(aspect)
    }

    /// Left-drag: dragging right turns the figure to the right, dragging down tilts it towards
    /// the viewer. The pitch stops short of the poles so the view never flips.
    pub fn orbit_by_pixels(&mut self, delta_px: Vec2) {
        self.yaw_deg -= delta_px.x * ORBIT_DEG_PER_PX;
        self.pitch_deg += delta_px.y * ORBIT_DEG_PER_PX;
        *self = self.clamped();
    }

    /// Right/middle-drag: the point under the cursor follows the cursor.
    pub fn pan_by_pixels(&mut self, delta_px: Vec2, viewport_px: Vec2) {
        let aspect = viewport_px.x / viewport_px.y.max(1.0);
        let box_per_px = 2.0 * self.half_height_at_target(aspect) / viewport_px.y.max(1.0);
        let (right, up) = self.right_up();
        self.target += (-right * delta_px.x + up * delta_px.y) * box_per_px;
    }

    /// Scroll: scales the distance by `factor` (< 1 zooms in) while the point under the cursor,
    /// on the plane through the target facing the camera, stays under the cursor.
    /// `cursor_ndc` is in [-1, 1]², y up.
    pub fn zoom_towards(&mut self, factor: f32, cursor_ndc: Vec2, aspect: f32) {
        let old_distance = self.distance;
        self.distance = (self.distance * factor).clamp(MIN_DISTANCE, MAX_DISTANCE);
        let applied = self.distance / old_distance;
        let half_height = old_distance * tan_half_fov(aspect);
        let (right, up) = self.right_up();
        let under_cursor =
            right * (cursor_ndc.x * half_height * aspect) + up * (cursor_ndc.y * half_height);
        self.target += under_cursor * (1.0 - applied);
    }
}

/// Top-down camera of the map view, in data units, equal aspect.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MapCamera {
    /// Centre of the view in data coordinates; `None` centres the domain.
    pub center: Option<[f64; 2]>,
    /// 1 shows the whole domain; 2 shows half as much in each direction.
    pub zoom: f64,
}

impl Default for MapCamera {
    fn default() -> Self {
        Self {
            center: None,
            zoom: 1.0,
        }
    }
}

/// The visible data rectangle of a map view: centre and half-extents.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapFrame {
    pub center: DVec2,
    pub half: DVec2,
}

impl MapFrame {
    /// Orthographic projection of data (x, y, f) to clip space. The map is flat: every point
    /// lands at mid depth whatever its f, and layers stack in drawing order.
    pub fn clip_from_data(&self) -> DMat4 {
        DMat4::from_cols(
            glam::DVec4::new(1.0 / self.half.x, 0.0, 0.0, 0.0),
            glam::DVec4::new(0.0, 1.0 / self.half.y, 0.0, 0.0),
            glam::DVec4::ZERO,
            glam::DVec4::new(
                -self.center.x / self.half.x,
                -self.center.y / self.half.y,
                0.5,
                1.0,
            ),
        )
    }

    /// Data point under a cursor given in normalised device coordinates (y up).
    pub fn data_at_ndc(&self, ndc: DVec2) -> DVec2 {
        self.center + ndc * self.half
    }

    /// Normalised device coordinates of a data point.
    pub fn ndc_of_data(&self, data: DVec2) -> DVec2 {
        (data - self.center) / self.half
    }
}

impl MapCamera {
    pub fn clamped(mut self) -> Self {
        self.zoom = self.zoom.clamp(MIN_MAP_ZOOM, MAX_MAP_ZOOM);
        self
    }

    /// The visible rectangle for a domain `[x0, x1] × [y0, y1]` and a viewport aspect (w/h).
    pub fn frame(&self, domain_x: [f64; 2], domain_y: [f64; 2], aspect: f64) -> MapFrame {
        let half_x = 0.5 * (domain_x[1] - domain_x[0]);
        let half_y = 0.5 * (domain_y[1] - domain_y[0]);
        let fit_half_height = half_y.max(half_x / aspect) * MAP_FIT_MARGIN;
        let half_height = fit_half_height / self.zoom;
        let center = self.center.map_or(
            DVec2::new(
                0.5 * (domain_x[0] + domain_x[1]),
                0.5 * (domain_y[0] + domain_y[1]),
            ),
            DVec2::from,
        );
        MapFrame {
            center,
            half: DVec2::new(half_height * aspect, half_height),
        }
    }

    /// Drag: the data point under the cursor follows it.
    pub fn pan_by_pixels(&mut self, frame: &MapFrame, delta_px: Vec2, viewport_height_px: f32) {
        let data_per_px = 2.0 * frame.half.y / f64::from(viewport_height_px.max(1.0));
        let delta = DVec2::new(-f64::from(delta_px.x), f64::from(delta_px.y)) * data_per_px;
        self.center = Some((frame.center + delta).into());
    }

    /// Scroll: multiplies the zoom by `1/factor` keeping the data point under the cursor fixed.
    pub fn zoom_towards(&mut self, frame: &MapFrame, factor: f64, cursor_ndc: DVec2) {
        let old_zoom = self.zoom;
        self.zoom = (self.zoom / factor).clamp(MIN_MAP_ZOOM, MAX_MAP_ZOOM);
        let applied = old_zoom / self.zoom;
        let anchor = frame.data_at_ndc(cursor_ndc);
        let new_center = anchor - cursor_ndc * frame.half * applied;
        self.center = Some(new_center.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(clip_from_box: Mat4, p: Vec3) -> Vec2 {
        let clip = clip_from_box * p.extend(1.0);
        Vec2::new(clip.x / clip.w, clip.y / clip.w)
    }

    #[test]
    fn target_projects_to_the_centre() {
        let camera = OrbitCamera::default();
        let ndc = project(camera.clip_from_box(4.0 / 3.0, 1.0), Vec3::ZERO);
        assert!(ndc.length() < 1e-6, "{ndc}");
    }

    #[test]
    fn matplotlib_default_view_sees_the_box_from_front_right_above() {
        let camera = OrbitCamera::default();
        let eye = camera.eye_in_box();
        assert!(eye.x > 0.0 && eye.y < 0.0 && eye.z > 0.0, "{eye}");
        let clip_from_box = camera.clip_from_box(4.0 / 3.0, 1.0);
        // +x runs left to right along the front and +z points up the screen.
        let x_axis = project(clip_from_box, Vec3::X) - project(clip_from_box, Vec3::ZERO);
        let z_axis = project(clip_from_box, Vec3::Z) - project(clip_from_box, Vec3::ZERO);
        assert!(x_axis.x > 0.0, "{x_axis}");
        assert!(z_axis.y > 0.0 && z_axis.x.abs() < 1e-6, "{z_axis}");
    }

    #[test]
    fn default_view_frames_the_whole_box() {
        let camera = OrbitCamera::default();
        let clip_from_box = camera.clip_from_box(4.0 / 3.0, 1.0);
        for corner in 0..8 {
            let sign = |bit: u32| if corner & bit == 0 { -1.0 } else { 1.0 };
            let p = BOX_HALF_EXTENTS * Vec3::new(sign(1), sign(2), sign(4));
            let ndc = project(clip_from_box, p);
            assert!(ndc.abs().max_element() < 0.95, "corner {p} at {ndc}");
        }
    }

    #[test]
    fn top_down_view_at_yaw_minus_90_keeps_axes_upright() {
        let camera = OrbitCamera {
            yaw_deg: -90.0,
            pitch_deg: 89.0,
            ..OrbitCamera::default()
        };
        let clip_from_box = camera.clip_from_box(1.0, 1.0);
        let origin = project(clip_from_box, Vec3::ZERO);
        let x = project(clip_from_box, Vec3::X) - origin;
        let y = project(clip_from_box, Vec3::Y) - origin;
        assert!(x.x > 0.0 && x.y.abs() < 0.05 * x.x, "{x}");
        assert!(y.y > 0.0 && y.x.abs() < 0.05 * y.y, "{y}");
    }

    #[test]
    fn orbit_never_flips_over_the_poles() {
        let mut camera = OrbitCamera::default();
        camera.orbit_by_pixels(Vec2::new(0.0, 10_000.0));
        assert_eq!(camera.pitch_deg, MAX_PITCH_DEG);
        camera.orbit_by_pixels(Vec2::new(0.0, -100_000.0));
        assert_eq!(camera.pitch_deg, -MAX_PITCH_DEG);
        // Still a valid, finite view matrix at the limit.
        assert!(camera.view_from_box().is_finite());
        camera.orbit_by_pixels(Vec2::new(1.0e6, 0.0));
        assert!((-180.0..=180.0).contains(&camera.yaw_deg));
    }

    #[test]
    fn zoom_is_bounded() {
        let mut camera = OrbitCamera::default();
        for _ in 0..200 {
            camera.zoom_towards(0.5, Vec2::ZERO, 1.0);
        }
        assert_eq!(camera.distance, MIN_DISTANCE);
        for _ in 0..200 {
            camera.zoom_towards(2.0, Vec2::ZERO, 1.0);
        }
        assert_eq!(camera.distance, MAX_DISTANCE);
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let mut camera = OrbitCamera::default();
        let aspect = 1.5;
        let cursor = Vec2::new(0.4, -0.3);
        // The point under the cursor on the target plane, before zooming.
        let (right, up) = camera.right_up();
        let half_height = camera.half_height_at_target(aspect);
        let anchor = camera.target
            + right * (cursor.x * half_height * aspect)
            + up * (cursor.y * half_height);
        camera.zoom_towards(0.7, cursor, aspect);
        let after = project(camera.clip_from_box(aspect, 1.0), anchor);
        assert!((after - cursor).length() < 1e-4, "{after} vs {cursor}");
    }

    #[test]
    fn pan_moves_the_target_with_the_cursor() {
        let mut camera = OrbitCamera::default();
        let before = project(camera.clip_from_box(1.0, 1.0), Vec3::ZERO);
        camera.pan_by_pixels(Vec2::new(100.0, 0.0), Vec2::new(1000.0, 1000.0));
        let after = project(camera.clip_from_box(1.0, 1.0), Vec3::ZERO);
        // 100 px of 1000 px height is 0.2 in NDC.
        assert!(
            (after.x - before.x - 0.2).abs() < 1e-4,
            "{before} → {after}"
        );
    }

    #[test]
    fn map_frame_fits_the_domain_with_equal_aspect() {
        let camera = MapCamera::default();
        let frame = camera.frame([-10.0, 10.0], [-5.0, 5.0], 4.0 / 3.0);
        assert_eq!(frame.center, DVec2::ZERO);
        assert!(frame.half.x >= 10.0 && frame.half.y >= 5.0);
        assert!((frame.half.x / frame.half.y - 4.0 / 3.0).abs() < 1e-12);
        let ndc = frame.ndc_of_data(DVec2::new(10.0, 0.0));
        assert!(ndc.x > 0.9 && ndc.x < 1.0, "{ndc}");
    }

    #[test]
    fn map_zoom_keeps_the_point_under_the_cursor_and_is_bounded() {
        let mut camera = MapCamera::default();
        let (dx, dy) = ([-10.0, 10.0], [-10.0, 10.0]);
        let frame = camera.frame(dx, dy, 1.0);
        let cursor = DVec2::new(0.5, 0.25);
        let anchor = frame.data_at_ndc(cursor);
        camera.zoom_towards(&frame, 0.5, cursor);
        let after = camera.frame(dx, dy, 1.0).ndc_of_data(anchor);
        assert!((after - cursor).length() < 1e-12, "{after}");
        for _ in 0..100 {
            let frame = camera.frame(dx, dy, 1.0);
            camera.zoom_towards(&frame, 0.1, cursor);
        }
        assert_eq!(camera.zoom, MAX_MAP_ZOOM);
        for _ in 0..100 {
            let frame = camera.frame(dx, dy, 1.0);
            camera.zoom_towards(&frame, 10.0, cursor);
        }
        assert_eq!(camera.zoom, MIN_MAP_ZOOM);
    }
}
