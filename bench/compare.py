#!/usr/bin/env python3
"""One measured run of matplotlib or PyVista/VTK on gradscape's figure, for `gradscape bench`.

    python bench/compare.py --tool matplotlib|pyvista --task surface|contour|quiver|redraw \
        --grid N --size WxH --out file.png

The figure is f(x, y) = x²/20 + y² sampled on an N×N grid over [-10, 10]², drawn at exactly
W×H pixels. Each invocation does one run so the caller can time whole processes and alternate
the tools. Prints one line of JSON on stdout; `seconds` is the wall time of the task's own
section (`surface`: figure built, drawn and written to the PNG; `contour`, `quiver`: built and
drawn, the PNG written untimed; `redraw`: the single redraw after a rotation), without
interpreter start-up and imports; `peak_rss_mib` is the process's peak RSS.

Exit status: 0 done, 1 the tool failed, 2 bad arguments, 3 the tool is not installed,
4 the tool does not implement this task.
"""
import argparse
import importlib
import json
import os
import platform
import resource
import sys
import time

EXIT_FAILED = 1
EXIT_MISSING = 3
EXIT_UNSUPPORTED = 4

DOMAIN = (-10.0, 10.0)
COLORMAP = "bwr"
CONTOUR_LEVELS = 100
ARROWS_PER_SIDE = 20
# matplotlib's default 3-D view, and the view after the rotation that `redraw` times.
ELEV, AZIM = 30.0, -60.0
REDRAW_AZIM = -30.0
# matplotlib draws 3-D axes in a 4:4:3 box whatever the data's range (z spans 105 here, x and y
# 20); PyVista draws true proportions. Scaling z to the same box gives both tools a surface of
# about the same on-screen footprint, so they fill a comparable number of pixels.
BOX_Z_OVER_X = 3.0 / 4.0


class Failure(Exception):
    """An error with the exit status it should end the process with."""

    def __init__(self, message, status=EXIT_FAILED):
        super().__init__(message)
        self.status = status


def parse_size(text):
    try:
        width, height = (int(side) for side in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WxH, e.g. 1600x1200") from None
    if width < 1 or height < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: both sides must be at least one pixel")
    return width, height


def grid_size(text):
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError("the grid needs at least 2 nodes per side")
    return value


def import_tool(module):
    """Imports a tool's module, turning its absence into a clear exit."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise Failure(
            f"{module} is not importable by {sys.executable} ({error}); run bench/setup.sh and "
            "use the python it prints",
            EXIT_MISSING,
        ) from None


def sample(np, n):
    x = np.linspace(*DOMAIN, n)
    X, Y = np.meshgrid(x, x)
    return X, Y, X**2 / 20.0 + Y**2


# --- matplotlib ---------------------------------------------------------------------------------


def matplotlib_run(task, n, size, out):
    """Returns (timed seconds, versions)."""
    matplotlib = import_tool("matplotlib")
    matplotlib.use("Agg")  # the raster backend: no display needed
    np = import_tool("numpy")
    plt = import_tool("matplotlib.pyplot")

    def figure():
        return plt.figure(figsize=(size[0] / 100, size[1] / 100), dpi=100)

    def surface_axes():
        fig = figure()
        ax = fig.add_subplot(projection="3d")
        X, Y, Z = sample(np, n)
        ax.plot_surface(X, Y, Z, rstride=1, cstride=1, cmap=COLORMAP)
        ax.view_init(elev=ELEV, azim=AZIM)
        return fig, ax

    def contour_axes(with_arrows):
        fig = figure()
        ax = fig.add_subplot()
        X, Y, Z = sample(np, n)
        ax.contour(X, Y, Z, levels=CONTOUR_LEVELS, cmap=COLORMAP)
        if with_arrows:
            a = np.linspace(*DOMAIN, ARROWS_PER_SIDE)
            AX, AY = np.meshgrid(a, a)
            ax.quiver(AX, AY, -AX / 10.0, -2.0 * AY)  # -∇f = (-x/10, -2y)
        return fig

    start = time.perf_counter()
    if task == "redraw":
        fig, ax = surface_axes()
        fig.canvas.draw()  # the figure as first shown, not timed
        start = time.perf_counter()
        ax.view_init(elev=ELEV, azim=REDRAW_AZIM)
        fig.canvas.draw()
        seconds = time.perf_counter() - start
        # Writes the pixels just drawn: savefig would draw the figure a second time.
        plt.imsave(out, np.asarray(fig.canvas.buffer_rgba()))
    elif task == "surface":
        fig = surface_axes()[0]
        fig.savefig(out, dpi=100)
        seconds = time.perf_counter() - start
    else:
        # Built and drawn, as a gradscape frame is; the PNG is written untimed.
        fig = contour_axes(task == "quiver")
        fig.canvas.draw()
        seconds = time.perf_counter() - start
        plt.imsave(out, np.asarray(fig.canvas.buffer_rgba()))
    return seconds, {
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
        "backend": matplotlib.get_backend(),
    }


# --- PyVista / VTK ------------------------------------------------------------------------------


def pyvista_run(task, n, size, out):
    """Returns (timed seconds, versions)."""
    if task not in ("surface", "redraw"):
        raise Failure(f"pyvista: task {task!r} is matplotlib only", EXIT_UNSUPPORTED)
    # EGL renders off-screen on whatever GL the system has (llvmpipe here) with no X server.
    # Without this VTK first tries X, warns "bad X server connection" and then falls back to EGL.
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    np = import_tool("numpy")
    pv = import_tool("pyvista")
    vtk = import_tool("vtkmodules.vtkCommonCore")
    # PyVista's default theme enables 8× MSAA; gradscape and matplotlib's Agg are compared AA off.
    pv.global_theme.anti_aliasing = None

    def view_direction(elev, azim):
        """Unit vector from the focal point to the eye, in matplotlib's convention."""
        e, a = np.radians(elev), np.radians(azim)
        return np.array([np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), np.sin(e)])

    def look_from(plotter, elev, azim):
        camera = plotter.camera
        focal = np.array(camera.focal_point)
        distance = np.linalg.norm(np.array(camera.position) - focal)
        camera.position = focal + distance * view_direction(elev, azim)
        camera.up = (0.0, 0.0, 1.0)
        plotter.renderer.reset_camera_clipping_range()

    def build():
        X, Y, Z = sample(np, n)
        z_scale = BOX_Z_OVER_X * (DOMAIN[1] - DOMAIN[0]) / np.ptp(Z)
        grid = pv.StructuredGrid(X, Y, Z * z_scale)
        plotter = pv.Plotter(off_screen=True, window_size=list(size))
        # StructuredGrid numbers its points in Fortran order; the scalars must follow them.
        # No lighting and no scalar bar, as matplotlib's colormapped surface has neither.
        plotter.add_mesh(
            grid, scalars=Z.ravel(order="F"), cmap=COLORMAP, lighting=False, show_scalar_bar=False
        )
        camera = plotter.camera
        camera.focal_point = (0.0, 0.0, 0.0)
        camera.position = view_direction(ELEV, AZIM)
        camera.up = (0.0, 0.0, 1.0)
        plotter.reset_camera()  # keeps the direction, fits the distance to the surface
        return plotter

    start = time.perf_counter()
    plotter = build()
    if task == "redraw":
        plotter.show(auto_close=False)  # the first frame compiles shaders and uploads the mesh
        start = time.perf_counter()
        look_from(plotter, ELEV, REDRAW_AZIM)
        plotter.render()
        # Rendering is asynchronous; glFinish makes the time include the drawing itself.
        plotter.render_window.WaitForCompletion()
        seconds = time.perf_counter() - start
        plotter.screenshot(out)
    else:
        plotter.screenshot(out)
        seconds = time.perf_counter() - start

    window = plotter.render_window
    capabilities = window.ReportCapabilities()
    renderer = next(
        (line.split(":", 1)[1].strip() for line in capabilities.splitlines()
         if line.startswith("OpenGL renderer string")),
        None,
    )
    if renderer is None:
        raise Failure(f"pyvista: no OpenGL context ({window.GetClassName()}):\n{capabilities}")
    if window.GetMultiSamples():
        raise Failure(f"pyvista: anti-aliasing is on ({window.GetMultiSamples()} samples)")
    plotter.close()
    return seconds, {
        "numpy": np.__version__,
        "pyvista": pv.__version__,
        "vtk": vtk.vtkVersion.GetVTKVersion(),
        "render_window": window.GetClassName(),
        "gl_renderer": renderer,
    }


RUNS = {"matplotlib": matplotlib_run, "pyvista": pyvista_run}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tool", required=True, choices=sorted(RUNS))
    parser.add_argument("--task", required=True, choices=["surface", "contour", "quiver", "redraw"])
    parser.add_argument("--grid", required=True, type=grid_size, metavar="N")
    parser.add_argument("--size", required=True, type=parse_size, metavar="WxH")
    parser.add_argument("--out", required=True, metavar="PNG")
    args = parser.parse_args()

    try:
        seconds, versions = RUNS[args.tool](args.task, args.grid, args.size, args.out)
    except Failure as failure:
        print(f"compare.py: {failure}", file=sys.stderr)
        return failure.status
    versions["python"] = platform.python_version()
    print(json.dumps({
        "tool": args.tool,
        "task": args.task,
        "grid": args.grid,
        "size": list(args.size),
        "seconds": round(seconds, 6),
        # Linux reports ru_maxrss in KiB.
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "versions": versions,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
