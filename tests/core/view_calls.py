"""Drawing one view-op call and replaying it on both twins.

:func:`view_calls` draws a :class:`Call` of an op in :data:`VIEW_OPS` with
arguments for a tensor of a given shape (about one call in six deliberately
invalid); :func:`call_pair` runs it on a :class:`~tests.core.tensor_pairs.TensorPair`
and compares the results, the error class and the storage sharing with torch's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_error, assert_same_sharing
from tests.core.layout_steps import as_strided_steps, format_index
from tests.core.tensor_pairs import TensorPair
from tests.core.view_op_arguments import (
    TensorArg,
    advanced_indices,
    basic_indices,
    expand_targets,
    factor_shapes,
)


def _resolve(arg: Any, lib: Any) -> Any:
    if isinstance(arg, TensorArg):
        return arg.build(lib)
    if isinstance(arg, tuple):
        return tuple(_resolve(a, lib) for a in arg)
    if isinstance(arg, list):
        return [_resolve(a, lib) for a in arg]
    return arg


@dataclass(frozen=True)
class Call:
    """One call of a view op, replayable on core and on torch.

    `form` is ``"method"`` (``x.name(*args)``), ``"function"``
    (``lib.name(x, *args)``), ``"attr"`` (``x.T``) or ``"getitem"`` (``x[args[0]]``).
    `kwargs` is a tuple of ``(name, value)`` pairs.
    """

    name: str
    args: tuple = ()
    kwargs: tuple = ()
    form: str = "method"

    def apply(self, x: Any, lib: Any) -> Any:
        """Run the call on tensor `x`; `lib` is ``core`` or ``torch`` (x's library)."""
        args = _resolve(self.args, lib)
        kwargs = {k: _resolve(v, lib) for k, v in self.kwargs}
        if self.form == "getitem":
            return x[args[0]]
        if self.form == "attr":
            return getattr(x, self.name)
        if self.form == "function":
            return getattr(lib, self.name)(x, *args, **kwargs)
        return getattr(x, self.name)(*args, **kwargs)

    def __repr__(self) -> str:
        if self.form == "getitem":
            return f"x[{format_index(self.args[0])}]"
        if self.form == "attr":
            return f"x.{self.name}"
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        if self.form == "function":
            return f"lib.{self.name}(x{''.join(', ' + p for p in parts)})"
        return f"x.{self.name}({', '.join(parts)})"


def _bad(draw: st.DrawFn, allow_invalid: bool) -> bool:
    """Whether to draw deliberately invalid arguments (about one call in six)."""
    # Not `== 0`: hypothesis draws boundary values far more often than 1/n.
    return allow_invalid and draw(st.integers(0, 11)) == 7


def _dim(draw: st.DrawFn, nd: int, bad: bool = False, extra: int = 0) -> int:
    """A dim for a tensor of `nd` dims (``nd + extra`` valid positions).

    Like torch, a 0-d tensor accepts dims -1 and 0. With `bad`, out of range.
    """
    n = max(nd + extra, 1)
    if bad:
        return draw(st.sampled_from((n, n + 1, -n - 1, -n - 2)))
    return draw(st.integers(-n, n - 1))


def _resolved_expand(shape: tuple[int, ...], sizes: tuple[int, ...]) -> tuple[int, ...]:
    lead = len(sizes) - len(shape)
    return tuple(shape[i - lead] if (i >= lead and s == -1) else s for i, s in enumerate(sizes))


def _form(draw: st.DrawFn, function: bool = True) -> str:
    return draw(st.sampled_from(("method", "function"))) if function else "method"


def _ints_or_tuple(draw: st.DrawFn, values: tuple) -> tuple:
    """torch accepts ``f(2, 3)`` and ``f((2, 3))``; draw one of the forms.

    An empty size list is always passed as ``()``: ``f()`` with no argument at all is
    a TypeError in torch, checked once in test_views rather than drawn over and over.
    """
    return tuple(values) if values and draw(st.booleans()) else (tuple(values),)


def _draw_call(
    draw: st.DrawFn, op: str, shape: tuple[int, ...], storage_numel: int, bad: bool
) -> Call:
    nd = len(shape)
    numel = math.prod(shape)
    if op in ("view", "reshape"):
        sizes = draw(factor_shapes(numel, bad))
        if op == "reshape" and draw(st.booleans()):
            return Call("reshape", (tuple(sizes),), form="function")
        return Call(op, _ints_or_tuple(draw, sizes))
    if op == "view_as":
        sizes = draw(factor_shapes(numel, bad, allow_infer=False))
        if any(isinstance(s, float) or s < 0 for s in sizes):
            sizes = (numel + 1,)
        return Call("view_as", (TensorArg("zeros", tuple(sizes)),))
    if op == "flatten":
        args = () if draw(st.integers(0, 3)) == 0 else (_dim(draw, nd, bad), _dim(draw, nd))
        return Call("flatten", args, form=_form(draw))
    if op == "unflatten":
        dim = _dim(draw, nd, bad and draw(st.booleans()))
        size = shape[dim] if -nd <= dim < nd else 1
        sizes = draw(factor_shapes(size, bad, max_dims=3, min_dims=1))
        return Call("unflatten", (dim, tuple(sizes)))
    if op in ("t", "T", "mT"):
        if op == "t":
            return Call("t", form=_form(draw))
        return Call(op, form="attr")
    if op in ("transpose", "swapaxes"):
        return Call(op, (_dim(draw, nd, bad), _dim(draw, nd)), form=_form(draw))
    if op == "permute":
        perm = list(draw(st.permutations(range(nd))))
        if draw(st.booleans()):
            perm = [p - nd if draw(st.booleans()) else p for p in perm]
        if bad:
            perm = perm + [0] if draw(st.booleans()) or nd < 2 else [perm[0]] * nd
        if draw(st.booleans()):
            return Call("permute", (tuple(perm),), form="function")
        return Call("permute", _ints_or_tuple(draw, perm))
    if op == "movedim":
        n = max(nd, 1)
        if draw(st.booleans()):
            src, dst = _dim(draw, nd, bad), _dim(draw, nd)
        else:
            k = draw(st.integers(0, nd))
            src = tuple(draw(st.permutations(range(n)))[:k])
            dst = tuple(draw(st.permutations(range(n)))[:k])
            if bad:
                src, dst = (src + (0,), dst + (0,)) if draw(st.booleans()) else (src, dst + (0,))
        return Call("movedim", (src, dst), form=_form(draw))
    if op == "expand":
        return Call("expand", _ints_or_tuple(draw, draw(expand_targets(shape, bad))))
    if op in ("expand_as", "broadcast_to"):
        sizes = draw(expand_targets(shape, bad))
        target = _resolved_expand(shape, sizes) if not bad else tuple(abs(s) for s in sizes)
        if op == "expand_as":
            return Call("expand_as", (TensorArg("zeros", target),))
        return Call("broadcast_to", (target,), form=_form(draw))
    if op == "narrow":
        dim = _dim(draw, nd, bad and draw(st.booleans()))
        size = shape[dim] if -nd <= dim < nd else 0
        if bad:
            start = draw(st.sampled_from((size + 1, -size - 1)))
            length = draw(st.integers(-1, size + 1))
        else:
            start = draw(st.integers(-size, size))
            norm = start + size if start < 0 else start
            length = draw(st.integers(0, size - norm))
        return Call("narrow", (dim, start, length), form=_form(draw))
    if op == "select":
        nonempty = [d for d, s in enumerate(shape) if s > 0]
        if nonempty and not bad:
            dim = draw(st.sampled_from(nonempty)) - draw(st.sampled_from((0, nd)))
        else:
            dim = _dim(draw, nd, bad and draw(st.booleans()))
        size = shape[dim] if -nd <= dim < nd else 0
        if bad:
            index = draw(st.sampled_from((size, -size - 1)))
        else:
            index = draw(st.integers(-size, size - 1)) if size > 0 else 0
        return Call("select", (dim, index), form=_form(draw))
    if op == "unbind":
        return Call(
            "unbind", (_dim(draw, nd, bad),) if draw(st.booleans()) or bad else (), form=_form(draw)
        )
    if op in ("split", "chunk", "tensor_split"):
        dim = _dim(draw, nd, bad and draw(st.booleans()))
        size = shape[dim] if -nd <= dim < nd else 0
        if op == "chunk":
            arg: Any = 0 if bad else draw(st.integers(1, size + 2))
        elif op == "split" and draw(st.booleans()):
            arg = 0 if (bad and size > 0) else draw(st.integers(1, size + 2))
        elif op == "split":
            parts = []
            left = size
            while left > 0:
                parts.append(draw(st.integers(1, left)))
                left -= parts[-1]
            if draw(st.booleans()):
                parts.insert(draw(st.integers(0, len(parts))), 0)
            arg = parts + [1] if bad else parts
        elif draw(st.booleans()):
            arg = 0 if bad else draw(st.integers(1, size + 2))
        else:
            arg = draw(st.lists(st.integers(-size - 1, size + 2), max_size=3))
        kw = (("dim", dim),) if draw(st.booleans()) else ()
        args = (arg,) if kw else (arg, dim)
        return Call(op, args, kw, form=_form(draw))
    if op == "unsqueeze":
        return Call("unsqueeze", (_dim(draw, nd, bad, extra=1),), form=_form(draw))
    if op == "squeeze":
        how = draw(st.sampled_from(("all", "dim", "tuple")))
        if how == "all":
            return Call("squeeze", form=_form(draw))
        if how == "dim":
            ones = [d for d, s in enumerate(shape) if s == 1]
            dim = (
                draw(st.sampled_from(ones)) if ones and draw(st.booleans()) else _dim(draw, nd, bad)
            )
            return Call("squeeze", (dim,), form=_form(draw))
        dims = tuple(
            draw(st.lists(st.integers(0, max(nd, 1) - 1), max_size=max(nd, 1), unique=True))
        )
        if bad:
            dims = dims + (dims[0],) if dims else (max(nd, 1),)
        return Call("squeeze", (dims,), form=_form(draw))
    if op == "unfold":
        dim = _dim(draw, nd, bad and draw(st.booleans()))
        size = shape[dim] if -nd <= dim < nd else 1
        if bad:
            return Call(
                "unfold", (dim, draw(st.sampled_from((size + 1, -1))), draw(st.integers(-1, 2)))
            )
        return Call("unfold", (dim, draw(st.integers(0, size)), draw(st.integers(1, 3))))
    if op == "as_strided":
        if storage_numel == 0 and not bad:
            return Call("as_strided", ((0,), (1,), 0))
        if bad:
            how = draw(st.sampled_from(("bounds", "neg_stride", "length")))
            if how == "bounds":
                return Call("as_strided", ((storage_numel + 1,), (1,), 0))
            if how == "neg_stride":
                return Call("as_strided", ((2,), (-1,), 1))
            return Call("as_strided", ((2, 2), (1,), 0))
        step = draw(as_strided_steps(storage_numel))
        if draw(st.integers(0, 3)) == 0:
            return Call("as_strided", step.args, form="function")
        return Call("as_strided", step.args)
    if op == "diagonal":
        d1 = _dim(draw, nd, bad and draw(st.booleans()))
        d2 = draw(st.sampled_from((d1, _dim(draw, nd)))) if bad else _dim(draw, nd)
        if not bad and nd >= 2:
            d2 = draw(st.integers(-nd, nd - 1).filter(lambda d: (d - d1) % nd != 0))
        return Call("diagonal", (draw(st.integers(-3, 3)), d1, d2), form=_form(draw))
    if op in ("detach", "contiguous", "clone"):
        return Call(op)
    if op == "getitem":
        return Call("getitem", (draw(basic_indices(shape, bad)),), form="getitem")
    if op == "advanced_getitem":
        return Call("getitem", (draw(advanced_indices(shape, bad)),), form="getitem")
    raise ValueError(f"unknown view op {op!r}")


VIEW_OPS: tuple[str, ...] = (
    "view",
    "view_as",
    "reshape",
    "flatten",
    "unflatten",
    "t",
    "T",
    "mT",
    "transpose",
    "swapaxes",
    "permute",
    "movedim",
    "expand",
    "expand_as",
    "broadcast_to",
    "narrow",
    "select",
    "unbind",
    "split",
    "chunk",
    "tensor_split",
    "unsqueeze",
    "squeeze",
    "unfold",
    "as_strided",
    "diagonal",
    "detach",
    "contiguous",
    "clone",
    "getitem",
    "advanced_getitem",
)
"""Every op :func:`view_calls` can draw (``getitem`` is basic indexing)."""


@st.composite
def view_calls(
    draw: st.DrawFn,
    shape: Sequence[int],
    storage_numel: int,
    ops: Sequence[str] = VIEW_OPS,
    allow_invalid: bool = True,
) -> Call:
    """Draw one call of an op in `ops` with arguments for a tensor of `shape`.

    Arguments are valid for `shape` except about one call in six (when
    `allow_invalid`), which gets arguments torch should refuse; whether torch
    really does is for the test to find out (compare with :func:`assert_same_error`).
    """
    op = draw(st.sampled_from(tuple(ops)))
    return _draw_call(
        draw, op, tuple(int(s) for s in shape), storage_numel, _bad(draw, allow_invalid)
    )


def call_pair(call: Call, pair: TensorPair) -> tuple[Any, Any] | None:
    """Apply `call` to both twins; same error class or same results (layout,
    values) and, for every output tensor, the same storage sharing with the input.

    Returns ``(core_result, torch_result)``, or None when both raised.
    """
    res = assert_same_error(lambda: call.apply(pair.c, core), lambda: call.apply(pair.t, torch))
    if res is None:
        return None
    c_out, t_out = res
    c_list = list(c_out) if isinstance(c_out, (tuple, list)) else [c_out]
    t_list = list(t_out) if isinstance(t_out, (tuple, list)) else [t_out]
    for co, to in zip(c_list, t_list, strict=True):
        assert_same_sharing(co, pair.c, to, pair.t)
    return res
