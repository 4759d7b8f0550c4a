"""Parsing of PyTorch's flexible argument forms: ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from core.tensor import Tensor


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def as_int(value: Any, what: str) -> int:
    """An int argument; 0-d integer tensors count, as in PyTorch."""
    if isinstance(value, Tensor) and value.dim() == 0 and not value.is_floating_point():
        return int(value.item())
    if not _is_int(value):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return int(value)


def parse_shape(args: Sequence[Any], what: str = "size") -> tuple[int, ...]:
    """Sizes given as separate ints or as one tuple, list or Size."""
    if not args:
        raise TypeError(f"missing required argument '{what}': pass the sizes as ints or one tuple")
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    sizes = []
    for position, value in enumerate(args):
        if not _is_int(value):
            raise TypeError(
                f"{what} must be a tuple of ints, but found element of type "
                f"{type(value).__name__} at pos {position}"
            )
        sizes.append(int(value))
    return tuple(sizes)


def parse_new_shape(args: Sequence[Any]) -> tuple[int, ...]:
    """A shape to create: sizes must not be negative."""
    sizes = parse_shape(args)
    if any(s < 0 for s in sizes):
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {min(sizes)}: {list(sizes)}"
        )
    return sizes


def parse_dims(args: Sequence[Any], what: str = "dims") -> tuple[int, ...]:
    """Dims given as separate ints or as one tuple or list."""
    return parse_shape(args, what)
