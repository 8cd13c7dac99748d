#!/usr/bin/env bash
# Installs what Gradlab needs to build and test, and nothing when it is all there already.
#   apt: emscripten xtensor-dev cmake g++ libgtest-dev chromium clang libclang-rt-14-dev
#   npm: the devDependencies pinned by package-lock.json (npm ci)
# Safe to run repeatedly: it checks first (dpkg -s, a hash stamp in node_modules) and takes well
# under a second when nothing is missing. Never reads stdin.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive CI=true

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- Debian packages -----------------------------------------------------------------------
APT_PACKAGES=(emscripten xtensor-dev cmake g++ libgtest-dev chromium clang libclang-rt-14-dev)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    say "missing Debian packages: ${missing[*]}"
    say "install them with:"
    printf '  sudo apt-get update && sudo apt-get install -y %s\n' "${missing[*]}"
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  apt_log=$(mktemp)
  trap 'rm -f "$apt_log"' EXIT
  if ! apt-get update </dev/null >"$apt_log" 2>&1 ||
     grep -qE '^(W|E): Failed to fetch' "$apt_log"; then
    cat "$apt_log" >&2
    if grep -qiE 'Could not resolve|Temporary failure|Failed to fetch|Network is unreachable|Connection (refused|timed out)' "$apt_log"; then
      die "cannot reach the Debian registry (no network?)"
    fi
    die "apt-get update failed (see above)"
  fi
  if ! apt-get install -y --no-install-recommends "${missing[@]}" </dev/null >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    if grep -qiE 'Could not resolve|Temporary failure|Failed to fetch|Network is unreachable|Connection (refused|timed out)' "$apt_log"; then
      die "cannot reach the Debian registry (no network?)"
    fi
    die "apt-get install ${missing[*]} failed (see above)"
  fi
fi

# --- npm devDependencies -------------------------------------------------------------------
command -v node >/dev/null || die "node is missing (it comes with the emscripten package)"
command -v npm >/dev/null || die "npm is missing: install the Debian package npm or Node.js 20+ with npm"
stamp=node_modules/.gradlab-stamp
want=$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  say "installing npm packages (npm ci)"
  npm_log=$(mktemp)
  if ! npm ci --no-audit --no-fund </dev/null >"$npm_log" 2>&1; then
    cat "$npm_log" >&2
    if grep -qiE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|network' "$npm_log"; then
      rm -f "$npm_log"
      die "cannot reach the npm registry (no network?)"
    fi
    rm -f "$npm_log"
    die "npm ci failed (see above)"
  fi
  rm -f "$npm_log"
  echo "$want" >"$stamp"
fi
