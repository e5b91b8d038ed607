#!/usr/bin/env bash
# Regenerates the calibration table of docs/guide.md (between the
# `calibration:begin` and `calibration:end` markers) from a run of
# tests/calibration.rs: every behaviour, protocol and variant with its
# manipulation-verdict rate and the detectors that fired. Read the diff
# before committing: every changed number is a changed result.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=$(cargo test --release --quiet --test integration calibration:: -- --nocapture --test-threads 1 2>/dev/null \
    | grep '^| ' | sort -t '|' -k2,2r -k3,3 -k4,4 -k5,5)
table=$(printf '%s\n%s\n%s\n' \
    "| devices | behaviour | protocol | variant | runs | manipulation verdict | findings (runs): manipulation, and the warnings that name a compression or a warm-up; for the state rows, the shares of each state |" \
    "|---|---|---|---|---|---|---|" \
    "$rows")
guide=docs/guide.md
before=$(sed '/<!-- calibration:begin -->/q' "$guide")
after=$(sed -n '/<!-- calibration:end -->/,$p' "$guide")
tmp=$(mktemp "$guide.XXXXXX")
printf '%s\n%s\n%s\n' "$before" "$table" "$after" > "$tmp"
mv "$tmp" "$guide"
echo "updated $guide with $(printf '%s\n' "$rows" | wc -l) rows"
