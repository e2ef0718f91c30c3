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

.PHONY: all deps bench-deps models build test demo bench clean

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

test: deps models
	$(SWIFT) build $(TEST_FLAGS)
	$(SWIFT) test $(TEST_FLAGS)

# Interim demo (until the pipeline lands): encodes a generated clip, decodes and re-encodes it.
demo: build
	$(RELEASE)/pymaf-video video-io-demo data/demo

bench: bench-deps models
	$(SWIFT) build -c release --product pymaf-bench
	env -u OPENBLAS_CORETYPE $(RELEASE)/pymaf-bench

clean:
	rm -rf .build
