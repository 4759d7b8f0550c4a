"""Data types with PyTorch's names, and PyTorch's type-promotion rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np


class Category(IntEnum):
    """Kinds of dtype, ordered as PyTorch orders them when scalars meet tensors."""

    BOOL = 0
    INTEGER = 1
    FLOATING = 2


@dataclass(frozen=True, eq=False)
class dtype:  # noqa: N801 - named like torch.dtype so pasted code reads the same
    """A tensor element type: ``core.float32`` prints as ``core.float32``."""

    name: str
    itemsize: int
    numpy_dtype: np.dtype
    category: Category
    is_signed: bool

    @property
    def is_floating_point(self) -> bool:
        return self.category is Category.FLOATING

    @property
    def is_complex(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"core.{self.name}"

    def __reduce__(self) -> str:
        return self.name


def _make(name: str, numpy_name: str, category: Category, is_signed: bool) -> dtype:
    numpy_dtype = np.dtype(numpy_name)
    return dtype(name, numpy_dtype.itemsize, numpy_dtype, category, is_signed)


bool_ = _make("bool", "bool", Category.BOOL, False)
uint8 = _make("uint8", "uint8", Category.INTEGER, False)
int8 = _make("int8", "int8", Category.INTEGER, True)
int16 = _make("int16", "int16", Category.INTEGER, True)
int32 = _make("int32", "int32", Category.INTEGER, True)
int64 = _make("int64", "int64", Category.INTEGER, True)
float16 = _make("float16", "float16", Category.FLOATING, True)
float32 = _make("float32", "float32", Category.FLOATING, True)
float64 = _make("float64", "float64", Category.FLOATING, True)

ALL_DTYPES: tuple[dtype, ...] = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)

_BY_NAME: dict[str, dtype] = {d.name: d for d in ALL_DTYPES}
# PyTorch's aliases for the same dtypes.
_BY_NAME |= {
    "half": float16,
    "float": float32,
    "double": float64,
    "short": int16,
    "int": int32,
    "long": int64,
}
NAMES = frozenset(_BY_NAME)
_BY_NUMPY: dict[np.dtype, dtype] = {d.numpy_dtype: d for d in ALL_DTYPES}

_default_float = float32


def get_default_dtype() -> dtype:
    """The dtype Python floats become (float32 unless changed)."""
    return _default_float


def set_default_dtype(d: dtype | str) -> None:
    """Set the dtype Python floats become; only floating dtypes are allowed, as in PyTorch."""
    global _default_float
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def to_dtype(value: dtype | str | type | np.dtype) -> dtype:
    """Accept ``core.float32``, ``"float32"``, a NumPy dtype or bool/int/float.

    A name may also carry the prefix, as in ``"core.float32"``.
    """
    if isinstance(value, dtype):
        return value
    if value is bool:
        return bool_
    if value is int:
        return int64
    if value is float:
        return float64  # PyTorch reads the Python type float as double, not the default dtype
    if isinstance(value, str):
        name = value.removeprefix("core.")
        if name in _BY_NAME:
            return _BY_NAME[name]
        known = ", ".join(d.name for d in ALL_DTYPES)
        raise TypeError(f"unknown dtype {value!r}: use one of {known}")
    if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        return from_numpy_dtype(np.dtype(value))
    raise TypeError(f"dtype must be a core.dtype or its name, not {type(value).__name__}")


def from_numpy_dtype(numpy_dtype: np.dtype) -> dtype:
    """The core dtype of a NumPy dtype; TypeError (as PyTorch's from_numpy) when unsupported."""
    found = _BY_NUMPY.get(np.dtype(numpy_dtype))
    if found is None:
        supported = ", ".join(f"numpy.{d.numpy_dtype.name}" for d in ALL_DTYPES)
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(numpy_dtype).name}. "
            f"The only supported types are: {supported}."
        )
    return found


def promote_types(a: dtype, b: dtype) -> dtype:
    """PyTorch's ``promote_types``: the smallest dtype both ``a`` and ``b`` convert to safely."""
    a, b = to_dtype(a), to_dtype(b)
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    if a.category is Category.INTEGER and a.is_signed != b.is_signed:
        signed, unsigned = (a, b) if a.is_signed else (b, a)
        # uint8 fits in any wider signed int; int8 and uint8 meet at int16.
        return signed if signed.itemsize > unsigned.itemsize else int16
    return a if a.itemsize > b.itemsize else b


def scalar_dtype(value: bool | int | float) -> dtype:
    """The dtype a Python scalar takes as a "wrapped number" in PyTorch's promotion."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    if isinstance(value, (float, np.floating)):
        return get_default_dtype()
    raise TypeError(f"expected a tensor or a Python number, got {type(value).__name__}")


def _combine_categories(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # PyTorch's combine_categories: a lower-priority operand only matters when
    # it is of a higher category (for instance a float scalar meeting an int tensor).
    if higher is None:
        return lower
    if lower is None or higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type_of(dimensioned: list[dtype], zero_dim: list[dtype], scalars: list[dtype]) -> dtype:
    """PyTorch's result_type over operands grouped by priority.

    Tensors with dimensions outrank 0-d tensors, which outrank Python scalars; a
    lower group changes the result only by bringing a higher category.
    """

    def promote_all(dtypes: list[dtype]) -> dtype | None:
        result = None
        for d in dtypes:
            result = d if result is None else promote_types(result, d)
        return result

    combined = _combine_categories(
        promote_all(dimensioned),
        _combine_categories(promote_all(zero_dim), promote_all(scalars)),
    )
    if combined is None:
        raise TypeError("result_type needs at least one tensor or number")
    return combined


def can_cast(source: dtype, target: dtype) -> bool:
    """PyTorch's ``can_cast`` for in-place results: no category may be lowered."""
    return source.category <= target.category


def fits(value: bool | int | float, target: dtype) -> bool:
    """PyTorch's ``overflows`` check, negated: may a Python number be stored in ``target``?

    Infinities and nan fit floating dtypes; negative ints down to ``-max`` fit unsigned
    ones (they wrap, as PyTorch allows); other values must lie within the dtype's range.
    """
    if target is bool_ or isinstance(value, bool):
        return True
    if target.is_floating_point:
        return not np.isfinite(value) or abs(value) <= float(np.finfo(target.numpy_dtype).max)
    limits = np.iinfo(target.numpy_dtype)
    if isinstance(value, float):
        return bool(np.isfinite(value)) and limits.min <= value <= limits.max
    if not target.is_signed and value < 0:
        return -value <= limits.max
    return limits.min <= value <= limits.max


def check_fits(value: bool | int | float, target: dtype) -> None:
    """Raise PyTorch's RuntimeError when ``value`` overflows ``target``."""
    if not fits(value, target):
        raise RuntimeError(f"value cannot be converted to type {target.name} without overflow")


_SCALAR_TYPE_NAMES = {
    "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
    "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double",
}  # fmt: skip


_C_TYPE_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
}


def c_type_name(element_type: dtype) -> str:
    """The C++ type PyTorch's messages name for a dtype: ``float`` for float32."""
    return _C_TYPE_NAMES[element_type.name]


def scalar_type_name(element_type: dtype) -> str:
    """The name PyTorch's messages use for a dtype: ``Float`` for float32, ``Long`` for int64."""
    return _SCALAR_TYPE_NAMES[element_type.name]
