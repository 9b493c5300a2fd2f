#!/usr/bin/env python3
"""Every HTML page mailsim writes, rendered in a real browser (issue 16).

Makes the pages as a user would (run --html, compare --html, sweep --html), opens each in
headless Chromium through ChromeDriver's W3C protocol (standard library only: no
selenium), and checks that
  - the screenshot is not blank (many colours, ink over a good part of the page),
  - the browser logged no error (script errors, failed loads: the pages fetch nothing),
  - the layout holds: nothing wider than the window (no horizontal scroll), every SVG
    chart drawn with a size, no text of a chart outside its box.
Screenshots go to OUT/*.png for a person to look at.

Usage: browser_test.py MAILSIM OUT   (run from the source root)
Without Chromium and ChromeDriver it installs them as root with apt (CI); exit 77 (ctest's
SKIP_RETURN_CODE) only where it cannot.
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

SKIP = 77


def png_pixels(data):
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def ink(png):
    """(distinct colours, share of rows with a non-white pixel) of a screenshot."""
    w, h, bpp, rows = png_pixels(png)
    colours, inked = set(), 0
    for r in rows:
        px = [r[i:i + 3] for i in range(0, len(r), bpp)]
        colours.update(px[::7])
        inked += any(p != b"\xff\xff\xff" for p in px)
    return len(colours), inked / h


class Driver:
    def __init__(self, chromedriver, chromium, profile):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.proc = subprocess.Popen([chromedriver, f"--port={self.port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900",
                "--hide-scrollbars"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())["value"]

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def close(self):
        try:
            self.s("DELETE", "")
        finally:
            self.proc.terminate()
            self.proc.wait()


LAYOUT = """
const out = [];
const doc = document.documentElement;
if (doc.scrollWidth > window.innerWidth + 1)
  out.push('the page is ' + doc.scrollWidth + ' px wide in a ' + window.innerWidth + ' px window');
const charts = document.querySelectorAll('svg');
if (charts.length === 0) out.push('no chart');
for (const svg of charts) {
  const box = svg.getBoundingClientRect();
  if (box.width < 100 || box.height < 20) out.push('a chart drawn ' + box.width + 'x' + box.height);
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBoundingClientRect();
    if (b.width === 0) continue;
    if (b.right > box.right + 2 || b.left < box.left - 2 || b.bottom > box.bottom + 2 || b.top < box.top - 2)
      out.push('text "' + t.textContent + '" outside its chart (' + svg.getAttribute('aria-label') + ')');
  }
}
if (document.body.innerText.trim().length < 100) out.push('almost no text');
return out;
"""


def make_pages(mailsim, out):
    def run(*args):
        r = subprocess.run([mailsim, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode > 1:
            sys.exit(f"mailsim {' '.join(args)} failed ({r.returncode}):\n{r.stdout}")
    cache = os.path.join(out, "cache")
    pages = {}
    pages["run"] = os.path.join(out, "run.html")
    run("run", "topologies/tutorial/lb-pair.yaml", "scenarios/tutorial/backend-crash.yaml", "-q", "--html", pages["run"])
    pages["compare"] = os.path.join(out, "compare.html")
    run("compare", "topologies/tutorial/lb-pair.yaml", "topologies/tutorial/nfs-server.yaml", "--duration", "40",
        "--at", "10.5", "--rate", "10", "--scenario", "scenarios/tutorial/backend-crash.yaml", "-q",
        "--cache", cache, "--html", pages["compare"])
    pages["sweep"] = os.path.join(out, "sweep.html")
    run("sweep", "topologies/tutorial/lb-pair.yaml", "scenarios/tutorial/backend-crash.yaml",
        "--set", "load.imap.rate=5/s,50/s,500/s", "--slo", "availability(imap)>=95%", "-q", "--cache", cache,
        "--html", pages["sweep"])
    return pages


def main():
    mailsim, out = sys.argv[1], sys.argv[2]
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if (not chromium or not chromedriver) and os.geteuid() == 0 and shutil.which("apt-get"):
        # CI runs as root with apt: install Debian's browser rather than skip.
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        print("SKIP: no chromium/chromedriver (scripts/install-deps.sh --test installs them)")
        return SKIP
    os.makedirs(out, exist_ok=True)
    pages = make_pages(mailsim, out)
    failures = []
    with tempfile.TemporaryDirectory() as profile:
        d = Driver(chromedriver, chromium, profile)
        try:
            for name, path in pages.items():
                d.s("POST", "/url", {"url": "file://" + os.path.abspath(path)})
                problems = d.s("POST", "/execute/sync", {"script": LAYOUT, "args": []})
                logs = d.s("POST", "/se/log", {"type": "browser"})
                problems += [f"browser log {l['level']}: {l['message']}" for l in logs
                             if l["level"] in ("SEVERE", "WARNING")]
                # The whole page in one screenshot, for the person who looks at it.
                height = d.s("POST", "/execute/sync", {"script": "return document.documentElement.scrollHeight",
                                                       "args": []})
                d.s("POST", "/window/rect", {"width": 1280, "height": min(int(height) + 100, 8000)})
                png = base64.b64decode(d.s("GET", "/screenshot"))
                d.s("POST", "/window/rect", {"width": 1280, "height": 900})
                with open(os.path.join(out, name + ".png"), "wb") as f:
                    f.write(png)
                colours, inked = ink(png)
                if colours < 8 or inked < 0.2:
                    problems.append(f"the screenshot looks blank ({colours} colours, ink on {inked:.0%} of rows)")
                print(f"{name}: {path} -> {name}.png: {colours} colours, ink on {inked:.0%} of rows; "
                      f"{len(problems)} problem(s)")
                failures += [f"{name}: {p}" for p in problems]
        finally:
            d.close()
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
