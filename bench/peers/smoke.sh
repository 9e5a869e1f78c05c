#!/usr/bin/env bash
# Smoke test of the ingress peers (and of labhooks' ingress with the config compare.sh uses): starts one
# broker, then each server on a free port, POSTs a 2 KiB and then a 25 KiB JSON body with curl, and checks
# each time the 200, that exactly one record landed on the server's topic, and that its value is the body
# byte for byte.
# Needs the jars: bench/peers/build-all.sh --with-labhooks. About 1-2 min; bounded to 10 min.
#
#   bench/peers/smoke.sh [labhooks spring camel floor]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/labhooks-peers-smoke.XXXXXX)"
server_java_opts="${SERVER_JAVA_OPTS:--Xmx1g}"
# shellcheck source=lib.sh
source "$root/bench/peers/lib.sh"
cleanup_on_exit
watchdog 600
child_pids+=($!)

names=("$@")
((${#names[@]})) || names=(labhooks spring camel floor)
require_jars "${names[@]}"
compile_tools
topics=$(for n in "${names[@]}"; do printf '%s,' "${peer_topic[$n]}"; done)
start_broker "$(free_port 19490)" "${topics%,}"
make_body 2048 "$work/body-2048.json"
make_body 25600 "$work/body-25600.json"

failed=0 passed=0
for name in "${names[@]}"; do
  start_server "$name" "$(free_port 18480)"
  # wait_ready's POSTs go to the same topic, so count from after the first 200
  wait_ready "$name" "$work/body-2048.json"
  for size in 2048 25600; do
    body="$work/body-$size.json"
    want=$(sha256sum "$body" | cut -d' ' -f1)
    before=$(tool RecordCount "$broker_bootstrap" "${peer_topic[$name]}" | cut -d' ' -f2)
    resp=$(curl -s -w '\n%{http_code}' --max-time 10 -X POST -H 'Content-Type: application/json' \
      --data-binary @"$body" "$(url_of "$name")")
    code=${resp##*$'\n'}
    answer=${resp%$'\n'*}
    after=$(tool RecordCount "$broker_bootstrap" "${peer_topic[$name]}" | cut -d' ' -f2)
    last=$(tool LastRecord "$broker_bootstrap" "${peer_topic[$name]}")
    got=$(sed -n 's/.* sha256=\([0-9a-f]*\) .*/\1/p' <<<"$last")
    if [[ "$code" == 200 && "$answer" == *'"status":"accepted"'* && $((after - before)) -eq 1 && "$got" == "$want" ]]; then
      log "PASS $name, $size B: 200 $answer; 1 record on ${peer_topic[$name]}, value = the body ($last)"
      passed=$((passed + 1))
    else
      log "FAIL $name, $size B: status $code, answer $answer, records $before -> $after, last record: $last"
      failed=$((failed + 1))
    fi
  done
  kill -TERM "${peer_pid[$name]}" 2>/dev/null || true
  wait "${peer_pid[$name]}" 2>/dev/null || true
done
echo "$passed passed, $failed failed"
((failed == 0))
