"""Named result pairs such as ``core.return_types.max(values=..., indices=...)``, as in PyTorch."""

from __future__ import annotations

from typing import Any, NamedTuple


class _ValuesIndices(NamedTuple):
    values: Any
    indices: Any


def _pair_type(name: str) -> type:
    def __repr__(self: Any) -> str:  # noqa: N807 - set as the class's repr
        return f"core.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"

    return type(name, (_ValuesIndices,), {"__repr__": __repr__, "__slots__": ()})


max = _pair_type("max")  # noqa: A001 - PyTorch's names
min = _pair_type("min")  # noqa: A001
