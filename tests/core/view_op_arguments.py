"""Hypothesis strategies for the arguments of view ops.

Shapes with a given number of elements (``view``/``reshape``), ``expand``
targets, basic and advanced indexing keys, and :class:`TensorArg`, a tensor
argument built for each library on demand. With ``bad=True`` each strategy
draws arguments torch should refuse instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st


@dataclass(frozen=True)
class TensorArg:
    """A tensor argument of a :class:`Call`, built for each library on demand.

    ``kind="zeros"`` builds ``lib.zeros(shape)`` (for ``view_as``/``expand_as``);
    ``kind="index"`` builds ``lib.tensor(values, dtype=lib.<dtype>)`` (for
    advanced indexing with an int64 or bool tensor).
    """

    kind: str
    shape: tuple[int, ...] = ()
    values: Any = None
    dtype: str = "int64"

    def build(self, lib: Any) -> Any:
        """Make the tensor with `lib` (the ``core`` or ``torch`` module)."""
        if self.kind == "zeros":
            return lib.zeros(self.shape)
        return lib.tensor(self.values, dtype=getattr(lib, self.dtype))

    def __repr__(self) -> str:
        if self.kind == "zeros":
            return f"zeros{self.shape}"
        return f"tensor({self.values!r}, dtype={self.dtype})"


def _prime_factors(n: int) -> list[int]:
    out, p = [], 2
    while n > 1 and p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    if n > 1:
        out.append(n)
    return out


@st.composite
def factor_shapes(
    draw: st.DrawFn,
    numel: int,
    bad: bool = False,
    allow_infer: bool = True,
    max_dims: int = 5,
    min_dims: int = 0,
) -> tuple[int, ...]:
    """A shape with `numel` elements: random factorization, 1s inserted, maybe one -1.

    With `bad`, a shape torch must refuse (wrong numel, two -1s, -2, or a float).
    """
    if numel == 0:
        dims = draw(st.lists(st.integers(0, 3), min_size=0, max_size=max_dims - 1))
        dims.insert(draw(st.integers(0, len(dims))), 0)
    else:
        k = draw(st.integers(max(min_dims, 0 if numel == 1 else 1), max_dims - 1))
        dims = [1] * k
        for p in _prime_factors(numel):
            dims[draw(st.integers(0, k - 1))] *= p
        if draw(st.booleans()) and len(dims) < max_dims:
            dims.insert(draw(st.integers(0, len(dims))), 1)
    # -1 is refused for numel 0 ("cannot reshape tensor of 0 elements"): only when bad
    if allow_infer and dims and numel > 0 and draw(st.integers(0, 2)) == 0:
        dims[draw(st.integers(0, len(dims) - 1))] = -1
    if bad:
        how = draw(st.sampled_from(("numel", "two_infer", "negative", "float")))
        if how == "numel" or not dims:
            dims.append(2) if not dims or numel in (0, 1) else dims.__setitem__(0, dims[0] + 1)
        elif how == "two_infer":
            dims = [-1, -1] + dims[1:]
        elif how == "negative":
            dims[0] = -2
        else:
            return tuple(float(d) for d in dims)
    return tuple(dims)


@st.composite
def expand_targets(draw: st.DrawFn, shape: tuple[int, ...], bad: bool = False) -> tuple[int, ...]:
    """Sizes for ``expand``: -1 or the same size, size-1 dims grown, new leading dims.

    With `bad`: a non-1 dim changed, -1 in a new leading dim, or too few sizes.
    """
    sizes = [draw(st.integers(0, 3)) for _ in range(draw(st.integers(0, 2)))]
    for size in shape:
        if size == 1 and draw(st.booleans()):
            sizes.append(draw(st.integers(0, 3)))
        else:
            sizes.append(draw(st.sampled_from((-1, size))))
    if bad:
        how = draw(st.sampled_from(("grow", "lead_infer", "fewer")))
        if how == "grow" and any(s not in (1,) for s in shape):
            i = len(sizes) - len(shape) + next(i for i, s in enumerate(shape) if s != 1)
            sizes[i] = shape[i - (len(sizes) - len(shape))] + 1
        elif how == "lead_infer" or not shape:
            # torch 2.13 accepts -1 in a new dim when another size is 0, giving a size
            # of -1 (a torch bug); keep the other sizes non-zero so torch refuses.
            sizes = [-1] + [max(s, 1) if s != -1 else s for s in sizes]
        else:
            sizes = sizes[len(sizes) - len(shape) + 1 :]
    return tuple(sizes)


@st.composite
def basic_indices(draw: st.DrawFn, shape: tuple[int, ...], bad: bool = False) -> Any:
    """A basic-indexing key: ints (negative too), slices (steps 1..3, bounds past
    the ends), None and one Ellipsis, as a tuple or a bare item.

    With `bad`: an int out of range, a step of 0 or -1, two Ellipses or too many indices.
    """
    nd = len(shape)
    key: list[Any] = []
    pos = 0
    use_ellipsis = draw(st.integers(0, 3)) == 0
    ellipsis_at = draw(st.integers(0, nd))
    while pos < nd and draw(st.integers(0, 4)) != 0:
        if use_ellipsis and pos == ellipsis_at:
            key.append(Ellipsis)
            use_ellipsis = False
            pos = max(pos, nd - draw(st.integers(0, nd - pos)))  # Ellipsis eats some dims
            continue
        size = shape[pos]
        kind = draw(st.sampled_from(("int", "slice", "slice", "none")))
        if kind == "int" and size > 0:
            key.append(draw(st.integers(-size, size - 1)))
            pos += 1
        elif kind == "none":
            key.append(None)
        else:
            bound = st.none() | st.integers(-size - 3, size + 3)
            key.append(slice(draw(bound), draw(bound), draw(st.sampled_from((None, 1, 2, 3)))))
            pos += 1
    if use_ellipsis:
        key.insert(draw(st.integers(0, len(key))), Ellipsis)
    if bad:
        how = draw(st.sampled_from(("int", "step0", "neg_step", "two_ellipsis", "too_many")))
        if how == "int":
            size = shape[0] if nd else 0
            key.insert(0, draw(st.sampled_from((size, size + 1, -size - 1))))
        elif how == "step0":
            key.insert(0, slice(None, None, 0))
        elif how == "neg_step":
            key.insert(0, slice(None, None, -1))
        elif how == "two_ellipsis":
            key = [Ellipsis, *key, Ellipsis]
        else:
            key = [0] * (nd + 1)
    if len(key) == 1 and draw(st.booleans()):
        return key[0]
    return tuple(key)


@st.composite
def advanced_indices(draw: st.DrawFn, shape: tuple[int, ...], bad: bool = False) -> Any:
    """An advanced-indexing key: an int list, an int64 tensor, or a bool mask over
    the leading dims, optionally mixed with slices/ints/None for the other dims.

    With `bad`: an index out of range, or a mask whose shape does not match.
    """
    nd = len(shape)
    kind = draw(st.sampled_from(("list", "tensor", "mask")))
    if kind == "mask" or nd == 0:
        k = draw(st.integers(0 if nd == 0 else 1, nd))
        mshape = list(shape[:k])
        if bad and mshape:
            mshape[0] += 1
        rng = np.random.default_rng(draw(st.integers(0, 2**16)))
        mask = (rng.random(mshape) < 0.5).tolist() if mshape else bool(draw(st.booleans()))
        lead: Any = TensorArg("index", values=mask, dtype="bool")
        consumed = k
    else:
        size = shape[0]
        if size == 0 and not bad:
            idx = draw(st.lists(st.just(0), max_size=0))
        else:
            hi = size if bad else size - 1
            idx = draw(st.lists(st.integers(-size, max(hi, -size)), min_size=1, max_size=4))
            if bad:
                idx.append(size)
        if kind == "list":
            lead = idx
        else:
            if draw(st.booleans()) and idx:  # 2-D index tensor
                idx = [idx, list(reversed(idx))]
            lead = TensorArg("index", values=idx, dtype="int64")
        consumed = 1
    rest: list[Any] = []
    for size in shape[consumed:]:
        if draw(st.integers(0, 2)) == 0:
            break
        choice = draw(st.sampled_from(("slice", "int", "list")))
        if choice == "int" and size > 0:
            rest.append(draw(st.integers(-size, size - 1)))
        elif choice == "list" and size > 0:
            rest.append(draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=2)))
        else:
            rest.append(
                slice(draw(st.none() | st.integers(0, size)), None, draw(st.integers(1, 2)))
            )
    if not rest and draw(st.booleans()):
        return lead
    return (lead, *rest)
