//! # gradscape
//!
//! Explore a function of two variables and the paths optimizers take across it, live, on the
//! GPU.
//!
//! ```text
//!  Scene (pure data)  ──►  Renderer::prepare(&Scene)  ──►  Renderer::encode(encoder, view)
//!    ▲                                                        │
//!    │ edits                                                  ├─► window surface        (app)
//!  window input / CLI flags                                   ├─► offscreen texture → PNG (screenshots, `render`)
//!                                                             └─► offscreen texture → test assertions
//! ```
//!
//! * [`scene`]: what a figure shows, as plain data.
//! * [`function`]: expressions → a flat tape → f64 evaluator, exact symbolic gradient, WGSL.
//! * [`camera`] and [`view`]: the orbit and map cameras and where data lands on screen.
//! * [`render`]: the GPU side: a compute pass evaluates the field once per change, render
//!   passes draw it into any texture view.
//! * [`optim`]: the optimizers, stepped on the CPU in f64, and their paths.
//! * [`levels`], [`ticks`], [`colormap`]: contour levels, axis ticks and colormaps as
//!   matplotlib chooses them.
//! * [`axes`] and [`figure`]: the 3-D box and everything around the data (titles, ticks,
//!   colorbar, legend), as line batches and text.
//! * [`presets`]: the memo's figures by name.
//! * [`app`]: the winit window, which only turns input into Scene edits.
//! * [`bench`]: `gradscape bench`.
//!
//! Only `render`, `app` and `bench` know about wgpu; the maths is tested without a GPU.

#![forbid(unsafe_code)]

pub mod app;
pub mod axes;
pub mod bench;
pub mod camera;
pub mod colormap;
pub mod figure;
pub mod function;
pub mod huge_pages;
pub mod levels;
pub mod optim;
pub mod presets;
pub mod render;
pub mod scene;
pub mod ticks;
mod typo;
pub mod view;
