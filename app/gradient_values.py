"""How the graph panel writes a gradient: values when it is small, a heat map when it is not.

No Qt here: the heat map is an RGBA array the panel wraps in an image.
"""

from __future__ import annotations

import math

import numpy as np

import core

SMALL_TENSOR = 4
"""A gradient of at most this many elements is written out on its edge; larger ones get a
heat map (the full values show on hover)."""
HEAT_MAP_CELLS = 12
"""A heat map has at most this many cells a side: blocks of elements are averaged."""

# A diverging scale, as ColorBrewer's RdBu: negative blue, zero near white, positive red.
# Near white reads on both themes; the panel draws a frame around the map.
NEGATIVE = np.array([33, 102, 172], dtype=np.float64)
ZERO = np.array([247, 247, 247], dtype=np.float64)
POSITIVE = np.array([178, 24, 43], dtype=np.float64)
NOT_A_NUMBER = np.array([150, 150, 150], dtype=np.float64)


def host_values(tensor: core.Tensor) -> np.ndarray:
    """The tensor's values as a NumPy array on the host (a copy for a device tensor)."""
    return tensor.numpy(force=True)


def is_small_shape(shape: tuple[int, ...]) -> bool:
    """True when the panel writes a tensor of ``shape`` out rather than drawing a heat map."""
    return math.prod(shape) <= SMALL_TENSOR


def is_small(tensor: core.Tensor) -> bool:
    """True when the panel writes the values out rather than drawing a heat map."""
    return is_small_shape(tuple(tensor.shape))


def number_text(value: float | int | bool) -> str:
    """One value as PyTorch prints it, compactly: ``3``, ``2.``, ``-0.3333``, ``True``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if float(value).is_integer() and abs(value) < 1e6:
        return f"{int(value)}."  # PyTorch writes a whole float as "2."
    text = f"{value:.4g}"
    # .4g drops the fraction of 1234.5; one decimal keeps it a float to the eye.
    return f"{value:.1f}" if text.lstrip("-").isdigit() else text


def values_text(tensor: core.Tensor) -> str:
    """The values nested as PyTorch nests them: ``6.``, ``[4., -6.]``, ``[[1., 2.], [3., 4.]]``."""
    return array_text(host_values(tensor))


def array_text(values: np.ndarray) -> str:
    """An array's values nested as PyTorch nests a tensor's (see :func:`values_text`)."""
    return _nested(np.asarray(values).tolist())


def typical_text(shape: tuple[int, ...]) -> str:
    """A stand-in as wide as the values text of a small tensor of ``shape`` usually is; the
    panel makes room for this much and cuts longer ones short (all values show on hover)."""
    return array_text(np.full(shape, -1.25))


def _nested(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_nested(item) for item in value) + "]"
    return number_text(value)  # type: ignore[arg-type]


def full_text(tensor: core.Tensor) -> str:
    """Every value, as ``repr`` prints the tensor (long ones are summarised as PyTorch does)."""
    return repr(tensor.detach())


def as_matrix(values: np.ndarray) -> np.ndarray:
    """Values as 2-D for a heat map: a scalar 1 × 1, a vector one row, more dims rows × last."""
    if values.ndim == 0:
        return values.reshape(1, 1)
    if values.ndim == 1:
        return values.reshape(1, -1)
    return values.reshape(-1, values.shape[-1])


def block_means(matrix: np.ndarray, cells: int = HEAT_MAP_CELLS) -> np.ndarray:
    """``matrix`` shrunk to at most ``cells`` a side, each cell the mean of its block."""
    result = matrix.astype(np.float64)
    for axis in (0, 1):
        length = result.shape[axis]
        if length > cells:
            starts = np.linspace(0, length, cells + 1).astype(np.int64)[:-1]
            counts = np.diff(np.append(starts, length))
            sums = np.add.reduceat(result, starts, axis=axis)
            shape = [1, 1]
            shape[axis] = cells
            result = sums / counts.reshape(shape)
    return result


def heat_map(tensor: core.Tensor, cells: int = HEAT_MAP_CELLS) -> np.ndarray:
    """RGBA uint8 (rows, cols, 4): the values on a diverging scale, 0 white, ±max|value| full.

    Booleans count as 0 and 1; NaN is grey.
    """
    values = host_values(tensor)
    if values.dtype.kind == "c":
        values = np.abs(values)
    means = block_means(as_matrix(values.astype(np.float64)), cells)
    finite = np.isfinite(means)
    scale = np.abs(means[finite]).max() if finite.any() else 0.0
    level = np.zeros_like(means) if scale == 0 else np.clip(means / scale, -1.0, 1.0)
    level = np.where(finite, level, 0.0)
    weight = np.abs(level)[..., None]
    end = np.where((level < 0)[..., None], NEGATIVE, POSITIVE)
    rgb = ZERO + (end - ZERO) * weight
    rgb = np.where(np.isnan(means)[..., None], NOT_A_NUMBER, rgb)
    alpha = np.full(means.shape + (1,), 255.0)
    return np.concatenate([rgb, alpha], axis=-1).round().astype(np.uint8)
