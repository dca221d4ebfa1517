"""One self-contained feedback page per student: every check, its points and its explanation.

The page is plain HTML with its style inline: no script, no font, no image, nothing fetched, so it
reads the same offline, attached to an email or uploaded to an LMS as the student's feedback file.
Every text a student could have chosen (a folder name, an error message) is escaped.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from grader.safe_output import clean

STYLE = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1b1b1b}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem;
vertical-align:top;text-align:left}.ok{color:#1a7f37}.no{color:#b42318}.pts{white-space:nowrap}
.note{background:#fff8e1;padding:.4rem .6rem;margin:.3rem 0}.fb{color:#333;font-size:.95em}"""


def _e(text) -> str:
    return html.escape(clean(text))


def _number(value) -> str:
    return f"{round(float(value), 4):g}"


def page(row, config) -> str:
    """The feedback page of one :class:`~grader.classbook.Row`."""
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>Feedback: {_e(row.name)}</title><style>{STYLE}</style></head><body>",
             f"<h1>{_e(config.assignment)}: feedback for {_e(row.name)}</h1>"]
    parts.append(f"<p><strong>Grade: {_number(row.grade)} / {_number(config.points)}</strong> "
                 f"({_number(row.points)} of {_number(sum(config.maxima.values()))} points"
                 f"{', submitted late' if row.late else ''}).</p>")
    for note in row.notes:
        parts.append(f"<p class=\"note\">{_e(note)}</p>")
    for result in row.results:
        parts.append(f"<h2>{_e(result.exercise)} {_e(result.title)}: {_number(result.points)} / "
                     f"{_number(result.max_points)}</h2>")
        for note in result.notes:
            parts.append(f"<p class=\"note\">{_e(note)}</p>")
        parts.append("<table><tr><th></th><th>check</th><th>points</th></tr>")
        for c in result.criteria:
            mark = "<span class=\"ok\">✓</span>" if c.passed else "<span class=\"no\">✗</span>"
            shown = c.feedback and c.feedback not in result.notes      # a note says it once
            feedback = f"<div class=\"fb\">{_e(c.feedback)}</div>" if shown else ""
            parts.append(f"<tr><td>{mark}</td><td>Task {c.task}: {_e(c.title)}{feedback}</td>"
                         f"<td class=\"pts\">{_number(c.points)} / {_number(c.max_points)}</td></tr>")
        parts.append("</table>")
    if config.manual:
        parts.append("<h2>Graded by the instructor</h2><table>")
        for item, (title, most) in config.manual.items():
            points, reason = row.manual[item]
            parts.append(f"<tr><td>{_e(title)}<div class=\"fb\">{_e(reason)}</div></td>"
                         f"<td class=\"pts\">{_number(points)} / {_number(most)}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def file_name(row) -> str:
    """A safe file name for the row's page: letters, digits, ``-`` and ``_`` only."""
    return (re.sub(r"[^A-Za-z0-9_-]+", "_", row.identity).strip("_") or "student") + ".html"


def write_pages(rows: list, config, folder) -> list:
    """Write one page per row into ``folder``; returns the paths (names made unique)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for row in rows:
        path = folder / file_name(row)
        while path in paths:
            path = path.with_name(path.stem + "_" + ".html")
        path.write_text(page(row, config), encoding="utf-8")
        paths.append(path)
    return paths
