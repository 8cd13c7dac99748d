#!/usr/bin/env bash
# `npm run bench`: performance of Gradlab against its peers (not part of `npm test`).
#   1. builds the WebAssembly module and the site (scripts/build.sh; the site only if needed)
#   2. builds the native benchmark runner with -O3          -> build/bench
#   3. node tests/bench/run.mjs        engines x workloads, Node + headless Chromium + native
#   4. node tests/bench/interaction.mjs  widget input-to-frame latency, load time, page bytes
# Results: printed as Markdown tables, saved under test-output/bench/.
# Arguments go to run.mjs (e.g. --quick, --only W1,W3a, --no-browser, --full); also
#   --no-interaction   skip step 4          --interaction-only   only step 4
# Environment: GRADLAB_BENCH_SKIP_BUILD=1 uses whatever is already built.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bench: %s\n' "$*"; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

run_args=()
interaction=1
only_interaction=0
for arg in "$@"; do
  case $arg in
    --no-interaction) interaction=0 ;;
    --interaction-only) only_interaction=1 ;;
    *) run_args+=("$arg") ;;
  esac
done

if [[ ${GRADLAB_BENCH_SKIP_BUILD:-0} != 1 ]]; then
  say "building the WebAssembly module"
  GRADLAB_SKIP_NATIVE=1 GRADLAB_SKIP_SITE=1 bash scripts/build.sh
  if ((interaction || only_interaction)); then
    say "building the site (for the interaction budget)"
    # A site that does not build only costs the interaction part, not the engine benchmark.
    GRADLAB_SKIP_NATIVE=1 GRADLAB_SKIP_WASM=1 bash scripts/build.sh ||
      say "site build failed: the interaction budget will be skipped"
  fi
  if ((!only_interaction)); then
    say "building the native runner (build/bench, -O3)"
    if [[ ! -f build/bench/CMakeCache.txt ]]; then
      mkdir -p build
      cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DGRADLAB_TESTS=OFF -DGRADLAB_BENCH=ON \
        -DCMAKE_CXX_FLAGS_RELEASE="-O3 -DNDEBUG" >build/bench.configure.log 2>&1 ||
        { cat build/bench.configure.log >&2; die "configuring build/bench failed"; }
    fi
    cmake --build build/bench -j "$(nproc 2>/dev/null || echo 2)" --target gradlab_native_bench
  fi
fi

status=0
if ((!only_interaction)); then
  node tests/bench/run.mjs "${run_args[@]+"${run_args[@]}"}" || status=$?
fi
if ((interaction || only_interaction)); then
  node tests/bench/interaction.mjs || status=$?
fi
exit "$status"
