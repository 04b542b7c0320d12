#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Stress the sample UMD through the FUSE mount, inside "umd-emu run".

WRITERS processes write random offsets to $UMD_SECURITYFS/sample_umd
(REQUESTS in all) while a chaos process, at random moments, unloads the
loader module or kills the handler. Every write must succeed (the manager
verifies the reply) or fail with one of the errnos those events explain:
EFAULT (the handler died during the exchange), EPIPE (it died before
reading), ENOPROTOOPT (the loader was going away). Random choices come
from SEED; the interleaving is up to the machine.

Usage: stress.py [SEED] [REQUESTS] [WRITERS]
"""
import errno
import os
import random
import signal
import subprocess
import sys
import time
from multiprocessing import Process, Queue

ALLOWED = {errno.EFAULT, errno.EPIPE, errno.ENOPROTOOPT}


def writer(path, seed, count, out):
    rnd = random.Random(seed)
    ok, errs = 0, {}
    for _ in range(count):
        offset = rnd.randrange(0, 131072)
        try:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, b"%d\n" % offset)
            finally:
                os.close(fd)
            ok += 1
        except OSError as e:
            errs[e.errno] = errs.get(e.errno, 0) + 1
    out.put((ok, errs))


def handler_pid(emulator):
    pid = None
    log = subprocess.run(["umd-emu", "dmesg"], capture_output=True,
                         text=True).stdout
    for line in log.splitlines():
        if "Loaded sample_umh pid " in line:
            pid = int(line.rsplit(" ", 1)[1])
    if pid is None:
        return None
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        exe = os.readlink("/proc/%d/exe" % pid)
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    if "memfd:sample_umh" not in exe or int(fields[1]) != emulator:
        return None     # gone, or the number was reused
    return pid


def chaos(seed, stop_file, emulator, out):
    rnd = random.Random(seed ^ 0x5a5a)
    reloads = kills = 0
    while not os.path.exists(stop_file):
        time.sleep(rnd.uniform(0.005, 0.040))
        if rnd.random() < 0.5:
            r = subprocess.run(["umd-emu", "rmmod", "sample_loader_kmod"],
                               capture_output=True)
            reloads += r.returncode == 0
        else:
            pid = handler_pid(emulator)
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                    kills += 1
                except ProcessLookupError:
                    pass
    out.put((reloads, kills))


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    nwriters = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    mnt = os.environ["UMD_SECURITYFS"]
    path = mnt + "/sample_umd"
    stop_file = os.path.join(os.environ.get("TMPDIR", "/tmp"),
                             "umd-stress-stop-%d" % os.getpid())
    print("mount=" + mnt)
    print("stress: seed %d, %d requests, %d writers" % (seed, total, nwriters))
    subprocess.run(["umd-emu", "modprobe", "sample_mgr"], check=True)

    start = time.monotonic()
    results, chaos_q = Queue(), Queue()
    per = total // nwriters
    writers = [Process(target=writer, args=(path, seed * 100 + i, per, results))
               for i in range(nwriters)]
    # The emulator ("umd-emu run") is this script's parent.
    monkey = Process(target=chaos, args=(seed, stop_file, os.getppid(),
                                         chaos_q))
    monkey.start()
    for w in writers:
        w.start()
    got = [results.get(timeout=600) for _ in writers]
    for w in writers:
        w.join()
    open(stop_file, "w").close()
    reloads, kills = chaos_q.get(timeout=60)
    monkey.join()
    os.unlink(stop_file)
    elapsed = time.monotonic() - start

    ok = sum(g[0] for g in got)
    errs = {}
    for _, e in got:
        for k, v in e.items():
            errs[k] = errs.get(k, 0) + v
    failed = sum(errs.values())
    desc = ", ".join("%s %d" % (errno.errorcode.get(k, k), v)
                     for k, v in sorted(errs.items()))
    print("stress: %d requests in %.1f s: %d ok, %d failed (%s); "
          "%d loader reloads, %d handler kills"
          % (ok + failed, elapsed, ok, failed, desc or "none", reloads, kills))
    bad = {k: v for k, v in errs.items() if k not in ALLOWED}
    if ok + failed != per * nwriters:
        print("FAIL: requests were lost")
        return 1
    if bad:
        print("FAIL: unexpected errors: %s" % bad)
        return 1
    if ok < (ok + failed) // 2:
        print("FAIL: too few requests succeeded")
        return 1
    # With the chaos over, the UMD works. The last kill may still be in
    # flight (the handler dying, not yet gone): that one request may fail
    # with an allowed errno; the next must succeed.
    for attempt in (1, 2):
        try:
            with open(path, "w") as f:
                f.write("4096\n")
            break
        except OSError as e:
            if attempt == 2 or e.errno not in ALLOWED:
                print("FAIL: the UMD does not work after the chaos: %s" % e)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
