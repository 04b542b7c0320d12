#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The isolation cases of the PGP handler: with an attack build of it behind
# pgp_loader_kmod and the PGP manager loaded, each attack is written to
# pgp_keys as a magic key ("UMD-EMU-ATTACK:NAME"), then a normal request
# (garbage: the parser answers EBADMSG). One line per case:
#   @row NAME|OUTCOME|WRITE|NEXT
# OUTCOME: "succeeded: ...", "failed: ERRNO ...", "killed by SIGSYS", or how
# else the handler ended; WRITE: uwrite's result for the magic key; NEXT:
# the next request's result and whether a new handler served it.
# tests/e2e/pgp-isolation.sh runs it under "umd-emu run" and prints the
# table. Plain POSIX sh, like tests/realkernel/cases.sh, to run unchanged in
# the real-kernel VM (busybox sh, as root): there, uwrite and ptrace-peek
# are next to it (or $UWRITE, $PTRACE_PEEK), "umd-emu dmesg" is the VM's
# dmesg wrapper, and a seccomp kill is seen only as an audit record
# ("audit: type=1326 ... pid=PID ... sig=31", CONFIG_AUDIT) or else as the
# handler gone.

cd "$(dirname "$0")" || exit 1
sfs=${UMD_SECURITYFS:?not under umd-emu run or in the VM}
uw=${UWRITE:-./uwrite}
peek=${PTRACE_PEEK:-./ptrace-peek}
f=$sfs/pgp_keys
emulated=${UMD_EMU_CONTROL:+yes}
# A kernel rate-limits lines written to /dev/kmsg (10 per 5 s by default):
# the handler's report of an attempt it survived would be dropped.
[ -z "$emulated" ] && echo on > /proc/sys/kernel/printk_devkmsg 2>/dev/null

# The pid of the running handler, or nothing: the last one the library
# logged ("Loaded pgp_umh pid N", on a kernel and in the emulator), if it is
# still running. Not a search of /proc by name: other emulators on the
# machine (tests run in parallel) have pgp_umh handlers of their own.
handler_pid() {
	p=$(umd-emu dmesg | sed -n 's/.*Loaded pgp_umh pid \([0-9]*\).*/\1/p' | tail -n 1)
	[ -n "$p" ] && [ -d "/proc/$p" ] || return 0
	[ "$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)" = Z ] && return 0
	echo "$p"
}

# A normal request: garbage, which the parser refuses (EBADMSG). Prints
# uwrite's result.
normal() { "$uw" "$f" "not a key"; }

# How handler PID ended, from the kernel log: the emulator says it
# ("umd-emu: pgp_umh[PID] killed by signal 31 ..."); a kernel logs a
# seccomp kill as an audit record if it has audit. Waits for the
# emulator's line (its reaper logs it when the process is gone), as long as
# the test's bound allows: no timeout of its own.
ended_how() {
	pid=$1
	while :; do
		line=$(umd-emu dmesg | grep "pgp_umh\[$pid\] \(killed\|exited\)" | tail -n 1)
		if [ -n "$line" ]; then
			case "$line" in
			*"killed by signal 31 "*) echo "killed by SIGSYS" ;;
			*"killed by signal "*) echo "killed: ${line##*killed by }" ;;
			*) echo "${line##*pgp_umh\[$pid\] }" ;;
			esac
			return
		fi
		if [ -z "$emulated" ] && [ "$(handler_pid)" = "$pid" ]; then
			# Still the running handler after its reply: the
			# attempt did not end it, and no line said more.
			echo "survived (no report in the log)"
			return
		fi
		if [ -z "$emulated" ] && [ ! -d "/proc/$pid" ]; then
			if umd-emu dmesg | grep "type=1326" | grep "pid=$pid " | grep -q "sig=31"; then
				echo "killed by SIGSYS"
			else
				echo "ended (no reason logged)"
			fi
			return
		fi
		sleep 0.1
	done
}

# attack NAME: one row.
attack() {
	name=${1%%:*}
	before=$(handler_pid)
	[ -n "$before" ] || { normal > /dev/null; before=$(handler_pid); }
	wrote=$("$uw" "$f" "UMD-EMU-ATTACK:$1")
	# The handler's own verdict, if it lived to log it (logged before it
	# replied, so it is there now).
	# The emulator prefixes a handler's lines with pgp_umh[PID]; a
	# kernel's /dev/kmsg does not (and runs one handler at a time).
	tag="UMD-EMU-ATTACK $name: "
	[ -n "$emulated" ] && tag="pgp_umh\[$before\]: $tag"
	said=$(umd-emu dmesg | grep "$tag" | grep -v ": trying$" | tail -n 1)
	next=$(normal)
	after=$(handler_pid)
	if [ -n "$said" ]; then
		outcome=${said#*UMD-EMU-ATTACK $name: }
	else
		outcome=$(ended_how "$before")
	fi
	if [ "$after" = "$before" ]; then
		next="$next, same handler"
	else
		next="$next, new handler"
	fi
	echo "@row $name|$outcome|$wrote|$next"
}

normal > /dev/null
sleep 1000 &
victim=$!
for a in open socket execve "ptrace:$victim" stderr-flood stderr-lines fork mmap-exec; do
	attack "$a"
done
kill "$victim"

# What confinement does not cover: the host's root (here: whoever runs
# this, as root on the real kernel) attaching to the handler and killing it.
who="uid $(id -u)"
pid=$(handler_pid)
got=$("$peek" "$pid")
next=$(normal)
[ "$(handler_pid)" = "$pid" ] && next="$next, same handler" || next="$next, new handler"
echo "@row $who: ptrace attach|$got|-|$next"
pid=$(handler_pid)
if kill -KILL "$pid"; then got="ok: killed"; else got="fail"; fi
got="$got ($(ended_how "$pid"))"
next=$(normal)
[ "$(handler_pid)" = "$pid" ] && next="$next, same handler" || next="$next, new handler"
echo "@row $who: kill -KILL|$got|-|$next"
