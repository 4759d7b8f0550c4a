"""The interface language: Qt's translators, the Korean font, the language a start picks.

The app's strings are translated by ``resources/translations/stridescope_ko.qm``, compiled
from ``translations/stridescope_ko.ts`` (``scripts/update_translations.sh``); Qt's own
dialogs (file dialogs, message box buttons) by Qt's ``qtbase_ko.qm``. English is the
source text and needs no file.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from app import i18n
from app.i18n import LANGUAGES, Language

KOREAN_FONT_FAMILIES = (
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
)
"""Families with Korean glyphs, best first: Nanum (Debian's fonts-nanum, which the set-up
installs) reads well at small sizes, then the usual system fonts of each platform."""

_installed: list[QTranslator] = []
_latin_family: str | None = None


def system_language() -> Language:
    """The language of the system's locale, when the app speaks it; else English."""
    return "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"


def parse_language(text: object) -> Language | None:
    """A saved or typed language code (``"ko"``, ``"ko_KR"``), or None if it is not one."""
    code = str(text or "").split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None  # type: ignore[return-value]


def app_translation_file(language: Language) -> str:
    """The path of the app's compiled translations into ``language``."""
    folder = resources.files("resources").joinpath("translations")
    return str(folder.joinpath(f"stridescope_{language}.qm"))


def korean_font_family() -> str | None:
    """An installed font family with Korean glyphs (None when there is none)."""
    korean = set(QFontDatabase.families(QFontDatabase.WritingSystem.Korean))
    for family in KOREAN_FONT_FAMILIES:
        if family in korean:
            return family
    return next(iter(sorted(korean)), None)


def use_language(app: QApplication, language: Language) -> None:
    """Speak ``language`` from now on: install its translators and a font that has its glyphs.

    Widgets made before keep their text; the window is rebuilt to change language.

    Raises
    ------
    OSError
        When the app's translation file for ``language`` is missing or unreadable.
    """
    global _latin_family
    translators = [] if language == "en" else _loaded_translators(app, language)
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed[:] = translators
    for translator in translators:
        QCoreApplication.installTranslator(translator)
    if _latin_family is None:  # the family the font resolves to, not an alias such as "Sans Serif"
        _latin_family = QFontInfo(app.font()).family()
    font = app.font()
    if language == "en":
        i18n.install_translator(None, "en")
        font.setFamilies([_latin_family])
        app.setFont(font)
        return
    i18n.install_translator(QCoreApplication.translate, language)
    family = korean_font_family() if language == "ko" else None
    if family is not None:
        # Latin text, digits and superscripts (2¹⁰) stay in the usual font, whose glyphs
        # are complete; Hangul comes from the Korean one (NanumGothic has no good ¹⁰).
        font.setFamilies([_latin_family, family])
        app.setFont(font)


def _loaded_translators(app: QApplication, language: Language) -> list[QTranslator]:
    """Qt's own translations into ``language`` (when Qt ships them), then the app's.

    Raises
    ------
    OSError
        When the app's translation file for ``language`` is missing or unreadable.
    """
    path = app_translation_file(language)
    translator = QTranslator(app)
    if not translator.load(path):
        raise OSError(f"the translations into {language} are missing: {path}")
    qt_translator = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_translator.load(QLocale(language), "qtbase", "_", qt_folder):
        return [qt_translator, translator]
    return [translator]
