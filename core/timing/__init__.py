"""Timing work on a device: a clock per device type, experiments, their tables, and the
recorded reference runs shipped with StrideScope.

``import core.timing`` explicitly: ``import core`` does not load it.
"""

from core.timing.clock import (
    Clock,
    Timing,
    TimingCancelledError,
    clock_for,
    cuda_event_clock,
    gigabytes_per_second,
    gigaflops_per_second,
    perf_counter_clock,
    time_callable,
    unavailable_reason,
)
from core.timing.experiments import EXPERIMENTS, FULL, QUICK, Case, Experiment, Preset, square_ish
from core.timing.reference import (
    RecordedRun,
    RunMetadata,
    collect_metadata,
    load_recorded_run,
    record_reference,
    recorded_runs,
    shipped_directory,
)
from core.timing.runner import (
    MEASURED,
    Skipped,
    TimingRow,
    check_experiments,
    measure,
    run_experiments,
)
from core.timing.table import read_csv, run_metadata, write_csv
