"""Lessons: the loader's checks, running a step, and every shipped lesson run headless.

The lesson test (``test_every_step_of_the_lesson_runs_and_its_answers_hold``) runs each
file in resources/lessons step by step in a fresh session, as the player does, and checks
what the file promises: the code runs (or fails as ``fails`` says), every ``expect`` is
right for its ``answer``, every look target is there, both languages are written. Another
runs each lesson's code in PyTorch and compares the answers.
"""

import re
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
import torch

import core
from app.code_text import statements
from app.lesson_answers import Verdict, check_answer
from app.lesson_run import LessonStepError, StepOutcome, graph_node_named, run_step, show_graph
from app.lessons import (
    LESSON_FOLDER,
    PANELS,
    BackwardSteps,
    LessonError,
    Look,
    Question,
    Text,
    all_lessons,
    find_lesson,
    load_lesson,
    read_lessons,
)
from app.session import CodeError, Session
from core.timing import EXPERIMENTS

HEAD = """\
title = { en = "Transpose", ko = "전치" }
summary = { en = "What t() does.", ko = "t()가 하는 일." }
"""

STEP = '''\
[[steps]]
text.en = """
Make a matrix.

Then `y = x.t()`.
"""
text.ko = "행렬을 만듭니다."
code = """
x = torch.arange(12).view(3, 4)
y = x.t()
"""
look = { tensor = "y", cell = [1, 2] }

[steps.question]
ask = { en = "What is `y.stride()`?", ko = "`y.stride()`는 무엇일까요?" }
answer = "y.stride()"
expect = "(1, 4)"
hint = { en = "Swapped.", ko = "바뀝니다." }
explain = { en = "t() swaps strides.", ko = "t()는 스트라이드를 바꿉니다." }
'''

FAILING_STEP = """\
[[steps]]
text = { en = "It fails.", ko = "실패합니다." }
code = "z = y.view(12)"
fails = "view size is not compatible"
"""

BACKWARD_STEP = """\
[[steps]]
text = { en = "Backward.", ko = "역전파." }
code = '''
w = torch.ones(3, requires_grad=True)
L = (w * 2).sum()
'''
backward = { root = "L", steps = 2 }
look = { node = "MulBackward0" }
"""

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def write_lesson(folder: Path, body: str, name: str = "01-transpose.toml", head: str = HEAD):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(head + "\n" + body, encoding="utf-8")
    return path


def step_toml(extra: str, code: str = "x = torch.arange(6).view(2, 3)") -> str:
    """One step with ``extra`` lines after its text and code."""
    return f'[[steps]]\ntext = {{ en = "A", ko = "가" }}\ncode = "{code}"\n{extra}\n'


def load_error(tmp_path: Path, body: str, name: str = "01-transpose.toml", head=HEAD) -> str:
    with pytest.raises(LessonError) as caught:
        load_lesson(write_lesson(tmp_path, body, name, head))
    message = str(caught.value)
    assert "\n" not in message
    return message


# -- loading ----------------------------------------------------------------------------


def test_a_lesson_file_is_read_into_values(tmp_path):
    path = write_lesson(tmp_path, STEP + FAILING_STEP + BACKWARD_STEP, "03-transpose-views.toml")

    lesson = load_lesson(path)

    assert (lesson.number, lesson.name, lesson.path) == (3, "transpose-views", path)
    assert lesson.title == Text("Transpose", "전치")
    assert lesson.summary("ko") == "t()가 하는 일."
    first, failing, backward = lesson.steps
    assert first.text("en") == "Make a matrix.\n\nThen `y = x.t()`."
    assert first.text("ko") == "행렬을 만듭니다."
    assert first.code == "x = torch.arange(12).view(3, 4)\ny = x.t()"
    assert first.fails is None and first.backward is None
    assert first.look == Look("y", "memory", (1, 2), None, None, None)
    assert first.question == Question(
        Text("What is `y.stride()`?", "`y.stride()`는 무엇일까요?"),
        "y.stride()",
        "(1, 4)",
        Text("Swapped.", "바뀝니다."),
        Text("t() swaps strides.", "t()는 스트라이드를 바꿉니다."),
    )
    assert first.place == "03-transpose-views.toml: step 1"
    assert failing.fails == "view size is not compatible"
    assert failing.look == Look(None, "memory", None, None, None, None)
    assert failing.question is None
    assert backward.backward == BackwardSteps("L", 2)
    assert backward.look == Look(None, "graph", None, None, "MulBackward0", None)


@pytest.mark.parametrize(
    ("extra", "panel"),
    [
        ("", "memory"),
        ('look = { panel = "console" }', "console"),
        ('look = { experiment = "add" }', "timing"),
        ('look = { experiment = "add", panel = "timing" }', "timing"),
        ('look = { node = "AccumulateGrad" }', "graph"),
        ('backward = { root = "L", steps = 0 }', "graph"),
        ("look = { storage = 4 }", "memory"),
    ],
)
def test_the_panel_is_the_one_asked_for_or_implied(tmp_path, extra, panel):
    lesson = load_lesson(write_lesson(tmp_path, step_toml(extra)))

    assert lesson.steps[0].look.panel == panel
    assert panel in PANELS


def test_a_step_may_have_no_code(tmp_path):
    body = '[[steps]]\ntext = { en = "Just read.", ko = "읽기만 합니다." }\n'

    (step,) = load_lesson(write_lesson(tmp_path, body)).steps

    assert step.code == ""
    assert step.look == Look(None, "memory", None, None, None, None)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("1-storage.toml", "1-storage.toml: a lesson file is named NN-name.toml"),
        ("01_storage.toml", "01_storage.toml: a lesson file is named NN-name.toml"),
        ("01-Storage.toml", "01-Storage.toml: a lesson file is named NN-name.toml"),
        ("01-.toml", "01-.toml: a lesson file is named NN-name.toml"),
        ("storage.toml", "storage.toml: a lesson file is named NN-name.toml"),
    ],
)
def test_a_file_name_must_be_number_and_name(tmp_path, name, message):
    assert load_error(tmp_path, STEP, name).startswith(message)


def test_a_toml_syntax_error_gives_the_file_and_line(tmp_path):
    head = HEAD + 'broken = "no closing quote\n'

    message = load_error(tmp_path, STEP, head=head)

    assert message.startswith("01-transpose.toml: line 3, column ")
    assert "check the TOML there" in message


def test_text_that_is_not_utf8(tmp_path):
    path = tmp_path / "01-transpose.toml"
    path.write_bytes((HEAD + STEP).encode("utf-16"))

    with pytest.raises(LessonError, match=r"^01-transpose.toml: not UTF-8 text: save the file"):
        load_lesson(path)


BAD_STEPS = [
    (
        step_toml('lok = { tensor = "x" }'),
        "step 1: unknown key 'lok': did you mean 'look'? a step has the keys text, code, fails, "
        "look, backward, question",
    ),
    (step_toml("fail = 'x'"), "step 1: unknown key 'fail': did you mean 'fails'?"),
    (
        '[[steps]]\ncode = "x = 1"\n',
        'step 1: text is missing: write text = { en = "...", ko = "..." }',
    ),
    ('[[steps]]\ntext = "Hello"\n', "step 1: text must be in both languages: write text = {"),
    (
        '[[steps]]\ntext = { en = "Hello" }\n',
        'step 1: text.ko is missing or empty: write text.ko = "..."',
    ),
    ('[[steps]]\ntext = { en = " ", ko = "가" }\n', "step 1: text.en is missing or empty"),
    (
        '[[steps]]\ntext = { en = "A", ko = "가", jp = "あ" }\n',
        "step 1: unknown key 'text.jp': text has the keys en, ko",
    ),
    (
        '[[steps]]\ntext = { en = "A", ko = "가" }\ncode = 3\n',
        'step 1: code must be text: code = """ ... """',
    ),
    (step_toml("", code="x = torch.arange(3"), "step 1: code does not parse: SyntaxError: "),
    (step_toml("", code="x = core.arange(3)"), "step 1: code: write torch. instead of core."),
    (
        '[[steps]]\ntext = { en = "A", ko = "가" }\nfails = "boom"\n',
        "step 1: fails says the code fails, but the step has no code",
    ),
    (step_toml("fails = 3"), 'step 1: fails is not text: write fails = "..." (in quotes)'),
    (step_toml('look = "y"'), 'step 1: look must be a table: look = { tensor = "y" }'),
    (
        step_toml('look = { tensr = "y" }'),
        "step 1: unknown key 'look.tensr': did you mean 'tensor'? look has the keys tensor,",
    ),
    (
        step_toml("look = { cell = [0, 1], storage = 1 }"),
        "step 1: look has both cell and storage: light up one of them",
    ),
    (
        step_toml("look = { cell = [0, -1] }"),
        "step 1: look.cell must be a list of whole numbers from 0",
    ),
    (step_toml("look = { cell = 1 }"), "step 1: look.cell must be a list of whole numbers from 0"),
    (step_toml("look = { cell = [true] }"), "step 1: look.cell must be a list of whole numbers"),
    (step_toml("look = { storage = 1.5 }"), "step 1: look.storage must be a whole number from 0"),
    (
        step_toml('look = { panel = "memry" }'),
        'step 1: look.panel \'memry\' is no panel: write one of "memory", "graph", "timing", '
        '"console"',
    ),
    (
        step_toml('look = { node = "MulBackward0", panel = "memory" }'),
        'step 1: look.node shows the graph panel, but look.panel says "memory": write panel = '
        '"graph" or leave panel out',
    ),
    (
        step_toml('look = { experiment = "add", panel = "graph" }'),
        'step 1: look.experiment shows the timing panel, but look.panel says "graph"',
    ),
    (
        step_toml('look = { node = "MulBackward0", experiment = "add" }'),
        "step 1: look.node shows the graph panel and look.experiment the timing panel: split them",
    ),
    (
        step_toml('look = { experiment = "add" }\nbackward = { root = "L", steps = 1 }'),
        "step 1: backward shows the graph panel and look.experiment the timing panel",
    ),
    (
        step_toml('look = { experiment = "sorting" }'),
        "step 1: look.experiment 'sorting' is no timing experiment: write one of add, matmul,",
    ),
    (step_toml('look = { tensor = "x.t()" }'), "step 1: look.tensor must be a tensor's name"),
    (step_toml('look = { node = "" }'), 'step 1: look.node is empty: write node = "..."'),
    (step_toml('backward = "L"'), 'step 1: backward must be a table: backward = { root = "L"'),
    (step_toml("backward = { steps = 1 }"), 'step 1: backward.root is missing: write root = "..."'),
    (
        step_toml('backward = { root = "L" }'),
        "step 1: backward.steps must be a whole number from 0",
    ),
    (step_toml('backward = { root = "L", steps = -1 }'), "step 1: backward.steps must be a whole"),
    (
        step_toml('backward = { root = "L", steps = true }'),
        "step 1: backward.steps must be a whole",
    ),
    (
        step_toml('backward = { root = "L", step = 1 }'),
        "step 1: unknown key 'backward.step': did you mean 'steps'? backward has the keys "
        "root, steps",
    ),
    (step_toml('question = "What?"'), "step 1: question must be a table: write [steps.question]"),
]


@pytest.mark.parametrize(("body", "message"), BAD_STEPS, ids=[m for _, m in BAD_STEPS])
def test_every_bad_step_names_file_step_key_and_the_fix(tmp_path, body, message):
    assert load_error(tmp_path, body).startswith(f"01-transpose.toml: {message}")


def question_step(question: str) -> str:
    return step_toml("") + "[steps.question]\n" + textwrap.dedent(question)


GOOD_QUESTION = {
    "ask": 'ask = { en = "Q?", ko = "질문?" }',
    "answer": 'answer = "x.stride()"',
    "expect": 'expect = "(3, 1)"',
    "hint": 'hint = { en = "H", ko = "힌트" }',
    "explain": 'explain = { en = "E", ko = "설명" }',
}


def question_with(**changes: str) -> str:
    lines = {**GOOD_QUESTION, **changes}
    return question_step("\n".join(line for line in lines.values() if line) + "\n")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expect": ""}, 'step 1: question.expect is missing: write expect = "..." (in quotes)'),
        ({"expect": "expect = 3"}, "step 1: question.expect is not text: write expect ="),
        ({"answer": ""}, "step 1: question.answer is missing"),
        (
            {"answer": 'answer = "x.stride("'},
            "step 1: question.answer does not parse: SyntaxError: ",
        ),
        (
            {"answer": 'answer = "x = 3"'},
            "step 1: question.answer does not parse: SyntaxError: ",
        ),
        (
            {"answer": 'answer = "torch.cuda.is_available()"'},
            "step 1: question.answer asks about this computer (cuda): ask what every computer",
        ),
        ({"ask": ""}, 'step 1: question.ask is missing: write ask = { en = "...", ko = "..." }'),
        ({"hint": 'hint = "H"'}, "step 1: question.hint must be in both languages"),
        ({"explain": 'explain = { en = "E" }'}, "step 1: question.explain.ko is missing or empty"),
        (
            {"more": 'asks = { en = "Q", ko = "질" }'},
            "step 1: unknown key 'question.asks': did you mean 'ask'? a question has the keys ask,",
        ),
    ],
)
def test_every_bad_question_names_its_key(tmp_path, changes, message):
    assert load_error(tmp_path, question_with(**changes)).startswith(
        f"01-transpose.toml: {message}"
    )


def test_the_step_number_counts_from_one(tmp_path):
    message = load_error(tmp_path, STEP + FAILING_STEP + step_toml("look = { stor = 1 }"))

    assert message.startswith("01-transpose.toml: step 3: unknown key 'look.stor'")


@pytest.mark.parametrize(
    ("head", "body", "message"),
    [
        (HEAD, "", "a lesson needs steps: start each one with [[steps]]"),
        (HEAD, "steps = []", "a lesson needs steps: start each one with [[steps]]"),
        (
            HEAD,
            '[steps]\ntext = { en = "A", ko = "가" }\n',
            "steps: write [[steps]] (two brackets)",
        ),
        (HEAD, "steps = [1]", "step 1: a step is a table: start it with [[steps]]"),
        ('summary = { en = "S", ko = "요약" }\n', STEP, "title is missing: write title = {"),
        (HEAD + 'titel = "x"\n', STEP, "unknown key 'titel': did you mean 'title'?"),
        (
            HEAD + 'code = "x = 1"\n',
            STEP,
            "'code' belongs to a step: write it after a [[steps]] line ([steps.code] for a table)",
        ),
        (
            HEAD + '[question]\nask = "x"\n',
            STEP,
            "'question' belongs to a step: write it after a [[steps]] line",
        ),
    ],
)
def test_bad_lesson_keys(tmp_path, head, body, message):
    assert load_error(tmp_path, body, head=head).startswith(f"01-transpose.toml: {message}")


def test_all_lessons_by_number_and_find_by_name_or_number(tmp_path):
    write_lesson(tmp_path, STEP, "02-second.toml")
    write_lesson(tmp_path, STEP, "10-tenth.toml")
    write_lesson(tmp_path, STEP, "01-first.toml")

    lessons = all_lessons(tmp_path)

    assert [(lesson.number, lesson.name) for lesson in lessons] == [
        (1, "first"),
        (2, "second"),
        (10, "tenth"),
    ]
    assert find_lesson("second", tmp_path).number == 2
    assert find_lesson("2", tmp_path).name == "second"
    assert find_lesson("02", tmp_path).name == "second"
    assert find_lesson(" Tenth ", tmp_path).number == 10
    with pytest.raises(LessonError) as caught:
        find_lesson("third", tmp_path)
    assert str(caught.value) == (
        "no lesson 'third': give a number or a name, one of: 1 first, 2 second, 10 tenth; "
        "or a lesson file's path"
    )


def test_no_folder_has_no_lessons_and_finding_one_says_so(tmp_path):
    assert all_lessons(tmp_path / "missing") == []
    with pytest.raises(LessonError, match="^no lesson 'storage': .* holds no lessons$"):
        find_lesson("storage", tmp_path / "missing")


def test_two_lessons_may_not_share_a_number_or_a_name(tmp_path):
    write_lesson(tmp_path / "numbers", STEP, "01-first.toml")
    write_lesson(tmp_path / "numbers", STEP, "01-other.toml")
    write_lesson(tmp_path / "names", STEP, "01-first.toml")
    write_lesson(tmp_path / "names", STEP, "02-first.toml")

    with pytest.raises(LessonError) as numbers:
        all_lessons(tmp_path / "numbers")
    with pytest.raises(LessonError) as names:
        all_lessons(tmp_path / "names")

    assert str(numbers.value) == (
        "01-other.toml: lesson 1 is 01-first.toml too: give each lesson its own number"
    )
    assert str(names.value) == (
        "02-first.toml: the name 'first' is 01-first.toml too: give each lesson its own name"
    )


def test_a_bad_file_among_good_ones_stops_all_lessons_with_its_name(tmp_path):
    write_lesson(tmp_path, STEP, "01-first.toml")
    write_lesson(tmp_path, step_toml("lok = 1"), "02-second.toml")

    with pytest.raises(LessonError, match=r"^02-second.toml: step 1: unknown key 'lok'"):
        all_lessons(tmp_path)


def test_read_lessons_keeps_the_good_files_and_says_why_each_other_cannot_be_used(tmp_path):
    write_lesson(tmp_path, STEP, "01-first.toml")
    write_lesson(tmp_path, step_toml("lok = 1"), "02-second.toml")
    write_lesson(tmp_path, STEP, "03-third.toml")
    write_lesson(tmp_path, STEP, "03-again.toml")

    lessons, problems = read_lessons(tmp_path)

    assert [lesson.name for lesson in lessons] == ["first", "again"]
    assert problems == [
        "02-second.toml: step 1: unknown key 'lok': did you mean 'look'? a step has the keys "
        "text, code, fails, look, backward, question",
        "03-third.toml: lesson 3 is 03-again.toml too: give each lesson its own number",
    ]
    assert read_lessons(tmp_path / "none") == ([], [])


def test_find_lesson_opens_a_lesson_file_given_by_its_path(tmp_path):
    path = write_lesson(tmp_path / "mine", STEP, "12-my-transpose.toml")

    lesson = find_lesson(str(path), tmp_path / "no lessons here")

    assert (lesson.number, lesson.name, lesson.path) == (12, "my-transpose", path)
    with pytest.raises(LessonError, match=r"^13-gone.toml: cannot be read: No such file"):
        find_lesson(str(tmp_path / "13-gone.toml"))
    with pytest.raises(LessonError, match=r"^mine.toml: a lesson file is named NN-name.toml"):
        find_lesson(str(tmp_path / "mine.toml"))


def test_the_lesson_folder_is_resources_lessons():
    assert Path(__file__).resolve().parents[2] / "resources" / "lessons" == LESSON_FOLDER


# -- running a step ---------------------------------------------------------------------


@pytest.fixture
def session(qapp):
    return Session()


def steps_of(tmp_path: Path, body: str):
    return load_lesson(write_lesson(tmp_path, body)).steps


def test_run_step_runs_each_statement_shows_pins_and_evaluates(tmp_path, session):
    (step,) = steps_of(tmp_path, STEP)

    outcome = run_step(session, step)

    assert outcome == StepOutcome(None, (1, 4))
    assert session.history == ["x = torch.arange(12).view(3, 4)", "y = x.t()"]
    assert session.current.name == "y"
    assert session.pinned
    assert session.highlight.logical.tolist() == [[1, 2]]
    assert session.highlight.storage.tolist() == [9]


def test_running_a_step_again_keeps_its_cell_pinned(tmp_path, session):
    body = step_toml("look = { cell = [1, 0] }")
    (step,) = steps_of(tmp_path, body)
    reading = load_lesson(
        write_lesson(
            tmp_path / "b", '[[steps]]\ntext = { en = "A", ko = "가" }\nlook = { cell = [1, 0] }\n'
        )
    ).steps[0]

    run_step(session, step)
    run_step(session, reading)

    assert session.pinned
    assert session.highlight.logical.tolist() == [[1, 0]]


def test_run_step_pins_a_storage_element(tmp_path, session):
    (step,) = steps_of(
        tmp_path, step_toml("look = { storage = 4 }", code="y = torch.arange(6).view(2, 3).t()")
    )

    run_step(session, step)

    assert session.highlight.storage.tolist() == [4]
    assert session.highlight.logical.tolist() == [[1, 1]]


def test_an_expected_failure_is_the_outcome(tmp_path, session):
    first, failing = steps_of(tmp_path, STEP + FAILING_STEP)
    run_step(session, first)

    outcome = run_step(session, failing)

    assert outcome.error.startswith(
        "RuntimeError: view size is not compatible with input tensor's size and stride"
    )
    assert outcome.expected is None
    assert outcome.explanation.code == "z = y.view(12)"  # the failed view, to show again
    assert session.history == ["x = torch.arange(12).view(3, 4)", "y = x.t()"]
    assert outcome.error.startswith("RuntimeError: view size is not compatible")
    assert session.history == ["x = torch.arange(12).view(3, 4)", "y = x.t()"]


def test_backward_steps_from_the_root(tmp_path, session):
    (step,) = steps_of(tmp_path, BACKWARD_STEP)

    run_step(session, step)

    assert session.graph.root_name == "L"
    assert session.backward_pass.shown_step == 2
    assert not session.backward_pass.finished
    node = graph_node_named(session.graph, "MulBackward0")
    assert session.graph.nodes[node].name == "MulBackward0"


def test_backward_to_the_end_joins_the_history(tmp_path, session):
    (step,) = steps_of(tmp_path, BACKWARD_STEP.replace("steps = 2", "steps = 3"))

    run_step(session, step)

    assert session.backward_pass.finished
    assert session.history[-1] == "L.backward()"
    assert session.tensors()["w"].grad.tolist() == [2.0, 2.0, 2.0]


def test_graph_node_named_finds_the_first_and_lists_the_others(tmp_path, session):
    (step,) = steps_of(tmp_path, BACKWARD_STEP)
    run_step(session, step)

    accumulate = graph_node_named(session.graph, "AccumulateGrad")

    assert accumulate[0] == "grad_fn"
    with pytest.raises(LessonStepError) as caught:
        graph_node_named(session.graph, "AddBackward0")
    assert str(caught.value) == (
        "the graph from L has no node AddBackward0: it has SumBackward0, MulBackward0, "
        "AccumulateGrad"
    )
    with pytest.raises(LessonStepError, match="^no backward graph to find X in"):
        graph_node_named(None, "X")


NODE_STEP = """\
[[steps]]
text = { en = "A node.", ko = "노드." }
code = '''
p = torch.tensor(3.0, requires_grad=True)
q = p * 2
'''
look = { node = "MulBackward0" }
"""


def test_a_look_at_a_node_shows_the_newest_graph_not_a_root_chosen_before(tmp_path, session):
    backward, node = steps_of(tmp_path, BACKWARD_STEP + NODE_STEP)
    run_step(session, backward)
    assert session.graph.root_name == "L"  # chosen by backward: its graph has a MulBackward0

    run_step(session, node)

    assert session.graph.root_name == "q"
    graph_node_named(session.graph, "MulBackward0")


def test_show_graph_steps_the_pass_back_without_running_code(tmp_path, session):
    (step,) = steps_of(tmp_path, BACKWARD_STEP.replace("steps = 2", "steps = 3"))
    run_step(session, step)  # to the end: the pass joins the history
    assert session.history[-1] == "L.backward()"

    show_graph(session, replace(step, backward=BackwardSteps("L", 2)))

    assert session.backward_pass.shown_step == 2
    assert session.history == ["w = torch.ones(3, requires_grad=True)", "L = (w * 2).sum()"]
    assert session.tensors()["w"].grad is None  # step 3 is the AccumulateGrad of w


BAD_RUNS = [
    (
        step_toml("", code="y = torch.arange(6).view(4)"),
        "step 1: code line 'y = torch.arange(6).view(4)' failed: RuntimeError: shape '[4]' is "
        'invalid for input of size 6 (add fails = "..." if it should)',
    ),
    (
        step_toml('fails = "not compatible"', code="y = torch.arange(6).view(4)"),
        "step 1: the last line failed with \"RuntimeError: shape '[4]' is invalid for input of "
        "size 6\", which does not contain fails = 'not compatible'",
    ),
    (
        step_toml('fails = "invalid"'),
        "step 1: the last line ran, but fails says it fails with 'invalid'",
    ),
    (
        step_toml('fails = "invalid"', code="y = torch.ones(2).view(3); z = 1"),
        "step 1: code line 'y = torch.ones(2).view(3)' failed before the last line: RuntimeError",
    ),
    (
        step_toml('fails = "invalid"', code="y = torch.ones(2).view(3)\\nz = 1"),
        "step 1: code line 'y = torch.ones(2).view(3)' failed before the last line: RuntimeError",
    ),
    (
        step_toml('look = { tensor = "y" }'),
        "step 1: look.tensor 'y' is no tensor of the session: it has x",
    ),
    (
        step_toml("look = { cell = [2, 0] }"),
        "step 1: look.cell = [2, 0] is not an element of x, whose shape is (2, 3): give 2 "
        "indices, each below its size",
    ),
    (
        step_toml("look = { cell = [1] }"),
        "step 1: look.cell = [1] is not an element of x, whose shape is (2, 3)",
    ),
    (
        step_toml("look = { storage = 6 }", code="x = torch.arange(6)[1:3]"),
        "step 1: look.storage = 6, but the storage of x has 6 elements (0 to 5)",
    ),
    (
        step_toml('look = { node = "MulBackward0" }'),
        "step 1: look.node: no backward graph to find MulBackward0 in: no tensor requires grad",
    ),
    (
        step_toml('backward = { root = "L", steps = 1 }'),
        "step 1: backward.root 'L' is no tensor of the session",
    ),
    (
        step_toml('backward = { root = "x", steps = 1 }'),
        "step 1: backward.root 'x' does not require grad, so it has no backward pass",
    ),
    (
        BACKWARD_STEP.replace("steps = 2", "steps = 4"),
        "step 1: backward.steps = 4, but the pass from L ends after 3 steps",
    ),
    (
        BACKWARD_STEP.replace("MulBackward0", "AddBackward0"),
        "step 1: look.node: the graph from L has no node AddBackward0: it has SumBackward0, ",
    ),
    (
        question_with(answer='answer = "x.view(5)"'),
        "step 1: question.answer x.view(5) failed: RuntimeError: shape '[5]' is invalid",
    ),
    (
        question_with(answer='answer = "q.stride()"'),
        "step 1: question.answer q.stride() failed: NameError: name 'q' is not defined",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD_RUNS, ids=[m for _, m in BAD_RUNS])
def test_a_step_that_does_not_do_what_it_says_names_step_and_fault(
    tmp_path, session, body, message
):
    (step,) = steps_of(tmp_path, body)

    with pytest.raises(LessonStepError) as caught:
        run_step(session, step)

    assert str(caught.value).startswith(f"01-transpose.toml: {message}")
    assert "\n" not in str(caught.value)


def test_evaluate_reads_the_namespace_without_changing_it(session):
    session.run("x = torch.arange(6).view(2, 3)")

    assert session.evaluate("x.t().stride()") == (1, 3)
    assert session.evaluate(" x.is_contiguous() ") is True
    assert session.evaluate("(y := x.t()).shape") == core.Size([3, 2])
    assert list(session.tensors()) == ["x"]
    assert session.history == ["x = torch.arange(6).view(2, 3)"]
    with pytest.raises(CodeError, match=r"^SyntaxError: "):
        session.evaluate("x.t(")
    with pytest.raises(CodeError, match=r"^SystemExit"):
        session.evaluate("exit()")


# -- the shipped lessons ----------------------------------------------------------------

LESSON_FILES = sorted(LESSON_FOLDER.glob("*.toml"))


def test_there_are_nine_lessons_numbered_one_to_nine():
    lessons = all_lessons()

    assert [lesson.number for lesson in lessons] == list(range(1, 10)), (
        f"resources/lessons should hold lessons 01 to 09, it holds {[p.name for p in LESSON_FILES]}"
    )


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda path: path.stem)
def test_every_step_of_the_lesson_runs_and_its_answers_hold(qapp, path):
    lesson = load_lesson(path)
    session = Session()
    assert_both_languages(lesson.title, f"{path.name}: title")
    assert_both_languages(lesson.summary, f"{path.name}: summary")

    for step in lesson.steps:
        outcome = run_step(session, step)
        assert_looks_right(session, step)
        assert_both_languages(step.text, f"{step.place}: text")
        question = step.question
        if question is not None:
            for key in ("ask", "hint", "explain"):
                assert_both_languages(getattr(question, key), f"{step.place}: question.{key}")
            check = check_answer(question.expect, outcome.expected)
            assert check.verdict is Verdict.RIGHT, (
                f"{step.place}: expect = {question.expect!r}, but {question.answer} gives "
                f"{outcome.expected!r} ({check.message})"
            )


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda path: path.stem)
def test_the_lesson_code_runs_in_pytorch_with_the_same_answers(qapp, path):
    lesson = load_lesson(path)
    session = Session()

    for step in lesson.steps:
        outcome = run_step(session, step)
        namespace = pytorch_namespace(session.history)
        if step.fails is not None:
            failing = statements(step.code)[-1]
            # PyTorch's message says what fails says, as the engine's does (its classes
            # differ by op, so any exception).
            with pytest.raises(Exception, match=re.escape(step.fails)):
                exec(failing, namespace)
        partway = session.backward_pass is not None and not (
            session.backward_pass.finished or session.backward_pass.shown_step == 0
        )
        # A pass stopped partway is a preview of .grad that PyTorch has no way to show.
        if step.question is not None and not partway:
            theirs = eval(step.question.answer, namespace)
            assert_same_value(outcome.expected, theirs, f"{step.place}: {step.question.answer}")


def test_the_example_lesson_in_the_guide_loads_and_runs(qapp, tmp_path):
    guide = (Path(__file__).resolve().parents[2] / "docs" / "LESSONS.md").read_text()
    example = re.search(r"```toml\n(.*?)```", guide, re.DOTALL).group(1)
    path = tmp_path / "10-transpose.toml"
    path.write_text(example, encoding="utf-8")

    test_every_step_of_the_lesson_runs_and_its_answers_hold(qapp, path)
    test_the_lesson_code_runs_in_pytorch_with_the_same_answers(qapp, path)
    assert [step.look.panel for step in load_lesson(path).steps] == ["memory", "memory", "graph"]


def pytorch_namespace(history: list[str]) -> dict:
    """The names the session's history makes when it runs in PyTorch."""
    torch.manual_seed(0)
    namespace = {"torch": torch}
    for line in history:
        exec(line, namespace)
    return namespace


def assert_both_languages(text: Text, where: str) -> None:
    assert text.en.strip(), f"{where}: en is empty"
    assert text.ko.strip(), f"{where}: ko is empty"
    assert HANGUL.search(text.ko), f"{where}: ko has no Hangul: {text.ko!r}"


def assert_looks_right(session: Session, step) -> None:
    look, where = step.look, step.place
    if look.tensor is not None:
        assert look.tensor in session.tensors(), f"{where}: no tensor {look.tensor}"
        assert session.current.name == look.tensor
    if look.cell is not None:
        assert session.pinned and session.highlight.logical.tolist() == [list(look.cell)], where
    if look.storage is not None:
        assert session.pinned and session.highlight.storage.tolist() == [look.storage], where
    if look.node is not None:
        node = graph_node_named(session.graph, look.node)
        assert session.graph.nodes[node].name == look.node
    if look.experiment is not None:
        assert look.experiment in EXPERIMENTS, f"{where}: no experiment {look.experiment}"
    if step.backward is not None:
        assert session.graph.root_name == step.backward.root, where
        assert session.backward_pass.shown_step == step.backward.steps, where


def plain(value: object) -> object:
    """A value of either engine as plain Python: tensors as lists, dtypes by name."""
    if isinstance(value, (core.Tensor, torch.Tensor)):
        value = value.tolist()
    if isinstance(value, (core.dtype, torch.dtype)):
        return str(value).rpartition(".")[2]
    if isinstance(value, (list, tuple)):
        return tuple(plain(item) for item in value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def assert_same_value(ours: object, theirs: object, where: str) -> None:
    ours, theirs = plain(ours), plain(theirs)
    if isinstance(theirs, float) or isinstance(ours, float):
        assert ours == pytest.approx(theirs, rel=1e-5, abs=1e-6), f"{where}: {ours} != {theirs}"
    elif isinstance(theirs, tuple) and isinstance(ours, tuple):
        assert len(ours) == len(theirs), f"{where}: {ours} != {theirs}"
        for mine, yours in zip(ours, theirs, strict=True):
            assert_same_value(mine, yours, where)
    else:
        assert type(ours) is type(theirs) and ours == theirs, f"{where}: {ours!r} != {theirs!r}"


def test_the_pytorch_comparison_catches_a_different_answer():
    with pytest.raises(AssertionError):
        assert_same_value(core.arange(3).t().stride(), (2,), "here")
    with pytest.raises(AssertionError):
        assert_same_value(True, 1, "here")
    assert_same_value(core.float32, torch.float32, "here")
    assert_same_value(core.Size([2, 3]), torch.Size([2, 3]), "here")
    assert_same_value(core.tensor([0.1, 0.2]), torch.tensor([0.1, 0.2]), "here")
