"""Recorded reference runs: timings measured once on a GPU machine and shipped with the app.

A classroom without a GPU compares its own CPU against them. A recorded run is one
timing table in :mod:`core.timing.table`'s CSV format whose ``# key: value`` lines hold
:class:`RunMetadata`'s fields. One file rather than a table and a JSON sidecar: the
rows and the description of the machine that measured them cannot be separated or go
out of step, a single rename makes writing it atomic, and :func:`~core.timing.read_csv`
already reads it.

The shipped runs live in ``resources/timings/`` and are found through
``importlib.resources``, so a wheel finds them as a source tree does. Nothing here
imports Qt: the app's plot panel and ``stridescope bench`` load runs the same way.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib.metadata
import importlib.resources
import os
import platform
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np

from core.backends import backend_for, cuda_runtime
from core.device import device
from core.timing.experiments import Preset
from core.timing.runner import TimingRow
from core.timing.table import preset_text, read_csv, write_csv

RECORDED_SUFFIX = ".csv"


@dataclass(frozen=True)
class RunMetadata:
    """What a recorded run was measured on and how, each field one line of text.

    ``cuda_driver`` is the newest CUDA version the installed driver supports
    (``cudaDriverGetVersion``), ``cuda_runtime`` the CUDA runtime CuPy was built with;
    both as ``major.minor``. ``date`` is the UTC time of the recording in ISO 8601, and
    ``command`` the ``stridescope`` command line that made it.
    """

    gpu: str
    cuda_driver: str
    cuda_runtime: str
    cupy: str
    numpy: str
    stridescope: str
    python: str
    host_cpu: str
    preset: str
    date: str
    command: str

    @classmethod
    def from_mapping(cls, metadata: Mapping[str, str]) -> RunMetadata:
        """The fields of ``metadata`` (other keys are ignored).

        Raises
        ------
        ValueError
            When a field is missing, naming the missing ones.
        """
        names = [field.name for field in fields(cls)]
        missing = [name for name in names if name not in metadata]
        if missing:
            raise ValueError(f"not a recorded run: no {', '.join(missing)} in its metadata")
        return cls(**{name: metadata[name] for name in names})

    def as_mapping(self) -> dict[str, str]:
        """The fields as ``{name: value}``, in declaration order."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class RecordedRun:
    """Rows measured elsewhere, with the :class:`RunMetadata` of where and how."""

    metadata: RunMetadata
    rows: tuple[TimingRow, ...]

    @property
    def label(self) -> str:
        """How a table or plot marks these rows: ``recorded: <GPU>, <YYYY-MM-DD>``."""
        return f"recorded: {self.metadata.gpu}, {self.metadata.date[:10]}"

    def marked_rows(self) -> tuple[TimingRow, ...]:
        """The rows with :attr:`label` as their source."""
        return tuple(dataclasses.replace(row, source=self.label) for row in self.rows)


def shipped_directory() -> Traversable:
    """``resources/timings``, where the recorded runs that come with StrideScope live."""
    return importlib.resources.files("resources") / "timings"


def load_recorded_run(path: Path | str) -> RecordedRun:
    """The recorded run written to ``path`` by :func:`record_reference`.

    Raises
    ------
    ValueError
        When ``path`` is not a timing table, or its metadata lacks a field.
    """
    rows, metadata = read_csv(path)
    try:
        return RecordedRun(RunMetadata.from_mapping(metadata), tuple(rows))
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def recorded_runs(directory: Traversable | Path | str | None = None) -> tuple[RecordedRun, ...]:
    """Every recorded run (``*.csv``) in ``directory``, newest first.

    ``directory`` defaults to the shipped ones (:func:`shipped_directory`); one that does
    not exist holds none.

    Raises
    ------
    ValueError
        For a ``*.csv`` file there that is not a recorded run.
    """
    folder = shipped_directory() if directory is None else directory
    if isinstance(folder, str):
        folder = Path(folder)
    if not folder.is_dir():
        return ()
    runs = []
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.is_file() and entry.name.endswith(RECORDED_SUFFIX):
            with importlib.resources.as_file(entry) as path:
                runs.append(load_recorded_run(path))
    return tuple(sorted(runs, key=lambda run: run.metadata.date, reverse=True))


def record_reference(
    directory: Path | str, rows: Iterable[TimingRow], metadata: RunMetadata
) -> Path:
    """Write ``rows`` and ``metadata`` as a recorded run in ``directory``; returns its path.

    The file is named after the date and GPU (``2026-11-27-nvidia-h100-80gb-hbm3.csv``);
    a later recording on the same GPU on the same day replaces it. It is written to a
    temporary file in ``directory`` and renamed into place, so a reader never sees half a
    run and an interrupted recording leaves the previous file as it was.

    Raises
    ------
    ValueError
        When ``rows`` is empty, or a metadata value does not fit on one line.
    """
    rows = list(rows)
    if not rows:
        raise ValueError("a recorded run needs at least one row")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{metadata.date[:10]}-{_slug(metadata.gpu)}{RECORDED_SUFFIX}"
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        write_csv(rows, temporary, metadata.as_mapping())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _slug(text: str) -> str:
    """``text`` in lower case with each run of other characters than letters and digits as
    one ``-``: a file name that needs no quoting."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "gpu"


def cuda_version(encoded: int) -> str:
    """A CUDA version as CUDA encodes it (1000 × major + 10 × minor) as ``major.minor``."""
    return f"{encoded // 1000}.{encoded % 1000 // 10}"


def collect_metadata(
    where: device, preset: Preset, command: str, now: datetime.datetime | None = None
) -> RunMetadata:
    """The :class:`RunMetadata` of a run on the CUDA device ``where``, made now (UTC).

    Raises
    ------
    RuntimeError
        When ``where``'s backend is unavailable (the engine's reason).
    """
    backend = backend_for(where)
    cupy = backend.xp
    runtime = cupy.cuda.runtime
    moment = now or datetime.datetime.now(datetime.UTC)
    return RunMetadata(
        gpu=cuda_runtime.device_name(cupy, backend.index),
        cuda_driver=cuda_version(runtime.driverGetVersion()),
        cuda_runtime=cuda_version(runtime.runtimeGetVersion()),
        cupy=cupy.__version__,
        numpy=np.__version__,
        stridescope=stridescope_version(),
        python=platform.python_version(),
        host_cpu=host_cpu(),
        preset=preset_text(preset),
        date=moment.isoformat(timespec="seconds"),
        command=command,
    )


def stridescope_version() -> str:
    """The installed distribution's version, else the source tree's ``pyproject.toml``'s.

    A GPU machine runs StrideScope from a copy of the source tree, uninstalled.
    """
    try:
        return importlib.metadata.version("stridescope")
    except importlib.metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        with open(pyproject, "rb") as file:
            return f"{tomllib.load(file)['project']['version']} (source tree)"
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def host_cpu() -> str:
    """The host's CPU model and logical core count, e.g. ``AMD EPYC 9654 (16 cores)``.

    Linux names the model in ``/proc/cpuinfo``; elsewhere ``platform`` gives what it can.
    """
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as file:
            for line in file:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    model = value.strip()
                    break
    except OSError:
        pass
    model = model or platform.processor() or platform.machine() or "unknown CPU"
    return f"{model} ({os.cpu_count() or '?'} cores)"
