#!/usr/bin/env bash
# partnerdesk's benchmark: partnerdesk and the minimal reference server (../shared/ceiling) side by
# side, on each engine, on a fresh database preloaded with ROWS requests, under the same wrk load.
# Prints throughput, p50/p99 latency as wrk saw it and as partnerdesk's own histogram (/metrics)
# counted it, the ratio partnerdesk/ceiling, and partnerdesk's peak RSS.
#
#   bench/run.sh                         # both engines, defaults below
#   ENGINES=sqlite ROWS=20000 bench/run.sh
#
# Env: ENGINES="sqlite postgres" ROWS=100000 ARTICLES=10000 CUSTOMERS=1000 CONCS="16" DURATION=10
#      WARMUP=3 ROUNDS=3 MODES="get customer customer_open search selfhelp page queue scorecard create"
#      (customer_open — a customer's open requests —, selfhelp, page — the
#      console's Customer requests page, signed in with a session cookie —, queue — the operator's,
#      most urgent first — and scorecard — one partner's, 90 days — are partnerdesk's only; the
#      ceiling has none)
#      CONCS: connection counts to run every mode at (e.g. "16 4")
#      ROUNDS: runs of each mode, partnerdesk and the reference alternately (both stay up), so that
#      the shared machine's drift falls on both alike; the table shows medians and the range of the
#      rounds' ratios
#      PG=postgres://postgres@127.0.0.1:5432 (server for the postgres runs; databases are recreated)
#      OUT=/var/tmp/partnerdesk-bench  SYNC=normal (SQLite synchronous, the same for both servers)
# Needs wrk (apt-get install wrk), python3, psql for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINES=${ENGINES:-"sqlite postgres"} ROWS=${ROWS:-100000} ARTICLES=${ARTICLES:-10000} CONCS=${CONCS:-${CONC:-16}}
# As many customers as the reference server spreads its requests over (1,000, ~100 requests each).
CUSTOMER_COUNT=${CUSTOMERS:-1000}
DURATION=${DURATION:-10} WARMUP=${WARMUP:-3} ROUNDS=${ROUNDS:-3} MODES=${MODES:-"get customer customer_open search selfhelp page queue scorecard create"} PG=${PG:-postgres://postgres@127.0.0.1:5432}
OUT=${OUT:-/var/tmp/partnerdesk-bench} SYNC=${SYNC:-normal}
CEILING_DIR=$(cd ../shared/ceiling && pwd)
PD_PORT=18181 CEILING_PORT=18182
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }

cargo build --release -p partnerdesk >&2
# Built from its own directory, so that this repository's .cargo/config.toml (SQLite build flags)
# leaves the reference's SQLite as its authors build it; but with partnerdesk's release profile
# (Cargo.toml: fat LTO, one codegen unit), so that both binaries are optimized alike.
(export CARGO_TARGET_DIR=$PWD/target/ceiling CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 &&
  cd "$CEILING_DIR" && cargo build --release >&2)
PD=$PWD/target/release/partnerdesk CEILING=$PWD/target/ceiling/release/ceiling

wait_up() { # url pid log
  for _ in $(seq 2400); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; return 1; }
    sleep 0.25
  done
  return 1
}
fresh_pg() { psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

results=$OUT/results.tsv
printf 'engine\tmode\tconc\tserver\trps\tp50_ms\tp99_ms\tnon2xx\tserver_p50_ms\tserver_p99_ms\n' >"$results"

# partnerdesk's own latency histogram (its /metrics) over one run: the bound of the bucket
# holding the 50th and 99th percentile of what the server itself spent per request.
server_latency() { # before-file after-file -> "p50 p99" (ms), or "– –"
  python3 - "$1" "$2" <<'PY'
import re, sys
def buckets(path):
    out = {}
    for line in open(path):
        m = re.match(r'partnerdesk_http_request_duration_seconds_bucket\{le="([^"]+)"\} (\d+)', line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out
before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
if not after:
    print("– –"); sys.exit()
delta = sorted(((float("inf") if le == "+Inf" else float(le)), after[le] - before.get(le, 0)) for le in after)
total = delta[-1][1]
def bound(q):
    for le, n in delta:
        if total and n >= q * total:
            return "inf" if le == float("inf") else f"{le * 1000:g}"
    return "–"
print(bound(0.50), bound(0.99))
PY
}

run_wrk() { # label url script mode dir -> appends a row per connection count
  local label=$1 url=$2 script=$3 mode=$4 dir=$5 t res conc server
  for conc in $CONCS; do
    t=$((conc < 2 ? 1 : 2))
    (cd "$dir" && MODE=$mode wrk -t"$t" -c"$conc" -d"${WARMUP}s" -s "$script" "$url" >/dev/null)
    curl -sf "$url/metrics" >"$OUT/metrics.before" 2>/dev/null || : >"$OUT/metrics.before"
    res=$(cd "$dir" && MODE=$mode wrk -t"$t" -c"$conc" -d"${DURATION}s" -s "$script" "$url" | grep '^RESULT')
    curl -sf "$url/metrics" >"$OUT/metrics.after" 2>/dev/null || : >"$OUT/metrics.after"
    server=$(server_latency "$OUT/metrics.before" "$OUT/metrics.after")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$mode" "$conc" "$label" "$(field rps "$res")" "$(field p50_ms "$res")" \
      "$(field p99_ms "$res")" "$(field non2xx "$res")" "${server% *}" "${server#* }" | tee -a "$results" >&2
  done
}

for engine in $ENGINES; do
  if [ "$engine" = sqlite ]; then
    rm -f "$OUT"/pd.db* "$OUT"/ceiling.db*
    pd_url=sqlite://$OUT/pd.db ceiling_url=sqlite:$OUT/ceiling.db ceiling_flags=(--sync "$SYNC")
  else
    fresh_pg pd_bench && fresh_pg pd_bench_ceiling
    pd_url=$PG/pd_bench ceiling_url=$PG/pd_bench_ceiling ceiling_flags=()
  fi
  # One token drives the whole load: lift the per-user write limit (600 a minute by default).
  export PARTNERDESK_DATABASE_URL=$pd_url PARTNERDESK_SQLITE_SYNC=$SYNC PARTNERDESK_LOG=warn PARTNERDESK_WRITES_PER_MINUTE=100000000

  echo "== $engine: preloading $ROWS requests and $ARTICLES articles into partnerdesk" >&2
  read -r FIRST LAST < <("$PD" admin seed --requests "$ROWS" --articles "$ARTICLES" --customers "$CUSTOMER_COUNT")
  TOKEN=$("$PD" admin token create --email admin@contoso.example --name bench)
  OPERATOR_TOKEN=$("$PD" admin token create --email engineer@operator.example --name bench)
  export FIRST LAST TOKEN OPERATOR_TOKEN CUSTOMERS=$OUT/customers.txt
  "$PD" serve --bind "127.0.0.1:$PD_PORT" >"$OUT/pd-$engine.log" 2>&1 &
  pd_pid=$!
  wait_up "http://127.0.0.1:$PD_PORT/readyz" "$pd_pid" "$OUT/pd-$engine.log"
  # The console's pages take a session cookie, as a browser sends it.
  SESSION=$(curl -sf -i "http://127.0.0.1:$PD_PORT/v1/session" -H 'Content-Type: application/json' \
    -d '{"email":"admin@contoso.example","password":"demo-password"}' |
    sed -n 's/^[Ss]et-[Cc]ookie: pd_session=\([^;]*\).*/\1/p')
  export SESSION
  PARTNER=$(curl -sf "http://127.0.0.1:$PD_PORT/v1/me" -H "Authorization: Bearer $TOKEN" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["organization"]["id"])')
  export PARTNER
  python3 - "http://127.0.0.1:$PD_PORT" "$TOKEN" >"$CUSTOMERS" <<'PY'
import json, sys, urllib.request
base, token, offset = sys.argv[1], sys.argv[2], 0
while True:
    req = urllib.request.Request(f"{base}/v1/customers?size=500&offset={offset}",
                                 headers={"Authorization": f"Bearer {token}"})
    items = json.load(urllib.request.urlopen(req))["items"]
    for c in items:
        print(c["id"])
    if len(items) < 500:
        break
    offset += 500
PY

  echo "== $engine: ceiling with $ROWS requests" >&2
  "$CEILING" --db "$ceiling_url" --listen "127.0.0.1:$CEILING_PORT" --seed "$ROWS" --reset "${ceiling_flags[@]}" \
    >"$OUT/ceiling-$engine.log" 2>&1 &
  c_pid=$!
  wait_up "http://127.0.0.1:$CEILING_PORT/static" "$c_pid" "$OUT/ceiling-$engine.log"

  # Both servers are up; one is loaded at a time. Each round runs partnerdesk and then the
  # reference on the same mode, so that the machine's drift (it is shared) falls on both alike.
  for mode in $MODES; do
    for round in $(seq "$ROUNDS"); do
      run_wrk partnerdesk "http://127.0.0.1:$PD_PORT" "$PWD/bench/partnerdesk.lua" "$mode" "$PWD"
      case $mode in customer_open | selfhelp | page | queue | scorecard) continue ;; esac # the reference server has none
      ROWS=$ROWS run_wrk ceiling "http://127.0.0.1:$CEILING_PORT" bench/wrk.lua "$mode" "$CEILING_DIR"
    done
  done
  hwm=$(awk '/VmHWM/{printf "%.1f", $2/1024}' "/proc/$pd_pid/status")
  printf '%s\tpeak_rss_mb\t\tpartnerdesk\t%s\t\t\t\n' "$engine" "$hwm" | tee -a "$results" >&2
  kill "$pd_pid" "$c_pid"; wait "$pd_pid" "$c_pid" 2>/dev/null || true
done

echo
python3 - "$results" "$ROWS" "$ARTICLES" "$ROUNDS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print(f"## {sys.argv[2]} requests and {sys.argv[3]} articles preloaded; median of {sys.argv[4]} alternating rounds\n")
print("| engine | operation | connections | partnerdesk req/s | ceiling req/s | ratio (rounds) | partnerdesk p50 / p99 ms | server-side p50 / p99 ≤ ms | ceiling p50 / p99 ms | non-2xx |")
print("|---|---|---|---|---|---|---|---|---|---|")
runs = {}
for r in rows:
    runs.setdefault((r["engine"], r["mode"], r["conc"], r["server"]), []).append(r)
def median(rs, field):
    values = [float(r[field]) for r in rs if r[field] not in ("", "–", "inf")]
    return statistics.median(values) if values else float("nan")
for (engine, mode, conc, server), rs in runs.items():
    if server != "partnerdesk" or mode == "peak_rss_mb":
        continue
    cs = runs.get((engine, mode, conc, "ceiling"))
    rps = median(rs, "rps")
    if cs:
        each = sorted(float(r["rps"]) / float(c["rps"]) for r, c in zip(rs, cs))
        ratio = f"**{rps / median(cs, 'rps'):.0%}** ({each[0]:.0%}–{each[-1]:.0%})"
        ceiling = f"{median(cs, 'rps'):,.0f}"
        ceiling_ms = f"{median(cs, 'p50_ms'):.1f} / {median(cs, 'p99_ms'):.1f}"
    else:
        ratio = ceiling = ceiling_ms = "–"
    middle = sorted(rs, key=lambda r: float(r["rps"]))[len(rs) // 2]  # the round of the median
    server_ms = f"{middle['server_p50_ms']} / {middle['server_p99_ms']}"
    non2xx = sum(int(r["non2xx"] or 0) for r in rs)
    print(f"| {engine} | {mode} | {conc} | {rps:,.0f} | {ceiling} | {ratio} | {median(rs, 'p50_ms'):.1f} / {median(rs, 'p99_ms'):.1f} | "
          f"{server_ms} | {ceiling_ms} | {non2xx} |")
for (engine, mode, conc, server), rs in runs.items():
    if mode == "peak_rss_mb":
        print(f"\npartnerdesk peak RSS on {engine}: {rs[0]['rps']} MB")
PY
