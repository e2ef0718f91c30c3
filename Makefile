# pymaf-video — every setup step lives here. `make demo` and `make test` work on a fresh Debian 12.
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# System packages the build and the tests need (installed only when missing).
APT_PACKAGES := libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libopenblas-dev pkg-config zlib1g-dev python3-pip unzip
# Only for `make bench`: FFmpeg's command line, timed next to our decoder.
BENCH_APT_PACKAGES := ffmpeg

# Release build with @testable access: the numeric tests run optimized code, as users do.
TEST_FLAGS := -c release -Xswiftc -enable-testing
RELEASE := .build/release

# The BlazePose person detector (Apache-2.0), taken from the mediapipe 0.10.21 wheel on PyPI.
DETECTOR := data/models/pose_detection.tflite
DETECTOR_SHA256 := 9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c
MEDIAPIPE_WHEEL := mediapipe==0.10.21

.PHONY: all deps bench-deps models build test demo bench clean verify-exports

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

bench-deps: deps
	@command -v ffmpeg >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BENCH_APT_PACKAGES); }

models: $(DETECTOR)

$(DETECTOR): | deps
	@mkdir -p $(dir $@)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "make models: fetching $(MEDIAPIPE_WHEEL) from PyPI for the BlazePose detector"; \
	python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.11 \
	    --platform manylinux_2_28_x86_64 -d "$$tmp" $(MEDIAPIPE_WHEEL); \
	wheel=$$(ls "$$tmp"/mediapipe-0.10.21-*.whl); \
	unzip -p "$$wheel" mediapipe/modules/pose_detection/pose_detection.tflite > "$$tmp/pose_detection.tflite"; \
	unzip -p "$$wheel" mediapipe-0.10.21.dist-info/LICENSE > $(dir $@)LICENSE.mediapipe; \
	echo "$(DETECTOR_SHA256)  $$tmp/pose_detection.tflite" | sha256sum -c --quiet; \
	mv "$$tmp/pose_detection.tflite" $@

build: deps
	$(SWIFT) build -c release

# The whole output also goes to $(TEST_LOG); on failure the recorded issues are repeated at the
# end, so the last lines of a long log say which test failed and why.
TEST_LOG := .build/test-output.log
test: deps models
	@mkdir -p .build; set -o pipefail; \
	if $(SWIFT) test $(TEST_FLAGS) 2>&1 | tee $(TEST_LOG); then exit 0; else status=$$?; \
	  echo; echo "make test: FAILED (status $$status). What the tests recorded (whole output: $(TEST_LOG)):"; \
	  grep -a -E "✘|recorded an issue|error:|Fatal error|Crash|signal" $(TEST_LOG) | grep -a -v "^\[lib" | head -60; \
	  exit $$status; fi

# The whole job on the embedded default: generated demo assets (untrained weights, procedural
# body, sample clip) unless PyMAF's data/ folder is present, in which case its files are used.
demo: deps models
	$(SWIFT) build -c release --product pymaf-video
	env -u OPENBLAS_CORETYPE $(RELEASE)/pymaf-video demo

bench: bench-deps models
	$(SWIFT) build -c release --product pymaf-video
	$(SWIFT) build -c release --product pymaf-bench
	env -u OPENBLAS_CORETYPE $(RELEASE)/pymaf-bench

# Loads every export format in real clients (Blender 5.0.1 as the `bpy` module, usd-core) and
# compares with our own values; output.pkl/.npz also under NumPy 1.24 and 2.x. See tools/verify_exports.py.
VERIFY_DIR := .build/verify-exports
VERIFY_PYTHON ?= python3
verify-exports: deps
	@test -x $(VERIFY_DIR)/clients/bin/python || { $(VERIFY_PYTHON) -m venv $(VERIFY_DIR)/clients && \
	  $(VERIFY_DIR)/clients/bin/pip install -q bpy==5.0.1 usd-core==26.11 joblib==1.5.2; }
	@test -x $(VERIFY_DIR)/numpy1/bin/python || { $(VERIFY_PYTHON) -m venv $(VERIFY_DIR)/numpy1 && \
	  $(VERIFY_DIR)/numpy1/bin/pip install -q numpy==1.24.4 joblib==1.5.2; }
	@test -x $(VERIFY_DIR)/numpy2/bin/python || { $(VERIFY_PYTHON) -m venv $(VERIFY_DIR)/numpy2 && \
	  $(VERIFY_DIR)/numpy2/bin/pip install -q numpy==2.2.6 joblib==1.5.2; }
	$(SWIFT) build $(TEST_FLAGS) --product ExportVerify
	$(RELEASE)/ExportVerify $(VERIFY_DIR)/out
	$(VERIFY_DIR)/clients/bin/python tools/verify_exports.py $(VERIFY_DIR)/out
	$(VERIFY_DIR)/numpy1/bin/python tools/verify_exports.py --pickle-only $(VERIFY_DIR)/out
	$(VERIFY_DIR)/numpy2/bin/python tools/verify_exports.py --pickle-only $(VERIFY_DIR)/out

clean:
	rm -rf .build

# Exactness against PyTorch at full size (≈ 550 MB, regenerated locally, never committed).
# Needs torch + smplx: PYMAF_TORCH_PYTHON=/path/to/python, else tools/.venv is created from PyPI.
PARITY_DIR := .build/parity
TORCH_VENV := tools/.venv

.PHONY: parity bench-compare torch-python

torch-python:
	@py="$${PYMAF_TORCH_PYTHON:-$(TORCH_VENV)/bin/python}"; \
	if [ ! -x "$$py" ]; then echo "creating $(TORCH_VENV) (torch, numpy, scipy, smplx from PyPI)"; \
	  python3 -m venv $(TORCH_VENV) && $(TORCH_VENV)/bin/pip install -q torch numpy scipy smplx; fi; \
	"$$py" -c "import torch, scipy, smplx" 2>/dev/null || "$$py" -m pip install -q scipy smplx

parity: deps torch-python
	@py="$${PYMAF_TORCH_PYTHON:-$(TORCH_VENV)/bin/python}"; \
	[ -f $(PARITY_DIR)/pymaf_full_io.npz ] || "$$py" tools/make_pymaf_fixtures.py --size full --out $(PARITY_DIR)
	$(SWIFT) build -c release --product pymaf-video
	@py="$${PYMAF_TORCH_PYTHON:-$(TORCH_VENV)/bin/python}"; \
	[ -f $(PARITY_DIR)/pymaf_full_io_float64.npz ] || "$$py" tools/pymaf_float64_reference.py --checkpoint $(PARITY_DIR)/pymaf_full_zip.pt \
	  --inputs $(PARITY_DIR)/pymaf_full_inputs.npy --out $(PARITY_DIR)/pymaf_full_io_float64.npz; \
	echo "distance from the float64 result (information: both float32 results are this far from it):"; \
	"$$py" tools/compare_pymaf_outputs.py $(PARITY_DIR)/pymaf_full_io_float64.npz $(PARITY_DIR)/pymaf_full_io.npz --label "PyTorch float32" --tolerance inf; \
	failed=0; \
	for format in zip legacy; do for batch in 1 8; do \
	  env -u OPENBLAS_CORETYPE $(RELEASE)/pymaf-video regress --checkpoint $(PARITY_DIR)/pymaf_full_$$format.pt \
	    --input $(PARITY_DIR)/pymaf_full_inputs.npy --output $(PARITY_DIR)/swift_$${format}_$$batch.npz \
	    --model_batch_size $$batch --threads 2 --save_iterations || exit 1; \
	  "$$py" tools/compare_pymaf_outputs.py $(PARITY_DIR)/pymaf_full_io_float64.npz $(PARITY_DIR)/swift_$${format}_$$batch.npz \
	    --label "float64 vs $$format, batch $$batch" --tolerance inf; \
	  "$$py" tools/compare_pymaf_outputs.py $(PARITY_DIR)/pymaf_full_io.npz $(PARITY_DIR)/swift_$${format}_$$batch.npz \
	    --label "$$format, batch $$batch" || failed=1; \
	done; done; \
	echo "--precision bfloat16 (opt-in, not exact; information only):"; \
	env -u OPENBLAS_CORETYPE $(RELEASE)/pymaf-video regress --checkpoint $(PARITY_DIR)/pymaf_full_zip.pt \
	  --input $(PARITY_DIR)/pymaf_full_inputs.npy --output $(PARITY_DIR)/swift_bfloat16_8.npz \
	  --model_batch_size 8 --threads 2 --save_iterations --precision bfloat16 || exit 1; \
	"$$py" tools/compare_pymaf_outputs.py $(PARITY_DIR)/pymaf_full_io_float64.npz $(PARITY_DIR)/swift_bfloat16_8.npz \
	  --label "float64 vs bfloat16, batch 8" --tolerance inf; \
	"$$py" tools/compare_pymaf_outputs.py $(PARITY_DIR)/pymaf_full_io.npz $(PARITY_DIR)/swift_bfloat16_8.npz \
	  --label "PyTorch float32 vs bfloat16, batch 8" --tolerance inf; \
	exit $$failed

# PyTorch for the regressor and LiteRT (ai-edge-litert, the detector's reference runtime) in the
# same venv, each timed in the same run as ours.
bench-compare: bench-deps models torch-python
	@py="$${PYMAF_TORCH_PYTHON:-$(TORCH_VENV)/bin/python}"; \
	"$$py" -c "import ai_edge_litert" 2>/dev/null || "$$py" -m pip install -q ai-edge-litert
	$(SWIFT) build -c release --product pymaf-bench
	@py="$${PYMAF_TORCH_PYTHON:-$(TORCH_VENV)/bin/python}"; \
	PYMAF_TORCH_PYTHON="$$py" PYMAF_LITERT_PYTHON="$$py" env -u OPENBLAS_CORETYPE $(RELEASE)/pymaf-bench regress tracking
