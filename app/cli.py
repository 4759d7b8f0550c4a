"""The ``stridescope`` command: the app by default, ``render`` to draw it to a PNG headless,
``bench`` to time the engine in the terminal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import core.timing
from app.bench_command import check_experiment_names, parse_devices, run_bench
from app.startup import STARTING_CODE, THEMES

NO_DISPLAY_PNG = Path("build") / "stridescope-window.png"
PANELS = ("window", "memory")
# Qt platforms that draw into memory only.
HEADLESS_PLATFORMS = {"offscreen", "minimal", "minimalegl"}


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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    render = commands.add_parser(
        "render",
        help="render the window to a PNG without a display",
        description="Run CODE in the window, then save the window to a PNG, headless.",
    )
    render.add_argument(
        "--code",
        default=STARTING_CODE,
        help="code to run, statements separated by newlines or ';' (default: %(default)r)",
    )
    render.add_argument("--select", metavar="NAME", help="the tensor to show (default: the last)")
    render.add_argument(
        "--panel", choices=PANELS, default="window", help="what to draw (default: %(default)s)"
    )
    render.add_argument(
        "--show-errors",
        action="store_true",
        help="draw a failing statement as the console shows it, instead of exiting with 2",
    )
    # SUPPRESS: `stridescope --theme dark render ...` must keep the theme given before.
    render.add_argument("--theme", choices=THEMES, default=argparse.SUPPRESS, help="colour theme")
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
    bench.add_argument("--csv", type=Path, metavar="FILE", help="also write the table to FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``stridescope``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "bench":
            return bench(args)
        # Qt only from here: `bench` never imports it.
        from app.window_commands import open_window, render_window

        if args.command == "render":
            theme = args.theme or "light"
            path = render_window(
                args.code, theme, args.output, args.select, args.panel, args.show_errors
            )
            print(path)
            return 0
        return open_window(args.theme)
    except CliError as error:
        print(f"stridescope: error: {error}", file=sys.stderr)
        return 2


def bench(args: argparse.Namespace) -> int:
    """``stridescope bench``: needs no QApplication; bad arguments raise CliError."""
    try:
        devices = parse_devices(args.device)
        experiments = check_experiment_names(args.experiment)
    except ValueError as error:
        raise CliError(str(error)) from error
    preset = core.timing.QUICK if args.quick else core.timing.FULL
    try:
        return run_bench(experiments, devices, preset, args.csv)
    except OSError as error:
        raise CliError(f"cannot write {args.csv}: {error.strerror or error}") from error


if __name__ == "__main__":
    # Run as ``python -m app.cli``, this file is __main__; app.window_commands imports
    # app.cli, so enter through that module to share one CliError class with it.
    from app.cli import main as cli_main

    sys.exit(cli_main())
