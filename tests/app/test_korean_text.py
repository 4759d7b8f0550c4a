"""The Korean of the interface and of the lessons reads as one text with one vocabulary.

A Korean particle changes with the word before it (은/는, 이/가, 을/를, 과/와, 으로/로),
so one written straight after a {field} is wrong for half the values: such sentences are
built around the field instead. Menu accelerators stay as "(&X)" after the words, before
any "…". A concept has one Korean name in the interface and in every lesson, and the
lessons call the screen's parts by the names the interface shows.
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TS_FILE = REPO_ROOT / "translations" / "stridescope_ko.ts"
LESSON_DIR = REPO_ROOT / "resources" / "lessons"

PARTICLE_AFTER_FIELD = re.compile(
    r"\{[a-z_]+\}[”\"'’]?(?:은|는|이|가|을|를|과|와|으로|로)(?![가-힣])"
    r"|\{[a-z_]+\}[”\"'’]?(?:은\(는\)|이\(가\)|을\(를\)|과\(와\)|\(으\)로)"
)
"""A particle whose form depends on the value: "{name}은(는)", "{file}을(를)", "{x}가"."""

ONE_NAME = {
    "잎": "리프 (leaf)",
    "발표자 모드": "발표 모드 (presenter mode)",
    "단원": "수업 (lesson)",
    "레슨": "수업 (lesson)",
    "인스펙터": "검사기 (the Inspector panel)",
    "메모리 뷰": "메모리 화면 (the memory views: 뷰 is a tensor view)",
    "그레이디언트": "기울기 (gradient)",
    "경사": "기울기 (gradient)",
    "요소": "원소 (element)",
    "형상": "모양 (shape)",
    "보폭": "스트라이드 (stride)",
}
"""A word the Korean must not use → the one it uses for that concept."""


def korean_messages() -> dict[tuple[str, str], str]:
    """(context, source) → Korean, from the .ts the app ships."""
    messages = {}
    for context in ET.parse(TS_FILE).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            messages[name, message.findtext("source")] = message.findtext("translation") or ""
    return messages


def korean_lesson_texts() -> dict[str, str]:
    """'FILE: where' → every Korean text of every lesson."""
    texts = {}

    def collect(where: str, value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "ko" and isinstance(item, str):
                    texts[where] = item
                else:
                    collect(f"{where}.{key}", item)
        elif isinstance(value, list):
            for number, item in enumerate(value, 1):
                collect(f"{where}[{number}]", item)

    for path in sorted(LESSON_DIR.glob("*.toml")):
        collect(path.name, tomllib.loads(path.read_text(encoding="utf-8")))
    return texts


@pytest.fixture(scope="module")
def messages() -> dict[tuple[str, str], str]:
    return korean_messages()


def test_the_lessons_are_read():
    texts = korean_lesson_texts()
    assert len({where.split(".")[0] for where in texts}) == 9
    assert any(where.endswith("question.hint") for where in texts)


def test_no_particle_hangs_on_a_field(messages):
    wrong = [
        f"[{context}] {source!r} → {korean!r}"
        for (context, source), korean in messages.items()
        if PARTICLE_AFTER_FIELD.search(korean)
    ]
    assert not wrong, "a particle right after a {field}: rephrase around it\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("korean", "found"),
    [
        ("{name}은(는) 이미 있습니다", True),
        ("{file}을(를) 열었습니다", True),
        ("{needed}를 차지합니다", True),
        ("“{text}”은(는) 코드입니다", True),
        ("{node} 노드는 저장했습니다", False),
        ("{file} 파일을 열었습니다", False),
        ("{path}에 저장했습니다", False),
        ("{count}개를 측정했습니다", False),
        ("메모리({needed})가 한도를 넘습니다", False),
        ("{operation}의 {argument} 인자", False),
    ],
)
def test_the_particle_check_tells_a_hanging_particle_from_a_built_around_field(korean, found):
    assert bool(PARTICLE_AFTER_FIELD.search(korean)) is found


def test_menu_accelerators_follow_the_words_and_precede_the_ellipsis(messages):
    for (context, source), korean in messages.items():
        accelerator = re.search(r"&(\w)", source)
        if not accelerator:
            continue
        ending = f"(&{accelerator.group(1).upper()})" + ("…" if source.endswith("…") else "")
        assert korean.endswith(ending), f"[{context}] {source!r} → {korean!r}: end with {ending}"
        assert korean.count("&") == 1, f"[{context}] {source!r} → {korean!r}: one & only"


def test_an_ellipsis_stays(messages):
    for (context, source), korean in messages.items():
        if source.endswith("…"):
            assert korean.endswith("…"), f"[{context}] {source!r} → {korean!r} lost its …"


def test_one_korean_name_for_each_concept(messages):
    texts = {f"[{context}] {source!r}": korean for (context, source), korean in messages.items()}
    texts.update(korean_lesson_texts())
    wrong = [
        f"{where}: {avoided!r} → use {used}"
        for where, korean in texts.items()
        for avoided, used in ONE_NAME.items()
        if avoided in korean
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("in_lessons", "context", "source"),
    [
        ("메모리 화면", "WindowExport", "Memory views…"),
        ("역전파 그래프", "MainWindow", "Backward graph"),
        ("시간 측정", "MainWindow", "Timing: CPU and GPU"),
        ("기록된 GPU 측정 결과 표시", "TimingPanel", "Show the recorded GPU run"),
        ("실행", "TimingPanel", "Run"),
        ("리프", "NodeItem", "leaf"),
        ("기록", "MainWindow", "Console and history"),
    ],
)
def test_the_lessons_call_the_screen_by_the_names_it_shows(messages, in_lessons, context, source):
    lessons = "\n".join(korean_lesson_texts().values())
    assert in_lessons in lessons
    assert in_lessons in messages[context, source], (
        f"the lessons say {in_lessons!r}, the interface shows {messages[context, source]!r}"
    )
