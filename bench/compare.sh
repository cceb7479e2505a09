#!/usr/bin/env bash
# Side-by-side benchmark of Apogee and Apache RocketMQ on this machine, one broker at a time, with
# the same built-in bench (java -jar target/apogee.jar bench ...), client and broker on loopback,
# one topic of 8 queues per row. Writes bench/results/compare-<date>.txt (the raw rows, one JSON
# line each, and a table with ratios) and prints the table.
#
# usage: bench/compare.sh [quick]     ("quick": shorter rows and a 200,000-message drain)
# needs: target/apogee.jar (mvn -B package -DskipTests), python3, and
#        ../shared/tools/rocketmq-reference (RocketMQ from Maven Central jars; its first start
#        downloads them). Ports 9876, 10911, 8080, 19876 and 20911 must be free.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REF=${RMQ_REF_DIR:-$ROOT/../shared/tools/rocketmq-reference}
[ -f target/apogee.jar ] || { echo "target/apogee.jar missing: mvn -B package -DskipTests" >&2; exit 1; }
[ -x "$REF/start.sh" ] || { echo "no reference RocketMQ at $REF" >&2; exit 1; }

if [ "${1:-}" = quick ]; then DUR=6; WARM=3; DRAIN=200000; E2E_WARM=10; else DUR=15; WARM=5; DRAIN=1000000; E2E_WARM=20; fi
WORK=$(mktemp -d /tmp/apogee-compare.XXXXXX)
cp target/apogee.jar "$WORK/bench.jar"      # the bench client (never the broker's own jar file)
cp target/apogee.jar "$WORK/broker.jar"
mkdir -p bench/results
OUT=bench/results/compare-$(date +%Y%m%d-%H%M).txt
RAW=$WORK/rows.jsonl
APOGEE_PID=
trap 'stop_apogee; "$REF/stop.sh" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
rss_kib() { local t=0 p; for p in "$@"; do t=$((t + $(awk '/VmRSS/ {print $2}' "/proc/$p/status"))); done; echo $t; }

# row BROKER NAMESRV LABEL PIDS... -- bench args: runs one bench row, records it with the brokers' CPU.
row() {
  local broker=$1 ns=$2 label=$3; shift 3
  local pids=()
  while [ "$1" != -- ]; do pids+=("$1"); shift; done; shift
  local c0 c1 json
  c0=$(ticks "${pids[@]}")
  json=$(timeout 1200 java -jar "$WORK/bench.jar" bench "$@" --namesrv "$ns" --json 2>"$WORK/bench.err" | tail -1) || true
  c1=$(ticks "${pids[@]}")
  if [ -z "$json" ] || [ "${json:0:1}" != "{" ]; then
    json='{"error":"bench failed: '"$(tail -1 "$WORK/bench.err" | tr -d '"\\')"'"}'
  fi
  echo "{\"broker\":\"$broker\",\"row\":\"$label\",\"cpuTicks\":$((c1 - c0)),\"result\":$json}" | tee -a "$RAW"
}

rows() {
  local b=$1 ns=$2; shift 2
  row "$b" "$ns" "sync 1 KiB, 1 thread" "$@" -- produce --topic C1k --mode sync --threads 1 --size 1024 --duration $DUR --warmup $WARM
  row "$b" "$ns" "sync 1 KiB, 8 threads" "$@" -- produce --topic C1k --mode sync --threads 8 --size 1024 --duration $DUR --warmup $WARM
  row "$b" "$ns" "sync 128 B, 1 thread" "$@" -- produce --topic C128 --mode sync --threads 1 --size 128 --duration $DUR --warmup $WARM
  row "$b" "$ns" "sync 128 B, 8 threads" "$@" -- produce --topic C128 --mode sync --threads 8 --size 128 --duration $DUR --warmup $WARM
  row "$b" "$ns" "async 1 KiB, 1024 in flight" "$@" -- produce --topic C1k --mode async --inflight 1024 --size 1024 --duration $DUR --warmup $WARM
  row "$b" "$ns" "e2e 1 KiB at 10,000/s" "$@" -- e2e --topic CE2e --rate 10000 --size 1024 --duration $DUR --warmup $E2E_WARM
  row "$b" "$ns" "drain of $DRAIN 1 KiB (CPU: fill+drain)" "$@" -- consume --topic CDrain --messages $DRAIN --size 1024
}

durable_rows() {
  local b=$1 ns=$2; shift 2
  row "$b" "$ns" "durable sync 1 KiB, 1 thread" "$@" -- produce --topic CDur --mode sync --threads 1 --size 1024 --duration $DUR --warmup $WARM
  row "$b" "$ns" "durable sync 1 KiB, 8 threads" "$@" -- produce --topic CDur --mode sync --threads 8 --size 1024 --duration $DUR --warmup $WARM
}

start_apogee() {   # $1: flushDiskType
  rm -rf "$WORK/apogee" && mkdir -p "$WORK/apogee"
  (cd "$WORK/apogee" && APOGEE_FLUSH_DISK_TYPE=$1 exec java -jar "$WORK/broker.jar" >broker.log 2>&1) &
  APOGEE_PID=$!
  for _ in $(seq 1 600); do grep -q "ready in" "$WORK/apogee/broker.log" 2>/dev/null && break; sleep 0.1; done
  grep -q "ready in" "$WORK/apogee/broker.log" || { cat "$WORK/apogee/broker.log" >&2; exit 1; }
}
stop_apogee() {
  if [ -n "$APOGEE_PID" ] && kill -0 "$APOGEE_PID" 2>/dev/null; then kill "$APOGEE_PID"; wait "$APOGEE_PID" 2>/dev/null || true; fi
  APOGEE_PID=
}
rmq_pids() { echo "$(cat /tmp/rocketmq-ref/run/broker.pid) $(cat /tmp/rocketmq-ref/run/namesrv.pid)"; }

echo "== Apogee"
start_apogee ASYNC_FLUSH
ready=$(sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' "$WORK/apogee/broker.log")
sleep 5   # idle before the RSS sample
echo "{\"broker\":\"apogee\",\"row\":\"start to ready (ms)\",\"value\":$ready}" | tee -a "$RAW"
echo "{\"broker\":\"apogee\",\"row\":\"idle RSS (MiB)\",\"value\":$(( $(rss_kib $APOGEE_PID) / 1024 ))}" | tee -a "$RAW"
rows apogee 127.0.0.1:9876 $APOGEE_PID
stop_apogee
start_apogee SYNC_FLUSH
durable_rows apogee 127.0.0.1:9876 $APOGEE_PID
stop_apogee

echo "== RocketMQ"
rs=$("$REF/start.sh")
ns_ms=$(echo "$rs" | sed -n 's/.*listening after \([0-9]*\) ms.*/\1/p')
reg_ms=$(echo "$rs" | sed -n 's/.*registered at the name server \([0-9]*\) ms.*/\1/p')
sleep 5
echo "{\"broker\":\"rocketmq\",\"row\":\"start to ready (ms)\",\"value\":$(( ns_ms + reg_ms ))}" | tee -a "$RAW"
echo "{\"broker\":\"rocketmq\",\"row\":\"idle RSS (MiB)\",\"value\":$(( $(rss_kib $(rmq_pids)) / 1024 ))}" | tee -a "$RAW"
rows rocketmq 127.0.0.1:19876 $(rmq_pids)
"$REF/stop.sh" >/dev/null
FLUSH=SYNC_FLUSH "$REF/start.sh" >/dev/null
durable_rows rocketmq 127.0.0.1:19876 $(rmq_pids)
"$REF/stop.sh" >/dev/null

{
  echo "# bench/compare.sh $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo "# rows: ${DUR} s measured after ${WARM} s warm-up (e2e: ${E2E_WARM} s); CPU = broker process(es) CPU seconds per million"
  echo "# messages (produce rows: measured over warm-up and run, scaled to the run; drain: filling included)"
  DUR=$DUR WARM=$WARM python3 - "$RAW" <<'EOF'
import json, os, sys
dur, warm = float(os.environ["DUR"]), float(os.environ["WARM"])
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["row"], {})[r["broker"]] = r
def fmt(v, d=0):
    return "-" if v is None else f"{v:,.{d}f}"
print(f"{'row':34} {'Apogee':>10} {'RocketMQ':>10} {'ratio':>7}   {'p99 us A/R':>21} {'CPU s/M A/R':>15}")
for name, b in by.items():
    a, m = b.get("apogee"), b.get("rocketmq")
    if a and "value" in a:
        av, mv = a["value"], m["value"] if m else None
        ratio = av / mv if mv else None
        print(f"{name:34} {fmt(av):>10} {fmt(mv):>10} {fmt(ratio, 2):>7}")
        continue
    def rate(x):
        res = (x or {}).get("result", {})
        if "rows" in res:
            return res["rows"][0]
        return None
    ra, rm = rate(a), rate(m)
    va = ra["msgPerSec"] if ra else None
    vm = rm["msgPerSec"] if rm else None
    if name.startswith("e2e"):
        pa = f"{ra['p50us']}/{ra['p99us']}/{ra['p999us']}" if ra else "-"
        pm = f"{rm['p50us']}/{rm['p99us']}/{rm['p999us']}" if rm else "-"
        print(f"{name:34} p50/p99/p99.9 us: Apogee {pa}, RocketMQ {pm}")
        continue
    def cpu(x, r):
        if not x or not r or not r["messages"]:
            return None
        # Produce rows: the CPU of warm-up and measurement, scaled to the measured part.
        share = 1.0 if name.startswith("drain") else dur / (dur + warm)
        return x["cpuTicks"] * share / 100 / (r["messages"] / 1e6)
    ca, cm = cpu(a, ra), cpu(m, rm)
    ratio = va / vm if va and vm else None
    p99 = f"{ra['p99us'] if ra else '-'}/{rm['p99us'] if rm else '-'}"
    cpus = f"{fmt(ca, 1)}/{fmt(cm, 1)}"
    print(f"{name:34} {fmt(va):>10} {fmt(vm):>10} {fmt(ratio, 2):>7}   {p99:>21} {cpus:>15}")
    for x in (a, m):
        if x and "error" in x.get("result", {}):
            print(f"   {x['broker']}: {x['result']['error']}")
EOF
  echo
  echo "# raw rows"
  cat "$RAW"
} > "$OUT"
sed -n '1,/^# raw rows/p' "$OUT"
echo "written: $OUT"
