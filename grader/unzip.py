"""Unpack a zip a student or an LMS made, safely: nothing outside the folder, no links, a cap.

A zip's member may be named ``../../.bashrc`` or be a symbolic link, and a small zip may unpack to
gigabytes; :func:`extract` leaves such members out (and says so) and refuses a zip over the cap.
Each file keeps the time the zip recorded, so of two copies of a notebook the newer is known.
"""
from __future__ import annotations

import os
import shutil
import stat
import time
import zipfile
from pathlib import Path, PurePosixPath

MAX_ZIP_BYTES = 200 << 20        # a class's notebooks are megabytes; a zip bomb stops here
MAX_ZIP_MEMBERS = 20_000


def extract(archive: Path, into: Path) -> list:
    """Extract ``archive`` into ``into``; returns notes on members left out (unsafe paths, links)."""
    notes = []
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                return [f"{archive.name}: larger than the grader unpacks ({MAX_ZIP_MEMBERS} files, "
                        f"{MAX_ZIP_BYTES >> 20} MB); not graded"]
            for member in members:
                path = PurePosixPath(member.filename.replace("\\", "/"))
                if member.is_dir():
                    continue
                if path.is_absolute() or ".." in path.parts or stat.S_ISLNK(member.external_attr >> 16):
                    notes.append(f"{archive.name}: {member.filename} left out (a link or a path "
                                 "outside the archive)")
                    continue
                target = into.joinpath(*path.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(member) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink)
                stamp = time.mktime((*member.date_time, 0, 0, -1))    # when it was saved
                os.utime(target, (stamp, stamp))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        notes.append(f"{archive.name}: not a readable zip ({error})")
    return notes
