#!/usr/bin/env python3
"""Fetch the JavaScript a static slide deck needs, so decks work with no network.

    python3 -m tools.fetch_slide_assets [DEST]      (default DEST: build/slides)

A deck made by `jupyter nbconvert --to slides` loads reveal.js, MathJax, require.js, jQuery and the
widget renderer from CDNs. This script downloads pinned versions once from the npm registry with
`npm pack` (tarballs are cached in build/npm-cache/ and checked against pinned sha512 sums), and
unpacks the files a deck uses into DEST/_vendor/<name>/. `build_slides.py` then points the deck at
those relative paths. Nothing here is committed; nothing is fetched when a deck is viewed.
"""
from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "npm-cache"
VENDOR = "_vendor"

# name in _vendor/ -> (npm spec, sha512 of the tarball, paths kept, relative to the package root).
# reveal.js 4.0.2 is the version nbconvert's reveal template is written for; MathJax 2.7.7 is what its
# `mathjax_url` config string expects; html-manager 1.0.x renders ipywidgets 8 state.
PACKAGES = {
    "reveal.js": ("reveal.js@4.0.2",
                  "LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==",
                  ["dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "dist/theme/serif.css",
                   "dist/theme/black.css", "dist/theme/fonts/source-sans-pro", "plugin/notes/notes.js",
                   "LICENSE"]),
    "mathjax": ("mathjax@2.7.7",
                "OOl0B2/0tSJAtAZarXnQuLDBLgTNRqiI9VqHTQzPsxf4okT2iIpDrvaklK9x2QEMD1sDj4yRn11Ygci41DxMAQ==",
                ["MathJax.js", "config", "extensions", "jax", "localization/en",
                 "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf", "LICENSE"]),
    "requirejs": ("requirejs@2.3.8",
                  "7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
                  ["require.js"]),
    "jquery": ("jquery@3.7.1",
               "m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
               ["dist/jquery.min.js", "LICENSE.txt"]),
    "html-manager": ("@jupyter-widgets/html-manager@1.0.15",
                     "5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
                     ["dist"]),
}

# Where each asset ends up, relative to the deck folder (the SlidesExporter traits' values).
URLS = {
    "reveal_url_prefix": f"{VENDOR}/reveal.js",
    "mathjax_url": f"{VENDOR}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "require_js_url": f"{VENDOR}/requirejs/require.js",
    "jquery_url": f"{VENDOR}/jquery/dist/jquery.min.js",
    "widget_renderer_url": f"{VENDOR}/html-manager/dist/embed-amd.js",
}

# The AMD modules the widget renderer defines, mapped (require.js `paths`) into its own folder:
# webpack loads a module's fonts (Font Awesome: the Play widget's icons) from the module's folder.
WIDGET_MODULES = ("base", "base7", "controls", "controls7", "html-manager",
                  "html-manager/dist/libembed-amd")
WIDGET_MODULE_PATHS = {f"@jupyter-widgets/{name}": f"{VENDOR}/html-manager/dist/{name.split('/')[-1]}"
                       for name in WIDGET_MODULES}


def tarball_name(spec: str) -> str:
    """File name `npm pack` gives a spec: '@scope/name@1.0' -> 'scope-name-1.0.tgz'."""
    name, version = spec.rsplit("@", 1)
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def sha512(path: Path) -> str:
    return base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(spec: str, digest: str, cache: Path = CACHE) -> Path:
    """Return the cached tarball for `spec`, running `npm pack` only when it is missing."""
    tarball = cache / tarball_name(spec)
    if not tarball.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm was not found on PATH. It is needed once, to fetch the slide assets "
                             "from the npm registry (Debian: apt-get install -y npm).")
        cache.mkdir(parents=True, exist_ok=True)
        print(f"npm pack {spec}", flush=True)
        subprocess.run([npm, "pack", spec, "--pack-destination", str(cache), "--silent"],
                       check=True, stdout=subprocess.DEVNULL)
    if sha512(tarball) != digest:
        tarball.unlink()
        raise SystemExit(f"{tarball.name} does not match its pinned sha512; deleted it, run again.")
    return tarball


def unpack(tarball: Path, keep: list[str], dest: Path) -> None:
    """Extract the `keep` paths of an npm tarball (rooted at 'package/') into `dest`, minus maps."""
    prefixes = tuple("package/" + k for k in keep)
    with tarfile.open(tarball) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and not m.name.endswith(".map")
                   and any(m.name == p or m.name.startswith(p + "/") for p in prefixes)]
        for m in members:
            m.name = m.name[len("package/"):]
        tar.extractall(dest, members=members, filter="data")


def install(dest: Path, cache: Path = CACHE) -> dict[str, str]:
    """Make `dest/_vendor/` hold every pinned package; return the exporter URL settings."""
    for name, (spec, digest, keep) in PACKAGES.items():
        target = dest / VENDOR / name
        stamp = target / ".adam-edu-version"
        if stamp.exists() and stamp.read_text() == spec:
            continue
        tarball = fetch(spec, digest, cache)
        if target.exists():
            shutil.rmtree(target)
        unpack(tarball, keep, target)
        stamp.write_text(spec)
    return dict(URLS)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "slides"
    install(out)
    print(f"Slide assets are in {out / VENDOR}")
