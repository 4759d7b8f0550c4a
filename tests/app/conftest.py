"""Fixtures for the Qt tests; Qt draws offscreen so no display is needed."""

import os

# Before any QApplication exists: pytest-qt makes it on first use of qapp/qtbot.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.main_window import MainWindow  # noqa: E402


@pytest.fixture
def make_window(qtbot):
    """Factory: a shown MainWindow prefilled with ``code``, closed after the test."""

    def make(code: str | None = None) -> MainWindow:
        window = MainWindow() if code is None else MainWindow(code)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make
