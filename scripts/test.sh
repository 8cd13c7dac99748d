#!/usr/bin/env bash
# Builds (scripts/build.sh), then runs every test layer in order and stops at the first failure:
#   1. native GoogleTest suite                          (build/native, ctest)
#   2. the same suite under AddressSanitizer + UBSan    (build/asan, RelWithDebInfo)
#      then the libFuzzer targets for a bounded time      (scripts/fuzz.sh, FUZZ_SECONDS=8)
#   3. WebAssembly module from Node                     (node --test tests/wasm/)
#   4. pages in headless Chromium, when tests exist     (node tests/browser/run-all.mjs:
#      two files at a time, longest first)
# Environment:
#   GRADLAB_SKIP_ASAN=1     skip layer 2          GRADLAB_SKIP_BROWSER=1  skip layer 4
#   GRADLAB_SKIP_FUZZ=1     skip the fuzzers      FUZZ_SECONDS=N          seconds per fuzz target
#   GRADLAB_JOBS=N          parallel jobs (default: nproc)
#   GRADLAB_BROWSER_JOBS=N  browser test files run at once (default 2; 1 = one after another)
#   GRADLAB_SCREENSHOTS=1   browser tests also write screenshots to test-output/screenshots/
#   GRADLAB_BUILD=dir       build root instead of build/ (dir/native, dir/asan, dir/wasm)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\ntest: == %s  (at %ss)\n' "$*" "$SECONDS"; }
jobs=${GRADLAB_JOBS:-$(nproc 2>/dev/null || echo 2)}
root=${GRADLAB_BUILD:-build}
export CI=true
# Where the Node tests find the builds (web/engine/gradlab.js reads GRADLAB_ENGINE).
export GRADLAB_ENGINE=${GRADLAB_ENGINE:-$PWD/$root/wasm/gradlab-engine.mjs}
export GRADLAB_REFERENCE=${GRADLAB_REFERENCE:-$PWD/$root/native/gradlab_reference}
start=$SECONDS

# No test reads dist-portable/ (offline.test.mjs builds its own copy): skip building it here.
GRADLAB_SKIP_PORTABLE=${GRADLAB_SKIP_PORTABLE:-1} bash scripts/build.sh

say "1/4 native unit tests"
ctest --test-dir "$root/native" --output-on-failure -j "$jobs"

if [[ ${GRADLAB_SKIP_ASAN:-0} != 1 ]]; then
  say "2/4 native unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  if [[ ! -f $root/asan/CMakeCache.txt ]]; then
    # -g1: line tables only (file:line in sanitizer stack traces), cheaper to compile than -g.
    cmake -S . -B "$root/asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRADLAB_SANITIZE=ON \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O2 -g1 -DNDEBUG' >"$root/asan.configure.log" 2>&1 ||
      { cat "$root/asan.configure.log" >&2; exit 1; }
  fi
  cmake --build "$root/asan" -j "$jobs" --target gradlab_tests
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$root/asan" --output-on-failure -j "$jobs"
else
  say "2/4 sanitizers skipped (GRADLAB_SKIP_ASAN=1)"
fi

if [[ ${GRADLAB_SKIP_FUZZ:-0} != 1 ]]; then
  say "2/4 libFuzzer targets from the committed corpus (${FUZZ_SECONDS:-8}s each)"
  FUZZ_SECONDS=${FUZZ_SECONDS:-8} FUZZ_BUILD=$root/fuzz bash scripts/fuzz.sh
else
  say "2/4 fuzzers skipped (GRADLAB_SKIP_FUZZ=1)"
fi

say "3/4 WebAssembly module from Node"
node --test tests/wasm/

if [[ ${GRADLAB_SKIP_BROWSER:-0} != 1 ]] &&
   compgen -G 'tests/browser/*.test.mjs' >/dev/null; then
  say "4/4 pages in headless Chromium (${GRADLAB_BROWSER_JOBS:-2} files at a time)"
  node tests/browser/run-all.mjs
else
  say "4/4 browser tests skipped (none in tests/browser/ or GRADLAB_SKIP_BROWSER=1)"
fi

printf '\ntest: all layers passed in %ss\n' "$((SECONDS - start))"
