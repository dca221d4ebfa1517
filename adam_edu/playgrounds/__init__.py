"""The lessons' playgrounds, one module per lesson; each subclasses adam_edu.widgets.Playground.

The benchmark (benchmarks/bench_playgrounds.py) finds every Playground subclass in these modules,
builds it with its default controls and times a control move, so a new playground is timed as soon
as it exists.
"""
