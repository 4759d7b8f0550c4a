"""Devices with PyTorch's names: ``core.device("cpu")``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class device:  # noqa: N801 - named like torch.device so pasted code reads the same
    """Where a tensor's storage lives: ``"cpu"`` (NumPy) or ``"cuda"`` (CuPy, when present)."""

    type: str
    index: int | None = None

    def __init__(self, spec: str | device, index: int | None = None) -> None:
        if isinstance(spec, device):
            kind, parsed_index = spec.type, spec.index
        elif isinstance(spec, str):
            kind, _, number = spec.partition(":")
            parsed_index = int(number) if number.isdigit() else None
            if number and parsed_index is None:
                raise RuntimeError(f"Invalid device string: '{spec}'")
        else:
            raise TypeError(f"device must be a string such as 'cpu', not {type(spec).__name__}")
        if kind not in ("cpu", "cuda"):
            raise RuntimeError(
                f"Expected one of cpu, cuda device type at start of device string: {spec}"
            )
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "index", parsed_index if index is None else index)

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


_CANONICAL: dict[tuple[str, int | None], device] = {}


def canonical(where: device) -> device:
    """One shared instance per device, so storages on one device compare with ``is``."""
    return _CANONICAL.setdefault((where.type, where.index), where)


CPU = canonical(device("cpu"))


def to_device(spec: str | device | None) -> device:
    """Normalise a ``device=`` argument; None means the CPU."""
    return CPU if spec is None else canonical(device(spec))
