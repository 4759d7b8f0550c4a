"""Changing the interface language while the app runs: a new window over the same session.

Widgets take their text when they are built. Rather than teach every panel to translate
itself again, the window is rebuilt in the new language over the same session, and takes
over what only the old window held: its place and layout, the file and autosave, the
lesson and step, the timing rows, presenter mode, and what the panels were saying (a
failed view's explanation, the console's line and error, an answer checked, the recovery
offer), now in the new language. Undo, the graph and the tensors live in the session, so
they carry over by themselves.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.i18n import Language
from app.language import use_language
from app.main_window import MainWindow

_windows: list[MainWindow] = []
"""Windows a switch made: Python must keep them, as open_window keeps the first."""


def follow_language_menu(window: MainWindow) -> None:
    """Make View > Language rebuild ``window`` (and each window after it) in the language
    chosen; a window not followed only remembers the choice for the next start."""
    window.language_chosen.connect(lambda language: switch_language(window, language))


def switch_language(window: MainWindow, language: Language) -> MainWindow:
    """Show ``window``'s session in a new window that speaks ``language``; ``window`` goes.

    Raises
    ------
    OSError
        When the translations into ``language`` are missing (nothing changes then).
    """
    presenting = window.presenter_mode.active
    # Left first: leaving puts back the fonts from before presenting, which would undo
    # the new language's font family.
    window.presenter_mode.leave()
    try:
        use_language(QApplication.instance(), language)
    except OSError:
        if presenting:
            window.presenter_mode.enter()
        raise
    successor = MainWindow(session=window.session, settings=window.settings)
    successor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    successor.take_over(window)
    follow_language_menu(successor)
    _windows.append(successor)
    successor.destroyed.connect(lambda: _windows.remove(successor))
    if window.isVisible():
        successor.show()
    if presenting:
        successor.presenter_mode.enter()
    window.hide()
    window.deleteLater()
    return successor
