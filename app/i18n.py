"""User-visible text in the chosen language, for Qt-free modules and widgets alike.

Every string a user reads goes through :func:`translate` with an explicit context
(``translate("LessonPlayer", "Next")``), which is also the form ``pyside6-lupdate``
extracts into ``translations/stridescope_ko.ts``. Qt is not imported here: the app
installs Qt's translator (:func:`install_translator`) when it starts, and until then,
or without Qt (``stridescope bench``, the model tests), the English source text is
returned unchanged.

Text with values in it uses named fields, so a translation can order them as its
language needs: ``translate("Ctx", "Step {number} of {count}").format(...)``. A string
kept in a constant is marked with :func:`QT_TRANSLATE_NOOP` where it is defined and
translated where it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

Language = Literal["en", "ko"]
LANGUAGES: tuple[Language, ...] = ("en", "ko")
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "ko": "한국어"}
"""Each language by its own name, as a language menu lists it."""

_translator: Callable[[str, str], str] | None = None
_language: Language = "en"


def translate(context: str, text: str) -> str:
    """``text`` in the current language (``text`` itself in English or without Qt)."""
    if _translator is None:
        return text
    return _translator(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate knows)
    """Mark ``text`` for translation where a constant is defined; returns it unchanged."""
    return text


def install_translator(translator: Callable[[str, str], str] | None, language: Language) -> None:
    """Route :func:`translate` through ``translator`` (None: English source text)."""
    global _translator, _language
    _translator = translator
    _language = language


def current_language() -> Language:
    """The language :func:`translate` answers in."""
    return _language
