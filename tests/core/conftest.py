"""Hypothesis profiles for the core tests.

Pick one with the environment variable ``HYPOTHESIS_PROFILE``:

- ``default``: ~60 examples per test, quick enough for ``make test``;
- ``ci``: more examples, derandomized so a CI failure reproduces locally;
- ``thorough``: many examples, for hunting bugs by hand.

No deadline: the first call of a torch op is slow, and timings on shared CI
runners vary; the suite's wall time is the budget that matters.
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

settings.register_profile("default", max_examples=60, **_COMMON)
settings.register_profile("ci", max_examples=150, derandomize=True, print_blob=True, **_COMMON)
settings.register_profile("thorough", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
