"""The live deck between sessions, and its speaker notes.

Deck mode never persists: Alt+R on a lesson, then close the browser in the middle of the deck.
jupyterlab-slideshow has now saved "a deck is on" in the user settings (the test checks it did, so
the scenario is real). A new JupyterLab session with the same settings folder (as `python3 course.py
lab` the next day) opens the lesson as a notebook, because adam_edu.lab_session clears that setting
when the server starts.

Speaker notes: the live deck hides `notes` cells. The README's alternative: before pressing Alt+R,
open the same lesson in a second browser window on the lecturer's screen; it stays a notebook
(a window that is already open does not follow the deck), with each slide's notes under it. The
test opens both windows, presents in one and checks that the other still shows the notes.
"""
from __future__ import annotations

import shutil
import uuid

import nbformat
from conftest import FIXTURE_NOTEBOOK, ROOT, lab_home, start_lab
from test_lab import KERNEL_IDLE
from test_live_deck import stop_deck

PRESENTING = "() => document.body.dataset.jpDeckMode === 'presenting'"
SETTINGS = ("user-settings", "jupyterlab-slideshow", "plugin.jupyterlab-settings")
RELATIVE = FIXTURE_NOTEBOOK.relative_to(ROOT).as_posix()


def open_lesson(page, base: str, token: str) -> None:
    page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{RELATIVE}?reset&token={token}")
    page.wait_for_function(KERNEL_IDLE, arg=RELATIVE, timeout=60_000, polling=100)


def present(page) -> None:
    page.locator(".jp-NotebookPanel .jp-Notebook").focus()
    page.keyboard.press("Alt+r")
    page.wait_for_function(PRESENTING, timeout=30_000, polling=50)


def test_closing_the_browser_mid_deck_does_not_start_the_next_session_in_a_deck(
        tmp_path, served_root, offline_at):
    home = lab_home(tmp_path / "lab")
    with start_lab(home, served_root) as (base, token):
        first = offline_at({"width": 1280, "height": 720})
        open_lesson(first.page, base, token)
        present(first.page)
        first.page.wait_for_timeout(1000)  # the deck saves its state asynchronously
        saved = home.joinpath(*SETTINGS)
        assert saved.is_file() and '"active": true' in saved.read_text(), (
            "jupyterlab-slideshow did not save its deck state; this test no longer shows anything")
        first.page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
        first.context.close()  # the browser closes mid-deck
    with start_lab(home, served_root) as (base, token):  # the next session
        assert '"active"' not in home.joinpath(*SETTINGS).read_text()
        page = offline_at({"width": 1280, "height": 720}).page
        open_lesson(page, base, token)
        page.wait_for_timeout(2000)  # a deck would start as soon as the settings load
        assert not page.evaluate(PRESENTING), "the lesson opened as a deck again"
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    shutil.rmtree(tmp_path / "lab", ignore_errors=True)


def test_a_second_window_shows_the_speaker_notes(lab, offline_at):
    base, token = lab
    nb = nbformat.read(FIXTURE_NOTEBOOK, as_version=4)
    note = next(c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") == "notes")
    audience = offline_at({"width": 1280, "height": 720}).page
    open_lesson(audience, base, token)
    lecturer = audience.context.new_page()  # the second window, on the laptop's screen
    open_lesson(lecturer, base, token)
    present(audience)
    lecturer.wait_for_timeout(1500)
    assert not lecturer.evaluate(PRESENTING), "the second window followed the deck"
    words = note.source.split("$")[0].strip()
    text = lecturer.locator(".jp-MarkdownCell").nth(1).inner_text()
    assert words in text, f"the notes are not under the first slide: {text[:200]!r}"
    assert audience.evaluate(PRESENTING), "the deck in the first window ended"
    stop_deck(audience)  # the deck's state is a user setting: later tests must start without one
    audience.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
