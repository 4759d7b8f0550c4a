"""Hypothesis strategies drawing twin tensors for `core` and its oracle, `torch`.

Every strategy here returns a :class:`TensorPair`: a `core` tensor and a `torch`
tensor with identical storage contents *and* identical layout (sizes, strides,
storage offset). Each twin owns its own buffer, so an in-place op on one never
shows up in the other.

Main entry points
-----------------
``tensor_pairs(...)``
    A random base (``from_numpy`` or ``tensor``) followed by a random chain of
    layout steps: permute, transpose, sliced indexing with steps, narrow,
    select, expand (stride 0), unfold, diagonal, as_strided over the storage.
    Covers non-contiguous, expanded, zero-size and 0-d tensors.
``tensor_pairs_of_shape(shape, ...)``
    A pair with a *given* shape but a random layout (sliced base, permuted,
    broadcast by expand). Meant for math tests, e.g. binary ops::

        shapes = draw(broadcastable_shapes(2))
        a = draw(tensor_pairs_of_shape(shapes[0], dtypes=FLOAT_DTYPES))

``shapes(...)``, ``broadcastable_shapes(n, ...)``, ``dtype_names(...)``
    Plain building blocks.

Assertions
----------
``assert_same_tensor(c, t)``  sizes, strides, offset, contiguity, dtype, values.
``assert_same_result(c, t)``  like the above but also for tuples/lists/scalars.
``assert_same_sharing(ca, cb, ta, tb)``  same "shares storage" verdict.
``assert_same_error(fn_core, fn_torch)``  same builtin exception class, or both
succeed and agree.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import torch
from hypothesis import strategies as st

import core

ALL_DTYPES: tuple[str, ...] = (
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
)
FLOAT_DTYPES: tuple[str, ...] = ("float16", "float32", "float64")
INT_DTYPES: tuple[str, ...] = ("uint8", "int8", "int16", "int32", "int64")
# What view tests draw from by default: the common dtypes plus two odd ones.
LAYOUT_DTYPES: tuple[str, ...] = ("float32", "int64", "float64", "bool", "int16", "float16")

# The builtin classes that core must match torch on (torch often raises subclasses).
BUILTIN_ERRORS: tuple[type[BaseException], ...] = (IndexError, ValueError, TypeError, RuntimeError)


# --------------------------------------------------------------------------- dtypes


def dtype_name(dtype: Any) -> str:
    """Return the bare dtype name: ``torch.float32`` / ``core.float32`` -> ``"float32"``."""
    return str(dtype).rsplit(".", 1)[-1]


def core_dtype(name: str) -> Any:
    """The ``core`` dtype object called `name`."""
    return getattr(core, name)


def torch_dtype(name: str) -> torch.dtype:
    """The ``torch`` dtype object called `name`."""
    return getattr(torch, name)


def dtype_names(names: Sequence[str] = LAYOUT_DTYPES) -> st.SearchStrategy[str]:
    """Draw one of `names` (shrinks towards the first)."""
    return st.sampled_from(tuple(names))


# --------------------------------------------------------------------------- shapes


def shapes(
    min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 5
) -> st.SearchStrategy[tuple[int, ...]]:
    """Draw a shape tuple; sides may be 0 (about one side in ten) unless ``min_side >= 1``."""
    if min_side >= 1:
        side = st.integers(min_side, max_side)
    else:
        side = st.integers(0, 9).map(lambda v: 0 if v == 0 else 1 + (v - 1) % max(max_side, 1))
    return st.lists(side, min_size=min_dims, max_size=max_dims).map(tuple)


def broadcastable_shapes(
    num_shapes: int, min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 4
) -> st.SearchStrategy[tuple[tuple[int, ...], ...]]:
    """Draw `num_shapes` shapes that broadcast together (NumPy's = PyTorch's rule)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes,
        min_dims=min_dims,
        max_dims=max_dims,
        min_side=min_side,
        max_side=max_side,
    ).map(lambda r: r.input_shapes)


# --------------------------------------------------------------------------- values


def random_values(
    name: str,
    n: int,
    rng: np.random.Generator,
    low: float = -10,
    high: float = 10,
    allow_nan: bool = False,
) -> np.ndarray:
    """`n` random values of dtype `name` in ``[low, high]``.

    Floats are multiples of 1/8, exactly representable in float16, so casts
    between float dtypes never change them.
    """
    if name == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if name in INT_DTYPES:
        info = np.iinfo(name)
        lo, hi = max(math.ceil(low), int(info.min)), min(math.floor(high), int(info.max))
        return rng.integers(lo, hi + 1, n).astype(name)
    values = np.round(rng.uniform(low, high, n) * 8) / 8
    if allow_nan and n:
        values[rng.random(n) < 0.15] = np.nan
    return values.astype(name)


# --------------------------------------------------------------------------- recipes


def _format_index(key: Any) -> str:
    def one(k: Any) -> str:
        if k is Ellipsis:
            return "..."
        if isinstance(k, slice):
            text = ":".join("" if v is None else str(v) for v in (k.start, k.stop))
            return text + ("" if k.step is None else f":{k.step}")
        return repr(k)

    if isinstance(key, tuple):
        return ", ".join(one(k) for k in key) if key else "()"
    return one(key)


@dataclass(frozen=True)
class Step:
    """One layout step, applied identically to a core and a torch tensor.

    `name` is a Tensor method name, or ``"__getitem__"`` with ``args == (key,)``.
    """

    name: str
    args: tuple = ()

    def apply(self, x: Any) -> Any:
        """Apply the step to `x` (a core or torch tensor) and return the result."""
        if self.name == "__getitem__":
            return x[self.args[0]]
        return getattr(x, self.name)(*self.args)

    def __repr__(self) -> str:
        if self.name == "__getitem__":
            return f"[{_format_index(self.args[0])}]"
        return f".{self.name}({', '.join(repr(a) for a in self.args)})"


@dataclass(frozen=True)
class TensorPair:
    """A core tensor `c` and a torch tensor `t` with the same contents and layout.

    Unpacks as ``c, t = pair``; `recipe` shows how both were built (it is what
    hypothesis prints for a failing example). `storage_numel` is the number of
    elements in the shared storage of the base, `base_shape` the base's shape;
    ``steps`` replayed on any base of that shape rebuild the layout.
    """

    c: Any
    t: Any
    recipe: str
    storage_numel: int
    steps: tuple[Step, ...] = field(default=())
    base_shape: tuple[int, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        yield self.c
        yield self.t

    def __repr__(self) -> str:
        return f"TensorPair({self.recipe})"


def _apply_steps(pair: TensorPair, steps: Sequence[Step]) -> TensorPair:
    c, t = pair.c, pair.t
    recipe = pair.recipe
    for step in steps:
        t = step.apply(t)  # torch first: the strategies only draw steps torch accepts
        recipe += repr(step)
        try:
            c = step.apply(c)
        except Exception as exc:  # report the recipe, not a bare draw failure
            raise AssertionError(f"core failed building a test input: {recipe}: {exc!r}") from exc
    return TensorPair(c, t, recipe, pair.storage_numel, pair.steps + tuple(steps), pair.base_shape)


def make_base_pair(values: np.ndarray, via: str = "from_numpy") -> TensorPair:
    """Build twin contiguous tensors from `values` (each twin gets its own copy).

    ``via="from_numpy"`` uses ``from_numpy``; ``via="tensor"`` passes nested lists
    to ``tensor(..., dtype=...)`` (not for zero-size arrays, whose lists lose the shape).
    """
    name = values.dtype.name
    if via == "tensor" and values.size > 0:
        data = values.tolist()
        c = core.tensor(data, dtype=core_dtype(name))
        t = torch.tensor(data, dtype=torch_dtype(name))
        recipe = f"tensor(<{name} {tuple(values.shape)}>)"
    else:
        c = core.from_numpy(values.copy())
        t = torch.from_numpy(values.copy())
        recipe = f"from_numpy(<{name} {tuple(values.shape)}>)"
    return TensorPair(c, t, recipe, int(values.size), (), tuple(values.shape))


@st.composite
def base_pairs(
    draw: st.DrawFn,
    shape: tuple[int, ...] | None = None,
    dtypes: Sequence[str] = LAYOUT_DTYPES,
    low: float = -10,
    high: float = 10,
    allow_nan: bool = False,
    min_side: int = 0,
    max_side: int = 5,
    max_dims: int = 4,
) -> TensorPair:
    """A contiguous pair of a given (or drawn) shape with random values."""
    if shape is None:
        shape = draw(shapes(0, max_dims, min_side, max_side))
    name = draw(dtype_names(dtypes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = random_values(name, math.prod(shape), rng, low, high, allow_nan).reshape(shape)
    via = draw(st.sampled_from(("from_numpy", "tensor")))
    return make_base_pair(values, via)


# --------------------------------------------------------------------------- layout steps


def _norm(dim: int, nd: int) -> int:
    return dim + nd if dim < 0 else dim


@st.composite
def layout_steps(
    draw: st.DrawFn,
    shape: tuple[int, ...],
    storage_numel: int,
    max_dims: int = 5,
    min_side: int = 0,
    allow_overlap: bool = True,
    allow_as_strided: bool = True,
) -> list[Step]:
    """Draw one valid layout step (sometimes two) for a tensor of `shape`.

    `min_side` >= 1 keeps every dim non-empty; ``allow_overlap=False`` avoids
    layouts where two logical indices read the same storage element (expand,
    overlapping unfold, general as_strided), so the result is writable.
    """
    nd = len(shape)
    kinds = ["slice", "narrow", "select", "permute", "transpose", "unfold", "diagonal"]
    if allow_overlap:
        kinds.append("expand")
    if allow_as_strided and storage_numel > 0:
        kinds.append("as_strided")
    kind = draw(st.sampled_from(kinds))
    small = st.integers(min_side, 3)

    if kind == "permute" and nd >= 2:
        return [Step("permute", tuple(draw(st.permutations(range(nd)))))]
    if kind == "transpose" and nd >= 1:
        d0, d1 = draw(st.integers(-nd, nd - 1)), draw(st.integers(-nd, nd - 1))
        return [Step("transpose", (d0, d1))]
    if kind == "slice" and nd >= 1:
        key = []
        for size in shape[: draw(st.integers(1, nd))]:
            bound = st.none() | st.integers(-size - 2, size + 2)
            s = slice(draw(bound), draw(bound), draw(st.sampled_from((None, 1, 2, 3))))
            if len(range(*s.indices(size))) < min_side:
                s = slice(None)
            key.append(s)
        return [Step("__getitem__", (tuple(key),))]
    if kind == "narrow" and nd >= 1:
        dim = draw(st.integers(-nd, nd - 1))
        size = shape[dim]
        start = draw(st.integers(-size, size))
        room = size - (start + size if start < 0 else start)
        if room < min_side:
            return []
        return [Step("narrow", (dim, start, draw(st.integers(min_side, room))))]
    if kind == "select" and nd >= 1:
        dim = draw(st.integers(-nd, nd - 1))
        if shape[dim] == 0:
            return []
        return [Step("select", (dim, draw(st.integers(-shape[dim], shape[dim] - 1))))]
    if kind == "expand":
        steps = []
        cur = list(shape)
        if 1 not in cur and nd < max_dims:
            pos = draw(st.integers(0, nd))
            steps.append(Step("unsqueeze", (pos,)))
            cur.insert(pos, 1)
        new_lead = draw(st.integers(0, max(0, min(2, max_dims - len(cur)))))
        sizes = [draw(small) for _ in range(new_lead)]
        for size in cur:
            if size == 1 and draw(st.booleans()):
                sizes.append(draw(small))
            else:
                sizes.append(draw(st.sampled_from((-1, size))))
        return steps + [Step("expand", tuple(sizes))]
    if kind == "unfold" and nd >= 1 and nd < max_dims:
        dim = draw(st.integers(-nd, nd - 1))
        if shape[dim] == 0:
            return []
        size = draw(st.integers(max(min_side, 1), shape[dim]))
        step = draw(st.integers(size if not allow_overlap else 1, size + 2))
        return [Step("unfold", (dim, size, step))]
    if kind == "diagonal" and nd >= 2:
        d1 = draw(st.integers(-nd, nd - 1))
        d2 = draw(st.integers(-nd, nd - 1).filter(lambda d: _norm(d, nd) != _norm(d1, nd)))
        offset = draw(st.integers(-2, 2))
        a, b = shape[d1], shape[d2]
        length = max(0, min(a + min(offset, 0), b - max(offset, 0)))
        if length < min_side:
            offset = 0
        return [Step("diagonal", (offset, d1, d2))]
    if kind == "as_strided":
        return [draw(as_strided_steps(storage_numel, min_side, allow_overlap))]
    return []


@st.composite
def as_strided_steps(
    draw: st.DrawFn, storage_numel: int, min_side: int = 0, allow_overlap: bool = True
) -> Step:
    """An ``as_strided(size, stride, storage_offset)`` step within the storage bounds."""
    nd = draw(st.integers(0, 3))
    sizes = [draw(st.integers(min_side, 4)) for _ in range(nd)]
    if allow_overlap:
        strides = [draw(st.integers(0, 4)) for _ in range(nd)]
    else:
        # Non-overlapping: in a drawn order, each stride exceeds the extent of the faster dims.
        strides = [0] * nd
        extent = 0
        for d in draw(st.permutations(range(nd))):
            strides[d] = extent + 1 + draw(st.integers(0, 1))
            extent += (sizes[d] - 1) * strides[d] if sizes[d] > 0 else 0
    reach = sum((s - 1) * st_ for s, st_ in zip(sizes, strides, strict=True)) if all(sizes) else 0
    if reach >= storage_numel:  # shrink until it fits the storage
        sizes = [min(s, 1) for s in sizes]
        reach = 0
    offset = draw(st.integers(0, storage_numel - 1 - reach))
    return Step("as_strided", (tuple(sizes), tuple(strides), offset))


@st.composite
def tensor_pairs(
    draw: st.DrawFn,
    dtypes: Sequence[str] = LAYOUT_DTYPES,
    min_dims: int = 0,
    max_dims: int = 4,
    max_side: int = 5,
    max_steps: int = 3,
    allow_zero_size: bool = True,
    allow_overlap: bool = True,
    allow_as_strided: bool = True,
    low: float = -10,
    high: float = 10,
    allow_nan: bool = False,
) -> TensorPair:
    """A pair built by a random chain of layout steps on a random base.

    Parameters
    ----------
    min_dims, max_dims : bounds on the base's dims; the result has at least
        `min_dims` dims (leading ``unsqueeze`` is added if needed) and at most
        ``max_dims + 1``.
    allow_zero_size : when False every dim of the result is >= 1.
    allow_overlap : when False no two logical indices share a storage element
        (no expand / overlapping unfold), so in-place writes are legal.
    low, high, allow_nan : value range (see :func:`random_values`).
    """
    min_side = 0 if allow_zero_size else 1
    base = draw(
        base_pairs(
            None,
            dtypes,
            low,
            high,
            allow_nan,
            min_side=max(min_side, 0),
            max_side=max_side,
            max_dims=max_dims,
        )
    )
    pair = base
    for _ in range(draw(st.integers(0, max_steps))):
        steps = draw(
            layout_steps(
                tuple(pair.t.shape),
                base.storage_numel,
                max_dims + 1,
                min_side,
                allow_overlap,
                allow_as_strided,
            )
        )
        if steps and math.prod(s for s in _shape_after(pair.t, steps)) <= 4096:
            pair = _apply_steps(pair, steps)
    while pair.t.dim() < min_dims:
        pair = _apply_steps(pair, [Step("unsqueeze", (draw(st.integers(0, pair.t.dim())),))])
    return pair


def _shape_after(t: torch.Tensor, steps: Sequence[Step]) -> tuple[int, ...]:
    for step in steps:
        t = step.apply(t)
    return tuple(t.shape)


@st.composite
def tensor_pairs_of_shape(
    draw: st.DrawFn,
    shape: Sequence[int],
    dtypes: Sequence[str] = LAYOUT_DTYPES,
    allow_expand: bool = True,
    low: float = -10,
    high: float = 10,
    allow_nan: bool = False,
) -> TensorPair:
    """A pair of exactly `shape` with a random layout.

    Built as ``base[slices].permute(p).expand(shape)``: the slices (offsets and
    steps) make it non-contiguous with a storage offset, the permutation
    reorders strides, and expand (when `allow_expand`) gives stride-0 dims and
    new leading dims. Each part may be skipped, so contiguous inputs appear too.
    """
    shape = tuple(int(s) for s in shape)
    nd = len(shape)
    n_new = draw(st.integers(0, nd)) if allow_expand and draw(st.booleans()) else 0
    pre = list(shape[n_new:])
    if allow_expand:
        pre = [1 if draw(st.integers(0, 3)) == 0 else s for s in pre]
    perm = tuple(draw(st.permutations(range(len(pre))))) if draw(st.booleans()) else None
    mid = list(pre)
    if perm is not None:
        for i, p in enumerate(perm):
            mid[p] = pre[i]
    key, base_shape = [], []
    sliced = draw(st.booleans())
    for size in mid:
        start = draw(st.integers(0, 1)) if sliced else 0
        step = draw(st.integers(1, 2)) if sliced else 1
        extra = draw(st.integers(0, 1)) if sliced else 0
        span = (size - 1) * step + 1 if size > 0 else 0
        key.append(slice(start, start + span, step) if size > 0 else slice(start, start))
        base_shape.append(start + span + extra)
    name = draw(dtype_names(dtypes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = random_values(name, math.prod(base_shape), rng, low, high, allow_nan)
    pair = make_base_pair(
        values.reshape(base_shape), draw(st.sampled_from(("from_numpy", "tensor")))
    )
    steps = []
    if sliced and mid:
        steps.append(Step("__getitem__", (tuple(key),)))
    if perm is not None and len(perm) >= 2:
        steps.append(Step("permute", perm))
    if tuple(pre) != shape:
        steps.append(Step("expand", shape))
    pair = _apply_steps(pair, steps)
    assert tuple(pair.t.shape) == shape, (pair, shape)
    return pair


# --------------------------------------------------------------------------- assertions


def builtin_error_class(exc: BaseException) -> type[BaseException]:
    """The first of IndexError/ValueError/TypeError/RuntimeError in `exc`'s MRO.

    torch raises subclasses (``torch.AcceleratorError``, ``NotImplementedError``
    under RuntimeError, ...); core is compared on the builtin base. Falls back to
    the first builtin class in the MRO.
    """
    for cls in type(exc).__mro__:
        if cls in BUILTIN_ERRORS:
            return cls
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls
    return type(exc)


def _values(x: Any) -> np.ndarray:
    return np.asarray(x.numpy())


def assert_same_tensor(
    c: Any,
    t: torch.Tensor,
    *,
    check_layout: bool = True,
    check_values: bool = True,
    rtol: float | None = None,
    atol: float = 0.0,
    context: str = "",
) -> None:
    """Assert that core tensor `c` matches torch tensor `t`.

    Checks shape, dim, numel, dtype name and (with `check_layout`) strides,
    storage offset and ``is_contiguous()``; then the values, nan-aware: exactly,
    or with ``np.testing.assert_allclose(rtol, atol)`` when `rtol` is given.
    """
    where = f" [{context}]" if context else ""
    assert isinstance(c, core.Tensor), f"expected a core.Tensor, got {type(c).__name__}{where}"
    assert tuple(c.shape) == tuple(t.shape), (
        f"shape {tuple(c.shape)} != torch {tuple(t.shape)}{where}"
    )
    assert c.dim() == t.dim(), f"dim {c.dim()} != torch {t.dim()}{where}"
    assert c.numel() == t.numel(), f"numel {c.numel()} != torch {t.numel()}{where}"
    assert dtype_name(c.dtype) == dtype_name(t.dtype), f"dtype {c.dtype} != torch {t.dtype}{where}"
    if check_layout:
        assert tuple(c.stride()) == tuple(t.stride()), (
            f"strides {tuple(c.stride())} != torch {tuple(t.stride())} "
            f"(shape {tuple(t.shape)}){where}"
        )
        assert c.storage_offset() == t.storage_offset(), (
            f"storage_offset {c.storage_offset()} != torch {t.storage_offset()}{where}"
        )
        assert c.is_contiguous() == t.is_contiguous(), (
            f"is_contiguous {c.is_contiguous()} != torch {t.is_contiguous()} "
            f"(shape {tuple(t.shape)}, strides {tuple(t.stride())}){where}"
        )
    if check_values:
        cv, tv = _values(c), _values(t)
        assert cv.shape == tv.shape, f"numpy() shape {cv.shape} != torch {tv.shape}{where}"
        assert cv.dtype == tv.dtype, f"numpy() dtype {cv.dtype} != torch {tv.dtype}{where}"
        if rtol is None:
            np.testing.assert_array_equal(cv, tv, err_msg=f"values differ{where}")
        else:
            np.testing.assert_allclose(
                cv, tv, rtol=rtol, atol=atol, equal_nan=True, err_msg=f"values differ{where}"
            )


def assert_same_result(c: Any, t: Any, **kwargs: Any) -> None:
    """Like :func:`assert_same_tensor`, also for tuples/lists of tensors and scalars."""
    if isinstance(t, torch.Tensor):
        assert_same_tensor(c, t, **kwargs)
    elif isinstance(t, (tuple, list)):
        assert isinstance(c, (tuple, list)), f"expected a sequence, core gave {type(c).__name__}"
        assert len(c) == len(t), f"length {len(c)} != torch {len(t)}"
        for i, (ci, ti) in enumerate(zip(c, t, strict=True)):
            assert_same_result(ci, ti, **{**kwargs, "context": f"{kwargs.get('context', '')}[{i}]"})
    elif isinstance(t, float) and math.isnan(t):
        assert isinstance(c, float) and math.isnan(c), f"{c!r} != torch {t!r}"
    else:
        assert type(c) is type(t) and c == t, (
            f"{c!r} ({type(c).__name__}) != torch {t!r} ({type(t).__name__})"
        )


def shares_storage(a: Any, b: Any) -> bool:
    """Whether two tensors (both core or both torch) sit on the same storage."""
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def assert_same_sharing(ca: Any, cb: Any, ta: torch.Tensor, tb: torch.Tensor) -> None:
    """Assert core's `ca`/`cb` share storage exactly when torch's `ta`/`tb` do.

    Skipped (returns) when a torch storage is empty with data_ptr 0: torch then
    reports 0 for unrelated storages, so its verdict carries no information.
    """
    for x in (ta, tb):
        if x.untyped_storage().nbytes() == 0 and x.untyped_storage().data_ptr() == 0:
            return
    expected = shares_storage(ta, tb)
    actual = shares_storage(ca, cb)
    assert actual == expected, (
        f"core {'shares' if actual else 'does not share'} storage, torch "
        f"{'does' if expected else 'does not'}"
    )


def assert_same_error(
    fn_core: Callable[[], Any],
    fn_torch: Callable[[], Any],
    compare: Callable[[Any, Any], None] | None = assert_same_result,
) -> tuple[Any, Any] | None:
    """Run both; they must raise the same builtin error class, or both succeed.

    Returns ``None`` when both raised, else ``(core_result, torch_result)`` after
    checking them with `compare` (skip the check with ``compare=None``). Warnings
    torch emits are swallowed; core may then warn too, and may always issue a
    UserWarning (torch's deprecation notices); any other warning from core
    surfaces, and fails under ``filterwarnings = error``.
    """
    t_exc: BaseException | None = None
    c_exc: BaseException | None = None
    t_res = c_res = None
    with warnings.catch_warnings(record=True) as torch_warnings:
        warnings.simplefilter("always")
        try:
            t_res = fn_torch()
        except Exception as exc:
            t_exc = exc
    with warnings.catch_warnings():
        # torch's deprecation notices are UserWarnings, often issued once per process
        # (TORCH_WARN_ONCE), so core may warn alike whether or not torch just did.
        warnings.simplefilter("ignore", UserWarning)
        if torch_warnings:
            warnings.simplefilter("ignore")
        try:
            c_res = fn_core()
        except Exception as exc:
            c_exc = exc
    if t_exc is not None:
        t_cls = builtin_error_class(t_exc)
        if c_exc is None:
            raise AssertionError(
                f"torch raised {t_cls.__name__} ({t_exc}) but core succeeded and returned {c_res!r}"
            )
        c_cls = builtin_error_class(c_exc)
        if c_cls is not t_cls:
            raise AssertionError(
                f"core raised {type(c_exc).__name__} ({c_exc}), torch raised "
                f"{type(t_exc).__name__} ({t_exc}): "
                f"builtin class {c_cls.__name__} != {t_cls.__name__}"
            ) from c_exc
        return None
    if c_exc is not None:
        raise AssertionError(
            f"core raised {type(c_exc).__name__} ({c_exc}) but torch succeeded with {t_res!r}"
        ) from c_exc
    if compare is not None:
        compare(c_res, t_res)
    return c_res, t_res


# --------------------------------------------------------------------------- view-op calls


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
            return f"x[{_format_index(self.args[0])}]"
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


def _resolved_expand(shape: tuple[int, ...], sizes: tuple[int, ...]) -> tuple[int, ...]:
    lead = len(sizes) - len(shape)
    return tuple(shape[i - lead] if (i >= lead and s == -1) else s for i, s in enumerate(sizes))


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
