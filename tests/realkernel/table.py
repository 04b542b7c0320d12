# SPDX-License-Identifier: GPL-2.0
"""The agreement tables of tests/realkernel (differential.sh and
kbuild-agreement.sh): the list of documented differences, and the table
itself, one row per case, a column per side and a verdict."""


def read_documented(path):
    """ROW<TAB>reason lines (# comments and empty lines skipped) as a dict;
    a missing file is an empty list."""
    documented = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if line and not line.startswith("#"):
                    name, _, why = line.partition("\t")
                    documented[name] = why.strip()
    except FileNotFoundError:
        pass
    return documented


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
