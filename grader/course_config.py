"""The instructor's side of a grade: weights, points scale, late policy, manual items, overrides.

A course-config file is a small JSON object, every key optional::

    {"assignment": "Adam exercises",          # the gradebook column's name in the LMS
     "points": 100,                           # the grade is out of this many points
     "weights": {"ex01": 1, "ex02": 2, "written": 1},   # default: each item's own points
     "late_penalty": 0.1,                     # fraction of the grade a late submission loses
     "manual": [{"id": "written", "title": "Written answers", "points": 10}]}

The grade is ``points × Σ w_i·(p_i / m_i) / Σ w_i`` over the exercises and manual items (``p_i``
of ``m_i`` points), times ``1 − late_penalty`` when the layout marked the submission late. With no
config it is the sum of the points, out of the sum of the maxima. An overrides CSV (``student,
check, points, reason``) sets a criterion's or a manual item's points for one student, with the
reason shown in the feedback.

>>> config = load_config(None, {"ex01": 10, "ex02": 30})
>>> grade(config, {"ex01": 5, "ex02": 30}, late=False)
35.0
>>> grade(config._replace(points=100, weights={"ex01": 1, "ex02": 1}, late_penalty=0.5),
...       {"ex01": 5, "ex02": 30}, late=True)
37.5
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import NamedTuple

KEYS = {"assignment", "points", "weights", "late_penalty", "manual"}


class Config(NamedTuple):
    assignment: str
    points: float
    weights: dict       # item -> weight
    late_penalty: float
    manual: dict        # manual item id -> (title, points)
    maxima: dict        # item -> its maximum points (exercises and manual items)


class Override(NamedTuple):
    student: str
    check: str
    points: float
    reason: str


def _number(value, name: str, low: float, high: float, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValueError(f"{where}: {name} == {value!r}, must be a number in [{low:g}, {high:g}].")
    return float(value)


def load_config(path, exercise_points: dict, assignment: str = "Exercises") -> Config:
    """The config in ``path`` (None: the defaults) for exercises with ``exercise_points``
    ({name: max points}); raises ValueError naming the key, the value and what it must be."""
    data, where = {}, str(path)
    if path is not None:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"config == {where!r}: not a readable JSON file ({error}).") from None
        if not isinstance(data, dict) or set(data) - KEYS:
            raise ValueError(f"{where}: unknown keys {sorted(set(data) - KEYS)}; the keys are "
                             f"{sorted(KEYS)}." if isinstance(data, dict) else
                             f"{where}: must be a JSON object.")
    manual = {}
    for item in data.get("manual", []):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise ValueError(f"{where}: manual == {item!r}, must be {{\"id\", \"title\", \"points\"}}.")
        if item["id"] in exercise_points or item["id"] in manual:
            raise ValueError(f"{where}: manual id {item['id']!r} is already an item's name.")
        manual[item["id"]] = (str(item.get("title", item["id"])),
                              _number(item.get("points"), f"points of {item['id']}", 1e-9, 1e6, where))
    maxima = {**{name: float(points) for name, points in exercise_points.items()},
              **{name: points for name, (_, points) in manual.items()}}
    weights = data.get("weights", maxima)
    if not isinstance(weights, dict) or set(weights) - set(maxima):
        raise ValueError(f"{where}: weights == {weights!r}; its keys must be among {sorted(maxima)}.")
    weights = {name: _number(weights.get(name, 0), f"weights[{name!r}]", 0, 1e6, where)
               for name in maxima}
    if not sum(weights.values()):
        raise ValueError(f"{where}: weights are all 0; at least one item must count.")
    points = data.get("points", sum(maxima.values()))
    return Config(str(data.get("assignment", assignment)),
                  _number(points, "points", 1e-9, 1e6, where), weights,
                  _number(data.get("late_penalty", 0), "late_penalty", 0, 1, where), manual, maxima)


def grade(config: Config, earned: dict, *, late: bool) -> float:
    """The student's grade out of ``config.points`` from {item: points earned} (missing: 0)."""
    total = sum(config.weights.values())
    share = sum(w * earned.get(name, 0) / config.maxima[name] for name, w in config.weights.items())
    return round(config.points * share / total * (1 - config.late_penalty if late else 1), 4)


def read_overrides(path, checks: dict) -> list:
    """The overrides CSV ``student, check, points, reason``; ``checks`` maps each criterion or
    manual item id to its maximum points. Raises ValueError naming the row and what is wrong."""
    path, out = Path(path), []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, 2):
        where = f"{path.name}, row {number}"
        missing = {"student", "check", "points", "reason"} - set(row)
        if missing:
            raise ValueError(f"{where}: columns {sorted(missing)} missing; the header must be "
                             "student,check,points,reason.")
        check = row["check"].strip()
        if check not in checks:
            raise ValueError(f"{where}: check == {check!r} is not a criterion or manual item; "
                             f"e.g. {', '.join(sorted(checks)[:3])}.")
        try:
            points = float(row["points"])
        except ValueError:
            raise ValueError(f"{where}: points == {row['points']!r}, must be a number in "
                             f"[0, {checks[check]:g}].") from None
        _number(points, "points", 0, checks[check], where)
        out.append(Override(row["student"].strip(), check, points, row["reason"].strip()))
    return out
