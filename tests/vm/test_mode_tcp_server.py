"""TCP server extras and the serial features, seen directly on the kernel
(nlprobe): defaults, the policy of every new attribute, ignore jammed IP,
inactivity time, the TCP alive check, DTR/RTS, mode events."""
import threading
import time

import pytest

from pbnl import (ATTR, MODE, REASON, Events, counter, port_get, port_set,
                  raw_set, serial_lines, set_ok, stty, uart_fifo_on,
                  wait_until)
from pbtest import pattern, recv_exactly, send_all


def test_a_fresh_port_has_the_documented_defaults(board):
    info = port_get(board, 3)
    assert info["mode"] == str(MODE["tcp_server"])
    expected = {
        "inactivity-ms": "0", "keepalive-idle": "10", "keepalive-intvl": "5",
        "keepalive-cnt": "3", "ignore-jammed": "0", "jammed-ms": "10000",
        "connect-on": "0", "pack-length": "0", "delim1": "256",
        "delim2": "256", "delim-process": "0", "force-tx-ms": "0",
        "fifo": "1", "interface": "0", "dtr": "1", "rts": "1",
        "cmd-port": "968", "dests": "",
    }
    for key, value in expected.items():
        assert info[key] == value, (key, info[key])
    assert {"DTR", "RTS"} <= serial_lines(board, 3)


@pytest.mark.parametrize("attrs, message", [
    ({"inactivity_ms": 86400001}, ""),
    ({"keepalive_intvl": 0}, ""),
    ({"keepalive_cnt": 0}, ""),
    ({"keepalive_cnt": 128}, ""),
    ({"ignore_jammed": 2}, ""),
    ({"jammed_ms": 86400001}, ""),
    ({"connect_on": 2}, ""),
    ({"pack_length": 1025}, ""),
    ({"delim1": 257}, ""),
    ({"delim_process": 4}, ""),
    ({"delim2": 10}, "delimiter 2 needs delimiter 1"),
    ({"fifo": 2}, ""),
    ({"interface": 4}, ""),
    ({"interface": 2}, "ttyS4 does not support RS-485"),
    ({"interface": 1}, "ttyS4 does not support RS-422"),
    ({"dtr": 2}, ""),
    ({"rts": 2}, ""),
    ({"cmd_port": 0}, ""),
    ({"destinations": "10.0.2.2/1,10.0.2.2/2,10.0.2.2/3,10.0.2.2/4,"
      "10.0.2.2/5"}, "at most 4 destinations"),
    ({"destinations": "10.0.2.2"}, "needs an address and a port"),
    ({"destinations": "/5000"}, "needs an address and a port"),
    ({"destinations": "10.0.2.2/0"}, ""),
    ({"destinations": "10.0.2.9-10.0.2.3/5000"}, "ends below its begin"),
    ({"destinations": "10.0.1.0-10.0.2.10/5000"}, "at most 256"),
    ({"destinations": "10.0.2.1-::1/5000"}, "last 32 bits"),
    ({"mode": MODE["tcp_client"]}, "needs a destination"),
    ({"mode": MODE["tcp_client"], "destinations": "10.0.2.2-10.0.2.3/80"},
     "one address, not a range"),
    ({"mode": MODE["realcom"], "local_port": 950, "cmd_port": 950},
     "command port must differ"),
])
def test_bad_settings_get_an_extack_message_and_change_nothing(
        board, attrs, message):
    before = port_get(board, 1)
    ok, out = port_set(board, 1, **attrs)
    assert not ok, out
    assert out.startswith("error "), out
    text = out.split(":", 1)[1].strip()
    assert text, "no extack message: " + out
    assert message in text, out
    after = port_get(board, 1)
    for key in before:
        if not key.endswith(("bytes", "errors", "conns", "connections")):
            assert after[key] == before[key], key


def test_dest_outside_destinations_is_refused(board):
    ok, out = raw_set(board, "%d:u32:1" % ATTR["PB_A_PORT_INDEX"],
                      "%d:hex:00" % ATTR["PB_A_DEST"])
    assert not ok and "PB_A_DEST belongs in PB_A_DESTINATIONS" in out, out


def test_destinations_are_stored_and_reported(board):
    set_ok(board, 3, destinations="10.0.2.2/5000,10.0.3.1-10.0.3.9/6000,"
           "fd00::1/7000")
    assert port_get(board, 3)["dests"] == (
        "10.0.2.2/5000,10.0.3.1-10.0.3.9/6000,fd00::1/7000")
    set_ok(board, 3, destinations="")
    assert port_get(board, 3)["dests"] == ""


def test_dtr_and_rts_follow_the_configuration_only(board):
    set_ok(board, 3, dtr=0)
    assert serial_lines(board, 3) & {"DTR", "RTS"} == {"RTS"}
    set_ok(board, 3, rts=0)
    assert serial_lines(board, 3) & {"DTR", "RTS"} == set()
    # Other changes leave the lines alone.
    set_ok(board, 3, baud=9600, max_conns=2, inactivity_ms=0)
    assert serial_lines(board, 3) & {"DTR", "RTS"} == set()
    set_ok(board, 3, dtr=1, rts=1, baud=115200, max_conns=1)
    assert {"DTR", "RTS"} <= serial_lines(board, 3)


@pytest.mark.parametrize("attrs, flags", [
    ({"baud": 300}, ["speed 300 baud"]),
    ({"baud": 1200}, ["speed 1200 baud"]),
    ({"baud": 57600}, ["speed 57600 baud"]),
    ({"data_bits": 5}, ["cs5"]),
    ({"data_bits": 6}, ["cs6"]),
    ({"data_bits": 7}, ["cs7"]),
    ({"parity": 1}, ["parenb", "parodd", "-cmspar"]),
    ({"parity": 2}, ["parenb", "-parodd", "-cmspar"]),
    ({"parity": 3}, ["parenb", "parodd", "cmspar"]),
    ({"parity": 4}, ["parenb", "-parodd", "cmspar"]),
    ({"stop_bits": 2}, ["cstopb"]),
    ({"flow": 1}, ["crtscts", "-ixon", "-ixoff"]),
    ({"flow": 2}, ["-crtscts", "ixon", "ixoff"]),
])
def test_every_serial_setting_reaches_the_uart(board, attrs, flags):
    base = {"baud": 115200, "data_bits": 8, "parity": 0, "stop_bits": 1,
            "flow": 0}
    try:
        set_ok(board, 3, **attrs)
        words = stty(board, 3).replace(";", " ").split()
        text = " ".join(words)
        for flag in flags:
            if flag.startswith("speed"):
                assert flag in text, (flag, text)
            else:
                assert flag in words, (flag, text)
    finally:
        set_ok(board, 3, **base)
    assert "speed 115200 baud" in stty(board, 3)


def test_fifo_off_reaches_the_uart_and_data_still_flows(board):
    assert uart_fifo_on(board, 3)
    # Through pbctl and the configuration daemon, as a user does.
    board.pbctl("port set 3 fifo off")
    assert port_get(board, 3)["fifo"] == "0"
    assert not uart_fifo_on(board, 3)
    # One byte at a time now, both ways, nothing lost.
    cli, dev = board.connect(4003), board.serial(3)
    try:
        wait_until(lambda: counter(board, 3, "active_conns") == 1,
                   what="the client")
        data = pattern(8192, 3)
        send_all(cli, data)
        assert recv_exactly(dev, len(data), 60) == data
        send_all(dev, data)
        assert recv_exactly(cli, len(data), 60) == data
    finally:
        cli.close()
        dev.close()
    wait_until(lambda: counter(board, 3, "active_conns") == 0,
               what="the client to go")
    # Other changes keep it off; a termios change does not turn it on.
    set_ok(board, 3, baud=9600)
    assert not uart_fifo_on(board, 3)
    set_ok(board, 3, baud=115200)
    board.pbctl("port set 3 fifo on")
    assert port_get(board, 3)["fifo"] == "1"
    assert uart_fifo_on(board, 3)


def test_mode_changes_are_events(board):
    ev = Events(board, 20, "mode")
    set_ok(board, 3, mode=MODE["udp"])
    set_ok(board, 3, mode=MODE["tcp_server"])
    ev.wait_for(lambda l: l.startswith("mode port 3 mode %d"
                                       % MODE["udp"]))
    ev.wait_for(lambda l: l.startswith("mode port 3 mode %d"
                                       % MODE["tcp_server"]))
    # The same listener serves again.
    cli, dev = board.connect(4003), board.serial(3)
    time.sleep(0.5)
    send_all(cli, b"still here")
    assert recv_exactly(dev, 10, 20) == b"still here"
    cli.close()
    dev.close()


def test_ignore_jammed_ip_keeps_the_others_at_full_speed(board):
    """Two clients; one (in the board, stopped) never reads.  With ignore
    jammed IP it misses bytes instead of stalling the port, and is
    disconnected after jammed-ms; the other gets every byte in order."""
    saved = board.agent.out("sysctl -n net.ipv4.tcp_rmem net.ipv4.tcp_wmem")
    rmem, wmem = [" ".join(l.split()) for l in saved.splitlines()]
    # Small socket buffers, so the stall shows in kilobytes.
    board.agent.run("sysctl -qw net.ipv4.tcp_rmem='4096 4096 4096' "
                    "net.ipv4.tcp_wmem='4096 4096 4096'")
    set_ok(board, 1, max_conns=2, ignore_jammed=1, jammed_ms=3000)
    ev = Events(board, 120, "jammed")
    dev = board.serial(1)
    try:
        board.agent.run("sleep 1000 | nc 127.0.0.1 4001 >/dev/null & "
                        "echo $! >/tmp/jam.pid")
        wait_until(lambda: counter(board, 1, "active_conns") == 1,
                   what="the stalled client")
        board.agent.run("kill -STOP $(cat /tmp/jam.pid)")
        fast = board.connect(4001)
        wait_until(lambda: counter(board, 1, "active_conns") == 2,
                   what="the fast client")
        data = pattern(256 * 1024, 11)
        got = bytearray()

        def reader():
            fast.settimeout(60)
            while len(got) < len(data):
                chunk = fast.recv(65536)
                if not chunk:
                    break
                got.extend(chunk)

        t = threading.Thread(target=reader)
        t.start()
        send_all(dev, data)
        t.join(180)
        assert bytes(got) == data
        assert counter(board, 1, "jammed_skips") > 0
        wait_until(lambda: counter(board, 1, "jammed_drops") == 1,
                   timeout=30, what="the jammed client's disconnect")
        ev.wait_for(lambda l: l.startswith("disconnect port 1 ") and
                    l.endswith("reason %d" % REASON["jammed"]))
        assert counter(board, 1, "active_conns") == 1
        fast.close()
    finally:
        board.agent.run("kill -CONT $(cat /tmp/jam.pid) 2>/dev/null; "
                        "kill $(cat /tmp/jam.pid) 2>/dev/null; "
                        "killall sleep 2>/dev/null; true", check=False)
        board.agent.run("sysctl -qw net.ipv4.tcp_rmem='%s' "
                        "net.ipv4.tcp_wmem='%s'" % (rmem, wmem))
        dev.close()
        set_ok(board, 1, max_conns=1, ignore_jammed=0, jammed_ms=10000)


def test_without_ignore_jammed_a_stalled_client_holds_the_port(board):
    """The default: nothing is skipped; the device is held back instead."""
    assert port_get(board, 1)["ignore-jammed"] == "0"
    skips = counter(board, 1, "jammed_skips")
    set_ok(board, 1, max_conns=2)
    dev, a = board.serial(1), board.connect(4001)
    b = board.connect(4001)
    wait_until(lambda: counter(board, 1, "active_conns") == 2)
    send_all(dev, pattern(4096, 3))
    assert recv_exactly(a, 4096, 20) == pattern(4096, 3)
    assert recv_exactly(b, 4096, 20) == pattern(4096, 3)
    assert counter(board, 1, "jammed_skips") == skips
    a.close()
    b.close()
    dev.close()
    set_ok(board, 1, max_conns=1)


def test_inactivity_time_closes_idle_clients(board):
    idle = 2.0
    set_ok(board, 2, inactivity_ms=int(idle * 1000))
    ev = Events(board, 60, "idle")
    dev = board.serial(2)
    try:
        # Serial data every quarter of the time keeps a client.
        busy = board.connect(4002)
        wait_until(lambda: counter(board, 2, "active_conns") == 1)
        for i in range(8):
            send_all(dev, b"%d" % i)
            start = time.monotonic()
            time.sleep(idle / 4)
        assert recv_exactly(busy, 8, 10) == b"01234567"
        assert counter(board, 2, "active_conns") == 1
        # Then nothing: closed (end of stream, not a timeout), and not
        # before the inactivity time (less a jiffy or two of rounding).
        busy.settimeout(30)
        assert busy.recv(100) == b""
        assert time.monotonic() - start > idle * 0.95
        ev.wait_for(lambda l: l.startswith("disconnect port 2 ") and
                    l.endswith("reason %d" % REASON["inactivity"]))
        busy.close()
        # A new client with no data at all goes the same way.
        idle = board.connect(4002)
        idle.settimeout(15)
        assert idle.recv(100) == b""
        idle.close()
    finally:
        dev.close()
        set_ok(board, 2, inactivity_ms=0)


ALIVE_SETUP = r"""
ip link add pbv0 type veth && ip addr add 10.8.0.1/24 dev pbv0 &&
ip link set pbv0 up || exit 1
PEER=$(ip -o link | sed -n 's/^[0-9]*: \([^@:]*\)@pbv0.*/\1/p')
unshare -n sleep 1000 & echo $! >/tmp/alive.pid
sleep 0.3
NS=$(cat /tmp/alive.pid)
ip link set $PEER netns $NS || exit 1
nsenter -t $NS -n sh -c "ip link set lo up; ip addr add 10.8.0.2/24 dev $PEER;
                         ip link set $PEER up" || exit 1
# A fixed neighbour entry: the dead peer must not be found by ARP.
MAC=$(nsenter -t $NS -n ip -o link show $PEER |
      sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
arp -i pbv0 -s 10.8.0.2 $MAC || exit 1
(nsenter -t $NS -n sh -c "sleep 1000 | nc 10.8.0.1 4002" >/dev/null 2>&1 &)
echo $PEER >/tmp/alive.peer
"""


def test_alive_check_finds_a_dead_peer_in_seconds(board):
    """A client in a network namespace behind a veth pair; its link goes
    down without a FIN or RST.  With idle 2 s, 1 s between probes and 2
    probes, the port drops it within seconds, reason alive-check."""
    set_ok(board, 2, keepalive_idle=2, keepalive_intvl=1, keepalive_cnt=2)
    ev = Events(board, 60, "alive")
    try:
        board.agent.run(ALIVE_SETUP)
        wait_until(lambda: counter(board, 2, "active_conns") == 1,
                   what="the namespace's client")
        board.agent.run("nsenter -t $(cat /tmp/alive.pid) -n "
                        "ip link set $(cat /tmp/alive.peer) down")
        # Found within a few times idle + intvl x cnt (4 s), where the
        # kernel's default alive check would take two hours.
        wait_until(lambda: counter(board, 2, "active_conns") == 0,
                   timeout=30, what="the dead peer to be dropped")
        ev.wait_for(lambda l: l.startswith("disconnect port 2 peer "
                                           "10.8.0.2") and
                    l.endswith("reason %d" % REASON["alive_check"]))
    finally:
        board.agent.run("kill $(cat /tmp/alive.pid) 2>/dev/null; "
                        "ip link del pbv0 2>/dev/null; "
                        "killall sleep 2>/dev/null; true", check=False)
        set_ok(board, 2, keepalive_idle=10, keepalive_intvl=5,
               keepalive_cnt=3)


def test_sysfs_has_the_new_counters(board):
    names = board.agent.out("ls /sys/kernel/portbridge/port1").split()
    for n in ("jammed_skips", "jammed_drops", "proto_errors", "datagrams"):
        assert n in names
