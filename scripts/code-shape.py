#!/usr/bin/env python3
"""The shape of the code, for BENCHMARKS.md: lines of non-test Rust code per
module of src/ (and the contract crate), and the longest functions.

Non-test code: lines that are not blank or comments, outside
`#[cfg(...test...)]` modules. A function's length is its lines from `fn` to
its closing brace (braces matched on text with strings and comments
skipped). Usage: scripts/code-shape.py [ROOT] (default: this checkout)."""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")


def strip(line, in_block):
    """The code of a line without comments and string contents."""
    out, i = [], 0
    while i < len(line):
        if in_block:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_block = end + 2, False
            continue
        c = line[i]
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            in_block, i = True, i + 2
            continue
        if c == '"':
            j = i + 1
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            out.append('""')
            i = j + 1
            continue
        if c == "'" and re.match(r"'(\\.|[^\\'])'", line[i:]):
            i += len(re.match(r"'(\\.|[^\\'])'", line[i:]).group(0))
            out.append("' '")
            continue
        out.append(c)
        i += 1
    return "".join(out), in_block


def measure(path):
    """Non-test code lines, and (length, name) of each function."""
    lines = open(path, encoding="utf-8").read().split("\n")
    code, functions, in_block = 0, [], False
    depth, skip_until, open_fns, pending_test = 0, None, [], False
    for number, raw in enumerate(lines, 1):
        text, in_block = strip(raw, in_block)
        stripped = text.strip()
        if skip_until is None and re.match(r"#\[cfg\(.*test.*\)\]", stripped):
            pending_test = True
            continue
        if pending_test and stripped.startswith("mod "):
            skip_until, pending_test = depth, False
        elif stripped and not stripped.startswith("#"):
            pending_test = False
        if skip_until is None and stripped:
            code += 1
        match = re.search(r"\bfn\s+(\w+)", text)
        if match and skip_until is None:
            open_fns.append((match.group(1), number, depth))
        for c in text:
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if skip_until is not None and depth == skip_until:
                    skip_until = None
                while open_fns and open_fns[-1][2] == depth and "{" in "".join(lines[open_fns[-1][1] - 1 : number]):
                    name, start, _ = open_fns.pop()
                    functions.append((number - start + 1, f"{name} ({os.path.relpath(path, ROOT)}:{start})"))
        # A declaration without a body (trait item, extern) ends at `;`.
        if open_fns and stripped.endswith(";") and open_fns[-1][2] == depth and "{" not in "".join(lines[open_fns[-1][1] - 1 : number]):
            open_fns.pop()
    return code, functions


def module_of(rel):
    parts = rel.split(os.sep)
    if parts[0] != "src":
        return parts[0]
    if len(parts) == 2:
        return "src/" + parts[1].removesuffix(".rs")
    return "src/" + parts[1]


totals, functions = {}, []
for top in ["src", "provisioning-contract"]:
    for folder, _, files in os.walk(os.path.join(ROOT, top)):
        for name in files:
            if name.endswith(".rs"):
                path = os.path.join(folder, name)
                code, fns = measure(path)
                module = module_of(os.path.relpath(path, ROOT))
                totals[module] = totals.get(module, 0) + code
                functions += fns
for module in sorted(totals):
    print(f"{totals[module]:6} {module}")
print(f"{sum(totals.values()):6} total")
print("longest functions:")
for length, name in sorted(functions, reverse=True)[:5]:
    print(f"{length:6} {name}")
