"""A tensor's layout facts as label/value rows, spelled as a user would type them in PyTorch.

No Qt here: the inspector shows these rows, and tests compare them with torch's own values.
"""

from __future__ import annotations

from collections.abc import Mapping

import core

OWNS_STORAGE = "— (owns its storage)"


def facts(tensor: core.Tensor, name_of_base: str | None) -> list[tuple[str, str]]:
    """Label/value rows for ``tensor``: shape, strides, offset, sizes in bytes, identity.

    Parameters
    ----------
    tensor
        The tensor to describe.
    name_of_base
        The named tensor over the same storage that came first (see :func:`first_owner`),
        or None when ``tensor`` itself is the first, so it owns its storage.
    """
    storage = tensor.untyped_storage()
    return [
        # torch.Size prints as torch.Size([3, 4]); the tuple is what people type and compare.
        ("shape", str(tuple(tensor.shape))),
        ("stride()", str(tensor.stride())),
        ("storage_offset()", str(tensor.storage_offset())),
        ("is_contiguous()", str(tensor.is_contiguous())),
        ("numel()", str(tensor.numel())),
        ("element_size()", _bytes(tensor.element_size())),
        ("nbytes", _bytes(tensor.nbytes)),
        (
            "untyped_storage().nbytes()",
            f"{_bytes(storage.nbytes())} ({_elements(storage.element_count)})",
        ),
        ("dtype", str(tensor.dtype)),
        ("device", str(tensor.device)),
        ("data_ptr()", hex(tensor.data_ptr())),
        ("_version", str(tensor._version)),
        ("view of", OWNS_STORAGE if name_of_base is None else name_of_base),
    ]


def first_owner(tensor: core.Tensor, named: Mapping[str, core.Tensor]) -> str | None:
    """The first name in ``named`` over ``tensor``'s storage, or None when ``tensor`` is that first.

    ``named`` is in creation order (``Session.tensors()``), so the first tensor over a
    storage is the one that made it; every later one is a view of it.
    """
    storage = tensor.untyped_storage()
    for name, other in named.items():
        if other is tensor:
            return None
        if other.untyped_storage() is storage:
            return name
    return None


def storage_summary(tensor: core.Tensor) -> str:
    """One line about ``tensor``'s storage: ``12 × int64 · 96 bytes · 0x55d2…``."""
    storage = tensor.untyped_storage()
    return (
        f"{storage.element_count} × {storage.dtype.name} · {_bytes(storage.nbytes())}"
        f" · {hex(storage.data_ptr())}"
    )


def _bytes(count: int) -> str:
    return f"{count} byte" if count == 1 else f"{count} bytes"


def _elements(count: int) -> str:
    return f"{count} element" if count == 1 else f"{count} elements"
