#!/usr/bin/env python3
"""The lab harness fails a lab whose answer no longer holds, whose command fails, or
which lacks a section: without this, a broken harness would pass every lab.
Usage: labs_harness_test.py MAILSIM_BINARY REPO_ROOT"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labs_test  # noqa: E402

PAGE = """# Lab 0
## Goal
g
## Read first
r
## Files
- `topologies/labs/vip-pair.yaml`
## Run
```sh
mailsim run topologies/labs/vip-pair.yaml scenarios/labs/vip-graceful-stop.yaml --json out/stop.json
{extra}
```
## Look at
l
## Questions
1. q
## Answers
1. a
   <!-- check: out/stop.json failovers[0].duration_s ~ {value} +- 0.002 -->
"""


def errors_of(root, binary, text):
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as f:
        f.write(text)
    try:
        return labs_test.run_lab(binary, root, f.name)
    finally:
        os.unlink(f.name)


def main():
    binary, root = sys.argv[1], os.path.abspath(sys.argv[2])
    cases = {
        "a right answer passes": (PAGE.format(extra="", value="0.609"), 0),
        "a wrong answer fails": (PAGE.format(extra="", value="0.700"), 1),
        "a failing command fails": (PAGE.format(extra="mailsim run topologies/labs/none.yaml x.yaml", value="0.609"), 1),
        "a command that fails as the lab says passes": (
            PAGE.format(extra="mailsim run topologies/labs/none.yaml x.yaml  # exit 2", value="0.609"), 0),
        "a missing section fails": (PAGE.format(extra="", value="0.609").replace("## Look at", "## Watch"), 1),
        "more questions than answers fails": (PAGE.format(extra="", value="0.609").replace("1. q", "1. q\n2. q2"), 1),
        "a missing file fails": (PAGE.format(extra="", value="0.609").replace("vip-pair.yaml`", "nope.yaml`"), 1),
    }
    bad = 0
    for name, (text, want_errors) in cases.items():
        errs = errors_of(root, binary, text)
        ok = bool(errs) == bool(want_errors)
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {errs}"))
        bad += not ok
    # Booleans compare as JSON writes them: a page's `== true` holds only for true.
    for value, expected, want in [(True, "true", True), (False, "true", False), (False, "false", True),
                                  (True, "1", False), (1, "1", True)]:
        ok = labs_test.holds(value, "==", expected) == want
        print(("ok   " if ok else "FAIL ") + f"{value!r} == {expected}: {want}")
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
