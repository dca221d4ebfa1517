"""The course's command-line tools, one module each (lesson execution, exercises, grading, slides).

Run them through ``python3 course.py <command>`` (``python3 course.py`` lists the commands), or as
``python -m tools.<name>`` from the repository root. Tests and benchmarks import them the same way,
``from tools import build_slides``: pytest puts the repository root on ``sys.path`` (``pythonpath``
in ``pyproject.toml``), and ``python -m`` does so for the root it is started in.
"""
