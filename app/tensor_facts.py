"""A tensor's layout facts as label/value rows, spelled as a user would type them in PyTorch.

No Qt here: the inspector shows these rows, and tests compare them with torch's own values.
"""

from __future__ import annotations

from collections.abc import Mapping

import core
from app.i18n import QT_TRANSLATE_NOOP, translate

OWNS_STORAGE = QT_TRANSLATE_NOOP("TensorFacts", "— (owns its storage)")


def facts(tensor: core.Tensor, name_of_base: str) -> list[tuple[str, str]]:
    """Label/value rows for ``tensor``: shape, strides, offset, sizes in bytes, identity.

    Labels are PyTorch's names, which stay as they are in every language; only the
    "view of" label and the values' words are translated.

    Parameters
    ----------
    tensor
        The tensor to describe.
    name_of_base
        The "view of" value: :func:`base_text` of :func:`first_owner`.
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
        (translate("TensorFacts", "view of"), name_of_base),
    ]


def first_owner(
    name: str | None, tensor: core.Tensor, named: Mapping[str, core.Tensor]
) -> tuple[str | None, bool]:
    """The first other name in ``named`` over ``tensor``'s storage, and whether it is ``tensor``.

    ``named`` is in creation order (``Session.tensors()``), so the first tensor over a
    storage is the one that made it; every later one is a view of it, or the very same
    tensor under another name (``z = x.contiguous()`` gives ``x`` itself back). ``(None,
    False)`` when ``tensor`` owns its storage.
    """
    storage = tensor.untyped_storage()
    for other_name, other in named.items():
        if other_name == name:
            return None, False
        if other is tensor:
            return other_name, True
        if other.untyped_storage() is storage:
            return other_name, False
    return None, False


def base_text(owner: str | None, same_tensor: bool) -> str:
    """The inspector's "view of" value for :func:`first_owner`'s answer."""
    if owner is None:
        return translate("TensorFacts", OWNS_STORAGE)
    if same_tensor:
        return translate("TensorFacts", "{owner} (the same tensor)").format(owner=owner)
    return owner


def storage_summary(tensor: core.Tensor) -> str:
    """One line about ``tensor``'s storage: ``12 × int64 · 96 bytes · 0x55d2…``."""
    storage = tensor.untyped_storage()
    return (
        f"{storage.element_count} × {storage.dtype.name} · {_bytes(storage.nbytes())}"
        f" · {hex(storage.data_ptr())}"
    )


def _bytes(count: int) -> str:
    if count == 1:
        return translate("TensorFacts", "{count} byte").format(count=count)
    return translate("TensorFacts", "{count} bytes").format(count=count)


def _elements(count: int) -> str:
    if count == 1:
        return translate("TensorFacts", "{count} element").format(count=count)
    return translate("TensorFacts", "{count} elements").format(count=count)
