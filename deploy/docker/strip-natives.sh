#!/bin/sh
# strip-natives.sh IN.jar ARCH OUT.jar
#
# labhooks.jar carries the native libraries of rocksdbjni (Kafka Streams' state store, the normalizer), sqlite-jdbc,
# zstd-jni, snappy-java and lz4-java for every platform they support: ~97 MB of its ~125 MB. An image runs on one
# platform, Linux with glibc (eclipse-temurin is Ubuntu), on ARCH (amd64 or arm64, Docker's TARGETARCH). This writes
# OUT.jar with only that platform's libraries; every class and every other resource is kept as is.
# Used by deploy/docker/Dockerfile; needs only a JDK (the jar tool).
set -eu
in=$1
arch=$2
out=$3
case "$in" in /*) ;; *) in="$PWD/$in" ;; esac
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
case "$arch" in
  amd64) keep='^(librocksdbjni-linux64\.so|org/sqlite/native/Linux/x86_64/.*|linux/amd64/.*|net/jpountz/util/linux/amd64/.*|org/xerial/snappy/native/Linux/x86_64/.*)$' ;;
  arm64) keep='^(librocksdbjni-linux-aarch64\.so|org/sqlite/native/Linux/aarch64/.*|linux/aarch64/.*|net/jpountz/util/linux/aarch64/.*|org/xerial/snappy/native/Linux/aarch64/.*)$' ;;
  *) echo "strip-natives.sh: ARCH must be amd64 or arm64, was '$arch'" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && jar xf "$in")
cd "$work"
find . -type f \( -name '*.so' -o -name '*.dll' -o -name '*.dylib' -o -name '*.jnilib' \) | sed 's|^\./||' \
  | grep -Ev "$keep" | while read -r f; do rm -f "$f"; done
kept=$(find . -type f \( -name '*.so' -o -name '*.dll' -o -name '*.dylib' -o -name '*.jnilib' \) | wc -l)
if [ "$kept" -ne 5 ]; then
  echo "strip-natives.sh: expected 5 native libraries for linux/$arch (rocksdb, sqlite, zstd, lz4, snappy), kept $kept" >&2
  exit 1
fi
jar --create --file "$out" --manifest META-INF/MANIFEST.MF -C "$work" .
