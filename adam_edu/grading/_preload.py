"""Imported once by the grader's fork server, so each student's process starts with these loaded.

Importing numpy, adam_edu and matplotlib costs most of a student's grading time; a process forked
from a server that already holds them starts in milliseconds. Set before numpy and matplotlib load:
one BLAS thread per process (students are graded in parallel) and the Agg backend (no windows).
"""
import os

os.environ["MPLBACKEND"] = "Agg"
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import matplotlib.pyplot  # noqa: E402,F401
import numpy  # noqa: E402,F401

import adam_edu  # noqa: E402,F401
from adam_edu import plots  # noqa: E402,F401
from adam_edu.grading import runner  # noqa: E402,F401
