"""Imported once by the grader's fork server, so each student's process starts with these loaded.

Importing numpy, matplotlib and adam_edu costs most of a student's grading time; a process forked
from a server that already holds them starts in milliseconds. Imports only: no settings change here
(the forked process itself selects matplotlib's Agg backend, see ``runner.forked_main``).
"""
import matplotlib.backends.backend_agg  # noqa: F401
import matplotlib.pyplot  # noqa: F401
import numpy  # noqa: F401

import adam_edu  # noqa: F401
from adam_edu import plots  # noqa: F401
from adam_edu.grading import runner  # noqa: F401
