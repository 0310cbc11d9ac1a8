"""Valid baseline calls for the fuzz test, one module per netlab package.

``tests/fuzz_baselines/<package>.py`` (``congestion.py`` for ``netlab.congestion``, ``probes.py``
for the core module ``netlab.probes``) defines ``BASELINES: dict[str, Baseline]`` keyed by
the exported name. Callables whose parameters all have defaults need no entry.
"""
