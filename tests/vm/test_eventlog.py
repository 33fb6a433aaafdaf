"""The local event log (pblogd, Documentation/eventlog.md): what it
records, with who and from where, the 1000-entry limit with both overflow
policies, clearing, and persistence across a clean reboot and a QEMU
kill (a power cut).

The tests run in file order on one board: the limit tests fill the log,
the persistence tests then check a full log survives.
"""
import os
import re
import signal
import socket
import time

import pytest

LIMIT = 1000
LINE = re.compile(r"^(\d+) (\d+) (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) "
                  r"(\d+d\d\d:\d\d:\d\d) (System|Network|Config|OpMode) "
                  r"(emerg|alert|crit|err|warning|notice|info|debug) "
                  r"(.*)$")


def entries(board, args="", via_ssh=False):
    """The event log as `pbctl log show` prints it, oldest first."""
    cmd = "pbctl log show " + args
    out = board.pbctl("log show " + args).stdout if via_ssh else \
        board.agent.out(cmd)
    lines = out.splitlines()
    assert lines[0].split() == ["INDEX", "BOOT", "DATE", "TIME", "UPTIME",
                                "CATEGORY", "SEVERITY", "EVENT"], out
    rows = []
    for l in lines[1:]:
        if l.startswith("(page "):
            continue
        m = LINE.match(l)
        assert m, "malformed line %r" % l
        rows.append({"index": int(m.group(1)), "boot": int(m.group(2)),
                     "date": m.group(3), "time": m.group(4),
                     "uptime": m.group(5), "category": m.group(6),
                     "severity": m.group(7), "text": m.group(8)})
    return rows


def wait_for(board, pattern, args="", timeout=60):
    """The first entry matching `pattern`, once it is there."""
    deadline = time.monotonic() + timeout
    while True:
        rows = entries(board, args)
        hit = [r for r in rows if re.search(pattern, r["text"])]
        if hit:
            return hit[0], rows
        assert time.monotonic() < deadline, \
            "no entry matching %r in:\n%s" % (pattern, "\n".join(
                r["text"] for r in rows[-30:]))
        time.sleep(0.2)


def indexes(rows):
    return [r["index"] for r in rows]


def test_cold_start_is_the_first_entry(board):
    rows = entries(board)
    first = rows[0]
    assert first["index"] == 1 and first["boot"] == 1
    assert first["category"] == "System"
    assert first["text"] == "pblogd: cold start (boot 1)"
    assert indexes(rows) == list(range(1, len(rows) + 1))
    # the board's clock is the host's (QEMU's RTC), in UTC
    assert first["date"] == time.strftime("%Y-%m-%d", time.gmtime()) or \
        first["date"] == time.strftime(
            "%Y-%m-%d", time.gmtime(time.time() - 3600))
    # pbconfd's start went through /dev/log into the log
    assert any(r["text"].startswith("pbconfd[") for r in rows)


def test_data_port_connect_and_disconnect(board):
    s = board.connect(4001)
    connect, _ = wait_for(board, r"^portbridge: port 1: connect from "
                          r"10\.0\.2\.2:\d+$", "opmode")
    peer = connect["text"].rsplit(" ", 1)[1]
    assert connect["category"] == "OpMode"
    s.close()
    gone, _ = wait_for(board, r"^portbridge: port 1: disconnect %s "
                       r"\(peer-closed\)$" % re.escape(peer), "opmode")
    assert gone["index"] > connect["index"]


def test_config_change_names_who_and_where(board):
    board.pbctl("port set 2 baud 57600")
    try:
        change, _ = wait_for(board, r"^pbconfd\[\d+\]: config: port 2 baud "
                             r"115200 -> 57600 by admin", "config")
        where, _ = wait_for(board, r"^pbctl\[\d+\]: config change from "
                            r"10\.0\.2\.2:\d+ \(ssh\): port-set 2 baud "
                            r"57600: ok \[by admin, uid 1000\]$", "config")
        assert change["category"] == where["category"] == "Config"
        # the port matches the SSH session dropbear logged
        port = re.search(r"10\.0\.2\.2:(\d+)", where["text"]).group(1)
        wait_for(board, r"from 10\.0\.2\.2:%s" % port)
    finally:
        board.pbctl("port set 2 baud 115200")


@pytest.fixture
def tester(board):
    """A board account of the users group (not admins) for a while."""
    board.agent.out("grep -q '^tester:' /etc/passwd || "
                    "echo 'tester:x:1005:1001:t:/:/bin/sh' >> /etc/passwd")
    yield "tester"
    board.agent.out("grep -v '^tester:' /etc/passwd > /tmp/passwd.new && "
                    "cat /tmp/passwd.new > /etc/passwd")


def test_nobody_speaks_for_another_account(board, tester):
    """/dev/log is open to all: the kernel's credentials go with the
    text, so a user cannot pass a message off as root's or admin's."""
    board.agent.out("logger -t pbconfd 'config: forged-by-root'")
    board.agent.out(
        "su -s /bin/sh tester -c \"logger -t pbconfd 'config: forged'\"")
    forged, _ = wait_for(board, r"config: forged \[", "config")
    assert forged["text"].endswith("[by tester, uid 1005]"), forged
    root, _ = wait_for(board, r"config: forged-by-root", "config")
    assert "[by" not in root["text"]


def test_show_filters_and_pages(board):
    everything = entries(board)
    cats = {}
    for c in ("system", "network", "config", "opmode"):
        cats[c] = entries(board, c)
        assert all(r["category"].lower() == c for r in cats[c])
    assert len(everything) >= sum(len(v) for v in cats.values())
    page2 = entries(board, "--page 2 --per-page 5")
    assert indexes(page2) == indexes(everything)[5:10]
    out = board.agent.out("pbctl log show opmode --page 1 --per-page 3")
    assert re.search(r"\(page 1 of \d+, %d entries\)" % len(cats["opmode"]),
                     out), out
    p = board.agent.run("pbctl log show colour", check=False)
    assert p[0] != 0 and "colour" in p[1]


def test_clear_is_for_admins_and_is_logged(board, tester):
    status, out = board.agent.run(
        "su -s /bin/sh tester -c 'pbctl log clear' 2>&1", check=False)
    assert status != 0 and "only admins may clear" in out, out
    assert len(entries(board)) > 5
    # users may read it
    status, out = board.agent.run(
        "su -s /bin/sh tester -c 'pbctl log show config' 2>&1",
        check=False)
    assert status == 0 and "config:" in out, out
    board.pbctl("log clear")
    rows = entries(board)
    assert rows[0]["index"] == 1
    assert re.match(r"^pblogd: event log cleared by admin \(uid 1000\) "
                    r"from 10\.0\.2\.2:\d+$", rows[0]["text"]), rows[0]
    assert rows[0]["category"] == "Config"


def test_port_events_after_the_module_is_loaded_again(board):
    """A reloaded portbridge.ko has new multicast group ids: pblogd hears
    of the new family from the controller and subscribes again."""
    last = entries(board)[-1]["index"]
    board.agent.run("killall pbconfd; for i in $(seq 100); do "
                    "pidof pbconfd >/dev/null || break; sleep 0.1; done")
    board.agent.run("rmmod portbridge")
    board.agent.run("modprobe portbridge && pbconfd")
    deadline = time.monotonic() + 60
    while True:
        s = board.connect(4001)
        s.close()
        rows = entries(board, "opmode")
        hit = [r for r in rows if r["index"] > last and re.match(
            r"^portbridge: port 1: connect from 10\.0\.2\.2:\d+$",
            r["text"])]
        if hit:
            break
        assert time.monotonic() < deadline, rows[-10:]
        time.sleep(0.5)


def test_ethernet_link_down_and_up(board):
    """QEMU pulls the virtual cable (QMP set_link)."""
    last = entries(board)[-1]["index"]
    board.board.qmp("set_link", name="net0", up=False)
    try:
        down, _ = wait_for(board, r"^kernel: eth0 link down$", "network")
        assert down["index"] > last and down["severity"] == "warning"
    finally:
        board.board.qmp("set_link", name="net0", up=True)
    up, _ = wait_for(board, r"^kernel: eth0 link up$", "network")
    assert up["index"] > down["index"] and up["category"] == "Network"


def test_allowlist_denials_are_recorded_rate_limited(board):
    """Denied packets (portbridge_allow.ko) become Network entries, at
    most a burst of 10 and then one a second; the rest is counted and
    said with the next entry."""
    probe = "/usr/libexec/pbtest/allowprobe"
    last = entries(board)[-1]["index"]
    board.agent.run("%s protect udp:4003 tcp:4003 && %s enable 1"
                    % (probe, probe))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    t = socket.socket()
    try:
        t.setblocking(False)
        t.connect_ex(("127.0.0.1", board.port(4003)))
        sent = 300
        for _ in range(sent):
            u.sendto(b"x", ("127.0.0.1", board.port(4003)))
        udp = (r"^pb_allow: allowlist denied udp from 10\.0\.2\.2:\d+ "
               r"to port 4003( \((\d+) more suppressed\))?$")
        tcp = (r"^pb_allow: allowlist denied tcp from 10\.0\.2\.2:\d+ "
               r"to port 4003( \((\d+) more suppressed\))?$")
        deadline = time.monotonic() + 120
        while True:
            rows = [r for r in entries(board, "network")
                    if r["index"] > last]
            if any(re.match(tcp, r["text"]) for r in rows) and any(
                    "more suppressed" in r["text"] for r in rows):
                break
            assert time.monotonic() < deadline, rows
            # one more datagram: the next event tells what was swallowed
            u.sendto(b"x", ("127.0.0.1", board.port(4003)))
            sent += 1
            time.sleep(0.5)
        denied = [r for r in rows if re.match(udp, r["text"])]
        assert all(r["severity"] == "warning" for r in rows)
        # 300 drops, a handful of entries, and the count of the rest
        assert 0 < len(denied) < 100
        more = sum(int(re.match(udp, r["text"]).group(2) or 0)
                   for r in denied)
        assert more > 0
        assert len(denied) + more <= sent
    finally:
        u.close()
        t.close()
        board.agent.run("%s enable 0; %s protect" % (probe, probe))


def fill(board, first, count, tag):
    """`count` System entries "<tag> <n>", n = first .. first+count-1."""
    board.agent.out(
        "i=%d; while [ $i -lt %d ]; do logger -t filler \"@system %s $i\";"
        " i=$((i + 1)); done" % (first, first + count, tag), timeout=600)


def test_limit_overwrite_oldest(board):
    fill(board, 1, LIMIT + 150, "ow")
    last, rows = wait_for(board, r"^filler\[\d+\]: ow %d$" % (LIMIT + 150),
                          timeout=300)
    assert len(rows) == LIMIT
    idx = indexes(rows)
    assert idx == list(range(idx[0], idx[0] + LIMIT))
    assert rows[-1] == last
    # the oldest went: the clearing entry and the first fillers
    assert not any("event log cleared" in r["text"] for r in rows)
    assert not any(r["text"].endswith(": ow 1") for r in rows)
    assert idx[-1] > LIMIT


def test_limit_stop_recording(board):
    board.pbctl("config set log overflow stop")
    # pblogd applies a saved change before any later message
    before = entries(board)
    assert len(before) == LIMIT
    fill(board, 1, 20, "stopped")
    board.agent.out("logger -t filler '@system marker-while-stopped'")
    assert entries(board) == before
    # said once where there is room: /var/log/messages and the servers
    msgs = board.agent.out("cat /var/log/messages.0 /var/log/messages "
                           "2>/dev/null; true")
    assert len(re.findall(r"pblogd: the event log is full \(1000 entries\)",
                          msgs)) == 1, msgs[-2000:]
    assert "marker-while-stopped" in msgs
    board.pbctl("config set log overflow overwrite")
    board.agent.out("logger -t filler '@system marker-after-overwrite'")
    _, after = wait_for(board, r"marker-after-overwrite$")
    assert len(after) == LIMIT
    assert not [r for r in after if "stopped" in r["text"]]
    # the oldest made room for what came after the switch, nothing else
    kept = [r for r in before if r["index"] >= after[0]["index"]]
    assert after[:len(kept)] == kept
    assert after[len(kept)]["index"] == before[-1]["index"] + 1
    assert 0 < len(after) - len(kept) < 10


def test_persistence_across_reboot(board):
    board.agent.out("logger -t marker '@system before-reboot'")
    wait_for(board, r"before-reboot$")
    before = entries(board)
    board.reboot()
    _, after = wait_for(board, r"^pblogd: warm start \(boot 2\)$")
    shutdown = [r for r in after if r["text"] ==
                "pblogd: system shutdown (boot 1)"]
    assert shutdown, "no shutdown entry"
    common = [r for r in after if r["index"] <= before[-1]["index"]]
    assert common == [r for r in before if r["index"] >= after[0]["index"]]
    assert len(after) == LIMIT
    assert indexes(after) == list(range(after[0]["index"],
                                        after[0]["index"] + LIMIT))
    assert all(r["boot"] == 2 for r in after
               if r["index"] > shutdown[0]["index"])


def test_persistence_across_a_qemu_kill(board):
    board.agent.out("logger -t marker '@system before-the-kill'")
    marker, before = wait_for(board, r"before-the-kill$")
    # the entry is on the disk once pbctl shows it (fdatasync first)
    board.close_ssh()
    board.agent.close()
    board.agent = None
    pid = board.board.pid()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while board.board.running():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    try:
        os.unlink(board.board.path("qemu.pid"))
    except FileNotFoundError:
        pass
    board.start()
    _, after = wait_for(board, r"^pblogd: cold start \(boot 3\)$")
    assert marker in after
    # every entry of before the kill is still there, intact
    common = [r for r in after if r["index"] <= before[-1]["index"]]
    assert common == [r for r in before if r["index"] >= after[0]["index"]]
    assert indexes(after) == list(range(after[0]["index"],
                                        after[0]["index"] + len(after)))
    # no clean shutdown was recorded for boot 2
    assert not any(r["text"] == "pblogd: system shutdown (boot 2)"
                   for r in after)
