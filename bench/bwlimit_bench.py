#!/usr/bin/env python3
"""--bwlimit accuracy: photosync syncs into the bundled Google Photos API
emulator at 1M, 4M and 16M with 8 uploads at once, and the rate it reaches is
compared with the limit (issue 11: within 10%).

The rate is the bytes of the folder over the time from the process start to
the last `item_uploaded` event of `sync --json` (what follows, adding to the
album, sends no content). Each run lasts about BENCH_BWLIMIT_SECONDS.

Prints one JSON object per figure, as gphotos_bench.py does (bench/run makes
the table).

Usage: bench/bwlimit_bench.py BUILD_BIN_DIR
Env:   BENCH_BWLIMIT_SECONDS (6), BENCH_BWLIMIT_RATES ("1M 4M 16M")
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gphotos_bench import Emulator, emit, login, make_photos, photosync_env  # noqa: E402

MiB = 1 << 20
UNITS = {"k": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def limited_run(photosync, env, folder, album, limit):
    """Seconds from the start to the last upload, and the bytes uploaded."""
    start = time.perf_counter()
    proc = subprocess.Popen([photosync, "sync", folder, album, "--json", "--jobs", "8",
                             "--bwlimit", limit], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    last, uploaded = None, 0
    for line in proc.stdout:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "item_uploaded":
            last = time.perf_counter()
            uploaded += int(event.get("bytes", 0))
    err = proc.stderr.read()
    if proc.wait() != 0 or last is None:
        raise SystemExit(f"photosync sync --bwlimit {limit} failed ({proc.returncode}): {err}")
    return last - start, uploaded


def main():
    bindir = os.path.abspath(sys.argv[1])
    photosync = os.path.join(bindir, "photosync")
    seconds = float(os.environ.get("BENCH_BWLIMIT_SECONDS", "6"))
    rates = os.environ.get("BENCH_BWLIMIT_RATES", "1M 4M 16M").split()
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="photosync-bwlimit-", dir=base)
    emu = Emulator(bindir, work, "emu-bwlimit", extra=("--no-content-hash",))
    try:
        env = photosync_env(work, emu, "home-bwlimit")
        login(photosync, env)
        for limit in rates:
            rate = float(limit[:-1]) * UNITS[limit[-1]]
            total = rate * seconds
            # 24 files of about the same size (spread 10%): 8 at a time, three rounds.
            folder = os.path.join(work, "photos-" + limit)
            make_photos(folder, 24, int(total / 24))
            took, uploaded = limited_run(photosync, env, folder, "Limited " + limit, limit)
            measured = uploaded / took
            ratio = measured / rate
            emit(f"--bwlimit {limit}, 8 uploads at once", round(measured / MiB, 2), "MiB/s",
                 f"{rate / MiB:g} MiB/s +-10%", abs(ratio - 1) <= 0.10,
                 f"{ratio:.1%} of the limit; {uploaded / MiB:.1f} MiB in {took:.2f} s")
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        emu.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
