#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Through the FUSE mount: one write(2) of up to 1 MiB reaches ->write as
# one call with the writer's bytes (1 MiB from a page-aligned buffer,
# 1 MiB - 4 KiB from any: FUSE's 256-page limit), *ppos advances as in the kernel,
# current is the writer, and entries appear and vanish with their module.
. "$(dirname "$0")/lib.sh"
need_fuse
MODULES=${UMD_EMU_TEST_MODULES:?test modules directory}

inner=$(cat <<'PY'
import os, sys, subprocess

mnt = os.environ["UMD_SECURITYFS"]
print("mount=" + mnt)

def run(*cmd):
    subprocess.run(cmd, check=True)

def stats():
    with open(mnt + "/sfstest/stats") as f:
        return dict(kv.split("=") for kv in f.read().split())

def checksum(data):
    s = 0
    for b in data:
        s = (s * 31 + b) & 0xffffffff
    return s

assert not os.path.exists(mnt + "/sfstest"), "sfstest exists before modprobe"
run("umd-emu", "modprobe", "sfstest")
assert sorted(os.listdir(mnt + "/sfstest")) == ["sink", "slow", "stats"]
assert oct(os.stat(mnt + "/sfstest/stats").st_mode & 0o777) == "0o400"

import mmap
fd = os.open(mnt + "/sfstest/sink", os.O_WRONLY)
# Any buffer up to 1 MiB - 4 KiB; a page-aligned one (mmap) of 1 MiB.
for size, aligned in ((1, False), (4096, False), (65537, False),
                      ((1 << 20) - 4096, False), (1 << 20, True)):
    data = bytes((i * 7 + size) & 0xff for i in range(size))
    if aligned:
        buf = mmap.mmap(-1, size)
        buf.write(data)
        view = memoryview(buf)
    else:
        view = data
    before = int(stats()["writes"])
    n = os.write(fd, view)
    if aligned:
        view.release()
        buf.close()
    assert n == size, "short write %d of %d" % (n, size)
    st = stats()
    assert int(st["writes"]) == before + 1, "%d bytes took %s calls" % (size, int(st["writes"]) - before)
    assert int(st["len"]) == size, st
    assert int(st["sum"]) == checksum(data), "bytes changed on the way"
    assert int(st["pid"]) == os.getpid() and int(st["tgid"]) == os.getpid(), st
    print("write of %d bytes: one ->write call, *ppos %s" % (size, st["pos"]))
# *ppos is the file position: it advanced by each write.
assert int(stats()["pos"]) == 1 + 4096 + 65537 + (1 << 20) - 4096, stats()
os.close(fd)

run("umd-emu", "rmmod", "sfstest")
assert not os.path.exists(mnt + "/sfstest"), "sfstest still there after rmmod"
print("ok")
PY
)
out=$("$UMD_EMU" run --modules "$MODULES" -- python3 -c "$inner" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "securityfs I/O through FUSE ($status)"
mnt=$(mount_of "$out")
not_mounted "$mnt" || fail "mount left behind at $mnt"

# The files COMMAND has open when it exits are released by their module
# before modules unload, as on a kernel (a process's files are released
# before its parent learns that it ended), however slow the releases:
# 25 files of sfstest/slow, 300 ms each, more than FUSE serves at once.
# (Before: the RELEASEs still queued when COMMAND ended were counted as
# files "still open at exit" or reached a module already gone.)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
out=$("$UMD_EMU" run --modules "$MODULES" --modprobe sfstest --log "$log" -- \
	bash -c 'for i in $(seq 10 34); do
		eval "exec $i>\"\$UMD_SECURITYFS/sfstest/slow\"" || exit 1
	done' 2>&1)
status=$?
echo "$out"
grep sfstest "$log"
[ $status -eq 0 ] || fail "25 slow files open at exit: status $status"
case "$out" in *"still open"*) fail "files reported still open at exit" ;; esac
grep -q "sfstest: 25 slow release(s)" "$log" ||
	fail "the module did not release all 25 files before it unloaded"
echo "PASS"
