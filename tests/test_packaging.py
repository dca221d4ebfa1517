"""The two install paths (pip via course.py, conda via environment.yml) and the README agree."""
import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in ("course", "test"):
        reqs += project["optional-dependencies"][extra]
    parsed = [Requirement(r) for r in reqs]
    return {normal(r.name): r.specifier for r in parsed if r.marker is None or r.marker.evaluate()}


def environment_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            for pip_line in entry["pip"]:
                if not pip_line.startswith("-"):
                    r = Requirement(pip_line)
                    found[normal(r.name)] = r.specifier
            continue
        name, _, spec = entry.partition(" ")
        found[normal(name)] = SpecifierSet(spec.replace(" ", ""))
    return env, found


def test_environment_yml_has_the_same_packages_and_ranges_as_pyproject():
    want = pyproject_requirements()
    env, have = environment_requirements()
    have.pop("pip")
    python = have.pop("python")
    assert python == SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    assert sorted(have) == sorted(want), "environment.yml and pyproject.toml list different packages"
    for name, spec in want.items():
        assert have[name] == spec, f"{name}: environment.yml says {have[name]}, pyproject.toml says {spec}"
    assert env["channels"] == ["conda-forge"]
    pip_lines = next(e["pip"] for e in env["dependencies"] if isinstance(e, dict))
    assert "--editable ." in pip_lines, "environment.yml must install adam_edu itself"


def test_readme_quick_start_is_the_two_course_commands():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^python3 course\.py \S+", quick, flags=re.M)
    assert commands == ["python3 course.py lab", "python3 course.py test"]


def test_every_course_command_named_in_the_readme_exists():
    import course   # the repository root is on sys.path (pythonpath in pyproject.toml)

    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"python3 course\.py ([a-z-]+)", readme))
    assert named, "the README names no course.py command"
    assert named <= set(course.COMMANDS), f"README names unknown commands {named - set(course.COMMANDS)}"
    for name, (module, _) in course.TOOLS.items():
        assert importlib.util.find_spec(module) is not None, f"course.py {name} runs a missing {module}"


def test_ci_runs_the_readme_test_command_unchanged():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^python3 course\.py test$", ci, flags=re.M)


@pytest.mark.parametrize("name", ["lr", "beta1", "beta2", "eps", "m", "v", "m_hat", "v_hat", "t", "snr"])
def test_glossary_covers_the_code_names(name):
    readme = (ROOT / "README.md").read_text()
    glossary = readme.split("## Glossary", 1)[1].split("\n## ", 1)[0]
    assert re.search(rf"^\| `{name}` \|", glossary, flags=re.M), f"glossary lacks `{name}`"


def test_every_subpackage_is_included_in_a_regular_install():
    """A non-editable install ships only what [tool.setuptools.packages.find] includes."""
    from fnmatch import fnmatch

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["packages"]["find"]["include"]
    packages = {".".join(p.relative_to(ROOT).parent.parts) for p in (ROOT / "adam_edu").rglob("__init__.py")}
    assert {"adam_edu", "adam_edu.grading", "adam_edu.playgrounds"} <= packages
    missing = [p for p in packages if not any(fnmatch(p, pattern) for pattern in patterns)]
    assert not missing, f"not packaged: {missing}"


def test_public_surface_is_explicit_and_works_from_a_bare_import():
    """``import adam_edu as ae`` alone gives ``ae.plots.trajectory`` (lesson 2) and ``__all__`` only."""
    import subprocess

    code = ("import adam_edu as ae\n"
            "assert callable(ae.plots.trajectory) and callable(ae.snr.step_bound)\n"
            "assert callable(ae.bias.adam_on_sequence) and callable(ae.ema.half_life)\n"
            "names = {}\n"
            "exec('from adam_edu import *', names)\n"
            "print(sorted(set(names) - {'__builtins__'}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import adam_edu

    assert out.stdout.strip() == str(sorted(adam_edu.__all__))
    assert len(set(adam_edu.__all__)) == len(adam_edu.__all__)
    for hidden in ("registry", "optimizer", "trajectory", "objectives", "grading", "widgets"):
        assert hidden not in adam_edu.__all__
