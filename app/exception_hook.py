"""The last line of defence: an unexpected exception is logged and shown, and the app runs on."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.code_text import describe_exception
from app.i18n import translate

LOG_NAME = "stridescope.log"
logger = logging.getLogger("stridescope")


def log_path() -> Path:
    """The log file, in the platform's folder for the app's local data."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(folder or ".") / LOG_NAME


def install_exception_hook() -> None:
    """Route uncaught exceptions (a slot that raised, for instance) to :func:`report_exception`.

    Log records go to :func:`log_path`; a folder that cannot be made leaves logging to stderr.
    """
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        logger.addHandler(logging.FileHandler(path, encoding="utf-8"))
    except OSError:
        logger.addHandler(logging.StreamHandler())
    sys.excepthook = report_exception


def report_exception(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> QMessageBox | None:
    """Log the exception and show it in a non-blocking dialog; returns the dialog, if any.

    Ctrl+C (KeyboardInterrupt) keeps Python's default behaviour.
    """
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return None
    details = "".join(traceback.format_exception(kind, error, trace))
    logger.error("unexpected error\n%s", details)
    if QApplication.instance() is None:
        print(details, file=sys.stderr)
        return None
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        translate("ExceptionHook", "StrideScope: unexpected error"),
        describe_exception(error),
    )
    box.setInformativeText(
        translate(
            "ExceptionHook",
            "Your session is intact and the app keeps running. The details are in {path}.",
        ).format(path=log_path())
    )
    box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
