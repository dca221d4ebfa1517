"""Submissions as learning management systems deliver them (grader/layouts.py) and the roster they
are joined to (grader/roster.py): each layout recognised, identities taken from it, and everything
passed over reported by name. Nothing here runs a notebook."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from exercise_checks import EXERCISES
from grader.layouts import find_submissions, notebook_key, one_student
from grader.roster import Student, join, read_roster

NOTEBOOKS = [e.notebook for e in EXERCISES.values()]     # ex01_moments.ipynb, ...
CANVAS_HEADER = "Student,ID,SIS User ID,SIS Login ID,Section,Adam exercises (123)\n"


def touch(path: Path, text: str = "{}", mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def zipped(path: Path, files: dict) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def found(source, tmp_path) -> tuple:
    submissions, skipped = find_submissions(source, NOTEBOOKS, tmp_path / "work")
    return {s.identity: s for s in submissions}, dict(skipped)


def test_a_folder_per_student_with_nested_folders_copies_and_case(tmp_path):
    root = tmp_path / "moodle"
    touch(root / "alice" / "ex01_moments.ipynb")
    touch(root / "bob" / "exercises" / "EX01_Moments.ipynb")               # nested, case
    touch(root / "carol" / "ex02_adam_step.ipynb", "old", mtime=1_000)
    touch(root / "carol" / "ex02_adam_step (1).ipynb", "new", mtime=2_000)  # browser copy
    touch(root / "carol" / "notes.txt")
    touch(root / "carol" / ".ipynb_checkpoints" / "ex02_adam_step-checkpoint.ipynb")
    touch(root / ".hidden" / "ex01_moments.ipynb")
    touch(root / "readme.pdf")
    students, skipped = found(root, tmp_path)
    assert sorted(students) == ["alice", "bob", "carol"]
    assert students["bob"].files == {"ex01_moments.ipynb": root / "bob/exercises/EX01_Moments.ipynb"}
    carol = students["carol"]
    assert carol.files["ex02_adam_step.ipynb"].read_text() == "new"
    assert any("ex02_adam_step.ipynb: another copy" in n and "(1)" in n for n in carol.notes)
    assert any("notes.txt: not one of the exercise notebooks" in n for n in carol.notes)
    assert not any("checkpoint" in n for n in carol.notes)
    assert ("bob/exercises/EX01_Moments.ipynb: graded as ex01_moments.ipynb (names are matched "
            "ignoring case and a copy's (1) or -1)") in students["bob"].notes
    assert set(skipped) == {".hidden", "readme.pdf"}
    assert "Canvas" in skipped["readme.pdf"]


def test_canvas_flat_files_are_grouped_by_user_id_with_the_late_marker(tmp_path):
    root = tmp_path / "canvas"
    touch(root / "aliceanders_5164_95164_ex01_moments.ipynb")
    touch(root / "aliceanders_5164_95165_ex02_adam_step-1.ipynb")           # a resubmission
    touch(root / "bobbaker_LATE_5170_95180_ex01_moments.ipynb")
    touch(root / "bobbaker_LATE_5170_95181_report.docx")
    students, skipped = found(root, tmp_path)
    alice, bob = students["aliceanders"], students["bobbaker"]
    assert alice.keys == ("5164", "aliceanders") and not alice.late
    assert set(alice.files) == {"ex01_moments.ipynb", "ex02_adam_step.ipynb"}
    assert bob.late and bob.keys[0] == "5170" and set(bob.files) == {"ex01_moments.ipynb"}
    assert any("report.docx: not one of the exercise notebooks" in n for n in bob.notes)
    assert skipped == {}


def test_one_zip_of_all_and_a_zip_per_student(tmp_path):
    inner = zipped(tmp_path / "dave.zip", {"dave/exercises/ex01_moments.ipynb": "{}",
                                           "../escape.ipynb": "{}"})
    everything = tmp_path / "submissions.zip"
    with zipfile.ZipFile(everything, "w") as archive:
        archive.writestr("submissions/aliceanders_5164_95164_ex01_moments.ipynb", "{}")
        archive.writestr("submissions/erin/Ex03_Bias_Correction (2).ipynb", "{}")
        archive.write(inner, "submissions/dave.zip")
    students, skipped = found(everything, tmp_path)
    assert sorted(students) == ["aliceanders", "dave", "erin"]
    assert set(students["dave"].files) == {"ex01_moments.ipynb"}
    assert any("escape.ipynb left out" in n for n in students["dave"].notes)
    assert set(students["erin"].files) == {"ex03_bias_correction.ipynb"}


def test_a_student_with_no_recognised_notebook_is_found_with_what_was_there(tmp_path):
    root = tmp_path / "class"
    touch(root / "frank" / "homework.ipynb")
    students, _ = found(root, tmp_path)
    assert students["frank"].files == {}
    assert students["frank"].notes == ["frank/homework.ipynb: not one of the exercise notebooks; "
                                       "not graded"]


def test_nothing_found_in_an_empty_folder_or_a_broken_zip(tmp_path):
    (tmp_path / "empty").mkdir()
    assert found(tmp_path / "empty", tmp_path) == ({}, {})
    touch(tmp_path / "broken.zip", "not a zip")
    students, skipped = found(tmp_path / "broken.zip", tmp_path)
    assert students == {} and "not a readable zip" in skipped["broken.zip"]


def test_gradescope_submission_is_one_student_anywhere_inside(tmp_path):
    touch(tmp_path / "submission" / "work" / "EX04_SNR (1).ipynb")
    student = one_student(tmp_path / "submission", NOTEBOOKS)
    assert list(student.files) == ["ex04_snr.ipynb"]


@pytest.mark.parametrize("name, key", [("ex01_moments.ipynb", "ex01_moments"),
                                       ("EX01_MOMENTS (12).ipynb", "ex01_moments"),
                                       ("ex01_moments-3.IPYNB", "ex01_moments"),
                                       ("ex01_moments copy.ipynb", "ex01_moments copy")])
def test_notebook_key(name, key):
    assert notebook_key(name) == key


# -- rosters ---------------------------------------------------------------------------------------

def test_canvas_roster_joins_by_user_id_and_lists_the_unmatched(tmp_path):
    path = touch(tmp_path / "canvas.csv", CANVAS_HEADER +
                 "    Points Possible,,,,,40\n"
                 "\"Anders, Alice\",5164,S001,aanders,Section A,\n"
                 "\"Baker, Bob\",5170,S002,bbaker,Section A,\n"
                 "\"Cole, Cara\",5180,S003,ccole,Section B,\n")
    students = read_roster(path)
    assert [s.display for s in students] == ["Alice Anders", "Bob Baker", "Cara Cole"]
    root = tmp_path / "canvas"
    touch(root / "aliceanders_5164_95164_ex01_moments.ipynb")
    touch(root / "bobbaker_5170_95180_ex01_moments.ipynb")
    touch(root / "zedzed_9999_95190_ex01_moments.ipynb")
    submissions, _ = find_submissions(root, NOTEBOOKS, tmp_path / "work")
    matched, unmatched, absent, ambiguous = join(submissions, students)
    assert {i: s.sis_user_id for i, s in matched.items()} == {"aliceanders": "S001",
                                                               "bobbaker": "S002"}
    assert unmatched == ["zedzed"] and [s.display for s in absent] == ["Cara Cole"]
    assert ambiguous == []


def test_moodle_and_gradescope_rosters_join_folders_by_email_username_or_id(tmp_path):
    moodle = read_roster(touch(tmp_path / "moodle.csv",
                               "First name,Surname,ID number,Username,Email address\n"
                               "Alice,Anders,1001,aanders,alice@uni.edu\n"
                               "Bob,Baker,1002,bbaker,bob@uni.edu\n"))
    gradescope = read_roster(touch(tmp_path / "gs.csv", "Full Name,Email,SID\n"
                                   "Alice Anders,alice@uni.edu,1001\n"))
    assert gradescope[0].display == "Alice Anders" and gradescope[0].sid == "1001"
    for folder, who in (("alice@uni.edu", "Alice Anders"), ("bbaker", "Bob Baker"),
                        ("1001", "Alice Anders"), ("Bob_Baker", "Bob Baker")):
        root = tmp_path / f"class_{who[0]}_{len(folder)}"
        touch(root / folder / "ex01_moments.ipynb")
        submissions, _ = find_submissions(root, NOTEBOOKS, tmp_path / f"w{len(folder)}{who[0]}")
        matched, *_ = join(submissions, moodle)
        assert matched[folder].display == who


def test_two_submissions_of_one_student_are_reported_not_merged(tmp_path):
    students = [Student(first="Alice", last="Anders", email="alice@uni.edu")]
    root = tmp_path / "class"
    touch(root / "alice" / "ex01_moments.ipynb")
    touch(root / "alice@uni.edu" / "ex01_moments.ipynb")
    submissions, _ = find_submissions(root, NOTEBOOKS, tmp_path / "work")
    matched, unmatched, absent, ambiguous = join(submissions, students)
    assert list(matched) == ["alice"] and ambiguous == [("alice@uni.edu",
                                                        "Alice Anders again (also alice)")]


def test_a_roster_without_an_identifying_column_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"roster == .*bad.csv'.*no column identifies a student"):
        read_roster(touch(tmp_path / "bad.csv", "Score,Comment\n1,ok\n"))


def test_symbolic_links_are_never_followed_and_are_reported(tmp_path):
    solutions = tmp_path / "solutions"
    touch(solutions / "ex01_moments.ipynb", "the reference")
    root = tmp_path / "class"
    (root / "mallory").mkdir(parents=True)
    os.symlink(solutions, root / "mallory" / "borrowed")
    os.symlink(solutions / "ex01_moments.ipynb", root / "mallory" / "ex01_moments.ipynb")
    students, _ = found(root, tmp_path)
    assert students["mallory"].files == {}
    assert students["mallory"].notes == ["mallory/borrowed: a symbolic link; not followed",
                                         "mallory/ex01_moments.ipynb: a symbolic link; not graded"]


def test_moodle_download_folders_and_flat_files_join_the_roster_by_name(tmp_path):
    root = tmp_path / "moodle"
    touch(root / "Alice Anders_123456_assignsubmission_file_" / "ex01_moments.ipynb")
    touch(root / "Bob Baker_123457_assignsubmission_file_ex01_moments.ipynb")
    touch(root / "Bob Baker_123457_assignsubmission_file_EX02_Adam_Step.ipynb")
    students, skipped = found(root, tmp_path)
    assert skipped == {} and sorted(students) == ["Alice Anders", "Bob Baker"]
    assert students["Bob Baker"].keys == ("Bob Baker", "123457")
    assert set(students["Bob Baker"].files) == {"ex01_moments.ipynb", "ex02_adam_step.ipynb"}
    roster = [Student(first="Alice", last="Anders", email="a@uni.edu"),
              Student(first="Bob", last="Baker", email="b@uni.edu")]
    matched, unmatched, absent, _ = join(list(students.values()), roster)
    assert {i: s.email for i, s in matched.items()} == {"Alice Anders": "a@uni.edu",
                                                       "Bob Baker": "b@uni.edu"}


def test_two_submissions_with_one_name_are_both_kept_and_noted(tmp_path):
    root = tmp_path / "class"
    touch(root / "alice" / "ex01_moments.ipynb")
    zipped(root / "alice.zip", {"ex02_adam_step.ipynb": "{}"})
    students, _ = found(root, tmp_path)
    assert sorted(students) == ["alice", "alice (2)"]
    assert "a second submission named alice; graded separately" in students["alice (2)"].notes


def test_a_zip_over_the_cap_is_refused_by_name(tmp_path, monkeypatch):
    from grader import unzip
    monkeypatch.setattr(unzip, "MAX_ZIP_BYTES", 100)
    zipped(tmp_path / "bomb.zip", {"ex01_moments.ipynb": "x" * 1000})
    students, skipped = found(tmp_path / "bomb.zip", tmp_path)
    assert students == {} and "larger than the grader unpacks" in skipped["bomb.zip"]


def test_staging_copies_no_more_than_the_grader_reads(tmp_path):
    from grader import notebook_source
    from grader.layouts import stage
    root = tmp_path / "class"
    touch(root / "zoe" / "ex01_moments.ipynb", "x" * (notebook_source.MAX_BYTES + 1000))
    students, _ = found(root, tmp_path)
    copy = stage(students["zoe"], tmp_path / "staged") / "ex01_moments.ipynb"
    assert copy.stat().st_size == notebook_source.MAX_BYTES + 1
    with pytest.raises(ValueError, match="larger than"):
        notebook_source.read(copy)
