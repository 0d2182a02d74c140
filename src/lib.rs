//! # gradscape
//!
//! Explore a function of two variables and the paths optimizers take across it.

#![forbid(unsafe_code)]

pub mod function;
pub mod optim;
