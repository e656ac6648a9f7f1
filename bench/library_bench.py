#!/usr/bin/env python3
"""Benchmarks of the photosync CLI that need no network: start-up time, and a
100,000-file library (first sync, then an unchanged re-run) with peak RSS.

Prints one JSON object per figure on stdout; bench/run turns them into the
table. Data is generated here (real JPEG headers, small random payloads),
never committed. Run from anywhere:  bench/library_bench.py BUILD_BIN_DIR
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00"


def emit(name, value, unit, target=None, ok=None, note=""):
    print(json.dumps({"name": name, "value": value, "unit": unit, "target": target,
                      "ok": ok, "note": note}), flush=True)


def run(cmd, env):
    """Runs cmd; returns (seconds, peak RSS in MB of that child, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all children so far: measure the
    # big runs in a fresh python child so earlier ones cannot mask them.
    return elapsed, max(after, before) / 1024.0, proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def measured_child(cmd, env):
    """Peak RSS of exactly this command: run it from a fresh interpreter."""
    probe = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
             "p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.PIPE);"
             "print(json.dumps({'s':time.perf_counter()-t,'rss':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,"
             "'rc':p.returncode,'out':p.stdout.decode()[-400:],'err':p.stderr.decode()[-400:]}))")
    out = subprocess.run([sys.executable, "-c", probe] + cmd, env=env, stdout=subprocess.PIPE, check=True)
    return json.loads(out.stdout)


def make_library(root, files, per_dir=500, size=2048):
    payload = os.urandom(size)
    for i in range(files):
        d = os.path.join(root, f"{i // per_dir:04d}")
        if i % per_dir == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"IMG_{i:06d}.jpg"), "wb") as f:
            f.write(JPEG + i.to_bytes(8, "little") + payload[: size - len(JPEG) - 8])


def main():
    bindir = sys.argv[1]
    files = int(os.environ.get("BENCH_LIBRARY_FILES", "100000"))
    photosync = os.path.join(bindir, "photosync")
    # On tmpfs when there is one: the folder destination fsyncs every item,
    # and what is measured here is photosync, not the disk.
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="photosync-bench-", dir=base)
    env = dict(os.environ, XDG_STATE_HOME=os.path.join(work, "state"), HOME=work, PHOTOSYNC_PLUGIN_PATH="")
    try:
        # Start-up: best of 20 (the machine's noise is not the program's cost).
        for args, label in (([photosync, "--version"], "start-up: photosync --version"),
                            ([photosync, "plugins"], "start-up: photosync plugins")):
            best = min(run(args, env)[0] for _ in range(20)) * 1000
            emit(label, round(best, 1), "ms", "<= 50 ms", best <= 50)

        src = os.path.join(work, "library")
        t = time.perf_counter()
        make_library(src, files)
        gen = time.perf_counter() - t
        dest = "folder:" + os.path.join(work, "albums")
        first = measured_child([photosync, "-q", "sync", src, "Library", "--to", dest], env)
        if first["rc"] != 0:
            raise SystemExit("first sync failed: " + first["err"])
        emit(f"first sync of {files:,} files (folder destination)", round(files / first["s"]), "files/s",
             note=f"{first['s']:.1f} s; data generated in {gen:.1f} s")
        emit(f"peak RSS, first sync of {files:,} files", round(first["rss"], 1), "MB", "<= 64 MB",
             first["rss"] <= 64)
        again = measured_child([photosync, "sync", src, "Library", "--to", dest], env)
        uploaded = again["out"].split(" of ")[0].split()[-1] if " of " in again["out"] else "?"
        emit(f"unchanged re-run over {files:,} files", round(again["s"], 2), "s wall", "<= 2 s",
             again["s"] <= 2.0 and uploaded == "0", note=f"uploaded {uploaded}; peak RSS {again['rss']:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
