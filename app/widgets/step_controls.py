"""The step controls under the graph: Reset, Step back, Play/Pause with its speed, Step, Run to end.

Each button calls a session method; Play steps on a timer until the pass ends or fails.
The keys → ← and Space work anywhere in the panel that holds the controls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QWidget,
)

from app.i18n import QT_TRANSLATE_NOOP, translate
from app.session import Session

SPEEDS: tuple[tuple[str, int], ...] = (
    (QT_TRANSLATE_NOOP("StepControls", "0.25 s"), 250),
    (QT_TRANSLATE_NOOP("StepControls", "0.5 s"), 500),
    (QT_TRANSLATE_NOOP("StepControls", "1 s"), 1000),
    (QT_TRANSLATE_NOOP("StepControls", "2 s"), 2000),
)
"""Play's speeds: the time between two steps (its text in the context "StepControls")."""
DEFAULT_SPEED = 1


def control(icon, text: str) -> QToolButton:
    """A compact button with an icon and a word."""
    button = QToolButton()
    button.setIcon(icon)
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return button


class StepControls(QWidget):
    """Buttons that step the session's backward pass, and the step count.

    ``keys_widget`` gets the → ← Space shortcuts (for as long as the focus is inside it).
    """

    def __init__(
        self, session: Session, keys_widget: QWidget, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        icon = self.style().standardIcon
        pixmap = QStyle.StandardPixmap
        self._play_icons = (icon(pixmap.SP_MediaPlay), icon(pixmap.SP_MediaPause))
        self.reset_button = control(
            icon(pixmap.SP_MediaSkipBackward), translate("StepControls", "Reset")
        )
        self.reset_button.setToolTip(
            translate("StepControls", "Back to before the pass: .grad as it was")
        )
        self.back_button = control(
            icon(pixmap.SP_MediaSeekBackward), translate("StepControls", "Step back")
        )
        self.back_button.setToolTip(translate("StepControls", "Show the step before (←)"))
        self.play_button = control(self._play_icons[0], translate("StepControls", "Play"))
        self.play_button.setToolTip(translate("StepControls", "Step on a timer (Space)"))
        self.step_button = control(
            icon(pixmap.SP_MediaSeekForward), translate("StepControls", "Step")
        )
        self.step_button.setToolTip(translate("StepControls", "Run the next node (→)"))
        self.end_button = control(
            icon(pixmap.SP_MediaSkipForward), translate("StepControls", "Run to end")
        )
        self.end_button.setToolTip(
            translate("StepControls", "Run every node left: the line backward() joins the history")
        )
        self.speed_box = QComboBox()
        for text, milliseconds in SPEEDS:
            self.speed_box.addItem(translate("StepControls", text), milliseconds)
        self.speed_box.setCurrentIndex(DEFAULT_SPEED)
        self.speed_box.setToolTip(
            translate("StepControls", "Play's speed: the time between two steps")
        )
        self.position = QLabel()
        self.timer = QTimer(self)
        self._played: object | None = None  # the pass Play steps
        self.timer.setInterval(SPEEDS[DEFAULT_SPEED][1])

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.reset_button,
            self.back_button,
            self.play_button,
            self.step_button,
            self.end_button,
            self.speed_box,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.position, stretch=1)

        self.reset_button.clicked.connect(self._reset)
        self.back_button.clicked.connect(self._step_back)
        self.play_button.clicked.connect(self.toggle_play)
        self.step_button.clicked.connect(self.session.step)
        self.end_button.clicked.connect(self._run_to_end)
        self.speed_box.currentIndexChanged.connect(
            lambda: self.timer.setInterval(self.speed_box.currentData())
        )
        self.timer.timeout.connect(self._tick)
        for key, slot in (
            (Qt.Key.Key_Right, self.session.step),
            (Qt.Key.Key_Left, self._step_back),
            (Qt.Key.Key_Space, self._space),
        ):
            shortcut = QShortcut(QKeySequence(key), keys_widget)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        session.stepped.connect(self.refresh)
        self.refresh()

    @property
    def playing(self) -> bool:
        """True while Play steps on its timer."""
        return self.timer.isActive()

    def _space(self) -> None:
        """Space plays or pauses, except on a focused check box or button: that one it
        presses, as Space always does (the shortcut would otherwise take the key)."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and focused is not self.play_button:
            focused.animateClick()
            return
        self.toggle_play()

    def toggle_play(self) -> None:
        """Play from here (from the start when the pass has ended), or pause."""
        if self.playing:
            self.pause()
            return
        backward_pass = self.session.backward_pass
        if backward_pass is None:
            return
        if backward_pass.finished or backward_pass.error is not None:
            self.session.reset_backward()
        self._played = self.session.backward_pass  # the reset may have made a new one
        self.timer.start()
        self.refresh()

    def pause(self) -> None:
        """Stop stepping on the timer."""
        self.timer.stop()
        self.refresh()

    def refresh(self) -> None:
        """Enable what can be done now and write where the pass is."""
        backward_pass = self.session.backward_pass
        has_pass = backward_pass is not None
        ended = has_pass and (backward_pass.finished or backward_pass.error is not None)
        # Another pass (a line ran, undo, another root) is not the one Play was started on.
        if self.playing and (not has_pass or ended or backward_pass is not self._played):
            self.timer.stop()
        shown = backward_pass.shown_step if has_pass else 0
        self.reset_button.setEnabled(has_pass and backward_pass.started)
        self.back_button.setEnabled(shown > 0)
        self.play_button.setEnabled(has_pass)
        if self.playing:
            self.play_button.setText(translate("StepControls", "Pause"))
        else:
            self.play_button.setText(translate("StepControls", "Play"))
        self.play_button.setIcon(self._play_icons[self.playing])
        self.step_button.setEnabled(has_pass and backward_pass.error is None)
        again = has_pass and backward_pass.finished
        if again:
            self.step_button.setText(translate("StepControls", "Backward again"))
        else:
            self.step_button.setText(translate("StepControls", "Step"))
        self.end_button.setEnabled(has_pass and not ended)
        self.position.setText(self._position_text())

    def _position_text(self) -> str:
        backward_pass = self.session.backward_pass
        if backward_pass is None:
            return ""
        if not backward_pass.started:
            return "  " + translate("StepControls", "ready: step 0")
        total = len(backward_pass.order)
        if not total:
            return "  " + translate("StepControls", "step 0")
        position = translate("StepControls", "step {number} of {count}")
        return "  " + position.format(number=backward_pass.shown_step, count=total)

    def _tick(self) -> None:
        self.session.step()
        backward_pass = self.session.backward_pass
        if backward_pass is None or backward_pass.finished or backward_pass.error is not None:
            self.pause()

    def _step_back(self) -> None:
        self.pause()
        self.session.step_back()

    def _reset(self) -> None:
        self.pause()
        self.session.reset_backward()

    def _run_to_end(self) -> None:
        self.pause()
        self.session.run_to_end()
