"""A class roster, read from the learning management system's own export, and the join to it.

:func:`read_roster` reads a CSV exported by Canvas (Grades → Export: ``Student, ID, SIS User ID,
SIS Login ID, Section, ...``), Moodle (participants or grades export: ``First name, Last name
(or Surname), ID number, Username, Email address``) or Gradescope (roster: ``First Name, Last
Name`` or ``Full Name``/``Name``, ``Email``, ``SID``); header names are matched ignoring case.
:func:`join` matches each submission's keys (a Canvas user id, a folder name) against every
identifying field of every student, ignoring case and punctuation.

>>> key("Alice.Anders@Example.edu"), key("Anders, Alice"), key(" 0042 ")
('aliceandersexampleedu', 'andersalice', '0042')
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NamedTuple

# Our field <- the header names the three systems use for it (lower case).
HEADERS = {
    "name": ("student", "full name", "name"),
    "first": ("first name", "firstname"),
    "last": ("last name", "lastname", "surname"),
    "canvas_id": ("id",),
    "sis_user_id": ("sis user id",),
    "sis_login_id": ("sis login id",),
    "section": ("section", "sections"),
    "email": ("email", "email address"),
    "username": ("username",),
    "id_number": ("id number", "idnumber"),
    "sid": ("sid", "student id"),
}


class Student(NamedTuple):
    """One student of the roster; a field the export did not have is ``""``."""

    name: str = ""
    first: str = ""
    last: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""
    username: str = ""
    id_number: str = ""
    sid: str = ""

    @property
    def display(self) -> str:
        """The student's name as people write it: "Alice Anders"."""
        if self.first or self.last:
            return f"{self.first} {self.last}".strip()
        if "," in self.name:                      # Canvas writes "Anders, Alice"
            last, first = (part.strip() for part in self.name.split(",", 1))
            return f"{first} {last}"
        return self.name

    def keys(self) -> set:
        """Every string a layout may name this student by, as :func:`key` normalises it."""
        first, _, last = self.display.rpartition(" ")
        values = (self.canvas_id, self.sis_user_id, self.sis_login_id, self.email,
                  self.email.split("@")[0], self.username, self.id_number, self.sid, self.name,
                  self.display, f"{last}{first}", f"{last} {first}")
        return {key(value) for value in values if key(value)}


def key(text: str) -> str:
    """``text`` lower-cased with everything but letters and digits removed."""
    return re.sub(r"[\W_]+", "", str(text).lower())


def read_roster(path) -> list:
    """The students of a roster CSV (Canvas, Moodle or Gradescope export); raises ValueError
    naming the file and the columns it needs when it identifies no one."""
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise ValueError(f"roster == {str(path)!r}: the file is empty.")
    header = [cell.strip().lower() for cell in rows[0]]
    columns = {field: header.index(name) for field, names in HEADERS.items()
               for name in names if name in header}
    identifying = set(columns) - {"section", "first", "last"}
    if not identifying:
        wanted = ", ".join(names[0] for names in HEADERS.values())
        raise ValueError(f"roster == {str(path)!r}: no column identifies a student; expected one "
                         f"of {wanted} (as Canvas, Moodle or Gradescope export them).")
    students = []
    for row in rows[1:]:
        values = {field: row[index].strip() if index < len(row) else ""
                  for field, index in columns.items()}
        # Canvas's export has a "Points Possible" row (and a test student) that are not students.
        if values.get("name", "").strip().lower() in ("points possible", "student, test"):
            continue
        if any(values.get(field) for field in identifying):
            students.append(Student(**values))
    return students


def join(submissions: list, students: list) -> tuple:
    """({identity: Student}, [identity with no student], [Student with no submission],
    [(identity, why)] for a submission several students match)."""
    index = {}
    for student in students:
        for value in student.keys():
            index.setdefault(value, set()).add(student)
    matched, unmatched, ambiguous = {}, [], []
    for submission in submissions:
        for value in (key(k) for k in submission.keys):
            found = index.get(value, set())
            if len(found) == 1:
                student = next(iter(found))
                twin = next((i for i, s in matched.items() if s == student), None)
                if twin is None:
                    matched[submission.identity] = student
                else:
                    ambiguous.append((submission.identity, f"{student.display} again (also {twin})"))
                break
            if len(found) > 1:
                names = ", ".join(sorted(s.display for s in found))
                ambiguous.append((submission.identity, f"matches {names}"))
                break
        else:
            unmatched.append(submission.identity)
    taken = set(matched.values())
    return matched, unmatched, [s for s in students if s not in taken], ambiguous
