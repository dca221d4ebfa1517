"""Lesson 6's playground: training controls wait for the Train button; paging needs no retraining."""
import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from adam_edu.data import load_digits_split  # noqa: E402
from adam_edu.playgrounds.training import DEFAULTS, TrainingPlayground, run  # noqa: E402


@pytest.fixture(scope="module")
def playground():
    return TrainingPlayground()


def test_built_with_the_default_run(playground):
    assert playground.trained_with == DEFAULTS
    history, predicted = run(**DEFAULTS)
    assert np.array_equal(playground.history.val_acc, history.val_acc)
    assert np.array_equal(playground.predicted, predicted)
    assert playground.progress.value == playground.progress.max == DEFAULTS["epochs"]
    assert "test accuracy" in playground.readout.value


def test_paging_changes_the_digits_not_the_run(playground):
    history, before = playground.history, playground.image.value
    playground.inputs["page"].value = 1
    assert playground.history is history and playground.image.value != before
    first = playground.wrong[6]
    assert playground.labels[0].get_text() == (
        f"{load_digits_split().y_test[first]} → {playground.predicted[first]}")
    playground.inputs["page"].value = 0


def test_training_controls_wait_for_the_button(playground):
    history = playground.history
    playground.inputs["optimizer"].value = "sgd"
    playground.inputs["epochs"].value = 2
    assert playground.history is history and "press <b>Train</b>" in playground.readout.value
    playground.button.click()
    assert playground.history is not history
    assert playground.trained_with["optimizer"] == "sgd" and playground.history.val_acc.shape[0] == 3
    assert playground.progress.value == 2 and "press" not in playground.readout.value
