"""Suite-wide test set-up: GPU tests skip with the engine's reason where there is no GPU.

A test marked ``gpu`` needs a usable CUDA device; where ``core.cuda`` finds none, it is
skipped with ``core.cuda.unavailable_reason()`` as the reason ("CuPy is not installed:
...", "no CUDA device found", ...). The probe runs only when such a test is collected.

The GPU tests also run on a machine with only numpy, cupy, torch and pytest
(``python3 -m pytest -m gpu tests/core/test_devices.py``): without pytest-qt, its
``qt_api`` setting in pyproject.toml is declared here so ``--strict-config`` accepts it.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if not pluginmanager.hasplugin("pytest-qt"):
        parser.addini("qt_api", "pytest-qt's Qt binding (pytest-qt is not loaded here)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    gpu_tests = [item for item in items if item.get_closest_marker("gpu") is not None]
    if not gpu_tests:
        return
    import core.cuda

    reason = core.cuda.unavailable_reason()
    if reason is None:
        return
    for item in gpu_tests:
        item.add_marker(pytest.mark.skip(reason=reason))
