"""Random number generators with PyTorch's API (the numbers themselves come from NumPy's PCG64)."""

from __future__ import annotations

import numpy as np

DEFAULT_SEED = 67280421310721  # PyTorch's default CPU seed


class Generator:
    """A seeded stream of random numbers: ``core.Generator().manual_seed(0)``."""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self.manual_seed(DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        self._seed = int(seed)
        self.bit_generator = np.random.Generator(np.random.PCG64(self._seed & (2**64 - 1)))
        return self

    def initial_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        """Reseed from the operating system's entropy and return the new seed."""
        return self.manual_seed(int(np.random.SeedSequence().entropy) & (2**63 - 1)).initial_seed()


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator, as ``torch.manual_seed`` does; returns it."""
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    return default_generator.initial_seed()


def numpy_generator(generator: Generator | None) -> np.random.Generator:
    return (generator or default_generator).bit_generator
