"""What the app starts with and offers, without Qt: the command line reads these before
any Qt import, so that ``stridescope bench`` never pays for one."""

from __future__ import annotations

from typing import Literal

STARTING_CODE = "x = core.arange(12).view(3, 4)\ny = x.t()"
"""The lines a new window runs, so that it opens on a tensor and a view of it."""

HEADLESS_PLATFORMS = {"offscreen", "minimal", "minimalegl"}
"""Qt platforms that draw into memory only."""

ThemeName = Literal["light", "dark"]
THEMES: tuple[ThemeName, ...] = ("light", "dark")


def chosen_theme(given: ThemeName | None, saved: object) -> ThemeName:
    """The theme to open in: ``given`` on the command line, else the one saved in the
    settings when it is one (a hand-edited file may hold anything), else light."""
    if given is not None:
        return given
    return saved if saved in THEMES else "light"
