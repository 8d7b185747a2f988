#!/usr/bin/env bash
# Webhook acknowledgement latency against the bare GET /health endpoint of the same server, same run.
# Target: webhook p99 <= 1.5 x health p99.
#
# The deliveries are signed issue_comment events on an issue, a realistic payload (~6 KB) whose comment
# holds no command: the server verifies the HMAC on the raw bytes, answers 202, and a worker parses and
# routes it in the background (where it is dropped before any store or GitHub call).
#
# usage: bench/webhook-ack.sh [seconds per endpoint, default 15] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-8}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
command -v openssl >/dev/null || { echo "needs openssl: apt-get install openssl" >&2; exit 2; }
[ -f local/target/offboard-local.jar ] || mvn -B -q package -DskipTests

WORK=$(mktemp -d)
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
SECRET="bench-$(date +%s)"
OFFBOARD_WEBHOOK_SECRETS="$SECRET" java -Xmx512m -jar local/target/offboard-local.jar serve \
  --port "$PORT" --data-dir "$WORK/data" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "server did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }

BODY=$(python3 - <<'PY'
import json
user = {"login": "alice", "id": 1001, "type": "User", "site_admin": False}
repo = {"id": 1, "name": "infra", "full_name": "platform/infra", "private": True, "owner": {"login": "platform", "id": 1, "type": "Organization"}}
issue = {"number": 12, "title": "Eviction: acme", "state": "open", "user": user, "labels": [{"name": "eviction"}],
         "body": "### Tenant orgcode\n\nacme\n\n" + "lorem ipsum " * 300}
comment = {"id": 555, "user": user, "body": "Thanks, we will export next week and check the archive.",
           "author_association": "MEMBER", "created_at": "2026-12-01T10:00:00Z"}
print(json.dumps({"action": "created", "issue": issue, "comment": comment, "repository": repo, "sender": user,
                  "installation": {"id": 42}}))
PY
)
export BENCH_BODY="$BODY"
export BENCH_SIGNATURE="sha256=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}')"

code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/github/webhook" \
  -H "X-GitHub-Event: issue_comment" -H "X-GitHub-Delivery: check-1" -H "X-Hub-Signature-256: $BENCH_SIGNATURE" \
  -H "Content-Type: application/json" --data-binary "$BODY")
[ "$code" = 202 ] || { echo "signed delivery answered $code, expected 202" >&2; exit 1; }

# warm-up: JIT both paths before measuring
wrk -t1 -c"$CONNECTIONS" -d5s -s bench/webhook.lua "http://127.0.0.1:$PORT/github/webhook" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$PORT/health" >/dev/null

WEBHOOK=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/webhook.lua "http://127.0.0.1:$PORT/github/webhook")
HEALTH=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/health")

pct() { echo "$1" | awk -v p="$2" '$1==p {print $2}'; }
to_ms() { python3 -c "import re,sys; v=sys.argv[1]; m=re.match(r'([0-9.]+)(us|ms|s)$', v); n=float(m.group(1)); print(n/1000 if m.group(2)=='us' else n*1000 if m.group(2)=='s' else n)" "$1"; }
errors() { echo "$1" | awk '/Non-2xx/ {print $NF} END {}' | head -1; }
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }

W50=$(to_ms "$(pct "$WEBHOOK" 50%)"); W99=$(to_ms "$(pct "$WEBHOOK" 99%)")
H50=$(to_ms "$(pct "$HEALTH" 50%)"); H99=$(to_ms "$(pct "$HEALTH" 99%)")
printf 'endpoint            p50_ms   p99_ms   req/s    non-2xx\n'
printf 'POST /github/webhook %7.3f %8.3f %8s %8s\n' "$W50" "$W99" "$(rps "$WEBHOOK")" "$(errors "$WEBHOOK")"
printf 'GET /health          %7.3f %8.3f %8s %8s\n' "$H50" "$H99" "$(rps "$HEALTH")" "$(errors "$HEALTH")"
python3 -c "import sys; w,h=float(sys.argv[1]),float(sys.argv[2]); r=w/h; print(f'ratio webhook/health p99: {r:.2f} (target <= 1.50): ' + ('PASS' if r <= 1.5 else 'FAIL'))" "$W99" "$H99"
