"""Memory formats with PyTorch's names, as accepted by ``clone``, ``contiguous`` and ``*_like``."""

from __future__ import annotations


class memory_format:  # noqa: N801 - named like torch.memory_format
    """A requested layout for a new tensor."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"core.{self.name}"


preserve_format = memory_format("preserve_format")
contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
