"""Random factories: rand, randn and randint, drawn from a seeded ``core.Generator``.

The values come from NumPy's PCG64, so they differ from PyTorch's for the same seed;
shapes, dtypes, ranges and determinism under ``core.manual_seed`` match.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from core import dtypes
from core.device import to_device
from core.dtypes import dtype
from core.memory import check_allocation
from core.ops.arguments import as_int, parse_new_shape
from core.ops.factories import dtype_or, from_values
from core.random import Generator, numpy_generator
from core.tensor import Tensor


def _random_floats(
    size: Sequence[Any], dtype: Any, generator: Generator | None, draw: str, op: str
) -> tuple[np.ndarray, dtype]:
    sizes = parse_new_shape(size)
    element_type = dtype_or(dtype, dtypes.get_default_dtype())
    if not element_type.is_floating_point:
        raise NotImplementedError(
            f"\"{op}\" not implemented for '{dtypes.scalar_type_name(element_type)}'"
        )
    check_allocation(math.prod(sizes), element_type)
    rng = numpy_generator(generator)
    work = np.float64 if element_type is dtypes.float64 else np.float32
    values = (
        rng.random(sizes, dtype=work)
        if draw == "uniform"
        else rng.standard_normal(sizes, dtype=work)
    )
    return values.astype(element_type.numpy_dtype), element_type


def rand(
    *size: Any,
    generator: Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Uniform samples in [0, 1)."""
    values, element_type = _random_floats(size, dtype, generator, "uniform", "check_uniform_bounds")
    return from_values(values, to_device(device), element_type, requires_grad)


def randn(
    *size: Any,
    generator: Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples from the standard normal distribution."""
    values, element_type = _random_floats(size, dtype, generator, "normal", "normal_kernel_cpu")
    return from_values(values, to_device(device), element_type, requires_grad)


def randint(
    *args: Any,
    size: Any = None,
    generator: Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    if size is None:
        if not args:
            raise TypeError("randint() missing required argument 'size'")
        *args, size = args
    if len(args) == 1:
        low, high = 0, args[0]
    elif len(args) == 2:
        low, high = args
    else:
        raise TypeError("randint() takes (high, size) or (low, high, size)")
    low, high = as_int(low, "low"), as_int(high, "high")
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    sizes = parse_new_shape((size,))
    element_type = dtype_or(dtype, dtypes.int64)
    check_allocation(math.prod(sizes), element_type)
    values = numpy_generator(generator).integers(low, high, sizes, dtype=np.int64)
    return from_values(
        values.astype(element_type.numpy_dtype), to_device(device), element_type, requires_grad
    )
