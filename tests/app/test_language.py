"""The interface language: Qt's translators, the Korean font, and a switch while running."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, QSettings

from app import i18n
from app.language import (
    app_translation_file,
    korean_font_family,
    parse_language,
    system_language,
    use_language,
)
from app.language_switch import follow_language_menu, switch_language


@pytest.fixture
def english_after(qapp):
    yield
    use_language(qapp, "en")


def menu_titles(window) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


@pytest.mark.parametrize(
    ("text", "language"),
    [("ko", "ko"), ("ko_KR", "ko"), ("en-GB", "en"), ("EN", "en"), ("fr", None), (None, None)],
)
def test_parse_language(text, language):
    assert parse_language(text) == language


def test_the_system_locale_decides_the_default(monkeypatch):
    monkeypatch.setattr(QLocale, "system", lambda: QLocale(QLocale.Language.Korean))
    assert system_language() == "ko"
    monkeypatch.setattr(QLocale, "system", lambda: QLocale(QLocale.Language.German))
    assert system_language() == "en"


def test_korean_translates_and_picks_a_font_with_hangul(qapp, english_after):
    from PySide6.QtGui import QFontDatabase

    latin = qapp.font().family()
    use_language(qapp, "ko")
    assert i18n.current_language() == "ko"
    assert i18n.translate("MainWindow", "&File") == "파일(&F)"
    assert i18n.translate("LessonPlayer", "Next") == "다음"
    family = qapp.font().family()
    assert family == korean_font_family() == "NanumGothic"
    assert QFontDatabase.WritingSystem.Korean in QFontDatabase.writingSystems(family)
    use_language(qapp, "en")
    assert i18n.translate("MainWindow", "&File") == "&File"
    assert qapp.font().family() == latin


def test_a_missing_translation_file_is_an_error_that_changes_nothing(
    qapp, english_after, monkeypatch, tmp_path
):
    monkeypatch.setattr(
        "app.language.app_translation_file", lambda language: str(tmp_path / "none.qm")
    )
    with pytest.raises(OSError, match="missing"):
        use_language(qapp, "ko")
    assert i18n.translate("MainWindow", "&File") == "&File"


def test_the_shipped_translation_file_loads():
    from PySide6.QtCore import QTranslator

    assert QTranslator().load(app_translation_file("ko"))


def test_switching_language_keeps_the_session_lesson_and_layout(
    make_window, qtbot, english_after, tmp_path
):
    window = make_window("x = torch.arange(12).view(3, 4)")
    window.open_lesson("strides", 3)
    window.lesson_player.check("4")
    script = tmp_path / "mine.py"
    window.session_files.choose_save_path = lambda: script
    window.session_files.save_as()
    window.console.input.remember("y = x.t()")
    session, history = window.session, window.session.history
    outcomes = dict(window.lesson_player.outcomes)
    geometry = window.geometry()

    korean = switch_language(window, "ko")
    qtbot.addWidget(korean)
    qtbot.waitUntil(lambda: not window.isVisible())

    assert menu_titles(korean)[:2] == ["파일(&F)", "편집(&E)"]
    assert korean.session is session and session.history == history
    assert korean.geometry() == geometry
    player = korean.lesson_player
    assert player.lesson.name == "strides" and player.step_number == 3
    assert player.outcomes == outcomes  # nothing ran again
    assert player.progress_label.text() == "6단계 중 3단계"
    assert korean.docks["lesson"].isVisible()
    assert korean.session_files.path == script
    assert korean.windowTitle() == f"{script.name}[*] — StrideScope"
    assert korean.console.input.entries[-1] == "y = x.t()"
    assert korean.memory_panel.logical_grid.isVisible()

    english = switch_language(korean, "en")
    qtbot.addWidget(english)
    assert menu_titles(english)[:2] == ["&File", "&Edit"]
    assert english.lesson_player.progress_label.text() == "Step 3 of 6"


def test_the_language_menu_switches_a_followed_window_and_remembers(
    make_window, qtbot, english_after, tmp_path
):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    follow_language_menu(window)
    (language_menu,) = [
        action.menu()
        for action in window.findChildren(type(window.menuBar().actions()[0]))
        if action.menu() is not None and action.text() == "&Language"
    ]
    names = {action.text(): action for action in language_menu.actions()}
    assert names["English"].isChecked()
    with qtbot.waitSignal(window.language_chosen):
        names["한국어"].trigger()
    assert settings.value("language") == "ko"
    assert i18n.current_language() == "ko"


def test_an_unfollowed_window_only_remembers_the_choice(make_window, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    window.choose_language("ko")
    assert settings.value("language") == "ko"
    assert i18n.current_language() == "en"
    assert menu_titles(window)[0] == "&File"
