"""Layout steps: one view op with its arguments, applied alike to core and torch.

:func:`layout_steps` draws a valid step for a tensor of a given shape: permute,
transpose, sliced indexing with steps, narrow, select, expand (stride 0), unfold,
diagonal, as_strided over the storage. A :class:`Step` replays on either library
and prints as it would be written, so a failing example reads as a recipe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st


def format_index(key: Any) -> str:
    """Write an indexing `key` as it appears inside ``x[...]``."""

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
            return f"[{format_index(self.args[0])}]"
        return f".{self.name}({', '.join(repr(a) for a in self.args)})"


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
