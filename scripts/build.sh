#!/usr/bin/env bash
# Builds everything, incrementally (CMake and the site build only redo what changed):
#   1. native engine + GoogleTest suite + reference runner  -> build/native   (Release)
#   2. WebAssembly module (emcmake)                          -> build/wasm/gradlab-engine.mjs + .wasm
#   3. the site, when web/site/build.mjs exists              -> dist/ (it copies the module in)
#      and its portable copy for file:// (web/site/portable.mjs) -> dist-portable/
# Environment:
#   GRADLAB_SKIP_NATIVE=1  skip step 1       GRADLAB_SKIP_WASM=1  skip step 2
#   GRADLAB_SKIP_SITE=1    skip step 3       GRADLAB_JOBS=N       parallel jobs (default: nproc)
#   GRADLAB_SKIP_PORTABLE=1  skip dist-portable/
#   GRADLAB_BUILD=dir      build root instead of build/ (dir/native, dir/wasm); the site build
#                          is then pointed at dir/wasm/gradlab-engine.mjs via GRADLAB_ENGINE
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'build: %s\n' "$*"; }
die() { printf 'build: error: %s\n' "$*" >&2; exit 1; }
jobs=${GRADLAB_JOBS:-$(nproc 2>/dev/null || echo 2)}
root=${GRADLAB_BUILD:-build}
export GRADLAB_ENGINE=${GRADLAB_ENGINE:-$PWD/$root/wasm/gradlab-engine.mjs}

# emcc's JS optimiser (used at -O2 and above) needs Debian's acorn, which lives here.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

# Configure once; later runs only rebuild (a changed CMakeLists makes cmake reconfigure itself).
configure() {  # configure <build-dir> <cmake or emcmake cmake ...> <args...>
  local dir=$1; shift
  if [[ ! -f $dir/CMakeCache.txt ]]; then
    "$@" -S . -B "$dir" >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log" >&2; die "configuring $dir failed"; }
  fi
}
mkdir -p "$root"

if [[ ${GRADLAB_SKIP_NATIVE:-0} != 1 ]]; then
  say "native engine and tests ($root/native)"
  configure "$root/native" cmake -DCMAKE_BUILD_TYPE=Release
  cmake --build "$root/native" -j "$jobs"
fi

if [[ ${GRADLAB_SKIP_WASM:-0} != 1 ]]; then
  command -v emcmake >/dev/null || die "emcmake not found: run scripts/setup.sh (Debian package emscripten)"
  say "WebAssembly module ($root/wasm)"
  configure "$root/wasm" emcmake cmake -DCMAKE_BUILD_TYPE=Release -DGRADLAB_TESTS=OFF
  cmake --build "$root/wasm" -j "$jobs"
  for out in "$root/wasm/gradlab-engine.mjs" "$root/wasm/gradlab-engine.wasm"; do
    [[ -f $out ]] || die "$out was not produced"
    say "$out: $(wc -c <"$out") bytes, $(gzip -9c "$out" | wc -c) gzipped"
  done
fi

if [[ ${GRADLAB_SKIP_SITE:-0} != 1 && -f web/site/build.mjs ]]; then
  say "site (node web/site/build.mjs -> dist/)"
  node web/site/build.mjs --engine "$GRADLAB_ENGINE"
  if [[ ${GRADLAB_SKIP_PORTABLE:-0} != 1 && -f web/site/portable.mjs ]]; then
    say "portable site for file:// (node web/site/portable.mjs -> dist-portable/)"
    node web/site/portable.mjs
  fi
fi
