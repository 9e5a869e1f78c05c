#!/usr/bin/env bash
# Builds and runs the Debezium JDBC sink benchmark. Run from anywhere; extra -D options go to the JVM, e.g.
#   bench/debezium/run.sh -Dbench.samples=2000 -Dbench.rounds=3
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && git rev-parse --show-toplevel)"
# labhooks-testkit (EmbeddedKafka) must be in the local repository
(cd "$root" && mvn -B -q -DskipTests install -pl testkit -am)
cd "$here"
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
exec java -Xmx4g "$@" -cp "target/classes:$(cat target/cp.txt)" io.labhooks.bench.debezium.DebeziumJdbcSinkBench
