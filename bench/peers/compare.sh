#!/usr/bin/env bash
# Ingress peers under wrk, against one broker: labhooks' ingress (`labhooks ingress`, one source with
# auth none), the Spring Boot webhook, the Camel route and the bare Undertow floor. See README.md beside
# this file. Needs the jars (bench/peers/build-all.sh --with-labhooks) and wrk.
#
#   bench/peers/compare.sh                      # 10 s per cell, 10 s warm-up per peer and body size: ~7 min
#   bench/peers/compare.sh -d 30 -w 30 -r 3     # longer: 3 rounds of 30 s cells
#
# Options:
#   -d SECONDS   measured duration of each cell (default 10)
#   -w SECONDS   warm-up per peer and body size at 64 connections, discarded (default 10; 0 skips it)
#   -r ROUNDS    measured rounds (default 1); with more, a table of the medians follows
#   -c "C ..."   connection counts (default "16 64 256"; "" runs only the fixed rates)
#   -s "B ..."   body sizes in bytes (default "2048 25600")
#   -t THREADS   wrk threads (default 2; at most the smallest connection count)
#   -p "P ..."   servers, of labhooks spring camel floor (default all four)
#   -R "R ..."   fixed rates, requests/s, for the latency comparison with the project's own load client (LoadClient,
#                each request timed from when it was due: a closed loop hides the tail), 64 connections, -d seconds
#                per server, rate and body size (default "2000"; "" skips it)
#   -o FILE      also append the Markdown output to FILE
# Environment: SERVER_JAVA_OPTS (default -Xmx1g, the same for every server), BROKER_PORT, KEEP_WORK=1.
#
# One broker (labhooks' EmbeddedKafka alone, 3 partitions per topic; each server its own topic), all
# servers started at once and idle but for the one under load. Per cell (body size x connections) the
# servers run one after the other, the order rotated from cell to cell. Every request of a run must be
# answered 200, and each topic must end with at least as many records as its server answered 200
# (wrk does not count the requests still in flight when a run ends).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

duration=10 warmup=10 rounds=1 conns="16 64 256" sizes="2048 25600" threads=2
servers="labhooks spring camel floor" out="" rates="2000"
while getopts "d:w:r:c:s:t:p:R:o:h" opt; do
  case "$opt" in
    d) duration=$OPTARG ;;
    w) warmup=$OPTARG ;;
    r) rounds=$OPTARG ;;
    c) conns=$OPTARG ;;
    s) sizes=$OPTARG ;;
    t) threads=$OPTARG ;;
    p) servers=$OPTARG ;;
    R) rates=$OPTARG ;;
    o) out=$OPTARG ;;
    h) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is needed" >&2; exit 2; }
read -r -a names <<<"$servers"
read -r -a conn_list <<<"$conns"
read -r -a size_list <<<"$sizes"
read -r -a rate_list <<<"$rates"
for c in "${conn_list[@]}"; do
  ((c >= threads)) || { echo "wrk needs connections >= threads ($c < $threads)" >&2; exit 2; }
done

work="$(mktemp -d /tmp/labhooks-peers-compare.XXXXXX)"
server_java_opts="${SERVER_JAVA_OPTS:--Xmx1g}"
# shellcheck source=lib.sh
source "$root/bench/peers/lib.sh"
for n in "${names[@]}"; do
  [[ -n "${peer_jar[$n]:-}" ]] || die "unknown server $n (labhooks spring camel floor)"
done
cleanup_on_exit
cells=$(( ${#conn_list[@]} * ${#size_list[@]} ))
bound=$(( 600 + ${#names[@]} * ( ${#size_list[@]} * (warmup + 15) + rounds * (cells + ${#size_list[@]} * ${#rate_list[@]}) * (duration + 15) ) ))
watchdog "$bound"

require_jars "${names[@]}"
compile_tools
topics=$(for n in "${names[@]}"; do printf '%s,' "${peer_topic[$n]}"; done)
start_broker "${BROKER_PORT:-$(free_port 19490)}" "${topics%,}"
for b in "${size_list[@]}"; do
  make_body "$b" "$work/body-$b.json"
done
declare -A ok=()
for n in "${names[@]}"; do
  start_server "$n" "$(free_port 18480)"
  wait_ready "$n" "$work/body-${size_list[0]}.json"
  ok[$n]=1
  log "$n ready on port ${peer_port[$n]} (pid ${peer_pid[$n]})"
done

# run_wrk NAME CONNS SECONDS BODY_BYTES: one wrk run; sets wrk_line to its WRKSTAT line and adds its 200s
# to ok[NAME]. Call it directly, not in $(...), or the count is lost.
wrk_line=""
run_wrk() {
  local name=$1 c=$2 secs=$3 b=$4 line req non2xx
  kill -0 "${peer_pid[$name]}" 2>/dev/null || die "$name exited (log: $work/$name.log)"
  line=$(timeout $((secs + 60)) wrk -t"$threads" -c"$c" -d"${secs}s" --timeout 10s \
    -s "$peers_dir/wrk-post.lua" "$(url_of "$name")" -- "$work/body-$b.json" 2>>"$work/wrk.err" | grep '^WRKSTAT' || true)
  [[ -n "$line" ]] || die "wrk against $name printed no result (see $work/wrk.err)"
  req=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")
  non2xx=$(sed -n 's/.* non2xx=\([0-9]*\).*/\1/p' <<<"$line")
  ok[$name]=$(( ${ok[$name]} + req - non2xx ))
  wrk_line=$line
}

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
if ((warmup > 0)); then
  for b in "${size_list[@]}"; do
    for n in "${names[@]}"; do
      log "warm-up $n: $b B, 64 connections, $warmup s"
      run_wrk "$n" 64 "$warmup" "$b"
    done
  done
fi

results="$work/results.tsv"   # round size conns server rps p50_us p99_us non2xx errors load1 srv_us_req broker_us_req
tck=$(getconf CLK_TCK)
: >"$results"
cell=0
# next_order: sets order to the servers rotated by one more than the last time, so that no server always runs
# right after the same other one.
next_order() {
  order=()
  for ((i = 0; i < ${#names[@]}; i++)); do
    order+=("${names[$(( (i + cell) % ${#names[@]} ))]}")
  done
  cell=$((cell + 1))
}
for ((r = 1; r <= rounds; r++)); do
  for b in "${size_list[@]}"; do
    for c in "${conn_list[@]}"; do
      next_order
      for n in "${order[@]}"; do
        l=$(load1)
        s0=$(cpu_ticks "${peer_pid[$n]}") k0=$(cpu_ticks "$broker_pid")
        run_wrk "$n" "$c" "$duration" "$b"
        line=$wrk_line
        s1=$(cpu_ticks "${peer_pid[$n]}") k1=$(cpu_ticks "$broker_pid")
        nreq=$(field requests "$line")
        srv_us=$(awk -v d=$((s1 - s0)) -v t="$tck" -v n="$nreq" 'BEGIN { printf "%.0f", (n > 0 ? d * 1e6 / t / n : 0) }')
        brk_us=$(awk -v d=$((k1 - k0)) -v t="$tck" -v n="$nreq" 'BEGIN { printf "%.0f", (n > 0 ? d * 1e6 / t / n : 0) }')
        errs=$(( $(field errors_connect "$line") + $(field errors_read "$line") + $(field errors_write "$line") + $(field errors_timeout "$line") ))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$b" "$c" "$n" "$(field rps "$line")" \
          "$(field p50_us "$line")" "$(field p99_us "$line")" "$(field non2xx "$line")" "$errs" "$l" "$srv_us" "$brk_us" >>"$results"
        log "round $r, $b B, $c conns, $n: $(field rps "$line") req/s, p50 $(field p50_us "$line") us, p99 $(field p99_us "$line") us, non-2xx $(field non2xx "$line"), errors $errs, server CPU $srv_us us/req, broker CPU $brk_us us/req"
      done
    done
  done
done

# The same servers at fixed rates, driven by the project's LoadClient (tools/FixedRate.java): latency percentiles
# that count a late request from when it was due. Adds its 200s to ok[] like run_wrk.
fixed="$work/fixed.tsv"   # round size rate server rps p50_us p99_us p999_us non2xx errors load1
: >"$fixed"
for ((r = 1; r <= rounds; r++)); do
  for b in "${size_list[@]}"; do
    for rate in "${rate_list[@]}"; do
      next_order
      for n in "${order[@]}"; do
        kill -0 "${peer_pid[$n]}" 2>/dev/null || die "$n exited (log: $work/$n.log)"
        l=$(load1)
        line=$(timeout $((duration + 60)) java -cp "$dev_jar:$work/tools" FixedRate 127.0.0.1 "${peer_port[$n]}" /hooks/bench "$b" \
          "$rate" "$duration" 64 2>>"$work/fixed.err" | grep '^FIXEDRATE' || true)
        [[ -n "$line" ]] || die "the fixed-rate client against $n printed no result (see $work/fixed.err)"
        ok[$n]=$(( ${ok[$n]} + $(field ok "$line") ))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$b" "$rate" "$n" "$(field rps "$line")" "$(field p50_us "$line")" \
          "$(field p99_us "$line")" "$(field p999_us "$line")" "$(field non2xx "$line")" "$(field errors "$line")" "$l" >>"$fixed"
        log "round $r, $b B, fixed $rate/s, $n: $(field rps "$line") req/s, p50 $(field p50_us "$line") us, p99 $(field p99_us "$line") us, p99.9 $(field p999_us "$line") us, non-2xx $(field non2xx "$line"), errors $(field errors "$line")"
      done
    done
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Records on each topic versus the 200s its server gave (warm-up and readiness POSTs included).
sleep 2
check_ok=1
counts=$(tool RecordCount "$broker_bootstrap" "${topics%,}")
record_lines=()
for n in "${names[@]}"; do
  got=$(awk -v t="${peer_topic[$n]}" '$1 == t {print $2}' <<<"$counts")
  if ((got >= ${ok[$n]})); then verdict=ok; else verdict=MISSING; check_ok=0; fi
  record_lines+=("| $n | ${peer_topic[$n]} | ${ok[$n]} | $got | $verdict |")
done
bad_status=$(( $(awk -F'\t' '$8 + $9 > 0' "$results" | wc -l) + $(awk -F'\t' '$9 + $10 > 0' "$fixed" | wc -l) ))

report() {
  echo "### Ingress peers, $started"
  echo
  echo "\`bench/peers/compare.sh -d $duration -w $warmup -r $rounds -c \"$conns\" -s \"$sizes\" -t $threads -p \"$servers\" -R \"$rates\"\`"
  echo "(commit \`$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)\`; $(java -version 2>&1 | sed -n 2p);" \
    "$(nproc) cores; server JVMs \`$server_java_opts\`; load average at start $load_start, at end $load_end)"
  echo
  echo "req/s and wrk's latency percentiles (ms) per cell; ratio = req/s / the floor's req/s in the same cell and round;"
  echo "CPU µs/req = CPU time (user + system) of the server's JVM, and of the broker's, during the run / requests answered;"
  echo "load1 = the 1-minute load average just before the run."
  echo
  awk -F'\t' -v rounds="$rounds" '
    { key = $1 SUBSEP $2 SUBSEP $3; if ($4 == "floor") floor[key] = $5; rows[NR] = $0 }
    END {
      printf "| %sbody | conns | server | req/s | p50 ms | p99 ms | ratio vs floor | server CPU µs/req | broker CPU µs/req | non-2xx + errors | load1 |\n", (rounds > 1 ? "round | " : "")
      printf "|%s---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n", (rounds > 1 ? "---:|" : "")
      for (i = 1; i <= NR; i++) {
        split(rows[i], f, "\t"); key = f[1] SUBSEP f[2] SUBSEP f[3]
        ratio = (key in floor && floor[key] > 0) ? sprintf("%.2f", f[5] / floor[key]) : "-"
        printf "| %s%s | %d | %s | %.0f | %.1f | %.1f | %s | %d | %d | %d | %s |\n", (rounds > 1 ? f[1] " | " : ""),
          (f[2] % 1024 == 0 ? f[2] / 1024 " KiB" : f[2] " B"), f[3], f[4], f[5], f[6] / 1000, f[7] / 1000, ratio, f[11], f[12], f[8] + f[9], f[10]
      }
    }' "$results"
  if ((rounds > 1)); then
    echo
    echo "Medians over the $rounds rounds (ratio vs floor: median of the per-round ratios; CPU vs floor: ratio of the medians):"
    echo
    awk -F'\t' '
      function median(s,   a, n, i, j, t) {
        n = split(s, a, " ")
        for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      }
      { key = $1 SUBSEP $2 SUBSEP $3; if ($4 == "floor") floor[key] = $5; rows[NR] = $0 }
      END {
        for (i = 1; i <= NR; i++) {
          split(rows[i], f, "\t"); k = f[2] SUBSEP f[3] SUBSEP f[4]; key = f[1] SUBSEP f[2] SUBSEP f[3]
          if (!(k in seen)) { seen[k] = 1; order[++n] = k }
          rps[k] = rps[k] " " f[5]; p50[k] = p50[k] " " f[6]; p99[k] = p99[k] " " f[7]
          srv[k] = srv[k] " " f[11]; brk[k] = brk[k] " " f[12]
          if (key in floor && floor[key] > 0) ratio[k] = ratio[k] " " f[5] / floor[key]
        }
        print "| body | conns | server | req/s | p50 ms | p99 ms | ratio vs floor | server CPU µs/req | CPU vs floor | broker CPU µs/req |"
        print "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
        for (j = 1; j <= n; j++) {
          split(order[j], f, SUBSEP); fk = f[1] SUBSEP f[2] SUBSEP "floor"
          cpu = median(srv[order[j]]); fcpu = (fk in srv) ? median(srv[fk]) : 0
          printf "| %s | %d | %s | %.0f | %.1f | %.1f | %s | %.0f | %s | %.0f |\n", (f[1] % 1024 == 0 ? f[1] / 1024 " KiB" : f[1] " B"), f[2], f[3],
            median(rps[order[j]]), median(p50[order[j]]) / 1000, median(p99[order[j]]) / 1000,
            (order[j] in ratio ? sprintf("%.2f", median(ratio[order[j]])) : "-"), cpu,
            (fcpu > 0 ? sprintf("%.2f", cpu / fcpu) : "-"), median(brk[order[j]])
        }
      }' "$results"
  fi
  if [[ -s "$fixed" ]]; then
    echo
    echo "Fixed rates (the project's LoadClient, 64 connections, $duration s per run; each request timed from when it was"
    echo "due, so a stall shows on every request it delayed): achieved req/s and latency percentiles in ms; p99 vs floor ="
    echo "p99 / the floor's p99 at the same rate, body and round (below 1: a shorter tail than the floor's)."
    echo
    awk -F'\t' '
      { key = $1 SUBSEP $2 SUBSEP $3; if ($4 == "floor") floor[key] = $7; rows[NR] = $0 }
      END {
        print "| round | body | rate/s | server | req/s | p50 ms | p99 ms | p99.9 ms | p99 vs floor | non-2xx + errors | load1 |"
        print "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
        for (i = 1; i <= NR; i++) {
          split(rows[i], f, "\t"); key = f[1] SUBSEP f[2] SUBSEP f[3]
          ratio = (key in floor && floor[key] > 0) ? sprintf("%.2f", f[7] / floor[key]) : "-"
          printf "| %s | %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %s | %d | %s |\n", f[1], (f[2] % 1024 == 0 ? f[2] / 1024 " KiB" : f[2] " B"),
            f[3], f[4], f[5], f[6] / 1000, f[7] / 1000, f[8] / 1000, ratio, f[9] + f[10], f[11]
        }
      }' "$fixed"
  fi
  echo
  echo "Records landed (all runs, warm-up included; wrk does not count requests in flight when a run ends):"
  echo
  echo "| server | topic | 200s counted | records on the topic | check |"
  echo "|---|---|---:|---:|---|"
  printf '%s\n' "${record_lines[@]}"
}
if [[ -n "$out" ]]; then report | tee -a "$out"; else report; fi

if ((check_ok == 0 || bad_status > 0)); then
  log "FAILED: $bad_status run(s) with non-2xx answers or socket errors, or fewer records than 200s"
  exit 1
fi
