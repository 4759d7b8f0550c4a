# StrideScope: `make run` opens the app, `make test` runs the whole suite headless.
# Both create .venv and install what is missing; a second run skips what is done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Stamps: the install is redone only when pyproject.toml changes. (The editable install
# maps the top-level packages that pyproject.toml lists; their code is read in place.)
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test lint format bench pictures translations clean system-packages system-packages-gui

run: system-packages-gui $(RUN_STAMP)
	$(BIN)/stridescope

# CI (CI=true) runs the "ci" hypothesis profile: more examples, the same ones every run.
HYPOTHESIS_PROFILE ?= $(if $(CI),ci,default)

test: system-packages $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen HYPOTHESIS_PROFILE=$(HYPOTHESIS_PROFILE) $(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.core_vs_reference
	$(BIN)/python -m benchmarks.autograd_vs_reference
	$(BIN)/python -m benchmarks.memory_views
	$(BIN)/python -m benchmarks.app_startup
	$(BIN)/python -m benchmarks.graph_layout

# The README's pictures, drawn headless by the app itself.
pictures: $(RUN_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/stridescope render --theme light -o docs/images/window-light.png \
		--code "x = core.arange(12).view(3, 4); y = x.t()[1:, ::2]"
	QT_QPA_PLATFORM=offscreen $(BIN)/stridescope render --theme dark -o docs/images/window-dark.png \
		--code "x = core.arange(24.).view(2, 3, 4); y = x.permute(2, 0, 1)"
	QT_QPA_PLATFORM=offscreen $(BIN)/stridescope render --theme dark --panel memory \
		-o docs/images/view-failure-dark.png \
		--show-errors --code "x = core.arange(12).view(3, 4); y = x.t(); z = y.view(12)"
	QT_QPA_PLATFORM=offscreen $(BIN)/stridescope render --theme light --panel graph --step 3 \
		-o docs/images/graph-light.png --code "a = core.tensor(2.0, requires_grad=True); \
		b = core.tensor(-3.0, requires_grad=True); c = core.tensor(10.0, requires_grad=True); \
		f = core.tensor(-2.0, requires_grad=True); e = a * b; d = e + c; L = d * f"
	$(BIN)/stridescope bench --experiment add sum --csv build/timing-cpu.csv > /dev/null 2>&1
	QT_QPA_PLATFORM=offscreen $(BIN)/stridescope render --theme light --panel timing \
		--csv build/timing-cpu.csv --select add -o docs/images/timing-light.png
	QT_QPA_PLATFORM=offscreen $(BIN)/stridescope render --theme dark --lang ko --presenter \
		--lesson strides --step 3 -o docs/images/lesson-presenter-ko.png

# The Korean translations: collect new strings from app/, compile the .qm.
translations: $(RUN_STAMP)
	scripts/update_translations.sh

system-packages:
	@scripts/ensure_system_packages.sh

system-packages-gui:
	@scripts/ensure_system_packages.sh --gui

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis .benchmarks
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
