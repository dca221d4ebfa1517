"""One source for hyperparameters: defaults in the step signatures, one rule per name.

These tests fail when a default or a range drifts: a step's default against the documented one in
``tests/optimizer_info.py``, a function that takes Adam's hyperparameters against ``adam_step``'s
defaults, a docstring against the signature and the rule. They also fail when an optimizer is only
half added: a ``*_step`` of the package that is not registered, or a registered one with no row.
"""
import importlib
import inspect
import pkgutil
import re

import pytest

import adam_edu as ae
from adam_edu import _validate as validate
from tests.optimizer_info import INFO

LIBRARY = [importlib.import_module(f"adam_edu.{m.name}") for m in pkgutil.iter_modules(ae.__path__)
           if not m.ispkg]
# Modules whose functions take Adam's hyperparameters (ema.py's beta is an EMA's, documented there).
ADAM_MODULES = [ae.adam, ae.variants, ae.bias, ae.snr]
ADAM_DEFAULTS = ae.OPTIMIZERS["adam"].defaults
# AdaMax keeps the paper's own defaults (section 7.1: α = 0.002, no ε), not Adam's.
OWN_DEFAULTS = {"adamax_step"}


def public_functions(modules):
    for module in modules:
        for name, func in vars(module).items():
            if inspect.isfunction(func) and func.__module__ == module.__name__ and not name.startswith("_"):
                yield name, func


def test_every_step_function_is_registered_and_every_registered_optimizer_has_a_row():
    takes_a_state = [name for name, func in public_functions(LIBRARY)      # f(params, grads, state)
                     if list(inspect.signature(func).parameters)[:3] == ["params", "grads", "state"]]
    for kind in ("step", "update"):
        found = {name for name in takes_a_state if name.endswith(f"_{kind}")}
        registered = {getattr(opt, kind).__name__ for opt in ae.OPTIMIZERS.values()}
        assert found == registered, f"not registered: {found - registered}"
    assert set(INFO) == set(ae.OPTIMIZERS), f"no row in tests/optimizer_info.py: {set(ae.OPTIMIZERS) - set(INFO)}"
    for name, opt in ae.OPTIMIZERS.items():       # <name>_init and <name>_step, side by side
        module = importlib.import_module(opt.step.__module__)
        assert opt.step.__name__ == f"{name}_step" and getattr(module, f"{name}_init") is opt.init
        assert getattr(ae, f"{name}_step", opt.step) is opt.step     # what the package exports agrees
        assert opt.color in ae.plots.PALETTE


@pytest.mark.parametrize("name", sorted(INFO))
def test_defaults_are_the_documented_ones_and_pass_their_rules(name):
    opt = ae.OPTIMIZERS[name]
    assert opt.defaults == INFO[name].defaults
    assert opt.hyper() == opt.defaults
    assert set(opt.defaults) <= set(validate.HYPERPARAMETERS), "a hyperparameter with no rule"


@pytest.mark.parametrize("name, func", [pair for pair in public_functions(ADAM_MODULES)
                                        if pair[0] not in OWN_DEFAULTS], ids=lambda x: x if isinstance(x, str) else "")
def test_functions_that_take_adams_hyperparameters_default_them_as_adam_step_does(name, func):
    for parameter in inspect.signature(func).parameters.values():
        if parameter.name in ADAM_DEFAULTS and parameter.default is not parameter.empty:
            assert parameter.default == ADAM_DEFAULTS[parameter.name], f"{name}({parameter.name}=...)"
        if parameter.name == "weight_decay" and parameter.default is not parameter.empty:
            assert parameter.default == INFO["adamw"].defaults["weight_decay"], name


def documented(func):
    """name -> (default text or None, range text or None) from a numpydoc Parameters section."""
    doc = inspect.getdoc(func) or ""
    if "Parameters\n----------" not in doc:
        return {}
    section = re.split(r"\n\n(?=\S)|\n\w+\n-+\n", doc.split("Parameters\n----------\n", 1)[1])[0]
    entries = re.findall(r"^(\w+(?:, \w+)*) : ([^\n]*)\n((?:    [^\n]*\n?)*)", section, flags=re.M)
    found = {}
    for names, kind, text in entries:
        defaults = re.search(r"default=(.*)$", kind)
        defaults = defaults.group(1).split(", ") if defaults else [None] * len(names.split(", "))
        interval = re.search(r"\bin ([\[(][^\])]*[\])])", " ".join(text.split()))
        for name, default in zip(names.split(", "), defaults):
            found[name] = (default, interval.group(1) if interval else None)
    return found


DOCUMENTED = [(name, func, parameter, default, interval)
              for name, func in public_functions(ADAM_MODULES + [ae.family])
              for parameter, (default, interval) in documented(func).items()
              if parameter in validate.HYPERPARAMETERS]


def test_the_docstring_check_reads_something():
    assert {"adam_step", "uncorrected_first_step", "step_bound", "weights"} <= {d[0] for d in DOCUMENTED}


@pytest.mark.parametrize("name, func, parameter, default, interval", DOCUMENTED,
                         ids=[f"{d[0]}-{d[2]}" for d in DOCUMENTED])
def test_docstrings_state_the_signature_default_and_the_rule_range(name, func, parameter, default,
                                                                  interval):
    signature = inspect.signature(func).parameters[parameter]
    if default is not None:
        assert signature.default == (default == "True" if default in ("True", "False") else float(default))
    if interval is not None:
        with pytest.raises(ValueError, match=re.escape(f"must be in {interval}.")):
            validate.HYPERPARAMETERS[parameter](parameter, -1.0)


@pytest.mark.parametrize("name, bad, error, message", [
    ("lr", 0.0, ValueError, r"^lr == 0.0, must be in \(0, inf\)\.$"),
    ("beta1", 1.0, ValueError, r"^beta1 == 1.0, must be in \[0, 1\)\.$"),
    ("beta2", -0.5, ValueError, r"^beta2 == -0.5, must be in \[0, 1\)\.$"),
    ("beta", 1.5, ValueError, r"^beta == 1.5, must be in \[0, 1\)\.$"),
    ("eps", float("inf"), ValueError, r"^eps == inf, must be in \[0, inf\)\.$"),
    ("weight_decay", -1, ValueError, r"^weight_decay == -1.0, must be in \[0, inf\)\.$"),
    ("bias_correction", "yes", TypeError, r"^bias_correction must be True or False, got 'yes'\.$"),
    ("lr", float("nan"), ValueError, r"^lr == nan, must be a real number\.$"),
])
def test_one_rule_per_name(name, bad, error, message):
    assert set(validate.HYPERPARAMETERS) == {"lr", "beta", "beta1", "beta2", "eps", "weight_decay",
                                             "bias_correction"}
    with pytest.raises(error, match=message):
        validate.hyperparameters(**{name: bad})
