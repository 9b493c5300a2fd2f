#!/usr/bin/env python3
"""The hostile corpus of issue 20, run through `mailsim validate` and `mailsim run`.

Contract, for every input: validate exits 0 or 2, run exits 0, 1 or 2, any exit 2 names a
FILE:LINE:COL (or the path, for a file that cannot be read), and no process outlives its
time bound. A crash (a signal, exit 3) or a hang fails the test.

  --corpus   the committed inputs (tests/robust/corpus, made by make_corpus.py), the
             special files (/dev/zero, a FIFO, a directory, a missing file, a link loop)
             and unwritable outputs
  --params   every numeric param of every model (from `mailsim describe`) at zero,
             negative, huge and overflowing values, in the smallest topology using it
Runs are bounded (--max-requests, --time-limit) as a user should bound an unknown input;
the bounds themselves are part of what is tested."""
import argparse
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys
import time

import yaml

POSITION = re.compile(r"^[^\n]*:\d+:\d+: ", re.M)


class Driver:
    def __init__(self, args):
        self.mailsim = args.mailsim
        self.root = pathlib.Path(args.root)
        self.work = pathlib.Path(args.work)
        self.timeout = args.timeout
        self.failures = []
        self.counts = {}
        self.slowest = (0.0, "")

    def call(self, what, argv, allowed):
        t0 = time.monotonic()
        try:
            p = subprocess.run([self.mailsim] + argv, cwd=self.root, capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.failures.append(f"{what}: no answer after {self.timeout} s: mailsim {' '.join(argv)}")
            return None
        wall = time.monotonic() - t0
        if wall > self.slowest[0]:
            self.slowest = (wall, what)
        code = p.returncode
        err = p.stderr.decode("utf-8", "replace")
        self.counts[code] = self.counts.get(code, 0) + 1
        if code not in allowed:
            how = f"signal {-code}" if code < 0 else f"exit {code}"
            self.failures.append(f"{what}: {how}: mailsim {' '.join(argv)}\n    {err.strip()[-600:]}")
        elif code == 2 and not POSITION.search(err) and "cannot write this output" not in err:
            self.failures.append(f"{what}: exit 2 without FILE:LINE:COL: {err.strip()[:300]}")
        return code

    def validate_and_run(self, what, topology, scenario, checked):
        """validate `checked` (the hostile file), then run the pair, bounded."""
        if self.call(what + " (validate)", ["validate", checked], {0, 2}) is None:
            return
        out = self.work / (re.sub(r"[^A-Za-z0-9_.-]", "_", what) + ".json")
        self.call(what + " (run)", ["run", topology, scenario, "-q", "--json", str(out), "--max-requests", "2000000",
                                    "--time-limit", "20"], {0, 1, 2})


def corpus_cases(d):
    cases = []
    for f in sorted((d.root / "tests/robust/corpus").glob("*.yaml")):
        head = f.read_bytes()[:400].decode("utf-8", "replace").lstrip("\ufeff").splitlines()
        partner = head[1][2:] if len(head) > 1 else ""
        kind, _, other = partner.partition(": ")
        rel = str(f.relative_to(d.root))
        if kind == "scenario":
            cases.append((f.name, rel, other, rel))
        elif kind == "topology":
            cases.append((f.name, other, rel, rel))
        else:
            d.failures.append(f"{f.name}: no '# scenario:' or '# topology:' second line")
    return cases


def special_cases(d):
    topo, scen = "topologies/tutorial/lb-pair.yaml", "tests/robust/short.yaml"
    fifo = d.work / "fifo.yaml"
    if not fifo.exists():
        os.mkfifo(fifo)
    loop = d.work / "loop.yaml"
    if not loop.is_symlink():
        os.symlink(loop.name, loop)
    folder = d.work / "folder.yaml"
    folder.mkdir(exist_ok=True)
    cases = []
    for name, path in [("dev-zero", "/dev/zero"), ("fifo", str(fifo)), ("folder", str(folder)),
                       ("missing", str(d.work / "missing.yaml")), ("link-loop", str(loop)), ("dev-null", "/dev/null")]:
        cases.append((f"special {name} as topology", path, scen, path))
        cases.append((f"special {name} as scenario", topo, path, path))
    return cases


def output_cases(d):
    """Unwritable outputs are refused before the simulation (exit 2, quickly)."""
    topo, scen = "topologies/tutorial/lb-pair.yaml", "tests/robust/short.yaml"
    folder = d.work / "out-folder"
    folder.mkdir(exist_ok=True)
    for flag, path in [("--json", str(folder)), ("--html", str(d.root / scen / "x.html")), ("--csv", "/proc/version"),
                       ("--json", "/dev/full/x.json")]:
        t0 = time.monotonic()
        code = d.call(f"output {flag} {path}", ["run", topo, scen, "-q", flag, path], {2})
        if code == 2 and time.monotonic() - t0 > 2:
            d.failures.append(f"output {flag} {path}: refused only after {time.monotonic() - t0:.1f} s (not before the run)")
    # A full disk can only show when writing: exit 2 naming the path, after the run.
    d.call("output --json /dev/full", ["run", topo, scen, "-q", "--json", "/dev/full"], {2})


def kind_of(default, unit):
    m = re.fullmatch(r"(-?[0-9.e+]+)([A-Za-z/%]*)", default.strip("`"))
    if m and m.group(2):
        return m.group(2)  # the unit the default is written in
    if m:
        return ""  # a plain number
    return None  # a list, a map or a word: values made below


def param_cases(d):
    models = subprocess.run([d.mailsim, "describe"], capture_output=True, text=True, check=True).stdout
    names = re.findall(r"^\s*([a-z_]+)\b", models, re.M)
    topologies = sorted(d.root.glob("topologies/**/*.yaml"), key=lambda p: p.stat().st_size)
    cases = []
    for model in names:
        md = subprocess.run([d.mailsim, "describe", model, "--markdown"], capture_output=True, text=True)
        if md.returncode != 0:
            continue
        home = next((t for t in topologies if re.search(rf"model:\s*{model}\b", t.read_text())), None)
        if home is None:
            continue
        doc = yaml.safe_load(home.read_text())
        comp = next(c for c in doc["components"] if c["model"] == model)
        scen = {"name": "params", "duration": "5s", "seed": 1, "client": {"timeout": "5s"},
                "load": [{"service": s["name"], "rate": "10/s"} for s in doc["services"]]}
        scen_path = d.work / f"params-{home.stem}.yaml"
        scen_path.write_text(yaml.safe_dump(scen, sort_keys=False))
        for row in md.stdout.splitlines():
            cells = [c.strip() for c in row.split("|")[1:-1]]
            if len(cells) < 4 or not cells[0].startswith("`") or cells[3] in ("-", "valid values"):
                continue
            param, default = cells[0].strip("`"), cells[1]
            unit = kind_of(default, cells[2])
            values = ["0", "-1", "1e15", "1e308", "2147483648", "[]", "{}"] if unit is None else \
                [f"0{unit}", f"-1{unit}", f"1e15{unit}", f"1e308{unit}", f"1e-300{unit}"]
            for v in values:
                t = yaml.safe_load(home.read_text())
                c = next(c for c in t["components"] if c["name"] == comp["name"])
                c.setdefault("params", {})
                c["params"] = dict(c["params"] or {})
                c["params"][param] = yaml.safe_load(v) if v in ("[]", "{}") else v
                name = f"param {model}.{param}={v}"
                path = d.work / ("p-" + re.sub(r"[^A-Za-z0-9_.-]", "_", f"{model}-{param}-{v}") + ".yaml")
                path.write_text(yaml.safe_dump(t, sort_keys=False))
                cases.append((name, str(path), str(scen_path), str(path)))
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mailsim", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--corpus", action="store_true")
    ap.add_argument("--params", action="store_true")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    d = Driver(args)
    d.work.mkdir(parents=True, exist_ok=True)
    cases = []
    if args.corpus:
        cases += corpus_cases(d) + special_cases(d)
        output_cases(d)
    if args.params:
        cases += param_cases(d)
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(lambda c: d.validate_and_run(*c), cases))
    print(f"{len(cases)} hostile inputs, {sum(d.counts.values())} mailsim calls in {time.monotonic() - t0:.1f} s; "
          f"exit codes {dict(sorted(d.counts.items()))}; slowest {d.slowest[0]:.2f} s ({d.slowest[1]})")
    for f in d.failures:
        print("FAIL", f)
    return 1 if d.failures or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
