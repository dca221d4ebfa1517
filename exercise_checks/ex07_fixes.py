"""Exercise 7, the fixes: AMSGrad, AdamW and Keras's ε (solutions/ex07_fixes.ipynb).

Tasks: ``amsgrad_step(params, grads, state, *, lr, beta1, beta2, eps)`` (PyTorch's AMSGrad),
``adamw_step(params, grads, state, *, lr, beta1, beta2, eps, weight_decay)`` (PyTorch's AdamW),
``keras_effective_eps(eps_hat, beta2, t)`` and ``reddi_run(rule, steps, *, lr, beta1, beta2, C)``.
"""
from __future__ import annotations

import math

import numpy as np

import adam_edu as ae
from adam_edu.epsilon import keras_effective_eps
from exercise_checks.adam_mistakes import MUTATED_INPUTS
from grader import Criterion, Exercise, Mistake, call

STEP_NAMES = ("new_params", "new_state")
PARAMS = np.array([1.0, -2.0, 0.5])
GRADS = np.array([0.5, -3.0, 2.0])
M, V = np.array([0.2, -0.5, 0.1]), np.array([0.04, 0.3, 0.02])
AMS_FIRST = call("amsgrad_step", ("params", PARAMS), ("grads", GRADS),
                 ("state", ae.AMSGradState(0, np.zeros(3), np.zeros(3), np.zeros(3))), lr=0.1)
# v_max above the new v in coordinates 0 and 2, below it in coordinate 1
AMS_LATER = call("amsgrad_step", ("params", PARAMS), ("grads", GRADS),
                 ("state", ae.AMSGradState(5, M, V, np.array([0.5, 0.3, 0.9]))),
                 lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3)
W_FIRST = call("adamw_step", ("params", PARAMS), ("grads", GRADS),
               ("state", ae.AdamState(0, np.zeros(3), np.zeros(3))), lr=0.1, weight_decay=0.1)
W_LATER = call("adamw_step", ("params", PARAMS), ("grads", GRADS), ("state", ae.AdamState(4, M, V)),
               lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3, weight_decay=0.5)
REDDI = dict(lr=0.5, beta1=0.0, beta2=0.1)

CRITERIA = (
    Criterion("ex07.amsgrad_first", 1, 2, "AMSGrad's first step from a zero state", (AMS_FIRST,),
              STEP_NAMES),
    Criterion("ex07.amsgrad_max", 1, 3, "a step where the kept maximum is larger than v_t",
              (AMS_LATER,), STEP_NAMES),
    Criterion("ex07.amsgrad_pure", 1, 1, "amsgrad_step leaves its inputs unchanged", (AMS_LATER,),
              pure=True),
    Criterion("ex07.adamw_first", 2, 2, "AdamW's first step from a zero state", (W_FIRST,),
              STEP_NAMES),
    Criterion("ex07.adamw_later", 2, 3, "an AdamW step with λ = 0.5 from a state with t = 4",
              (W_LATER,), STEP_NAMES),
    Criterion("ex07.adamw_pure", 2, 1, "adamw_step leaves its inputs unchanged", (W_LATER,),
              pure=True),
    Criterion("ex07.keras_eps", 3, 2, "Keras's ε̂ as Algorithm 1's ε at steps 1, 10 and 1000",
              tuple(call("keras_effective_eps", ("eps_hat", e), ("beta2", b), ("t", t))
                    for e, b, t in ((1e-7, 0.999, 1), (1e-7, 0.999, 1000), (1e-8, 0.99, 10)))),
    Criterion("ex07.reddi_adam", 4, 2,
              "Theorem 1's problem with Adam (your AdamW, λ = 0), 100 steps",
              (call("reddi_run", ("rule", "adam"), ("steps", 100), **REDDI),)),
    Criterion("ex07.reddi_amsgrad", 4, 2, "Theorem 1's problem with your AMSGrad, 100 steps",
              (call("reddi_run", ("rule", "amsgrad"), ("steps", 100), **REDDI),)),
)


def amsgrad_model(flag=None):
    """PyTorch's AMSGrad step, or one with the slip ``flag``."""
    def step(params, grads, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * grads
        if flag == "max_before_ema":          # the maximum folded into the EMA
            v = beta2 * np.maximum(state.v_max, state.v) + (1 - beta2) * grads**2
            v_max = v
        else:
            v = beta2 * state.v + (1 - beta2) * grads**2
            v_max = np.maximum(state.v_max, v / (1 - beta2**t) if flag == "max_over_vhat" else v)
        v_hat = v_max if flag == "max_over_vhat" else v_max / (1 - beta2**t)
        new_params = params - lr * m / (1 - beta1**t) / (np.sqrt(v_hat) + eps)
        return new_params, ae.AMSGradState(t, m, v, v_max)
    return step


def adamw_model(flag=None):
    """PyTorch's AdamW step, or one with the slip ``flag``."""
    def step(params, grads, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        if flag == "decay_in_gradient":
            return ae.adam_l2_step(params, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                   weight_decay=weight_decay)
        rate = weight_decay if flag == "decay_without_lr" else lr * weight_decay
        decayed = params if flag == "decay_after_step" else params * (1 - rate)
        new_params, new_state = ae.adam_step(decayed, grads, state, lr=lr, beta1=beta1, beta2=beta2,
                                             eps=eps)
        if flag == "decay_after_step":
            new_params = new_params * (1 - rate)
        return new_params, new_state
    return step


def functions(*, amsgrad=ae.amsgrad_step, adamw=ae.adamw_step, eps=keras_effective_eps,
              flag=None) -> dict:
    """The four functions, each replaceable by a wrong one; ``flag`` is a slip of reddi_run."""
    def reddi_run(rule, steps, *, lr, beta1, beta2, C=3.0):   # Adam is AdamW with λ = 0
        step, init = {"adam": (adamw, ae.adam_init), "amsgrad": (amsgrad, ae.amsgrad_init)}[rule]
        hyper = {"weight_decay": 0.0} if rule == "adam" else {}
        x, path = np.zeros(1), [0.0]
        state = init(x)
        for t in range(1, steps + 1):
            rare = t % 3 == (0 if flag == "rare_step_shifted" else 1)
            alpha = lr if flag == "constant_lr" else lr / math.sqrt(t)
            x, state = step(x, np.array([C if rare else -1.0]), state, lr=alpha, beta1=beta1,
                            beta2=beta2, eps=0.0, **hyper)
            x = x if flag == "no_projection" else np.clip(x, -1.0, 1.0)
            path.append(float(x[0]))
        return np.array(path)

    return {"amsgrad_step": amsgrad, "adamw_step": adamw, "keras_effective_eps": eps,
            "reddi_run": reddi_run}


MISTAKES = (
    Mistake("max_over_vhat", "the maximum taken over v̂_t (optax's AMSGrad)",
            "You kept the maximum of the bias-corrected v̂_t = v_t/(1 − β2^t); that is optax's "
            "AMSGrad. PyTorch and Keras keep the maximum of the raw v_t and correct it afterwards: "
            "v_max = max(v_max, v_t), v̂_t = v_max/(1 − β2^t). The state's v_max holds raw values.",
            (functions(amsgrad=amsgrad_model("max_over_vhat")),),
            (("    v_max = np.maximum(state.v_max, v)\n    m_hat = m / (1 - beta1**t)\n"
              "    v_hat = v_max / (1 - beta2**t)\n",
              "    v_max = np.maximum(state.v_max, v / (1 - beta2**t))\n"
              "    m_hat = m / (1 - beta1**t)\n    v_hat = v_max\n"),)),
    Mistake("max_before_ema", "the maximum taken before the EMA update",
            "You took the maximum before the EMA update (v_t = β2·max(v_max, v_{t−1}) + ...). "
            "AMSGrad updates v_t exactly as Adam does and keeps the maximum beside it: "
            "v_t = β2·v_{t−1} + (1 − β2)·g_t², then v_max = max(v_max, v_t).",
            (functions(amsgrad=amsgrad_model("max_before_ema")),)),
    Mistake("decay_in_gradient", "the decay added to the gradient (that is Adam + L2)",
            "You added λθ to the gradient: that is L2 regularisation (PyTorch's Adam(weight_decay=λ)), "
            "and Adam then divides the decay by √v̂ like the rest. AdamW decouples it: "
            "θ' = θ·(1 − α·λ) first, then an ordinary Adam step with the gradient as it is.",
            (functions(adamw=adamw_model("decay_in_gradient")),),
            (("    decayed = params * (1 - lr * weight_decay)\n    t = state.t + 1\n"
              "    m = beta1 * state.m + (1 - beta1) * grads\n"
              "    v = beta2 * state.v + (1 - beta2) * grads**2\n",
              "    decayed = params\n    grads = grads + weight_decay * params\n    t = state.t + 1\n"
              "    m = beta1 * state.m + (1 - beta1) * grads\n"
              "    v = beta2 * state.v + (1 - beta2) * grads**2\n"),)),
    Mistake("decay_after_step", "the decay applied after the Adam step",
            "You shrank the weights after the Adam step. PyTorch's AdamW decays θ_{t−1} first, "
            "θ' = θ_{t−1}·(1 − α·λ), then subtracts α·m̂_t/(√v̂_t + ε) from θ'.",
            (functions(adamw=adamw_model("decay_after_step")),)),
    Mistake("decay_without_lr", "the decay not multiplied by lr",
            "The decay is not multiplied by the learning rate: PyTorch and Keras shrink by "
            "θ·(1 − lr·λ), not θ·(1 − λ). (The paper's λ is different again: it is multiplied by "
            "the schedule's η_t only, so λ_paper = lr·λ_torch.)",
            (functions(adamw=adamw_model("decay_without_lr")),),
            (("    decayed = params * (1 - lr * weight_decay)\n",
              "    decayed = params * (1 - weight_decay)\n"),)),
    Mistake("eps_scaled_wrong_way", "ε̂ scaled the wrong way",
            "The scaling is inverted. Keras's step equals Algorithm 1's when "
            "√v̂_t + ε = (√v_t + ε̂)/√(1 − β2^t), so ε = ε̂/√(1 − β2^t): larger than ε̂ "
            "(31.6·ε̂ at t = 1 with β2 = 0.999), not ε̂·√(1 − β2^t).",
            (functions(eps=lambda eps_hat, beta2, t: eps_hat * math.sqrt(1 - beta2**t)),),
            (("    return eps_hat / math.sqrt(1 - beta2**t)\n",
              "    return eps_hat * math.sqrt(1 - beta2**t)\n"),)),
    Mistake("eps_root_forgotten", "the square root forgotten in ε's scaling",
            "ε̂ is divided by 1 − β2^t; the bias correction of v sits under the square root, so "
            "the factor is √(1 − β2^t): ε = ε̂/√(1 − β2^t).",
            (functions(eps=lambda eps_hat, beta2, t: eps_hat / (1 - beta2**t)),)),
    Mistake("no_projection", "no projection onto [−1, 1]",
            "x left the interval: after each step, project back onto [−1, 1] with "
            "np.clip(x, -1.0, 1.0). The problem, and Reddi et al.'s theorems, live on that set.",
            (functions(flag="no_projection"),),
            (("        x = np.clip(x, -1.0, 1.0)\n", ""),)),
    Mistake("constant_lr", "α not divided by √t",
            "The step size is constant: the online setting uses α_t = α/√t (lr / math.sqrt(t)).",
            (functions(flag="constant_lr"),)),
    Mistake("rare_step_shifted", "the rare gradient at the wrong steps",
            "The gradient C comes when t mod 3 = 1 (t = 1, 4, 7, ..., counting steps from 1); "
            "otherwise it is −1.", (functions(flag="rare_step_shifted"),)),
)

EXERCISE = Exercise(
    "ex07", "ex07_fixes.ipynb", "The fixes: AMSGrad, AdamW and Keras's ε",
    {1: "amsgrad_step", 2: "adamw_step", 3: "keras_effective_eps", 4: "reddi_run"}, CRITERIA,
    functions(), MISTAKES, MUTATED_INPUTS)
