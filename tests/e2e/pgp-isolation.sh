#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The PGP handler's isolation table (issue 16, part 4). An attack build of
# the handler (handlers/pgp_attacks.c) tries, on a magic key written to
# pgp_keys, what an exploited parser would: open a file, a socket, execve,
# ptrace, a 64 KiB write to its log, fork, executable memory. The cases
# (pgp-isolation-cases.sh) run twice under "umd-emu run": with the
# confined build (pgp_umh_attack: umd_confine(), handlers/confine.c) and
# the unconfined one. Confined, every attempt kills the handler with SIGSYS
# (the write fails with EFAULT: the manager saw it die) and the next
# request is served by a new handler; log lines of 1 KiB each are the one
# thing it may still write (not covered, as the table shows), and the
# host's root can still ptrace and kill it (measured: the last two rows).
. "$(dirname "$0")/lib.sh"
need_fuse
CONFINED=${UMD_EMU_PGP_ATTACK_CONFINED:?}
UNCONFINED=${UMD_EMU_PGP_ATTACK_UNCONFINED:?}
MGR=${UMD_EMU_PGP_MGR_MODULES:?}
CORE=${UMD_EMU_CORE_MODULES:?}
export UWRITE=${UMD_EMU_UWRITE:?}
export PTRACE_PEEK=${UMD_EMU_PTRACE_PEEK:?}
cases=$(dirname "$0")/pgp-isolation-cases.sh

run_cases() {
	local out status
	out=$("$UMD_EMU" run --modules "$1:$MGR:$CORE" --modprobe pgp_mgr -- \
		sh -c "sh '$cases' && umd-emu check" 2>&1)
	status=$?
	if [ $status -ne 0 ]; then
		grep -v '[A-Z]\{30\}' <<<"$out" | tail -n 40
		fail "the cases failed under $2 ($status)"
	fi
	grep '^@row ' <<<"$out" | sed 's/^@row //'
}

confined=$(run_cases "$CONFINED" "the confined build")
unconfined=$(run_cases "$UNCONFINED" "the unconfined build")

# field ROWS NAME N: field N of row NAME.
field() { awk -F'|' -v n="$2" -v f="$3" '$1 == n { print $f }' <<<"$1"; }
short() { local s=$1; [ ${#s} -le $2 ] && echo "$s" || echo "${s:0:$(($2 - 3))}..."; }

build=plain
[ "${UMD_EMU_B_SANITIZE:-none}" != none ] && build="sanitizers: $UMD_EMU_B_SANITIZE"
echo "PGP handler isolation: emulator ($build build), uid $(id -u)"
fmt='%-14s | %-40s | %-19s | %s\n'
printf "$fmt" attempt "not confined" confined "confined: the write, then the next request"
printf "$fmt" -------------- ---------------------------------------- ------------------- ------------------------------------------
errors=()
for name in open socket execve ptrace stderr-flood stderr-lines fork mmap-exec; do
	c=$(field "$confined" "$name" 2)
	printf "$fmt" "$name" "$(short "$(field "$unconfined" "$name" 2)" 40)" \
		"$(short "${c/#succeeded: */succeeded (allowed)}" 19)" \
		"$(field "$confined" "$name" 3); $(field "$confined" "$name" 4)"
	u=$(field "$unconfined" "$name" 2)
	[ -n "$u" ] && [ "$u" != "killed by SIGSYS" ] ||
		errors+=("$name, not confined: '$u', expected the attempt made")
	case "$name" in
	stderr-lines)
		# 1 KiB writes to the log are allowed (not covered).
		[[ "$c" == succeeded:* ]] ||
			errors+=("$name, confined: '$c', expected it to succeed (allowed log lines)")
		;;
	*)
		[ "$c" = "killed by SIGSYS" ] ||
			errors+=("$name, confined: '$c', expected killed by SIGSYS")
		[ "$(field "$confined" "$name" 3)" = "fail EFAULT" ] ||
			errors+=("$name, confined: the write got '$(field "$confined" "$name" 3)', expected fail EFAULT")
		[ "$(field "$confined" "$name" 4)" = "fail EBADMSG, new handler" ] ||
			errors+=("$name, confined: the next request got '$(field "$confined" "$name" 4)', expected a new handler's EBADMSG")
		;;
	esac
done
echo
echo "Not covered by confinement (the confined handler, from the host):"
while IFS='|' read -r name got _ next; do
	case "$name" in
	*": ptrace attach" | *": kill -KILL") ;;
	*) continue ;;
	esac
	printf '%-22s | %-44s | next request: %s\n' "$name" "$got" "$next"
	[[ "$got" == ok* ]] || errors+=("$name: '$got', expected it to succeed")
done <<<"$confined"

if [ ${#errors[@]} -gt 0 ]; then
	printf 'FAIL: %s\n' "${errors[@]}"
	exit 1
fi
echo "PASS"
