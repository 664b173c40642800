"""Fixtures shared by every test tree: the real Kafka and PostgreSQL (see
``benefits_shared.testing``), and the hypothesis profiles (ADR 0017).

``ci`` (the default): derandomized (the same examples on every machine and every run, so a
failure reproduces exactly and no state is kept), no deadline (2 shared cores make
timings noisy). ``explore`` (``HYPOTHESIS_PROFILE=explore``): random, ten times the
examples, with the example database in ``.hypothesis/`` (ignored by git) — for hunting
new failures by hand or at night; what it finds becomes an explicit regression test.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=100, database=None)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

pytest_plugins = ["benefits_shared.testing"]
