"""portbridge_allow.ko: the accessible IP list (hardening guide 3.5) as a
netfilter filter in the board's kernel.

Inside the guest, client network namespaces on veth pairs play an allowed
host, a denied host and a host in an allowed subnet, over IPv4 and IPv6.
allowprobe (tests/vm/tools/allowprobe.c) drives the pb_allow netlink
family, plays the clients and the listeners, and prints JSON.  The list
is set the way the configuration daemon will set it: the ports the board
serves (SSH on 22, the TCP servers on 4001-4004) are protected."""
import json
import os
import subprocess
import time

import pytest

from pbtest import TOP, recv_exactly

PROBE = "/usr/libexec/pbtest/allowprobe"
EVENTS_PER_SEC = 10     # PBA_EVENTS_PER_SEC

# Client namespaces: the client's addresses; the guest is .1 / ::1 on the
# same link.  The subnet host also has an address outside its subnet.
ALLOWED, DENIED, SUBNET = 1, 2, 3
V4 = {ALLOWED: "10.50.1.2", DENIED: "10.50.2.2", SUBNET: "10.50.3.2"}
V6 = {ALLOWED: "fd50:1::2", DENIED: "fd50:2::2", SUBNET: "fd50:3::2"}
OUTSIDE = {"v4": "10.50.3.200", "v6": "fd50:3::1:200"}
ADDR = {"v4": V4, "v6": V6}

GLOBAL = ["10.50.1.2/255.255.255.255", "fd50:1::2/128"]
SUBNET_ENTRIES = ["10.50.3.0/255.255.255.128", "fd50:3::/112"]
SERVED = ["tcp:22", "tcp:4001", "tcp:4002", "tcp:4003", "tcp:4004",
          "udp:4004"]

NETNS_SETUP = r"""
modprobe veth
sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
mkdir -p /run/pba
# make_ns N: namespace N (a sleeping process holds it) on veth pba<N>.
make_ns() {
	n=$1
	unshare -n sleep 100000 </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	echo $pid >/run/pba/ns$n
	nsenter -t $pid -n sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	ip link add pba$n type veth
	peer_index=$(cat /sys/class/net/pba$n/iflink)
	for d in /sys/class/net/*; do
		[ "$(cat $d/ifindex)" = "$peer_index" ] && peer=${d##*/}
	done
	ip link set $peer netns $pid
	nsenter -t $pid -n sh -c "
		ip link set lo up
		ip link set $peer name eth0
		ip addr add 10.50.$n.2/24 dev eth0
		ip -6 addr add fd50:$n::2/64 dev eth0
		ip link set eth0 up"
	ip addr add 10.50.$n.1/24 dev pba$n
	ip -6 addr add fd50:$n::1/64 dev pba$n
	ip link set pba$n up
}
"""


def ns(n, command):
    """A command run in client namespace n."""
    return "nsenter -t $(cat /run/pba/ns%d) -n %s" % (n, command)


def probe(board, args, n=None, check=True, timeout=120):
    cmd = "%s %s" % (PROBE, args)
    status, out = board.agent.run(ns(n, cmd) if n else cmd, timeout=timeout,
                                  check=False)
    if check:
        assert status == 0, "%s: %s" % (args, out)
    return status, out.strip()


def show(board):
    return json.loads(probe(board, "show")[1])


def port_of(state, proto, port):
    for p in state["ports"]:
        if (p["proto"], p["port"]) == (proto, port):
            return p
    return None


def drops(board, proto, port):
    p = port_of(show(board), proto, port)
    return p["drops"] if p else 0


def configure(board, global_entries=GLOBAL, protected=SERVED, on=True):
    """The list the tests start from: the allowed host everywhere, the
    subnet on the console and port 1, every served port protected."""
    probe(board, "enable 0")
    probe(board, "global " + " ".join(global_entries))
    for p in (22, 4001):
        probe(board, "port tcp %d %s" % (p, " ".join(SUBNET_ENTRIES)))
    probe(board, "protect " + " ".join(protected))
    if on:
        probe(board, "enable 1")


def connect(board, n, addr, port, ms=1500, src=None):
    opt = "-s %s " % src if src else ""
    return probe(board, "connect %s%s %d %d" % (opt, addr, port, ms), n,
                 check=False)[1]


class Background:
    """An allowprobe listener (events, tcp-sink, udp-sink) in the guest,
    writing to a file; started once it says "listening"."""

    count = 0

    def __init__(self, board, args, n=None):
        Background.count += 1
        self.board = board
        self.out = "/tmp/pba-bg.%d" % Background.count
        cmd = "%s %s" % (PROBE, args)
        board.agent.run("%s >%s 2>&1 </dev/null 3>&- & echo $! >%s.pid"
                        % (ns(n, cmd) if n else cmd, self.out, self.out))
        board.agent.run("for i in $(seq 100); do grep -q listening %s && "
                        "exit 0; sleep 0.1; done; cat %s; exit 1"
                        % (self.out, self.out))

    def lines(self):
        text = self.board.agent.out("cat %s" % self.out)
        return [json.loads(l) for l in text.splitlines()
                if l.startswith("{")]

    def stop(self):
        """Stop a listener that runs until told (events)."""
        self.board.agent.run("kill $(cat %s.pid) 2>/dev/null; sleep 0.2"
                             % self.out)
        return self.lines()

    def result(self, timeout=120):
        """The summary a sink prints when its time is up."""
        self.board.agent.run("for i in $(seq %d); do grep -q '^{' %s && "
                             "exit 0; sleep 0.2; done; exit 1"
                             % (timeout * 5, self.out), timeout=timeout + 10)
        return self.lines()[-1]


def denied_events(events):
    return [e for e in events if e.get("event") == "denied"]


@pytest.fixture(scope="module")
def nets(board):
    board.agent.run(NETNS_SETUP + "make_ns 1; make_ns 2; make_ns 3\n"
                    "nsenter -t $(cat /run/pba/ns3) -n sh -c '"
                    "ip addr add 10.50.3.200/24 dev eth0; "
                    "ip -6 addr add fd50:3::1:200/64 dev eth0'\n")
    for n in (ALLOWED, DENIED, SUBNET):
        board.agent.run(ns(n, "sh -c 'for i in $(seq 50); do "
                           "ping -c1 -W1 10.50.%d.1 >/dev/null && "
                           "ping6 -c1 -W1 fd50:%d::1 >/dev/null && exit 0; "
                           "done; exit 1'" % (n, n)))
    yield board
    board.agent.run("%s enable 0" % PROBE, check=False)


# -- the match logic itself, on the host ------------------------------------
def test_rule_logic_on_the_host(tmp_path):
    """kernel/allowlist/rule.c (compiled into the module) against the
    guide's table and a reference implementation, under ASan and UBSan."""
    exe = str(tmp_path / "allow_rule_test")
    subprocess.run(["gcc", "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra",
                    "-Werror", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all",
                    "-I", os.path.join(TOP, "kernel", "allowlist"),
                    "-o", exe,
                    os.path.join(TOP, "tests", "host", "allow_rule_test.c"),
                    os.path.join(TOP, "kernel", "allowlist", "rule.c")],
                   check=True)
    p = subprocess.run([exe], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert " 0 failed" in p.stdout


# -- loading, ABI checks ----------------------------------------------------
def test_loaded_at_boot_and_off(board, nets):
    assert "portbridge_allow" in board.agent.out("lsmod")
    state = show(board)
    assert state["enabled"] == 0 and state["global"] == []
    # pbconfd pushed the services of the default configuration, with
    # empty lists: protected, but off, so nothing is filtered yet.
    assert all(p["entries"] == [] for p in state["ports"])
    for svc in (("tcp", 22), ("tcp", 4001), ("tcp", 4004)):
        p = port_of(state, *svc)
        assert p and p["protected"], svc
    names = board.agent.out("ls /sys/kernel/portbridge_allow").split()
    assert sorted(names) == ["drops", "enabled", "entries", "events_sent",
                             "events_suppressed", "ports"]
    assert board.agent.out(
        "cat /sys/kernel/portbridge_allow/enabled").strip() == "0"
    # Off: everybody gets in.
    assert connect(board, DENIED, "10.50.2.1", 22) == "connected"


def test_switching_on_with_nothing_listed_denies_everyone(board, nets):
    """The guide's semantics: with the list on, no matching entry means
    no access; off means any host."""
    configure(board, global_entries=[], protected=["tcp:22"], on=False)
    for p in (22, 4001):
        probe(board, "port tcp %d" % p)
    assert connect(board, ALLOWED, "10.50.1.1", 22) == "connected"
    probe(board, "enable 1")
    assert connect(board, ALLOWED, "10.50.1.1", 22) == "timeout"
    # The board itself (loopback) is never locked out.
    assert probe(board, "connect 127.0.0.1 22 1500")[1] == "connected"
    assert probe(board, "connect ::1 22 1500")[1] == "connected"
    probe(board, "enable 0")
    assert connect(board, ALLOWED, "10.50.1.1", 22) == "connected"


SEVENTEEN = " ".join("10.0.0.%d" % i for i in range(1, 18))
MANY_PORTS = " ".join("tcp:%d" % p for p in range(1000, 1129))


@pytest.mark.parametrize("args, message", [
    ("global 10.0.0.0/255.0.255.0", "not contiguous"),
    ("global 10.0.0.0/0.255.255.255", "not contiguous"),
    ("global 192.168.1.5/255.255.255.0", "outside its netmask"),
    ("global fd00::1/64", "outside its netmask or prefix"),
    ("global fd00::/129", "out of range"),
    ("global " + SEVENTEEN, "too many entries"),
    ("global 10.0.0.1,addr6=fd00::1", "both an IPv4 and an IPv6"),
    ("global ,on", "no address"),
    ("global empty", "no address"),
    ("global 10.0.0.1,prefix=8", "netmask, not a prefix"),
    ("global fd00::1,mask=255.0.0.0", "prefix length, not a netmask"),
    ("global 10.0.0.1 10.0.0.1,off", "same address and mask"),
    ("global 10.0.0.1,enabled=2", "out of range"),
    ("global 10.0.0.1,hits=5", "read-only"),
    ("port tcp 0 10.0.0.1", "out of range"),
    ("port 1 22 10.0.0.1", "out of range"),
    ("port 9 22 10.0.0.1", "TCP (6) or UDP (17)"),
    ("raw 4 3:u8:6", "needs a protocol"),
    ("protect tcp:22 tcp:22", "twice"),
    ("protect 132:22", "out of range"),
    ("protect tcp:22 8:22", "TCP (6) or UDP (17)"),
    ("protect tcp", "needs a protocol and a port"),
    ("protect " + MANY_PORTS, "too many protected"),
    ("enable 2", "out of range"),
    ("raw 2", "missing"),
    ("raw 3 7:u8:1", "read-only"),
    ("raw 3 9:u8:1", "read-only"),
    ("raw 3 13:hex:0a000001", ""),
    ("raw 3 14:hex:0a000001", ""),
    ("raw 3 13:hex:00000000000000000000ffff0a000001", "lockout guard"),
    ("raw 3 13:hex:00000000000000000000ffff0a000001 14:u8:7 15:u16:22",
     "TCP (6) or UDP (17)"),
])
def test_bad_requests_get_an_extack_message_and_change_nothing(
        board, nets, args, message):
    configure(board, on=False)
    before = show(board)
    status, out = probe(board, args, check=False)
    assert status != 0, out
    assert out.startswith("error "), out
    text = out.split(":", 1)[1].strip()
    assert text, "no extack message: " + out
    assert message in text, out
    assert show(board) == before


def test_the_kernel_describes_its_policy(board, nets):
    """genl-ctrl's policy dump of the family (tools like ynl use it)."""
    state = json.loads(probe(board, "policy")[1])
    assert state["policy_messages"] > 10


def test_too_many_ports_with_lists_are_refused(board, nets):
    configure(board, protected=[], on=False)
    # 2 ports have lists already; fill up to the limit of 128.
    status, out = board.agent.run(
        "for p in $(seq 2000 2125); do %s port udp $p 10.0.0.1 >/dev/null "
        "|| exit 1; done" % PROBE, check=False)
    assert status == 0, out
    assert len(show(board)["ports"]) == 128
    status, out = probe(board, "port udp 3000 10.0.0.1", check=False)
    assert status != 0 and "too many ports" in out, out
    status, out = probe(board, "protect tcp:3000", check=False)
    assert status != 0 and "too many ports" in out, out
    # Emptying lists frees their slots (a list-less unprotected port goes).
    board.agent.run("for p in $(seq 2000 2125); do %s port udp $p "
                    ">/dev/null || exit 1; done" % PROBE)
    assert len(show(board)["ports"]) == 2


def test_changes_need_cap_net_admin_but_reading_does_not(board, nets):
    configure(board, on=False)
    p = board.ssh("%s enable 1" % PROBE, check=False)
    assert p.returncode != 0 and p.stdout.startswith("error 1:"), p.stdout
    p = board.ssh("%s global 10.0.0.1" % PROBE, check=False)
    assert p.returncode != 0 and p.stdout.startswith("error 1:"), p.stdout
    state = json.loads(board.ssh("%s show" % PROBE).stdout)
    assert state == show(board)
    # The events name denied hosts: listening needs CAP_NET_ADMIN too.
    p = board.ssh("%s events 1" % PROBE, check=False)
    assert p.returncode != 0 and "error 1:" in p.stdout, p.stdout


# -- the list at work -------------------------------------------------------
@pytest.mark.parametrize("family", ["v4", "v6"])
def test_allowed_hosts_connect_denied_ones_get_nothing(board, nets, family):
    """The console (22) and a data port (4001) from the allowed host, the
    allowed subnet and a denied host; counters and events match."""
    configure(board)
    addr = ADDR[family]

    def guest(n):
        return "10.50.%d.1" % n if family == "v4" else "fd50:%d::1" % n

    before = show(board)
    ev = Background(board, "events 120")
    # The allowed host: the SSH console answers, port 1 carries data.
    banner = board.agent.out(ns(ALLOWED, "nc -w 5 %s 22 </dev/null"
                                % guest(ALLOWED)), timeout=30)
    assert banner.startswith("SSH-2.0-dropbear"), banner
    dev = board.serial(1)
    time.sleep(0.5)
    board.agent.run("timeout 10 sh -c '(echo through-the-list; sleep 1) | "
                    "%s' 3>&-" % ns(ALLOWED, "nc %s 4001" % guest(ALLOWED)))
    assert recv_exactly(dev, 17, 20) == b"through-the-list\n"
    dev.close()
    # The subnet: its lists are on 22 and 4001 only.
    for port, want in ((22, "connected"), (4001, "connected"),
                       (4002, "timeout")):
        assert connect(board, SUBNET, guest(SUBNET), port,
                       src=addr[SUBNET]) == want, port
    # ...and its address outside the subnet is a stranger.
    assert connect(board, SUBNET, guest(SUBNET), 22,
                   src=OUTSIDE[family]) == "timeout"
    # The denied host: SYNs dropped, the connect times out.
    for port in (22, 4001, 4003):
        assert connect(board, DENIED, guest(DENIED), port) == "timeout"
    time.sleep(1)
    events = denied_events(ev.stop())
    after = show(board)

    # Every drop was reported, by source and port (well under the rate).
    for port in (22, 4001, 4002, 4003):
        delta = (port_of(after, "tcp", port)["drops"]
                 - port_of(before, "tcp", port)["drops"])
        reported = [e for e in events if e["port"] == port]
        assert len(reported) == delta, (port, delta, reported)
        assert delta >= {22: 2, 4001: 1, 4002: 1, 4003: 1}[port]
    assert sorted({e["src"] for e in events}) == sorted(
        {addr[DENIED], addr[SUBNET], OUTSIDE[family]})
    assert all(e["suppressed"] == 0 for e in events)
    assert after["drops"] - before["drops"] == len(events)
    assert after["events_sent"] - before["events_sent"] == len(events)
    # Hits: the allowed host's entry and the subnet entries counted.
    row = 0 if family == "v4" else 1
    assert after["global"][row]["hits"] > before["global"][row]["hits"]
    for port in (22, 4001):
        assert (port_of(after, "tcp", port)["entries"][row]["hits"]
                > port_of(before, "tcp", port)["entries"][row]["hits"])
    # sysfs shows the same numbers.
    for port in (22, 4001):
        text = board.agent.out("cat /sys/kernel/portbridge_allow/ports/"
                               "tcp_%d/drops" % port)
        assert int(text) == port_of(after, "tcp", port)["drops"]
    assert int(board.agent.out("cat /sys/kernel/portbridge_allow/drops")) \
        == after["drops"]


@pytest.mark.parametrize("family", ["v4", "v6"])
def test_udp_datagrams_from_denied_hosts_are_dropped(board, nets, family):
    configure(board)
    addr = ADDR[family]
    target = {n: ("10.50.%d.1" % n if family == "v4" else "fd50:%d::1" % n)
              for n in (ALLOWED, DENIED, SUBNET)}
    before = show(board)
    sink = Background(board, "udp-sink 4004 8")
    ev = Background(board, "events 120")
    time.sleep(1.1)
    for n in (ALLOWED, SUBNET, DENIED):
        probe(board, "udp-send -s %s %s 4004 5" % (addr[n], target[n]), n)
        time.sleep(1.1)     # stay under the event rate
    received = sink.result()["received"]
    events = denied_events(ev.stop())
    after = show(board)
    # udp/4004 has no list of its own: only the global entry lets in.
    assert received == {addr[ALLOWED]: 5}, received
    assert port_of(after, "udp", 4004)["drops"] - \
        port_of(before, "udp", 4004)["drops"] == 10
    assert sorted(e["src"] for e in events) == sorted(
        [addr[SUBNET]] * 5 + [addr[DENIED]] * 5)
    assert all(e["proto"] == "udp" and e["port"] == 4004 for e in events)


def test_denied_events_are_rate_limited_and_counted(board, nets):
    configure(board)
    before = show(board)
    ev = Background(board, "events 120")
    start = time.monotonic()
    probe(board, "udp-send 10.50.2.1 4004 300", DENIED)
    time.sleep(2.5)
    events = denied_events(ev.stop())
    elapsed = time.monotonic() - start
    after = show(board)
    dropped = after["drops"] - before["drops"]
    sent = after["events_sent"] - before["events_sent"]
    suppressed = after["events_suppressed"] - before["events_suppressed"]
    assert dropped == 300
    assert len(events) == sent
    assert EVENTS_PER_SEC <= sent <= EVENTS_PER_SEC * (elapsed + 1)
    assert sent + suppressed == dropped
    # Each event reports what was suppressed before it.
    assert sum(e["suppressed"] for e in events) <= suppressed
    assert int(board.agent.out(
        "cat /sys/kernel/portbridge_allow/events_suppressed")) == \
        after["events_suppressed"]


def test_entries_switch_and_counters_follow_updates(board, nets):
    configure(board)
    assert connect(board, ALLOWED, "10.50.1.1", 22) == "connected"
    hits = show(board)["global"][0]["hits"]
    drops22 = port_of(show(board), "tcp", 22)["drops"]
    # A disabled entry lets nobody in; its counter stays.
    probe(board, "global 10.50.1.2/255.255.255.255,off fd50:1::2/128")
    assert connect(board, ALLOWED, "10.50.1.1", 22) == "timeout"
    state = show(board)
    assert state["global"][0]["enabled"] == 0
    assert state["global"][0]["hits"] == hits
    # Enabled again, with an entry added in front: the counter followed
    # the entry, and the port's drop counter survived a new protected set.
    probe(board, "global 10.9.9.0/24 10.50.1.2/255.255.255.255 "
          "fd50:1::2/128")
    probe(board, "protect " + " ".join(SERVED + ["tcp:5000"]))
    assert connect(board, ALLOWED, "10.50.1.1", 22) == "connected"
    state = show(board)
    assert state["global"][0]["hits"] == 0
    assert state["global"][1]["hits"] > hits
    assert port_of(state, "tcp", 22)["drops"] > drops22
    # The switch: off lets the denied host in, on shuts it out again.
    probe(board, "enable 0")
    assert connect(board, DENIED, "10.50.2.1", 22) == "connected"
    probe(board, "enable 1")
    assert connect(board, DENIED, "10.50.2.1", 22) == "timeout"
    # A port taken out of the protected set is open.
    probe(board, "protect tcp:4001")
    assert connect(board, DENIED, "10.50.2.1", 22) == "connected"
    assert connect(board, DENIED, "10.50.2.1", 4001) == "timeout"


def test_lockout_guard_refuses_changes_that_cut_off_the_session(board,
                                                                  nets):
    configure(board)
    before = show(board)
    guard = "guard 10.50.1.2 tcp 22"
    # Dropping the session's own entry, its port's protection widening to
    # shut it out, switching on a list that lacks it: refused, nothing
    # changes.
    status, out = probe(board, "global fd50:1::2/128 " + guard, check=False)
    assert status != 0 and "lock out" in out, out
    status, out = probe(board, "global 10.50.1.2/255.255.255.255,off "
                        + guard, check=False)
    assert status != 0 and "lock out" in out, out
    status, out = probe(board, "port tcp 22 guard fd50:3::2 tcp 22",
                        check=False)
    assert status != 0 and "lock out" in out, out
    assert show(board) == before
    probe(board, "enable 0")
    probe(board, "global fd50:1::2/128")
    status, out = probe(board, "enable 1 " + guard, check=False)
    assert status != 0 and "lock out" in out, out
    assert show(board)["enabled"] == 0
    # A change the session survives passes; so does one without a guard
    # (the user insisted).
    probe(board, "global 10.50.1.0/24 " + guard)
    probe(board, "enable 1 " + guard)
    probe(board, "port tcp 22 guard fd50:3::2 tcp 4001")
    probe(board, "global")
    assert show(board)["global"] == []


def test_established_connection_is_cut_off_when_its_address_goes(board,
                                                                   nets):
    configure(board)
    dev = board.serial(1)
    time.sleep(0.5)
    board.agent.run(
        "rm -f /tmp/pba-fifo; mkfifo /tmp/pba-fifo; "
        "sleep 1000 >/tmp/pba-fifo 3>&- & echo $! >/tmp/pba-fifo.pid; "
        + ns(ALLOWED, "nc 10.50.1.1 4001 </tmp/pba-fifo >/dev/null 2>&1 "
             "3>&- & echo $! >/tmp/pba-nc.pid"))
    board.agent.run("echo before >/tmp/pba-fifo")
    assert recv_exactly(dev, 7, 20) == b"before\n"
    drops = port_of(show(board), "tcp", 4001)["drops"]
    # The allowed host's entry goes: its next segment is dropped.
    probe(board, "global fd50:1::2/128")
    board.agent.run("echo during >/tmp/pba-fifo")
    assert recv_exactly(dev, 7, 4) == b""
    assert port_of(show(board), "tcp", 4001)["drops"] > drops
    # Back on the list, TCP's retransmission brings the data through: the
    # connection was held up, not torn down.
    probe(board, "global " + " ".join(GLOBAL))
    assert recv_exactly(dev, 7, 30) == b"during\n"
    board.agent.run("kill $(cat /tmp/pba-nc.pid) $(cat /tmp/pba-fifo.pid)")
    dev.close()


def test_list_updates_under_a_connection_flood_let_no_denied_packet_in(
        board, nets):
    """The allowed host floods tcp/5001, the denied host tcp/5000, while
    the lists and the protected set are replaced hundreds of times: the
    allowed host is never refused, the denied one never accepted."""
    configure(board, protected=SERVED + ["tcp:5000", "tcp:5001"])
    sinks = {p: Background(board, "tcp-sink %d 60" % p) for p in (5000, 5001)}
    before = show(board)
    flood = "flood-connect %s %d 30 %d"
    # The agent runs one script at a time: the floods are background jobs
    # of the script that loops over the updates.
    script = (
        "%(ns1)s >/tmp/pba-flood1 & %(ns2)s >/tmp/pba-flood2 & "
        "%(ns3)s >/tmp/pba-flood3 & "
        "i=0; while [ $i -lt 150 ]; do i=$((i+1)); "
        "%(p)s global 10.9.$((i%%200)).0/24 %(g)s >/dev/null || exit 1; "
        "%(p)s global %(g)s 10.50.3.0/255.255.255.128,off >/dev/null "
        "|| exit 1; "
        "%(p)s port tcp 5000 fd50:9::/64 10.50.$((i%%2+1)).0/255.255.255.0,off"
        " >/dev/null || exit 1; "
        "%(p)s protect %(prot)s >/dev/null || exit 1; "
        "%(p)s protect %(prot)s tcp:$((6000+i)) >/dev/null || exit 1; "
        "done; wait; cat /tmp/pba-flood1 /tmp/pba-flood2 /tmp/pba-flood3" % {
            "ns1": ns(ALLOWED, "%s %s" % (PROBE, flood % ("10.50.1.1", 5001,
                                                         1000))),
            "ns2": ns(DENIED, "%s %s" % (PROBE, flood % ("10.50.2.1", 5000,
                                                        200))),
            "ns3": ns(SUBNET, "%s %s" % (PROBE, "flood-connect -s "
                                         "10.50.3.200 10.50.3.1 5000 30 200")),
            "p": PROBE, "g": " ".join(GLOBAL),
            "prot": " ".join(SERVED + ["tcp:5000", "tcp:5001"]),
        })
    out = board.agent.out(script, timeout=300)
    allowed, denied, outside = [json.loads(l) for l in out.splitlines()]
    accepted = {p: s.result()["accepted"] for p, s in sinks.items()}
    after = show(board)
    print("flood: allowed %s denied %s outside %s accepted %s drops %d"
          % (allowed, denied, outside, accepted,
             port_of(after, "tcp", 5000)["drops"]))

    assert denied["connected"] == 0 and denied["timeout"] > 0, denied
    assert outside["connected"] == 0 and outside["timeout"] > 0, outside
    assert accepted[5000] == {}, accepted
    assert allowed["connected"] > 0, allowed
    assert accepted[5001] == {V4[ALLOWED]: allowed["connected"]}, accepted
    # Not one packet of the allowed host was dropped.
    assert port_of(after, "tcp", 5001)["drops"] == 0
    assert port_of(after, "tcp", 5000)["drops"] - \
        port_of(before, "tcp", 5000)["drops"] >= \
        denied["timeout"] + outside["timeout"]


def test_replaced_tables_and_counters_are_freed(board, nets):
    """Every update replaces the global list with 16 new entries (16 new
    per-CPU counters; the old table and its counters go after a grace
    period): the per-CPU memory in use must not grow with the updates."""
    configure(board)

    def percpu_kb():
        return int(board.agent.out("awk '/^Percpu:/ {print $2}' "
                                   "/proc/meminfo"))

    def replace(rounds):
        board.agent.run(
            "i=0; while [ $i -lt %d ]; do i=$((i+1)); %s global %s "
            "$(for j in $(seq 15); do echo 10.$((i%%250)).$j.0/24; done) "
            ">/dev/null || exit 1; done; sleep 1" % (rounds, PROBE,
                                                     " ".join(GLOBAL[:1])),
            timeout=600)

    replace(50)             # let the allocator settle
    before = percpu_kb()
    replace(400)            # 6400 counters made and freed
    grown = percpu_kb() - before
    # A leak of 6400 counters would be 100 KiB on two CPUs.
    assert grown < 32, "per-CPU memory grew by %d KiB" % grown


def test_a_namespace_has_its_own_list_and_goes_away_cleanly(board, nets):
    """Namespace 4 switches its own list on (hooks registered there) and
    refuses the guest; the guest's list does not change; then the
    namespace is destroyed with its hooks still registered."""
    configure(board, on=False)
    board.agent.run(NETNS_SETUP + "make_ns 4")
    state = json.loads(probe(board, "show", 4)[1])
    assert state["enabled"] == 0 and state["ports"] == []
    sink = Background(board, "tcp-sink 6000 30", 4)
    assert probe(board, "connect 10.50.4.2 6000 1500",
                 check=False)[1] == "connected"
    probe(board, "protect tcp:6000", 4)
    probe(board, "enable 1", 4)
    assert probe(board, "connect 10.50.4.2 6000 1500",
                 check=False)[1] == "timeout"
    mine = json.loads(probe(board, "show", 4)[1])
    assert mine["enabled"] == 1 and mine["drops"] >= 1
    assert show(board)["enabled"] == 0
    assert sink.result()["accepted"] == {"10.50.4.1": 1}
    board.agent.run("kill $(cat /run/pba/ns4); ip link del pba4 2>/dev/null;"
                    " sleep 1")


def test_module_unloads_cleanly_under_a_flood(board, nets):
    configure(board)
    start = "%s >/dev/null 2>&1 </dev/null 3>&- & echo $! >>/tmp/pba-load\n"
    board.agent.run("rm -f /tmp/pba-load")
    board.agent.run(
        start % ns(DENIED, "%s udp-send 10.50.2.1 4004 2000000" % PROBE)
        + start % ns(DENIED, "%s flood-connect 10.50.2.1 22 20 100" % PROBE)
        + start % ns(ALLOWED, "%s flood-connect 10.50.1.1 22 20 500"
                     % PROBE)
        + start % ("%s events 30" % PROBE))
    time.sleep(3)
    assert show(board)["drops"] > 0
    board.agent.run("rmmod portbridge_allow")
    assert board.agent.run("ls /sys/kernel/portbridge_allow",
                           check=False)[0] != 0
    # Nothing filters any more.
    assert connect(board, DENIED, "10.50.2.1", 22) == "connected"
    board.agent.run("modprobe portbridge_allow")
    state = show(board)
    assert state["enabled"] == 0 and state["ports"] == []
    assert connect(board, DENIED, "10.50.2.1", 22) == "connected"
    board.agent.run("kill $(cat /tmp/pba-load) 2>/dev/null; sleep 1; true")
