"""Lesson 6's playground: every move changes the figure; training waits for the Train button;
paging needs no retraining and its range is the run's pages."""
import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from adam_edu.data import load_digits_split  # noqa: E402
from adam_edu.playgrounds.training import DEFAULTS, PAGE, TrainingPlayground, run  # noqa: E402

# A value other than the default for every training control.
OTHER = dict(optimizer="sgd", lr=1e-1, batch_size=64, schedule="cosine", epochs=7)


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


def test_the_pager_spans_the_runs_pages(playground):
    pager, pages = playground.inputs["page"], -(-len(playground.wrong) // PAGE)
    assert pages >= 2 and (pager.min, pager.max, pager.value) == (1, pages, 1)
    assert not pager.disabled
    seen = {playground.image.value}
    for page in range(2, pages + 1):   # every value the slider offers shows other digits
        pager.value = page
        seen.add(playground.image.value)
        assert f"page {page} of {pages}" in playground.readout.value
    assert len(seen) == pages
    pager.value = 1


def test_paging_changes_the_digits_not_the_run(playground):
    history, before = playground.history, playground.image.value
    playground.inputs["page"].value = 2
    assert playground.history is history and playground.image.value != before
    first = playground.wrong[PAGE]
    assert playground.labels[0].get_text() == (
        f"{load_digits_split().y_test[first]} → {playground.predicted[first]}")
    playground.inputs["page"].value = 1
    assert playground.image.value == before


@pytest.mark.parametrize("name", sorted(OTHER))
def test_every_training_control_changes_the_figure_at_once(playground, name):
    """A move fades the curves and writes the waiting settings on the figure, without training;
    moving back restores the figure of the run."""
    history, before, text = playground.history, playground.image.value, playground.figure_text.value
    control = playground.inputs[name]
    control.value = OTHER[name]
    assert playground.history is history
    assert playground.image.value != before and playground.figure_text.value != text
    assert "Press Train" in playground.notice.get_text()
    assert all(line.get_alpha() < 1 for line in playground.curves.values())
    control.value = DEFAULTS[name]
    assert playground.notice.get_text() == "" and playground.image.value == before


def test_two_moves_give_two_figures(playground):
    """A second move before Train changes the figure again (the notice names the new value)."""
    lr = playground.inputs["lr"]
    lr.value = 1e-1
    first = playground.image.value
    lr.value = 1e-3
    assert playground.image.value != first and "1.0e-03" in playground.notice.get_text()
    lr.value = DEFAULTS["lr"]


def test_training_controls_wait_for_the_button(playground):
    history = playground.history
    playground.inputs["optimizer"].value = "sgd"
    playground.inputs["epochs"].value = 2
    assert playground.history is history and "press <b>Train</b>" in playground.readout.value
    playground.inputs["page"].value = 2
    playground.button.click()
    assert playground.history is not history
    assert playground.trained_with["optimizer"] == "sgd" and playground.history.val_acc.shape[0] == 3
    assert playground.progress.value == 2 and "press" not in playground.readout.value
    assert playground.notice.get_text() == ""
    pager, pages = playground.inputs["page"], -(-len(playground.wrong) // PAGE)
    assert pager.value == 1 and pager.max == max(pages, 2) and pager.disabled == (pages == 1)


def test_one_page_of_mistakes_disables_the_pager(monkeypatch):
    """A run with at most PAGE mistakes has nothing to page through: the pager is disabled."""
    from adam_edu.playgrounds import training

    def few_mistakes(*args, **kwargs):
        history, predicted = run(*args, **kwargs)
        labels = load_digits_split().y_test
        return history, np.where(np.arange(len(labels)) < 3, (labels + 1) % 10, labels)
    monkeypatch.setattr(training, "run", few_mistakes)
    few = TrainingPlayground()
    assert len(few.wrong) == 3 and few.pages == 1 and few.inputs["page"].disabled
    assert "page 1 of 1" in few.readout.value


def test_the_readout_names_the_waiting_settings(playground):
    """The figure's text alternative follows every move too (a screen reader hears the settings)."""
    lr = playground.inputs["lr"]
    lr.value = 1e-1
    first = playground.figure_text.value
    assert "Settings changed to" in playground.readout.value and "α = 1.0e-01" in first
    lr.value = 1e-3
    assert playground.figure_text.value != first and "α = 1.0e-03" in playground.figure_text.value
    lr.value = playground.trained_with["lr"]
    assert "Settings changed" not in playground.readout.value
