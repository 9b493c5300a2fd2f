# The two quick-start commands (README): `make demo` and `make test`. Both install the
# Debian packages mailsim needs (scripts/install-deps.sh, idempotent) and build Release.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build demo test bench fuzz clean

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/mailsim demo

test: build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure

bench: build
	scripts/bench.sh $(BUILD)

fuzz: deps
	cmake -S . -B $(BUILD)-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DMAILSIM_FUZZ=ON -DMAILSIM_BUILD_TESTS=OFF -DMAILSIM_BUILD_BENCH=OFF
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzz_config
	$(BUILD)-fuzz/fuzz_config -max_total_time=$${FUZZ_SECONDS:-60} tests/fuzz/corpus

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz out
