#!/usr/bin/env python3
"""Where the CPU went in a JFR recording: samples by thread group, then top frames and top
labhooks/undertow/kafka frames, optionally only between two wall-clock times.

  jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample rec.jfr > samples.json
  jfr print --json --events jdk.ThreadCPULoad rec.jfr > cpu.json      # optional
  bench/scripts/jfr-top.py samples.json [--cpu cpu.json] [--from 14:56:18 --to 14:56:31] [--top 25]

With --cpu, it also sums the per-thread CPU load (user + system, as a share of the whole
machine) by thread group over the window; record with jdk.ThreadCPULoad at a 1 s period
(bench/scripts/bench.jfc does, and samples Java stacks every 2 ms).

Thread groups are recognised by name (load client, Undertow I/O, ingress workers, the ingress's
producer, ProducerPerformance's producer, broker network/request threads, GC/JIT are not sampled
by JFR). Java samples (jdk.ExecutionSample) and native samples (jdk.NativeMethodSample: threads
in a system call, e.g. epoll_wait or a socket read) are counted separately.
"""
import argparse
import collections
import json
import re
import sys

GROUPS = [
    ("load client", r"^bench-load-"),
    ("undertow io", r"^XNIO-\d+ I/O-"),
    ("undertow accept", r"^XNIO-\d+ Accept"),
    ("ingress workers", r"^labhooks-ingress-worker-"),
    ("ingress producer", r"kafka-producer-network-thread \| labhooks-ingress"),
    ("baseline producer", r"kafka-producer-network-thread \| bench-producer-perf"),
    ("baseline main", r"^main$"),
    ("broker network", r"data-plane-kafka-network-thread|kafka-network-thread"),
    ("broker request handlers", r"data-plane-kafka-request-handler|kafka-request-handler"),
    ("broker other", r"^(kafka|broker|controller|quorum|raft|ExpirationReaper|LogDirFailureHandler|group-coordinator|transaction|share)"),
]


def group(name):
    for g, rx in GROUPS:
        if re.search(rx, name or ""):
            return g
    return "other: " + re.sub(r"[-\d]+$", "", name or "?")


def hhmmss(ts):
    # "2026-11-23T14:56:18.187654321Z" or with an offset: keep HH:MM:SS(.fff)
    m = re.search(r"T(\d\d:\d\d:\d\d(?:\.\d+)?)", ts)
    return m.group(1) if m else ""


def frame_name(f):
    m = f.get("method", {})
    t = m.get("type", {}).get("name", "?")
    return t.split(".")[-1] + "." + m.get("name", "?") if "." in t else t + "." + m.get("name", "?")


def full_name(f):
    m = f.get("method", {})
    return m.get("type", {}).get("name", "?") + "." + m.get("name", "?")


def in_window(t, t0, t1):
    return not ((t0 and t < t0) or (t1 and t > t1))


def cpu_by_group(path, t0, t1):
    events = json.load(open(path))["recording"]["events"]
    per_thread = collections.defaultdict(lambda: [0.0, 0.0, 0])
    stamps = set()
    for e in events:
        v = e["values"]
        t = hhmmss(v.get("startTime", ""))
        if not in_window(t, t0, t1):
            continue
        stamps.add(t[:8])
        th = (v.get("eventThread") or {}).get("javaName") or (v.get("eventThread") or {}).get("osName")
        acc = per_thread[th]
        acc[0] += v.get("user", 0.0)
        acc[1] += v.get("system", 0.0)
        acc[2] += 1
    periods = max(1, len(stamps))
    groups = collections.defaultdict(lambda: [0.0, 0.0])
    for th, (u, s, n) in per_thread.items():
        g = groups[group(th)]
        g[0] += u / periods
        g[1] += s / periods
    total = sum(u + s for u, s in groups.values())
    print(f"CPU by thread group, mean over {periods} one-second periods, as % of the whole machine "
          f"(JVM total {100 * total:.0f}%):")
    for g, (u, s) in sorted(groups.items(), key=lambda x: -(x[1][0] + x[1][1])):
        if u + s >= 0.001:
            print(f"  {g:30s} {100 * (u + s):5.1f}%   user {100 * u:5.1f}%  system {100 * s:5.1f}%")
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("--from", dest="t0")
    ap.add_argument("--to", dest="t1")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--cpu")
    a = ap.parse_args()
    if a.cpu:
        cpu_by_group(a.cpu, a.t0, a.t1)
    events = json.load(open(a.json))["recording"]["events"]
    by_group = collections.Counter()
    top = collections.Counter()
    ours = collections.Counter()
    per_group_top = collections.defaultdict(collections.Counter)
    n = 0
    for e in events:
        v = e["values"]
        t = hhmmss(v.get("startTime", ""))
        if a.t0 and t < a.t0:
            continue
        if a.t1 and t > a.t1:
            continue
        kind = "java" if e["type"] == "jdk.ExecutionSample" else "native"
        thread = (v.get("sampledThread") or {}).get("javaName") or (v.get("sampledThread") or {}).get("osName")
        g = group(thread)
        by_group[(g, kind)] += 1
        frames = (v.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        n += 1
        leaf = full_name(frames[0])
        top[(kind, leaf)] += 1
        per_group_top[g][leaf] += 1
        for f in frames:
            fn = full_name(f)
            if fn.startswith(("io.labhooks.", "io.undertow.", "org.apache.kafka.clients.producer.")):
                ours[fn] += 1
                break
    total = sum(by_group.values())
    print(f"samples: {total} ({a.t0 or 'start'} .. {a.t1 or 'end'})\n")
    print("by thread group (java = running Java code, native = in a system call):")
    groups = collections.defaultdict(dict)
    for (g, k), c in by_group.items():
        groups[g][k] = c
    for g, ks in sorted(groups.items(), key=lambda x: -sum(x[1].values())):
        s = sum(ks.values())
        print(f"  {g:26s} {s:6d} {100.0 * s / total:5.1f}%   java {ks.get('java', 0):5d}  native {ks.get('native', 0):5d}")
    print(f"\ntop {a.top} leaf frames:")
    for (k, f), c in top.most_common(a.top):
        print(f"  {c:6d} {100.0 * c / n:5.1f}%  [{k}] {f}")
    print(f"\ntop {a.top} first labhooks / undertow / kafka-producer frame on the stack:")
    for f, c in ours.most_common(a.top):
        print(f"  {c:6d} {100.0 * c / n:5.1f}%  {f}")
    print("\ntop leaf frames per group:")
    for g in sorted(per_group_top, key=lambda g: -sum(per_group_top[g].values())):
        print(f"  {g}:")
        for f, c in per_group_top[g].most_common(6):
            print(f"      {c:6d}  {f}")


if __name__ == "__main__":
    sys.exit(main())
