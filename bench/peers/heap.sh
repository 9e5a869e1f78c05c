#!/usr/bin/env bash
# labhooks' ingress at the most load wrk can give it, in a small heap: does it run without an OutOfMemoryError
# or a GC-bound slowdown, and how much memory does the spool's RocksDB take outside the heap? Issue 12.
#
#   bench/peers/heap.sh                       # -Xmx256m against -Xmx1g, ack kafka and ack spool: ~6 min
#   bench/peers/heap.sh -x "256m" -a spool    # one heap, one ack mode
#
# Options:
#   -d SECONDS   measured duration of each cell (default 20)
#   -w SECONDS   warm-up per server start, 64 connections, 2 KiB, discarded (default 15)
#   -c CONNS     wrk connections (default 256)
#   -s "B ..."   body sizes in bytes (default "2048 25600 102400")
#   -x "H ..."   heaps, as -Xmx takes them (default "256m 1g": the second is the yardstick for a slowdown)
#   -a "A ..."   ingress.ack modes (default "kafka spool")
#   -o FILE      also append the Markdown output to FILE
# Environment: BROKER_PORT, KEEP_WORK=1.
#
# One broker (labhooks' EmbeddedKafka alone, in its own JVM). For each ack mode and heap a fresh
# `java -Xmx<heap> -jar cli/target/labhooks.jar ingress` with a spool of its own, a warm-up, then per body
# size one wrk run. Around each run it reads the server's /metrics (heap used, GC pause time, the spool's
# RocksDB memory by kind: labhooks_spool_native_memory_bytes) and /proc (resident set, CPU). Exit code 1
# if a request got a non-2xx answer or a socket error, or the server logged an OutOfMemoryError.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

duration=20 warmup=15 conns=256 sizes="2048 25600 102400" heaps="256m 1g" acks="kafka spool" out=""
while getopts "d:w:c:s:x:a:o:h" opt; do
  case "$opt" in
    d) duration=$OPTARG ;;
    w) warmup=$OPTARG ;;
    c) conns=$OPTARG ;;
    s) sizes=$OPTARG ;;
    x) heaps=$OPTARG ;;
    a) acks=$OPTARG ;;
    o) out=$OPTARG ;;
    h) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
read -r -a size_list <<<"$sizes"
read -r -a heap_list <<<"$heaps"
read -r -a ack_list <<<"$acks"
for a in "${ack_list[@]}"; do
  [[ "$a" == kafka || "$a" == spool ]] || { echo "-a takes kafka and/or spool, not $a" >&2; exit 2; }
done

work="$(mktemp -d /tmp/labhooks-peers-heap.XXXXXX)"
server_java_opts=""
# shellcheck source=lib.sh
source "$root/bench/peers/lib.sh"
cleanup_on_exit
watchdog $(( 600 + ${#ack_list[@]} * ${#heap_list[@]} * (warmup + 60 + ${#size_list[@]} * (duration + 20)) ))

require_jars labhooks
command -v wrk >/dev/null || die "wrk is needed"
compile_tools
start_broker "${BROKER_PORT:-$(free_port 19590)}" labhooks.raw.v1
make_body 2048 "$work/body-warm.json"
for b in "${size_list[@]}"; do
  make_body "$b" "$work/body-$b.json"
done

# scrape: reads the server's /metrics once into $scraped; metric PREFIX: the sum of its series whose name and labels
# start with PREFIX (0 if none).
scrape() { scraped=$(curl -s --max-time 10 "http://127.0.0.1:${peer_port[labhooks]}/metrics"); }
metric() { awk -v p="$1" '$0 !~ /^#/ && index($0, p) == 1 { s += $NF } END { printf "%.6f", s + 0 }' <<<"$scraped"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/${peer_pid[labhooks]}/status"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }

results="$work/results.tsv"
: >"$results"
tck=$(getconf CLK_TCK)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fail=0
for a in "${ack_list[@]}"; do
  for h in "${heap_list[@]}"; do
    rm -rf "$work/spool"
    server_java_opts="-Xmx$h -Xms$h"
    # the ingress with a spool of its own and the ack mode under test (lib.sh's labhooks_config)
    labhooks_ack=$a labhooks_spool_dir=$work/spool
    start_server labhooks "$(free_port 18580)"
    wait_ready labhooks "$work/body-warm.json"
    log "ack $a, -Xmx$h: ready (pid ${peer_pid[labhooks]}); warm-up $warmup s"
    if ((warmup > 0)); then
      timeout $((warmup + 60)) wrk -t2 -c64 -d"${warmup}s" --timeout 10s -s "$peers_dir/wrk-post.lua" "$(url_of labhooks)" \
        -- "$work/body-warm.json" >/dev/null 2>>"$work/wrk.err" || true
    fi
    for b in "${size_list[@]}"; do
      scrape
      g0=$(metric jvm_gc_pause_seconds_sum) s0=$(cpu_ticks "${peer_pid[labhooks]}") t0=$(date +%s.%N)
      line=$(timeout $((duration + 60)) wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s -s "$peers_dir/wrk-post.lua" \
        "$(url_of labhooks)" -- "$work/body-$b.json" 2>>"$work/wrk.err" | grep '^WRKSTAT' || true)
      t1=$(date +%s.%N) s1=$(cpu_ticks "${peer_pid[labhooks]}")
      [[ -n "$line" ]] || die "wrk printed no result (see $work/wrk.err)"
      kill -0 "${peer_pid[labhooks]}" 2>/dev/null || die "the ingress exited (log: $work/labhooks.log)"
      scrape
      g1=$(metric jvm_gc_pause_seconds_sum)
      heap=$(metric 'jvm_memory_used_bytes{area="heap"')
      live=$(metric jvm_gc_live_data_size_bytes)
      rocks_mem=$(metric 'labhooks_spool_native_memory_bytes{kind="memtables"')
      rocks_tr=$(metric 'labhooks_spool_native_memory_bytes{kind="table_readers"')
      rocks_bc=$(metric 'labhooks_spool_native_memory_bytes{kind="block_cache"')
      spooled=$(metric 'labhooks_ingress_ack_seconds_count{path="spool"')
      rss=$(rss_kib)
      gc_pct=$(awk -v a="$g0" -v b="$g1" -v x="$t0" -v y="$t1" 'BEGIN { printf "%.1f", (b - a) * 100 / (y - x) }')
      cpu=$(awk -v d=$((s1 - s0)) -v t="$tck" -v x="$t0" -v y="$t1" 'BEGIN { printf "%.2f", d / t / (y - x) }')
      errs=$(( $(field errors_connect "$line") + $(field errors_read "$line") + $(field errors_write "$line") + $(field errors_timeout "$line") ))
      non2xx=$(field non2xx "$line")
      ((errs + non2xx == 0)) || fail=1
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$a" "$h" "$b" "$(field rps "$line")" "$(field p99_us "$line")" \
        "$gc_pct" "$(mib "$heap")" "$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')" "$(mib "$rocks_mem")" "$(mib "$rocks_tr")" \
        "$(mib "$rocks_bc")" "$cpu" "$((non2xx + errs))" "$(printf %.0f "$spooled")" "$(load1)" "$(mib "$live")" >>"$results"
      log "ack $a, -Xmx$h, $b B: $(field rps "$line") req/s, p99 $(field p99_us "$line") us, GC pauses $gc_pct% of the time," \
        "heap used $(mib "$heap") MiB, RSS $((rss / 1024)) MiB, RocksDB memtables $(mib "$rocks_mem") MiB, non-2xx + errors $((non2xx + errs))"
    done
    if grep -q OutOfMemoryError "$work/labhooks.log"; then
      log "ack $a, -Xmx$h: OutOfMemoryError in the server's log"
      fail=1
      cp "$work/labhooks.log" "$work/labhooks-$a-$h.log"
    fi
    kill -TERM "${peer_pid[labhooks]}"
    wait "${peer_pid[labhooks]}" 2>/dev/null || true
  done
done

report() {
  echo "### Ingress in a small heap, $started"
  echo
  echo "\`bench/peers/heap.sh -d $duration -w $warmup -c $conns -s \"$sizes\" -x \"$heaps\" -a \"$acks\"\`"
  echo "(commit \`$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)\`; $(java -version 2>&1 | sed -n 2p);" \
    "$(nproc) cores; wrk, $conns connections, on the same machine as the ingress and the broker)"
  echo
  echo "GC % = time in GC pauses / wall time of the run (jvm_gc_pause_seconds); heap (and live data after the last"
  echo "major GC, jvm_gc_live_data_size_bytes) and RocksDB figures are read"
  echo "right after the run (RocksDB: labhooks_spool_native_memory_bytes, off the heap, not bounded by -Xmx); RSS ="
  echo "the server's resident set; vs largest heap = req/s / req/s of the same ack mode and body with the largest heap"
  echo "listed; spooled = requests acknowledged from the spool so far (ack_seconds_count{path=\"spool\"})."
  echo
  awk -F'\t' -v last="${heap_list[${#heap_list[@]}-1]}" '
    { rows[NR] = $0; if ($2 == last) ref[$1 SUBSEP $3] = $4 }
    END {
      print "| ack | -Xmx | body | req/s | p99 ms | vs largest heap | GC % | heap used / live after GC MiB | RSS MiB | RocksDB memtables / table readers / block cache MiB | server cores | non-2xx + errors | spooled | load1 |"
      print "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
      for (i = 1; i <= NR; i++) {
        split(rows[i], f, "\t"); k = f[1] SUBSEP f[3]
        r = (k in ref && ref[k] > 0) ? sprintf("%.2f", f[4] / ref[k]) : "-"
        printf "| %s | %s | %s | %.0f | %.1f | %s | %s | %s / %s | %s | %s / %s / %s | %s | %s | %s | %s |\n", f[1], f[2],
          (f[3] % 1024 == 0 ? f[3] / 1024 " KiB" : f[3] " B"), f[4], f[5] / 1000, r, f[6], f[7], f[16], f[8], f[9], f[10], f[11], f[12], f[13], f[14], f[15]
      }
    }' "$results"
  echo
  if ((fail == 0)); then echo "Every request was answered 200, and no OutOfMemoryError was logged."; else echo "**FAILED**: see above (non-2xx, socket errors or an OutOfMemoryError)."; fi
}
report
if [[ -n "$out" ]]; then
  { report; echo; } >>"$out"
fi
exit $((fail == 0 ? 0 : 1))
