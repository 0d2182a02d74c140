//! matplotlib's colormaps, sampled at 256 points (see `tools/colormaps.py`).
//!
//! The GPU gets all of them as one 256×N texture in linear light, a row per colormap, so
//! switching colormap is a uniform change and never a pipeline rebuild.

use serde::{Deserialize, Serialize};

/// Entries per colormap, as matplotlib's default `N = 256`.
pub const SAMPLES: usize = 256;

/// 8-bit sRGB triples, one row of `SAMPLES` per colormap in `Colormap::ALL` order.
const TABLE: &[u8; SAMPLES * 3 * Colormap::ALL.len()] = include_bytes!("../assets/colormaps.rgb");

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Colormap {
    /// Blue–white–red, the memo's choice.
    #[default]
    Bwr,
    Coolwarm,
    Viridis,
    Plasma,
    Magma,
    Jet,
    Gray,
}

impl Colormap {
    pub const ALL: [Colormap; 7] = [
        Colormap::Bwr,
        Colormap::Coolwarm,
        Colormap::Viridis,
        Colormap::Plasma,
        Colormap::Magma,
        Colormap::Jet,
        Colormap::Gray,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Colormap::Bwr => "bwr",
            Colormap::Coolwarm => "coolwarm",
            Colormap::Viridis => "viridis",
            Colormap::Plasma => "plasma",
            Colormap::Magma => "magma",
            Colormap::Jet => "jet",
            Colormap::Gray => "gray",
        }
    }

    /// Row of this colormap in the texture.
    pub fn row(self) -> u32 {
        self as u32
    }

    /// The colour at `t` in [0, 1] (clamped), 8-bit sRGB, linearly interpolated between entries
    /// in sRGB values as matplotlib does. The GPU's filtered lookup interpolates in linear light
    /// instead, which lands within 0.15 of an 8-bit step of this.
    pub fn sample(self, t: f64) -> [u8; 3] {
        let position = t.clamp(0.0, 1.0) * (SAMPLES - 1) as f64;
        let lower = position.floor() as usize;
        let upper = (lower + 1).min(SAMPLES - 1);
        let weight = position - lower as f64;
        let entry =
            |i: usize, c: usize| f64::from(TABLE[(self.row() as usize * SAMPLES + i) * 3 + c]);
        std::array::from_fn(|c| {
            (entry(lower, c) * (1.0 - weight) + entry(upper, c) * weight).round() as u8
        })
    }

    /// The next colormap in `ALL`, wrapping around (the window's colormap key).
    pub fn next(self) -> Colormap {
        Colormap::ALL[(self as usize + 1) % Colormap::ALL.len()]
    }

    /// All rows as linear RGBA texels, 16-bit floats, for the GPU texture (see
    /// `create_colormap_texture` in the renderer).
    pub fn texture_linear_rgba() -> Vec<half::f16> {
        TABLE
            .chunks_exact(3)
            .flat_map(|rgb| {
                let [r, g, b] = [0, 1, 2].map(|c| srgb_to_linear(rgb[c]));
                [r, g, b, 1.0].map(half::f16::from_f32)
            })
            .collect()
    }
}

/// An 8-bit sRGB channel in linear light, 0..1.
pub fn srgb_to_linear(channel: u8) -> f32 {
    let c = f32::from(channel) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

impl std::fmt::Display for Colormap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_match_matplotlib() {
        assert_eq!(Colormap::Bwr.sample(0.0), [0, 0, 255]);
        assert_eq!(Colormap::Bwr.sample(1.0), [255, 0, 0]);
        // viridis runs from dark purple to yellow.
        assert_eq!(Colormap::Viridis.sample(0.0), [68, 1, 84]);
        assert_eq!(Colormap::Viridis.sample(1.0), [253, 231, 37]);
        assert_eq!(Colormap::Gray.sample(0.0), [0, 0, 0]);
        assert_eq!(Colormap::Gray.sample(1.0), [255, 255, 255]);
    }

    #[test]
    fn names_round_trip_through_serde() {
        for colormap in Colormap::ALL {
            let text = toml::to_string(&std::collections::BTreeMap::from([("c", colormap)]))
                .unwrap_or_default();
            assert_eq!(text.trim(), format!("c = \"{}\"", colormap.name()));
        }
    }
}
