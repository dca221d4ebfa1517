"""adam_edu.decay: Adam + L2 against AdamW on a quadratic (closed forms) and on the digits."""
import numpy as np
import pytest

from adam_edu import decay


def test_closed_forms():
    np.testing.assert_allclose(decay.ridge_solution(0.5), [8 / 3, 50 / 100.5])
    np.testing.assert_allclose(decay.box_solution(0.5), [2.0, 0.5])
    np.testing.assert_allclose(decay.box_solution(0.1), decay.TARGET)   # the box holds θ*


@pytest.mark.parametrize("weight_decay", [0.5, 1.0])
def test_l2_converges_to_the_ridge_solution_adamw_to_the_box(weight_decay):
    l2, adamw = decay.quadratic_runs(weight_decay, steps=10_000)
    np.testing.assert_allclose(l2, decay.ridge_solution(weight_decay), atol=1e-6)
    np.testing.assert_allclose(adamw, decay.box_solution(weight_decay), atol=1e-2)


def test_digits_grid_shape_and_decay_that_is_too_strong_hurts():
    errors = decay.digits_grid("adamw", [1e-2], [0.0, 30.0], seeds=(0,), epochs=1)
    assert errors.shape == (2, 1, 1)
    assert errors[0, 0, 0] < 0.3 < errors[1, 0, 0]


def test_bad_arguments():
    with pytest.raises(ValueError, match="optimizer == 'adam', must be 'adam_l2' or 'adamw'"):
        decay.digits_grid("adam", [1e-3], [0.0])
    with pytest.raises(ValueError, match=r"weight_decay == -1.0, must be in \[0, inf\)"):
        decay.ridge_solution(-1.0)
    with pytest.raises(ValueError, match=r"weight_decay == 0.0, must be in \(0, inf\)"):
        decay.box_solution(0.0)
    with pytest.raises(ValueError, match=r"lr == 0.0, must be in \(0, inf\)"):
        decay.quadratic_runs(lr=0.0)
