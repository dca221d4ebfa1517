"""Write PyTorch reference trajectories for the Adam family to tests/data/.

``tests/test_reference.py`` replays the stored gradients through ``adam_edu`` and checks that every
parameter vector agrees with PyTorch. The tests read only the data file; they never import torch.
This script is how the data file was made, so anyone can re-create it and see what it contains.

What is stored (``tests/data/torch_reference.npz``, float64 throughout)
----------------------------------------------------------------------
For each of 24 cases = 4 optimizers x 3 problems x 2 hyperparameter sets:

* optimizers: ``torch.optim.Adam``, ``Adam(amsgrad=True)``, ``Adam(weight_decay=wd)`` (L2: wd*theta
  added to the gradient) and ``torch.optim.AdamW`` (decoupled: theta*(1 - lr*wd) before the step);
* problems: ``quadratic`` (seeded convex quadratic 0.5 x'Ax - b'x in 5-D, condition number 100),
  ``rosenbrock`` ((1 - x)^2 + 100 (y - x^2)^2 from (-1.5, 2)) and ``noisy`` (the quadratic with a
  stored table of Gaussian noise, sigma = 0.5, added to the gradient at step t);
* hyperparameter sets: ``default`` (the torch constructor's defaults, except that the L2 case is given
  weight_decay=0.01 so it differs from plain Adam) and ``custom`` (lr=0.05, betas=(0.8, 0.99),
  eps=1e-6, weight_decay=0.1).

Arrays per case ``<optimizer>.<problem>.<set>``: ``x0`` (d,), ``grads`` (steps, d) -- the gradient
written to ``p.grad`` before step t, i.e. before torch adds any L2 term -- ``params`` (steps, d), the
parameters after each step, and the final torch state ``exp_avg``, ``exp_avg_sq``, ``step`` and, for
AMSGrad, ``max_exp_avg_sq``. ``meta`` is a JSON string: torch version, the cases with the
constructor keyword arguments and the resolved hyperparameters (lr, beta1, beta2, eps, weight_decay),
and the problem definitions, whose arrays are ``problem.quadratic.A``, ``problem.quadratic.b``,
``problem.noisy.noise``.

Before writing, the script checks the library's docstring claims about PyTorch that it can (epsilon
outside sqrt(v_hat), ``adam_edu/adam.py``; AdamW's default weight_decay and AMSGrad's max over raw v
then bias-corrected, ``adam_edu/variants.py``) and stops with an AssertionError if one is false.

How to run
----------
torch is not a dependency of the course. Use a separate virtual environment, with the CPU wheel
pinned (an unpinned ``pip install torch`` downloads gigabytes of CUDA libraries)::

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python tools/make_reference.py          # from the repository root

The output is deterministic: running it twice writes byte-identical files (checked with sha256sum).
"""

import json
import pathlib
import sys

import numpy as np
import torch

STEPS = 200
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_reference.npz"
HYPER_SETS = {
    "default": {},
    "custom": {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1},
}
OPTIMIZERS = ("adam", "amsgrad", "adam_l2", "adamw")


def make_problems():
    """Seeded problem data: quadratic (A, b), its starting point, and the noise table."""
    rng = np.random.default_rng(20150101)
    q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    A = q @ np.diag(np.logspace(-1, 1, 5)) @ q.T
    A = 0.5 * (A + A.T)  # exactly symmetric
    b = rng.standard_normal(5)
    x0_quad = rng.standard_normal(5)
    noise = 0.5 * rng.standard_normal((STEPS, 5))
    return {
        "quadratic": {"A": A, "b": b, "x0": x0_quad},
        "rosenbrock": {"x0": np.array([-1.5, 2.0])},
        "noisy": {"A": A, "b": b, "x0": x0_quad, "noise": noise, "sigma": 0.5},
    }


def torch_loss(problem, prob, x):
    """Loss as a torch expression; autograd gives the gradient."""
    if problem == "rosenbrock":
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    A = torch.from_numpy(prob["A"])
    b = torch.from_numpy(prob["b"])
    return 0.5 * x @ (A @ x) - b @ x


def make_optimizer(name, x, set_name):
    """The torch optimizer for one case; returns (optimizer, constructor kwargs)."""
    kwargs = dict(HYPER_SETS[set_name])
    if name in ("adam", "amsgrad"):
        kwargs.pop("weight_decay", None)
    if name == "adam_l2":
        kwargs.setdefault("weight_decay", 0.01)  # torch's default 0 would make it plain Adam
    if name == "amsgrad":
        kwargs["amsgrad"] = True
    cls = torch.optim.AdamW if name == "adamw" else torch.optim.Adam
    # foreach=False: the single-tensor loop, PyTorch's readable reference implementation.
    return cls([x], foreach=False, **kwargs), kwargs


def run_case(name, problem, prob, set_name):
    """Run one case for STEPS steps; return (arrays, case metadata)."""
    x = torch.tensor(prob["x0"], dtype=torch.float64, requires_grad=True)
    opt, kwargs = make_optimizer(name, x, set_name)
    grads, params = [], []
    for t in range(1, STEPS + 1):
        opt.zero_grad()
        torch_loss(problem, prob, x).backward()
        if problem == "noisy":
            with torch.no_grad():
                x.grad += torch.from_numpy(prob["noise"][t - 1])
        grads.append(x.grad.detach().clone().numpy())
        opt.step()
        params.append(x.detach().clone().numpy())
    group, state = opt.param_groups[0], opt.state[x]
    arrays = {
        "x0": prob["x0"],
        "grads": np.array(grads),
        "params": np.array(params),
        "exp_avg": state["exp_avg"].numpy(),
        "exp_avg_sq": state["exp_avg_sq"].numpy(),
        "step": np.array(int(state["step"])),
    }
    if name == "amsgrad":
        arrays["max_exp_avg_sq"] = state["max_exp_avg_sq"].numpy()
    resolved = {
        "lr": group["lr"],
        "beta1": group["betas"][0],
        "beta2": group["betas"][1],
        "eps": group["eps"],
        "weight_decay": group["weight_decay"],
        "amsgrad": group["amsgrad"],
    }
    if "betas" in kwargs:
        kwargs["betas"] = list(kwargs["betas"])
    meta = {"optimizer": name, "problem": problem, "hyper_set": set_name,
            "torch_class": type(opt).__name__, "torch_kwargs": kwargs, "resolved": resolved}
    return arrays, meta


def one_step(cls, g, **kwargs):
    """Parameters after one torch step from x = 1 with gradient g (float64)."""
    x = torch.ones(len(g), dtype=torch.float64, requires_grad=True)
    opt = cls([x], foreach=False, **kwargs)
    x.grad = torch.tensor(g, dtype=torch.float64)
    opt.step()
    return x.detach().numpy().copy(), opt


def check_facts():
    """Assert the claims about PyTorch in adam_edu's docstrings that a few steps can decide."""
    # Epsilon outside sqrt(v_hat): with g = 1e-4 and eps = 1e-3, outside gives
    # lr * 1e-4 / (1e-4 + 1e-3) = lr / 11; inside sqrt would give lr * 1e-4 / sqrt(1e-8 + 1e-3).
    lr, g, eps = 0.1, 1e-4, 1e-3
    x, _ = one_step(torch.optim.Adam, [g], lr=lr, eps=eps)
    assert abs((1 - x[0]) - lr * g / (g + eps)) < 1e-15, "Adam eps is not outside sqrt(v_hat)"
    # Defaults of the constructors.
    x = torch.zeros(1, dtype=torch.float64)
    adam, adamw = torch.optim.Adam([x]), torch.optim.AdamW([x])
    for opt in (adam, adamw):
        d = opt.defaults
        assert (d["lr"], d["betas"], d["eps"]) == (1e-3, (0.9, 0.999), 1e-8), d
    assert adam.defaults["weight_decay"] == 0, adam.defaults
    assert adamw.defaults["weight_decay"] == 0.01, adamw.defaults
    # AdamW decay is decoupled and applied before the Adam update:
    # x1 = x0 * (1 - lr*wd) - lr * sign(g)   (first corrected step is lr * sign(g) up to eps).
    x, _ = one_step(torch.optim.AdamW, [2.0], lr=0.1, weight_decay=0.5, eps=0.0)
    assert abs(x[0] - (1 * (1 - 0.1 * 0.5) - 0.1)) < 1e-15, x
    # Adam(weight_decay) is L2: g + wd*x goes through the moments; first step still lr*sign.
    x, opt = one_step(torch.optim.Adam, [2.0], lr=0.1, weight_decay=0.5, eps=0.0)
    assert abs(opt.state[opt.param_groups[0]["params"][0]]["exp_avg"][0] - 0.1 * 2.5) < 1e-15
    # AMSGrad: v_max = max(v_max, v_t) over raw v, then divided by (1 - beta2^t).
    # g = (1, 0): v_1 = 0.001, v_2 = 0.000999. max over raw v keeps v_1 and the step-2
    # denominator is sqrt(v_1 / (1 - beta2^2)); max over corrected v would keep
    # v_hat_1 = 1 > v_hat_2 = 0.000999/0.001999, giving sqrt(1). The steps differ by ~40%.
    b1, b2, lr = 0.9, 0.999, 0.1
    x = torch.ones(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([x], lr=lr, amsgrad=True, eps=0.0, foreach=False)
    for g in (1.0, 0.0):
        x.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
    m2 = b1 * (1 - b1) * 1.0
    expected = 1 - lr - lr * (m2 / (1 - b1**2)) / np.sqrt((1 - b2) / (1 - b2**2))
    other = 1 - lr - lr * (m2 / (1 - b1**2)) / 1.0
    assert abs(x.item() - expected) < 1e-14 and abs(x.item() - other) > 1e-3, x.item()
    assert opt.state[x]["max_exp_avg_sq"].item() == (1 - b2)


def main():
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(0)
    check_facts()
    problems = make_problems()
    out = {}
    cases = []
    for name in OPTIMIZERS:
        for problem, prob in problems.items():
            for set_name in HYPER_SETS:
                arrays, meta = run_case(name, problem, prob, set_name)
                key = f"{name}.{problem}.{set_name}"
                meta["key"] = key
                cases.append(meta)
                out.update({f"{key}.{k}": v for k, v in arrays.items()})
    out["problem.quadratic.A"] = problems["quadratic"]["A"]
    out["problem.quadratic.b"] = problems["quadratic"]["b"]
    out["problem.noisy.noise"] = problems["noisy"]["noise"]
    meta = {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "steps": STEPS,
        "generator": "tools/make_reference.py",
        "problems": {
            "quadratic": "f(x) = 0.5 x'Ax - b'x; grad = A x - b (A, b stored)",
            "rosenbrock": "f(x, y) = (1 - x)^2 + 100 (y - x^2)^2",
            "noisy": "quadratic gradient + noise[t-1] at step t (noise stored, sigma 0.5)",
        },
        "cases": cases,
    }
    out["meta"] = np.array(json.dumps(meta, indent=1, sort_keys=True))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # np.savez writes zip entries with a fixed timestamp, so the bytes are reproducible.
    np.savez_compressed(OUT, **out)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases, {STEPS} steps each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
