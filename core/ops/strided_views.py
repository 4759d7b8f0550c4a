"""Views whose elements may read one storage element several times: unfold and as_strided.

Their gradient adds each view element's gradient into the storage element it reads
(``as_strided_backward``). The same rule gives a view its regenerated history after
its base was written in place (PyTorch's ``AsStridedBackward0``).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from core import dtypes, layout, views
from core.autograd.record import make_node, record
from core.layout import Layout
from core.memory import check_allocation
from core.ops.arguments import as_int, parse_shape
from core.ops.views import view_of
from core.tensor import Tensor


def unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
    dimension, size, step = (
        as_int(dimension, "dimension"),
        as_int(size, "size"),
        as_int(step, "step"),
    )
    result = view_of(self, views.unfold(self._layout, dimension, size, step))
    # The gradient adds up windows over the input's elements, not over its storage (an
    # expanded input has fewer storage elements than elements).
    logical = layout.contiguous_layout(self._layout.sizes)
    windows = views.unfold(logical, dimension, size, step)
    return record(
        result,
        "UnfoldBackward0",
        (self,),
        lambda grad, saved: (as_strided_backward(grad, logical, windows),),
        {"self_sym_sizes": logical.sizes, "dimension": dimension, "size": size, "step": step},
        "grad_self[i] = sum of grad over the windows that hold element i",
    )


def as_strided_backward(grad: Tensor, input_layout: Layout, view_layout: Layout) -> Tensor:
    """PyTorch's as_strided_backward: scatter-add ``grad`` into storage, read it as the input.

    Where the input reads one storage element several times (an expanded input), the sum
    is shared equally among those reads, as PyTorch does.
    """
    span = max(
        layout.storage_span(input_layout.sizes, input_layout.strides, input_layout.offset),
        layout.storage_span(view_layout.sizes, view_layout.strides, view_layout.offset),
    )
    storage = grad.new_zeros(span)
    view_indices = _index_tensor(grad, view_layout)
    storage.index_put_((view_indices.reshape(-1),), grad.reshape(-1), accumulate=True)
    input_indices = _index_tensor(grad, input_layout)
    result = storage[input_indices]
    if layout.has_internal_overlap(input_layout.sizes, input_layout.strides):
        counts = grad.new_zeros(span)
        counts.index_put_((input_indices.reshape(-1),), grad.new_ones(()), accumulate=True)
        result = result / counts[input_indices]
    return result


def _index_tensor(like: Tensor, where: Layout) -> Tensor:
    from core.ops.factories import from_numpy

    check_allocation(where.numel, dtypes.int64)
    indices = layout.storage_indices(where.sizes, where.strides, where.offset)
    return from_numpy(indices).to(like.device)


def regenerate_view_history(view: Tensor) -> None:
    """PyTorch's regenerated grad_fn of a view whose data changed in place since it was made.

    The view's gradient then goes to its base through ``AsStridedBackward0`` (the view's
    geometry in the base's storage), so it follows whatever history the base has now.
    """
    base = view._base
    view._grad_fn_version = view._storage.version
    if view._grad_fn is None and not base.requires_grad:
        return
    base_layout, view_layout = base._layout, view._layout
    node = make_node(
        "AsStridedBackward0",
        (base,),
        lambda grad, saved: (as_strided_backward(grad, base_layout, view_layout),),
        {"size": view_layout.sizes, "stride": view_layout.strides},
        "grad_base[i] = sum of grad over the view elements that read element i",
    )
    node.output_metadata = ((view_layout.sizes, view.dtype, view.device),)
    if view._retains_grad:
        view._grad_fn.retained.pop(view._output_nr, None)
        node.retained[0] = weakref.ref(view)
    view._grad_fn = node
    view._output_nr = 0


def as_strided(
    self: Tensor, size: Sequence[int], stride: Sequence[int], storage_offset: int | None = None
) -> Tensor:
    new_layout = views.as_strided(
        self._layout,
        self._storage.element_count,
        parse_shape([size]),
        parse_shape([stride], "stride"),
        storage_offset,
    )
    input_layout = self._layout
    return record(
        view_of(self, new_layout),
        "AsStridedBackward0",
        (self,),
        lambda grad, saved: (as_strided_backward(grad, input_layout, new_layout),),
        {"self_sym_sizes": input_layout.sizes},
        "grad_self[i] = sum of grad over the view elements that read storage element i",
    )
