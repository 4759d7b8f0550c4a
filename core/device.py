"""Devices with PyTorch's names: ``core.device("cpu")``."""

from __future__ import annotations

from typing import ClassVar


class device:  # noqa: N801 - named like torch.device so pasted code reads the same
    """Where a tensor's storage lives: ``"cpu"`` (NumPy) or ``"cuda"`` (CuPy, when present).

    Devices are interned immutable values: ``core.device("cpu") is core.device("cpu")``,
    so the engine compares them with ``is``.
    """

    __slots__ = ("type", "index")
    _interned: ClassVar[dict[tuple[str, int | None], device]] = {}

    type: str
    index: int | None

    def __new__(cls, spec: str | device, index: int | None = None) -> device:
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
        key = (kind, parsed_index if index is None else index)
        found = cls._interned.get(key)
        if found is None:
            found = object.__new__(cls)
            object.__setattr__(found, "type", key[0])
            object.__setattr__(found, "index", key[1])
            cls._interned[key] = found
        return found

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("core.device is immutable")

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return device, (str(self),)

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


CPU = device("cpu")
CUDA = device("cuda", 0)


def to_device(spec: str | device | int | None) -> device:
    """The device a tensor made with ``device=spec`` lives on; None means the CPU.

    As in PyTorch, a tensor's device is concrete: ``"cuda"`` means the current CUDA
    device, which is always device 0 here (the engine has no ``set_device``), so
    ``core.zeros(2, device="cuda").device`` is ``device(type='cuda', index=0)``. A CPU
    tensor's device has no index (``"cpu:0"`` gives ``device(type='cpu')``). A bare int
    is a CUDA device index, as in PyTorch.
    """
    if spec is None:
        return CPU
    if isinstance(spec, int) and not isinstance(spec, bool):
        if spec < 0:
            raise RuntimeError("Device index must not be negative")
        return device("cuda", spec)
    where = spec if isinstance(spec, device) else device(spec)
    if where.type == "cpu":
        return CPU
    return CUDA if where.index is None else where
