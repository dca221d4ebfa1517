"""Find each student's notebooks in the layouts learning management systems download.

:func:`find_submissions` accepts a folder or a zip and recognises, entry by entry:

- a folder per student, the notebooks anywhere inside it (``alice/`` or ``alice/exercises/``),
  Moodle's ``<full name>_<participant id>_assignsubmission_file_`` folders included;
- flat files named by the LMS, grouped by student: Canvas's ``<name>_[LATE_]<user id>_<submission
  id>_<file>`` (the ``LATE`` marker kept) and Moodle's ``<full name>_<participant
  id>_assignsubmission_file_<file>``;
- a zip per student (named after the student, or a Canvas name), and one zip of all of these.

Inside a submission a notebook is recognised by its name ignoring case and a download's copy
suffix (``ex02_adam_step (1).ipynb``, Canvas's resubmission ``-1``); of several copies the newest is
graded and the others are reported. Everything else is reported by name, never silently dropped.
Nothing here runs a notebook: :func:`stage` copies what was found into one folder per student for
the grader (:mod:`grader.submission`, the sandbox).

>>> notebook_key("EX02_Adam_Step (1).ipynb"), notebook_key("ex02_adam_step-2.ipynb")
('ex02_adam_step', 'ex02_adam_step')
>>> copy_number("ex02_adam_step (12).ipynb"), copy_number("ex02_adam_step.ipynb")
(12, 0)
>>> lms_name("aliceanders_LATE_5164_95164_ex01_moments.ipynb")
('aliceanders', ('5164', 'aliceanders'), True, 'ex01_moments.ipynb')
>>> lms_name("Alice Anders_123456_assignsubmission_file_")
('Alice Anders', ('Alice Anders', '123456'), False, '')
"""
from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from grader import notebook_source, unzip

MOODLE = re.compile(r"^(?P<name>[^_]+)_(?P<id>\d+)_assignsubmission_[a-z]+_(?P<file>.*)$")
CANVAS = re.compile(r"^(?P<name>[^_]+)_(?:(?P<late>late)_)?(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$",
                    re.I)
COPY_SUFFIX = re.compile(r"(?:\s*\(\d+\)|-\d+)$")
IGNORED_NAMES = ("__MACOSX", ".ipynb_checkpoints", ".DS_Store", "Thumbs.db", "desktop.ini")


class Submission(NamedTuple):
    """One student as the layout names them: ``identity`` (folder, zip or Canvas name), ``keys``
    to match a roster with (a Canvas user id first), ``files`` {notebook name: path}, ``late``
    (the layout marked it), and ``notes`` on files passed over (duplicates, unrecognised)."""

    identity: str
    keys: tuple
    files: dict
    late: bool
    notes: list


def notebook_key(name: str) -> str:
    """The name a notebook is recognised by: lower case, no ``.ipynb``, no copy suffix."""
    stem = name[:-len(".ipynb")] if name.lower().endswith(".ipynb") else name
    return COPY_SUFFIX.sub("", stem).strip().lower()


def copy_number(name: str) -> int:
    """1 for ``ex02 (1).ipynb`` or ``ex02-1.ipynb``, 0 for the original: a later copy is newer."""
    found = COPY_SUFFIX.search(PurePosixPath(name).stem)
    return int(re.sub(r"\D", "", found.group())) if found else 0


def lms_name(name: str):
    """(identity, keys, late, original file name) of a name Moodle or Canvas gave a download, or
    None. Canvas's user id comes first among the keys (its gradebook's ID); Moodle's participant
    id is not in its exports, so the student's full name comes first."""
    found = MOODLE.match(name)
    if found:
        return found["name"], (found["name"], found["id"]), False, found["file"]
    found = CANVAS.match(name)
    if found:
        return found["name"], (found["user"], found["name"]), bool(found["late"]), found["file"]
    return None


def _files(folder: Path, notes: list, where: str):
    """Every regular file under ``folder``, sorted, skipping system folders. A symbolic link is
    never followed (it could point at anything, the course's solutions included): it is noted."""
    found = []
    for top, folders, files in os.walk(folder, followlinks=False):
        top = Path(top)
        for name in sorted(folders):
            if name in IGNORED_NAMES or name.startswith("."):
                folders.remove(name)
            elif (top / name).is_symlink():
                notes.append(f"{where}{(top / name).relative_to(folder)}: a symbolic link; not followed")
        for name in files:
            path = top / name
            if name in IGNORED_NAMES or name.startswith("."):
                continue
            if path.is_symlink():
                notes.append(f"{where}{path.relative_to(folder)}: a symbolic link; not graded")
            elif path.is_file():
                found.append(path)
    return sorted(found)


def _choose(candidates: dict, notebooks: dict, where: str, notes: list) -> dict:
    """{notebook: path} from {key: [(path, label)]}: the newest copy, the others noted."""
    chosen = {}
    for key, copies in candidates.items():
        copies = sorted(copies, key=lambda c: (c[0].stat().st_mtime, copy_number(c[1])))
        chosen[notebooks[key]] = copies[-1][0]
        for path, label in copies[:-1]:
            notes.append(f"{where}{label}: another copy of {notebooks[key]}; graded the newest, "
                         f"{copies[-1][1]}")
        if len(copies) == 1 and PurePosixPath(copies[0][1]).name != notebooks[key]:
            notes.append(f"{where}{copies[0][1]}: graded as {notebooks[key]} (names are matched "
                         "ignoring case and a copy's (1) or -1)")
    return chosen


def _collect(paths, notebooks: dict, where: str, label=lambda p: p.name) -> tuple:
    """({notebook: path}, notes) from file paths: notebooks recognised by name, the rest noted."""
    candidates, notes = {}, []
    for path in paths:
        name = PurePosixPath(label(path)).name
        key = notebook_key(name)
        if name.lower().endswith(".ipynb") and key in notebooks:
            candidates.setdefault(key, []).append((path, label(path)))
        else:
            notes.append(f"{where}{label(path)}: not one of the exercise notebooks; not graded")
    return _choose(candidates, notebooks, where, notes), notes


def find_submissions(source, notebooks, workdir) -> tuple:
    """([Submission], [(entry, why skipped)]) for a folder or zip of submissions.

    ``notebooks`` are the exercise notebooks' file names; ``workdir`` an empty folder the zips are
    unpacked into (the caller deletes it). A student may have no recognised notebook: their
    ``files`` is empty and their notes say what was found instead.
    """
    source, workdir = Path(source), Path(workdir)
    wanted = {notebook_key(name): name for name in notebooks}
    skipped = []
    if source.is_file():
        root = workdir / "unpacked"
        skipped += [(source.name, note) for note in unzip.extract(source, root)]
        entries = [p for p in root.iterdir()] if root.is_dir() else []
        while len(entries) == 1 and entries[0].is_dir() and not _holds(entries[0], wanted):
            entries = list(entries[0].iterdir())          # a zip of one folder of submissions
    else:
        entries = list(source.iterdir())
    found, flat = [], {}
    for entry in sorted(entries, key=lambda p: p.name):
        if entry.name in IGNORED_NAMES:
            continue
        if entry.is_symlink():
            skipped.append((entry.name, "a symbolic link, not a submission"))
        elif entry.name.startswith("."):
            skipped.append((entry.name, "a hidden entry (its name starts with a dot)"))
        elif entry.is_dir():
            links = []
            files, notes = _collect(_files(entry, links, f"{entry.name}/"), wanted, f"{entry.name}/",
                                    lambda p, e=entry: str(p.relative_to(e)))
            identity, keys, late, _ = lms_name(entry.name) or (entry.name, (entry.name,), False, "")
            found.append(Submission(identity, keys, files, late, links + notes))
        elif entry.suffix.lower() == ".zip":
            found.append(_zipped(entry, wanted, workdir))
        elif lms_name(entry.name):
            identity, keys, late, original = lms_name(entry.name)
            flat.setdefault(keys, []).append((identity, late, original, entry))
        else:
            skipped.append((entry.name, "neither a student's folder or zip nor a file named like "
                            "a Canvas or Moodle download (name_userid_submissionid_file)"))
    for keys, items in flat.items():
        paths = {entry: original for _, _, original, entry in items}
        files, notes = _collect(paths, wanted, "", lambda p: paths[p])
        found.append(Submission(items[0][0], keys, files, any(i[1] for i in items), notes))
    return _distinct(sorted(found, key=lambda s: s.identity)), skipped


def _distinct(found: list) -> list:
    """The submissions with distinct identities: a second "alice" (a folder and a zip) becomes
    "alice (2)", with a note, so neither is graded in place of the other."""
    seen, out = {}, []
    for submission in found:
        count = seen[submission.identity] = seen.get(submission.identity, 0) + 1
        if count > 1:
            submission = submission._replace(
                identity=f"{submission.identity} ({count})", notes=submission.notes + [
                    f"a second submission named {submission.identity}; graded separately"])
        out.append(submission)
    return out


def _holds(folder: Path, wanted: dict) -> bool:
    """Whether ``folder`` itself holds an exercise notebook (then it is a student's folder)."""
    return any(p.is_file() and notebook_key(p.name) in wanted for p in folder.iterdir())


def _zipped(archive: Path, wanted: dict, workdir: Path) -> Submission:
    """A student's zip: named after the student (or a Canvas name), the notebooks anywhere inside."""
    identity, keys, late, _ = lms_name(archive.name) or (archive.stem, (archive.stem,), False, "")
    into = workdir / "zips" / archive.name
    notes = unzip.extract(archive, into)
    files, more = _collect(_files(into, notes, f"{archive.name}:"), wanted, f"{archive.name}:",
                           lambda p: str(p.relative_to(into))) if into.is_dir() else ({}, [])
    return Submission(identity, keys, files, late, notes + more)


def one_student(folder, notebooks) -> Submission:
    """One student's files (Gradescope's ``/autograder/submission``): the notebooks anywhere in
    ``folder``, recognised as in a student's folder of a class."""
    folder = Path(folder)
    wanted = {notebook_key(name): name for name in notebooks}
    links = []
    files, notes = (_collect(_files(folder, links, ""), wanted, "",
                             lambda p: str(p.relative_to(folder))) if folder.is_dir() else ({}, []))
    return Submission(folder.name, (folder.name,), files, False, links + notes)


def stage(submission: Submission, folder) -> Path:
    """Copy ``submission``'s notebooks into ``folder`` under the exercises' own names."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    for notebook, path in submission.files.items():
        with open(path, "rb") as source, open(folder / notebook, "wb") as copy:
            # no more than the grader reads: a larger file is refused by name, not copied whole
            copy.write(source.read(notebook_source.MAX_BYTES + 1))
    return folder
