#!/usr/bin/env bash
# Runs a libFuzzer target for a bounded time on a scratch copy of its seed corpus, so the
# repository is never written; exits non-zero on any finding (crash, sanitizer report, an input
# slower than 10 s or needing more than 2 GB), whose input is kept in ARTIFACTS.
# Usage: run_fuzzer.sh FUZZER SEED_CORPUS DICTIONARY SECONDS ARTIFACTS
set -euo pipefail
fuzzer=$1 seeds=$2 dictionary=$3 seconds=$4 artifacts=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$seeds" "$work/corpus"
mkdir -p "$artifacts"
status=0
"$fuzzer" "$work/corpus" -dict="$dictionary" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -artifact_prefix="$artifacts/" \
  > "$work/log" 2>&1 || status=$?
# Progress lines (one per new coverage point) would drown the report.
grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|INITED)' "$work/log" || true
if [ "$status" -ne 0 ]; then
  echo "FAIL: $(basename "$fuzzer") exited with $status; reproduce with: $fuzzer $artifacts/<file>"
  exit 1
fi
echo "ok: $(basename "$fuzzer") ran ${seconds}s without a finding"
