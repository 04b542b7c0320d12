#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Extract the files a seed patch creates into a directory tree.

Seed 004 keeps its lines (with tabs turned into spaces); seed 002 is the
whole series flattened onto few lines, where each line of a new file starts
with " +". The hunk header gives the line count, which is checked.

Usage: extract-seed.py SEEDS_DIR OUT_DIR
"""
import os
import re
import sys

SAMPLE = "tools/testing/selftests/umd_mgmt/sample_umd/"


def write(out, path, lines):
    dest = os.path.join(out, path)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w") as f:
        f.write("\n".join(lines) + "\n")


def from_flat(text, path):
    m = re.search(r"\+\+\+ b/" + re.escape(path) +
                  r" @@ -0,0 \+1,(\d+) @@ (.*?)(?= diff --git |$)", text, re.S)
    if not m:
        sys.exit("not found in the flattened series: " + path)
    pieces = m.group(2).split(" +")
    if pieces[0].startswith("+"):
        pieces[0] = pieces[0][1:]
    pieces[-1] = pieces[-1].rstrip()
    # " +" also occurs inside a line ("p + n", "n += 1"): a piece that
    # starts with "=", or follows an operand inside open parentheses (a
    # line broken inside them ends with "," or an operator instead), is
    # the rest of the line before.
    lines = []
    for piece in pieces:
        prev = lines[-1].rstrip() if lines else ""
        inside = prev.count("(") > prev.count(")")
        operand = prev[-1:].isalnum() or prev[-1:] in ")]_"
        if lines and (piece.startswith("=") or (inside and operand)):
            lines[-1] += " +" + piece
        else:
            lines.append(piece)
    if len(lines) != int(m.group(1)):
        sys.exit("%s: %d lines, the hunk says %s" % (path, len(lines), m.group(1)))
    return lines


def from_patch(text, marker, count):
    """Lines of a new file in a patch that kept its line breaks."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("+") and marker in line:
            body = [l[1:] for l in lines[i:i + count]]
            if any(not l.startswith("+") for l in lines[i:i + count]):
                sys.exit("short hunk for " + marker)
            return body
    sys.exit("not found: " + marker)


def main():
    seeds, out = sys.argv[1], sys.argv[2]
    with open(os.path.join(seeds, "002_8d2ec67af05fb38c.txt")) as f:
        flat = f.read()
    with open(os.path.join(seeds, "004_0567eec63b9a6910.txt")) as f:
        p4 = f.read()

    for name in ("sample_mgr.c", "sample_loader.c", "msgfmt.h",
                 "sample_binary_blob.S", "sample_handler.c"):
        write(out, SAMPLE + name, from_flat(flat, SAMPLE + name))

    # usermode_driver_mgmt.h (35 lines) and .c (137 lines) of patch 2.
    hdr = from_patch(p4, "SPDX-License-Identifier: GPL-2.0-only */", 35)
    if "__LINUX_USERMODE_DRIVER_MGMT_H__" not in "\n".join(hdr):
        sys.exit("unexpected header text")
    write(out, "include/linux/usermode_driver_mgmt.h", hdr)
    src_start = p4.index("+// SPDX-License-Identifier: GPL-2.0-only")
    write(out, "kernel/usermode_driver_mgmt.c",
          from_patch(p4[src_start:], "// SPDX-License-Identifier", 137))


if __name__ == "__main__":
    main()
