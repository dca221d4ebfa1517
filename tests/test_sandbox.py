"""The sandbox itself: what a student's process can and cannot see or do (Linux with bubblewrap).

Each test runs a few lines of Python inside :func:`grader.sandbox.command` and checks the outcome
from outside. Nothing here writes outside the test's temporary folders.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import exercise_checks
from grader import sandbox

ROOT = Path(__file__).resolve().parent.parent
ISOLATED = sandbox.isolation().available
pytestmark = pytest.mark.skipif(not ISOLATED, reason=f"no sandbox here: {sandbox.isolation().reason}")


def inside(code: str, tmp_path: Path, caps=sandbox.Caps(), timeout=60, cgroup=False) -> dict:
    """Run ``code`` in the sandbox (caps set as the runner sets them); it prints one JSON value."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir(exist_ok=True)
    (notebooks / "ex01_moments.ipynb").write_text("{}")
    prelude = ("import sys, json, os\nsys.path.insert(0, '/grader-child')\nimport child\n"
               f"child.limit_resources({caps.memory}, {caps.processes}, {caps.file_size}, {caps.cpu}, "
               f"{caps.open_files})\n")
    argv = sandbox.command([sys.executable, "-I", "-c", prelude + code], str(notebooks), caps,
                           exercise_checks.LIBRARY, exercise_checks.HIDDEN)
    group = sandbox.Cgroup(caps) if cgroup else None
    try:
        done = subprocess.run(group.wrap(argv) if group else argv, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    finally:
        if group:
            group.remove()
    assert done.stdout, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_no_network_even_to_a_port_the_host_listens_on(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass                                              # the host can connect
    got = inside(f"""import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    print(json.dumps("connected"))
except OSError as error:
    print(json.dumps(type(error).__name__))""", tmp_path)
    server.close()
    assert got != "connected"


def test_environment_cleared_and_repository_invisible(tmp_path, monkeypatch):
    monkeypatch.setenv("ADAM_EDU_INSTRUCTOR_TOKEN", "secret-" + uuid.uuid4().hex)
    (tmp_path / "host-file").write_text("the host's")
    got = inside(f"""import os
paths = {[str(ROOT / "solutions"), str(ROOT / "tests"), str(ROOT / "grader"), str(ROOT / "tools"),
          str(ROOT / "exercise_checks"), "/etc/shadow", "/etc/passwd", str(Path.home() / ".ssh"),
          str(tmp_path / "host-file")]!r}
grading = {str(ROOT / "adam_edu" / "grading")!r}
print(json.dumps({{"env": sorted(os.environ), "seen": [p for p in paths if os.path.exists(p)],
                  "grading": os.listdir(grading) if os.path.isdir(grading) else None,
                  "submission": os.listdir("/submission")}}))""", tmp_path)
    assert "ADAM_EDU_INSTRUCTOR_TOKEN" not in got["env"]
    assert set(got["env"]) <= {"HOME", "PATH", "LANG", "MPLBACKEND", "MPLCONFIGDIR", "PYTHONHASHSEED",
                               "PYTHONDONTWRITEBYTECODE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                               "MKL_NUM_THREADS", "LC_CTYPE", "PWD"}
    assert got["seen"] == [] and got["grading"] == []
    assert got["submission"] == ["ex01_moments.ipynb"]


def test_python_and_submission_are_read_only_tmp_is_private(tmp_path):
    got = inside(f"""import os, site
targets = site.getsitepackages() + [os.path.dirname(os.__file__), "/submission",
                                    {str(ROOT / "adam_edu")!r}]
open("/tmp/scratch", "w").write("ok")
print(json.dumps({{"writable": [t for t in targets if os.access(t, os.W_OK)],
                  "tmp": open("/tmp/scratch").read()}}))""", tmp_path)
    assert got == {"writable": [], "tmp": "ok"}


def test_no_terminal_and_no_view_of_the_grader_processes(tmp_path):
    got = inside("""import os
try:
    os.open("/dev/tty", os.O_RDWR)
    tty = "opened"
except OSError as error:
    tty = type(error).__name__
pids = [p for p in os.listdir("/proc") if p.isdigit()]
print(json.dumps({"tty": tty, "pids": len(pids), "sid": os.getsid(0) == os.getpid() or os.getsid(0)}))""",
                 tmp_path)
    assert got["tty"] != "opened"
    assert got["pids"] <= 3                                 # bwrap's init, python: nothing of the host


def test_everything_the_student_starts_ends_with_the_sandbox(tmp_path):
    marker = "adam-edu-survivor-" + uuid.uuid4().hex
    inside(f"""import os
for _ in range(5):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sh", ["sh", "-c", "sleep 300; : {marker}"])
        os._exit(0)
print(json.dumps("forked"))""", tmp_path)
    alive = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()
    assert alive == []


def test_file_size_and_disk_are_capped(tmp_path):
    caps = sandbox.Caps(file_size=4 << 20, disk=8 << 20)
    got = inside("""written = {}
for name in ("one", "two", "three"):
    written[name] = 0
    try:
        with open("/tmp/" + name, "wb") as handle:
            for _ in range(16):
                handle.write(b"x" * (1 << 20))
                handle.flush()
                written[name] += 1
    except OSError as error:
        pass
print(json.dumps(written))""", tmp_path, caps)
    assert max(got.values()) <= 4 and sum(got.values()) <= 8


def test_caps_cannot_be_raised_from_inside(tmp_path):
    got = inside("""import resource
try:
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    raised = True
except (ValueError, OSError):
    raised = False
print(json.dumps({"raised": raised, "cpu": resource.getrlimit(resource.RLIMIT_CPU)[1]}))""", tmp_path)
    assert got == {"raised": False, "cpu": sandbox.Caps().cpu}


@pytest.mark.skipif(not sandbox.isolation().cgroup and os.geteuid() == 0,
                    reason="as root without a writable cgroup the process count is not capped")
def test_processes_are_capped_for_the_whole_student(tmp_path):
    caps = sandbox.Caps(processes=16)
    got = inside("""import os, time
children = 0
for _ in range(100):
    try:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        children += 1
    except OSError:
        break
print(json.dumps(children))""", tmp_path, caps, cgroup=bool(sandbox.isolation().cgroup))
    assert got < 16


@pytest.mark.skipif(not sandbox.isolation().cgroup, reason="memory is capped per process only")
def test_memory_is_capped_for_the_whole_student(tmp_path):
    caps = sandbox.Caps(memory=300 << 20)
    got = inside("""import os, time
pids = []
for _ in range(4):                      # 4 children x 150 MiB: over the 300 MiB cap together
    pid = os.fork()
    if pid == 0:
        block = bytearray(150 << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(1)
        os._exit(0)
    pids.append(pid)
codes = [os.waitpid(pid, 0)[1] for pid in pids]
print(json.dumps(sum(code != 0 for code in codes)))""", tmp_path, caps, cgroup=True)
    assert got >= 1                        # at least one child was killed by the cgroup


def test_matplotlib_finds_its_font_list_built_once_and_read_only(tmp_path):
    """Each student would otherwise rebuild matplotlib's font list (about 0.1 s of CPU): the grader
    builds it once and mounts it read-only, so no student can change what the next one reads."""
    listed = sandbox.font_list()
    assert listed, "the font list was not built"
    got = inside(f"""import os, time
path = os.path.join({sandbox.MPLCONFIGDIR!r}, {listed[0].name!r})
before = os.stat(path).st_mtime_ns
try:
    open(path, "a").close()
    writable = True
except OSError:
    writable = False
import matplotlib.font_manager
print(json.dumps({{"writable": writable, "rebuilt": os.stat(path).st_mtime_ns != before,
                  "files": sorted(os.listdir({sandbox.MPLCONFIGDIR!r}))}}))""", tmp_path)
    assert got == {"writable": False, "rebuilt": False, "files": [listed[0].name]}
