# The two quick-start commands (README): `make demo` and `make test`. Both install the
# Debian packages they need (scripts/install-deps.sh, idempotent) and build Release in
# $(BUILD). `make demo` builds only the mailsim binary (no tests, no benchmarks), so a
# fresh machine's first demo is as short as it can be; `make test` then adds the rest to
# the same build folder without rebuilding what the demo built.
BUILD ?= build
JOBS ?= $(shell nproc)
CONFIGURE = cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

.PHONY: deps test-deps fuzz-deps build demo test test-asan bench fuzz clean

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

fuzz-deps:
	@scripts/install-deps.sh --fuzz

demo: deps
	$(CONFIGURE) -DMAILSIM_BUILD_TESTS=OFF -DMAILSIM_BUILD_BENCH=OFF
	cmake --build $(BUILD) -j $(JOBS) --target mailsim
	$(BUILD)/mailsim demo

build: test-deps
	$(CONFIGURE) -DMAILSIM_BUILD_TESTS=ON -DMAILSIM_BUILD_BENCH=ON
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure

# The suite under AddressSanitizer and UBSan (any UBSan report fatal), in its own build
# folder. SimGrid and yaml-cpp stay uninstrumented (Debian's). A report must fail the
# stage even where a test accepts exit 1 (a run that failed its checks) or a child's exit
# is not the test's: reports exit 99 and are also written to $(ASAN_REPORTS), which must
# stay empty (docs/robustness.md, "Sanitizers").
ASAN_REPORTS = $(abspath $(BUILD)-asan)/sanitizer-reports
ASAN_ENV = ASAN_OPTIONS=abort_on_error=0:detect_leaks=0:detect_stack_use_after_return=0:exitcode=99:log_path=$(ASAN_REPORTS)/asan \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99:log_path=$(ASAN_REPORTS)/ubsan
test-asan: test-deps
	cmake -S . -B $(BUILD)-asan -G Ninja -DCMAKE_BUILD_TYPE=Release -DMAILSIM_SANITIZE=ON -DMAILSIM_BUILD_TESTS=ON -DMAILSIM_BUILD_BENCH=OFF
	cmake --build $(BUILD)-asan -j $(JOBS)
	rm -rf $(ASAN_REPORTS) && mkdir -p $(ASAN_REPORTS)
	$(ASAN_ENV) ctest --test-dir $(BUILD)-asan -j $(JOBS) --output-on-failure
	@if [ -n "$$(ls -A $(ASAN_REPORTS))" ]; then head -n 40 $(ASAN_REPORTS)/*; echo "sanitizer reports in $(ASAN_REPORTS)"; exit 1; fi

bench: build
	scripts/bench.sh $(BUILD)

fuzz: fuzz-deps
	cmake -S . -B $(BUILD)-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DMAILSIM_FUZZ=ON -DMAILSIM_BUILD_TESTS=OFF -DMAILSIM_BUILD_BENCH=OFF
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzz_config
	mkdir -p $(BUILD)-fuzz/corpus  # new inputs go there; the committed corpus is read only
	$(BUILD)-fuzz/fuzz_config -max_total_time=$${FUZZ_SECONDS:-60} -rss_limit_mb=2048 $(BUILD)-fuzz/corpus tests/fuzz/corpus

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz $(BUILD)-asan out
