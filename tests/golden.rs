//! Headless renders of the book's function, probed where the geometry is known and compared
//! with a reference image.

mod common;

use glam::DVec3;
use gradscape::render::capture::Image;
use gradscape::scene::{Layers, Panels, Scene, ViewKind};

const SIZE: [u32; 2] = [400, 300];

/// The book's function alone: the surface (3-D) or the colormapped map, no overlays.
fn scene() -> Scene {
    Scene {
        grid: 128,
        layers: Layers {
            surface: true,
            ..Layers::NONE
        },
        runs: Vec::new(),
        ..Scene::default()
    }
}

fn is_background(pixel: [u8; 4]) -> bool {
    pixel == [255, 255, 255, 255]
}

/// bwr's low end is pure blue; shading darkens it but keeps it blue.
fn is_low_end_blue(pixel: [u8; 4]) -> bool {
    pixel[2] > 140 && pixel[0] < 90 && pixel[1] < 90
}

fn probe(image: &Image, at: glam::DVec2) -> [u8; 4] {
    image.pixel(at.x.floor() as u32, at.y.floor() as u32)
}

#[test]
fn the_image_has_the_requested_size_and_background_corners() {
    let (image, _) = common::render(&scene(), SIZE);
    assert_eq!((image.width, image.height), (400, 300));
    assert_eq!(image.rgba.len(), 400 * 300 * 4);
    for (x, y) in [(0, 0), (399, 0), (0, 299), (399, 299)] {
        assert!(
            is_background(image.pixel(x, y)),
            "corner ({x}, {y}): {:?}",
            image.pixel(x, y)
        );
    }
}

#[test]
fn the_minimum_is_drawn_in_the_low_end_of_the_colormap_where_the_camera_projects_it() {
    // From higher up the valley floor is in plain sight.
    let mut scene = scene();
    scene.camera.pitch_deg = 70.0;
    let (image, prepared) = common::render(&scene, SIZE);
    let at = prepared
        .image_pixel_of(0, DVec3::new(0.0, 0.0, 0.0))
        .expect("the minimum is in front of the camera");
    let pixel = probe(&image, at);
    assert!(is_low_end_blue(pixel), "minimum at {at}: {pixel:?}");
}

#[test]
fn the_surface_is_depth_tested() {
    // In matplotlib's default view the valley's near wall hides its floor: the pixel where the
    // minimum projects shows the wall in front of it (about halfway up, f ≈ 47, a pale blue),
    // not the pure blue of the floor.
    let (image, prepared) = common::render(&scene(), SIZE);
    let at = prepared
        .image_pixel_of(0, DVec3::new(0.0, 0.0, 0.0))
        .expect("the minimum is in front of the camera");
    let pixel = probe(&image, at);
    assert!(
        !is_low_end_blue(pixel) && !is_background(pixel) && pixel[0] > 60,
        "expected the near wall at {at}, got {pixel:?}"
    );
}

#[test]
fn another_yaw_gives_another_image() {
    let (first, _) = common::render(&scene(), SIZE);
    let mut turned = scene();
    turned.camera.yaw_deg = 30.0;
    let (second, _) = common::render(&turned, SIZE);
    let differing = common::count_differing(&first, &second, 0);
    assert!(
        differing > 400 * 300 / 10,
        "only {differing} pixels changed"
    );
}

#[test]
fn the_map_view_puts_the_minimum_at_the_centre() {
    let scene = Scene {
        view: ViewKind::Map,
        ..scene()
    };
    let (image, prepared) = common::render(&scene, SIZE);
    let [x, y, width, height] = prepared.panels[0];
    let panel_centre = glam::DVec2::new(
        f64::from(x) + f64::from(width) / 2.0,
        f64::from(y) + f64::from(height) / 2.0,
    );
    let centre = probe(&image, panel_centre);
    assert!(is_low_end_blue(centre), "centre {centre:?}");
    let minimum = prepared
        .image_pixel_of(0, DVec3::ZERO)
        .expect("map projection");
    assert!((minimum - panel_centre).length() < 1e-9);
    // (±10, ±10) is the maximum, 105: the high (red) end.
    let corner = prepared
        .image_pixel_of(0, DVec3::new(9.9, 9.9, 0.0))
        .expect("map projection");
    let pixel = probe(&image, corner);
    assert!(
        pixel[0] > 200 && pixel[1] < 60 && pixel[2] < 60,
        "corner {pixel:?}"
    );
    assert!(is_background(image.pixel(0, 150)), "left margin");
}

#[test]
fn the_book_figure_matches_its_reference() {
    let (image, _) = common::render(&scene(), SIZE);
    common::assert_matches_reference("book-3d", &image);
}

#[test]
fn the_map_matches_its_reference() {
    let scene = Scene {
        view: ViewKind::Map,
        ..scene()
    };
    let (image, _) = common::render(&scene, SIZE);
    common::assert_matches_reference("book-map", &image);
}

#[test]
fn the_book_comparison_matches_its_reference() {
    let mut scene = Scene::default();
    gradscape::presets::apply("book-compare", &mut scene).expect("preset");
    scene.grid = 128;
    let (image, _) = common::render(&scene, SIZE);
    common::assert_matches_reference("book-compare", &image);
}

#[test]
fn every_3d_layer_together_matches_its_reference() {
    let mut scene = Scene {
        grid: 128,
        layers: "surface,contours3d,floor-contours,arrows,paths"
            .parse()
            .expect("layers"),
        ..Scene::default()
    };
    scene.camera.pitch_deg = 50.0;
    let (image, _) = common::render(&scene, SIZE);
    common::assert_matches_reference("layers-3d", &image);
}

#[test]
fn screenshots_are_final_quality_even_while_the_camera_moves() {
    let scene = scene();
    let (settled, _) = common::render(&scene, SIZE);
    let mut renderer = common::renderer();
    renderer.set_quality(gradscape::render::Quality::Interactive);
    let moving = renderer.render_image(&scene, SIZE).expect("render");
    assert_eq!(moving, settled);
    assert_eq!(renderer.quality(), gradscape::render::Quality::Interactive);
}

#[test]
fn multisampling_only_the_scenes_region_leaves_nothing_out() {
    let book = Scene {
        grid: 64,
        ..Scene::default()
    };
    let mut every_layer = book.clone();
    for name in Layers::NAMES {
        *every_layer.layers.get_mut(name).expect("a layer name") = true;
    }
    every_layer.layers.filled = false;
    let mut zoomed_in = every_layer.clone();
    zoomed_in.camera.distance = 3.0;
    let mut inside_the_box = book.clone();
    inside_the_box.camera.distance = 1.2;
    let mut diverging = every_layer.clone();
    diverging.runs = vec!["sgd:lr=1.2".parse().expect("a run")];
    let mut diverging_on_the_map = diverging.clone();
    diverging_on_the_map.view = ViewKind::Map;
    let per_run = Scene {
        panels: Panels::PerRun,
        ..every_layer.clone()
    };
    for (name, scene) in [
        ("book", book),
        ("every layer", every_layer),
        ("zoomed in", zoomed_in),
        ("inside the box", inside_the_box),
        ("diverging", diverging),
        ("diverging on the map", diverging_on_the_map),
        ("a panel per run", per_run),
    ] {
        let mut renderer = common::renderer();
        let region = renderer.render_image(&scene, SIZE).expect("render");
        renderer.set_multisample_whole_target(true);
        let whole = renderer.render_image(&scene, SIZE).expect("render");
        // Only rounding differs: the region moves the viewport by whole pixels.
        let differing = common::count_differing(&region, &whole, 24);
        assert!(differing < 40, "{name}: {differing} pixels differ");
    }
}

#[test]
fn an_image_larger_than_a_texture_is_rendered_in_tiles() {
    // Tiles of 128 pixels stand in for the device's largest texture.
    let scene = Scene {
        grid: 128,
        ..Scene::default()
    };
    let (whole, _) = common::render(&scene, SIZE);
    let mut renderer = common::renderer();
    renderer.set_max_tile_side(Some(128));
    let tiled = renderer.render_image(&scene, SIZE).expect("tiled render");
    assert_eq!((tiled.width, tiled.height), (400, 300));
    let differing = common::count_differing(&whole, &tiled, 24);
    assert!(
        differing < 120,
        "{differing} pixels differ between tiles and one piece"
    );
}
