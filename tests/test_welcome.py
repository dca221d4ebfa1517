"""What lesson 0 (the welcome) tells a student about the course holds: its commands, slides, exercises
and notation. These checks used to be cells of the lesson; a lesson asserts only what it teaches."""
import inspect
import json
from pathlib import Path

import jupyter_core.paths
import numpy as np

import adam_edu as ae

ROOT = Path(__file__).resolve().parents[1]
RISE_SCHEMA = "jupyterlab-rise/schemas/jupyterlab-rise/plugin.json"


def test_course_py_has_the_commands_the_welcome_names():
    assert (ROOT / "course.py").is_file() and (ROOT / "lessons" / "00_welcome.ipynb").is_file()
    commands = (ROOT / "course.py").read_text()
    for name in ("lab", "test", "slides", "serve-slides", "check", "exercises"):
        assert f'"{name}":' in commands, f"course.py has no command {name!r}"


def test_alt_r_starts_the_live_deck_and_rise_stays_in_the_view_menu():
    from jupyter_server.services.config import ConfigManager

    # Settings JupyterLab layers over its defaults: course.py (or postBuild on conda) installs
    # the course's, from jupyter-config/.
    overrides = ConfigManager(config_dir_name="labconfig").get("default_setting_overrides")
    alt_r = [(s["command"], s["selector"], s.get("disabled", False))
             for s in overrides["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
             if s["keys"] == ["Alt R"]]
    labextensions = [Path(p) for p in jupyter_core.paths.jupyter_path("labextensions")]
    rise = next(p / RISE_SCHEMA for p in labextensions if (p / RISE_SCHEMA).is_file())
    rise_alt_r = {"command": "RISE:preview", "keys": ["Alt R"], "selector": ".jp-Notebook:focus"}
    assert rise_alt_r in json.loads(rise.read_text())["jupyter.lab.shortcuts"]  # RISE's binding...
    assert ("RISE:preview", rise_alt_r["selector"], True) in alt_r             # ...is switched off
    assert [command for command, _, disabled in alt_r if not disabled] == ["deck:toggle"]
    assert any((p / "jupyterlab-slideshow/package.json").is_file() for p in labextensions)


def test_four_exercises_each_graded_with_check():
    from adam_edu.grading import check

    assert "exercise" in inspect.signature(check).parameters
    for name in ["ex01_moments", "ex02_adam_step", "ex03_bias_correction", "ex04_snr"]:
        assert (ROOT / "exercises" / f"{name}.ipynb").is_file(), name


def test_the_notation_table_names_the_library():
    assert {"params", "grads", "lr", "beta1", "beta2", "eps"} <= set(
        inspect.signature(ae.adam_step).parameters)
    assert ae.AdamState._fields == ("t", "m", "v")
    assert {"m_hat", "v_hat", "step"} <= set(ae.Diagnostics._fields)
    theta0, g1 = np.array([3.0, 4.0]), np.array([6.0, 8.0])
    theta1, state = ae.adam_step(theta0, g1, ae.adam_init(theta0), lr=0.1)
    assert state.t == 1 and np.allclose(theta0 - theta1, ae.adam_diagnostics(state, lr=0.1).step)
