"""What a hover lights up: a logical element and the storage element it reads, or the reverse.

No Qt here: the session builds these values, the memory views draw them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

import core
from app.i18n import translate
from core.layout import address_terms

READERS_LISTED = 2000
"""At most this many readers of a hovered storage element are listed (outlined) one by one."""


@dataclass(frozen=True, eq=False)
class Highlight:
    """What a hover lights up in the current tensor.

    ``logical`` holds highlighted logical indices (k, ndim), ``storage`` the storage
    indices (m,). Hovering a logical element gives one of each; hovering a storage element
    gives the logical elements that read it (none when the tensor cannot reach it):
    ``reader_count`` of them in all, of which ``logical`` lists at most
    :data:`READERS_LISTED` (a broadcast view can have billions).
    """

    origin: Literal["logical", "storage"]
    logical: np.ndarray
    storage: np.ndarray
    formula: str
    byte_address: int | None
    reader_count: int

    def lights_the_same(self, other: Highlight) -> bool:
        """True when ``other`` comes from the same element, hovered from the same side."""
        return (
            self.origin == other.origin
            and np.array_equal(self.logical, other.logical)
            and np.array_equal(self.storage, other.storage)
        )

    @property
    def lists_every_reader(self) -> bool:
        """True when ``logical`` holds every element that reads the highlighted storage."""
        return len(self.logical) == self.reader_count


def logical_highlight(tensor: core.Tensor, index: tuple[int, ...]) -> Highlight:
    """Logical element ``index`` of ``tensor`` and the storage element it reads."""
    terms, storage_index = address_terms(tensor.stride(), tensor.storage_offset(), index)
    return Highlight(
        "logical",
        np.array([index], dtype=np.int64).reshape(1, tensor.dim()),
        np.array([storage_index], dtype=np.int64),
        f"{terms} = {storage_index}",
        tensor.byte_address(index),
        1,
    )


def storage_highlight(tensor: core.Tensor, storage_index: int) -> Highlight:
    """Storage element ``storage_index`` and the elements of ``tensor`` that read it."""
    count = tensor.reader_count(storage_index)
    if count == 1:
        formula = translate("Highlight", "storage[{index}] is read by {count} element")
    else:
        formula = translate("Highlight", "storage[{index}] is read by {count} elements")
    return Highlight(
        "storage",
        tensor.logical_indices_of(storage_index, limit=READERS_LISTED),
        np.array([storage_index], dtype=np.int64),
        formula.format(index=storage_index, count=f"{count:,}"),
        tensor.untyped_storage().data_ptr() + storage_index * tensor.element_size(),
        count,
    )
