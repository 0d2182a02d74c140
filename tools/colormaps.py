"""Writes assets/colormaps.rgb: matplotlib's colormaps sampled at 256 points, 8-bit sRGB.

Run with matplotlib installed, from the repository root:  python3 tools/colormaps.py
The order of the rows must match `Colormap::ALL` in src/colormap.rs.
"""
import matplotlib
import numpy as np

NAMES = ["bwr", "coolwarm", "viridis", "plasma", "magma", "jet", "gray"]

with open("assets/colormaps.rgb", "wb") as out:
    for name in NAMES:
        rgba = matplotlib.colormaps[name](np.linspace(0.0, 1.0, 256))
        out.write(np.round(rgba[:, :3] * 255.0).astype(np.uint8).tobytes())
print("matplotlib", matplotlib.__version__, "->", ", ".join(NAMES))
