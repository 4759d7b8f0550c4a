"""Made-up metadata of recorded reference runs, for the timing tests: never shipped."""

from core.timing import RunMetadata

FIXTURE_GPU = "Fixture GPU (test data)"
"""A GPU name no machine has, for the made-up runs the app's tests draw."""


def metadata_for(
    gpu: str = "NVIDIA H100 80GB HBM3", date: str = "2026-11-27T10:15:00+00:00"
) -> RunMetadata:
    """The metadata of a made-up run recorded on ``gpu`` at ``date``."""
    return RunMetadata(
        gpu=gpu,
        cuda_driver="13.0",
        cuda_runtime="12.8",
        cupy="14.2.0",
        numpy="2.5.2",
        stridescope="0.1.0",
        python="3.12.3",
        host_cpu="AMD EPYC 9654 96-Core Processor (16 cores)",
        preset="full (warmup 3, repeats 25)",
        date=date,
        command="stridescope bench --device cpu,cuda --record 'resources/timings'",
    )
