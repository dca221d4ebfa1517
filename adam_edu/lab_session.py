"""A Jupyter server extension: every JupyterLab session starts as a notebook, never as a deck.

jupyterlab-slideshow keeps "a deck is on" as its user setting ``active`` and starts a deck whenever a
page loads with it set. Close the browser in the middle of a lecture and every notebook opens as a
deck from then on, in every later session. This extension clears that one setting when the server
starts; it changes nothing else. It is switched on by ``jupyter-config/jupyter_server_config.d/
adam-edu.json``, which ``course.py`` (pip) and ``postBuild`` (conda, Binder) place into the
environment.

Examples
--------
>>> import json, tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> settings = folder / SETTINGS_FILE
>>> settings.parent.mkdir(parents=True)
>>> _ = settings.write_text('{"active": true, "showCodeCellPrompt": true}')
>>> forget_deck_mode(folder)
True
>>> json.loads(settings.read_text())
{'showCodeCellPrompt': True}
"""
from __future__ import annotations

import json
import re
from pathlib import Path

SETTINGS_FILE = Path("jupyterlab-slideshow") / "plugin.jupyterlab-settings"
# JupyterLab writes settings as JSON5 (comments allowed); the "active" member is removed as text.
ACTIVE = re.compile(r'"active"\s*:\s*(true|false)\s*,?')


def forget_deck_mode(user_settings_dir: str | Path) -> bool:
    """Remove jupyterlab-slideshow's ``active`` setting under `user_settings_dir`; True if it was set."""
    path = Path(user_settings_dir) / SETTINGS_FILE
    if not path.is_file():
        return False
    raw = path.read_text(encoding="utf-8")
    cleaned = ACTIVE.sub("", raw)
    if cleaned == raw:
        return False
    cleaned = re.sub(r",(\s*})", r"\1", cleaned)  # a trailing comma left by the last member
    path.write_text(cleaned, encoding="utf-8")
    return True


def _jupyter_server_extension_points():
    return [{"module": "adam_edu.lab_session"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """At server start: forget a deck left on in an earlier session, for each JupyterLab app."""
    apps = serverapp.extension_manager.extension_apps.get("jupyterlab", set())
    for folder in {getattr(app, "user_settings_dir", None) for app in apps} - {None}:
        if forget_deck_mode(folder):
            serverapp.log.info("adam-edu: the slide deck left on last time is off (%s)", folder)
