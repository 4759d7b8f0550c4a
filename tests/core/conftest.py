"""Hypothesis profiles and the ``device`` fixture for the core tests.

Pick a hypothesis profile with the environment variable ``HYPOTHESIS_PROFILE``:

- ``default``: ~60 examples per test, quick enough for ``make test``;
- ``ci``: more examples, derandomized so a CI failure reproduces locally;
- ``thorough``: many examples, for hunting bugs by hand.

No deadline: the first call of a torch op is slow, and timings on shared CI
runners vary; the suite's wall time is the budget that matters.

Hypothesis is optional here: the GPU tests run on machines that lack it.

The ``device`` fixture runs a test on every device: ``"cpu"``, ``"simulated"`` (the
engine's CUDA backend on :mod:`tests.core.simulated_cupy`, a strict NumPy stand-in for
CuPy, installed for the test) and ``"cuda"`` (a real GPU; marked ``gpu``, skipped with the
engine's reason where there is none). It gives the device string a test passes to the
engine: ``"cpu"`` or ``"cuda"``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # a GPU machine may have only numpy, cupy, torch and pytest
    settings = None
else:
    _COMMON = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    }
    settings.register_profile("default", max_examples=60, **_COMMON)
    settings.register_profile("ci", max_examples=150, derandomize=True, print_blob=True, **_COMMON)
    settings.register_profile("thorough", max_examples=1000, **_COMMON)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


DEVICES = ["cpu", "simulated", pytest.param("cuda", marks=pytest.mark.gpu)]
"""Every device a test can run on: the CPU, the simulated GPU, a real GPU."""

GPUS = ["simulated", pytest.param("cuda", marks=pytest.mark.gpu)]
"""The CUDA devices: the simulated one everywhere, a real one where there is one."""


@pytest.fixture
def simulated_gpu() -> Iterator[object]:
    """The simulated CuPy, installed as the CUDA backend's module for the test."""
    from tests.core.simulated_cupy import installed

    with installed() as cupy:
        yield cupy


def _device_string(request: pytest.FixtureRequest) -> str:
    kind = request.param
    if kind == "simulated":
        request.getfixturevalue("simulated_gpu")
        return "cuda"
    return kind


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> str:
    """Each device in turn, as the string the engine takes (``"cpu"`` or ``"cuda"``)."""
    return _device_string(request)


@pytest.fixture(params=GPUS)
def gpu(request: pytest.FixtureRequest) -> str:
    """Each CUDA device in turn (simulated, real): the string ``"cuda"``."""
    return _device_string(request)
