#!/usr/bin/env python3
"""Writes the hostile corpus (tests/robust/corpus/): the inputs of issue 20 as files, one
hostile value each, made from the lb-pair tutorial topology and a short scenario by text
substitution. Each file's first line says what it tries; its second line names the file it
runs with. Run from the repository root: tests/robust/make_corpus.py (idempotent).
The special files (/dev/zero, a FIFO, a directory, a loop) and every model param at zero,
negative, huge and overflowing values are made at test time by hostile_corpus.py."""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/robust/corpus"
TOPO = (ROOT / "topologies/tutorial/lb-pair.yaml").read_text()
TOPO_REL = "topologies/tutorial/lb-pair.yaml"
SCEN_REL = "tests/robust/short.yaml"
SCEN = (ROOT / SCEN_REL).read_text()

cases = {}


def topo(name, why, old, new, count=1):
    assert TOPO.count(old) >= 1, (name, old)
    cases["topo-" + name] = (why, "scenario: " + SCEN_REL, TOPO.replace(old, new, count))


def scen(name, why, old, new):
    assert SCEN.count(old) >= 1, (name, old)
    cases["scen-" + name] = (why, "topology: " + TOPO_REL, SCEN.replace(old, new, 1))


def scen_text(name, why, text):
    cases["scen-" + name] = (why, "topology: " + TOPO_REL, text)


def topo_text(name, why, text):
    cases["topo-" + name] = (why, "scenario: " + SCEN_REL, text)


BAD_NUMBERS = {"zero": "0", "neg": "-1", "inf": "inf", "nan": "nan", "huge": "1e308", "text": "abc", "empty": "''"}
UNITS = {"duration": "d", "rate": "/s", "size": "TiB", "bandwidth": "GB/s", "speed": "Tf"}

# The issue's cases, topology side.
topo("cpu-1e300d", "a CPU demand of 1e300d (was SIGSEGV)", "cpu: exponential 4ms", "cpu: 1e300d")
topo("overload-execs-at-end", "an overloaded run: Execs still running at its end (was a SEGV at exit under ASan)",
     "cpu: exponential 2ms", "cpu: 400ms")
topo("cpu-2h", "a CPU demand above the 1 h domain", "cpu: exponential 4ms", "cpu: 2h")
topo("cpu-lognormal-huge-sigma", "lognormal sigma above 10", "cpu: exponential 4ms", "cpu: lognormal 4ms 1e9")
topo("cpu-negative", "a negative CPU demand", "cpu: exponential 4ms", "cpu: -4ms")
topo("cpu-words", "a CPU demand that is not a distribution", "cpu: exponential 4ms", "cpu: pareto 4ms")
for key in ["nic_latency: 50us", "backbone_latency: 10us", "client_latency: 2ms"]:
    k = key.split(":")[0]
    for tag, v in [("1e308d", "1e308d"), ("11s", "11s"), ("neg", "-1ms"), ("nounit", "5"), ("nan", "nan")]:
        topo(f"{k}-{tag}", f"{k} {v}", key, f"{k}: {v}")
for key in ["nic_bandwidth: 10Gbps", "backbone_bandwidth: 40Gbps", "client_bandwidth: 1Gbps"]:
    k = key.split(":")[0]
    for tag, v in [("1e308GBps", "1e308GB/s"), ("zero", "0Gbps"), ("neg", "-1Gbps"), ("20Tbps", "20Tbps"),
                   ("inf", "infGbps")]:
        topo(f"{k}-{tag}", f"{k} {v}", key, f"{k}: {v}")
for tag, v in [("1e308Tf", "1e308Tf"), ("zero", "0f"), ("neg", "-2Gf"), ("2000Tf", "2000Tf"), ("nounit", "2")]:
    topo(f"speed-{tag}", f"a CPU speed of {v}", "speed: 2Gf, zone: a}\n  - {name: lb-2", f"speed: {v}, zone: a}}\n  - {{name: lb-2")
for tag, v in [("zero", "0"), ("neg", "-4"), ("huge", "1000000000"), ("float", "2.5")]:
    topo(f"cores-{tag}", f"{v} cores", "cores: 4, speed: 2Gf, zone: a", f"cores: {v}, speed: 2Gf, zone: a")
for tag, v in [("1e300TiB", "1e300TiB"), ("2GiB", "2GiB"), ("neg", "-1KiB"), ("inf", "infB")]:
    topo(f"request-{tag}", f"a request of {v}", "request: 50KiB}", f"request: {v}}}")
topo("response-1e300TiB", "a response of 1e300TiB", "response: 200B", "response: 1e300TiB")
topo("check_bytes-1e300TiB", "check_bytes 1e300TiB (was SIGABRT in SimGrid)", "priority: [150, 100]",
     "priority: [150, 100]\n      check_bytes: 1e300TiB")
for k, v in [("advert_int", "0s"), ("advert_int", "1e308d"), ("inter", "0s"), ("inter", "1e308d"), ("rise", "0"),
             ("fall", "-1"), ("retries", "1000000000000"), ("priority", "[0, 300]"), ("vrrp_version", "4"),
             ("timeout_server", "30d"), ("arp_reresolve", "1e308d"), ("fastinter", "1e-9s")]:
    old = "priority: [150, 100]   # lb-1 is the intended master, as in most keepalived configs"
    new = (f"priority: {v}" if k == "priority" else old + f"\n      {k}: {v}")
    topo(f"lb-{k}-{v.replace('/', '').replace(' ', '').replace(',', '-').replace('[', '').replace(']', '')}",
         f"vip_balancer {k}: {v}", old, new)
for k, v in [("workers", "0"), ("workers", "1e9"), ("backlog", "-1"), ("op_workers", "{smtp: 0}"),
             ("op_workers", "{nosuch: 3}")]:
    tag = v.replace("{", "").replace("}", "").replace(":", "").replace(" ", "")
    topo(f"mail-{k}-{tag}", f"mail_node {k}: {v}", "    model: mail_node\n    nodes: [mail-1, mail-2]",
         f"    model: mail_node\n    nodes: [mail-1, mail-2]\n    params: {{{k}: {v}}}")
topo("fallback-not-cache", "fallback on a step that is not a cache", "{component: mail, op: smtp,",
     "{component: mail, fallback: true, op: smtp,")
topo("hold-worker-first", "hold_worker on a first step", "{component: front_lb, request: 50KiB}",
     "{component: front_lb, hold_worker: true, request: 50KiB}")
topo("on-hit-skip-alone", "on_hit_skip without fallback", "{component: mail, op: smtp,", "{component: mail, on_hit_skip: 2, op: smtp,")
topo("dup-node", "two nodes of one name", "{name: lb-2,", "{name: lb-1,")
topo("unknown-model", "a model that does not exist", "model: mail_node", "model: mail_nod")
topo("node-cycle-backend", "a balancer that is its own backend", "backend: mail", "backend: front_lb")
topo_text("empty", "an empty file", "")
topo_text("only-comment", "a comment and nothing else", "# nothing\n")
topo_text("bom", "a UTF-8 BOM before a valid topology (accepted)", "\ufeff" + TOPO)
topo_text("crlf", "CRLF line ends (accepted)", TOPO.replace("\n", "\r\n"))
topo_text("tabs", "a tab in indentation", TOPO.replace("  - {name: lb-1", "\t- {name: lb-1"))
topo_text("binary", "bytes that are not UTF-8", "name: \xff\xfe\x00\x01\n")
topo_text("list-root", "a list at the root", "- a\n- b\n")
topo_text("deep-nesting", "10,000 nested lists", "name: " + "[" * 10000 + "]" * 10000 + "\n")
topo_text("billion-laughs", "YAML aliases that expand exponentially",
          "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
              f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
              f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
          + "nodes: *i\n")
topo_text("long-name", "a 64 KB node name", TOPO.replace("lb-1", "l" * 65536))
topo_text("two-documents", "two YAML documents", TOPO + "---\nname: second\n")

# The issue's cases, scenario side.
for tag, v in [("1e308", "1e308/s"), ("2e6", "2e6/s"), ("neg", "-1/s"), ("inf", "inf/s"), ("nan", "nan/s"),
               ("nounit", "20"), ("perday", "1e12/d")]:
    scen(f"rate-{tag}", f"a load rate of {v}", "rate: 20/s}", f"rate: {v}}}")
for tag, v in [("1e308d", "1e308d"), ("zero", "0s"), ("neg", "-1s"), ("2d", "2d"), ("nan", "nans")]:
    scen(f"client-timeout-{tag}", f"client timeout {v}", "client: {timeout: 5s}", f"client: {{timeout: {v}}}")
for tag, v in [("zero", "0s"), ("neg", "-5s"), ("11y", "4100d"), ("1e308d", "1e308d"), ("tiny", "1e-12s")]:
    scen(f"duration-{tag}", f"duration {v}", "duration: 5s", f"duration: {v}")
scen_text("ten-years-1rps", "10 years at 1 request/s (was a hang: warned, bounded)",
          SCEN.replace("duration: 5s\n", "duration: 3650d\n").replace("rate: 20/s", "rate: 0.5/s"))
scen("long-1e5rps", "1e5 requests/s for a day (was a hang: warned, bounded)",
     "duration: 5s\n", "duration: 1d\n")
cases["scen-long-1e5rps"] = (cases["scen-long-1e5rps"][0], cases["scen-long-1e5rps"][1],
                             cases["scen-long-1e5rps"][2].replace("rate: 20/s", "rate: 1e5/s", 1))
for tag, v in [("1e9", "1000000000"), ("1e10", "10000000000"), ("zero", "0"), ("neg", "-5")]:
    scen_text(f"population-{tag}", f"population of {v} mailboxes",
              SCEN.replace("load:\n  - {service: smtp, rate: 20/s}\n  - {service: imap, rate: 20/s}\n",
                           f"population:\n  mailboxes: {v}\n  per_mailbox_per_day: {{smtp: 50, imap: 200}}\n"))
scen_text("population-per-day-1e9", "1e9 messages per mailbox per day",
          SCEN.replace("load:\n  - {service: smtp, rate: 20/s}\n  - {service: imap, rate: 20/s}\n",
                       "population:\n  mailboxes: 1000\n  per_mailbox_per_day: {smtp: 1e9}\n"))
for k, v in [("maximal_queue_lifetime", "1e308d"), ("maximal_queue_lifetime", "1000d"), ("maximal_queue_lifetime", "0s"),
             ("queue_run_delay", "0s"), ("minimal_backoff_time", "-1s"), ("maximal_backoff_time", "1e9d")]:
    scen(f"sender-{k}-{v}", f"a sender with {k}: {v}", "{service: smtp, rate: 20/s}",
         f"{{service: smtp, rate: 20/s, sender: {{{k}: {v}}}}}")
for k, v in [("window", "0s"), ("window", "1e-9s"), ("window", "2d")]:
    scen(f"metrics-{k}-{v}", f"metrics {k}: {v}", "duration: 5s\n", f"duration: 5s\nmetrics: {{{k}: {v}}}\n")
for k, v in [("initial_rto", "0s"), ("initial_rto", "1e9s"), ("syn_retries", "100"), ("syn_retries", "-1")]:
    scen(f"client-{k}-{v}", f"client {k}: {v}", "client: {timeout: 5s}", f"client: {{timeout: 5s, {k}: {v}}}")
for tag, s in [("commands-zero", "{commands: 0}"), ("commands-1e9", "{commands: 1000000000}"),
               ("think-1e308d", "{commands: 3, think: 1e308d}"), ("think-2d", "{commands: 3, think: exponential 2d}"),
               ("users-zero", "{commands: 3, users: 0}")]:
    scen(f"session-{tag}", f"session {s}", "{service: imap, rate: 20/s}", f"{{service: imap, rate: 20/s, session: {s}}}")
for tag, f in [("at-neg", "{at: -1s, crash: {node: mail-1}}"), ("at-1e308d", "{at: 1e308d, crash: {node: mail-1}}"),
               ("at-after-end", "{at: 6s, crash: {node: mail-1}}"), ("for-zero", "{at: 1s, for: 0s, crash: {node: mail-1}}"),
               ("for-1e308d", "{at: 1s, for: 1e308d, crash: {node: mail-1}}"),
               ("degrade-latency-1e308d", "{at: 1s, degrade: {node: mail-1, latency: 1e308d}}"),
               ("degrade-latency-1h", "{at: 1s, degrade: {node: mail-1, latency: 1h}}"),
               ("degrade-loss-200", "{at: 1s, degrade: {node: mail-1, loss: 200%}}"),
               ("slow-disk-zero", "{at: 1s, slow_disk: {node: mail-1, factor: 0}}"),
               ("slow-disk-1e9", "{at: 1s, slow_disk: {node: mail-1, factor: 1e9}}"),
               ("unknown-node", "{at: 1s, crash: {node: mail-9}}"),
               ("partition-one-group", "{at: 1s, partition: {between: [[mail-1]]}}")]:
    scen_text(f"fault-{tag}", f"a fault {f}", SCEN + f"faults:\n  - {f}\n")
for tag, v in [("neg", "-1"), ("huge", "1e30"), ("float", "1.5")]:
    scen(f"seed-{tag}", f"seed {v}", "seed: 1", f"seed: {v}")
scen_text("step-at-neg", "a rate step at -1s", SCEN.replace("{service: smtp, rate: 20/s}",
          "{service: smtp, rate: 20/s, profile: step, steps: [{at: -1s, rate: 5/s}]}"))
scen_text("step-rate-1e308", "a rate step to 1e308/s", SCEN.replace("{service: smtp, rate: 20/s}",
          "{service: smtp, rate: 20/s, profile: step, steps: [{at: 1s, rate: 1e308/s}]}"))
scen_text("ramp-backwards", "a ramp that ends before it starts", SCEN.replace("{service: smtp, rate: 20/s}",
          "{service: smtp, rate: 20/s, profile: ramp, to: 40/s, ramp_start: 3s, ramp_end: 1s}"))
scen_text("ramp-to-1e308", "a ramp to 1e308/s", SCEN.replace("{service: smtp, rate: 20/s}",
          "{service: smtp, rate: 20/s, profile: ramp, to: 1e308/s, ramp_start: 1s, ramp_end: 3s}"))
scen_text("expect-garbage", "an expectation that does not parse", SCEN + "expect:\n  - p99(smtp) <<< 5ms\n")
scen_text("expect-huge-number", "an expectation with 1e308d", SCEN + "expect:\n  - p99(smtp) < 1e308d\n")
scen_text("empty", "an empty scenario", "")
scen_text("bom", "a UTF-8 BOM before a valid scenario (accepted)", "\ufeff" + SCEN)
scen_text("crlf", "CRLF line ends (accepted)", SCEN.replace("\n", "\r\n"))
scen_text("unknown-service", "load for a service the topology lacks", SCEN.replace("service: smtp", "service: smpt"))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.yaml"):
        old.unlink()
    for name, (why, partner, text) in sorted(cases.items()):
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        head = f"# hostile: {why}\n# {partner}\n"
        bom = "\ufeff" if text.startswith("\ufeff") else ""  # a BOM stays the file's first bytes
        text = text[len(bom):]
        raw = text.encode("latin-1") if "\xff" in text else text.encode("utf-8")
        (OUT / f"{safe}.yaml").write_bytes((bom + head).encode("utf-8") + raw)
    print(f"{len(cases)} inputs in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
