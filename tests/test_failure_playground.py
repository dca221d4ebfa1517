"""The lesson 7 playground: its default run is Theorem 1's failure, and every control redraws."""
import numpy as np

from adam_edu.playgrounds import failure


def test_default_is_theorem_1_and_adam_ends_at_the_worst_point():
    playground = failure.FailurePlayground()
    assert playground.values() == failure.DEFAULTS
    assert failure.playground_run(**failure.DEFAULTS).x[-1] > 0.99
    assert "toward +1" in playground.readout.value


def test_amsgrad_and_the_default_betas_reach_the_best_point():
    for change in ({"rule": "amsgrad"}, {"beta1": 0.9, "beta2": 0.999}):
        result = failure.playground_run(**{**failure.DEFAULTS, **change})
        assert result.x[-1] < -0.99


def test_every_control_redraws():
    playground = failure.FailurePlayground()
    before = playground.image.value
    for name, control in playground.inputs.items():
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        control.value = next(o for o in options if o != control.value)
        assert playground.last_update_ms is not None
    assert playground.image.value != before
    assert np.isfinite(playground.v_hat.get_ydata()).all()
