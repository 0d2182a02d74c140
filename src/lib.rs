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
//! * [`app`]: the winit window, which only turns input into Scene edits.
//!
//! Only `render` and `app` know about wgpu; the maths is tested without a GPU.

#![forbid(unsafe_code)]

pub mod app;
pub mod axes;
pub mod bench;
pub mod camera;
pub mod colormap;
pub mod figure;
pub mod function;
pub mod levels;
pub mod optim;
pub mod presets;
pub mod render;
pub mod scene;
pub mod ticks;
pub mod view;
