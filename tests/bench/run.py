#!/usr/bin/python3
"""make bench: portbridge's kernel data path against ser2net and socat, in
one VM run, on the same UARTs and with the same client.

The board boots the benchmark image with each data UART (ttyS4..ttyS7,
ports 1..4) wired back to back with a UART of a second card (ttyS8..
ttyS11).  For each contender the bridged side is served by that contender
and tests/bench/pbbench, inside the board, plays both the network client
and the device.  The raw UART loop (the client writes the bridged UART
itself) is the floor.

    tests/bench/run.py [--smoke] [--out DIR]

Writes DIR/results.json (every figure, the settings and versions),
DIR/results.md (the table) and DIR/latency.png (distributions).  It never
fails on a number; it fails only if a contender cannot run at all.
"""
import argparse
import json
import os
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "vm"))
sys.path.insert(0, os.path.join(TOP, "scripts"))

import board as board_mod  # noqa: E402
from pbtest import TestBoard  # noqa: E402

PBBENCH = "/usr/libexec/pbbench/pbbench"
PORTS = (1, 2, 3, 4)
BAUD = 115200
USERSPACE = ("ser2net-raw", "ser2net-rfc2217", "socat")

SER2NET_YAML = """%YAML 1.1
---
"""
SER2NET_CONN = """connection: &p{n}
  accepter: {accepter},{port}
  connector: serialdev,/dev/ttyS{tty},{baud}n81,local
  options:
    chardelay: false
"""


def tty(n):
    return 3 + n


def dev(n):
    return "/dev/ttyS%d" % (7 + n)


class Contender:
    """How to serve ports 1..4 and how pbbench reaches port n.  A
    portbridge contender keeps the UART attached, so its FIFO is switched
    with pbctl; the others get the UART from a released port, so the
    8250 driver is told there is no FIFO (setserial) before they open it."""

    def __init__(self, name, setup, teardown, client):
        self.name, self.setup, self.teardown, self.client = \
            name, setup, teardown, client
        self.portbridge = name.startswith("portbridge")

    def fifo_off(self):
        """Serve port 1 with both UARTs of its pair FIFO-less."""
        partner = "setserial %s uart 16450" % dev(1)
        if self.portbridge:
            return "%s; pbctl port set 1 fifo off && %s" % (
                self.setup, partner)
        return ("pbctl port set 1 mode disabled && setserial /dev/ttyS%d "
                "uart 16450 && %s && %s" % (tty(1), partner, self.setup))

    def fifo_on(self):
        restore = "setserial %s uart 16550A" % dev(1)
        if self.portbridge:
            return "pbctl port set 1 fifo on; %s; %s" % (restore,
                                                        self.teardown)
        return "%s; setserial /dev/ttyS%d uart 16550A; %s" % (
            self.teardown, tty(1), restore)


def pbctl_all(mode_args):
    return "; ".join("pbctl port set %d %s" % (n, mode_args(n))
                     for n in PORTS)


def ser2net_setup(accepter, base):
    conf = SER2NET_YAML + "".join(
        SER2NET_CONN.format(n=n, accepter=accepter, port=base + n,
                            tty=tty(n), baud=BAUD) for n in PORTS)
    return (pbctl_all(lambda n: "mode disabled")
            + "; cat >/etc/ser2net/bench.yaml <<'EOF'\n" + conf + "EOF\n"
            + "ser2net -c /etc/ser2net/bench.yaml -P /run/ser2net.pid "
            ">/tmp/ser2net.log 2>&1 && sleep 1")


def contenders():
    stop_ser2net = "kill $(cat /run/ser2net.pid); sleep 0.5"
    return [
        Contender("raw-uart", pbctl_all(lambda n: "mode disabled"), "true",
                  lambda n: "--tty /dev/ttyS%d" % tty(n)),
        Contender("portbridge-tcp",
                  pbctl_all(lambda n: "mode tcp-server local-port %d"
                            % (4000 + n)), "true",
                  lambda n: "--tcp 127.0.0.1:%d" % (4000 + n)),
        Contender("portbridge-rfc2217",
                  pbctl_all(lambda n: "mode rfc2217 local-port %d"
                            % (4000 + n)),
                  pbctl_all(lambda n: "mode tcp-server"),
                  lambda n: "--tcp 127.0.0.1:%d --telnet" % (4000 + n)),
        Contender("portbridge-realcom",
                  pbctl_all(lambda n: "mode real-com"),
                  pbctl_all(lambda n: "mode tcp-server"),
                  lambda n: "--realcom 127.0.0.1:%d --tcp 127.0.0.1:%d"
                  % (966 + n - 1, 950 + n - 1)),
        Contender("ser2net-raw", ser2net_setup("tcp(nodelay)", 5000),
                  stop_ser2net, lambda n: "--tcp 127.0.0.1:%d" % (5000 + n)),
        Contender("ser2net-rfc2217",
                  ser2net_setup("telnet(rfc2217),tcp(nodelay)", 5100),
                  stop_ser2net,
                  lambda n: "--tcp 127.0.0.1:%d --telnet" % (5100 + n)),
        Contender("socat",
                  pbctl_all(lambda n: "mode disabled") + "; " + "; ".join(
                      "(socat -t 0 TCP-LISTEN:%d,reuseaddr,nodelay,fork "
                      "/dev/ttyS%d,raw,echo=0,b%d >/tmp/socat%d.log 2>&1 &)"
                      % (5200 + n, tty(n), BAUD, n)
                      for n in PORTS) + "; sleep 1",
                  "killall socat; sleep 0.5",
                  lambda n: "--tcp 127.0.0.1:%d" % (5200 + n)),
    ]


class Bench:
    def __init__(self, smoke, out):
        self.smoke = smoke
        self.out = out
        self.count = 30 if smoke else 1000
        self.bytes = 8192 if smoke else 256 * 1024
        run_dir = os.path.join(out, "run")
        self.tb = TestBoard("bench")
        self.tb.board = board_mod.Board(
            run_dir=run_dir, build_dir=self.tb.board.build_dir,
            test_agent=True, loop=True, initrd="initramfs-bench.cpio.gz")

    def guest(self, script, timeout=600):
        return self.tb.agent.run(script, timeout=timeout)[1]

    def pbbench(self, args):
        return json.loads(self.guest("%s %s" % (PBBENCH, args)))

    def latency(self, c, size):
        r = self.pbbench("lat %s --dev %s --size %d --count %d"
                         % (c.client(1), dev(1), size, self.count))
        return {"median_us": r["median_ns"] / 1000,
                "p99_us": r["p99_ns"] / 1000,
                "samples_us": [x / 1000 for x in r["rtt_ns"]]}

    def throughput(self, c, direction, ports=(1,)):
        cmds = " & ".join("%s tput %s --dev %s --dir %s --bytes %d "
                          ">/tmp/tput%d" % (PBBENCH, c.client(n), dev(n),
                                            direction, self.bytes, n)
                          for n in ports)
        self.guest(cmds + " & wait")
        runs = [json.loads(self.guest("cat /tmp/tput%d" % n))
                for n in ports]
        ways = 2 if direction == "both" else 1
        moved = sum(r["bytes"] * ways for r in runs)
        seconds = max(r["seconds"] for r in runs)
        busy = max(r["cpu_busy_ticks"] for r in runs) / runs[0]["user_hz"]
        return {"kB_per_s": moved / seconds / 1000, "seconds": seconds,
                "bytes": moved, "cpu_s_per_MB": busy / (moved / 1e6)}

    def measure(self, c):
        print("bench: %s" % c.name, flush=True)
        status, out = self.tb.agent.run(c.setup, check=False, timeout=120)
        if status != 0:
            return {"skipped": out.strip()[-300:]}
        try:
            r = {"latency_1": self.latency(c, 1),
                 "latency_64": self.latency(c, 64),
                 "tput_up": self.throughput(c, "up"),
                 "tput_down": self.throughput(c, "down"),
                 "tput_both": self.throughput(c, "both"),
                 "tput_both_4ports": self.throughput(c, "both", PORTS)}
        except (AssertionError, ValueError) as e:
            r = {"skipped": "failed: %s" % str(e).strip()[-300:]}
        finally:
            self.tb.agent.run(c.teardown, check=False, timeout=120)
        if "skipped" not in r:
            r.update(self.measure_fifo_off(c))
        return r

    def measure_fifo_off(self, c):
        """Round trips again with the FIFOs of port 1's pair off."""
        status, out = self.tb.agent.run(c.fifo_off(), check=False,
                                        timeout=120)
        try:
            if status != 0:
                return {"fifo_off_skipped": out.strip()[-300:]}
            return {"latency_1_fifo_off": self.latency(c, 1),
                    "latency_64_fifo_off": self.latency(c, 64)}
        except (AssertionError, ValueError) as e:
            return {"fifo_off_skipped": "failed: %s"
                    % str(e).strip()[-300:]}
        finally:
            self.tb.agent.run(c.fifo_on(), check=False, timeout=120)

    def versions(self):
        v = {}
        for name, cmd in (("kernel", "uname -r"),
                          ("ser2net", "ser2net -v"),
                          ("socat", "socat -V | sed -n 2p"),
                          ("portbridge", "cat /etc/portbridge/version")):
            v[name] = self.guest(cmd + " 2>&1; true").strip()
        v["qemu"] = subprocess.run(["qemu-system-x86_64", "--version"],
                                   capture_output=True, text=True
                                   ).stdout.splitlines()[0]
        return v

    def run(self):
        os.makedirs(self.out, exist_ok=True)
        self.tb.start(factory=True)
        try:
            results = {"settings": {
                "baud": BAUD,
                "fifo": "on (UART default); the FIFO-off rows have both "
                        "UARTs of port 1's pair without FIFO",
                "round_trips": self.count, "bulk_bytes": self.bytes,
                "smoke": self.smoke,
                "date": time.strftime("%Y-%m-%d %H:%M:%S UTC",
                                      time.gmtime()),
                "client": "tests/bench/pbbench.c inside the board; both "
                          "ends of one bridged port",
                "note": "QEMU TCG, software emulation; the UART is not "
                        "paced by the baud rate"},
                "versions": self.versions(),
                "contenders": {}}
            for c in contenders():
                results["contenders"][c.name] = self.measure(c)
            results["kernel_trouble"] = self.tb.kernel_trouble()
        finally:
            self.tb.stop()
        with open(os.path.join(self.out, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        write_table(results, os.path.join(self.out, "results.md"))
        write_plot(results, self.out)
        return results


FIGURES = [  # key, field, label, lower is better
    ("latency_1", "median_us", "RTT 1 B, median (us)", True),
    ("latency_1", "p99_us", "RTT 1 B, p99 (us)", True),
    ("latency_64", "median_us", "RTT 64 B, median (us)", True),
    ("latency_64", "p99_us", "RTT 64 B, p99 (us)", True),
    ("latency_1_fifo_off", "median_us", "RTT 1 B, FIFO off, median (us)",
     True),
    ("latency_1_fifo_off", "p99_us", "RTT 1 B, FIFO off, p99 (us)", True),
    ("latency_64_fifo_off", "median_us",
     "RTT 64 B, FIFO off, median (us)", True),
    ("latency_64_fifo_off", "p99_us", "RTT 64 B, FIFO off, p99 (us)", True),
    ("tput_up", "kB_per_s", "serial -> net (kB/s)", False),
    ("tput_down", "kB_per_s", "net -> serial (kB/s)", False),
    ("tput_both", "kB_per_s", "both ways, 1 port (kB/s)", False),
    ("tput_both_4ports", "kB_per_s", "both ways, 4 ports (kB/s)", False),
    ("tput_both", "cpu_s_per_MB", "CPU per MB, 1 port (s)", True),
    ("tput_both_4ports", "cpu_s_per_MB", "CPU per MB, 4 ports (s)", True),
]


def figure(results, name, key, field):
    r = results["contenders"].get(name, {})
    return r.get(key, {}).get(field)


def write_table(results, path):
    names = [n for n, r in results["contenders"].items()
             if "skipped" not in r]
    lines = ["| figure | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    for key, field, label, lower in FIGURES:
        best = [figure(results, n, key, field) for n in USERSPACE
                if n in names]
        best = [b for b in best if b]
        ref = (min(best) if lower else max(best)) if best else None
        cells = []
        for n in names:
            v = figure(results, n, key, field)
            if v is None:
                cells.append("-")
            elif ref and n not in USERSPACE and n != "raw-uart":
                cells.append("%.3g (x%.2f)" % (v, v / ref))
            else:
                cells.append("%.3g" % v)
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    skipped = {n: r["skipped"] for n, r in results["contenders"].items()
               if "skipped" in r}
    text = ["Ratios (xN) are portbridge's figure over the best userspace "
            "contender's (%s); raw-uart is the floor without any network."
            % ", ".join(USERSPACE), "", "\n".join(lines), ""]
    for n, why in skipped.items():
        text.append("- %s: not measured: %s" % (n, why.splitlines()[-1]
                                                if why else "setup failed"))
    for n, r in results["contenders"].items():
        why = r.get("fifo_off_skipped")
        if why is not None:
            text.append("- %s: FIFO off not measured: %s"
                        % (n, why.splitlines()[-1] if why else "failed"))
    s = results["settings"]
    text.append("")
    text.append("Settings: %d baud, FIFO %s, %d round trips per latency "
                "figure, %d bytes per bulk transfer; %s." % (
                    s["baud"], s["fifo"], s["round_trips"], s["bulk_bytes"],
                    s["note"]))
    with open(path, "w") as f:
        f.write("\n".join(text) + "\n")


def write_plot(results, out):
    """Latency distributions (CDF of the 1-byte round trips), gnuplot."""
    data = os.path.join(out, "latency.dat")
    names = []
    with open(data, "w") as f:
        for n, r in results["contenders"].items():
            if "latency_1" not in r:
                continue
            names.append(n)
            xs = sorted(r["latency_1"]["samples_us"])
            f.write("# %s\n" % n)
            for i, x in enumerate(xs):
                f.write("%g %g\n" % (x, (i + 1) / len(xs)))
            f.write("\n\n")
    plots = ", ".join("'%s' index %d with lines lw 2 title '%s'"
                      % (data, i, n) for i, n in enumerate(names))
    script = ("set terminal pngcairo size 900,540; set output '%s';"
              "set title 'Round trip, 1 byte, %d baud (CDF)';"
              "set xlabel 'microseconds'; set ylabel 'fraction';"
              "set logscale x; set key bottom right; set grid; plot %s"
              % (os.path.join(out, "latency.png"),
                 results["settings"]["baud"], plots))
    subprocess.run(["gnuplot", "-e", script], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true",
                    help="a few round trips and small transfers")
    ap.add_argument("--out", default=os.path.join(
        os.environ.get("PB_BUILD_DIR") or os.path.join(TOP, "build"),
        "bench"))
    args = ap.parse_args()
    results = Bench(args.smoke, args.out).run()
    with open(os.path.join(args.out, "results.md")) as f:
        print(f.read())
    measured = [n for n, r in results["contenders"].items()
                if "skipped" not in r]
    print("bench: %d contenders measured, results in %s"
          % (len(measured), args.out))
    if results["kernel_trouble"]:
        print("bench: kernel trouble:\n" + "\n".join(
            results["kernel_trouble"]))
        return 1
    for must in ("raw-uart", "portbridge-tcp") + USERSPACE:
        if must not in measured:
            print("bench: %s could not run" % must)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
