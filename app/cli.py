"""The ``stridescope`` command: the app by default, ``render`` to draw it to a PNG headless,
``bench`` to time the engine in the terminal."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import core.timing
from app.bench_command import check_experiment_names, parse_devices, run_bench
from app.i18n import LANGUAGES
from app.lessons import Lesson, LessonError, all_lessons, find_lesson
from app.startup import HEADLESS_PLATFORMS, STARTING_CODE, THEMES

NO_DISPLAY_PNG = Path("build") / "stridescope-window.png"
PANELS = ("window", "memory", "graph", "timing")


class CliError(Exception):
    """A problem to report as one line on stderr, with exit status 2."""


def has_display(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt can open a window here.

    An explicit ``QT_QPA_PLATFORM`` decides (``xcb`` still needs ``DISPLAY``); otherwise
    Linux and the BSDs need ``DISPLAY`` or ``WAYLAND_DISPLAY``, and macOS and Windows
    always have a screen.
    """
    qpa_platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if qpa_platform in HEADLESS_PLATFORMS:
        return False
    if qpa_platform == "xcb":
        return bool(environ.get("DISPLAY"))
    if qpa_platform:
        return True
    if platform.startswith(("win", "darwin")):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``stridescope`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="stridescope",
        description="See how tensors live in memory. With no command, open the app.",
    )
    parser.add_argument(
        "--theme", choices=THEMES, default=None, help="colour theme (default: the last one used)"
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the interface and lessons (default: the last one chosen, else the "
        "system's); render draws in English unless given",
    )
    parser.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        default=None,
        help="open a saved session (a Python script of its history) instead of the example",
    )
    parser.add_argument(
        "--lesson",
        metavar="NAME",
        default=None,
        help="open the window at a lesson, by name or number (`stridescope lessons` lists them), "
        "or a lesson file's path (NN-name.toml)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    render = commands.add_parser(
        "render",
        help="render the window to a PNG without a display",
        description="Run CODE in the window, then save the window to a PNG, headless.",
    )
    render.add_argument(
        "--code",
        default=None,
        help="code to run, statements separated by newlines or ';' (default: "
        f"{STARTING_CODE!r}; none after --script)",
    )
    # SUPPRESS: `stridescope --script FILE render ...` keeps the script given before.
    render.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="open a saved session first (a Python script of its history), then run --code",
    )
    render.add_argument(
        "--select",
        metavar="NAME",
        help="the tensor to show (default: the last); with --panel graph, the tensor to call "
        "backward on (default: the last scalar that requires grad); with --panel timing, the "
        "experiment to plot (default: the first with rows)",
    )
    render.add_argument(
        "--panel", choices=PANELS, default="window", help="what to draw (default: %(default)s)"
    )
    render.add_argument(
        "--step",
        type=int,
        metavar="N",
        help="step the backward pass N nodes first (it stops early at a node that fails); with "
        "--lesson, the lesson's step to show instead, from 1 (default: 1), after the steps "
        "before it ran",
    )
    # SUPPRESS: `stridescope --lesson NAME render ...` keeps the lesson given before.
    render.add_argument(
        "--lesson",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="draw the window at a lesson's step (see --step), by name or number or a lesson "
        "file's path; not with --code",
    )
    render.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help="with --panel timing: the results to plot, as saved by the panel or by "
        "`stridescope bench --csv`",
    )
    render.add_argument(
        "--reference",
        type=Path,
        metavar="DIR",
        help="with --panel timing: where the recorded GPU runs are read from "
        "(default: the runs shipped in resources/timings)",
    )
    render.add_argument(
        "--y",
        choices=("time", "throughput"),
        help="with --panel timing: what the plot shows (default: time)",
    )
    render.add_argument(
        "--show-errors",
        action="store_true",
        help="draw a failing statement as the console shows it, instead of exiting with 2",
    )
    render.add_argument(
        "--presenter",
        action="store_true",
        help="draw the window in presenter mode (large text and cells, high contrast), as a "
        "class sees it on a projector",
    )
    # SUPPRESS: `stridescope --theme dark render ...` must keep the theme given before.
    render.add_argument("--theme", choices=THEMES, default=argparse.SUPPRESS, help="colour theme")
    render.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the picture"
    )
    render.add_argument("-o", "--output", required=True, type=Path, help="PNG file to write")
    bench = commands.add_parser(
        "bench",
        help="time the engine's experiments and print a table",
        description="Time elementwise add, matmul, contiguous(), transfers and sum on the "
        "given devices; progress on stderr, the table on stdout. Exits with 1 when no "
        "device could run anything.",
    )
    bench.add_argument(
        "--device",
        default="cpu",
        help="comma-separated devices, e.g. cpu,cuda (default: %(default)s)",
    )
    bench.add_argument(
        "--experiment",
        action="extend",
        nargs="+",
        metavar="NAME",
        help=f"experiments to run (default: all of {', '.join(core.timing.EXPERIMENTS)})",
    )
    bench.add_argument(
        "--quick", action="store_true", help="a few small sizes and repeats (seconds, not minutes)"
    )
    bench.add_argument(
        "--warmup", type=count(0), metavar="N", help="untimed runs before each measurement"
    )
    bench.add_argument("--repeats", type=count(1), metavar="N", help="timed runs per measurement")
    bench.add_argument("--csv", type=Path, metavar="FILE", help="also write the table to FILE")
    bench.add_argument(
        "--reference",
        type=Path,
        metavar="DIR",
        help="where recorded runs are read from, to stand in for an unavailable device "
        "(default: the runs shipped in resources/timings)",
    )
    bench.add_argument(
        "--record",
        type=Path,
        metavar="DIR",
        help="write this run to DIR as a recorded reference run (needs a working cuda device)",
    )
    commands.add_parser(
        "lessons",
        help="list the lessons: number, name, title and steps",
        description="List the lessons, one a line: number, name (for --lesson), title (in "
        "the language --lang names, else English) and how many steps it has.",
    )
    return parser


def count(least: int) -> Callable[[str], int]:
    """An argparse type: an integer of at least ``least``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = least - 1
        if value < least:
            raise argparse.ArgumentTypeError(f"expected an integer of {least} or more: {text!r}")
        return value

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``stridescope``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    try:
        lesson = chosen_lesson(args)
        if args.command == "bench":
            return bench(args, command=shlex.join(["stridescope", *argv]))
        if args.command == "lessons":
            return list_lessons(args.lang or "en")
        # Qt only from here: `bench` never imports it.
        from app.window_commands import drawing_application, open_window, render_window, speak

        if args.command == "render":
            theme = args.theme or "light"
            # English unless asked: pictures for the docs do not follow the system's locale.
            speak(drawing_application(theme), args.lang or "en")
            if args.panel == "timing":
                from app.window_commands import render_timing

                if args.script is not None:
                    raise CliError("--script goes with a window panel, not --panel timing")
                path = render_timing(
                    theme, args.output, args.csv, args.reference, args.select, args.y or "time"
                )
            else:
                check_timing_options(args)
                code = args.code
                if code is None:
                    code = "" if args.script is not None else STARTING_CODE
                step = args.step
                if lesson is not None:  # --step is the lesson's step, and the lesson the code
                    code, step = "", None
                path = render_window(
                    code,
                    theme,
                    args.output,
                    args.select,
                    args.panel,
                    args.show_errors,
                    step,
                    args.script,
                    lesson=lesson,
                    lesson_step=args.step or 1,
                    presenter=args.presenter,
                )
            print(path)
            return 0
        return open_window(args.theme, args.lang, args.script, lesson)
    except CliError as error:
        print(f"stridescope: error: {error}", file=sys.stderr)
        return 2


def bench(args: argparse.Namespace, command: str = "stridescope bench") -> int:
    """``stridescope bench``: needs no QApplication; bad arguments raise CliError.

    ``command`` is the command line, kept in a recorded run's metadata.
    """
    try:
        devices = parse_devices(args.device)
        experiments = check_experiment_names(args.experiment)
    except ValueError as error:
        raise CliError(str(error)) from error
    preset = core.timing.QUICK if args.quick else core.timing.FULL
    counts = {"warmup": args.warmup, "repeats": args.repeats}
    preset = dataclasses.replace(
        preset, **{name: value for name, value in counts.items() if value is not None}
    )
    if args.reference is not None and not args.reference.is_dir():
        raise CliError(f"--reference {args.reference}: not a directory")
    if args.record is not None:
        check_recordable(devices)
    try:
        return run_bench(
            experiments,
            devices,
            preset,
            args.csv,
            reference_directory=args.reference,
            record_directory=args.record,
            command=command,
        )
    except OSError as error:
        target = error.filename or args.csv or args.record
        raise CliError(f"cannot write {target}: {error.strerror or error}") from error


def chosen_lesson(args: argparse.Namespace) -> Lesson | None:
    """The lesson ``--lesson`` names (None without it), its ``--step`` checked for render.

    Raises
    ------
    CliError
        When no lesson has that name or number, a lesson file cannot be used, the lesson
        has no such step, or ``--lesson`` comes with ``--code``, ``--panel timing`` or
        a command other than ``render``.
    """
    key = getattr(args, "lesson", None)
    if key is None:
        return None
    if args.command not in (None, "render"):
        raise CliError(f"--lesson goes with the window or render, not {args.command}")
    if args.command == "render":
        if args.code is not None:
            raise CliError("--code goes without --lesson: the lesson's steps are the code run")
        if args.panel == "timing":
            raise CliError("--lesson draws the window, not --panel timing")
    try:
        lesson = find_lesson(key)
    except LessonError as error:
        raise CliError(str(error)) from error
    step = getattr(args, "step", None)
    count = len(lesson.steps)
    if step is not None and not 1 <= step <= count:
        raise CliError(f"--step {step}: lesson {lesson.name} has {count} steps: give 1 to {count}")
    return lesson


def list_lessons(language: str = "en") -> int:
    """``stridescope lessons``: one line a lesson, titles in ``language``; needs no
    QApplication."""
    try:
        lessons = all_lessons()
    except LessonError as error:
        raise CliError(str(error)) from error
    for line in lesson_lines(lessons, language):
        print(line)
    return 0


def lesson_lines(lessons: Sequence[Lesson], language: str = "en") -> list[str]:
    """A line a lesson, in columns: number, name, title in ``language``, step count."""
    if not lessons:
        return []
    name_width = max(len(lesson.name) for lesson in lessons)
    titles = [lesson.title(language) for lesson in lessons]
    title_width = max(map(terminal_width, titles))
    lines = []
    for lesson, title in zip(lessons, titles, strict=True):
        steps = f"{len(lesson.steps)} step{'s' if len(lesson.steps) != 1 else ''}"
        padding = " " * (title_width - terminal_width(title))
        lines.append(f"{lesson.number:>2}  {lesson.name:<{name_width}}  {title}{padding}  {steps}")
    return lines


def terminal_width(text: str) -> int:
    """How many columns ``text`` takes in a terminal: Hangul and other wide letters two."""
    return sum(2 if unicodedata.east_asian_width(letter) in "WF" else 1 for letter in text)


def check_timing_options(args: argparse.Namespace) -> None:
    """Raise CliError for a timing-only option given with another panel."""
    for option, value in (("--csv", args.csv), ("--reference", args.reference), ("--y", args.y)):
        if value is not None:
            raise CliError(f"{option} goes with --panel timing, not --panel {args.panel}")


def check_recordable(devices: Sequence[str]) -> None:
    """Raise CliError unless a cuda device among ``devices`` works, before measuring."""
    cuda = [where for where in devices if core.device(where).type == "cuda"]
    if not cuda:
        raise CliError("--record needs a cuda device: add --device cpu,cuda")
    reason = core.timing.unavailable_reason(core.device(cuda[0]))
    if reason is not None:
        raise CliError(f"--record needs a working cuda device: {reason}")


if __name__ == "__main__":
    # Run as ``python -m app.cli``, this file is __main__; app.window_commands imports
    # app.cli, so enter through that module to share one CliError class with it.
    from app.cli import main as cli_main

    sys.exit(cli_main())
