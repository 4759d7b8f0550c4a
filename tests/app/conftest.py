"""Fixtures for the Qt tests; Qt draws offscreen so no display is needed."""

import os

# Before any QApplication exists: pytest-qt makes it on first use of qapp/qtbot.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture
def make_window(qtbot):
    """Factory: a shown MainWindow that has run ``code``, with no saved settings, closed after."""
    from app.main_window import MainWindow

    def make(code: str = "", settings=None) -> MainWindow:
        window = MainWindow(settings=settings)
        qtbot.addWidget(window)
        if code:
            window.run_code(code)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def restore_theme(qapp):
    """Put back the application's style and palette after a test that changes the theme."""
    style, palette = qapp.style().name(), qapp.palette()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
