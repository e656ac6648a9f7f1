#!/usr/bin/env python3
"""CPU time per small photo, photosync and the emulator apart: the figure to
watch while making the small-photo run faster, and one that holds up on a
busy machine where files/s does not.

    bench/cpu_per_photo.py BIN_DIR [FILES] [KB]      (default 3000 x 300 KB)

Prints one line: files/s, wall, photosync user+sys ms per photo, emulator ms
per photo, photosync's context switches per photo (thread hops), and how much
of the machine sat idle during the sync (time the pipeline left on the table).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gphotos_bench import Emulator, login, make_photos, photosync_env  # noqa: E402


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) * 1000.0 / tick


def idle_ticks():
    """Idle + iowait ticks of the whole machine, and all ticks (from /proc/stat)."""
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return cpu[3] + cpu[4], sum(cpu[:8])  # guest time is already in user


def main():
    bindir = os.path.abspath(sys.argv[1])
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    kb = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    photosync = os.path.join(bindir, "photosync")
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="photosync-cpu-", dir=base)
    try:
        folder = os.path.join(work, "small")
        make_photos(folder, files, kb * 1024)
        # EMU_ARGS="--threads 1" adds flags to the emulator.
        emu = Emulator(bindir, work, "emu",
                       ["--no-content-hash"] + os.environ.get("EMU_ARGS", "").split())
        try:
            env = photosync_env(work, emu, "home")
            login(photosync, env)
            emu_before = cpu_ms(emu.proc.pid)
            idle_before, all_before = idle_ticks()
            t = time.perf_counter()
            # PERF="perf record -g -o FILE" (or any wrapper) runs photosync under it.
            wrapper = os.environ.get("PERF", "").split()
            # SYNC_ARGS="--jobs 16" adds flags to the sync.
            extra = os.environ.get("SYNC_ARGS", "").split()
            p = subprocess.Popen(wrapper + [photosync, "-q", "sync", folder, "CPU"] + extra, env=env)
            _, status, usage = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t
            idle_after, all_after = idle_ticks()
            idle = (idle_after - idle_before) / max(1, all_after - all_before)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit("photosync sync failed")
            emu_ms = cpu_ms(emu.proc.pid) - emu_before
            ours = (usage.ru_utime + usage.ru_stime) * 1000.0
            print(f"{files} x {kb} KB: {files / wall:.0f} files/s in {wall:.2f} s; "
                  f"photosync {ours / files:.3f} ms/photo "
                  f"(user {usage.ru_utime * 1000 / files:.3f}, sys {usage.ru_stime * 1000 / files:.3f}), "
                  f"{usage.ru_nvcsw / files:.1f} voluntary + {usage.ru_nivcsw / files:.1f} "
                  f"involuntary switches/photo; emulator {emu_ms / files:.3f} ms/photo; "
                  f"peak RSS {usage.ru_maxrss / 1024:.1f} MB; cores idle {idle:.0%}")
        finally:
            emu.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
