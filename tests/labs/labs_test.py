#!/usr/bin/env python3
"""Runs every lab of docs/labs/ as a student would and checks its answers.

For each lab page docs/labs/NN-*.md:
  - it has the sections a lab needs (Goal, Read first, Files, Run, Look at, Questions,
    Answers), and as many answers as questions;
  - every topologies/labs/ or scenarios/labs/ file it names exists;
  - every `mailsim ...` line of its ```sh blocks runs, in a scratch folder that sees the
    repository's topologies/ and scenarios/ (so out/ lands there), and exits 0, or the
    code its trailing `# exit N` comment gives;
  - every `<!-- check: FILE PATH OP VALUE -->` comment holds on the JSON the commands
    wrote: PATH is dot-separated keys and [i] indexes; OP is ==, <=, >=, <, > or
    `~ VALUE +- TOL`. The numbers a lab states in its answers are pinned this way, so a
    change of mechanism that changes an answer fails the suite instead of leaving the
    course wrong.

Usage: labs_test.py MAILSIM_BINARY REPO_ROOT [LAB_FILE...]
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

SECTIONS = ["Goal", "Read first", "Files", "Run", "Look at", "Questions", "Answers"]
CHECK = re.compile(r"<!--\s*check:\s*(\S+)\s+(\S+)\s+(==|<=|>=|<|>|~)\s+(.+?)\s*-->")
FILE_REF = re.compile(r"`((?:topologies|scenarios)/labs/[^`\s]+)`")


def sections(text):
    out, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^## (.+?)\s*$", line)
        if m:
            name = m.group(1)
            out[name] = []
        elif name:
            out[name].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def numbered(text):
    return len(re.findall(r"^\d+\.\s", text, flags=re.M))


def commands(run_text):
    cmds, in_sh = [], False
    for line in run_text.splitlines():
        if line.startswith("```"):
            in_sh = line.strip() == "```sh" if not in_sh else False
            continue
        if in_sh and line.startswith("mailsim "):
            m = re.search(r"#\s*exit\s+(\d+)\s*$", line)
            cmds.append((line.split(" #")[0].strip(), int(m.group(1)) if m else 0))
    return cmds


def lookup(doc, path):
    cur = doc
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        cur = cur[int(part[1:-1])] if part.startswith("[") else cur[part]
    return cur


def holds(value, op, expected):
    if op == "~":
        v, tol = [float(x) for x in expected.split("+-")]
        return abs(float(value) - v) <= tol
    if op == "==" and isinstance(value, bool):  # JSON's true/false, as the page writes them
        return json.dumps(value) == expected
    if op == "==":
        try:
            return float(value) == float(expected)
        except (TypeError, ValueError):
            return str(value) == expected.strip('"')
    v, e = float(value), float(expected)
    return {"<=": v <= e, ">=": v >= e, "<": v < e, ">": v > e}[op]


def run_lab(binary, root, page):
    errors = []
    name = os.path.relpath(page, root)
    text = open(page, encoding="utf-8").read()
    secs = sections(text)
    for s in SECTIONS:
        if s not in secs:
            errors.append(f"{name}: no '## {s}' section")
    if errors:
        return errors
    if numbered(secs["Questions"]) == 0 or numbered(secs["Questions"]) != numbered(secs["Answers"]):
        errors.append(f"{name}: {numbered(secs['Questions'])} questions but {numbered(secs['Answers'])} answers")
    for ref in FILE_REF.findall(text):
        if not os.path.exists(os.path.join(root, ref)):
            errors.append(f"{name}: names {ref}, which does not exist")
    with tempfile.TemporaryDirectory(prefix="mailsim-lab-") as work:
        for d in ("topologies", "scenarios"):
            os.symlink(os.path.join(root, d), os.path.join(work, d))
        env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(binary)) + os.pathsep + os.environ["PATH"])
        for cmd, want in commands(secs["Run"]):
            argv = [os.path.abspath(binary)] + shlex.split(cmd)[1:] + ["--no-progress"] * cmd.startswith(
                ("mailsim sweep", "mailsim explore", "mailsim compare", "mailsim check", "mailsim reliability"))
            p = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=600)
            if p.returncode != want:
                errors.append(f"{name}: `{cmd}` exited {p.returncode}, the lab says {want}:\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
        checks = CHECK.findall(text)
        if not checks:
            errors.append(f"{name}: no <!-- check: --> pins its answers")
        for file, path, op, expected in checks:
            try:
                doc = json.load(open(os.path.join(work, file)))
                value = lookup(doc, path)
                if not holds(value, op, expected):
                    errors.append(f"{name}: check {file} {path} {op} {expected}: measured {value}")
            except (OSError, KeyError, IndexError, TypeError, ValueError) as e:
                errors.append(f"{name}: check {file} {path}: {type(e).__name__} {e}")
    return errors


def main():
    binary, root = sys.argv[1], os.path.abspath(sys.argv[2])
    pages = sys.argv[3:] or sorted(
        os.path.join(root, "docs/labs", f) for f in os.listdir(os.path.join(root, "docs/labs")) if re.match(r"\d\d-.*\.md$", f))
    if not pages:
        print("no labs found")
        return 1
    failed = 0
    for page in pages:
        errs = run_lab(binary, root, page)
        print(("FAIL " if errs else "ok   ") + os.path.relpath(page, root))
        for e in errs:
            print("  " + e)
        failed += bool(errs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
