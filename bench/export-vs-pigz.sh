#!/usr/bin/env bash
# Archive packing throughput: our BagArchiveWriter (tar + per-file SHA-256 + BagIt manifests + parallel gzip,
# archive SHA-256 and size computed while writing) against the stock pipelines on the same JSONL payload, in the
# same run:
#   gzip: tar cf - DIR | pigz -p N | sha256sum          target: ours/peer >= 1.0x
#   zstd: tar cf - DIR | zstd -T N -3 | sha256sum       (same target)
# Ours also hashes every payload file for the bag's manifest-sha256.txt; the peer does not. A last line per codec
# prints the CPU ratio against the peer plus `sha256sum` of every payload file, i.e. the same work (information;
# the target is the plain ratio).
# N = number of cores (ours uses them all too). Each side runs ROUNDS times, alternating; the best wall-clock time
# of each counts (ours includes JVM start-up), and the least CPU time (user + sys of the whole process tree) is
# printed next to it: on a shared, busy machine the CPU ratio is the steadier figure. The payload is generated
# once, then read into the page cache. pigz is installed with apt-get when missing and running as root.
#
# usage: bench/export-vs-pigz.sh [payload MB, default 512]
# env:   ROUNDS (default 3), THREADS (default nproc), MVN_ARGS (e.g. -o), KEEP=1 keeps the work dir
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-512}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-$(nproc)}
MVN="mvn -B -q ${MVN_ARGS:-}"

install_tool() { # command package
  command -v "$1" >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $2 (apt-get)" >&2
    apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null || { echo "needs $1: apt-get install $2" >&2; exit 2; }
}
install_tool pigz pigz
install_tool zstd zstd
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 2; }

WORK=$(mktemp -d)
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

echo "building exporter (test classes) ..." >&2
$MVN install -DskipTests -pl exporter -am >&2
$MVN test-compile -pl exporter >&2
$MVN dependency:build-classpath -pl exporter -Dmdep.outputFile="$WORK/cp.txt" >&2
# private copy of the classes: a concurrent build in the same checkout must not pull them from under the run
cp -r exporter/target/classes "$WORK/classes"
cp -r exporter/target/test-classes "$WORK/test-classes"
CP="$WORK/test-classes:$WORK/classes:$(cat "$WORK/cp.txt")"

echo "generating ${SIZE_MB} MB of JSONL ..." >&2
python3 - "$WORK/payload" "$SIZE_MB" <<'PY'
import os, random, sys
root, target = sys.argv[1], int(sys.argv[2]) * 1_000_000
rnd = random.Random(20260301)
words = ("invoice shipment refund pending delivered customer premium warehouse order express return priority "
         "standard gift wrap discount voucher partial backorder cancelled confirmed paid address billing").split()
customers = ["cust-%06x" % rnd.getrandbits(24) for _ in range(20000)]
skus = ["SKU-%05d" % rnd.randrange(100000) for _ in range(5000)]
cities = ["Berlin", "Lisbon", "Oslo", "Madrid", "Vienna", "Dublin", "Prague", "Turin", "Lyon", "Ghent"]
statuses = ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "REFUNDED"]
def ts():
    return "2026-%02d-%02dT%02d:%02d:%02d.%03dZ" % (rnd.randrange(1, 13), rnd.randrange(1, 29), rnd.randrange(24),
                                                   rnd.randrange(60), rnd.randrange(60), rnd.randrange(1000))
def order(i):
    items = ",".join('{"sku":"%s","qty":%d,"unit_cents":%d}' % (rnd.choice(skus), rnd.randrange(1, 6),
                     rnd.randrange(99, 99999)) for _ in range(rnd.randrange(1, 5)))
    return ('{"pk":"ORG#acme","sk":"ORDER#%010d","customer":"%s","status":"%s","created_at":"%s","total_cents":%d,'
            '"currency":"EUR","items":[%s],"ship_to":{"city":"%s","zip":"%05d"},"note":"%s",'
            '"exported_at_utc":"2026-03-01T12:00:00Z","source_revision":%d}'
            % (i, rnd.choice(customers), rnd.choice(statuses), ts(), rnd.randrange(100, 500000), items,
               rnd.choice(cities), rnd.randrange(100000), " ".join(rnd.choices(words, k=rnd.randrange(2, 9))),
               rnd.randrange(1, 40)))
def event(i):
    return ('{"pk":"ORG#acme#EVT","sk":"%s#%08x","type":"%s","actor":"%s","request_id":"%032x","latency_ms":%d,'
            '"path":"/api/v2/%s/%d","ok":%s,"exported_at_utc":"2026-03-01T12:00:00Z"}'
            % (ts(), i, rnd.choice(words), rnd.choice(customers), rnd.getrandbits(128), rnd.randrange(1, 3000),
               rnd.choice(words), rnd.randrange(100000), "true" if rnd.random() < 0.97 else "false"))
def user(i):
    return ('{"pk":"ORG#acme","sk":"USER#%s","email":"%s.%d@example.org","display_name":"%s %s","roles":["%s"],'
            '"last_login":"%s","mfa":%s,"exported_at_utc":"2026-03-01T12:00:00Z","source_revision":%d}'
            % (customers[i % len(customers)], rnd.choice(words), i, rnd.choice(words).title(), rnd.choice(words).title(),
               rnd.choice(["owner", "admin", "member", "viewer"]), ts(), "true" if rnd.random() < .6 else "false",
               rnd.randrange(1, 9)))
tables = [("ord", "ord_orders", order, 0.45), ("evt", "evt_events", event, 0.40), ("usr", "usr_users", user, 0.15)]
part = 64_000_000
total = 0
for service, table, make, share in tables:
    os.makedirs(os.path.join(root, service), exist_ok=True)
    budget, n, i = int(target * share) + 1, 1, 0
    while budget > 0:
        path = os.path.join(root, service, "%s.part-%04d.jsonl" % (table, n))
        written = 0
        with open(path, "w") as f:
            while written < min(part, budget):
                chunk = "\n".join(make(i + k) for k in range(2000)) + "\n"
                i += 2000
                f.write(chunk)
                written += len(chunk)
        budget -= written
        total += written
        n += 1
print("generated %d bytes in %d files" % (total, sum(len(f) for _, _, f in os.walk(root))), file=sys.stderr)
PY
BYTES=$(du -sb --apparent-size "$WORK/payload" | cut -f1)
cat "$WORK"/payload/*/* >/dev/null
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

mbps() { python3 -c "print('%.1f' % ($BYTES / 1e6 / $1))"; }
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

# each run prints "wall user+sys" seconds (CPU of the whole process tree): on a shared machine the CPU seconds
# are the steadier figure, the wall clock is the one the target is about
run_ours() { # compression round; PackBench's line goes to $WORK/ours.<comp>.<round>
  local TIMEFORMAT='%R %U %S' t
  t=$( { time java -Xmx256m -cp "$CP" io.offboard.exporter.archive.PackBench "$WORK/payload" "$1" /dev/null \
    "$THREADS" >"$WORK/ours.$1.$2"; } 2>&1 )
  echo "$t" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}
run_peer() { # compressor command
  local TIMEFORMAT='%R %U %S' t
  t=$( { time bash -c "tar cf - -C '$WORK' payload | $1 | sha256sum >'$WORK/peer.sha'"; } 2>&1 )
  echo "$t" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}

# what the bag costs on top: a BagIt manifest needs every payload file's SHA-256, which the peer does not compute
run_file_hashes() {
  local TIMEFORMAT='%R %U %S' t
  t=$( { time bash -c "cd '$WORK' && find payload -type f | sort | xargs sha256sum >/dev/null"; } 2>&1 )
  echo "$t" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}
hash_c=()
for r in $(seq 1 "$ROUNDS"); do read -r _ c < <(run_file_hashes); hash_c+=("$c"); done
HASH_CPU=$(best "${hash_c[@]}")

SAME=""
printf '%-6s %-36s %8s %9s %8s %9s\n' "" "" "best s" "MB/s" "CPU s" "archive"
for comp in gzip zstd; do
  if [ "$comp" = gzip ]; then PEER="pigz -p $THREADS"; else PEER="zstd -q -T$THREADS -3"; fi
  ours_t=(); peer_t=(); ours_c=(); peer_c=()
  for r in $(seq 1 "$ROUNDS"); do
    read -r w c < <(run_peer "$PEER"); peer_t+=("$w"); peer_c+=("$c")
    read -r w c < <(run_ours "$comp" "$r"); ours_t+=("$w"); ours_c+=("$c")
  done
  OURS=$(best "${ours_t[@]}"); PEERS=$(best "${peer_t[@]}")
  OURS_CPU=$(best "${ours_c[@]}"); PEER_CPU=$(best "${peer_c[@]}")
  BEST_ROUND=$(python3 -c "import sys; v=[float(x) for x in sys.argv[1:]]; print(v.index(min(v)) + 1)" "${ours_t[@]}")
  read -r _ OURS_BYTES _ OURS_INNER _ <"$WORK/ours.$comp.$BEST_ROUND"
  if [ "$(cut -d' ' -f1 "$WORK"/ours."$comp".* | sort -u | wc -l)" = 1 ]; then
    SAME="$SAME $comp:identical"
  else
    SAME="$SAME $comp:DIFFERENT"; echo "WARNING: our $comp archive differs between rounds" >&2
  fi
  printf '%-6s %-36s %8.2f %9s %8.2f %8dM\n' "$comp" "ours (BagArchiveWriter, $THREADS threads)" "$OURS" "$(mbps "$OURS")" \
    "$OURS_CPU" $((OURS_BYTES / 1000000))
  printf '%-6s %-36s %8.2f %9s %8.2f\n' "" "tar | $PEER | sha256sum" "$PEERS" "$(mbps "$PEERS")" "$PEER_CPU"
  printf '%-6s ratio ours/peer = %sx wall (incl. JVM start; in-process %.2fs -> %sx), %sx CPU\n' "" \
    "$(ratio "$PEERS" "$OURS")" "$OURS_INNER" "$(ratio "$PEERS" "$OURS_INNER")" "$(ratio "$PEER_CPU" "$OURS_CPU")"
  echo "       all rounds, wall s: ours ${ours_t[*]}; peer ${peer_t[*]}"
  printf '%-6s same work (peer + sha256sum of every payload file, %.2f s CPU, as the bag needs): %sx CPU\n' "" \
    "$HASH_CPU" "$(ratio "$(python3 -c "print($PEER_CPU + $HASH_CPU)")" "$OURS_CPU")"
done
if python3 -c "import sys; sys.exit(0 if float('${LOAD0%% *}') > 0.5 * $(nproc) else 1)"; then
  echo "NOTE: the machine was busy (load average $LOAD0 on $(nproc) cores): wall-clock ratios then mostly measure" \
    "the scheduler's share (a pipeline of several processes gets more of it); compare the CPU ratio"
fi
echo "payload: $BYTES bytes of JSONL in $(find "$WORK/payload" -type f | wc -l) files; cores: $(nproc);" \
  "load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg); rounds: $ROUNDS;" \
  "our archive SHA-256 across rounds:$SAME"
