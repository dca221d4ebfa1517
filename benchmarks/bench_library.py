"""How fast is the library?

(a) Recording a 1000-step trajectory with diagnostics, ``adam_edu.run(name, bowl(), steps=1000,
    lr=0.02)``, for every optimizer, beside a bare numpy Adam loop of the same 1000 steps: the
    machine's floor for a per-step Python loop. No target of its own: the readable path is the only
    path, and what must stay fast is a playground's move (``bench_playgrounds.py``, <= 50 ms).
(b) One ``adam_step`` on 10^3 .. 10^7 float32 parameters against ``torch.optim.Adam`` (foreach and
    fused, CPU) when torch is importable. No target: the readable path stays readable.

Run: ``python3 course.py bench library`` (or ``python -m benchmarks.bench_library``).
"""
from __future__ import annotations

import numpy as np

import adam_edu as ae
from adam_edu.adam import adam_update
from benchmarks.timing import fmt_ms, load_line, measure, measure_interleaved, summary, table

STEPS, LR = 1000, 0.02
SIZES = [10**3, 10**4, 10**5, 10**6, 10**7]


def bare_adam(x0, steps=STEPS, lr=LR, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam on the bowl (gradient 2x) as the shortest numpy loop: no checks, nothing recorded."""
    x, m, v = x0, np.zeros_like(x0), np.zeros_like(x0)
    for t in range(1, steps + 1):
        g = 2 * x
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        x = x - lr * (m_hat / (np.sqrt(v_hat) + eps))
    return x


def row(name, stats, bare):
    return [name, fmt_ms(stats["median"]), fmt_ms(stats["p90"]), fmt_ms(stats["min"]),
            fmt_ms(stats["cpu"]), stats["n"], f"{stats['cpu'] / bare['cpu']:.2f}"]


def trajectories() -> None:
    objective = ae.bowl()
    final = ae.run("adam", objective, steps=STEPS, lr=LR).params[-1]
    if not np.allclose(bare_adam(objective.x0), final, rtol=1e-12, atol=0):   # same computation?
        raise AssertionError("the bare loop and ae.run('adam') disagree; the baseline is not fair")
    print(f"start: {load_line()}")
    pair = measure_interleaved({"bare": lambda: bare_adam(objective.x0),
                                "adam": lambda: ae.run("adam", objective, steps=STEPS, lr=LR)},
                               repeats=120)
    bare, adam = summary(pair["bare"]), summary(pair["adam"])
    rows = [row("bare numpy Adam loop (baseline)", bare, bare),
            row("run('adam') with diagnostics", adam, bare)]
    for name in ae.OPTIMIZERS:
        if name != "adam":
            times = measure_interleaved({name: lambda: ae.run(name, objective, steps=STEPS, lr=LR)},
                                        repeats=30)
            rows.append(row(f"run({name!r})", summary(times[name]), bare))
    print(table(["1000 steps on bowl(), lr=0.02", "median ms", "p90 ms", "min ms", "cpu ms", "n",
                 "x bare"], rows,
                title="(a) recording a 1000-step trajectory: wall-clock median, p90 and min; cpu = "
                      "median CPU time (waiting for a core left out); x bare = cpu / bare cpu"))
    print(f"end: {load_line()}\n")


def torch_step(torch, params, grads, **flags):
    """A function taking one ``torch.optim.Adam(**flags)`` step on a copy of params."""
    p = torch.nn.Parameter(torch.from_numpy(params.copy()))
    p.grad = torch.from_numpy(grads.copy())
    return torch.optim.Adam([p], lr=1e-3, **flags).step


def step_cells(torch, threads, params, grads) -> dict:
    """column name -> (function to time, torch threads to use or None)."""
    _, state = ae.adam_step(params, grads, ae.adam_init(params))   # non-zero moments, t = 1
    hyper = ae.OPTIMIZERS["adam"].hyper()
    cells = {"adam_step": (lambda: ae.adam_step(params, grads, state), None),
             "adam_update": (lambda: adam_update(params, grads, state, **hyper), None)}
    if torch is not None:
        cells["torch foreach"] = (torch_step(torch, params, grads, foreach=True), 1)
        cells["torch fused"] = (torch_step(torch, params, grads, fused=True), 1)
        cells[f"torch fused {threads}t"] = (torch_step(torch, params, grads, fused=True), threads)
    return cells


def step_sizes() -> None:
    try:
        import torch
    except ImportError:
        torch = None
    threads = torch.get_num_threads() if torch is not None else 0
    rng = np.random.default_rng(0)
    rows, headers = [], []
    print(f"start: {load_line()}")
    for n in SIZES:
        params = rng.standard_normal(n).astype(np.float32)
        grads = rng.standard_normal(n).astype(np.float32)
        medians = {}
        for name, (func, use_threads) in step_cells(torch, threads, params, grads).items():
            if use_threads:
                torch.set_num_threads(use_threads)
            medians[name] = summary(measure(func, repeats=200, warmup=2, budget_s=0.8))["median"]
        if torch is not None:
            torch.set_num_threads(threads)
        headers = [f"{name} ms" for name in medians]
        ratio = f"{medians['adam_step'] / medians['torch fused']:.1f}" if torch is not None else "-"
        rows.append([f"10^{round(np.log10(n))}", *(fmt_ms(m) for m in medians.values()),
                     f"{1e6 * medians['adam_step'] / n:.2f}", ratio])
    if torch is not None:
        note = (f"torch {torch.__version__}, 1 thread unless the column says {threads}t; "
                "adam_update is adam_step without its input checks")
    else:
        note = ("torch not importable, its columns skipped; see benchmarks/README.md for a "
                "separate venv with torch==2.13.0")
    print(table(["params (float32)", *headers, "adam_step ns/param", "adam_step / fused"], rows,
                title=f"(b) one Adam step, median ms ({note})"))
    print(f"end: {load_line()}\n")


def main() -> None:
    trajectories()
    step_sizes()


if __name__ == "__main__":
    main()
