"""The timing experiments: what each one computes, on which layouts, and how much it moves.

Each experiment builds a :class:`Case` per (layout, size): the work to time (``core``
tensors and ops, as the app teaches them), a NumPy reference for the same inputs, and
the bytes moved or flops done per call, from which throughput is derived. Inputs are
float32 (4 bytes per element), drawn on the host from a fixed seed and copied to the
device being timed before timing, so every device computes on the same values.

What is timed is the call as a user writes it, on every device alike: ``a + b``
includes allocating its result (from NumPy's allocator on the CPU, from CuPy's memory
pool on a GPU, which after the warm-up hands back the block the last call freed) and
the engine's Python dispatch. Building the inputs is never timed.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from core.device import device
from core.dtypes import float32
from core.ops.linalg import matmul
from core.ops.random_sampling import randn
from core.random import Generator
from core.tensor import Tensor

SEED = 0
GIGABYTES = "GB/s"
GIGAFLOPS = "GFLOP/s"


@dataclass(frozen=True)
class Case:
    """One measurement's work on ``inputs``: ``work()`` gives what ``reference()`` computes.

    ``inputs`` live on the device being timed (a host-to-device copy's input lives on
    the host). ``reference`` computes the same result in NumPy from host copies of the
    inputs, for tests: compare it with ``work().cpu().numpy()``.

    ``amount`` is bytes moved (unit GB/s) or flops done (unit GFLOP/s) per call; 0 for a
    call that does no work (``contiguous()`` of a contiguous tensor), which then has no
    throughput.
    """

    inputs: tuple[Tensor, ...]
    work: Callable[[], Tensor]
    reference: Callable[[], np.ndarray]
    amount: float
    unit: str


@dataclass(frozen=True)
class Experiment:
    """A sweep: one :class:`Case` per layout and size, on the devices it can run on.

    ``size`` is counted in elements, except for a ``square`` experiment (matmul) where
    it is the side n of n×n matrices. ``needs_device_type`` names the device type the
    experiment needs besides the host (None: it runs on any device).
    """

    name: str
    description: str
    layouts: tuple[str, ...]
    build: Callable[[str, int, device], Case]
    needs_device_type: str | None = None
    square: bool = False

    @property
    def size_name(self) -> str:
        """What ``size`` counts: ``n`` (the side of n×n matrices) or ``elements``."""
        return "n" if self.square else "elements"

    def elements(self, size: int) -> int:
        """The number of elements in one input of ``size``."""
        return size * size if self.square else size


def square_ish(elements: int) -> tuple[int, int]:
    """The 2-D shape (rows, cols) of ``elements`` closest to square, rows <= cols."""
    rows = math.isqrt(elements)
    while elements % rows:
        rows -= 1
    return rows, elements // rows


def _random(*sizes: int, seed: int = SEED) -> Tensor:
    """A contiguous float32 tensor of ``sizes`` on the host, from the generator seeded ``seed``."""
    # dtype given: a sweep in a worker thread must not follow the session's default dtype.
    return randn(*sizes, dtype=float32, generator=Generator().manual_seed(seed))


def _random_on(rows: int, cols: int, where: device, seed: int, transposed: bool = False) -> Tensor:
    """A (rows, cols) float32 tensor on ``where``; ``transposed``: the ``.t()`` view of a
    (cols, rows) one. Drawn on the host (CPU generators draw there), then copied."""
    if transposed:
        return _random(cols, rows, seed=seed).to(where).t()
    return _random(rows, cols, seed=seed).to(where)


def _host(tensor: Tensor) -> np.ndarray:
    """``tensor``'s values as a NumPy array, copied to the host when it lives elsewhere."""
    return tensor.cpu().numpy()


def build_add(layout: str, size: int, where: device) -> Case:
    """``a + b`` on (rows, cols) float32: reads a and b, writes the sum: 3 × n × 4 bytes.

    ``contiguous``: both operands contiguous. ``transposed``: b is the ``.t()`` view of a
    (cols, rows) tensor, so walking a and the result in storage order reads b a row of
    b's storage apart at each step: every element costs a new cache line and the
    prefetcher cannot help. (With both operands transposed the engine, like PyTorch,
    walks them in storage order and it is as fast as contiguous.)
    """
    rows, cols = square_ish(size)
    a = _random_on(rows, cols, where, SEED)
    b = _random_on(rows, cols, where, SEED + 1, transposed=layout == "transposed")
    return Case(
        inputs=(a, b),
        work=lambda: a + b,
        reference=lambda: np.add(_host(a), _host(b)),
        amount=3 * size * a.element_size(),
        unit=GIGABYTES,
    )


def build_matmul(layout: str, size: int, where: device) -> Case:
    """``a @ b`` of n×n float32 matrices: n multiply-adds per output element: 2 × n³ flops."""
    a = _random_on(size, size, where, SEED)
    b = _random_on(size, size, where, SEED + 1)
    return Case(
        inputs=(a, b),
        work=lambda: matmul(a, b),
        reference=lambda: np.matmul(_host(a), _host(b)),
        amount=2 * size**3,
        unit=GIGAFLOPS,
    )


def build_contiguous(layout: str, size: int, where: device) -> Case:
    """``x.contiguous()``: a copy reading and writing every element: 2 × n × 4 bytes.

    ``transposed``: x is a ``.t()`` view, so ``contiguous()`` copies it into row-major
    order, reading across strides. ``contiguous``: x is already contiguous, and
    ``contiguous()`` returns x itself: 0 bytes, no throughput, just the call's overhead.
    """
    rows, cols = square_ish(size)
    x = _random_on(rows, cols, where, SEED, transposed=layout == "transposed")
    return Case(
        inputs=(x,),
        work=x.contiguous,
        reference=lambda: np.ascontiguousarray(_host(x)),
        amount=2 * size * x.element_size() if layout == "transposed" else 0,
        unit=GIGABYTES,
    )


def build_sum(layout: str, size: int, where: device) -> Case:
    """``x.sum(dim)`` of a contiguous (rows, cols) float32 tensor: reads n × 4 bytes.

    ``contiguous dim``: dim 1, stride 1, each output sums neighbours in memory.
    ``strided dim``: dim 0, stride cols, each output sums elements a row apart; a
    reduction can still walk memory in order by adding whole rows at once, which NumPy
    does (vectorised), so unlike ``add`` the strided dim is not slower, and can be faster.
    """
    rows, cols = square_ish(size)
    x = _random_on(rows, cols, where, SEED)
    dim = 1 if layout == "contiguous dim" else 0
    return Case(
        inputs=(x,),
        work=lambda: x.sum(dim),
        reference=lambda: np.sum(_host(x), axis=dim),
        amount=size * x.element_size(),
        unit=GIGABYTES,
    )


def build_transfer(layout: str, size: int, where: device) -> Case:
    """Copying n float32 elements between host memory and ``where``: n × 4 bytes per call.

    ``host to device``: ``x.to(where)`` of a contiguous 1-D host tensor. ``device to
    host``: ``x.cpu()`` of one on ``where``. Both are the engine's own copies, so the time
    includes whatever they do besides the transfer (allocating the result). The host
    side is NumPy's ordinary (pageable) memory, which the CUDA driver stages through a
    pinned buffer: expect less than the link's peak bandwidth.

    Raises
    ------
    RuntimeError
        When ``where`` is the CPU: a copy from the host to itself is not a transfer.
    """
    if where.type == "cpu":
        raise RuntimeError(
            "the transfer experiment times copies between the host and a cuda device, "
            f"not '{where}'"
        )
    host = _random(size)
    if layout == "host to device":
        source, work = host, lambda: host.to(where)
    else:
        source = host.to(where)
        work = source.cpu
    return Case(
        inputs=(source,),
        work=work,
        reference=host.numpy,
        amount=size * host.element_size(),
        unit=GIGABYTES,
    )


EXPERIMENTS: Mapping[str, Experiment] = {
    experiment.name: experiment
    for experiment in (
        Experiment(
            "add", "a + b, contiguous against transposed b", ("contiguous", "transposed"), build_add
        ),
        Experiment("matmul", "a @ b of n×n matrices", ("contiguous",), build_matmul, square=True),
        Experiment(
            "contiguous",
            "x.contiguous() of a transposed and of a contiguous x",
            ("transposed", "contiguous"),
            build_contiguous,
        ),
        Experiment(
            "transfer",
            "host-to-device and device-to-host copies",
            ("host to device", "device to host"),
            build_transfer,
            needs_device_type="cuda",
        ),
        Experiment(
            "sum",
            "x.sum(dim) along the contiguous and the strided dim",
            ("contiguous dim", "strided dim"),
            build_sum,
        ),
    )
}


@dataclass(frozen=True)
class Preset:
    """Sizes per experiment, and how many untimed warm-up and timed runs per measurement."""

    name: str
    sizes: Mapping[str, tuple[int, ...]]
    warmup: int
    repeats: int

    def sizes_for(self, experiment: str) -> tuple[int, ...]:
        """The sizes swept for ``experiment`` (none when the preset leaves it out)."""
        return self.sizes.get(experiment, ())

    def within(self, smallest: int, largest: int) -> Preset:
        """This preset keeping only the sizes whose inputs have ``smallest`` to ``largest``
        elements (a matmul of n×n matrices counts n² elements)."""
        return dataclasses.replace(
            self,
            sizes={
                name: tuple(
                    size
                    for size in sizes
                    if smallest <= EXPERIMENTS[name].elements(size) <= largest
                )
                for name, sizes in self.sizes.items()
            },
        )


_QUICK_ELEMENTS = (2**10, 2**14, 2**18)
_FULL_ELEMENTS = tuple(2**power for power in range(10, 25, 2))

QUICK = Preset(
    "quick",
    {name: _QUICK_ELEMENTS for name in EXPERIMENTS} | {"matmul": (64, 256)},
    warmup=2,
    repeats=5,
)
FULL = Preset(
    "full",
    {name: _FULL_ELEMENTS for name in EXPERIMENTS}
    | {"matmul": tuple(2**power for power in range(6, 13))},
    warmup=2,
    repeats=7,
)
