# Every target uses the active Python environment (see README: pip install -e ".[dev]").
PYTHON ?= python
INTEGRATION_DEPS = "torch==2.13.0" lightning "jax[cpu]" optax keras tensorflow array-api-compat transformers accelerate tqdm

.PHONY: install docs-site test fuzz test-integrations install-integrations lint format typecheck check golden docs bench bench-instructions compat clean

install:
	$(PYTHON) -m pip install -e ".[dev]"

test:
	$(PYTHON) -m pytest

# The fuzzer of tests/test_fuzz.py (every loader against corrupted states) with many
# more examples than `make test` runs (FUZZ_EXAMPLES=... to change; takes minutes).
FUZZ_EXAMPLES ?= 2000
# The torch adapter's fuzzer runs too when torch is installed (make install-integrations).
fuzz:
	LRSCHED_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PYTHON) -m pytest -q tests/test_fuzz.py -k TestFuzz
	@if $(PYTHON) -c "import torch" 2>/dev/null; then \
		LRSCHED_INTEGRATION=1 LRSCHED_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PYTHON) -m pytest -q \
			-m integration tests/integration/test_torch_fuzz.py -k TestFuzz; \
	else echo "torch is not installed: skipped tests/integration/test_torch_fuzz.py"; fi

install-integrations:
	$(PYTHON) -m pip install $(INTEGRATION_DEPS)

# Real frameworks, never mocks: installs them, then runs only the integration tests.
# They fail (not skip) when a framework is missing.
test-integrations: install-integrations
	LRSCHED_INTEGRATION=1 $(PYTHON) -m pytest -m integration
	$(PYTHON) -m mypy --strict src tests/integration

lint:
	$(PYTHON) -m ruff check src tests scripts bench examples
	$(PYTHON) -m ruff format --check src tests scripts bench examples

format:
	$(PYTHON) -m ruff check --fix src tests scripts bench examples
	$(PYTHON) -m ruff format src tests scripts bench examples

# The integration tests are type-checked by test-integrations, with the frameworks installed.
typecheck:
	$(PYTHON) -m mypy --strict src tests --exclude tests/integration
	$(PYTHON) -m mypy --strict --warn-unused-ignores tests/typing

check: lint typecheck test

# Regenerates tests/golden/*.json from the reference libraries: installs them first (the
# integration frameworks, then timm without its dependencies: its torchvision requirement would
# replace the pinned CPU torch, and scripts/make_golden.py needs only timm.scheduler).
golden: install-integrations
	$(PYTHON) -m pip install --no-deps timm
	$(PYTHON) -m pip install pyyaml huggingface_hub safetensors
	$(PYTHON) scripts/make_golden.py

# Regenerates docs/img/*.svg, docs/schedules.md and docs/api.md from the code and docstrings.
docs:
	$(PYTHON) scripts/make_docs.py

# Builds the site (needs the docs extra: pip install -e ".[docs]").
docs-site:
	$(PYTHON) -m mkdocs build --strict --site-dir site

# Time ratios of every row (docs/performance.md); about 1-2 minutes.
bench:
	$(PYTHON) bench/run.py

# Instruction counts of rows 1-4 under valgrind's callgrind (installed with apt-get
# when missing and possible, else skipped with the reason): noise-free ratios.
bench-instructions:
	$(PYTHON) bench/instructions.py

# The published releases' own tests (sdists of lrsched 0.3.0 - 0.5.0, downloaded
# to a temp dir) against the installed package; prints the expected differences.
compat:
	$(PYTHON) scripts/compat.py

clean:
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
