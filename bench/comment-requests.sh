#!/usr/bin/env bash
# GitHub requests per export progress edit (and per reaction) on an issue with 10 comments and on one with 1,000,
# through the bot's GitHub gateway against the GitHub stand-in's request journal, in one run. Editing or reacting
# to a comment must cost the same whatever the thread's length. Target: ratio (1,000 / 10) = 1.
#
# usage: bench/comment-requests.sh       (~1 min plus a build if needed)
# env:   SMALL (10), BIG (1000), EDITS (20), MVN_ARGS (e.g. -o), SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-10}; BIG=${BIG:-1000}; EDITS=${EDITS:-20}
MVN="mvn -B -q ${MVN_ARGS:-}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. bench/lib/local-bench.sh
compile_local_bench CommentRequestsBench
java -cp "$WORK/bench-classes:$CP" io.offboard.local.bench.CommentRequestsBench "$SMALL" "$BIG" "$EDITS" \
  | tee "$WORK/out.txt"
python3 - "$WORK/out.txt" <<'PY'
import sys
line = [l for l in open(sys.argv[1]) if l.startswith("RESULT ")][-1]
r = dict(kv.split("=", 1) for kv in line.split()[1:])
print(f"requests per progress edit: {float(r['small_per_edit']):.2f} with {r['small_comments']} comments, "
      f"{float(r['big_per_edit']):.2f} with {r['big_comments']} comments")
print(f"requests per reaction:      {float(r['small_per_reaction']):.2f} with {r['small_comments']} comments, "
      f"{float(r['big_per_reaction']):.2f} with {r['big_comments']} comments")
ratio = float(r["ratio"])
print(f"ratio big/small (edits): {ratio:.2f} (target 1): " + ("PASS" if abs(ratio - 1) < 1e-9 else "FAIL"))
PY
