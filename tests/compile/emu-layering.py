#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The runtime's files form no cycle: which emu/*.c file uses which.

Reads the objects of libumdemu (one per emu/*.c) with nm: a file uses
another when it calls or reads a symbol the other defines. Prints the
graph, and fails naming every cycle (a strongly connected set of files).
Usage: emu-layering.py OBJDIR (the library's private object directory).
"""
import glob
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(['nm', obj], capture_output=True, text=True,
                         check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in 'TDBRVWG':
            defined.add(f[2])
        elif len(f) == 2 and f[0] == 'U':
            used.add(f[1])
    return defined, used


def cycles(graph):
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       '..', '..', 'emu')
    names = {os.path.basename(p)[:-2]
             for p in glob.glob(os.path.join(src, '*.c'))}
    objs = {}
    for obj in glob.glob(os.path.join(sys.argv[1], '*.c.o')):
        name = os.path.basename(obj)[:-4]
        if name in names:
            objs[name] = symbols(obj)
    missing = names - set(objs)
    if missing:
        sys.exit('emu-layering: no object for %s in %s'
                 % (' '.join(sorted(missing)), sys.argv[1]))
    owner = {s: n for n, (d, _) in objs.items() for s in d}
    graph = {n: sorted({owner[s] for s in u if owner.get(s, n) != n})
             for n, (_, u) in objs.items()}
    for n in sorted(graph):
        print('%-14s -> %s' % (n, ' '.join(graph[n])))
    found = cycles(graph)
    for c in found:
        print('FAIL: cycle between %s' % ', '.join(c))
    if found:
        sys.exit(1)
    print('PASS: %d files, no cycle' % len(graph))


main()
