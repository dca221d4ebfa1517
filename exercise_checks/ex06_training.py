"""Exercise 6, training a real model (solutions/ex06_training.ipynb).

Tasks: ``softmax_cross_entropy(logits, labels)``, ``warmup_cosine(t, *, peak_lr, warmup, total)``,
``adam_step_tree(params, grads, state, *, lr, beta1, beta2, eps)`` over a dict of arrays with one
``AdamState`` per key, and ``best_lr(lrs, scores)``.

The grading engine compares plain data and checks arrays passed directly for in-place changes;
``adam_step_tree`` takes and returns dicts of arrays and states, so its calls are *driven*: the
drive (run in the student's sandbox from its source) returns the dicts sorted by key, or says
which inputs are unchanged.
"""
from __future__ import annotations

import copy
import math

import numpy as np

import adam_edu as ae
from adam_edu import nn, schedules
from exercise_checks.adam_mistakes import MUTATED_INPUTS, make_step, mistake
from grader import Call, Criterion, Exercise, Mistake, call
from grader.compare import path_text, show

SOFTMAX_NAMES = ("mean_loss", "dlogits")
_rng = np.random.default_rng(6)
LOGITS = np.round(_rng.standard_normal((4, 5)) * 2, 3)
LABELS = np.array([0, 4, 2, 2])
HUGE = np.array([[1000.0, -1000.0, 0.0], [0.0, 1000.0, -1000.0], [-1000.0, 0.0, 1000.0]])


TREE_STEP = ("new_params", "new_state")                 # what tree_step_run returns
UNCHANGED = ("params", "grads", "state_m", "state_v")   # what tree_step_changes returns


def tree_step_run(step, params, grads, state, **kwargs) -> dict:
    """Call ``step`` once; return what came back as plain data. It runs in the student's sandbox
    from its source, with numpy and adam_edu only (see grader.wire.driver), so it returns a dict."""
    new_params, new_state = step(params, grads, state, **kwargs)
    for what, value in (("new_params", new_params), ("new_state", new_state)):
        if not isinstance(value, dict):
            raise TypeError(f"{what} must be a dict, got {type(value).__name__}")
    return {"new_params": dict(sorted(new_params.items())),
            "new_state": dict(sorted(new_state.items()))}


def tree_step_changes(step, params, grads, state, **kwargs) -> dict:
    """Call ``step`` once; say which inputs are still as they were (all True for a pure step)."""
    before = copy.deepcopy((params, grads, state))
    step(params, grads, state, **kwargs)

    def same(now, old, field=None):
        pick = (lambda x: getattr(x, field)) if field else (lambda x: x)
        return all(np.array_equal(pick(now[k]), pick(old[k])) for k in old)

    return {"params": same(params, before[0]), "grads": same(grads, before[1]),
            "state_m": same(state, before[2], "m"), "state_v": same(state, before[2], "v")}


def tree_label(path: tuple) -> str | None:
    """``("new_state", "b", "t")`` as ``new_state['b'].t``."""
    if len(path) >= 2 and path[0] in TREE_STEP:
        return f"{path[0]}[{path[1]!r}]{path_text(path[2:])}"
    if len(path) == 1 and path[0] in UNCHANGED:
        return f"'{path[0].replace('_', '.')} unchanged'"
    return None


def tree_call(params: dict, grads: dict, state: dict, *, changes=False, **kwargs) -> Call:
    """A driven call of adam_step_tree on dicts of arrays (its values, or which inputs it kept)."""
    states = ", ".join(f"{k!r}: AdamState(t={s.t}, m={show(s.m.tolist())}, v={show(s.v.tolist())})"
                       for k, s in state.items())
    text = (f"adam_step_tree(params={ {k: v.tolist() for k, v in params.items()} }, "
            f"grads={ {k: v.tolist() for k, v in grads.items()} }, state={{{states}}}, "
            + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + ")")
    drive = tree_step_changes if changes else tree_step_run
    return Call("adam_step_tree", (("params", params), ("grads", grads), ("state", state)), kwargs,
                drive, text + (", then compared every input with its copy" if changes else ""),
                tree_label)


_W, _B = np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([0.1, -0.2])
FIRST = tree_call({"W": _W, "b": _B}, {"W": np.array([[1.0, -2.0], [0.5, 3.0]]), "b": np.array([-1.0, 4.0])},
                  {"W": ae.adam_init(_W), "b": ae.adam_init(_B)}, lr=0.1, eps=1e-3)
# two arrays of the same shape with states of their own (different t, m, v)
_A = np.array([1.0, -2.0, 0.5])
LATER = tree_call({"a": _A, "c": -_A}, {"a": np.array([0.5, -3.0, 2.0]), "c": np.array([1.0, 1.0, -1.0])},
                  {"a": ae.AdamState(4, np.array([0.2, -0.5, 0.1]), np.array([0.04, 0.3, 0.02])),
                   "c": ae.AdamState(9, np.array([-0.3, 0.1, 0.0]), np.array([0.5, 0.01, 0.2]))},
                  lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3)
PURE = LATER._replace(drive=tree_step_changes, text=LATER.text + ", then compared every input "
                      "with its copy")
LRS = np.array([1e-3, 1e-2, 1e-1, 1.0])
SCORES = np.array([[0.50, 0.52, 0.48], [0.90, 0.91, 0.92], [0.99, 0.60, 0.70], [0.10, 0.10, 0.10]])

CRITERIA = (
    Criterion("ex06.softmax", 1, 2, "loss and gradient of random logits",
              (call("softmax_cross_entropy", ("logits", LOGITS), ("labels", LABELS)),), SOFTMAX_NAMES),
    Criterion("ex06.softmax_stable", 1, 2, "logits of ±1000: finite, exact loss and gradient",
              (call("softmax_cross_entropy", ("logits", HUGE), ("labels", np.array([2, 1, 0]))),),
              SOFTMAX_NAMES),
    Criterion("ex06.softmax_pure", 1, 1, "softmax_cross_entropy leaves its inputs unchanged",
              (call("softmax_cross_entropy", ("logits", LOGITS), ("labels", LABELS)),), pure=True),
    Criterion("ex06.warmup", 2, 2, "the warmup: t = 1, 3 and 5 of a 5-step warmup",
              tuple(call("warmup_cosine", ("t", t), peak_lr=0.1, warmup=5, total=50) for t in (1, 3, 5))),
    Criterion("ex06.cosine", 2, 2, "the cosine: t = 6, 20 and 50 (the last step)",
              tuple(call("warmup_cosine", ("t", t), peak_lr=0.1, warmup=5, total=50)
                    for t in (6, 20, 50))),
    Criterion("ex06.tree_first_step", 3, 2, "first step of a dict {W, b} from zero states", (FIRST,)),
    Criterion("ex06.tree_own_states", 3, 2, "two arrays of one shape, each with its own state", (LATER,)),
    Criterion("ex06.tree_pure", 3, 1, "adam_step_tree leaves params, grads and state unchanged",
              (PURE,)),
    Criterion("ex06.best_lr", 4, 2, "the α with the best mean over seeds",
              (call("best_lr", ("lrs", LRS), ("scores", SCORES)),)),
)


def functions(*, softmax="right", schedule="right", tree_flags=(), tree="right", pick="right") -> dict:
    """The four functions, right or with one named slip (the reference builds on adam_edu)."""
    def softmax_cross_entropy(logits, labels):
        z, rows = np.asarray(logits, dtype=float), np.arange(len(labels))
        shifted = z if softmax == "unstable" else z - z.max(axis=1, keepdims=True)
        with np.errstate(all="ignore"):
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            p = np.exp(log_p)
        loss = -log_p[rows, labels].sum() if softmax == "summed" else -log_p[rows, labels].mean()
        one_hot = np.eye(z.shape[1])[labels]
        d = one_hot - p if softmax == "sign_flipped" else p - one_hot
        return float(loss), d if softmax == "not_divided" else d / len(labels)

    def warmup_cosine(t, *, peak_lr, warmup, total):
        if t <= warmup:
            return peak_lr * ((t - 1) if schedule == "off_by_one" else t) / warmup
        phase = t / total if schedule == "cosine_from_zero" else (t - warmup) / (total - warmup)
        return peak_lr / 2 * (1 + math.cos(math.pi * phase))

    step = make_step(tree_flags, correct=tree != "uncorrected")

    def adam_step_tree(params, grads, state, *, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        new_params, new_state = {}, {}
        for key in params:
            s = state[next(iter(state))] if tree == "shared_state" else state[key]
            new_params[key], new_state[key] = step(params[key], grads[key], s, lr=lr, beta1=beta1,
                                                   beta2=beta2, eps=eps)
            if tree == "mutates":
                s.m[...], s.v[...] = new_state[key].m, new_state[key].v
        return new_params, new_state

    def best_lr(lrs, scores):
        per_lr = np.max(scores, axis=1) if pick == "best_seed" else np.mean(scores, axis=1)
        index = int(np.argmax(per_lr))
        return index if pick == "index" else float(lrs[index])

    return {"softmax_cross_entropy": softmax_cross_entropy, "warmup_cosine": warmup_cosine,
            "adam_step_tree": adam_step_tree, "best_lr": best_lr}


def _reference() -> dict:
    def softmax_cross_entropy(logits, labels):
        loss, dlogits = nn.softmax_cross_entropy(logits, labels)
        return float(loss), dlogits

    def warmup_cosine(t, *, peak_lr, warmup, total):
        return schedules.warmup_cosine(t, peak_lr=peak_lr, warmup=warmup, total=total)

    def adam_step_tree(params, grads, state, *, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        return ae.tree_step("adam", params, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def best_lr(lrs, scores):
        from adam_edu.training import best_lr as best_index
        return float(lrs[best_index(scores)])

    return dict(functions(), softmax_cross_entropy=softmax_cross_entropy,
                warmup_cosine=warmup_cosine, adam_step_tree=adam_step_tree, best_lr=best_lr)


MISTAKES = (
    Mistake("unstable_softmax", "softmax without subtracting the maximum",
            "exp(1000) overflows to inf, and inf/inf is nan: subtract each row's maximum from the "
            "logits before exp (it cancels in the softmax), and take log p as "
            "z − max − log Σ exp(z − max) rather than log(softmax).",
            (functions(softmax="unstable"),),
            (("    shifted = logits - logits.max(axis=1, keepdims=True)\n", "    shifted = logits\n"),)),
    Mistake("gradient_not_divided_by_n", "gradient not divided by n",
            "The loss is a mean over the n examples, so its gradient is (softmax − one-hot)/n; "
            "without the 1/n the step grows with the batch size.",
            (functions(softmax="not_divided"),),
            (("return float(-log_p[rows, labels].mean()), dlogits / n",
              "return float(-log_p[rows, labels].mean()), dlogits"),)),
    Mistake("loss_summed", "loss summed instead of averaged",
            "Return the mean over the examples, −(1/n) Σ log p_{i,y_i}, not the sum: the gradient "
            "you return is that of the mean.", (functions(softmax="summed"),)),
    Mistake("gradient_sign_flipped", "gradient of the wrong sign",
            "∂L/∂z = (softmax(z) − one-hot(y))/n: the probability minus the target, not the "
            "reverse (raising the right class's score must lower the loss).",
            (functions(softmax="sign_flipped"),)),
    Mistake("warmup_off_by_one", "warmup off by one",
            "t counts from 1, like Adam's t: step 1 has peak_lr/warmup and step `warmup` has "
            "exactly peak_lr. With (t − 1) the first step has a learning rate of 0 and the peak "
            "is never reached.", (functions(schedule="off_by_one"),),
            (("return peak_lr * t / warmup", "return peak_lr * (t - 1) / warmup"),)),
    Mistake("cosine_from_zero", "cosine phase ignores the warmup",
            "After the warmup the cosine runs over the remaining steps: its phase is "
            "(t − warmup)/(total − warmup), so it starts at peak_lr right after the warmup and "
            "reaches 0 at t = total.", (functions(schedule="cosine_from_zero"),)),
    Mistake("shared_state", "one state shared across arrays",
            "Every array needs its own state: state[key] for params[key]. Using one array's m, v "
            "and t for all arrays mixes their histories (and fails outright when the shapes "
            "differ).", (functions(tree="shared_state"),),
            (("        s = state[key]\n", "        s = state[next(iter(state))]   # one state for all\n"),)),
    mistake("t_never_incremented", [functions(tree_flags=("t_never_incremented",))],
            [("new_state[key] = ae.AdamState(t, m, v)", "new_state[key] = ae.AdamState(s.t, m, v)")]),
    mistake("no_bias_correction", [functions(tree="uncorrected")]),
    mistake("eps_inside_sqrt", [functions(tree_flags=("eps_inside_sqrt",))]),
    mistake("mutated_inputs", [functions(tree="mutates")]),
    Mistake("best_single_seed", "the best single seed instead of the best mean",
            "Compare the α by their mean score over the seeds (axis 1): the best single seed "
            "rewards a lucky initialisation, not a good α.", (functions(pick="best_seed"),),
            (("np.argmax(np.mean(scores, axis=1))", "np.argmax(np.max(scores, axis=1))"),)),
    Mistake("index_not_lr", "an index instead of the α",
            "Return the α itself, lrs[i], not its position i in the grid.",
            (functions(pick="index"),)),
)

EXERCISE = Exercise(
    "ex06", "ex06_training.ipynb", "Training a real model",
    {1: "softmax_cross_entropy", 2: "warmup_cosine", 3: "adam_step_tree", 4: "best_lr"},
    CRITERIA, _reference(), MISTAKES, MUTATED_INPUTS)
