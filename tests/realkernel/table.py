# SPDX-License-Identifier: GPL-2.0
"""The agreement tables of tests/realkernel (differential.sh and
kbuild-agreement.sh): the list of documented differences, the verdict of
one row, and the table itself, one row per case, a column per side and a
verdict."""

import fnmatch
import re


def read_documented(path):
    """ROW<TAB>reason lines (# comments and empty lines skipped) as a dict
    {ROW: reason}; a missing file is an empty list. ROW may be a shell
    pattern ("bpfilter *"), and may start with "[KERNEL] " to hold for that
    kernel's column only ("[6.12] bpfilter *"): the key is then
    (KERNEL, ROW)."""
    documented = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if line and not line.startswith("#"):
                    name, _, why = line.partition("\t")
                    m = re.match(r"\[([^\]]+)\] (.*)$", name)
                    key = (m.group(1), m.group(2)) if m else name
                    documented[key] = why.strip()
    except FileNotFoundError:
        pass
    return documented


def documented_reason(documented, row, kernel=None):
    """The reason ROW may differ on KERNEL's column and whether it is that
    kernel's own: (reason, scoped), an entry for KERNEL first, then one for
    every kernel; (None, False) if there is none."""
    for key, why in documented.items():
        if isinstance(key, tuple) and key[0] == kernel and \
                fnmatch.fnmatchcase(row, key[1]):
            return why, True
    for key, why in documented.items():
        if not isinstance(key, tuple) and fnmatch.fnmatchcase(row, key):
            return why, False
    return None, False


def verdict(row, vals, kernels, documented, missing="(missing)"):
    """The verdict of one row: vals[0] is the emulator's value, vals[1:]
    the kernels' (named by KERNELS). "agree" when all are the same;
    otherwise every kernel column that differs from the emulator needs a
    documented reason, its own or one for every kernel, and the kernels
    under a reason for every kernel must agree among themselves (the
    difference is then one between the emulator and "a kernel").
    Returns (verdict, ok)."""
    if missing not in vals and len(set(vals)) == 1:
        return "agree", True
    if vals[0] == missing:
        return "DIFFERENT", False
    reasons, shared = [], []
    for kernel, v in zip(kernels, vals[1:]):
        if v == vals[0]:
            continue
        why, scoped = documented_reason(documented, row, kernel)
        if why is None:
            return "DIFFERENT", False
        if not scoped:
            shared.append(v)
        label = f"[{kernel}] {why}" if scoped else why
        if label not in reasons:
            reasons.append(label)
    if len(set(shared)) > 1 or missing in shared:
        return "DIFFERENT", False
    return "documented: " + " / ".join(reasons), True


def judge(names, values, kernels, documented, unchecked=None):
    """The verdict of every row: NAMES in order, VALUES maps a row to its
    list of values (the emulator's first). A row with the value UNCHECKED
    on a side is "not compared". Returns (table rows for print_table(),
    a dict of counts: agree, documented, not compared; the rows that
    differ undocumented)."""
    table, bad = [], []
    counts = {"agree": 0, "documented": 0, "not compared": 0}
    for n in names:
        vals = values[n]
        if unchecked is not None and unchecked in vals:
            v = "not compared"
            counts[v] += 1
        else:
            v, ok = verdict(n, vals, kernels, documented)
            if v == "agree":
                counts["agree"] += 1
            elif ok:
                counts["documented"] += 1
            else:
                bad.append(n)
        table.append((n, vals, v))
    return table, counts, bad


def stale_entries(documented, rows, values):
    """Entries that match no row, or whose rows now agree everywhere:
    VALUES maps a row to its list of values."""
    notes = []
    for key in documented:
        kernel, pat = key if isinstance(key, tuple) else (None, key)
        hit = [r for r in rows if fnmatch.fnmatchcase(r, pat)]
        label = f"[{kernel}] {pat}" if kernel else pat
        if not hit:
            notes.append(f"'{label}' is listed as a difference but is no row of this test")
        elif all(len(set(values[r])) == 1 for r in hit):
            notes.append(f"'{label}' is listed as a difference but now agrees")
    return notes


def print_table(rows, labels, cap=None):
    """rows: (case, [value per side], verdict); labels: the sides' column
    heads; cap: the widest a column is padded to (longer values overflow)."""
    w = max([len(r[0]) for r in rows] + [4])
    cw = []
    for i, label in enumerate(labels):
        width = max([len(r[1][i]) for r in rows] + [len(label)])
        cw.append(min(width, cap) if cap else width)
    print()
    print(f"{'case':<{w}}  " +
          "  ".join(f"{labels[i]:<{cw[i]}}" for i in range(len(labels))) +
          "  verdict")
    print(f"{'-' * w}  " + "  ".join("-" * c for c in cw) + "  -------")
    for name, vals, verdict in rows:
        print(f"{name:<{w}}  " +
              "  ".join(f"{vals[i]:<{cw[i]}}" for i in range(len(labels))) +
              f"  {verdict}")
    print()
