#!/usr/bin/env bash
# Time from a fresh clone of this repository to the first page served by `make run`, once with
# pip's usual (warm) cache and once cold: no cache, and none of this machine's local wheel
# folders or mirrors (pip's config files ignored), so every package comes from PyPI.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/seethesigns-cold.XXXXXX)
pgid=""
cleanup() {
  if [ -n "$pgid" ]; then kill -TERM -- "-$pgid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

measure() {
  local label=$1; shift
  local dir="$work/$label" port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$dir"
  local start
  start=$(date +%s.%N)
  git clone -q "$repo" "$dir/clone"
  # make run in its own process group, so that everything it starts can be stopped together.
  (cd "$dir/clone" && exec setsid env "$@" PORT="$port" make run >"$dir/log" 2>&1) &
  sleep 0.5
  pgid=$(ps -o pgid= -p $! | tr -d ' ' || true)
  [ -n "$pgid" ] || pgid=$!
  local deadline=$((SECONDS + 900))
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
    if [ $SECONDS -gt $deadline ]; then echo "$label: no page after 900 s" >&2; tail "$dir/log" >&2; exit 1; fi
    sleep 0.2
  done
  local end
  end=$(date +%s.%N)
  kill -TERM -- "-$pgid" 2>/dev/null || true
  sleep 1
  pgid=""
  printf '%s: %.1f s from git clone to the first page\n' "$label" "$(echo "$end - $start" | bc)"
}

measure "warm-cache"
measure "cold-cache" -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null PIP_NO_CACHE_DIR=1
