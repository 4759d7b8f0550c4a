"""Start-up time: is StrideScope's first window painted within 2 s of the command starting?

Run with ``python -m benchmarks.app_startup`` (no display needed; not a test). Each run
spawns a fresh Python that does what ``stridescope`` does (``app.window_commands.open_window``):
import ``app.window_commands``, build the themed QApplication and the MainWindow over the saved
settings, run ``STARTING_CODE`` and show the window. An event filter on the window
notes its first Paint event; a zero-delay timer queued from there notes when that first
repaint pass has finished. The child reports each moment in milliseconds since the
parent's clock read just before the spawn, then quits.

The floor is a fresh ``python -c "import PySide6.QtWidgets, pyqtgraph"``, spawn to exit:
no Qt app can be on screen sooner. Runs use the offscreen platform; with ``xvfb-run``
installed, the window is also timed on a real X server (Xvfb, started once, outside the
timings). Settings and the log go to a temporary folder, so every run is a first run and
the user's own settings are never read or written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 2.0
RUNS = 5
REPO_ROOT = Path(__file__).resolve().parents[1]

# Runs in the child. The wall clock (time.time_ns) is the one clock two processes share.
CHILD = r"""
import json, sys, time
spawned_ns = int(sys.argv[1])
marks = {}
def mark(name):
    marks[name] = (time.time_ns() - spawned_ns) / 1e6
mark("interpreter up")

import app.window_commands as commands
from app.exception_hook import install_exception_hook
from app.main_window import MainWindow, settings_store
from app.startup import STARTING_CODE
mark("app.window_commands imported")

from PySide6.QtCore import QEvent, QObject, QTimer

# As app.window_commands.open_window does, up to app.exec().
settings = settings_store()
app = commands.qt_application(str(settings.value("theme", "light")))
install_exception_hook()
window = MainWindow(settings=settings)
window.run_code(STARTING_CODE)
mark("window built")


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "first Paint event" not in marks:
            mark("first Paint event")
            # Queued behind the rest of this repaint pass (the docks, the grids).
            QTimer.singleShot(0, finish)
        return False


def finish():
    mark("first repaint done")
    print(json.dumps({"platform": app.platformName(), "marks": marks}))
    sys.stdout.flush()
    window.close()
    app.quit()


first_paint = FirstPaint()
window.installEventFilter(first_paint)
window.show()
mark("shown")
QTimer.singleShot(30_000, lambda: app.exit(3))  # never wait forever
sys.exit(app.exec())
"""

FLOOR = "import PySide6.QtWidgets, pyqtgraph"


def child_environment(platform: str, home: Path) -> dict[str, str]:
    """The environment of a run: ``platform`` for Qt; settings and log kept under ``home``."""
    environment = dict(os.environ)
    environment["QT_QPA_PLATFORM"] = platform
    environment["XDG_CONFIG_HOME"] = str(home / "config")
    environment["XDG_DATA_HOME"] = str(home / "data")
    environment["XDG_CACHE_HOME"] = str(home / "cache")
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    return environment


def time_window(platform: str, runs: int) -> list[dict[str, float]]:
    """Each run's moments (ms since spawn), and ``"exited"``: when the parent saw it end."""
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="stridescope-startup-") as home:
            environment = child_environment(platform, Path(home))
            spawned_ns = time.time_ns()
            finished = subprocess.run(
                [sys.executable, "-c", CHILD, str(spawned_ns)],
                env=environment,
                cwd=home,
                capture_output=True,
                text=True,
                timeout=120,
            )
            exited_ms = (time.time_ns() - spawned_ns) / 1e6
        lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
        if finished.returncode != 0 or not lines:
            raise RuntimeError(
                f"the child failed (exit status {finished.returncode}):\n{finished.stderr}"
            )
        report = json.loads(lines[-1])
        results.append({**report["marks"], "exited": exited_ms, "platform": report["platform"]})
    return results


def time_floor(runs: int) -> list[float]:
    """Milliseconds from spawn to exit of ``python -c "import PySide6.QtWidgets, pyqtgraph"``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", FLOOR], check=True, capture_output=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(values: list[float]) -> str:
    return (
        f"{statistics.median(values):8.0f} {min(values):8.0f} {max(values):8.0f}"
        f"   runs: {', '.join(f'{v:.0f}' for v in values)}"
    )


def print_window_table(title: str, results: list[dict[str, float]]) -> None:
    print(f"\n{title} ({results[0]['platform']}), {len(results)} fresh processes, ms since spawn")
    print(f"  {'moment':<22} {'median':>8} {'min':>8} {'max':>8}")
    moments = [key for key in results[0] if key != "platform"]
    for moment in moments:
        print(f"  {moment:<22} {summary([r[moment] for r in results])}")


def verdict(results: list[dict[str, float]], floor: list[float] | None) -> str:
    painted = [r["first repaint done"] / 1000 for r in results]
    median, worst = statistics.median(painted), max(painted)
    met = (
        "MET"
        if worst <= TARGET_S
        else ("met by the median only" if median <= TARGET_S else "MISSED")
    )
    floor_text = (
        "" if floor is None else f"; the import floor is {statistics.median(floor) / 1000:.2f} s"
    )
    return (
        f"verdict: first window painted {median:.2f} s after start (median of {len(painted)}, "
        f"worst {worst:.2f} s): {TARGET_S:.0f} s target {met}{floor_text}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="processes per measurement")
    parser.add_argument(
        "--platform",
        default="offscreen",
        help="Qt platform of the window runs (default: %(default)s)",
    )
    parser.add_argument("--window-only", action="store_true", help="skip the floor and Xvfb runs")
    args = parser.parse_args(argv)

    floor = None
    if not args.window_only:
        floor = time_floor(args.runs)
        print(f'floor: python -c "{FLOOR}", {args.runs} fresh processes, spawn to exit, ms')
        print(f"  {'':<22} {'median':>8} {'min':>8} {'max':>8}")
        print(f"  {'exited':<22} {summary(floor)}")

    results = time_window(args.platform, args.runs)
    print_window_table("stridescope's first window", results)
    print(verdict(results, floor))

    if args.window_only:
        return 0
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        print("\nXvfb: skipped, xvfb-run is not installed (apt-get install xvfb xauth)")
        return 0
    # One X server for every run, started before the clock: its start-up is not the app's.
    inner = [sys.executable, "-m", "benchmarks.app_startup", "--platform", "xcb"]
    inner += ["--window-only", "--runs", str(args.runs)]
    screen = ["-s", "-screen 0 1920x1080x24"]
    finished = subprocess.run(
        [xvfb_run, "-a", *screen, *inner], cwd=REPO_ROOT, capture_output=True, text=True
    )
    if finished.returncode != 0:
        print(f"\nXvfb: the runs failed (exit status {finished.returncode}):")
        print(finished.stderr.strip()[-2000:])
        return 0
    print(finished.stdout.rstrip().replace("verdict:", "verdict (Xvfb):"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
