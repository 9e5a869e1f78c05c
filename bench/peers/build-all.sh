#!/usr/bin/env bash
# Builds the three ingress peers (each its own Maven project, outside the labhooks reactor), and with
# --with-labhooks also cli/target/labhooks.jar (mvn package, never install), which compare.sh and smoke.sh
# need for labhooks' ingress and the broker. Run from anywhere. Bounded to 20 min.
#
#   bench/peers/build-all.sh [--with-labhooks]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mvn_() { timeout 1200 mvn -B -q "$@"; }
if [[ "${1:-}" == "--with-labhooks" ]]; then
  echo "building labhooks (mvn -B -q -DskipTests package)" >&2
  mvn_ -DskipTests package
fi
for p in spring-webhook camel-webhook undertow-floor; do
  echo "building bench/peers/$p" >&2
  mvn_ -f "bench/peers/$p/pom.xml" package
done
ls -l bench/peers/spring-webhook/target/spring-webhook.jar bench/peers/camel-webhook/target/camel-webhook.jar \
  bench/peers/undertow-floor/target/undertow-floor.jar
