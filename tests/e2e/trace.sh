#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The protocol trace (docs/TRACE.md): umd-emu run --trace FILE and umd-emu
# trace, on the sample UMD, bpfilter's sockopt path and the out-of-tree
# UMD of tests/oot/upper. Each exchange's fields, lengths and bytes are
# those written; a reply cut by a crash reads "EOF after K bytes"; a
# handler printing debug text on stdout shows a reply that begins with
# text and bytes beyond it; the watchdog, an injected fault and a real
# end of file end a part as such; --driver filters; --follow follows;
# every line of a trace file (and of --json) parses as JSON; --file shows
# a file anywhere and gives back its JSON byte for byte.
. "$(dirname "$0")/lib.sh"
need_fuse
command -v make >/dev/null || skip "make is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
HOSTILE=${UMD_EMU_HOSTILE_MODULES:?}
CORE=${UMD_EMU_CORE_MODULES:?}

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
kdir=$("$UMD_EMU" kdir) || fail "umd-emu kdir"

# check_trace FILE WHAT: every line of FILE is a JSON object numbered in
# turn, and the Python on stdin holds (evs: the events in order; ex(...),
# one(...): those whose fields match; bytes_of(e): its bytes; handlers():
# each handler's first event is its start, and it has one end). WHAT
# names the trace in failures.
cat >"$dir/check.py" <<'PY'
import json, struct, sys
evs = []
for n, line in enumerate(open(sys.argv[1]), 1):
    try:
        evs.append(json.loads(line))
    except ValueError as e:
        sys.exit(f"{sys.argv[1]}:{n}: not JSON ({e}): {line!r}")
if not evs:
    sys.exit(f"{sys.argv[1]}: no event")
for i, e in enumerate(evs):
    assert e["seq"] == evs[0]["seq"] + i, ("seq", e)
    for k in ("ts_us", "event", "driver", "pid"):
        assert k in e, (k, e)
def ex(**kw):
    return [e for e in evs if all(e.get(k) == v for k, v in kw.items())]
def one(**kw):
    found = ex(**kw)
    assert len(found) == 1, ("expected one event", kw, found)
    return found[0]
def bytes_of(e):
    b = bytes.fromhex(e["hex"])
    assert len(b) == e["shown"] <= e["len"], e
    assert e["ascii"] == "".join(chr(c) if 32 <= c < 127 else "." for c in b), e
    return b
def handlers():
    for pid in sorted({e["pid"] for e in evs}):
        mine = [e["event"] for e in evs if e["pid"] == pid]
        assert mine[0] == "start" and mine.count("exit") == 1, (pid, mine)
exec(sys.stdin.read())
PY
check_trace() {
	python3 "$dir/check.py" "$1" || fail "$2: the trace does not hold (above)"
}

# ---- the sample UMD: post_start's request, then a write of 5 ----------
out=$("$UMD_EMU" run --trace "$dir/sample.jsonl" --modules "$CORE" \
	--modprobe sample_mgr -- bash -c '
	echo 5 > "$UMD_SECURITYFS/sample_umd" || exit 1
	umd-emu trace --bytes 8' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the sample run failed ($status)"
for want in "sample_umh[" "]: started" \
	"#2 request -> 4 bytes, 1 write, " \
	"    0000  05 00 00 00 " \
	"#2 reply <- 131072 bytes, " ": complete" \
	"    ... 8 of 131072 bytes shown"; do
	grep -qF -- "$want" <<<"$out" || fail "sample view: no '$want'"
done
check_trace "$dir/sample.jsonl" "sample" <<'PY'
assert evs[0]["event"] == "start" and evs[0]["driver"] == "sample_umh"
pid = evs[0]["pid"]
for n, off in ((1, 0), (2, 5)):
    r = one(event="request", request=n)
    assert (r["dir"], r["len"], r["want"], r["offset"], r["end"], r["pid"]) == \
        ("to_handler", 4, 4, 0, "complete", pid), r
    assert bytes_of(r) == struct.pack("<I", off), r
    a = one(event="reply", request=n)
    assert (a["dir"], a["len"], a["want"], a["end"], a["error"]) == \
        ("from_handler", 131072, 131072, "complete", 0), a
    # Cut at the default 256 bytes: byte off is 1, the rest 0.
    assert a["shown"] == 256 and a["us"] >= 0, a
    want = bytearray(256); want[off] = 1
    assert bytes_of(a) == want and a["ascii"] == "." * 256, a
assert evs[-1]["event"] == "exit" and evs[-1]["end"] == "killed", evs[-1]
handlers()
PY

# ---- bpfilter's sockopt path: the health check, then set 64 ----------
out=$("$UMD_EMU" run --trace "$dir/bpfilter.jsonl" -- bash -c '
	umd-emu sockopt set 64 --len 10; echo "sockopt status $?"' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the bpfilter run failed ($status)"
grep -q "sockopt status 1" <<<"$out" || fail "bpfilter did not answer ENOPROTOOPT"
check_trace "$dir/bpfilter.jsonl" "bpfilter" <<'PY'
assert one(event="start")["driver"] == "bpfilter_umh"
health, set64 = one(event="request", request=1), one(event="request", request=2)
for r in (health, set64):
    assert (r["driver"], r["len"], r["end"]) == ("bpfilter_umh", 24, "complete"), r
# struct mbox_request: addr, len, is_set, cmd, pid
assert bytes_of(health)[8:20] == bytes(12), health
assert struct.unpack("<III", bytes_of(set64)[8:20]) == (10, 1, 64), set64
assert bytes_of(one(event="reply", request=1)) == struct.pack("<i", 0)
assert bytes_of(one(event="reply", request=2)) == struct.pack("<i", -92)
PY

# ---- the out-of-tree UMD, and the sample beside it -------------------
cp "$SRC"/tests/oot/upper/* "$dir/"
(cd "$dir" && make -s -C "$kdir" M="$PWD" >/dev/null) ||
	fail "make -C \$(umd-emu kdir) M=\$PWD (upper)"
out=$("$UMD_EMU" run --trace "$dir/upper.jsonl" --modules "$dir:$CORE" \
	--modprobe upper_mgr --modprobe sample_mgr -- bash -c '
	cd "$1" || exit 1
	f=$UMD_SECURITYFS/upper
	umd-emu trace --follow --driver upper_umh --bytes 16 >follow.txt 2>&1 &
	follower=$!
	printf "hello umd" > "$f" || exit 1
	echo "read back: $(cat "$f")"
	echo 7 > "$UMD_SECURITYFS/sample_umd" || exit 1
	# A short reply: the handler crashes after 4 reply bytes.
	umd-emu fault "crash:driver=upper_umh,at=reply,offset=4,signal=SEGV" || exit 1
	printf "short" > "$f" && exit 1
	# An injected fault: the next request write fails (EIO).
	umd-emu fault "fail_kernel_write:nth=1" || exit 1
	printf "fault" > "$f" && exit 1
	umd-emu fault reset
	printf "again" > "$f" || exit 1
	# The follower prints each event as it comes (no speed assumed: it
	# is waited for, under the test'"'"'s own bound).
	until grep -q "AGAIN" follow.txt; do sleep 0.1; done
	kill $follower
	echo "=== upper"
	umd-emu trace --driver upper_umh
	echo "=== sample"
	umd-emu trace --driver sample_umh --bytes 0
	echo "=== follow"
	cat follow.txt
	echo "=== json"
	umd-emu trace --json >trace-json.txt' trace "$dir" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the upper run failed ($status)"
upper=$(sed -n '/^=== upper$/,/^=== sample$/p' <<<"$out")
sample=$(sed -n '/^=== sample$/,/^=== follow$/p' <<<"$out")
follow=$(sed -n '/^=== follow$/,/^=== json$/p' <<<"$out")
grep -qx "read back: HELLO UMD" <<<"$out" || fail "upper did not answer HELLO UMD"
for want in \
	"#1 request -> 64 bytes, 1 write, " \
	"    0000  09 00 00 00 68 65 6c 6c  6f 20 75 6d 64 00 00 00  |....hello umd...|" \
	"    0000  09 00 00 00 48 45 4c 4c  4f 20 55 4d 44 00 00 00  |....HELLO UMD...|" \
	"#2 reply <- 4 of 64 bytes, " \
	": crash (injected: Segmentation fault after it wrote 4 bytes of the reply), EOF after 4 bytes" \
	"#1 request -> 0 of 64 bytes, 1 write: injected fault fail_kernel_write: error -5 (Input/output error)" \
	"    0000  05 00 00 00 41 47 41 49  4e 00 00 00 00 00 00 00  |....AGAIN.......|"; do
	grep -qF -- "$want" <<<"$upper" || fail "upper view: no '$want'"
done
# The crashed handler's end. A sanitizer in the handler catches the SEGV,
# reports it and ends the handler its own way: under ASan exit status 1,
# or SIGABRT with abort_on_error=1 (as tools/test.sh sets); under TSan
# (the out-of-tree handler is built by the kdir with the build's
# sanitizer) exit status 66.
crash_end="killed by signal 11 \(Segmentation fault\)"
case "${UMD_EMU_B_SANITIZE:-none}" in
*address*) crash_end="killed by signal 6 \(Aborted\)|exited with status 1" ;;
*thread*) crash_end="$crash_end|killed by signal 6 \(Aborted\)|exited with status 66" ;;
esac
grep -Eq "upper_umh\[[0-9]+\]: ($crash_end), injected$" <<<"$upper" ||
	fail "upper view: no injected end of the crashed handler ($crash_end)"
grep -q "sample_umh" <<<"$upper" && fail "--driver upper_umh showed sample_umh"
grep -qF "#2 request -> 4 bytes, 1 write" <<<"$sample" || fail "--driver sample_umh: no request"
grep -q "upper_umh" <<<"$sample" && fail "--driver sample_umh showed upper_umh"
grep -q "0000 " <<<"$sample" && fail "--bytes 0 showed bytes"
for want in "upper_umh[" "#1 request -> 64 bytes" "|....hello umd...|" \
	"EOF after 4 bytes" "|....AGAIN.......|"; do
	grep -qF -- "$want" <<<"$follow" || fail "--follow: no '$want'"
done
grep -q "sample_umh" <<<"$follow" && fail "--follow --driver upper_umh showed sample_umh"
check_trace "$dir/trace-json.txt" "umd-emu trace --json" </dev/null
check_trace "$dir/upper.jsonl" "upper" <<'PY'
u = [e for e in evs if e["driver"] == "upper_umh"]
handlers()
# Three handlers: the crash ends the first, the fault makes the second end.
assert len(ex(event="start", driver="upper_umh")) == 3
def msg(n, text):
    return struct.pack("<I", n) + text + bytes(60 - len(text))
first = [e for e in u if e["event"] in ("request", "reply")]
assert bytes_of(first[0]) == msg(9, b"hello umd") and first[0]["len"] == 64, first[0]
assert bytes_of(first[1]) == msg(9, b"HELLO UMD") and first[1]["end"] == "complete", first[1]
short = one(event="reply", driver="upper_umh", end="crash")
assert (short["len"], short["want"], short["shown"], short["error"]) == (4, 64, 4, 0), short
assert short["detail"] == "Segmentation fault after it wrote 4 bytes of the reply", short
assert bytes_of(short) == struct.pack("<I", 5), short
f = one(event="request", driver="upper_umh", end="fault")
assert (f["len"], f["want"], f["error"], f["detail"]) == (0, 64, -5, "fail_kernel_write"), f
again = [e for e in u if e["event"] == "reply"][-1]
assert bytes_of(again) == msg(5, b"AGAIN") and again["end"] == "complete", again
crash_exit = [e for e in u if e["event"] == "exit" and e["injected"]]
assert len(crash_exit) == 1, crash_exit
s = [e for e in evs if e["driver"] == "sample_umh" and e["event"] == "request"]
assert [bytes_of(e) for e in s] == [struct.pack("<I", 0), struct.pack("<I", 7)], s
PY
# The file, anywhere: the same view, filtered; its JSON given back whole.
view=$("$UMD_EMU" trace --file "$dir/upper.jsonl" --driver upper_umh) ||
	fail "umd-emu trace --file failed"
grep -qF ": crash (injected: Segmentation fault after it wrote 4 bytes of the reply), EOF after 4 bytes" <<<"$view" ||
	fail "trace --file: no short reply"
grep -q "sample_umh" <<<"$view" && fail "trace --file --driver upper_umh showed sample_umh"
"$UMD_EMU" trace --file "$dir/upper.jsonl" --json --bytes all | cmp - "$dir/upper.jsonl" ||
	fail "trace --file --json --bytes all is not the file"

# ---- a handler that prints debug text on stdout before its reply ------
mkdir "$dir/debug"
cp "$SRC"/tests/oot/upper/* "$dir/debug/"
sed -i 's|^\(\t*\)for (i = 0; i < m.len|\1printf("upper_umh: got %u bytes\\n", m.len);\n\1fflush(stdout);\n&|' \
	"$dir/debug/handler.c"
grep -q 'printf("upper_umh: got' "$dir/debug/handler.c" || fail "could not add the debug printf"
(cd "$dir/debug" && make -s -C "$kdir" M="$PWD" >/dev/null) ||
	fail "make (upper with a debug printf)"
out=$("$UMD_EMU" run --trace "$dir/debug.jsonl" --modules "$dir/debug" \
	--modprobe upper_mgr -- bash -c '
	printf "hello umd" > "$UMD_SECURITYFS/upper" && exit 1
	printf "hello again" > "$UMD_SECURITYFS/upper" && exit 1
	umd-emu rmmod upper_loader || exit 1
	umd-emu trace' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the debug-printf run failed ($status)"
for want in \
	"#1 reply <- 64 bytes, " \
	"    0000  75 70 70 65 72 5f 75 6d  68 3a 20 67 6f 74 20 39  |upper_umh: got 9|" \
	"    (a line of text: debug output on stdout? stdout is the reply pipe, stderr the kernel log)" \
	"#1 extra: 23 bytes beyond the reply, found before the next request" \
	"#1 extra: 24 bytes beyond the reply, left unread when the pipe closed"; do
	grep -qF -- "$want" <<<"$out" || fail "debug view: no '$want'"
done
check_trace "$dir/debug.jsonl" "debug printf" <<'PY'
replies = ex(event="reply")
assert len(replies) == 2 and all(r["text"] and r["end"] == "complete" for r in replies), replies
assert replies[0]["ascii"].startswith("upper_umh: got 9 bytes."), replies[0]
probe, close = one(event="extra", found="probe"), one(event="extra", found="close")
assert (probe["request"], probe["len"], probe["shown"]) == (1, 23, 23), probe
assert close["len"] == 24 and close["dir"] == "from_handler", close
handlers()
PY

# ---- a hostile handler: the watchdog, and a real end of file ----------
out=$("$UMD_EMU" run --trace "$dir/hostile.jsonl" --modules "$HOSTILE:$CORE" \
	--modprobe sample_mgr -- bash -c '
	f=$UMD_SECURITYFS/sample_umd
	echo 10 > "$f" && exit 1	# half a reply, then EOF
	umd-emu fault "watchdog:driver=sample_umh,timeout_ms=300" || exit 1
	echo 14 > "$f" && exit 1	# hangs
	umd-emu fault reset
	echo 8 > "$f" || exit 1
	umd-emu trace --bytes 0' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the hostile run failed ($status)"
for want in "#2 reply <- 65536 of 131072 bytes, " ": EOF after 65536 bytes" \
	": watchdog (no answer within 300 ms: killed)"; do
	grep -qF -- "$want" <<<"$out" || fail "hostile view: no '$want'"
done
check_trace "$dir/hostile.jsonl" "hostile" <<'PY'
eof = one(event="reply", end="eof")
assert (eof["len"], eof["want"], eof["error"]) == (65536, 131072, 0), eof
wd = one(event="reply", end="watchdog")
assert (wd["len"], wd["error"], wd["detail"]) == (0, -110, "no answer within 300 ms: killed"), wd
assert ex(event="reply", end="complete"), "no complete reply after them"
handlers()
PY
# ---- usage --------------------------------------------------------------
expect_fail "trace outside a run" "with --file FILE" env -u UMD_EMU_CONTROL "$UMD_EMU" trace
expect_fail "trace --bytes x" "--bytes takes a number or 'all'" "$UMD_EMU" trace --bytes x
expect_fail "run --trace-bytes x" "--trace-bytes takes a number of bytes or 'all'" \
	"$UMD_EMU" run --trace-bytes x -- true
expect_fail "run --trace into a missing directory" "cannot open the trace file" \
	"$UMD_EMU" run --trace "$dir/no/such/file" -- true
echo "PASS"
