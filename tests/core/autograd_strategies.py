"""Hypothesis strategies for the gradient tests: leaf twins, op arguments and index keys.

``leaf_pairs(shape, kind)`` draws twin core/torch leaves whose layout comes from
:func:`tests.core.tensor_pairs.tensor_pairs_of_shape` (sliced, permuted, expanded)
and whose values are of a chosen `kind`: ``"real"`` (continuous, no ties),
``"positive"``, ``"nonzero"`` (magnitude >= 0.5) or ``"ties"`` (small integers,
so equal values and zeros are common). The other strategies draw valid arguments
for the view, reduction and indexing ops of a tensor of a given shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.core.layout_steps import as_strided_steps
from tests.core.tensor_pairs import make_base_pair, tensor_pairs_of_shape

VALUE_KINDS: dict[str, Callable[[np.random.Generator, int], np.ndarray]] = {
    "real": lambda rng, n: rng.uniform(-3, 3, n),
    "positive": lambda rng, n: rng.uniform(0.5, 3, n),
    "nonzero": lambda rng, n: rng.uniform(0.5, 3, n) * rng.choice([-1.0, 1.0], n),
    "ties": lambda rng, n: rng.integers(-2, 3, n).astype(np.float64),
}


@dataclass
class Operand:
    """A core tensor `c` and a torch tensor `t` fed to an op; `recipe` shows their layout."""

    c: Any
    t: Any
    recipe: str

    @property
    def is_float(self) -> bool:
        return self.t.is_floating_point()

    def requires_grad_(self) -> None:
        self.c.requires_grad_()
        self.t.requires_grad_()

    def __repr__(self) -> str:
        grad = ", requires_grad" if self.t.requires_grad else ""
        return f"Operand({self.recipe}{grad})"


@st.composite
def leaf_pairs(
    draw: st.DrawFn,
    shape: Sequence[int],
    kind: str = "real",
    dtype: str = "float64",
    allow_expand: bool = True,
) -> Operand:
    """Twin leaves (not yet requiring grad) of `shape` with values of `kind` and a random layout."""
    # The layout steps of a drawn pair are replayed on a base filled with `kind` values.
    layout = draw(tensor_pairs_of_shape(shape, dtypes=("float64",), allow_expand=allow_expand))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = VALUE_KINDS[kind](rng, math.prod(layout.base_shape)).astype(dtype)
    base = make_base_pair(values.reshape(layout.base_shape))
    c, t = base.c, base.t
    for step in layout.steps:
        c, t = step.apply(c), step.apply(t)
    recipe = base.recipe.replace("from_numpy", kind) + "".join(repr(s) for s in layout.steps)
    return Operand(c.detach(), t.detach(), recipe)


@st.composite
def mask_pairs(draw: st.DrawFn, shape: Sequence[int]) -> Operand:
    """Twin bool tensors of `shape` with a random layout (conditions of ``where``)."""
    pair = draw(tensor_pairs_of_shape(shape, dtypes=("bool",)))
    return Operand(pair.c, pair.t, pair.recipe)


# --------------------------------------------------------------------------- dims and shapes


def dims(nd: int) -> st.SearchStrategy[int]:
    """A valid dim of an `nd`-d tensor, negative ones included (needs ``nd >= 1``)."""
    return st.integers(-nd, nd - 1)


@st.composite
def dim_tuples(
    draw: st.DrawFn, nd: int, min_size: int = 1, max_size: int | None = None
) -> tuple[int, ...]:
    """Distinct dims of an `nd`-d tensor, each maybe written negative."""
    most = nd if max_size is None else max_size
    chosen = draw(st.lists(st.integers(0, nd - 1), min_size=min_size, max_size=most, unique=True))
    return tuple(d - nd if draw(st.booleans()) else d for d in chosen)


def _prime_factors(n: int) -> list[int]:
    factors, p = [], 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    return factors


@st.composite
def factorizations(draw: st.DrawFn, numel: int, max_dims: int = 4) -> tuple[int, ...]:
    """A shape with `numel` elements, maybe with one ``-1`` to infer (never for 0 elements)."""
    if numel == 0:
        return draw(st.sampled_from(((0,), (2, 0), (0, 3, 1), (1, 0))))
    count = draw(st.integers(1, max_dims))
    sizes = [1] * count
    for factor in _prime_factors(numel):
        sizes[draw(st.integers(0, count - 1))] *= factor
    if draw(st.booleans()):
        sizes[draw(st.integers(0, count - 1))] = -1
    return tuple(sizes)


@st.composite
def expanded_shapes(draw: st.DrawFn, shape: Sequence[int], allow_minus_one: bool = True) -> Any:
    """A shape that `shape` expands to: new leading dims, size-1 dims stretched, ``-1`` kept."""
    keep = (-1,) if allow_minus_one else ()
    lead = [draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, 2)))]
    rest = [
        draw(st.sampled_from((1, 2, 3, *keep)))
        if size == 1
        else draw(st.sampled_from((size, *keep)))
        for size in shape
    ]
    return tuple(lead + rest)


@st.composite
def compositions(draw: st.DrawFn, total: int) -> list[int]:
    """Non-negative sizes summing to `total` (``split``'s list form)."""
    cuts = sorted(draw(st.lists(st.integers(0, total), max_size=3)))
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


@st.composite
def as_strided_arguments(draw: st.DrawFn, storage_numel: int) -> tuple[Any, ...]:
    """``(size, stride, storage_offset)`` within a storage of `storage_numel` elements."""
    return draw(as_strided_steps(storage_numel)).args


# --------------------------------------------------------------------------- index keys


@dataclass(frozen=True)
class IndexArray:
    """An index array in a key: given as a nested list (`as_list`) or as a tensor."""

    values: np.ndarray
    as_list: bool

    def build(self, m: Any) -> Any:
        if self.as_list:
            return self.values.tolist()
        return m.from_numpy(self.values.copy())

    def __repr__(self) -> str:
        text = repr(self.values.tolist())
        return text if self.as_list else f"tensor({text})"


def build_key(m: Any, key: tuple[Any, ...]) -> tuple[Any, ...]:
    """The key with its index arrays made for library `m` (core or torch)."""
    return tuple(item.build(m) if isinstance(item, IndexArray) else item for item in key)


@st.composite
def _slices(draw: st.DrawFn, size: int) -> slice:
    bound = st.none() | st.integers(-size - 1, size + 1)
    return slice(draw(bound), draw(bound), draw(st.sampled_from((None, 1, 2, 3))))


@st.composite
def basic_keys(draw: st.DrawFn, shape: Sequence[int]) -> tuple[Any, ...]:
    """A key of ints, slices with steps, None and Ellipsis for a tensor of `shape`."""
    items: list[Any] = []
    for size in shape:
        choice = draw(st.sampled_from(("int", "slice", "full") if size else ("slice", "full")))
        if choice == "int":
            items.append(draw(st.integers(-size, size - 1)))
        elif choice == "slice":
            items.append(draw(_slices(size)))
        else:
            items.append(slice(None))
    if draw(st.booleans()):  # trailing dims left out are taken whole
        while items and items[-1] == slice(None):
            items.pop()
    elif items and draw(st.booleans()):  # some dims taken whole by an Ellipsis
        start = draw(st.integers(0, len(items)))
        stop = draw(st.integers(start, len(items)))
        items[start:stop] = [Ellipsis]
    for _ in range(draw(st.integers(0, 2))):
        items.insert(draw(st.integers(0, len(items))), None)
    return tuple(items)


@st.composite
def advanced_keys(draw: st.DrawFn, shape: Sequence[int]) -> tuple[Any, ...]:
    """A key with index arrays (lists or long tensors, repeats likely) or one bool mask."""
    # Mixed with ints, stepped slices and None, e.g. x[0, [1, 2]] or x[[0, 1], 1:]; the
    # arrays broadcast together and may sit apart (then PyTorch moves them to the front).
    nd = len(shape)
    if draw(st.booleans()):  # a bool mask over some consecutive dims
        first = draw(st.integers(0, nd - 1))
        covered = draw(st.integers(1, nd - first))
        mask = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).random(
            shape[first : first + covered]
        )
        items = [draw(st.sampled_from((slice(None), 0))) for _ in range(first)]
        items.append(IndexArray(mask < 0.6, draw(st.booleans())))
        return tuple(items)
    index_shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)))
    kinds = [draw(st.sampled_from(("array", "int", "slice", "full"))) for _ in shape]
    if "array" not in kinds:
        kinds[draw(st.integers(0, nd - 1))] = "array"
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    items: list[Any] = []
    for kind, size in zip(kinds, shape, strict=True):
        if kind == "array":
            own_shape = tuple(s if draw(st.booleans()) else 1 for s in index_shape)
            values = rng.integers(-size, size, own_shape).astype(np.int64)  # repeats likely
            items.append(IndexArray(values, draw(st.booleans())))
        elif kind == "int":
            items.append(draw(st.integers(-size, size - 1)))
        elif kind == "slice":
            items.append(slice(draw(st.integers(0, 1)), None, draw(st.integers(1, 2))))
        else:
            items.append(slice(None))
    if draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), None)
    return tuple(items)
