"""What the wheel ships: the packages core and app, and resources/ with its files."""

import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
COPY_IGNORED = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


def test_icon_is_found_through_importlib_resources():
    svg = resources.files("resources").joinpath("icons", "stridescope.svg").read_text()
    assert svg.lstrip().startswith("<svg")


def test_wheel_holds_packages_resources_and_the_console_script(tmp_path):
    # Built from a copy: setuptools leaves build/ behind, and a stale build/lib would
    # both pollute the checkout and hide files that the source tree no longer has.
    source = tmp_path / "source"
    shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(*COPY_IGNORED))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path / "dist"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel_path,) = (tmp_path / "dist").glob("stridescope-*.whl")
    with zipfile.ZipFile(wheel_path) as wheel:
        names = set(wheel.namelist())
        (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
        console_scripts = wheel.read(entry_points).decode()

    for required in [
        "core/__init__.py",
        "app/__init__.py",
        "app/cli.py",
        "resources/__init__.py",
        "resources/icons/stridescope.svg",
        "resources/lessons/01-storage.toml",
        "resources/lessons/09-cpu-gpu.toml",
        "resources/translations/stridescope_ko.qm",
    ]:
        assert required in names
    assert not any("__pycache__" in name or name.startswith("tests/") for name in names)
    assert "stridescope = app.cli:main" in console_scripts
