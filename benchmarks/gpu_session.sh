#!/usr/bin/env bash
# One call on a GPU machine (the device tool's `run`, timeout_s 540 or more):
#
#     bash benchmarks/gpu_session.sh
#
# 1. says which GPU, driver, CuPy and engine backend it found;
# 2. runs the GPU tests (python3 -m pytest -m gpu on the modules that hold them);
# 3. records the full reference run (`stridescope bench --device cpu,cuda --record`)
#    into $OUT/timings/, which comes back with the call's files.
#
# Then, on the development machine, copy the returned timings/*.csv unchanged into
# resources/timings/ and commit it: `stridescope bench --device cpu,cuda` then shows it
# wherever cuda is unavailable, marked as recorded. Never edit its numbers.
#
# It runs from the source tree without installing anything: PYTHONPATH=. and the
# machine's python3, which has NumPy, CuPy and pytest but no PySide6 (bench never
# imports Qt). Nothing can be fetched there.
#
# Time: at most 8 minutes (3 for the tests, 5 for the recording, each under `timeout`),
# plus the machine's start. The full sweep is the FULL preset's sizes (add, contiguous,
# sum and transfer at 2^10..2^24 elements, matmul at n = 64..4096) on the CPU and the GPU
# with 3 warm-up and 25 timed runs per measurement: on 2 shared CPU cores it took 85 s
# for the CPU alone, and the GPU's share is seconds once CuPy has compiled each kernel
# (first use, inside the warm-up). 25 runs make the median and the interquartile spread
# steady; fewer would not save time that matters, more would risk the budget on a slow
# host CPU.
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=. PYTHONUNBUFFERED=1
OUT=${OUT:-build/gpu-session}
mkdir -p "$OUT/timings"
status=0

echo "== the machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || status=1
python3 - <<'EOF' || status=1
import numpy

import core
import core.cuda
from core.backends import backend_for

print("numpy", numpy.__version__)
print("core.cuda.is_available():", core.cuda.is_available(), core.cuda.unavailable_reason() or "")
if core.cuda.is_available():
    print("GPU:", core.cuda.get_device_name(), "of", core.cuda.device_count())
    print("CuPy", backend_for(core.device("cuda")).xp.__version__)
EOF

echo "== GPU tests"
# The GPU tests live in modules that need only numpy, torch and pytest; the hypothesis
# one joins when that machine has hypothesis (the other engine tests import it at the top,
# so a plain `pytest tests/core` would stop at collecting them there).
gpu_tests="tests/core/test_devices.py tests/core/test_cuda_detection.py tests/core/test_timing.py"
if python3 -c "import hypothesis" 2>/dev/null; then
    gpu_tests="$gpu_tests tests/core/test_device_shadow.py"
fi
# shellcheck disable=SC2086 # the list splits into paths on purpose
timeout 180 python3 -m pytest -m gpu $gpu_tests -q -p no:cacheprovider 2>&1 \
    | tee "$OUT/pytest-gpu.txt" | tail -n 40
test_status=${PIPESTATUS[0]}
echo "pytest exit status: $test_status"
[ "$test_status" -eq 0 ] || status=1

echo "== the full reference run"
timeout 300 python3 -m app.cli bench --device cpu,cuda --warmup 3 --repeats 25 \
    --record "$OUT/timings" >"$OUT/bench.txt" 2>"$OUT/bench-stderr.txt"
bench_status=$?
cat "$OUT/bench.txt"
# The progress line rewrites itself with carriage returns: show only its last lines.
tr '\r' '\n' <"$OUT/bench-stderr.txt" | grep -v '^\[[0-9]*/[0-9]*\]' | tail -n 20
echo "bench exit status: $bench_status"
ls -l "$OUT/timings"
[ "$bench_status" -eq 0 ] || status=1
exit "$status"
