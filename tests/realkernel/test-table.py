# SPDX-License-Identifier: GPL-2.0
"""Checks of table.py's verdicts (the agreement tables' rules), without a
kernel: a difference passes only where it is documented for the column
that differs, kernel-scoped entries hold for their kernel only, and the
kernels under a reason for every kernel must agree among themselves."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from table import read_documented, verdict, judge, stale_entries  # noqa: E402

KERNELS = ["6.1", "6.1+series", "6.12"]
failures = 0


def check(what, got, want):
    global failures
    if got != want:
        print(f"FAIL: {what}: got {got!r}, want {want!r}")
        failures += 1
    else:
        print(f"ok: {what}")


with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    f.write("# a comment\n\n"
            "upper handler comm\tmemfd names\n"
            "[6.12] bpfilter *\tgone in 6.8\n")
doc = read_documented(f.name)
os.unlink(f.name)
check("entries read", sorted(map(str, doc)),
      sorted(["upper handler comm", "('6.12', 'bpfilter *')"]))

check("all equal", verdict("x", ["a", "a", "a", "a"], KERNELS, doc),
      ("agree", True))
check("undocumented row", verdict("x", ["a", "a", "b", "a"], KERNELS, doc)[1],
      False)
check("a row every side lacks", verdict("x", ["(missing)"] * 4, KERNELS, doc)[1],
      False)
check("documented for every kernel, kernels agree",
      verdict("upper handler comm", ["m", "u", "u", "u"], KERNELS, doc),
      ("documented: memfd names", True))
check("documented for every kernel, kernels disagree",
      verdict("upper handler comm", ["m", "u", "v", "u"], KERNELS, doc)[1],
      False)
check("scoped to 6.12, differs on 6.12 (missing there)",
      verdict("bpfilter ttl", ["33", "33", "33", "(missing)"], KERNELS, doc),
      ("documented: [6.12] gone in 6.8", True))
check("scoped to 6.12, differs on 6.1",
      verdict("bpfilter ttl", ["33", "34", "33", "(missing)"], KERNELS, doc)[1],
      False)
check("missing on the emulator",
      verdict("bpfilter ttl", ["(missing)", "33", "33", "33"], KERNELS, doc)[1],
      False)
table, counts, bad = judge(
    ["same", "comm", "odd", "load"],
    {"same": ["a"] * 4,
     "comm": ["m", "u", "u", "u"], "odd": ["a", "b", "a", "a"],
     "load": ["yes", "not checked", "yes", "yes"]},
    KERNELS, {"comm": "memfd names"}, unchecked="not checked")
check("judge: counts", counts, {"agree": 1, "documented": 1, "not compared": 1})
check("judge: the undocumented row", bad, ["odd"])
check("judge: verdicts in order", [v for _, _, v in table],
      ["agree", "documented: memfd names", "DIFFERENT", "not compared"])
notes = stale_entries(doc, ["bpfilter ttl"], {"bpfilter ttl": ["1", "1", "1", "1"]})
check("stale entries", sorted(notes), sorted([
    "'[6.12] bpfilter *' is listed as a difference but now agrees",
    "'upper handler comm' is listed as a difference but is no row of this test"]))
sys.exit(1 if failures else 0)
