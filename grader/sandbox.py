"""Run one student's code in an operating-system sandbox: bubblewrap, plus caps for the whole student.

What the student's process sees (Linux, ``bwrap`` on PATH, unprivileged user namespaces):

- no network (its own network namespace has only a loopback that is down), its own PID, IPC and UTS
  namespaces, a new session with no controlling terminal (``TIOCSTI`` cannot reach the instructor's
  shell), no capabilities, an empty environment apart from a few fixed variables;
- read-only: the Python installation (``sys.base_prefix``, the virtual environment) and the
  course's library (for this course ``adam_edu``, without ``adam_edu/grading``); not the repository,
  not ``solutions/``, not the grader, not the exercise checks, not ``/etc`` (so no
  ``/etc/shadow``), not a classmate;
- ``/submission`` (read-only): copies of this student's notebooks, made by the grader, never through
  a symlink; ``/tmp`` a private tmpfs of at most ``Caps.disk`` bytes, gone when the process ends.

Everything it starts dies with it (``--unshare-pid``: when its init ends the kernel kills the rest of
the namespace; ``--die-with-parent``: it ends when the grader does). The caps are set inside by the
student-side runner with ``setrlimit`` before any student code runs (memory per process, file size,
CPU seconds per process, open files, processes), and, where the grader's own cgroup accepts
sub-groups (root in a container with cgroup v1, or a delegated cgroup v2), by a cgroup that caps the
memory and the process count of the whole student. ``describe()`` says which are in force. Without
the cgroup the process cap is the kernel's ``RLIMIT_NPROC``, which does not bind when the grader runs
as root, and the memory cap is per process.

References: bubblewrap, https://github.com/containers/bubblewrap (``bwrap(1)``); ``setrlimit(2)``;
``cgroups(7)``.
"""
from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import NamedTuple

CHILD_DIR = "/grader-child"        # where the student-side runner is mounted inside
SUBMISSION = "/submission"         # where the student's notebooks are mounted inside
MPLCONFIGDIR = "/tmp/.matplotlib"  # matplotlib's cache inside; its font list is mounted there
CHILD_FILES = {"child.py": Path(__file__).with_name("sandbox_child.py"),   # all the grader it sees
               "calls.py": Path(__file__).with_name("calls.py"),
               "wire.py": Path(__file__).with_name("wire.py")}


class Caps(NamedTuple):
    """Resource caps of one student (all of its processes): bytes, counts and CPU seconds."""

    memory: int = 2 << 30          # per process (RLIMIT_AS); for the whole student with a cgroup
    processes: int = 64            # RLIMIT_NPROC; pids.max with a cgroup
    file_size: int = 16 << 20      # RLIMIT_FSIZE: largest file it may write
    disk: int = 64 << 20           # size of its private /tmp
    cpu: int = 120                 # RLIMIT_CPU per process, CPU seconds
    open_files: int = 256          # RLIMIT_NOFILE


class Isolation(NamedTuple):
    available: bool
    reason: str                    # why not, when unavailable
    cgroup: str                    # "v1" or "v2" when whole-student caps by cgroup work, else ""


@functools.lru_cache(maxsize=None)
def isolation() -> Isolation:
    """Whether submissions can be isolated here; probed once per process."""
    if not sys.platform.startswith("linux"):
        return Isolation(False, f"{sys.platform} has no bubblewrap (Linux only)", "")
    if shutil.which("bwrap") is None:
        return Isolation(False, "bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)", "")
    probe = subprocess.run(["bwrap", *_namespaces(), "--ro-bind", "/", "/", "true"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if probe.returncode != 0:
        why = probe.stderr.strip().splitlines()[-1:] or [f"exit {probe.returncode}"]
        return Isolation(False, f"bwrap cannot create namespaces here ({why[0]}); user namespaces "
                                f"may be disabled", "")
    return Isolation(True, "", _cgroup_probe())


def describe() -> str:
    """One line for the CLI: which isolation and which caps are in force."""
    iso = isolation()
    if not iso.available:
        return (f"WARNING: submissions are NOT isolated: {iso.reason}. Student code runs as you, with "
                f"your files, network and environment. Grade untrusted submissions on Linux with "
                f"bubblewrap.")
    whole = (f"cgroup {iso.cgroup}: memory and processes capped for the whole student"
             if iso.cgroup else "no writable cgroup: memory capped per process, processes by "
                                "RLIMIT_NPROC (not binding for root)")
    return f"Submissions isolated by bubblewrap (no network, read-only Python, own PID namespace); {whole}."


def _namespaces() -> list:
    return ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]


def _mounts_for_system() -> list:
    """Read-only /usr and the library folders (as directories or as the symlinks they are)."""
    args = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return args + ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]


def package_folder(name: str) -> Path:
    """The folder of an importable package (without importing it)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"package == {name!r}: not an importable package.")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def _python_paths(library: Path | None) -> list:
    """The folders Python and its packages load from, without the folder holding ``library``
    (the course's repository, when the library is installed from it)."""
    repo = library.parent if library else None
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()} | ({library} if library else set())
    for entry in sys.path:
        path = Path(entry or ".").resolve()
        if path.is_dir() and not (repo and (path == repo or path.is_relative_to(repo))):
            paths.add(path)
    # Keep the outermost folders only (a bind inside a bound folder is redundant).
    return sorted(p for p in paths if not any(p != q and p.is_relative_to(q) for q in paths))


def command(argv: list, notebooks: str, caps: Caps = Caps(), library: str | None = None,
            hidden: tuple = (), *, fonts: bool = True) -> list:
    """The command that runs ``argv`` (inside paths) in the sandbox with ``notebooks`` mounted,
    the package ``library`` read-only and its sub-packages ``hidden`` (dotted names) left empty,
    and (``fonts``) matplotlib's font list read-only in its cache (:func:`font_list`)."""
    folder = package_folder(library) if library else None
    args = ["bwrap", *_namespaces(), "--hostname", "grader", *_mounts_for_system()]
    # The private /tmp first: a later mount of it would hide a Python or a course that lives under
    # /tmp (a CI clone, say); what is bound after it stays visible, read-only, inside it.
    args += ["--size", str(caps.disk), "--tmpfs", "/tmp"]
    for path in _python_paths(folder):
        args += ["--ro-bind", str(path), str(path)]
    for name in hidden:                   # e.g. the in-notebook grader: not inside
        if not (library and name.startswith(library + ".")):
            continue                      # a package outside the library is not mounted at all
        inner = folder.joinpath(*name.split(".")[1:])
        if inner.is_dir():
            args += ["--tmpfs", str(inner), "--remount-ro", str(inner)]
    for name, source in CHILD_FILES.items():
        args += ["--ro-bind", str(source), f"{CHILD_DIR}/{name}"]
    for path in font_list() if fonts else ():
        args += ["--ro-bind", str(path), f"{MPLCONFIGDIR}/{path.name}"]
    args += ["--ro-bind", notebooks, SUBMISSION, "--proc", "/proc", "--dev", "/dev",
             "--chdir", "/tmp", "--clearenv"]
    env = {"HOME": "/tmp", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": MPLCONFIGDIR, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args + ["--", *argv]


@functools.lru_cache(maxsize=None)
def font_list() -> tuple:
    """Matplotlib's font list, built once per grading process in a sandbox like the students' (the
    same fonts at the same paths); without it each student's first ``import matplotlib.pyplot``
    rebuilds it, about 0.1 s of CPU per student. Empty when matplotlib is not installed."""
    folder = tempfile.mkdtemp(prefix="adam-edu-fonts-")
    atexit.register(shutil.rmtree, folder, True)
    build = command([sys.executable, "-I", "-c", "import matplotlib.font_manager"], folder,
                    fonts=False)
    build[build.index("--"):build.index("--")] = ["--bind", folder, MPLCONFIGDIR]
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run(build, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    return tuple(sorted(Path(folder).glob("fontlist-*.json")))


def child_argv(caps: Caps = Caps()) -> list:
    """The student-side runner inside the sandbox; it sets ``caps`` before any student code runs."""
    return [sys.executable, "-I", f"{CHILD_DIR}/child.py", str(caps.memory),
            str(caps.processes), str(caps.file_size), str(caps.cpu), str(caps.open_files)]


# -- whole-student caps by cgroup -----------------------------------------------------------------

def _own_cgroups() -> dict:
    """{controller: folder of this process's cgroup} for memory and pids, where they are mounted."""
    found = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "" and Path("/sys/fs/cgroup/cgroup.controllers").exists():   # v2
            for name in ("memory", "pids"):
                found.setdefault(name, ("v2", Path("/sys/fs/cgroup") / path.lstrip("/")))
        for name in controllers.split(","):
            if name in ("memory", "pids") and Path(f"/sys/fs/cgroup/{name}").is_dir():
                found[name] = ("v1", Path(f"/sys/fs/cgroup/{name}") / path.lstrip("/"))
    return found


def _cgroup_probe() -> str:
    try:
        group = Cgroup(Caps())
    except OSError:
        return ""
    version = group.version
    group.remove()
    return version


class Cgroup:
    """A fresh sub-cgroup of the grader's own for one student: memory and process caps, removed after."""

    def __init__(self, caps: Caps):
        cgroups, name = _own_cgroups(), f"adam-edu-{uuid.uuid4().hex[:12]}"
        if set(cgroups) != {"memory", "pids"}:
            raise OSError("no memory and pids cgroup controllers")
        self.version, self.folders = cgroups["memory"][0], []
        try:
            for controller, (version, parent) in cgroups.items():
                folder = parent / name
                if folder in self.folders:            # v2: one folder holds both controllers
                    continue
                folder.mkdir()
                self.folders.append(folder)
                settings = ({"memory.max": caps.memory, "memory.swap.max": 0, "pids.max": caps.processes}
                            if version == "v2" else
                            {"memory.limit_in_bytes": caps.memory} if controller == "memory" else
                            {"pids.max": caps.processes})
                for key, value in settings.items():
                    if key == "memory.swap.max" and not (folder / key).exists():
                        continue
                    (folder / key).write_text(str(value))
        except OSError:
            self.remove()
            raise

    def wrap(self, argv: list) -> list:
        """``argv`` started from a shell that first moves itself into the cgroup (so does every child)."""
        procs = [str(folder / "cgroup.procs") for folder in self.folders]
        script = 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f" || exit 125; shift; done; shift; exec "$@"'
        return ["/bin/sh", "-c", script, "sh", *procs, "--", *argv]

    def remove(self, seconds: float = 30.0) -> None:
        """Kill whatever is still in the sub-cgroups (the student's processes only), wait until
        they are empty, and delete them."""
        deadline = time.monotonic() + seconds
        for folder in self.folders:
            while True:
                try:
                    pids = [int(pid) for pid in (folder / "cgroup.procs").read_text().split()]
                except OSError:
                    pids = []
                for pid in pids:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    folder.rmdir()
                if not folder.exists() or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
        self.folders = []
