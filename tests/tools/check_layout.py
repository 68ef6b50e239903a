#!/usr/bin/env python3
"""The README's layout table is the rule of what may include what (test tools.layout).

Reads the table under "## Layout" in README.md: each row names folders (first
column) and, in the last column, the folders its sources may include besides
their own (`-` for none, `anything` for no rule). Every quoted #include of every
C, C++ and assembly source in a ruled folder is resolved the way the build
resolves it (the including file's folder, then the include roots) and must land
in the same row's folders or in one the row allows. A folder of sources that no
row names is an error too, so a new folder gets a row.

    check_layout.py ROOT
"""
import os
import re
import sys

SOURCE = re.compile(r"\.(c|cc|cpp|h|hpp|S|s|def)$")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# The include roots, as the CMake targets set them.
ROOTS = ["sim", "tools", "guest_os/include", "guest_os"]


def table(readme):
    text = open(readme, encoding="utf-8").read()
    m = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not m:
        sys.exit(f"{readme}: no '## Layout' section")
    rows = []
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        paths = [p.rstrip("/") for p in re.findall(r"`([^`]+)`", cells[0])]
        allowed = cells[-1]
        if allowed == "anything":
            rule = None
        elif allowed == "-" or allowed.startswith("- "):
            rule = []
        else:
            rule = [p.rstrip("/") for p in re.findall(r"`([^`]+)`", allowed)]
            if not rule:
                sys.exit(f"{readme}: the row of {cells[0]} says neither folders, '-' nor 'anything' in its last column")
        rows.append((paths, rule))
    if not rows:
        sys.exit(f"{readme}: the layout table has no rows")
    return rows


def under(path, folder):
    return path == folder or path.startswith(folder + "/")


def row_of(rows, path):
    best = None
    for paths, rule in rows:
        for p in paths:
            if under(path, p) and (best is None or len(p) > len(best[0])):
                best = (p, paths, rule)
    return best


def resolve(root, src, name):
    for base in [os.path.dirname(src)] + ROOTS:
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def main():
    root = sys.argv[1]
    rows = table(os.path.join(root, "README.md"))
    errors, checked = [], 0
    for top in ["sim", "tools", "guest_os", "scenarios", "tests", "docs"]:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            rel_dir = os.path.relpath(dirpath, root)
            if "node_modules" in rel_dir.split(os.sep):
                continue
            for f in sorted(files):
                if not SOURCE.search(f):
                    continue
                src = os.path.join(rel_dir, f)
                found = row_of(rows, src)
                if found is None:
                    errors.append(f"{src}: no row of README.md's layout table names its folder")
                    continue
                _, own, rule = found
                if rule is None:
                    continue
                text = open(os.path.join(root, src), encoding="utf-8", errors="replace").read()
                for name in INCLUDE.findall(text):
                    target = resolve(root, src, name)
                    if target is None:
                        continue  # a generated header (in the build folder)
                    checked += 1
                    if any(under(target, p) for p in own + rule):
                        continue
                    errors.append(f"{src}: includes \"{name}\" ({target}), which its row of the layout table "
                                  f"does not allow (may include: {', '.join(rule) or '-'})")
    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} sources break README.md's layout table")
        return 1
    print(f"ok: {checked} includes follow README.md's layout table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
