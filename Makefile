# The README's commands over Meson + Ninja. Everything is built in build/
# (and build-asan/ for the sanitizer run of `make check`).

BUILD       ?= build
BUILD_ASAN  ?= build-asan
BUILD_TSAN  ?= build-tsan
MESON       ?= meson
DESTDIR     ?=
PREFIX      ?= /usr/local
DEMO_DIR    ?= $(BUILD)/demo
MESON_TEST   = $(MESON) test --print-errorlogs --num-processes 2

.PHONY: all check check-quick check-fuzz demo install deps clean fuzz bench

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@build-aux/install-deps.sh

$(BUILD)/build.ninja: | deps
	$(MESON) setup $(BUILD) --prefix=$(PREFIX)

# ASan + UBSan, every UB report fatal.
$(BUILD_ASAN)/build.ninja: | deps
	$(MESON) setup $(BUILD_ASAN) -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fno-sanitize-recover=all \
		-Dbuildtype=debug

# ThreadSanitizer, for the multi-threaded tests (suite threads).
$(BUILD_TSAN)/build.ninja: | deps
	$(MESON) setup $(BUILD_TSAN) -Db_sanitize=thread -Db_lundef=false \
		-Dbuildtype=debugoptimized

# Every test: plain build, then under valgrind, then the sanitizer builds
# (ASan+UBSan: everything, fuzz corpora included; TSan: suite threads).
check: all $(BUILD_ASAN)/build.ninja $(BUILD_TSAN)/build.ninja
	ninja -C $(BUILD_ASAN)
	ninja -C $(BUILD_TSAN)
	@rm -f $(BUILD)/meson-logs/testlog*.json $(BUILD_ASAN)/meson-logs/testlog*.json \
		$(BUILD_TSAN)/meson-logs/testlog*.json
	@status=0; \
	$(MESON_TEST) -C $(BUILD) || status=1; \
	$(MESON_TEST) -C $(BUILD) --setup=valgrind --suite valgrind || status=1; \
	$(MESON_TEST) -C $(BUILD_ASAN) --no-suite noasan || status=1; \
	$(MESON_TEST) -C $(BUILD_TSAN) --suite threads || status=1; \
	python3 build-aux/test-summary.py --status $$status $(BUILD) $(BUILD_ASAN) $(BUILD_TSAN); \
	exit $$status

# Plain build only: the quick loop while developing.
check-quick: all
	$(MESON_TEST) -C $(BUILD)

# The main job on this machine: probe, compare, baseline, create (emulated).
# Its files stay in DEMO_DIR.
demo: all
	DEMO_DIR='$(DEMO_DIR)' build-aux/demo.sh $(BUILD)

# libFuzzer targets (clang, ASan+UBSan) in build-fuzz/; FUZZ_TIME seconds each.
fuzz:
	build-aux/fuzz.sh

# The same targets built (clang, warnings fatal) and their seed corpora
# replayed once through them: .ci/run's step after `make check`.
check-fuzz:
	build-aux/fuzz.sh --replay

# Benchmarks: tables with the machine, the sizes and the ratios (doc/PERFORMANCE.md).
# libvirt's baseline is the comparison point: installed when we can (root).
bench: all
	-@build-aux/install-deps.sh libvirt-clients libvirt-daemon
	$(MESON) test -C $(BUILD) --benchmark --verbose --num-processes 1

# Into PREFIX every time, whatever prefix $(BUILD) was first set up with;
# staged under DESTDIR when given (relative paths are from here).
install: all
	MESON='$(MESON)' build-aux/install.sh '$(BUILD)' '$(abspath $(PREFIX))' '$(if $(DESTDIR),$(abspath $(DESTDIR)))'

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_TSAN) build-fuzz
