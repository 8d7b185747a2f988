#!/usr/bin/env bash
# Sweep cost grows with what is due, not with history: the same 10 due evictions (a reminder each) swept with
# 100 and with 100,000 finished evictions in the store, in one JVM on the embedded stack (DynamoDB Local, the
# GitHub stand-in). Prints the best sweep time of each and the ratio. Target: ratio <= 2.
#
# usage: bench/sweep-scale.sh            (~2 min on 2 cores plus a build if needed; loading 100,000 records ~1 min)
# env:   BIG (100000), SMALL (100), DUE (10), ROUNDS (5), MVN_ARGS (e.g. -o), SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
BIG=${BIG:-100000}; SMALL=${SMALL:-100}; DUE=${DUE:-10}; ROUNDS=${ROUNDS:-5}
MVN="mvn -B -q ${MVN_ARGS:-}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. bench/lib/local-bench.sh
compile_local_bench SweepScaleBench
java -Xmx2g -cp "$WORK/bench-classes:$CP" io.offboard.local.bench.SweepScaleBench "$BIG" "$SMALL" "$DUE" "$ROUNDS" \
  | tee "$WORK/out.txt"
python3 - "$WORK/out.txt" <<'PY'
import sys
line = [l for l in open(sys.argv[1]) if l.startswith("RESULT ")][-1]
r = dict(kv.split("=", 1) for kv in line.split()[1:])
ratio = float(r["ratio"])
print(f"sweep of {r['due']} due among {int(r['small_records']):,} records: {float(r['small_ms']):.0f} ms; "
      f"among {int(r['big_records']):,} records: {float(r['big_ms']):.0f} ms")
print(f"ratio big/small: {ratio:.2f} (target <= 2): " + ("PASS" if ratio <= 2 else "FAIL"))
PY
