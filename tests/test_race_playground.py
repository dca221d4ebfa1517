"""The race playground shows what the library computes, for every control value."""
import numpy as np
import pytest

from adam_edu.playgrounds import race as pg
from adam_edu.race import GRID, race, tuned
from adam_edu.registry import get_optimizer


@pytest.fixture(scope="module")
def playground():
    return pg.RacePlayground()


def test_tuned_alphas_are_the_race_tuning(playground):
    alphas, found = pg.tables().alphas, pg.tables().tuned_steps
    for racer in ("sgd", "adam", "adagrad"):
        for kappa, angle in ((10, 0), (1000, 45)):
            key = ("valley", kappa, angle)
            best = tuned(race(racer, pg.problems()[key][0], steps=pg.BUDGET)[0])
            assert alphas[racer][key][list(pg.SCALES).index("tuned")] == best.lr
            assert found[racer][key] == best.steps[best.lr]
        default = get_optimizer(pg.RACERS[racer][0]).defaults["lr"]
        assert alphas[racer]["rosenbrock"][len(pg.SCALES)] == default
        assert alphas[racer]["saddle"][len(pg.SCALES) + 1:] == list(pg.MANUAL)
    assert all(a in GRID for r in alphas for a in [alphas[r][("valley", 100, 15)][0]])


def test_every_control_value_redraws(playground):
    for name, control in playground.inputs.items():
        start = control.value
        for value in getattr(control, "options", None) or (0, 17, start):
            if value == control.value:
                continue
            before, playground.last_update_ms = playground.image.value, None
            control.value = value
            assert playground.last_update_ms is not None, (name, value)
            assert playground.image.value != before or name in ("group", "mode", "manual"), (name, value)
        control.value = start


def test_a_control_that_changes_nothing_is_disabled(playground):
    """κ and the angle shape only the valley; the manual α matters only in the manual mode."""
    controls = playground.inputs
    start = {name: control.value for name, control in controls.items()}
    for problem in controls["problem"].options:
        for mode in controls["mode"].options:
            controls["problem"].value, controls["mode"].value = problem, mode
            assert controls["kappa"].disabled == controls["angle"].disabled == (problem != "valley")
            assert controls["manual"].disabled == (not mode.startswith("manual"))
            for name in ("kappa", "angle", "manual"):
                if controls[name].disabled:           # moving it anyway changes nothing
                    before = playground.image.value
                    controls[name].value = controls[name].options[0]
                    assert playground.image.value == before, (problem, mode, name)
    for name, value in start.items():
        controls[name].value = value


def test_paths_shown_are_the_recorded_ones(playground):
    playground.inputs["problem"].value = "valley"
    playground.inputs["kappa"].value = 100
    playground.inputs["angle"].value = 15
    playground.inputs["group"].value = "all nine"
    playground.inputs["mode"].value = "tuned"
    playground.inputs["step"].value = 40
    paths = pg.tables().paths
    x, y = playground.paths_drawn["adam"].get_data()
    np.testing.assert_array_equal(np.c_[x, y], paths["adam"][("valley", 100, 15)][:41, 0])
    assert "AdaMax" in playground.readout.value and "at k=40" in playground.readout.value
