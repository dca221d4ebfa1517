"""Gradebooks a learning management system imports, and the full one for the instructor.

Each LMS export is one assignment column keyed on the identities that LMS matches on; column names
and order follow the system's own export, so its importer recognises them:

- Canvas (Grades → Import): ``Student, ID, SIS User ID, SIS Login ID, Section, <assignment>``,
  then a ``Points Possible`` row as in Canvas's own export; Canvas matches on ID, SIS User ID or
  SIS Login ID;
- Moodle (Grades → Import → CSV file): ``First name, Last name, ID number, Username, Email
  address, <assignment> (Real)``, as its plain-text export; map the user by email or ID number;
- Gradescope (roster columns): ``First Name, Last Name, Email, SID``, then ``Total Score, Max
  Points`` as its grade export names them.

Every text cell passes :func:`grader.safe_output.csv_cell` (no spreadsheet formulas).
"""
from __future__ import annotations

import csv
import io
import json

from grader.report import exercise_records
from grader.safe_output import clean, csv_cell

CANVAS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE = ("First name", "Last name", "ID number", "Username", "Email address")
GRADESCOPE = ("First Name", "Last Name", "Email", "SID")


def number(value: float) -> str:
    """``37.5`` as "37.5", ``35.0`` as "35": what a gradebook cell shows."""
    return f"{round(value, 4):g}"


def _csv(header, lines) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for line in lines:
        writer.writerow([csv_cell(cell) for cell in line])
    return buffer.getvalue()


def _first_last(row) -> tuple:
    """(first, last) name of a row's student: the roster's, else the name split at its last space."""
    s = row.student
    if s and (s.first or s.last):
        return s.first, s.last
    first, _, last = row.name.rpartition(" ")
    return (first, last) if first else (row.name, "")


def canvas_id(row) -> str:
    """The Canvas user id: the roster's, or the one in a Canvas download's file names."""
    if row.student and row.student.canvas_id:
        return row.student.canvas_id
    return row.keys[0] if row.keys and row.keys[0].isdigit() else ""


def canvas_csv(rows: list, config) -> str:
    """The Canvas import file: one row per student, the grade in one assignment column."""
    lines = [("Points Possible", "", "", "", "", number(config.points))]
    for row in rows:
        s = row.student
        lines.append((s.name if s and s.name else row.name, canvas_id(row),
                      s.sis_user_id if s else "", s.sis_login_id if s else "",
                      s.section if s else "", number(row.grade)))
    return _csv((*CANVAS, config.assignment), lines)


def moodle_csv(rows: list, config) -> str:
    """The Moodle import file: names, the identities Moodle maps on, the grade."""
    lines = []
    for row in rows:
        s = row.student
        lines.append((*_first_last(row), s.id_number if s else "", s.username if s else "",
                      s.email if s else "", number(row.grade)))
    return _csv((*MOODLE, f"{config.assignment} (Real)"), lines)


def gradescope_csv(rows: list, config) -> str:
    """Gradescope's roster columns with the grade and its maximum."""
    lines = []
    for row in rows:
        s = row.student
        lines.append((*_first_last(row), s.email if s else "", s.sid if s else "",
                      number(row.grade), number(config.points)))
    return _csv((*GRADESCOPE, "Total Score", "Max Points"), lines)


def full_csv(rows: list, exercises: list, config) -> str:
    """For the instructor: identity, grade, late, points per exercise, manual item and criterion
    (each header says its maximum), and the notes."""
    criteria = [c for e in exercises for c in e.criteria]
    header = ["student", "name", "email", "grade", "late", "points",
              *(f"{e.name} /{e.max_points}" for e in exercises),
              *(f"{item} /{points:g}" for item, (_, points) in config.manual.items()),
              *(f"{c.id} /{c.points}" for c in criteria), "notes"]
    lines = []
    for row in rows:
        by_exercise = {r.exercise: r.points for r in row.results}
        by_criterion = {c.id: c.points for r in row.results for c in r.criteria}
        lines.append((row.identity, row.name, row.student.email if row.student else "",
                      number(row.grade), "late" if row.late else "", number(row.points),
                      *(by_exercise.get(e.name, 0) for e in exercises),
                      *(number(row.manual[item][0]) for item in config.manual),
                      *(number(by_criterion.get(c.id, 0)) for c in criteria),
                      "; ".join(row.notes + [n for r in row.results for n in r.notes])))
    return _csv(header, lines)


def full_json(rows: list, config) -> str:
    """Everything: per student the grade, the identity, every criterion's points and feedback."""
    out = {"assignment": config.assignment, "points": config.points, "weights": config.weights,
           "late_penalty": config.late_penalty, "students": {}}
    for row in rows:
        out["students"][row.identity] = {
            "name": row.name, "student": row.student._asdict() if row.student else None,
            "grade": row.grade, "points": row.points, "late": row.late, "notes": row.notes,
            "manual": {item: {"points": p, "reason": why} for item, (p, why) in row.manual.items()},
            "exercises": exercise_records(row.results)}
    return clean(json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True)) + "\n"
