"""Lessons: guided steps through StrideScope, one TOML file each in ``resources/lessons``.

No Qt here. A teacher writes a lesson without touching Python (docs/LESSONS.md shows the
format); this module reads one into frozen values and checks everything a file can get
wrong on its own: keys, types, code that does not parse, a look that names no panel.
Whether the code runs and the answers hold is checked by running the steps
(:mod:`app.lesson_run`), which the test suite does for every lesson.

Every error is a :class:`LessonError` whose message is one line that starts with the file
name, names the step and the key, and says what to write instead.
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import textwrap
import tokenize
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from app.code_text import describe_exception, statements
from core.timing import EXPERIMENTS

# The source tree and an installed wheel both keep resources/ as a folder on disk.
LESSON_FOLDER: Path = Path(str(resources.files("resources").joinpath("lessons")))
PANELS = ("memory", "graph", "timing", "console")
FILE_NAME = re.compile(r"(\d{2})-([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)\.toml")
"""``01-storage.toml``: lesson 1, named ``storage``."""

LESSON_KEYS = ("title", "summary", "steps")
STEP_KEYS = ("text", "code", "fails", "look", "backward", "question")
LOOK_KEYS = ("tensor", "panel", "cell", "storage", "node", "experiment")
BACKWARD_KEYS = ("root", "steps")
QUESTION_KEYS = ("ask", "answer", "expect", "hint", "explain")
LANGUAGE_KEYS = ("en", "ko")
TOML_ADVICE = 'check the TOML there: text in quotes, text of several lines in """triple quotes"""'


class LessonError(ValueError):
    """A lesson file that cannot be used: one line, starting with the file name."""


@dataclass(frozen=True)
class Text:
    """Text in both languages; both are required, so neither falls back on the other."""

    en: str
    ko: str

    def __call__(self, language: str) -> str:
        """The text in ``language`` ("en" or "ko")."""
        return self.ko if language == "ko" else self.en


@dataclass(frozen=True)
class Look:
    """What the app shows after a step's code ran (None: the default)."""

    tensor: str | None
    """The tensor the memory views show; None: the one the code assigned last."""
    panel: str
    """One of :data:`PANELS`: the panel brought forward."""
    cell: tuple[int, ...] | None
    """A logical index of the tensor shown, lit and pinned."""
    storage: int | None
    """A storage index of the tensor shown, lit and pinned."""
    node: str | None
    """A grad_fn name (``MulBackward0``) to select in the backward graph."""
    experiment: str | None
    """A timing experiment (a key of ``core.timing.EXPERIMENTS``) to show."""


@dataclass(frozen=True)
class BackwardSteps:
    """Step the backward pass from tensor ``root``, ``steps`` nodes from its start."""

    root: str
    steps: int


@dataclass(frozen=True)
class Question:
    """A question on the step: ``answer`` is a Python expression giving the expected value,
    ``expect`` that value as a student would type it."""

    ask: Text
    answer: str
    expect: str
    hint: Text
    explain: Text


@dataclass(frozen=True)
class Step:
    """One step of a lesson: text, code to run, what to show, and perhaps a question."""

    text: Text
    code: str
    fails: str | None
    look: Look
    backward: BackwardSteps | None
    question: Question | None
    place: str = field(default="", compare=False)
    """Where the step is written, for messages: ``01-storage.toml: step 3``."""


@dataclass(frozen=True)
class Lesson:
    """A lesson file read: number and name come from the file name (``01-storage.toml``)."""

    number: int
    name: str
    title: Text
    summary: Text
    steps: tuple[Step, ...]
    path: Path


# -- finding lessons --------------------------------------------------------------------


def all_lessons(folder: Path = LESSON_FOLDER) -> list[Lesson]:
    """Every lesson in ``folder``, by number (none when the folder does not exist).

    Raises
    ------
    LessonError
        When a file cannot be used, or two files share a number or a name.
    """
    lessons, problems = read_lessons(folder)
    if problems:
        raise LessonError(problems[0])
    return lessons


def read_lessons(folder: Path = LESSON_FOLDER) -> tuple[list[Lesson], list[str]]:
    """The lessons in ``folder`` that can be used, by number, and why each other file cannot
    (one line each): a file that breaks the format, or one whose number or name an
    earlier file has. The app shows the good ones: one broken file hides no other lesson."""
    if not folder.is_dir():
        return [], []
    lessons, problems = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            lessons.append(load_lesson(path))
        except LessonError as error:
            problems.append(str(error))
    kept: list[Lesson] = []
    numbers: dict[int, str] = {}
    names: dict[str, str] = {}
    for lesson in sorted(lessons, key=lambda lesson: lesson.number):
        file = lesson.path.name
        if lesson.number in numbers:
            problems.append(
                f"{file}: lesson {lesson.number} is {numbers[lesson.number]} too: "
                "give each lesson its own number"
            )
        elif lesson.name in names:
            problems.append(
                f"{file}: the name {lesson.name!r} is {names[lesson.name]} too: "
                "give each lesson its own name"
            )
        else:
            numbers[lesson.number], names[lesson.name] = file, file
            kept.append(lesson)
    return kept, problems


def find_lesson(key: str, folder: Path = LESSON_FOLDER) -> Lesson:
    """The lesson named ``key`` (``storage``) or numbered ``key`` (``1``, ``01``) in
    ``folder``, or the lesson file ``key`` names (``lessons/10-transpose.toml``): a
    teacher's own lesson, anywhere.

    Raises
    ------
    LessonError
        When no lesson has that name or number (the message lists them), or one cannot
        be used.
    """
    if key.strip().lower().endswith(".toml"):
        return load_lesson(Path(key.strip()).expanduser())
    lessons = all_lessons(folder)
    wanted = key.strip().lower()
    for lesson in lessons:
        if wanted == lesson.name or (wanted.isdigit() and int(wanted) == lesson.number):
            return lesson
    if not lessons:
        raise LessonError(f"no lesson {key!r}: {folder} holds no lessons")
    known = ", ".join(f"{lesson.number} {lesson.name}" for lesson in lessons)
    raise LessonError(
        f"no lesson {key!r}: give a number or a name, one of: {known}; or a lesson file's path"
    )


# -- reading a file ---------------------------------------------------------------------


def load_lesson(path: Path) -> Lesson:
    """Read and check the lesson file at ``path``.

    Raises
    ------
    LessonError
        When the file cannot be read, is not TOML, or breaks the lesson format.
    """
    name = path.name
    match = FILE_NAME.fullmatch(name)
    if match is None:
        raise LessonError(
            f"{name}: a lesson file is named NN-name.toml, a two-digit number and lower-case "
            "words joined by hyphens, such as 01-storage.toml"
        )
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise LessonError(f"{name}: not UTF-8 text: save the file as UTF-8") from error
    except OSError as error:
        raise LessonError(f"{name}: cannot be read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise LessonError(f"{name}: {_toml_message(error)}; {TOML_ADVICE}") from error
    _check_keys(document, LESSON_KEYS, name, "a lesson", misplaced=STEP_KEYS)
    steps = document.get("steps")
    if isinstance(steps, dict):
        raise LessonError(f"{name}: steps: write [[steps]] (two brackets) before each step")
    if not isinstance(steps, list) or not steps:
        raise LessonError(f"{name}: a lesson needs steps: start each one with [[steps]]")
    return Lesson(
        number=int(match.group(1)),
        name=match.group(2),
        title=_text(document, "title", name),
        summary=_text(document, "summary", name),
        steps=tuple(
            _step(table, f"{name}: step {number}") for number, table in enumerate(steps, 1)
        ),
        path=path,
    )


def _toml_message(error: tomllib.TOMLDecodeError) -> str:
    """tomllib's message with its line first: ``line 3, column 7: Invalid value``."""
    message = str(error)
    found = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", message)
    if found is None:
        return message
    return f"line {found.group(2)}, column {found.group(3)}: {found.group(1)}"


def _step(table: object, where: str) -> Step:
    if not isinstance(table, dict):
        raise LessonError(f"{where}: a step is a table: start it with [[steps]]")
    _check_keys(table, STEP_KEYS, where, "a step")
    code = _code(table, where)
    fails = _optional_string(table, "fails", where)
    if fails is not None and not code:
        raise LessonError(f"{where}: fails says the code fails, but the step has no code")
    backward = _backward(table.get("backward"), where)
    return Step(
        text=_text(table, "text", where),
        code=code,
        fails=fails,
        look=_look(table.get("look", {}), backward, where),
        backward=backward,
        question=_question(table.get("question"), where),
        place=where,
    )


def _code(table: dict, where: str) -> str:
    code = table.get("code", "")
    if not isinstance(code, str):
        raise LessonError(f'{where}: code must be text: code = """ ... """')
    code = textwrap.dedent(code).strip()
    try:
        statements(code)
    except SyntaxError as error:
        raise LessonError(
            f"{where}: code does not parse: {describe_exception(error)}: "
            "write it as Python that runs in PyTorch"
        ) from error
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    if any(token.type == tokenize.NAME and token.string == "core" for token in tokens):
        raise LessonError(
            f"{where}: code: write torch. instead of core., so that the code runs in PyTorch too"
        )
    return code


def _look(table: object, backward: BackwardSteps | None, where: str) -> Look:
    if not isinstance(table, dict):
        raise LessonError(f'{where}: look must be a table: look = {{ tensor = "y" }}')
    _check_keys(table, LOOK_KEYS, where, "look", prefix="look.")
    cell, storage = table.get("cell"), table.get("storage")
    if cell is not None and storage is not None:
        raise LessonError(f"{where}: look has both cell and storage: light up one of them")
    if cell is not None and (
        not isinstance(cell, list) or not all(_is_count(index) for index in cell)
    ):
        raise LessonError(
            f"{where}: look.cell must be a list of whole numbers from 0, such as cell = [1, 2]"
        )
    if storage is not None and not _is_count(storage):
        raise LessonError(f"{where}: look.storage must be a whole number from 0, such as 5")
    node = _optional_string(table, "node", where, prefix="look.")
    experiment = _optional_string(table, "experiment", where, prefix="look.")
    if experiment is not None and experiment not in EXPERIMENTS:
        raise LessonError(
            f"{where}: look.experiment {experiment!r} is no timing experiment: write one of "
            + ", ".join(EXPERIMENTS)
        )
    tensor = _optional_string(table, "tensor", where, prefix="look.")
    if tensor is not None and not tensor.isidentifier():
        raise LessonError(f'{where}: look.tensor must be a tensor\'s name, such as tensor = "y"')
    return Look(
        tensor=tensor,
        panel=_panel(table.get("panel"), node, experiment, backward, where),
        cell=None if cell is None else tuple(cell),
        storage=storage,
        node=node,
        experiment=experiment,
    )


def _panel(
    panel: object,
    node: str | None,
    experiment: str | None,
    backward: BackwardSteps | None,
    where: str,
) -> str:
    """The panel asked for, or the one that ``node``, ``experiment`` or ``backward`` imply."""
    if panel is not None and panel not in PANELS:
        raise LessonError(
            f"{where}: look.panel {panel!r} is no panel: write one of "
            + ", ".join(f'"{name}"' for name in PANELS)
        )
    graph = "look.node" if node is not None else "backward" if backward is not None else None
    if graph is not None and experiment is not None:
        raise LessonError(
            f"{where}: {graph} shows the graph panel and look.experiment the timing panel: "
            "split them into two steps"
        )
    implied, by = ("graph", graph) if graph else ("timing", "look.experiment")
    if graph is None and experiment is None:
        return panel or "memory"
    if panel is not None and panel != implied:
        raise LessonError(
            f'{where}: {by} shows the {implied} panel, but look.panel says "{panel}": '
            f'write panel = "{implied}" or leave panel out'
        )
    return implied


def _backward(table: object, where: str) -> BackwardSteps | None:
    if table is None:
        return None
    if not isinstance(table, dict):
        raise LessonError(
            f'{where}: backward must be a table: backward = {{ root = "L", steps = 2 }}'
        )
    _check_keys(table, BACKWARD_KEYS, where, "backward", prefix="backward.")
    root = _required_string(table, "root", where, prefix="backward.")
    if not root.isidentifier():
        raise LessonError(f'{where}: backward.root must be a tensor\'s name, such as root = "L"')
    steps = table.get("steps")
    if not _is_count(steps):
        raise LessonError(
            f"{where}: backward.steps must be a whole number from 0 (0: the pass not started), "
            "such as steps = 2"
        )
    return BackwardSteps(root, steps)


def _question(table: object, where: str) -> Question | None:
    if table is None:
        return None
    if not isinstance(table, dict):
        raise LessonError(
            f"{where}: question must be a table: write [steps.question] under the step"
        )
    _check_keys(table, QUESTION_KEYS, where, "a question", prefix="question.")
    answer = _required_string(table, "answer", where, prefix="question.")
    try:
        ast.parse(answer, mode="eval")
    except SyntaxError as error:
        raise LessonError(
            f"{where}: question.answer does not parse: {describe_exception(error)}: write one "
            'Python expression, such as answer = "y.stride()"'
        ) from error
    if re.search(r"\bcuda\b", answer):
        raise LessonError(
            f"{where}: question.answer asks about this computer (cuda): ask what every computer "
            "answers the same"
        )
    return Question(
        ask=_text(table, "ask", where, prefix="question."),
        answer=answer,
        expect=_required_string(table, "expect", where, prefix="question."),
        hint=_text(table, "hint", where, prefix="question."),
        explain=_text(table, "explain", where, prefix="question."),
    )


# -- values -----------------------------------------------------------------------------


def _text(table: dict, key: str, where: str, prefix: str = "") -> Text:
    """``table[key]`` as :class:`Text`: a table with non-empty ``en`` and ``ko``."""
    label = prefix + key
    example = f'{key} = {{ en = "...", ko = "..." }}'
    value = table.get(key)
    if value is None:
        raise LessonError(f"{where}: {label} is missing: write {example}")
    if not isinstance(value, dict):
        raise LessonError(f"{where}: {label} must be in both languages: write {example}")
    _check_keys(value, LANGUAGE_KEYS, where, label, prefix=f"{label}.")
    texts = {}
    for language in LANGUAGE_KEYS:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            raise LessonError(
                f'{where}: {label}.{language} is missing or empty: write {label}.{language} = "..."'
            )
        texts[language] = textwrap.dedent(text).strip()
    return Text(**texts)


def _optional_string(table: dict, key: str, where: str, prefix: str = "") -> str | None:
    if key not in table:
        return None
    return _required_string(table, key, where, prefix)


def _required_string(table: dict, key: str, where: str, prefix: str = "") -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        state = (
            "missing" if value is None else "not text" if not isinstance(value, str) else "empty"
        )
        raise LessonError(f'{where}: {prefix}{key} is {state}: write {key} = "..." (in quotes)')
    return value.strip()


def _is_count(value: object) -> bool:
    """Whether ``value`` is a whole number from 0 (TOML's true is no number)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_keys(
    table: dict,
    known: tuple[str, ...],
    where: str,
    what: str,
    prefix: str = "",
    misplaced: tuple[str, ...] = (),
) -> None:
    """Raise on the first key of ``table`` not in ``known``, suggesting the nearest one."""
    for key in table:
        if key in known:
            continue
        if key in misplaced:
            raise LessonError(
                f"{where}: {key!r} belongs to a step: write it after a [[steps]] line"
                f" ([steps.{key}] for a table)"
            )
        near = difflib.get_close_matches(key, known, n=1)
        advice = f"did you mean {near[0]!r}? " if near else ""
        raise LessonError(
            f"{where}: unknown key '{prefix}{key}': {advice}{what} has the keys " + ", ".join(known)
        )
