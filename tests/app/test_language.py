"""The interface language: Qt's translators, the Korean font, and a switch while running."""

from __future__ import annotations

import gc
import os
import re
import weakref

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app import i18n, language_switch
from app.language import (
    app_translation_file,
    korean_font_family,
    parse_language,
    system_language,
    use_language,
)
from app.language_switch import follow_language_menu, switch_language
from app.main_window import MainWindow
from app.presenter import FONT_SCALE
from app.session import DEFAULT_MEMORY_LIMIT
from app.session_files import LeaveChoice
from app.session_recovery import RecoveryBar
from app.session_script import session_script

HANGUL = re.compile(r"[\uac00-\ud7a3]")


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
    from PySide6.QtGui import QFontDatabase, QFontInfo

    latin = QFontInfo(qapp.font()).family()  # "DejaVu Sans", not an alias: Qt skips those
    assert latin in QFontDatabase.families()
    use_language(qapp, "ko")
    assert i18n.current_language() == "ko"
    assert i18n.translate("MainWindow", "&File") == "파일(&F)"
    assert i18n.translate("LessonPlayer", "Next") == "다음"
    # The usual font first (complete Latin, digits and superscripts such as 2¹⁰), then the
    # Korean one for Hangul.
    assert qapp.font().families() == [latin, korean_font_family()]
    assert korean_font_family() == "NanumGothic"
    writing_systems = QFontDatabase.writingSystems(korean_font_family())
    assert QFontDatabase.WritingSystem.Korean in writing_systems
    use_language(qapp, "en")
    assert i18n.translate("MainWindow", "&File") == "&File"
    assert qapp.font().families() == [latin]


def test_a_missing_translation_file_is_an_error_that_changes_nothing(
    qapp, english_after, monkeypatch, tmp_path
):
    monkeypatch.setattr(
        "app.language.app_translation_file", lambda language: str(tmp_path / "none.qm")
    )
    with pytest.raises(OSError, match="missing"):
        use_language(qapp, "ko")
    assert i18n.translate("MainWindow", "&File") == "&File"


def test_a_failed_load_keeps_the_language_already_spoken(
    qapp, english_after, monkeypatch, tmp_path
):
    use_language(qapp, "ko")
    families = qapp.font().families()
    monkeypatch.setattr(
        "app.language.app_translation_file", lambda language: str(tmp_path / "none.qm")
    )
    with pytest.raises(OSError, match="missing"):
        use_language(qapp, "ko")
    assert i18n.translate("MainWindow", "&File") == "파일(&F)"
    assert qapp.font().families() == families


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


def language_actions(window) -> dict[str, object]:
    """View > Language's entries by their text."""
    (language_menu,) = [
        action.menu()
        for action in window.findChildren(type(window.menuBar().actions()[0]))
        if action.menu() is not None and action.text() in ("&Language", "언어(&L)")
    ]
    return {action.text(): action for action in language_menu.actions()}


def test_the_language_menu_switches_a_followed_window_and_remembers(
    make_window, qtbot, english_after, tmp_path
):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    follow_language_menu(window)
    names = language_actions(window)
    assert names["English"].isChecked()
    windows_before = list(language_switch._windows)
    with qtbot.waitSignal(window.language_chosen):
        names["한국어"].trigger()
    (korean,) = [kept for kept in language_switch._windows if kept not in windows_before]
    qtbot.addWidget(korean)  # closed after the test, like the window it replaced
    assert settings.value("language") == "ko"
    assert i18n.current_language() == "ko"
    assert korean.isVisible() and not window.isVisible()
    assert menu_titles(korean)[0] == "파일(&F)"
    assert language_actions(korean)["한국어"].isChecked()

    language_actions(korean)["English"].trigger()  # the new window is followed too
    (english,) = [
        kept for kept in language_switch._windows if kept not in [*windows_before, korean]
    ]
    qtbot.addWidget(english)
    assert menu_titles(english)[0] == "&File" and settings.value("language") == "en"


def test_an_unfollowed_window_only_remembers_the_choice(make_window, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    window.choose_language("ko")
    assert settings.value("language") == "ko"
    assert i18n.current_language() == "en"
    assert menu_titles(window)[0] == "&File"


# -- what a switch carries over -----------------------------------------------------------


@pytest.fixture
def app_font_after(qapp):
    """Put back the application font even when a test fails while presenting."""
    font = QFont(qapp.font())
    yield
    qapp.setFont(font)


def switched(qtbot, window, language):
    """``window`` switched to ``language`` (the new window closed after the test)."""
    successor = switch_language(window, language)
    qtbot.addWidget(successor)
    return successor


def test_switching_while_presenting_keeps_the_new_languages_font(
    make_window, qtbot, qapp, english_after, app_font_after
):
    window = make_window("x = torch.arange(12).view(3, 4)")
    size = qapp.font().pointSizeF()
    window.presenter_mode.enter()

    korean = switched(qtbot, window, "ko")
    assert korean.presenter_mode.active and korean.presenter_action.isChecked()
    assert korean_font_family() in qapp.font().families()
    assert qapp.font().pointSizeF() == pytest.approx(size * FONT_SCALE)
    korean.presenter_mode.leave()
    assert korean_font_family() in qapp.font().families()
    assert qapp.font().pointSizeF() == pytest.approx(size)


def test_a_failed_switch_while_presenting_keeps_presenting(
    make_window, qapp, english_after, app_font_after, monkeypatch, tmp_path
):
    window = make_window()
    window.presenter_mode.enter()
    monkeypatch.setattr(
        "app.language.app_translation_file", lambda language: str(tmp_path / "none.qm")
    )
    with pytest.raises(OSError, match="missing"):
        switch_language(window, "ko")
    assert window.presenter_mode.active and window.isVisible()
    window.presenter_mode.leave()


def test_a_failed_views_explanation_and_the_consoles_line_carry_over(
    make_window, qtbot, english_after
):
    window = make_window("x = torch.arange(12).view(3, 4); y = x.t()")
    window.console.input.setText("flat = y.view(12)")
    window.console.run_input()
    assert window.memory_panel.view_failure_panel.isVisible()
    error = window.console.error.text()

    korean = switched(qtbot, window, "ko")
    panel = korean.memory_panel.view_failure_panel
    assert panel.isVisible() and panel.code_line.text() == "flat = y.view(12)"
    assert HANGUL.search(panel.explanation_line.text())  # said again, in Korean
    assert korean.console.input.text() == "flat = y.view(12)"
    assert korean.console.error.isVisible() and korean.console.error.text() == error


def test_a_closed_explanation_stays_closed(make_window, qtbot, english_after):
    window = make_window("x = torch.arange(12).view(3, 4); y = x.t()")
    window.console.input.setText("flat = y.view(12)")
    window.console.run_input()
    window.memory_panel.view_failure_panel.close_button.click()
    korean = switched(qtbot, window, "ko")
    assert not korean.memory_panel.view_failure_panel.isVisibleTo(korean)


def test_mid_pass_the_graph_panel_shows_the_same_step_and_retain_graph(
    make_window, qtbot, english_after
):
    window = make_window(
        "a = torch.tensor([1., 2., 3.], requires_grad=True)\nb = a * 2\nloss = (b * a).sum()"
    )
    window.graph_panel.retain_graph_box.setChecked(True)
    window.session.step()
    window.session.step()
    states = {node: item.state for node, item in window.graph_panel.view.node_items.items()}

    korean = switched(qtbot, window, "ko")
    panel = korean.graph_panel
    assert panel.retain_graph_box.isChecked() and korean.session.retain_graph
    assert {node: item.state for node, item in panel.view.node_items.items()} == states
    assert panel.controls.isVisible() and "2단계" in panel.details.text()


def test_a_checked_answer_is_checked_again_in_the_new_language(make_window, qtbot, english_after):
    window = make_window()
    window.open_lesson("strides", 3)
    window.lesson_player.check("5")  # wrong: a hint shows
    window.lesson_player.question.show_answer()

    korean = switched(qtbot, window, "ko")
    question = korean.lesson_player.question
    assert question.answer_field.text() == "5"
    assert question.feedback_label.isVisibleTo(question)
    assert "1번 행은 0번 행이 모두 끝난 바로 다음에 시작합니다." in question.feedback_label.text()
    assert question.answer_label.isVisibleTo(question) and "4" in question.answer_label.text()


def test_an_answer_typed_but_not_checked_stays_unchecked(make_window, qtbot, english_after):
    window = make_window()
    window.open_lesson("strides", 3)
    window.lesson_player.question.answer_field.setText("4")
    korean = switched(qtbot, window, "ko")
    question = korean.lesson_player.question
    assert question.answer_field.text() == "4" and question.verdict is None
    assert not question.feedback_label.isVisibleTo(question)


def test_the_recovery_offer_is_made_again_and_still_restores(qtbot, english_after, tmp_path):
    folder = tmp_path / "recovery"
    folder.mkdir()
    crashed = folder / "session-1-dead00.py"
    crashed.write_text(session_script(["a = core.ones(3)", "b = a * 2"]))
    # A lock naming a process above Linux's largest id: the instance that wrote it is gone.
    (folder / f"{crashed.name}.lock").write_text(f"{2**22 + 7}\npython3\n{os.uname().nodename}\n")
    window = MainWindow(recovery_folder=folder)  # not closed by qtbot: the switch deletes it
    window.show()
    assert window.session_files.recovery.bar.isVisible()

    korean = switched(qtbot, window, "ko")
    korean.session_files.ask_to_save = lambda name: LeaveChoice.DISCARD
    bar = korean.session_files.recovery.bar
    assert bar.isVisible() and bar.parent() is korean
    assert HANGUL.search(bar.message.text()) and bar.restore_button.text() == "복원"
    shown = [toolbar for toolbar in korean.findChildren(RecoveryBar) if toolbar.isVisibleTo(korean)]
    assert shown == [bar]
    bar.restore_button.click()
    assert korean.session.history == ["a = core.ones(3)", "b = a * 2"]
    assert korean.session_files.recovery.bar is None


def test_switching_back_and_forth_leaves_no_window_behind(qtbot, english_after):
    windows_before = list(language_switch._windows)
    tops_before = QApplication.topLevelWidgets()
    window = MainWindow()  # not closed by qtbot: the switch deletes it
    window.show()
    replaced = []
    for language in ("ko", "en", "ko", "en"):
        replaced.append(weakref.ref(window))
        window = switch_language(window, language)
    qtbot.addWidget(window)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()
    assert all(old() is None or not shiboken6.isValid(old()) for old in replaced)
    assert [kept for kept in language_switch._windows if kept not in windows_before] == [window]
    new_tops = [top for top in QApplication.topLevelWidgets() if top not in tops_before]
    assert [top for top in new_tops if isinstance(top, MainWindow)] == [window]


def test_a_settings_file_edited_into_garbage_still_opens_the_window(make_window, tmp_path):
    path = tmp_path / "settings.ini"
    path.write_text(
        "[General]\n"
        "language=klingon, ko\n"  # a list to QSettings
        "memory_limit_mib=lots\n"
        "geometry=garbage\n"
        "window_state=@ByteArray(xyz)\n"
        "timing_panel_opened=maybe\n"
    )
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    assert parse_language(settings.value("language")) is None  # the system's language then
    window = make_window("x = torch.arange(6)", settings=settings)
    assert window.session.memory_limit == DEFAULT_MEMORY_LIMIT
    assert window.isVisible() and window.memory_panel.logical_grid.isVisible()


def test_a_sweep_running_at_a_switch_stops_and_its_rows_stay(make_window, qtbot, english_after):
    from tests.app.test_timing_panel import SWEEP_TIMEOUT_MS, choose

    window = make_window()
    panel = window.timing_panel
    choose(panel, ["add", "matmul", "contiguous", "sum"], largest=2**24, full=True)
    panel.run_sweep()
    qtbot.waitUntil(lambda: len(panel.results.run_rows()) >= 2, timeout=SWEEP_TIMEOUT_MS)

    korean = switch_language(window, "ko")
    qtbot.addWidget(korean)

    kept = korean.timing_panel
    rows = kept.results.run_rows()
    assert len(rows) >= 2 and not kept.running
    assert not panel.running or panel.sweep.isFinished()  # its thread ended
    assert kept.progress.text() == f"{len(rows)}개 측정함"
    assert "언어" in kept.status.text()
