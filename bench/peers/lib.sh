# Shared by smoke.sh and compare.sh (sourced, not run). Expects: set -euo pipefail, and $root (repository
# root) and $work (a temporary directory the caller deletes) to be set.

peers_dir="$root/bench/peers"
labhooks_jar="$root/cli/target/labhooks.jar"
# the broker and the record counters come from the dev kit, which the production jar leaves out
dev_jar="$root/cli-dev/target/labhooks-dev.jar"
# name -> jar; the topic each writes to (labhooks' ingress always writes labhooks.raw.v1)
declare -A peer_jar=(
  [labhooks]="$labhooks_jar"
  [spring]="$peers_dir/spring-webhook/target/spring-webhook.jar"
  [camel]="$peers_dir/camel-webhook/target/camel-webhook.jar"
  [floor]="$peers_dir/undertow-floor/target/undertow-floor.jar"
)
declare -A peer_topic=(
  [labhooks]=labhooks.raw.v1
  [spring]=peers.spring
  [camel]=peers.camel
  [floor]=peers.floor
)
declare -A peer_port=()
declare -A peer_pid=()
child_pids=()
broker_bootstrap=""
broker_pid=""

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Kills every child this script started (by pid), politely then hard. Used from the EXIT trap.
stop_children() {
  local pid alive
  for pid in "${child_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${child_pids[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then alive=1; fi
    done
    if ((alive == 0)); then break; fi
    sleep 0.5
  done
  for pid in "${child_pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# cleanup_on_exit: on exit (and on INT or TERM) stops every child and deletes $work, unless the script failed or
# KEEP_WORK=1, when the servers' logs are kept there.
cleanup_on_exit() {
  trap _cleanup EXIT
  trap 'exit 130' INT TERM
}
_cleanup() {
  local rc=$?
  stop_children
  if ((rc != 0)) || [[ "${KEEP_WORK:-}" == 1 ]]; then log "logs kept in $work"; else rm -rf "$work"; fi
  exit "$rc"
}

# watchdog SECONDS: TERMs this script after SECONDS (its EXIT trap then stops the children).
watchdog() {
  local secs=$1 me=$$
  (
    trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    sleep "$secs" &
    sp=$!
    wait "$sp"
    log "time bound of $secs s reached, stopping"
    kill -TERM "$me"
  ) &
  child_pids+=($!)
}

require_jars() {
  local name missing=0
  for name in "$@"; do
    if [[ ! -f "${peer_jar[$name]}" ]]; then
      log "missing ${peer_jar[$name]}"
      missing=1
    fi
  done
  if [[ ! -f "$dev_jar" ]]; then
    log "missing $dev_jar (the broker)"
    missing=1
  fi
  ((missing == 0)) || die "build first: bench/peers/build-all.sh --with-labhooks"
  command -v curl >/dev/null || die "curl is needed"
}

# A TCP port nobody listens on, from $1 upwards.
free_port() {
  local p=$1
  while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || [[ " ${peer_port[*]:-} " == *" $p "* ]]; do
    p=$((p + 1))
  done
  echo "$p"
}

# Compiles bench/peers/tools/*.java once against the dev jar (the broker, the record counters).
compile_tools() {
  mkdir -p "$work/tools"
  javac -nowarn -cp "$dev_jar" -d "$work/tools" "$peers_dir"/tools/*.java 2>"$work/tools/javac.log" \
    || { cat "$work/tools/javac.log" >&2; die "could not compile bench/peers/tools"; }
}

tool() { java -cp "$dev_jar:$work/tools" "$@" 2>>"$work/tools.log"; }

# start_broker PORT TOPICS: labhooks' EmbeddedKafka alone, topics with 3 partitions; sets broker_bootstrap.
start_broker() {
  local port=$1 topics=$2
  java -Xmx1g -cp "$dev_jar:$work/tools" Broker "$port" "$work/kafka" "$topics" 3 \
    >"$work/broker.out" 2>"$work/broker.log" &
  child_pids+=($!)
  broker_pid=$!
  local pid=$!
  for _ in $(seq 1 180); do
    if grep -q '^READY ' "$work/broker.out"; then
      broker_bootstrap=$(sed -n 's/^READY //p' "$work/broker.out")
      log "broker at $broker_bootstrap (topics $topics)"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -20 "$work/broker.log" >&2; die "the broker exited"; }
    sleep 0.5
  done
  die "the broker did not start within 90 s"
}

# labhooks' ingress config: one source, auth none (like the peers, which check nothing); ingress.ack is
# $labhooks_ack (default kafka), and with $labhooks_spool_dir set the spool is there.
labhooks_config() {
  local port=$1
  cat >"$work/labhooks-ingress.yaml" <<EOF
kafka:
  bootstrap-servers: $broker_bootstrap
ingress:
  port: $port
  ack: ${labhooks_ack:-kafka}
$([[ -n "${labhooks_spool_dir:-}" ]] && printf '  spool:\n    dir: %s' "$labhooks_spool_dir")
sources:
  - {id: bench, vendor: generic, auth: {type: none}, pointers: {event-type: /type, entity-id: /id}}
EOF
}

# start_server NAME PORT: starts one server in the background with $server_java_opts.
start_server() {
  local name=$1 port=$2
  peer_port[$name]=$port
  # shellcheck disable=SC2086
  case "$name" in
    labhooks)
      labhooks_config "$port"
      java $server_java_opts -jar "${peer_jar[$name]}" ingress --config "$work/labhooks-ingress.yaml" \
        >"$work/$name.log" 2>&1 &
      ;;
    *)
      java $server_java_opts -jar "${peer_jar[$name]}" --bootstrap="$broker_bootstrap" --port="$port" \
        --topic="${peer_topic[$name]}" >"$work/$name.log" 2>&1 &
      ;;
  esac
  peer_pid[$name]=$!
  child_pids+=($!)
}

# field NAME LINE: the number after " NAME=" in a WRKSTAT or FIXEDRATE line.
field() { sed -n "s/.* $1=\\([0-9.]*\\).*/\\1/p" <<<"$2"; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# CPU time (user + system, clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

url_of() { echo "http://127.0.0.1:${peer_port[$1]}/hooks/bench"; }

# wait_ready NAME BODY_FILE: POSTs BODY_FILE until it gets a 200 (at most 180 s; the first POST also
# waits for the producer's metadata). Prints nothing; dies on timeout or exit.
wait_ready() {
  local name=$1 body=$2 code
  for _ in $(seq 1 360); do
    kill -0 "${peer_pid[$name]}" 2>/dev/null || { tail -30 "$work/$name.log" >&2; die "$name exited"; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST -H 'Content-Type: application/json' \
      --data-binary @"$body" "$(url_of "$name")" || true)
    if [[ "$code" == 200 ]]; then
      return 0
    fi
    sleep 0.5
  done
  tail -30 "$work/$name.log" >&2
  die "$name did not answer 200 within 180 s"
}

# make_body BYTES FILE: a JSON object of exactly BYTES bytes ({"type":...,"id":...,"data":"xxx..."}).
make_body() {
  local n=$1 file=$2
  local head='{"type":"bench.event","id":"bench-1","data":"' tail='"}'
  local pad=$((n - ${#head} - ${#tail}))
  ((pad >= 0)) || die "body size $n is too small"
  { printf '%s' "$head"; head -c "$pad" /dev/zero | tr '\0' 'x'; printf '%s' "$tail"; } >"$file"
  [[ $(wc -c <"$file") -eq $n ]] || die "could not write a $n-byte body"
}
