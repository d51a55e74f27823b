# Strata: the two commands of the README's quick start, each doing all set-up on a
# fresh Debian 12 machine (root or sudo): `make run` and `make test`.

BUILD_DIR ?= build
PACKAGES := $(shell grep -v '^\#' debian-packages.txt)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps setup build run test bench clean

all: build

# Installs the Debian packages of debian-packages.txt that are not installed yet.
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

setup: deps
	@[ -f $(BUILD_DIR)/build.ninja ] || meson setup $(BUILD_DIR) --buildtype=debugoptimized

build: setup
	meson compile -C $(BUILD_DIR)

# Opens Strata (the GTK application) on the bundled demo cohort, uninstalled: the
# schema is compiled into the build tree.
run: build
	GSETTINGS_SCHEMA_DIR=$(BUILD_DIR)/src/gui STRATA_LOCALEDIR=$(BUILD_DIR)/po/locale \
	  ./$(BUILD_DIR)/src/gui/strata

# The whole suite, then again under AddressSanitizer + UndefinedBehaviorSanitizer (and
# the threaded analysis under ThreadSanitizer), in build trees of their own.
test: build
	meson test -C $(BUILD_DIR) --print-errorlogs
	tests/run-sanitizers.sh $(BUILD_DIR)

bench: build
	tests/bench/run-bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)

# Robustness (on demand): libFuzzer harnesses, the suite under ASan+UBSan (and the
# worker path under TSan), and the suite in a network namespace with no interfaces.
.PHONY: fuzz sanitize offline
FUZZ_SECONDS ?= 600
fuzz: deps
	tests/fuzz/run-fuzz.sh $(BUILD_DIR)-fuzz $(FUZZ_SECONDS)

sanitize: deps
	tests/run-sanitizers.sh $(BUILD_DIR)

offline: build
	tests/run-offline.sh $(BUILD_DIR)
