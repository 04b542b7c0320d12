#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs docs/YOUR-UMD.md's commands as they are written, in an empty
# directory: every ```sh block in order, the untagged ones always and those
# after a "<!-- step: TAG -->" line only when TAG is given (fuzz, asan,
# realkernel: they need a build of that kind or the oracle kernel). Fails
# if a command fails, if the files the guide creates differ from
# tests/oot/upper/, or if the output lacks what the guide says it prints.
# Usage: your-umd.sh [TAG...]
. "$(dirname "$0")/../e2e/lib.sh"
need_fuse
command -v make >/dev/null || skip "make is not installed"

guide=$SRC/docs/YOUR-UMD.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The blocks, tagged, in order: "TAG<TAB>line..." with a record separator.
python3 - "$guide" "$@" >"$work/guide.sh" <<'PY' || fail "cannot read the guide's blocks"
import sys
text = open(sys.argv[1]).read().split('\n')
want = set(sys.argv[2:])
out, tag, i, n = [], None, 0, 0
while i < len(text):
    line = text[i]
    if line.startswith('<!-- step: '):
        tag = line[len('<!-- step: '):].split()[0]
    elif line == '```sh':
        body = []
        i += 1
        while text[i] != '```':
            body.append(text[i])
            i += 1
        if tag is None or tag in want:
            n += 1
            out.append('echo "=== guide block %d%s"' % (n, ' (' + tag + ')' if tag else ''))
            out.extend(body)
        tag = None
    elif line.strip():
        tag = None if not line.startswith('<!--') else tag
    i += 1
print('set -e -o pipefail')
print('\n'.join(out))
PY
grep -c "^echo \"=== guide block" "$work/guide.sh" >/dev/null || fail "no block found in the guide"

cd "$work" || fail "cd $work"
out=$(bash "$work/guide.sh" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "a command of the guide failed (status $status; the last block started is above)"

# The guide's files are tests/oot/upper's.
for f in "$SRC"/tests/oot/upper/*; do
	cmp -s "$f" "upper/$(basename "$f")" ||
		fail "docs/YOUR-UMD.md and tests/oot/upper differ in $(basename "$f")"
done
grep -q "^HELLO UMD$" <<<"$out" || fail "the run did not print HELLO UMD"
for want in "#1 request -> 64 bytes, 1 write, " "|....hello umd...|" \
	"#1 reply <- 64 bytes, " "|....HELLO UMD...|"; do
	grep -qF -- "$want" <<<"$out" || fail "the trace did not show '$want'"
done
grep -q "^faultsweep: [0-9]* runs in " <<<"$out" || fail "the sweep did not report its runs"
for tag in "$@"; do
	case $tag in
	realkernel) grep -q "^real kernel: PASS$" <<<"$out" || fail "no PASS from the real kernel" ;;
	esac
done
echo "PASS: the guide's commands work as written${*:+ (with $*)}"
