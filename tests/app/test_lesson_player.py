"""The lesson player, driven as a student would: Next, Previous, PageDown, typed answers.

The lessons walked are the shipped ones where what is checked holds for any lesson (the
history is the lesson's own code, in order), and a small lesson written here where a test
needs a particular step: a question, a step that fails on purpose, a graph node.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog

from app.code_text import statements
from app.lesson_answers import Verdict
from app.lesson_text import code_html, inline_html, lesson_html
from app.lessons import Lesson, LessonError, Look, find_lesson, load_lesson
from app.main_window import MainWindow
from app.session import Session
from app.theme import ERROR_COLORS, apply_theme
from app.widgets.lesson_player import MINIMUM_WIDTH, LessonPlayer, LookRequest
from app.widgets.lesson_question import SUCCESS_COLORS
from core.timing import TimingRow

DEMO_LESSON = '''
title = { en = "Transpose in five steps", ko = "다섯 단계로 보는 전치" }
summary = { en = "A lesson for the player's tests.", ko = "플레이어 시험용 수업입니다." }

[[steps]]
text.en = """
A tensor reads a flat storage.
Its `stride()` says how far to jump.

- one row is `4` apart
- one column is `1` apart
"""
text.ko = "텐서는 평평한 저장소를 읽습니다."
code = """
x = torch.arange(12).view(3, 4)
"""
look = { cell = [1, 2] }

[steps.question]
ask = { en = "What is `x.stride()`?", ko = "`x.stride()`는 무엇일까요?" }
answer = "x.stride()"
expect = "(4, 1)"
hint = { en = "A row is 4 elements long.", ko = "한 행은 원소 4개입니다." }
explain = { en = "Down a row skips 4, right skips 1.", ko = "아래로 4, 오른쪽으로 1입니다." }

[[steps]]
text.en = "Transpose swaps the strides: `y = x.t()` reads the same storage."
text.ko = "전치는 스트라이드를 맞바꿉니다."
code = """
y = x.t()
"""
look = { tensor = "y" }

[steps.question]
ask = { en = "What is `y.stride()`?", ko = "`y.stride()`는 무엇일까요?" }
answer = "y.stride()"
expect = "(1, 4)"
hint = { en = "The strides of x swap places.", ko = "x의 스트라이드가 자리를 바꿉니다." }
explain.en = "t() swaps sizes and strides; no element moves."
explain.ko = "t()는 모양과 스트라이드만 바꿉니다."

[[steps]]
text.en = "A view of the transpose fails."
text.ko = "전치의 뷰는 실패합니다."
code = """
flat = y.view(12)
"""
fails = "view size is not compatible"

[[steps]]
text.en = "Multiply, then sum: the graph records both."
text.ko = "곱하고 더하면 그래프가 둘 다 기록합니다."
code = """
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 3
L = b.sum()
"""
look = { node = "MulBackward0" }
backward = { root = "L", steps = 1 }

[[steps]]
text.en = "Try something in the console."
text.ko = "콘솔에서 직접 해 보세요."
look = { panel = "console" }
'''


@pytest.fixture
def demo_lesson(tmp_path) -> Lesson:
    path = tmp_path / "01-demo.toml"
    path.write_text(DEMO_LESSON, encoding="utf-8")
    return load_lesson(path)


@pytest.fixture
def window(make_window, qtbot) -> MainWindow:
    """An empty window, active so that its shortcuts (PageDown, PageUp) reach it."""
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def lesson_lines(lesson: Lesson, through: int) -> list[str]:
    """The history lines steps 1..``through`` of ``lesson`` add: each statement of their
    code, but not a last statement that fails on purpose."""
    lines = []
    for step in lesson.steps[:through]:
        code = statements(step.code) if step.code else []
        lines += code[:-1] if step.fails else code
    return lines


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot, player: LessonPlayer, text: str) -> None:
    """Type ``text`` into the answer field and press Enter."""
    field = player.question.answer_field
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def text_colour(widget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.WindowText)


# -- walking a lesson ---------------------------------------------------------------


def test_next_walks_a_shipped_lesson_to_its_end_running_each_step_once(qtbot, window):
    lesson = find_lesson("storage")
    count = len(lesson.steps)
    player = window.lesson_player
    window.open_lesson("storage")
    assert window.session.history == lesson_lines(lesson, 1)
    assert player.progress_label.text() == f"Step 1 of {count}"
    assert not player.previous_button.isEnabled()

    for number in range(2, count + 1):
        click(qtbot, player.next_button)
        assert player.step_number == number
        assert window.session.history == lesson_lines(lesson, number)

    assert player.progress_label.text() == f"Step {count} of {count}"
    assert (player.progress_bar.value(), player.progress_bar.maximum()) == (count, count)
    assert not player.next_button.isEnabled()
    assert player.previous_button.isEnabled()
    assert sorted(player.outcomes) == list(range(1, count + 1))
    assert player.failures == {}


def test_previous_runs_nothing_and_shows_the_step_again(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 2)
    history = window.session.history
    looks = []
    player.look_requested.connect(looks.append)

    click(qtbot, player.previous_button)

    assert player.step_number == 1
    assert window.session.history == history
    assert player.progress_label.text() == "Step 1 of 5"
    assert looks == [LookRequest(demo_lesson.steps[0].look, None)]
    click(qtbot, player.next_button)  # step 2 ran before: it runs no more
    assert window.session.history == history


def test_going_back_shows_that_steps_tensor_and_lit_cell_again(qtbot, window, demo_lesson):
    session = window.session
    window.lesson_player.open_lesson(demo_lesson, 2)
    assert session.current.name == "y"

    click(qtbot, window.lesson_player.previous_button)

    assert session.current.name == "x"  # what step 1 assigned
    assert session.pinned
    assert session.highlight.storage.tolist() == [6]  # x[1, 2] reads storage element 6
    assert torch.arange(12).view(3, 4)[1, 2].item() == 6


def test_opening_at_step_5_runs_steps_1_to_4_first_in_order(window):
    lesson = find_lesson("storage")

    window.open_lesson("1", 5)

    player = window.lesson_player
    assert player.step_number == 5
    assert window.session.history == lesson_lines(lesson, 5)
    assert sorted(player.outcomes) == [1, 2, 3, 4, 5]
    assert player.progress_label.text() == f"Step 5 of {len(lesson.steps)}"


def test_run_again_runs_the_steps_code_once_more(qtbot, window, demo_lesson):
    window.lesson_player.open_lesson(demo_lesson, 2)

    click(qtbot, window.lesson_player.run_again_button)

    assert window.session.history == [
        "x = torch.arange(12).view(3, 4)",
        "y = x.t()",
        "y = x.t()",
    ]


def test_a_step_without_code_hides_the_code_and_run_again(window, demo_lesson):
    window.lesson_player.open_lesson(demo_lesson, 5)

    assert not window.lesson_player.code_frame.isVisible()
    assert not window.lesson_player.run_again_button.isVisible()


def test_the_step_text_and_code_are_shown_as_rich_text(window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 1)

    text = player.text_label.text()
    assert "A tensor reads a flat storage. Its " in text  # the two lines are one paragraph
    assert "<li>one row is " in text and ">stride()</span>" in text
    assert player.code_label.text().count("<p ") == 1
    assert "x = torch.arange(12).view(3, 4)" in player.code_label.text()
    assert player.text_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


# -- questions ----------------------------------------------------------------------


def test_a_wrong_answer_shows_the_hint_and_show_answer_shows_expect(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 2)
    question = player.question
    assert not question.show_answer_button.isVisible()

    answer(qtbot, player, "4, 1")

    assert question.verdict is Verdict.WRONG
    assert "Hint: The strides of x swap places." in question.feedback_label.text()
    assert text_colour(question.feedback_label) == QColor(ERROR_COLORS["light"])
    assert question.show_answer_button.isVisible()
    assert not question.answer_label.isVisible()

    click(qtbot, question.show_answer_button)

    shown = question.answer_label.text()
    assert question.answer_label.isVisible()
    assert ">(1, 4)</span>" in shown
    assert "t() swaps sizes and strides; no element moves." in shown


def test_a_right_answer_shows_the_explanation_in_green(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 2)

    answer(qtbot, player, "(1, 4)")

    question = player.question
    assert question.verdict is Verdict.RIGHT
    assert "t() swaps sizes and strides; no element moves." in question.feedback_label.text()
    assert text_colour(question.feedback_label) == QColor(SUCCESS_COLORS["light"])
    assert not question.show_answer_button.isVisible()


def test_check_button_and_enter_both_check(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 1)
    question = player.question

    qtbot.keyClicks(question.answer_field, "4 1")
    click(qtbot, question.check_button)
    assert question.verdict is Verdict.RIGHT

    answer(qtbot, player, "1, 4")  # Enter
    assert question.verdict is Verdict.WRONG


def test_an_unreadable_answer_says_what_to_type_without_a_hint(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 2)

    answer(qtbot, player, "y.stride()")

    question = player.question
    assert question.verdict is Verdict.UNREADABLE
    assert "is code" in question.feedback_label.text()
    assert "Hint" not in question.feedback_label.text()
    assert not question.show_answer_button.isVisible()


def test_a_new_step_asks_afresh(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 1)
    answer(qtbot, player, "9, 9")

    click(qtbot, player.next_button)

    assert player.question.answer_field.text() == ""
    assert player.question.verdict is None
    assert not player.question.feedback_label.isVisible()


def test_console_lines_between_steps_stay_and_do_not_move_the_answer(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 2)
    console = window.console.input
    qtbot.keyClicks(console, "y = y.contiguous()")
    qtbot.keyClick(console, Qt.Key.Key_Return)
    assert window.session.tensors()["y"].stride() == (3, 1)

    assert player.check("1, 4").verdict is Verdict.RIGHT  # as the step's code left y
    assert player.check("3, 1").verdict is Verdict.WRONG

    # The console line stays; step 3's view then works, which is not what the step says.
    click(qtbot, player.next_button)
    assert window.session.history == [
        "x = torch.arange(12).view(3, 4)",
        "y = x.t()",
        "y = y.contiguous()",
        "flat = y.view(12)",
    ]
    assert player.step_number == 3
    assert "the last line ran, but fails says it fails" in player.error.text()


def test_a_tensor_answer_is_kept_as_the_step_left_it(window, tmp_path):
    path = tmp_path / "02-values.toml"
    path.write_text(
        textwrap.dedent(
            """
            title = { en = "Values", ko = "값" }
            summary = { en = "Values.", ko = "값." }
            [[steps]]
            text = { en = "Two values.", ko = "값 두 개." }
            code = "v = torch.tensor([1, 2])"
            [steps.question]
            ask = { en = "What is `v`?", ko = "`v`는?" }
            answer = "v"
            expect = "[1, 2]"
            hint = { en = "Look.", ko = "보세요." }
            explain = { en = "It is.", ko = "그렇습니다." }
            """
        ),
        encoding="utf-8",
    )
    player = window.lesson_player
    player.open_lesson(load_lesson(path))

    window.session.run("v.mul_(10)")  # in place: the step's tensor itself changes

    assert player.check("[1, 2]").verdict is Verdict.RIGHT


# -- keys ---------------------------------------------------------------------------


def test_page_down_and_page_up_step_from_anywhere_in_the_window(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 1)
    window.console.input.setFocus()

    qtbot.keyClick(window.console.input, Qt.Key.Key_PageDown)
    assert player.step_number == 2
    assert window.session.history == ["x = torch.arange(12).view(3, 4)", "y = x.t()"]

    qtbot.keyClick(player.question.answer_field, Qt.Key.Key_PageUp)
    assert player.step_number == 1
    qtbot.keyClick(window.console.input, Qt.Key.Key_PageUp)  # at the first step: stays
    assert player.step_number == 1


def test_page_down_does_nothing_while_the_lesson_dock_is_closed(qtbot, window, demo_lesson):
    window.lesson_player.open_lesson(demo_lesson, 1)
    window.docks["lesson"].hide()

    qtbot.keyClick(window.console.input, Qt.Key.Key_PageDown)

    assert window.lesson_player.step_number == 1


# -- outcomes and failures ----------------------------------------------------------


def test_a_step_that_fails_on_purpose_shows_its_error_and_the_view_panel(window, demo_lesson):
    player = window.lesson_player

    player.open_lesson(demo_lesson, 3)

    assert player.step_number == 3
    assert player.outcome_label.isVisible()
    assert player.outcome_label.text().startswith("RuntimeError: view size is not compatible")
    assert text_colour(player.outcome_label) == QColor(ERROR_COLORS["light"])
    assert not player.error.isVisible()
    assert window.memory_panel.view_failure_panel.isVisible()
    assert window.session.history == ["x = torch.arange(12).view(3, 4)", "y = x.t()"]
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        torch.arange(12).view(3, 4).t().view(12)  # PyTorch fails the same way


def test_a_step_that_fails_unexpectedly_says_so_and_the_player_goes_on(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 1)
    window.session.run("del x")

    click(qtbot, player.next_button)

    assert player.step_number == 2
    assert player.error.isVisible()
    assert "NameError: name 'x' is not defined" in player.error.text()
    assert player.next_button.isEnabled() and player.previous_button.isEnabled()
    assert player.check("1, 4") is None
    assert "Run again" in player.question.feedback_label.text()

    window.session.run("x = torch.arange(12).view(3, 4)")
    click(qtbot, player.run_again_button)

    assert not player.error.isVisible()
    assert 2 in player.outcomes and 2 not in player.failures
    assert player.check("1, 4").verdict is Verdict.RIGHT


def test_opening_past_a_broken_step_stops_at_it(window, tmp_path):
    broken = DEMO_LESSON.replace("y = x.t()", "y = x.nope()")
    path = tmp_path / "03-broken.toml"
    path.write_text(broken, encoding="utf-8")
    player = window.lesson_player

    player.open_lesson(load_lesson(path), 4)

    assert player.step_number == 2
    assert sorted(player.outcomes) == [1]
    assert "03-broken.toml: step 2" in player.failures[2]
    assert "AttributeError" in player.error.text()
    assert window.session.history == ["x = torch.arange(12).view(3, 4)"]


def test_go_to_a_step_the_lesson_lacks_raises(window, demo_lesson):
    player = window.lesson_player
    with pytest.raises(ValueError, match="no lesson is open"):
        player.go_to(1)
    player.open_lesson(demo_lesson)
    with pytest.raises(ValueError, match="has 5 steps: no step 6"):
        player.go_to(6)


BACKWARD_LESSON = """
title = { en = "A backward pass", ko = "역전파" }
summary = { en = "Step by step.", ko = "단계별로." }

[[steps]]
text = { en = "L = a * b, the pass not started.", ko = "L = a * b, 역전파 전." }
code = '''
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(-3.0, requires_grad=True)
L = a * b
'''
backward = { root = "L", steps = 0 }

[[steps]]
text = { en = "MulBackward0 has run.", ko = "MulBackward0가 실행되었습니다." }
backward = { root = "L", steps = 1 }

[[steps]]
text = { en = "The pass has reached its end.", ko = "역전파가 끝났습니다." }
backward = { root = "L", steps = 3 }

[steps.question]
ask = { en = "What is `a.grad`?", ko = "`a.grad`는?" }
answer = "a.grad"
expect = "-3.0"
hint = { en = "It is b.", ko = "b입니다." }
explain = { en = "dL/da = b.", ko = "dL/da = b." }
"""

TWO_READING_STEPS = """
title = { en = "Two steps", ko = "두 단계" }
summary = { en = "Reading only.", ko = "읽기만." }

[[steps]]
text = { en = "A vector.", ko = "벡터." }
code = "v = torch.arange(4)"

[[steps]]
text = { en = "Its view.", ko = "뷰." }
code = "m = v.view(2, 2)"
"""


def lesson_at(tmp_path, text: str, name: str) -> Lesson:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_lesson(path)


def test_going_back_steps_the_backward_pass_back_to_that_step(qtbot, window, tmp_path):
    lesson = lesson_at(tmp_path, BACKWARD_LESSON, "07-pass.toml")
    session, player = window.session, window.lesson_player
    player.open_lesson(lesson, 3)
    assert session.backward_pass.shown_step == 3
    assert session.history[-1] == "L.backward()"  # the finished pass joined the history

    click(qtbot, player.previous_button)

    assert session.backward_pass.shown_step == 1
    assert session.history[-1] == "L = a * b"
    assert session.tensors()["a"].grad is None  # the AccumulateGrad of a has not run
    click(qtbot, player.previous_button)
    assert session.backward_pass.shown_step == 0

    click(qtbot, player.next_button)
    click(qtbot, player.next_button)

    assert session.backward_pass.shown_step == 3
    assert session.history.count("L.backward()") == 1
    a = torch.tensor(2.0, requires_grad=True)
    (a * torch.tensor(-3.0)).backward()
    assert session.tensors()["a"].grad.item() == a.grad.item()
    assert player.check("-3").verdict is Verdict.RIGHT


def test_going_back_leaves_a_pass_the_console_moved_on(qtbot, window, tmp_path):
    lesson = lesson_at(tmp_path, BACKWARD_LESSON, "07-pass.toml")
    session, player = window.session, window.lesson_player
    player.open_lesson(lesson, 3)
    session.run("d = a * 2")  # typed: the lesson no longer decides the graph

    click(qtbot, player.previous_button)

    assert session.history[-2:] == ["L.backward()", "d = a * 2"]
    assert session.tensors()["a"].grad.item() == -3.0


def test_going_back_to_a_failed_view_explains_it_again(qtbot, window, demo_lesson):
    player = window.lesson_player
    panel = window.memory_panel.view_failure_panel
    player.open_lesson(demo_lesson, 4)
    assert not panel.isVisible()

    click(qtbot, player.previous_button)

    assert panel.isVisible()
    assert panel.code_line.text() == "flat = y.view(12)"
    click(qtbot, player.next_button)
    assert not panel.isVisible()


def test_undo_past_a_steps_lines_takes_the_step_back_and_next_runs_it_again(
    qtbot, window, demo_lesson
):
    session, player = window.session, window.lesson_player
    player.open_lesson(demo_lesson, 2)

    session.undo_stack.undo()  # Ctrl+Z: y = x.t() is gone

    assert "Undo took back what this step ran" in player.error.text()
    assert player.run_again_button.isVisibleTo(player)
    assert player.check("1, 4") is None  # nothing to check against: it says Run again
    click(qtbot, player.next_button)
    assert player.step_number == 3
    assert player.failures == {}
    assert session.history == ["x = torch.arange(12).view(3, 4)", "y = x.t()"]  # run again


def test_redo_brings_a_step_undo_took_back(window, demo_lesson):
    session, player = window.session, window.lesson_player
    player.open_lesson(demo_lesson, 2)

    session.undo_stack.undo()
    session.undo_stack.redo()

    assert not player.error.isVisible()
    assert player.check("1, 4").verdict is Verdict.RIGHT


def test_run_again_without_code_first_runs_the_steps_undo_took_back(qtbot, window, demo_lesson):
    session, player = window.session, window.lesson_player
    player.open_lesson(demo_lesson, 5)  # step 5 has no code; step 4 made a, b and L
    lines = list(session.history)

    session.undo_stack.undo()  # L = b.sum() is gone
    assert player.run_again_button.isVisibleTo(player)
    click(qtbot, player.run_again_button)

    step_4 = statements(demo_lesson.steps[3].code)
    assert session.history == lines[:-1] + step_4  # step 4 ran again, whole
    assert player.step_number == 5
    assert not player.error.isVisible()


def test_next_onto_a_question_puts_the_keyboard_in_the_answer_field(qtbot, window, demo_lesson):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 1)
    player.next_button.setFocus()

    qtbot.keyClick(player.next_button, Qt.Key.Key_Space)

    assert player.step_number == 2
    assert player.question.answer_field.hasFocus()
    qtbot.keyClicks(player.question.answer_field, "1, 4")
    qtbot.keyClick(player.question.answer_field, Qt.Key.Key_Return)
    assert player.question.verdict is Verdict.RIGHT


def test_the_keyboard_stays_in_the_player_when_a_button_turns_disabled(qtbot, window, tmp_path):
    player = window.lesson_player
    player.open_lesson(lesson_at(tmp_path, TWO_READING_STEPS, "02-reading.toml"), 1)
    player.next_button.setFocus()

    qtbot.keyClick(player.next_button, Qt.Key.Key_Space)  # to the last step: Next turns off

    assert not player.next_button.isEnabled()
    assert player.previous_button.hasFocus()  # not a button of some other panel
    qtbot.keyClick(player.previous_button, Qt.Key.Key_Space)
    assert player.step_number == 1
    assert player.next_button.hasFocus()


def test_feedback_scrolls_into_sight_in_a_short_dock(qtbot, demo_lesson):
    player = LessonPlayer(Session())
    qtbot.addWidget(player)
    player.resize(MINIMUM_WIDTH, 360)
    player.show()
    qtbot.waitExposed(player)
    player.open_lesson(demo_lesson, 1)
    viewport = player.scroll_area.viewport()

    def in_sight(widget) -> bool:
        top = widget.mapTo(viewport, widget.rect().topLeft()).y()
        return top >= 0 and top + widget.height() <= viewport.height()

    answer(qtbot, player, "9, 9")
    qtbot.wait(100)  # the new feedback laid out (a widget just shown has a stale height)
    assert in_sight(player.question.show_answer_button)
    click(qtbot, player.question.show_answer_button)
    qtbot.wait(100)
    assert in_sight(player.question.answer_label)


def test_a_broken_lesson_file_hides_no_other_lesson(qtbot, tmp_path):
    (tmp_path / "01-demo.toml").write_text(DEMO_LESSON, encoding="utf-8")
    (tmp_path / "02-broken.toml").write_text(DEMO_LESSON.replace("look =", "lok ="), "utf-8")

    player = LessonPlayer(Session(), lesson_folder=tmp_path)
    qtbot.addWidget(player)

    assert [lesson.name for lesson in player.lessons] == ["demo"]
    assert player.lesson_box.count() == 1
    assert player.load_error.text() == (
        "These lesson files could not be used:\n02-broken.toml: step 1: unknown key 'lok': "
        "did you mean 'look'? a step has the keys text, code, fails, look, backward, question"
    )


def test_lessons_open_lesson_file_opens_a_teachers_file(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "12-mine.toml"
    path.write_text(DEMO_LESSON, encoding="utf-8")
    chosen = []

    def choose(parent, caption, folder, filters):
        chosen.append(filters)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Lessons"
    )

    menu.actions()[-1].trigger()

    player = window.lesson_player
    assert chosen == ["Lessons (*.toml);;All files (*)"]
    assert player.lesson.path == path and player.step_number == 1
    assert player.lesson_box.currentText() == "12. Transpose in five steps"
    assert window.docks["lesson"].isVisible()


def test_a_broken_lesson_file_opened_says_why_in_the_dock(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "12-mine.toml"
    path.write_text('title = "no closing quote\n', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_: (str(path), ""))
    menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Lessons"
    )

    menu.actions()[-1].trigger()

    player = window.lesson_player
    assert player.lesson is None
    assert window.docks["lesson"].isVisible()
    assert player.load_error.isVisible()
    assert player.load_error.text().startswith(
        "The lesson could not be read: 12-mine.toml: line 1, column "
    )


# -- the window around the player ---------------------------------------------------


def test_the_lesson_dock_opens_with_a_lesson_beside_the_inspector(qtbot, window):
    dock = window.docks["lesson"]
    assert not dock.isVisible()
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea

    window.open_lesson("storage")

    assert dock.isVisible()
    assert dock in window.tabifiedDockWidgets(window.docks["inspector"])
    # The lesson's tab in front: a tab behind keeps isVisible(), with nothing on screen.
    qtbot.waitUntil(lambda: window.docks["inspector"].visibleRegion().isEmpty())
    assert not dock.visibleRegion().isEmpty()
    assert dock.width() >= MINIMUM_WIDTH
    assert window.lesson_player.lesson_box.currentText() == "1. " + find_lesson("1").title.en


def test_open_lesson_with_an_unknown_name_raises_listing_the_lessons(window):
    with pytest.raises(LessonError, match="no lesson 'nope': .*1 storage"):
        window.open_lesson("nope")
    assert not window.docks["lesson"].isVisible()


def test_the_lessons_menu_lists_the_lessons_and_opens_one(window):
    menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Lessons"
    )
    lessons = window.lesson_player.lessons
    assert [action.text() for action in menu.actions()] == [
        *(f"{lesson.number}. {lesson.title.en}" for lesson in lessons),
        "",  # a separator
        "Open Lesson &File…",
    ]

    menu.actions()[1].trigger()

    assert window.lesson_player.lesson == lessons[1]
    assert window.docks["lesson"].isVisible()


def test_the_view_menu_lists_the_lesson_dock(window):
    view_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&View"
    )
    assert window.docks["lesson"].toggleViewAction() in view_menu.actions()


def test_choosing_in_the_picker_opens_that_lesson(qtbot, window):
    player = window.lesson_player
    window.open_lesson("storage")

    player.lesson_box.activated.emit(1)  # as a click on the second entry does

    assert player.lesson == player.lessons[1]
    assert player.step_number == 1
    assert window.session.history[-len(lesson_lines(player.lessons[1], 1)) :] == lesson_lines(
        player.lessons[1], 1
    )


def test_a_graph_look_brings_the_graph_forward_and_selects_the_node(window, demo_lesson):
    looks = []
    window.lesson_player.look_requested.connect(looks.append)

    window.lesson_player.open_lesson(demo_lesson, 4)

    step = demo_lesson.steps[3]
    assert looks == [LookRequest(step.look, step.backward)]
    assert window.docks["graph"].isVisible()
    graph = window.session.graph
    assert graph.root_name == "L"
    assert graph.nodes[window.graph_panel.selected].name == "MulBackward0"
    assert window.session.backward_pass.shown_step == 1


def test_a_console_look_focuses_the_console(qtbot, window, demo_lesson):
    window.lesson_player.open_lesson(demo_lesson, 5)

    qtbot.waitUntil(lambda: window.console.input.hasFocus())
    assert window.docks["console"].isVisible()


def timing_look(experiment: str) -> LookRequest:
    return LookRequest(
        Look(
            tensor=None, panel="timing", cell=None, storage=None, node=None, experiment=experiment
        ),
        None,
    )


def test_a_timing_look_opens_the_timing_panel_at_its_experiment(window):
    rows = [
        TimingRow(name, "cpu", "contiguous", 1024, 1e-6, 1e-7, 4.0, "GB/s")
        for name in ("add", "sum")
    ]
    window.timing_panel.show_rows(rows)
    assert window.timing_panel.current_experiment() == "add"

    window.show_look(timing_look("sum"))

    assert window.docks["timing"].isVisible()
    assert window.timing_panel.current_experiment() == "sum"


def test_a_timing_look_without_rows_says_how_to_measure(window):
    window.timing_panel.show_rows([])

    window.show_look(timing_look("sum"))

    assert window.docks["timing"].isVisible()
    assert window.statusBar().currentMessage() == "No timings of sum yet: press Run to measure."


def test_a_graph_look_naming_a_missing_node_says_so_in_the_status_bar(window, demo_lesson):
    window.lesson_player.open_lesson(demo_lesson, 4)
    look = replace(demo_lesson.steps[3].look, node="DivBackward0")

    window.show_look(LookRequest(look, None))

    assert "has no node DivBackward0" in window.statusBar().currentMessage()


def test_feedback_colours_follow_the_theme(qtbot, window, demo_lesson, restore_theme, qapp):
    player = window.lesson_player
    player.open_lesson(demo_lesson, 3)
    player.go_to(2)
    answer(qtbot, player, "9, 9")

    apply_theme(qapp, "dark")

    # Widgets get the new palette through posted events.
    dark_error = QColor(ERROR_COLORS["dark"])
    qtbot.waitUntil(lambda: text_colour(player.question.feedback_label) == dark_error)
    player.go_to(3)
    assert text_colour(player.outcome_label) == QColor(ERROR_COLORS["dark"])
    player.go_to(2)
    answer(qtbot, player, "1, 4")
    assert text_colour(player.question.feedback_label) == QColor(SUCCESS_COLORS["dark"])


def test_the_player_alone_starts_empty_and_lists_the_lessons(qtbot):
    player = LessonPlayer(Session())
    qtbot.addWidget(player)

    assert player.lesson is None and player.step_number == 0
    assert player.lesson_box.currentIndex() == -1
    assert player.lesson_box.count() == len(player.lessons) > 0
    assert not player.next_button.isEnabled() and not player.previous_button.isEnabled()
    player.next_step()  # nothing to do: no error
    assert player.check("1") is None


# -- rich text, without Qt ----------------------------------------------------------


def test_inline_html_escapes_and_marks_code_spans():
    assert inline_html("if `x[0] < 3` & y", "S") == (
        'if <span style="S">x[0] &lt; 3</span> &amp; y'
    )
    assert inline_html("a lone ` stays", "S") == "a lone ` stays"


def test_lesson_html_makes_paragraphs_and_lists():
    text = "One\ntwo.\n\nThree:\n- `a` first\n  goes on\n- second\nAfter."
    p = '<p style="margin-top: 0px; margin-bottom: 8px;">'
    ul = '<ul style="margin-top: 0px; margin-bottom: 8px;">'

    assert lesson_html(text, "S") == (
        f"{p}One two.</p>{p}Three:</p>"
        f'{ul}<li><span style="S">a</span> first goes on</li><li>second</li></ul>'
        f"{p}After.</p>"
    )


def test_code_html_keeps_spaces_and_hangs_wrapped_lines():
    html = code_html("for i in x:\n    y = i < 2", 24)

    style = (
        "margin-top: 0px; margin-bottom: 0px; margin-left: 24px; text-indent: -24px; "
        "white-space: pre-wrap;"
    )
    assert html == (f'<p style="{style}">for i in x:</p><p style="{style}">    y = i &lt; 2</p>')
