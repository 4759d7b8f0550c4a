"""Every view op as a pure function from one Layout to another, with PyTorch's checks.

A view never copies: it only re-reads the same storage through new sizes,
strides and offset. ``view`` is the one op that may find no such layout;
``plan_view`` in ``core.layout`` decides, and callers choose to copy or fail.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.layout import Layout, infer_size, plan_view, storage_span, wrap_dim

VIEW_RULE = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead, which copies when it "
    "must, or call .contiguous() first."
)


def _format_sizes(sizes: Sequence[int]) -> str:
    return "[" + ", ".join(str(s) for s in sizes) + "]"


def view(src: Layout, shape: Sequence[int]) -> Layout:
    """PyTorch's ``view``: the same elements in a new shape, or RuntimeError when no strides fit."""
    sizes = infer_size(shape, src.numel)
    plan = plan_view(src.sizes, src.strides, sizes)
    if plan.strides is None:
        raise RuntimeError(VIEW_RULE)
    return Layout(sizes, plan.strides, src.offset)


def transpose(src: Layout, dim0: int, dim1: int) -> Layout:
    dim0, dim1 = wrap_dim(dim0, src.ndim), wrap_dim(dim1, src.ndim)
    if src.ndim == 0:
        return src
    sizes, strides = list(src.sizes), list(src.strides)
    sizes[dim0], sizes[dim1] = sizes[dim1], sizes[dim0]
    strides[dim0], strides[dim1] = strides[dim1], strides[dim0]
    return Layout(tuple(sizes), tuple(strides), src.offset)


def matrix_transpose(src: Layout) -> Layout:
    """``t()``: swap the two dims of a matrix; a vector or scalar is its own transpose."""
    if src.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {src.ndim}D: "
            "use transpose(dim0, dim1) or .mT for batches of matrices"
        )
    return transpose(src, 0, 1) if src.ndim == 2 else src


def permute(src: Layout, dims: Sequence[int]) -> Layout:
    if len(dims) != src.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {src.ndim} is not "
            f"equal to len(dims) = {len(dims)}"
        )
    wrapped = [wrap_dim(d, src.ndim) for d in dims]
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Layout(
        tuple(src.sizes[d] for d in wrapped), tuple(src.strides[d] for d in wrapped), src.offset
    )


def movedim_order(ndim: int, source: Sequence[int], destination: Sequence[int]) -> list[int]:
    """The permutation that moves dims ``source`` to ``destination``, others keeping their order."""
    if len(source) != len(destination):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(source)} dims) should "
            f"contain the same number of dims as destination ({list(destination)} dims)"
        )
    source = [wrap_dim(d, ndim) for d in source]
    destination = [wrap_dim(d, ndim) for d in destination]
    if len(set(source)) != len(source):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(source)})")
    if len(set(destination)) != len(destination):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(destination)})")
    if ndim == 0:
        return []
    order = [-1] * ndim
    for s, d in zip(source, destination, strict=True):
        order[d] = s
    rest = iter(d for d in range(ndim) if d not in source)
    return [d if d != -1 else next(rest) for d in order]


def movedim(src: Layout, source: Sequence[int], destination: Sequence[int]) -> Layout:
    """Move dims ``source`` to positions ``destination``; the others keep their order."""
    order = movedim_order(src.ndim, source, destination)
    return permute(src, order) if src.ndim else src


def expand(src: Layout, sizes: Sequence[int]) -> Layout:
    """PyTorch's ``expand``: size-1 and new leading dims repeat with stride 0."""
    sizes = tuple(sizes)
    if len(sizes) < src.ndim:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({src.ndim})"
        )
    ndim = len(sizes)
    new_sizes = [0] * ndim
    new_strides = [0] * ndim
    for i in range(ndim - 1, -1, -1):
        d = src.ndim - (ndim - i)
        size = src.sizes[d] if d >= 0 else 1
        # A new leading dim steps over the dims after it; a 0-d tensor's innermost new dim gets 0.
        if d >= 0:
            stride = src.strides[d]
        else:
            stride = new_sizes[i + 1] * new_strides[i + 1] if i + 1 < ndim else 0
        target = sizes[i]
        if target == -1:
            if d < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            target = size
        if target < 0:
            raise RuntimeError(
                f"The expanded size of the tensor ({target}) is not allowed: "
                "sizes must be >= 0 or -1"
            )
        if size != target:
            if size != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({target}) must match the existing size "
                    f"({size}) at non-singleton dimension {i}.  Target sizes: "
                    f"{_format_sizes(sizes)}.  Tensor sizes: {_format_sizes(src.sizes)}"
                )
            size, stride = target, 0
        new_sizes[i], new_strides[i] = size, stride
    return Layout(tuple(new_sizes), tuple(new_strides), src.offset)


def slice_bounds(size: int, start: int | None, stop: int | None) -> tuple[int, int]:
    """A slice's start and stop in a dim of ``size``: negatives wrap, then both clamp."""
    start = 0 if start is None else start
    stop = size if stop is None else stop
    if start < 0:
        start += size
    if stop < 0:
        stop += size
    start = min(max(start, 0), size)
    return start, min(max(stop, start), size)


def slice_dim(src: Layout, dim: int, start: int | None, stop: int | None, step: int) -> Layout:
    """PyTorch's ``slice``: bounds clamp to the dim, as in Python; the step must be positive."""
    if step <= 0:
        raise ValueError("step must be greater than zero")
    dim = wrap_dim(dim, src.ndim)
    start, stop = slice_bounds(src.sizes[dim], start, stop)
    sizes, strides = list(src.sizes), list(src.strides)
    sizes[dim] = (stop - start + step - 1) // step
    strides[dim] = src.strides[dim] * step
    return Layout(tuple(sizes), tuple(strides), src.offset + start * src.strides[dim])


def narrow(src: Layout, dim: int, start: int, length: int) -> Layout:
    if src.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    dim = wrap_dim(dim, src.ndim)
    size = src.sizes[dim]
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return slice_dim(src, dim, start, start + length, 1)


def select(src: Layout, dim: int, index: int) -> Layout:
    if src.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, src.ndim)
    size = src.sizes[dim]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {_format_sizes(src.sizes)} "
            f"at dimension {dim}"
        )
    index %= size
    return Layout(
        src.sizes[:dim] + src.sizes[dim + 1 :],
        src.strides[:dim] + src.strides[dim + 1 :],
        src.offset + index * src.strides[dim],
    )


def unsqueeze(src: Layout, dim: int) -> Layout:
    dim = wrap_dim(dim, src.ndim + 1)
    stride = 1 if dim >= src.ndim else src.sizes[dim] * src.strides[dim]
    return Layout(
        src.sizes[:dim] + (1,) + src.sizes[dim:],
        src.strides[:dim] + (stride,) + src.strides[dim:],
        src.offset,
    )


def squeeze(src: Layout, dims: Sequence[int] | None = None) -> Layout:
    """Drop size-1 dims: all of them, or those among ``dims`` (others are left alone)."""
    if dims is None:
        drop = {d for d, size in enumerate(src.sizes) if size == 1}
    else:
        wrapped = [wrap_dim(d, src.ndim) for d in dims]
        if len(set(wrapped)) != len(wrapped):
            raise RuntimeError(f"dim {wrapped[0]} appears multiple times in the list of dims")
        drop = {d for d in wrapped if src.ndim and src.sizes[d] == 1}
    keep = [d for d in range(src.ndim) if d not in drop]
    return Layout(
        tuple(src.sizes[d] for d in keep), tuple(src.strides[d] for d in keep), src.offset
    )


def unfold(src: Layout, dimension: int, size: int, step: int) -> Layout:
    """Windows of ``size`` elements every ``step`` along ``dimension``, as a new last dim."""
    dim = wrap_dim(dimension, src.ndim)
    max_size = src.sizes[dim] if src.ndim else 1
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if size > max_size:
        raise RuntimeError(
            f"maximum size for tensor at dimension {dim} is {max_size} but size is {size}"
        )
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    window_stride = src.strides[dim] if src.ndim else 1
    sizes, strides = list(src.sizes), list(src.strides)
    if src.ndim:
        sizes[dim] = (src.sizes[dim] - size) // step + 1
        strides[dim] = step * src.strides[dim]
    return Layout(tuple(sizes) + (size,), tuple(strides) + (window_stride,), src.offset)


def as_strided(
    src: Layout, storage_size: int, sizes: Sequence[int], strides: Sequence[int], offset: int | None
) -> Layout:
    """Any window on the storage, checked against the storage's bounds as PyTorch does."""
    sizes, strides = tuple(sizes), tuple(strides)
    offset = src.offset if offset is None else offset
    if len(sizes) != len(strides):
        raise RuntimeError(
            f"mismatch in length of strides and shape: {len(strides)} strides "
            f"for {len(sizes)} sizes"
        )
    if any(s < 0 for s in sizes):
        raise RuntimeError(f"as_strided: negative size in {_format_sizes(sizes)}")
    if any(s < 0 for s in strides):
        raise RuntimeError(
            "as_strided: Negative strides are not supported at the moment, "
            f"got strides: {_format_sizes(strides)}"
        )
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    needed = storage_span(sizes, strides, offset)
    if needed > storage_size:
        raise RuntimeError(
            f"setStorage: sizes {_format_sizes(sizes)}, strides {_format_sizes(strides)}, "
            f"storage offset {offset} requires a storage of {needed} elements, "
            f"which is out of bounds for a storage of {storage_size} elements"
        )
    return Layout(sizes, strides, offset)


def diagonal(src: Layout, offset: int, dim1: int, dim2: int) -> Layout:
    """The diagonal of dims ``dim1`` and ``dim2``, as a new last dim with stride ``s1 + s2``."""
    d1, d2 = wrap_dim(dim1, src.ndim), wrap_dim(dim2, src.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size1, size2 = src.sizes[d1], src.sizes[d2]
    if offset >= 0:
        diag_size = max(min(size1, size2 - offset), 0)
    else:
        diag_size = max(min(size1 + offset, size2), 0)
    start = src.offset
    if diag_size > 0:
        start += offset * src.strides[d2] if offset >= 0 else -offset * src.strides[d1]
    keep = [d for d in range(src.ndim) if d not in (d1, d2)]
    return Layout(
        tuple(src.sizes[d] for d in keep) + (diag_size,),
        tuple(src.strides[d] for d in keep) + (src.strides[d1] + src.strides[d2],),
        start,
    )
