#!/usr/bin/env bash
# Sets up the Python side of `gradscape bench`: a virtual environment with pinned numpy,
# matplotlib, pyvista and vtk that renders off-screen with no display.
#
#   bash bench/setup.sh [VENV_DIR]     (default bench/.venv; PYTHON=python3.11 picks the python)
#
# Messages go to stderr; the last line on stdout is the python to run bench/compare.py with, so
#   py=$(bash bench/setup.sh)
# works. Safe to run again: it only installs what is missing and always re-runs the smoke test.
#
# Off-screen method: the vtk wheel from PyPI selects its render window at run time. With
# VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow it draws through the system's libEGL, which Mesa
# backs with llvmpipe when there is no GPU: no X server, no Xvfb, no OSMesa needed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${1:-$here/.venv}
python=${PYTHON:-python3}
requirements=$here/requirements.txt

say() { printf 'bench/setup.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Debian packages behind VTK's EGL window: the glvnd loader, Mesa's EGL vendor library, and the
# DRI driver that holds llvmpipe (their own dependencies come with them).
apt_packages=(libegl1 libegl-mesa0 libgl1-mesa-dri)
missing=()
if command -v dpkg-query >/dev/null; then
    for package in "${apt_packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || missing+=("$package")
    done
else
    say "not a Debian system: make sure Mesa's libEGL and its llvmpipe driver are installed"
fi
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]]; then
        say "installing ${missing[*]}"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
            || die "apt-get install ${missing[*]} failed"
    else
        die "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
    fi
fi

command -v "$python" >/dev/null || die "no '$python' on PATH (set PYTHON=/path/to/python3.11)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$python is $("$python" -V 2>&1); the pinned numpy needs Python >= 3.11"

if [[ ! -x $venv/bin/python ]]; then
    say "creating $venv"
    "$python" -m venv "$venv" || die "python -m venv failed (Debian: apt-get install python3-venv)"
fi
py=$venv/bin/python

# A copy of the requirements installed last time; pip runs only when they changed.
stamp=$venv/.bench-requirements
if ! cmp -s "$requirements" "$stamp"; then
    say "installing $(grep -c '==' "$requirements") pinned packages into $venv"
    "$py" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2 \
        || die "pip install -r $requirements failed"
    cp "$requirements" "$stamp"
fi

# Proves off-screen rendering works, and builds matplotlib's font cache, which would otherwise
# land in the first measured run.
say "smoke test: one tiny figure from each tool"
smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT
for tool in matplotlib pyvista; do
    result=$("$py" "$here/compare.py" --tool "$tool" --task surface --grid 16 --size 64x48 \
        --out "$smoke/$tool.png") || die "$tool could not render off-screen (see above)"
    say "  $result"
done

echo "$py"
