"""Whether operations record the autograd graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

Like PyTorch's grad mode, one switch read by every op; the context managers also
work as decorators. StrideScope runs on one thread, so a module-level flag will do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class _GradMode:
    enabled = True


GRAD_MODE = _GradMode()


def is_grad_enabled() -> bool:
    return GRAD_MODE.enabled


class _GradModeContext:
    """Sets grad mode for a ``with`` block (or for every call of a decorated function)."""

    mode = True

    def __enter__(self) -> None:
        self._previous = GRAD_MODE.enabled
        GRAD_MODE.enabled = self.mode

    def __exit__(self, *exc_info: Any) -> None:
        GRAD_MODE.enabled = self._previous

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with type(self)():
                return function(*args, **kwargs)

        return run


class no_grad(_GradModeContext):  # noqa: N801 - PyTorch's name
    """Ops inside run without recording a graph: results never require grad."""

    mode = False


class enable_grad(_GradModeContext):  # noqa: N801 - PyTorch's name
    """Ops inside record the graph again, even within ``no_grad``."""

    mode = True


class set_grad_enabled(_GradModeContext):  # noqa: N801 - PyTorch's name
    """Set grad mode now (as a call) and restore it when used as a ``with`` block."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._previous = GRAD_MODE.enabled
        GRAD_MODE.enabled = self.mode

    def __enter__(self) -> None:
        GRAD_MODE.enabled = self.mode

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        GRAD_MODE.enabled = self._previous  # used as a decorator: the call above set nothing
        mode = self.mode

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return function(*args, **kwargs)

        return run
