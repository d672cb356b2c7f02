#!/usr/bin/env bash
# Starts bus-forwarder + api-gateway on free loopback ports (fresh database, rate limit off for the
# bench key) and measures:
#   1. HTTP: wrk on GET /api/v1/sensing/latest (3 nodes updating at 20 Hz) vs GET /healthz (the
#      baseline: same server, no auth, constant body), alternating, RUNS times each; medians + ratio.
#   2. WebSocket fan-out: CLIENTS clients on /api/v1/stream/sensing at 20 Hz.
#   3. gRPC stream latency bus -> client (p50/p99) vs a plain bus subscriber.
# Usage: bench/gateway/run.sh [build-dir]   (env: RUNS=5 DURATION=5 CONNECTIONS=64 CLIENTS=1000)
set -euo pipefail
BUILD=${1:-build}
BIN=$BUILD/bin
RUNS=${RUNS:-5}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
CLIENTS=${CLIENTS:-1000}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
ulimit -n "$(ulimit -Hn)"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DIR=$(mktemp -d /tmp/gateway-bench.XXXXXX)
FE=$(port); BE=$(port); HTTP=$(port); GRPC=$(port)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT

"$BIN/bus-forwarder" --frontend "@tcp://127.0.0.1:$FE" --backend "@tcp://127.0.0.1:$BE" --admin-port "$(port)" \
  2>"$DIR/forwarder.log" & PIDS+=($!)
"$BIN/api-gateway" --db "$DIR/gw.db" --admin-key-file "$DIR/admin.key" --http-port "$HTTP" --grpc-port "$GRPC" \
  --admin-port "$(port)" --bus-pub ">tcp://127.0.0.1:$FE" --bus-sub ">tcp://127.0.0.1:$BE" --rate-limit 0 \
  --log-level warn 2>"$DIR/gateway.log" & PIDS+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$HTTP/healthz" >/dev/null && break; sleep 0.1; done
KEY=$(cat "$DIR/admin.key")
COMMON=(--bus-pub ">tcp://127.0.0.1:$FE" --bus-sub ">tcp://127.0.0.1:$BE" --http-port "$HTTP" --grpc "127.0.0.1:$GRPC" --key "$KEY")

"$BIN/gateway-bench" "${COMMON[@]}" --rate 20 --nodes 3 --seconds 100000 feed & FEED=$!; PIDS+=($FEED)
sleep 1
curl -sf -H "Authorization: Bearer $KEY" "http://127.0.0.1:$HTTP/api/v1/sensing/latest" | grep -q bench-0 \
  || { echo "no sensing data reached the gateway"; exit 1; }

rps() { wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
: >"$DIR/base"; : >"$DIR/latest"
for i in $(seq "$RUNS"); do
  rps "http://127.0.0.1:$HTTP/healthz" >>"$DIR/base"
  rps -H "Authorization: Bearer $KEY" "http://127.0.0.1:$HTTP/api/v1/sensing/latest" >>"$DIR/latest"
done
B=$(median <"$DIR/base"); L=$(median <"$DIR/latest")
echo "http runs=$RUNS duration=${DURATION}s connections=$CONNECTIONS"
echo "  GET /healthz (baseline)        median $B req/s  [$(tr '\n' ' ' <"$DIR/base")]"
echo "  GET /api/v1/sensing/latest     median $L req/s  [$(tr '\n' ' ' <"$DIR/latest")]"
awk -v l="$L" -v b="$B" 'BEGIN {printf "  ratio latest/healthz          %.2f\n", l/b}'
kill "$FEED"; wait "$FEED" 2>/dev/null || true

"$BIN/gateway-bench" "${COMMON[@]}" --rate 20 --nodes 1 --seconds 10 --clients "$CLIENTS" ws-fanout || true
"$BIN/gateway-bench" "${COMMON[@]}" --rate 100 --nodes 1 --seconds 10 grpc-latency || true
