"""Made-up recorded-run metadata for the timing tests: never shipped, never a real GPU."""

from core.timing import RunMetadata

FIXTURE_GPU = "Fixture GPU (test data)"


def fixture_metadata(date: str = "2026-01-02T03:04:05+00:00") -> RunMetadata:
    """The metadata of a made-up recorded run on :data:`FIXTURE_GPU`, made on ``date``."""
    return RunMetadata(
        gpu=FIXTURE_GPU,
        cuda_driver="13.0",
        cuda_runtime="13.0",
        cupy="14.0.0",
        numpy="2.4.6",
        stridescope="test",
        python="3.11",
        host_cpu="fixture CPU (16 cores)",
        preset="full (warmup 3, repeats 25)",
        date=date,
        command="tests",
    )
