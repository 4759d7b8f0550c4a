"""The Tensor: a window (sizes, strides, offset) on a flat Storage.

This module holds the tensor's metadata and conversions. Operations live in
``core.ops`` and are attached as methods in ``core.tensor_methods``, so that
``t.view(...)`` and ``core.reshape(t, ...)`` share one implementation.
"""

from __future__ import annotations

import math
import warnings
import weakref
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from core import layout
from core.backends import backend_for
from core.device import device
from core.dtypes import c_type_name, dtype, int64, scalar_type_name
from core.formatting import tensor_repr
from core.layout import Layout
from core.memory import ALLOCATION_LIMIT, check_allocation
from core.memory_format import channels_last
from core.storage import Storage

if TYPE_CHECKING:
    from core.autograd.node import Node

NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead."
)


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints as ``core.Size([3, 4])``."""

    def __repr__(self) -> str:
        return f"core.Size({list(self)})"

    def numel(self) -> int:
        return math.prod(self)

    def __getitem__(self, index: Any) -> Any:
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other: Any) -> Size:
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other: Any) -> Size:
        return Size(tuple(other) + tuple(self))

    def __mul__(self, count: Any) -> Size:
        return Size(tuple(self) * count)

    __rmul__ = __mul__


class Tensor:
    """A strided view on a Storage, with PyTorch's metadata API."""

    __slots__ = (
        "_storage",
        "_layout",
        "_base",
        "_array",
        "_requires_grad",
        "_grad",
        "_grad_fn",
        "_output_nr",
        "_grad_fn_version",
        "_retains_grad",
        "_grad_accumulator",
        "__weakref__",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            "create tensors with core.tensor(data), core.zeros(shape), core.arange(n), ..."
        )

    @classmethod
    def _make(cls, storage: Storage, view_layout: Layout, base: Tensor | None = None) -> Tensor:
        """A tensor over ``storage``; ``base`` is the tensor a view was made from."""
        tensor = object.__new__(cls)
        tensor._storage = storage
        tensor._layout = view_layout
        tensor._base = None if base is None else (base if base._base is None else base._base)
        tensor._array = None
        tensor._requires_grad = False
        tensor._grad = None
        tensor._grad_fn = None
        tensor._output_nr = 0
        tensor._grad_fn_version = None
        tensor._retains_grad = False
        tensor._grad_accumulator = None
        return tensor

    # -- metadata -------------------------------------------------------------------

    @property
    def shape(self) -> Size:
        return Size(self._layout.sizes)

    def size(self, dim: int | None = None) -> Size | int:
        if dim is None:
            return self.shape
        return (
            self._layout.sizes[layout.wrap_dim(dim, self.dim())] if self.dim() else _scalar_dim(dim)
        )

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        if dim is None:
            return self._layout.strides
        return (
            self._layout.strides[layout.wrap_dim(dim, self.dim())]
            if self.dim()
            else _scalar_dim(dim)
        )

    def storage_offset(self) -> int:
        return self._layout.offset

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """Row-major contiguity (PyTorch's rule), or NHWC contiguity for ``core.channels_last``."""
        if memory_format is channels_last:
            return layout.is_channels_last_contiguous(self._layout.sizes, self._layout.strides)
        return self._layout.contiguous

    def numel(self) -> int:
        return self._layout.numel

    def nelement(self) -> int:
        return self._layout.numel

    def dim(self) -> int:
        return len(self._layout.sizes)

    ndimension = dim

    @property
    def ndim(self) -> int:
        return len(self._layout.sizes)

    @property
    def dtype(self) -> dtype:
        return self._storage.dtype

    @property
    def device(self) -> device:
        return self._storage.device

    @property
    def is_cuda(self) -> bool:
        return self._storage.device.type == "cuda"

    def element_size(self) -> int:
        return self._storage.dtype.itemsize

    @property
    def itemsize(self) -> int:
        return self._storage.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self._layout.numel * self._storage.dtype.itemsize

    def is_floating_point(self) -> bool:
        return self._storage.dtype.is_floating_point

    def untyped_storage(self) -> Storage:
        return self._storage

    def data_ptr(self) -> int:
        """Address of element 0: the storage's address plus the offset in bytes."""
        if self._storage.element_count == 0:
            return 0
        return self._storage.data_ptr() + self._layout.offset * self.element_size()

    @property
    def _version(self) -> int:
        return self._storage.version

    # -- autograd fields -------------------------------------------------------------

    @property
    def grad_fn(self) -> Node | None:
        """The node that made this tensor (None for leaves).

        A view whose base was written in place since gets PyTorch's regenerated history:
        ``AsStridedBackward0`` from the base.
        """
        version = self._grad_fn_version
        if version is not None and version != self._storage.version:
            from core.ops.strided_views import regenerate_view_history  # ops import this module

            regenerate_view_history(self)
        return self._grad_fn

    @property
    def requires_grad(self) -> bool:
        """True for a leaf marked so, a result of recorded ops, and a view of either."""
        if self._requires_grad or self.grad_fn is not None:
            return True
        base = self._base
        return base is not None and base.requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None:
            message = "you can only change requires_grad flags of leaf variables."
            if not value:
                message += (
                    " If you want to use a computed variable in a subgraph that doesn't require "
                    "differentiation use var_no_grad = var.detach()."
                )
            raise RuntimeError(message)
        if value and not self._storage.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not (requires_grad and self.grad_fn is not None):  # a result already requires grad
            self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def output_nr(self) -> int:
        return self._output_nr

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by backward: leaves, and tensors that called retain_grad()."""
        if self._grad is None and not self._retains_grad and self.grad_fn is not None:
            warnings.warn(NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size"
                )
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype "
                    f"'{c_type_name(value.dtype)}' to a tensor with grad_dtype "
                    f"'{scalar_type_name(self.dtype)}'. The gradient must match the tensor's "
                    "dtype: convert it first, e.g. grad.to(tensor.dtype)"
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` during backward (leaves always do)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        self.grad_fn.retained[self._output_nr] = weakref.ref(self)

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place: it becomes a leaf that does not require grad."""
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    def _is_view(self) -> bool:
        return self._base is not None

    # -- values ---------------------------------------------------------------------

    def _values(self) -> Any:
        """The backend array over this tensor's window of storage (a view, cached)."""
        if self._array is None:
            view_layout = self._layout
            self._array = self._storage.backend.window(
                self._storage.buffer, view_layout.sizes, view_layout.strides, view_layout.offset
            )
        return self._array

    def _host_values(self) -> np.ndarray:
        """The values as a NumPy array: the window itself on the CPU, a copy from a GPU."""
        return self._storage.backend.to_host(self._values())

    def _values_on(self, where: device) -> Any:
        """The values for work on ``where``: the window when this tensor lives there, else
        a C-contiguous copy moved there (host to device, device to host)."""
        if self._storage.device is where:
            return self._values()
        host = self._host_values()  # a fresh copy: this tensor is on a GPU, or ``where`` is
        return host if where.type == "cpu" else backend_for(where).from_host(host)

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """A NumPy array sharing this tensor's memory, as in PyTorch.

        ``force=True`` is PyTorch's ``detach().cpu().numpy()``: a copy from a GPU, the
        memory itself on the CPU.
        """
        if force:
            return self._host_values()
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        if self.device.type != "cpu":
            raise TypeError(
                f"can't convert {self.device} device type tensor to numpy. "
                "Use Tensor.cpu() to copy the tensor to host memory first."
            )
        return self._values()

    def tolist(self) -> Any:
        return self._host_values().tolist()

    def item(self) -> bool | int | float:
        if self.numel() != 1:
            raise RuntimeError(
                f"a Tensor with {self.numel()} elements cannot be converted to Scalar"
            )
        return self._host_values().reshape(()).item()

    def __bool__(self) -> bool:
        if self.numel() != 1:
            amount = "no values" if self.numel() == 0 else "more than one value"
            raise RuntimeError(
                f"Boolean value of Tensor with {amount} is ambiguous: "
                "use .any() or .all(), or compare a single element"
            )
        return bool(self.item())

    def _python_scalar(self) -> bool | int | float:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __int__(self) -> int:
        return int(self._python_scalar())

    def __float__(self) -> float:
        return float(self._python_scalar())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __len__(self) -> int:
        if self.dim() == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._layout.sizes[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self.dim() == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    __hash__ = object.__hash__

    # NumPy defers to the tensor's own operators (``np.float64(2) * t`` is a tensor),
    # and turns a tensor into an array through its values, as it does with PyTorch's.
    __array_priority__ = 1000

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        values = self.numpy()
        return values if dtype is None else values.astype(dtype, copy=False)

    def __format__(self, spec: str) -> str:
        """A 0-d tensor formats as its number (``f"{t:.2f}"``); others as their repr."""
        if self.dim() == 0:
            return format(self.item(), spec)
        return object.__format__(self, spec)

    def __repr__(self) -> str:
        grad_fn = self.grad_fn
        return tensor_repr(
            self._host_values(),
            self.dtype.name,
            device=str(self.device),
            requires_grad=self.requires_grad and grad_fn is None,
            grad_fn_name=None if grad_fn is None else type(grad_fn).__name__,
        )

    # -- what the visualizer asks --------------------------------------------------

    def storage_indices(self) -> np.ndarray:
        """Each element's storage index (int64, shaped like the tensor), without Python loops."""
        view_layout = self._layout
        check_allocation(view_layout.numel, int64)  # one per element, even of a broadcast view
        return layout.storage_indices(view_layout.sizes, view_layout.strides, view_layout.offset)

    def logical_indices_of(self, storage_index: int, limit: int | None = None) -> np.ndarray:
        """Every logical index that reads storage element ``storage_index``, shape (k, ndim).

        With ``limit``, at most that many (a sample; :meth:`reader_count` counts them all).
        """
        view_layout = self._layout
        return layout.logical_indices_of(
            view_layout.sizes, view_layout.strides, view_layout.offset, int(storage_index), limit
        )

    def reader_count(self, storage_index: int) -> int:
        """How many logical elements read storage element ``storage_index``."""
        view_layout = self._layout
        return layout.reader_count(
            view_layout.sizes, view_layout.strides, view_layout.offset, int(storage_index)
        )

    def _checked_index(self, index: Sequence[int]) -> tuple[int, ...]:
        index = tuple(int(i) for i in index)
        if len(index) != self.dim():
            raise IndexError(
                f"expected an index of {self.dim()} ints for a {self.dim()}-d tensor, "
                f"got {len(index)}"
            )
        wrapped = []
        for d, (i, size) in enumerate(zip(index, self._layout.sizes, strict=True)):
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {d} with size {size}")
            wrapped.append(i % size)
        return tuple(wrapped)

    def address_formula(self, index: Sequence[int]) -> str:
        """How element ``index`` finds its storage element: ``"0 + 1·1 + 2·4 = 9"``."""
        terms, storage_index = layout.address_terms(
            self._layout.strides, self._layout.offset, self._checked_index(index)
        )
        return f"{terms} = {storage_index}"

    def byte_address(self, index: Sequence[int]) -> int:
        """Memory address of element ``index``: storage address + storage index × element size."""
        _, storage_index = layout.address_terms(
            self._layout.strides, self._layout.offset, self._checked_index(index)
        )
        return self._storage.data_ptr() + storage_index * self.element_size()

    def is_view_of(self, other: Tensor) -> bool:
        """True when both tensors read the same storage."""
        return self._storage is other._storage


def _scalar_dim(dim: int) -> int:
    """size(dim) and stride(dim) of a 0-d tensor: an IndexError, as in PyTorch."""
    raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")


def tensor_over(values: Any, where: device, element_type: dtype) -> Tensor:
    """A contiguous tensor over new storage holding ``values`` (an array no one else holds)."""
    tensor = Tensor._make(
        Storage(values, element_type, where), layout.contiguous_layout(values.shape)
    )
    tensor._array = values
    return tensor


def empty_tensor(
    sizes: Sequence[int], strides: Sequence[int], where: device, element_type: dtype
) -> Tensor:
    """An uninitialised tensor with these exact sizes and strides, over just enough storage."""
    sizes, strides = tuple(sizes), tuple(strides)
    span = layout.storage_span(sizes, strides, 0)
    if ALLOCATION_LIMIT.get() is not None:  # tested here: the hot path makes no call
        check_allocation(span, element_type)
    buffer = backend_for(where).empty(span, element_type.numpy_dtype)
    contiguous = layout.contiguous_layout(sizes)
    window = contiguous if contiguous.strides == strides else Layout(sizes, strides, 0)
    return Tensor._make(Storage(buffer, element_type, where), window)
