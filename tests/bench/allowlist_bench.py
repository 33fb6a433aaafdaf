#!/usr/bin/python3
"""The per-packet cost of portbridge_allow's hook: 0, 1, 16 and 32 entries
against no hook at all, measured in the kernel.

Boots the test image (root agent, allowprobe), makes one client network
namespace on a veth pair and floods UDP from it to a listener in the
guest.  The kernel's function_graph tracer times, per datagram, the
function that runs the LOCAL_IN hooks and then delivers the datagram to
its socket (ip_local_deliver, ip6_input): its time with the hook against
its time with the list off is the hook's cost relative to no hook.  A
second pass times the hook function itself.  Emulation (TCG) makes single
calls noisy: every figure is the median of a run's calls, runs of all
cases are interleaved, and the median over runs is reported.  Times
include the tracer's own overhead, the same in every case.

    PB_BUILD_DIR=... PB_PORT_BASE=... tests/bench/allowlist_bench.py \\
        [--packets N] [--rounds R] [--out DIR]

Cases (the matching entry is always the last one searched):
    off        the list is off: no hook registered
    0 entries  on, the flood's port is not protected: a port lookup
    1 entry    on, protected, the global list holds the sender
    16 entries on, 15 global entries miss, the 16th matches
    32 entries on, 16 global and 15 port entries miss, the 32nd matches
    32, miss   on, no entry matches: the datagram is dropped (no event:
               nobody listens), so nothing is delivered after the hook

Not a test: it prints figures and ratios and never fails on a number.
"""
import argparse
import json
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "vm"))

from pbtest import TestBoard  # noqa: E402
from test_allowlist import NETNS_SETUP, PROBE, ns  # noqa: E402

PORT = 4004
TARGET = {"v4": "10.50.1.1", "v6": "fd50:1::1"}
SENDER = {"v4": "10.50.1.2/255.255.255.255", "v6": "fd50:1::2/128"}


def misses(family, n, base):
    """n entries that do not match the sender, of its own family."""
    if family == "v4":
        return ["10.%d.%d.0/255.255.255.0" % (base, i) for i in range(n)]
    return ["fd%02x:%x::/64" % (base, i) for i in range(n)]


def cases(family):
    me = SENDER[family]
    return [
        ("off", None),
        ("0 entries", {"global": [me], "port": None, "protect": "tcp:22"}),
        ("1 entry", {"global": [me], "port": None,
                     "protect": "udp:%d" % PORT}),
        ("16 entries", {"global": misses(family, 15, 60) + [me],
                        "port": None, "protect": "udp:%d" % PORT}),
        ("32 entries", {"global": misses(family, 16, 60),
                        "port": misses(family, 15, 70) + [me],
                        "protect": "udp:%d" % PORT}),
        ("32, miss", {"global": misses(family, 16, 60),
                      "port": misses(family, 16, 70),
                      "protect": "udp:%d" % PORT}),
    ]


# Per family: the function that runs LOCAL_IN and delivers, and our hook.
TRACED = {"v4": ("ip_local_deliver", "pba_ipv4_in"),
          "v6": ("ip6_input", "pba_ipv6_in")}

# measure FUNCTION FAMILY PACKETS: trace FUNCTION during a flood and print
# "<calls> <median us>" of its durations.
MEASURE = r"""
cd /sys/kernel/tracing
measure() {
	echo "$1" >set_ftrace_filter
	echo >trace
	echo 1 >tracing_on
	%s >/dev/null
	echo 0 >tracing_on
	grep " $1.*();" trace |
	sed 's/.*) *[^0-9 ]* *\([0-9.]*\) us.*/\1/' | sort -n |
	awk '{ a[NR] = $1 } END { print NR, a[int((NR + 1) / 2)] }'
}
"""


class Bench:
    def __init__(self, board):
        self.board = board

    def sh(self, script, timeout=600):
        return self.board.agent.out(script, timeout=timeout)

    def probe(self, args):
        self.sh("%s %s >/dev/null" % (PROBE, args))

    def setup(self):
        self.sh(NETNS_SETUP + "make_ns 1\n" + ns(1, "sh -c 'for i in "
                "$(seq 50); do ping -c1 -W1 10.50.1.1 >/dev/null && "
                "ping6 -c1 -W1 fd50:1::1 >/dev/null && exit 0; done; "
                "exit 1'"))
        self.sh("%s udp-sink %d 100000 >/dev/null 2>&1 </dev/null 3>&- &"
                % (PROBE, PORT))
        self.sh("mountpoint -q /sys/kernel/tracing || "
                "mount -t tracefs nodev /sys/kernel/tracing; "
                "cd /sys/kernel/tracing && echo 0 >tracing_on && "
                "echo 4096 >buffer_size_kb && "
                "echo function_graph >current_tracer")

    def configure(self, setup):
        self.probe("enable 0")
        if setup is None:
            return
        self.probe("global " + " ".join(setup["global"]))
        self.probe("port udp %d %s" % (PORT, " ".join(setup["port"] or [])))
        self.probe("protect " + setup["protect"])
        self.probe("enable 1")

    def measure(self, family, function, packets):
        """Median time of @function per call, in ns, during a flood."""
        flood = ns(1, "%s udp-flood %s %d %d" % (PROBE, TARGET[family], PORT,
                                                 packets))
        out = self.sh(MEASURE % flood + "measure %s\n" % function)
        calls, median = out.split()[-2:]
        if int(calls) < packets // 2:
            raise RuntimeError("%s: only %s calls traced" % (function, calls))
        return float(median) * 1000

    def teardown(self):
        self.sh("echo nop >/sys/kernel/tracing/current_tracer; %s enable 0"
                % PROBE)


def median(values):
    v = sorted(values)
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2


def run(board, args):
    bench = Bench(board)
    bench.setup()
    deliver, hook = {}, {}
    for family in ("v4", "v6"):
        base_fn, hook_fn = TRACED[family]
        bench.configure(None)
        bench.measure(family, base_fn, args.packets // 4)   # warm up
        for _ in range(args.rounds):
            for name, setup in cases(family):
                bench.configure(setup)
                deliver.setdefault((family, name), []).append(
                    bench.measure(family, base_fn, args.packets))
                if setup is not None:
                    hook.setdefault((family, name), []).append(
                        bench.measure(family, hook_fn, args.packets))
    bench.teardown()
    return deliver, hook


def report(deliver, hook, args):
    print("portbridge_allow: per-datagram time in the kernel (function_graph "
          "median, median of %d interleaved runs of %d datagrams)"
          % (args.rounds, args.packets))
    print("%-6s %-12s %16s %8s %8s %12s" % (
        "family", "case", "deliver ns/pkt", "+ns", "ratio", "hook ns/call"))
    rows = []
    for family in ("v4", "v6"):
        base = median(deliver[(family, "off")])
        for name, _ in cases(family):
            d = median(deliver[(family, name)])
            h = median(hook[(family, name)]) if (family, name) in hook \
                else None
            rows.append({"family": family, "case": name, "deliver_ns": d,
                         "ratio": d / base, "hook_ns": h,
                         "deliver_runs": deliver[(family, name)],
                         "hook_runs": hook.get((family, name))})
            print("%-6s %-12s %16.0f %8.0f %8.3f %12s" % (
                family, name, d, d - base, d / base,
                "-" if h is None else "%.0f" % h))
    print("deliver: %s (IPv4) / %s (IPv6), LOCAL_IN hooks and socket "
          "delivery; '32, miss' drops, so it delivers nothing"
          % (TRACED["v4"][0], TRACED["v6"][0]))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packets", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", help="directory for allowlist.json")
    args = ap.parse_args()

    board = TestBoard("allowlist_bench")
    board.start(factory=True)
    try:
        deliver, hook = run(board, args)
    finally:
        board.stop()
    rows = report(deliver, hook, args)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "allowlist.json"), "w") as f:
            json.dump({"packets": args.packets, "rounds": args.rounds,
                       "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
