#!/bin/sh
# Issue 13's acceptance "fresh clone: npm ci && npm start serves the console at / in under 3
# minutes on 2 cores", measured: clones this checkout's HEAD into a temporary directory, times
# `npm ci`, then `npm start` (its build prints each step's time) until `/` answers, and removes
# the clone. Usage: scripts/measure-start.sh [port]   (see bench/README.md "Start-up").
set -eu
port=${1:-39112}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
dir=$(mktemp -d)
# npm start runs in its own session: the trap stops npm and the API it started together.
trap 'if [ -n "$pid" ]; then kill -- "-$pid" 2>/dev/null || true; fi; rm -rf "$dir"' EXIT
pid=
git clone -q "$repo" "$dir/repo"
cd "$dir/repo"
export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, commit $(git rev-parse --short HEAD)"
t0=$(date +%s)
npm ci --no-audit --no-fund >"$dir/npm-ci.log" 2>&1 || { cat "$dir/npm-ci.log"; exit 1; }
t1=$(date +%s)
echo "npm ci: $((t1 - t0)) s"
PORT=$port DATA_DIR="$dir/data" setsid npm start >"$dir/npm-start.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
  sleep 1
  if ! kill -0 "$pid" 2>/dev/null; then cat "$dir/npm-start.log"; exit 1; fi
done
t2=$(date +%s)
grep '^build:' "$dir/npm-start.log" || true
echo "npm start → console at /: $((t2 - t1)) s; npm ci && npm start: $((t2 - t0)) s (target < 180 s)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
