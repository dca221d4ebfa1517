"""The course's speed benchmarks: ``benchmarks/bench_*.py``, each with a ``main()`` that prints tables.

Run them from the repository root with ``python3 course.py bench [NAME ...]`` (which runs
``python -m benchmarks``); the shared helpers are in :mod:`benchmarks.timing`.
"""
