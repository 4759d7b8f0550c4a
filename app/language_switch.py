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
from app.session_recovery import RecoveryBar

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
    take_over_panels(successor, window)
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


def take_over_panels(successor: MainWindow, old: MainWindow) -> None:
    """What ``old``'s panels were saying that the session does not hold, said again by
    ``successor``'s in its language."""
    explanation = old.memory_panel.view_failure_panel
    if explanation.isVisibleTo(old) and explanation.explanation is not None:
        successor.memory_panel.view_failure_panel.explain(explanation.explanation)
    console = successor.console
    console.input.setText(old.console.input.text())
    if old.console.error.isVisibleTo(old):
        console.error.show_error(old.console.error.text())  # the engine's words: kept
    graph_panel = successor.graph_panel
    graph_panel.retain_graph_box.setChecked(successor.session.retain_graph)
    _take_over_answer(successor, old)
    _take_over_recovery(successor)


def _take_over_answer(successor: MainWindow, old: MainWindow) -> None:
    """The answer typed to the lesson's question; when it was checked, checked again (its
    hint and explanation in the new language), and the answer shown if it was."""
    question = old.lesson_player.question
    text = question.answer_field.text()
    if question.feedback_label.isVisibleTo(question):
        successor.lesson_player.check(text)
    else:
        successor.lesson_player.question.answer_field.setText(text)
    if question.answer_label.isVisibleTo(question):
        successor.lesson_player.question.show_answer()


def _take_over_recovery(successor: MainWindow) -> None:
    """The offer to restore a crashed session, made again in the new language (the
    recovery came over with the file, ``SessionFiles.adopt``, its bar in the old one)."""
    recovery = successor.session_files.recovery
    old_bar = None if recovery is None else recovery.bar
    if old_bar is None:
        return
    bar = RecoveryBar(successor)
    bar.restore_clicked.connect(recovery.restore_offered)
    bar.discard_clicked.connect(recovery.discard_offered)
    successor.insertToolBar(old_bar, bar)
    successor.removeToolBar(old_bar)
    old_bar.deleteLater()
    recovery.bar = bar
    bar.offer(recovery.waiting[0])
