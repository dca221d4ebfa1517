"""Fixtures for the real-browser tests: Debian's chromium driven by Python Playwright, offline.

Run with `python3 course.py test-browser` (= `pytest tests/browser`). Needs `apt-get install -y
chromium`; Playwright's own browser download is never used. Every page routes all its requests:
anything not addressed to 127.0.0.1 is aborted and recorded, and the test fails if one was recorded.
Screenshots go to artifacts/screenshots/, timings to artifacts/browser_timings.json.

JupyterLab serves a temporary copy of the notebooks (SERVED), so whatever it saves (RISE saves a
notebook when it starts) lands in the copy; the session fails if a notebook in the repository changed.
The same server also serves Notebook 7 (the `notebook` package is a server extension beside
JupyterLab), with the same settings: FRONT_ENDS says where each front end opens a notebook, and
`open_notebook` opens one and waits for its idle kernel. axe-core, the accessibility checker, comes
from the npm registry (fetched once into build/npm-cache/, like the slide assets) and runs in the
page, offline.
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
FIXTURE_NOTEBOOK = ROOT / "tests" / "browser" / "fixtures" / "sample_lesson.ipynb"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path(os.environ.get("ADAM_EDU_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1280, "height": 900}
# JupyterLab settings that keep the page quiet and its DOM complete: no news or update checks (they
# would go to the internet), every cell in the DOM (no windowing), no autosave (the lessons on disk
# must not change because a test ran them).
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}
# Where each front end opens a notebook (its path relative to ROOT); JupyterLab gets a workspace of
# its own, so no notebook of an earlier test is restored next to this one.
FRONT_ENDS = {
    "lab": "{base}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}",
    "notebook7": "{base}/notebooks/{path}?token={token}",
}
KERNEL_IDLE = """(path) => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
                 && panel.sessionContext.session.kernel;
  return Boolean(panel && panel.context && panel.context.path === path && panel.context.isReady
                 && kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected');
}"""
# axe-core from the npm registry: npm spec and the tarball's sha512 (checked like the slide assets).
AXE = ("axe-core@4.14.1",
       "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==")
# What the JupyterLab server's root holds: copies of these, at the same relative paths (lesson 0
# reads ../course.py and ../exercises). adam_edu comes from the editable install.
SERVED = ("lessons", "exercises", "tests/browser/fixtures", "course.py")


def notebooks() -> list[Path]:
    """Every lesson, plus the sample notebook that exercises each slide type and a playground."""
    return sorted((ROOT / "lessons").glob("*.ipynb")) + [FIXTURE_NOTEBOOK]


NOTEBOOKS = notebooks()  # one list per session, so the built decks match the collected tests


def notebook_params():
    return [pytest.param(nb, id=nb.stem) for nb in NOTEBOOKS]


def front_end_params():
    """Every (front end, notebook) pair, with ids like `notebook7-02_xy_walkthrough`."""
    return [pytest.param(front, nb, id=f"{front}-{nb.stem}") for front in FRONT_ENDS
            for nb in NOTEBOOKS]


def open_notebook(page, lab, front: str, notebook: Path) -> str:
    """Open `notebook` in `front` (a FRONT_ENDS key) and wait for its idle kernel; return its path
    on the server."""
    base, token = lab
    relative = notebook.relative_to(ROOT).as_posix()
    page.goto(FRONT_ENDS[front].format(base=base, workspace=uuid.uuid4().hex, path=relative,
                                       token=token))
    page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=60_000, polling=100)
    return relative


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


_SESSION_START = time.perf_counter()


def pytest_sessionstart(session):
    """Artifacts describe this run only: drop the timings and screenshots of an earlier one."""
    (ARTIFACTS / "browser_timings.json").unlink(missing_ok=True)
    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    if getattr(session, "testscollected", 0):
        record_timing("browser_suite_seconds", round(time.perf_counter() - _SESSION_START, 1))


def pytest_terminal_summary(terminalreporter):
    path = ARTIFACTS / "browser_timings.json"
    if path.exists():
        terminalreporter.write_sep("-", f"timings ({path.relative_to(ROOT)})")
        terminalreporter.write_line(path.read_text().rstrip())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def record_timing(key: str, value) -> None:
    """Merge one figure into artifacts/browser_timings.json and print it."""
    path = ARTIFACTS / "browser_timings.json"
    ARTIFACTS.mkdir(exist_ok=True)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = value
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(f"\n[timing] {key}: {value}")  # shown with -s; all figures: pytest_terminal_summary


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's chromium is not at {CHROMIUM}. Install it with "
                    "`apt-get install -y chromium` (or set ADAM_EDU_CHROMIUM to its path); "
                    "never `playwright install`.", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class OfflinePage:
    """A fresh browser context and page whose requests may only go to 127.0.0.1.

    With `strict` (the static decks), a local request that fails (a 404: a missing font or icon)
    also fails the test, as does a font face the page could not load."""

    def __init__(self, browser, viewport=VIEWPORT, scale: float = 1, route: bool = True):
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.strict = False
        self.context = browser.new_context(viewport=viewport, device_scale_factor=scale,
                                           service_workers="block")
        if route:
            self.context.route("**/*", self._route)
        else:  # record only: a routed context stalls the requests of a window.open('about:blank')
            self.context.on("request", lambda r: urlsplit(r.url).hostname in ("127.0.0.1", None)
                            or r.url.startswith(("data:", "about:", "blob:"))
                            or self.blocked.append(r.url))
        self.page = self.context.new_page()
        self.watch(self.page)

    def _route(self, route):
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def watch(self, page) -> None:
        """Also record websockets (not routed) that leave the machine, for `page` and popups,
        and local requests that fail."""
        page.on("websocket", lambda ws: urlsplit(ws.url).hostname == "127.0.0.1"
                or self.blocked.append(ws.url))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

    def check(self) -> None:
        """Fail the test for what was blocked (always) and what failed (when strict)."""
        if self.blocked:
            pytest.fail("The page tried to reach the network (aborted):\n  "
                        + "\n  ".join(sorted(set(self.blocked))), pytrace=False)
        if self.strict and self.failed:
            pytest.fail("Local requests failed (a missing file: font, icon, script):\n  "
                        + "\n  ".join(sorted(set(self.failed))), pytrace=False)


@pytest.fixture
def offline(browser):
    offline_page = OfflinePage(browser)
    yield offline_page
    offline_page.context.close()
    offline_page.check()


@pytest.fixture
def offline_at(browser):
    """offline_at(viewport, scale, route): an OfflinePage of that size (scale 1.5 = 150 % browser
    zoom); route=False records requests that leave the machine instead of aborting them."""
    pages = []

    def make(viewport, scale=1, route=True):
        pages.append(OfflinePage(browser, viewport, scale, route))
        return pages[-1]
    yield make
    for offline_page in pages:
        offline_page.context.close()
    for offline_page in pages:
        offline_page.check()


@pytest.fixture(scope="session", autouse=True)
def repository_notebooks_unchanged():
    """Fail the session if any test changed a notebook of the repository on disk."""
    before = {path: path.read_bytes() for path in NOTEBOOKS}
    yield
    changed = [path.relative_to(ROOT).as_posix() for path, data in before.items()
               if not path.exists() or path.read_bytes() != data]
    assert not changed, f"the browser tests changed {changed} on disk; they must only use copies"


@pytest.fixture(scope="session")
def served_root(tmp_path_factory) -> Path:
    """A temporary folder holding copies of SERVED, for JupyterLab to work in."""
    root = tmp_path_factory.mktemp("served")
    for name in SERVED:
        source, target = ROOT / name, root / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return root


def lab_home(folder: Path) -> Path:
    """Throw-away JupyterLab settings, workspaces and runtime folders under `folder`."""
    for sub in ("settings", "user-settings", "workspaces", "config", "runtime", "ipython"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "settings" / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
    return folder


@contextlib.contextmanager
def start_lab(home: Path, served_root: Path):
    """JupyterLab on 127.0.0.1 with a random token and the settings under `home` (see lab_home),
    serving `served_root`; yields (url, token) and stops the server afterwards."""
    token = secrets.token_hex(24)
    port = free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               PYTHONHASHSEED="0")
    env.pop("MPLBACKEND", None)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               "--allow-root", "--LabApp.extension_manager=readonly",
               "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={served_root}",
               f"--LabApp.app_settings_dir={home / 'settings'}",
               f"--LabApp.user_settings_dir={home / 'user-settings'}",
               f"--LabApp.workspaces_dir={home / 'workspaces'}",
               # Notebook 7, served by the same server, with the same settings
               "--JupyterNotebookApp.expose_app_in_browser=True",
               f"--JupyterNotebookApp.app_settings_dir={home / 'settings'}",
               f"--JupyterNotebookApp.user_settings_dir={home / 'user-settings'}",
               f"--JupyterNotebookApp.workspaces_dir={home / 'workspaces'}"]
    log = (home / "server.log").open("a")
    server = subprocess.Popen(command, cwd=served_root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:  # poll the server's status endpoint until it answers
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{(home / 'server.log').read_text()[-3000:]}",
                            pytrace=False)
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def lab_folder(tmp_path_factory) -> Path:
    return lab_home(tmp_path_factory.mktemp("lab"))


@pytest.fixture(scope="session")
def lab(lab_folder, served_root):
    """The session's JupyterLab (see start_lab); a notebook's path relative to ROOT is its path on
    this server."""
    with start_lab(lab_folder, served_root) as server:
        yield server


@pytest.fixture(scope="session")
def decks(tmp_path_factory):
    """Static decks for every notebook, built (executed) into a temporary folder and served on
    127.0.0.1; yields (server, {notebook: deck path})."""
    if shutil.which("npm") is None and not (ROOT / "build" / "npm-cache").is_dir():
        pytest.fail("npm is needed once to fetch the slide assets (apt-get install -y npm).",
                    pytrace=False)
    import build_slides
    import serve_slides
    out = tmp_path_factory.mktemp("slides")
    start = time.perf_counter()
    built = build_slides.build(NOTEBOOKS, out)
    record_timing("build_decks_seconds", round(time.perf_counter() - start, 1))
    server = serve_slides.start(out)
    yield server, dict(zip(NOTEBOOKS, built))
    server.shutdown()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The source of axe-core's axe.min.js, from the pinned npm tarball (fetched once)."""
    if shutil.which("npm") is None and not (ROOT / "build" / "npm-cache").is_dir():
        pytest.fail("npm is needed once to fetch axe-core (apt-get install -y npm).", pytrace=False)
    import fetch_slide_assets
    with tarfile.open(fetch_slide_assets.fetch(*AXE)) as tar:
        return tar.extractfile("package/axe.min.js").read().decode()
