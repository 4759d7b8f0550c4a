"""Speed of the memory views on a 4096×4096 float32 tensor (16M elements) and its transpose.

Run with ``python -m benchmarks.memory_views`` (no display needed). Prints, per step,
the median and the slowest of several samples, and the target where there is one:

- numpy only: what the views compute (sampling colours for the view, reach, texts,
  highlight cells), without Qt;
- Qt: a hover, from ``Session.hover_*`` through the widgets' handlers to a forced paint
  (``grab()`` of the window), zoomed out and zoomed in to readable text; applying a
  view (``session.run("v = x.t()")`` while ``x`` is shown) through to the paint.

Then the layouts too big to list element by element: hovering the one storage element of
a broadcast view (16M and 10^12 readers), building the reach of overlapping ``unfold``
windows (2·10^9 and 64·10^9 elements) and applying such a view, and a 16M-element
1-D tensor (wrapped into rows).

Targets from the memory-views issue: hover to highlight under 16 ms; a view applied
and redrawn within 100 ms.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget  # noqa: E402

import core  # noqa: E402
from app.render import hide_offscreen_notices  # noqa: E402
from app.session import Session  # noqa: E402
from app.storage_geometry import reach_mask  # noqa: E402
from app.widgets.cell_sampling import sampled_colors  # noqa: E402
from app.widgets.logical_grid import LogicalGrid  # noqa: E402
from app.widgets.storage_strip import StorageStrip  # noqa: E402

SIDE = 4096
WINDOW_SIZE = (1280, 720)
HOVER_TARGET_MS = 16.0
VIEW_TARGET_MS = 100.0
TRUE_REFERENCES_KEPT = 200_000
BROADCAST_LINES = (
    "x = core.zeros(1).expand(4096, 4096)",
    "x = core.zeros(1).expand(10**6, 10**6)",
)
OVERLAPPING_WINDOWS = ((1_000_000, 2000), (16_000_000, 4000))
"""(storage elements, window): ``core.arange(n).unfold(0, window, 1)``."""


def timed(step: Callable[[int], object], samples: int) -> tuple[float, float]:
    """Median and slowest milliseconds of ``step(i)`` over ``samples`` calls."""
    times = []
    for i in range(samples):
        start = time.perf_counter()
        step(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def report(name: str, times: tuple[float, float], target: float | None = None) -> None:
    median, slowest = times
    verdict = (
        ""
        if target is None
        else f"  target < {target:.0f} ms: " + ("met" if median < target else "MISSED")
    )
    print(f"  {name:<62} {median:8.2f} ms median {slowest:8.2f} ms max{verdict}")


def keep_true_alive() -> None:
    """Work around PySide6 6.12.0, whose ``SignalInstance.emit()`` returns True without a
    reference: on Python 3.11 every emit from Python lowers True's count by one until the
    interpreter aborts (``bool_dealloc``), at the latest when it exits. References that
    are never released carry the run through; nothing is done where the bug is absent.
    """

    class Probe(QObject):
        fired = Signal()

    probe = Probe()
    before = sys.getrefcount(True)
    for _ in range(10):
        probe.fired.emit()
    if sys.getrefcount(True) < before:
        for _ in range(TRUE_REFERENCES_KEPT):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


def random_cells(seed: int, count: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, SIDE, size=(count, 2))


def numpy_steps(logical: LogicalGrid, strip: StorageStrip, samples: int) -> None:
    """The views' own numpy work for one redraw or hover, without any Qt call."""
    print("numpy only")
    for name, grid in (("logical grid", logical.grid), ("storage strip", strip.grid)):
        content_steps(name, grid, samples)
    cells = random_cells(1, samples)
    tiling, wrapping = logical.tiling, strip.wrapping
    report(
        "highlight: logical index and storage index to cells",
        timed(
            lambda i: (tiling.cells_of(cells[i : i + 1]), wrapping.cells_of(cells[i, :1])),
            samples,
        ),
    )


def content_steps(name: str, grid, samples: int) -> None:
    """Sampling the image of what ``grid`` shows now, and the texts of 40×40 cells."""
    window = grid.sample_window
    report(
        f"{name}: image of the view ({window.row_count}×{window.col_count} samples"
        f", step {window.step})",
        timed(lambda i: sampled_colors(grid.content, window), samples),
    )
    visible = np.arange(40)
    report(
        f"{name}: texts of 40×40 visible cells",
        timed(lambda i: grid.content.texts(visible + i, visible), samples),
    )


def hover_steps(session: Session, window: QWidget, cells: np.ndarray) -> None:
    """Hover each of ``cells`` (logical indices) and the storage element it reads."""
    samples = len(cells)
    storage = [int(session.current.tensor.storage_indices()[tuple(cell)]) for cell in cells]

    def hover_logical(i: int) -> None:
        session.hover_logical(tuple(int(c) for c in cells[i]))

    def hover_storage(i: int) -> None:
        session.hover_storage(storage[i])

    for name, hover in (("logical", hover_logical), ("storage", hover_storage)):
        report(f"hover {name}: session and widgets, no paint", timed(hover, samples))
        report(
            f"hover {name}: session, widgets and a forced paint",
            timed(lambda i, hover=hover: (hover(i), window.grab()), samples),
            HOVER_TARGET_MS,
        )


def cells_in_view(grid, count: int) -> np.ndarray:
    """``count`` random cells inside what ``grid`` shows now."""
    view = grid.view_box.viewRect()
    rng = np.random.default_rng(3)
    rows = rng.integers(max(int(view.top()), 0), min(int(view.bottom()), SIDE), count)
    cols = rng.integers(max(int(view.left()), 0), min(int(view.right()), SIDE), count)
    return np.stack([rows, cols], axis=1)


def zoom_to_text(grid, cell_px: float = 30.0) -> None:
    while grid.pixels_per_cell() < cell_px:
        grid.zoom_in()


def memory_window(session: Session) -> tuple[QWidget, LogicalGrid, StorageStrip]:
    """Both views of ``session`` side by side in a shown window, painted once."""
    window = QWidget()
    layout = QHBoxLayout(window)
    logical, strip = LogicalGrid(session), StorageStrip(session)
    layout.addWidget(logical, stretch=3)
    layout.addWidget(strip, stretch=2)
    window.resize(*WINDOW_SIZE)
    window.show()
    QApplication.processEvents()
    window.grab()
    return window, logical, strip


def applied(session: Session, window: QWidget, shown: str, line: str, samples: int):
    """Median and slowest ms of running ``line`` while ``shown`` is shown, through the paint."""
    times = []
    for _ in range(samples):
        session.select(shown)
        window.grab()
        start = time.perf_counter()
        session.run(line)
        window.grab()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def broadcast_steps(samples: int) -> None:
    """Hover the one storage element that every element of a broadcast view reads."""
    print("broadcast views: every element reads storage[0]")
    for line in BROADCAST_LINES:
        session = Session()
        session.run(line)
        window, logical, _ = memory_window(session)
        name = f"{line.split(' = ')[1]} ({session.current.tensor.reader_count(0):,} readers)"

        def hover_and_paint(i: int, session=session, window=window) -> None:
            session.hover_storage(0)  # a new highlight each time: computed and drawn again
            window.grab()

        report(
            f"{name}, fitted: hover storage + paint",
            timed(hover_and_paint, samples),
            HOVER_TARGET_MS,
        )
        zoom_to_text(logical.grid)
        report(
            f"{name}, zoomed in: hover storage + paint",
            timed(hover_and_paint, samples),
            HOVER_TARGET_MS,
        )
        window.close()


def overlapping_steps(samples: int) -> None:
    """The reach of overlapping windows, from the storage; applying such a view."""
    print("overlapping windows: core.arange(n).unfold(0, w, 1)")
    for count, width in OVERLAPPING_WINDOWS:
        windows = core.arange(count).unfold(0, width, 1)
        layout = (tuple(windows.shape), tuple(windows.stride()), windows.storage_offset())
        report(
            f"n={count:,}, w={width} ({windows.numel():.1e} elements): reach mask (numpy)",
            timed(lambda i, layout=layout, count=count: reach_mask(*layout, count), 5),
        )
    session = Session()
    session.run("x = core.arange(16_000_000)")
    window, _, _ = memory_window(session)
    report(
        "apply w = x.unfold(0, 4000, 1) over 16M: run, redraw both views, paint",
        applied(session, window, "x", "w = x.unfold(0, 4000, 1)", max(samples // 8, 3)),
        VIEW_TARGET_MS,
    )
    window.close()


def wrapped_vector_steps(samples: int) -> None:
    """A 16M-element 1-D tensor, wrapped into 4096 rows: apply, hover."""
    print("a 1-D tensor of 16M elements, wrapped into rows")
    session = Session()
    session.run(f"x = core.rand({SIDE * SIDE})")
    window, _, _ = memory_window(session)
    report(
        "apply v = x[::1] (a 16M 1-D view): run, redraw both views, paint",
        applied(session, window, "x", "v = x[::1]", max(samples // 8, 3)),
        VIEW_TARGET_MS,
    )
    indices = np.random.default_rng(4).integers(0, SIDE * SIDE, samples)
    report(
        "hover logical: session, widgets and a forced paint",
        timed(lambda i: (session.hover_logical((int(indices[i]),)), window.grab()), samples),
        HOVER_TARGET_MS,
    )
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40, help="samples per step")
    samples = parser.parse_args().samples

    app = QApplication.instance() or QApplication([])
    hide_offscreen_notices()
    keep_true_alive()
    session = Session()
    session.run(f"x = core.rand({SIDE}, {SIDE})")
    window, logical, strip = memory_window(session)

    print(f"{SIDE}×{SIDE} float32 ({SIDE * SIDE:,} elements), window {WINDOW_SIZE}")
    lines = ("v = x.t()", "v = x.permute(1, 0)")
    view_times = []
    for i in range(max(samples // 4, 3)):
        session.select("x")
        window.grab()
        start = time.perf_counter()
        session.run(lines[i % 2])
        window.grab()
        view_times.append((time.perf_counter() - start) * 1000)
    print("Qt")
    report(
        "apply a view: run the line, redraw both views, paint",
        (statistics.median(view_times), max(view_times)),
        VIEW_TARGET_MS,
    )
    session.run("y = x.t()")
    window.grab()
    hover_steps(session, window, random_cells(2, samples))
    numpy_steps(logical, strip, samples)

    print("zoomed in to readable text (about 30 px a cell)")
    zoom_to_text(logical.grid)
    zoom_to_text(strip.grid)
    window.grab()
    hover_steps(session, window, cells_in_view(logical.grid, samples))
    numpy_steps(logical, strip, samples)
    window.close()

    broadcast_steps(samples)
    overlapping_steps(samples)
    wrapped_vector_steps(samples)
    app.processEvents()


if __name__ == "__main__":
    main()
