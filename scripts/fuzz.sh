#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang and runs each for a bounded time,
# starting from its committed seed corpus (tests/fuzz/corpus/<target>/, copied to a temporary
# directory so the committed files never change). Exits non-zero if any target finds a crash,
# a sanitizer report, a failed check, a timeout or an out-of-memory.
# Environment:
#   FUZZ_SECONDS=N    seconds per target (default 20)
#   FUZZ_JOBS=N       targets run side by side (default 2)
#   FUZZ_TARGETS="a b"  only these targets (default: all six)
#   FUZZ_BUILD=dir    build directory (default build/fuzz)
# Crash inputs are kept in $FUZZ_BUILD/crashes/<target>/; reproduce one with
#   build/fuzz/tests/fuzz/<target> <file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-2}
build=${FUZZ_BUILD:-build/fuzz}
read -r -a targets <<<"${FUZZ_TARGETS:-fuzz_data fuzz_model fuzz_function fuzz_landscape fuzz_graph fuzz_loss}"
start=$SECONDS

if [[ ! -f $build/CMakeCache.txt ]]; then
  mkdir -p "$build"
  CXX=${FUZZ_CXX:-clang++} cmake -S . -B "$build" -DGRADLAB_FUZZ=ON -DGRADLAB_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; exit 1; }
fi
cmake --build "$build" -j "$jobs" --target "${targets[@]}" >"$build/build.log" 2>&1 ||
  { tail -n 60 "$build/build.log" >&2; exit 1; }
echo "fuzz: built ${#targets[@]} targets in $((SECONDS - start))s"

work=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One target: fuzz for $seconds, then leave its exit code and log in $work/<target>/.
run_target() {
  local t=$1 dir=$work/$1
  mkdir -p "$dir/corpus"
  if [[ -d tests/fuzz/corpus/$t ]]; then cp -R "tests/fuzz/corpus/$t/." "$dir/corpus/"; fi
  local rc=0 t0=$SECONDS bin
  bin=$(cd "$build/tests/fuzz" && pwd)/$t
  # libFuzzer stops itself at -max_total_time; the outer timeout only guards against a hang.
  ( cd "$dir" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
      UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
      timeout -k 5 $((seconds + 60)) "$bin" \
      -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=512 \
      -print_final_stats=1 -artifact_prefix="$dir/" corpus >"$dir/log" 2>&1 ) || rc=$?
  echo "$rc" >"$dir/rc"
  echo $((SECONDS - t0)) >"$dir/seconds"
}

for t in "${targets[@]}"; do
  [[ -x $build/tests/fuzz/$t ]] || { echo "fuzz: no such target $t" >&2; exit 1; }
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n || true; done
  run_target "$t" &
done
wait

failed=0
for t in "${targets[@]}"; do
  dir=$work/$t
  rc=$(cat "$dir/rc" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  secs=$(cat "$dir/seconds" 2>/dev/null || echo '?')
  crashes=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l)
  corpus=$(find "$dir/corpus" -type f | wc -l)
  if [[ $rc != 0 && $crashes == 0 ]]; then crashes=1; fi  # died without writing an input
  printf 'fuzz: %-15s execs=%-8s time=%ss crashes=%s corpus=%s\n' \
    "$t" "${execs:-0}" "${secs:-?}" "$crashes" "$corpus"
  if [[ $rc != 0 ]]; then
    failed=1
    mkdir -p "$build/crashes/$t"
    find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
      -o -name 'oom-*' \) -exec cp {} "$build/crashes/$t/" \;
    echo "fuzz: $t failed (exit $rc); inputs in $build/crashes/$t/ (replay one: $build/tests/fuzz/$t <file>;" \
      "GRADLAB_FUZZ_TRACE=1 prints the calls in fuzz_model/function/loss):" >&2
    # The check or sanitizer message and the frames inside the engine and the targets.
    grep -E 'FUZZ_CHECK|ERROR:|runtime error|terminate called|what\(\)|SUMMARY|Test unit written' \
      "$dir/log" | grep -v NEW_FUNC | head -n 12 | sed 's/^/  /' >&2
    grep -E '^ *#[0-9]+ .* in (gradlab|LLVMFuzzerTestOneInput)|^ *#[0-9]+ .*/engine/(src|include)/' \
      "$dir/log" | head -n 12 | sed 's/^/  /' >&2
  fi
done
echo "fuzz: done in $((SECONDS - start))s"
exit "$failed"
