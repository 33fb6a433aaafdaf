"""TCP server mode, in the kernel: a TCP client on 127.0.0.1:(10000+4000+N)
and a program on build/check/.../serialN.sock exchange data through the
board's UART N.  The emulated UARTs move a few tens of kB/s, which bounds
the sizes used here.
"""
import hashlib
import json
import socket
import threading
import time

import pytest

from pbtest import pattern, recv_exactly, send_all


def port_info(board, n):
    ports = json.loads(board.pbctl("port show --json").stdout)
    if isinstance(ports, dict):
        ports = ports["ports"]
    return next(p for p in ports if p["port"] == n)


def sysfs_counters(board, n):
    out = board.agent.out("cd /sys/kernel/portbridge/port%d && "
                          "for f in *; do echo \"$f $(cat $f)\"; done" % n)
    return dict(line.split(" ", 1) for line in out.splitlines())


def wait_for(cond, timeout=10, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def active_conns(board, n):
    return int(sysfs_counters(board, n)["active_conns"])


def connect_client(board, n):
    """Connect to port n's data port and wait until the kernel has it:
    QEMU's user network accepts on the host before the guest does."""
    before = int(sysfs_counters(board, n)["connections"])
    c = board.connect(4000 + n)
    wait_for(lambda: int(sysfs_counters(board, n)["connections"]) > before,
             what="the board to accept the connection")
    return c


def exchange(a, b, size_ab, size_ba, stall=30):
    """Send size_ab bytes a->b and size_ba bytes b->a at the same time;
    return what each side received."""
    data_ab, data_ba = pattern(size_ab, 1), pattern(size_ba, 2)
    got = {}

    def send(sock, data):
        send_all(sock, data)

    def recv(sock, n, key):
        got[key] = recv_exactly(sock, n, stall)

    threads = [threading.Thread(target=send, args=(a, data_ab)),
               threading.Thread(target=send, args=(b, data_ba)),
               threading.Thread(target=recv, args=(b, size_ab, "b")),
               threading.Thread(target=recv, args=(a, size_ba, "a"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return data_ab, got["b"], data_ba, got["a"]


@pytest.fixture
def port1(board):
    """A client on port 1 and the device on serial1.sock, both drained."""
    dev = board.serial(1)
    cli = connect_client(board, 1)
    yield cli, dev
    cli.close()
    dev.close()
    wait_for(lambda: active_conns(board, 1) == 0, what="disconnect")


def test_defaults_after_first_boot(board):
    p = port_info(board, 1)
    assert p["tty"] == "ttyS4"
    assert p["mode"] == "tcp-server"
    assert p["local-port"] == 4001
    assert p["baud"] == 115200
    assert (p["data-bits"], p["parity"], p["stop-bits"]) == (8, "none", 1)
    assert p["max-connections"] == 1


def test_small_exchange_both_ways(board, port1):
    cli, dev = port1
    send_all(cli, b"hello device\n")
    assert recv_exactly(dev, 13, 10) == b"hello device\n"
    send_all(dev, b"hello client\n")
    assert recv_exactly(cli, 13, 10) == b"hello client\n"


def test_one_mib_each_way_at_once_and_counters(board, port1):
    """The foundation's acceptance check: 1 MiB each way at the same time,
    byte for byte, and the counters match."""
    cli, dev = port1
    before = sysfs_counters(board, 1)
    size = 1 << 20
    sent_cd, got_dev, sent_dc, got_cli = exchange(cli, dev, size, size)
    assert len(got_dev) == size and got_dev == sent_cd
    assert len(got_cli) == size and got_cli == sent_dc
    after = sysfs_counters(board, 1)
    assert int(after["tx_bytes"]) - int(before["tx_bytes"]) == size
    assert int(after["rx_bytes"]) - int(before["rx_bytes"]) == size
    info = port_info(board, 1)
    assert info["tx_bytes"] == int(after["tx_bytes"])
    assert info["rx_bytes"] == int(after["rx_bytes"])
    for k in ("parity_errors", "frame_errors", "overruns", "net_errors"):
        assert int(after[k]) == 0, k


def test_client_that_stops_reading_loses_nothing(board, port1):
    """Serial -> network backpressure: the client reads nothing for a while
    (the board's socket and the kernel's buffers hold the bytes), then
    everything arrives in order."""
    cli, dev = port1
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    data = pattern(48 * 1024, 3)
    t = threading.Thread(target=send_all, args=(dev, data))
    t.start()
    # More than the socket and backlog hold: the rest waits in the tty.
    time.sleep(6)
    got = recv_exactly(cli, len(data), 30)
    t.join()
    assert got == data


def test_device_that_stops_reading_loses_nothing(board, port1):
    """Network -> serial backpressure: the device does not read for a
    while; the UART, the kernel and TCP hold the data back, none is lost."""
    cli, dev = port1
    data = pattern(64 * 1024, 4)
    t = threading.Thread(target=send_all, args=(cli, data))
    t.start()
    time.sleep(5)
    got = recv_exactly(dev, len(data), 30)
    t.join()
    assert got == data


def test_second_client_refused_when_max_is_one(board, port1):
    before = int(sysfs_counters(board, 1)["refused"])
    extra = board.connect(4001)
    # Refused cleanly: the board accepts and closes at once.
    assert recv_exactly(extra, 1, 20) == b""
    extra.close()
    wait_for(lambda: int(sysfs_counters(board, 1)["refused"]) == before + 1,
             what="the refusal to be counted")
    # The first client is untouched.
    cli, dev = port1
    send_all(cli, b"still here")
    assert recv_exactly(dev, 10, 10) == b"still here"


def test_reconnect_after_disconnect(board):
    dev = board.serial(1)
    for i in range(3):
        cli = connect_client(board, 1)
        msg = b"round %d" % i
        send_all(cli, msg)
        assert recv_exactly(dev, len(msg), 10) == msg
        send_all(dev, msg[::-1])
        assert recv_exactly(cli, len(msg), 10) == msg[::-1]
        cli.close()
        wait_for(lambda: active_conns(board, 1) == 0, what="disconnect")
    dev.close()


def test_several_clients_share_the_port(board):
    board.pbctl("port set 2 max-connections 3")
    dev = board.serial(2)
    clients = [connect_client(board, 2) for _ in range(3)]
    try:
        assert active_conns(board, 2) == 3
        # Serial data goes to every client.
        send_all(dev, b"broadcast")
        for c in clients:
            assert recv_exactly(c, 9, 10) == b"broadcast"
        # Every client's data goes to the serial port.
        for i, c in enumerate(clients):
            send_all(c, b"from %d;" % i)
        got = recv_exactly(dev, 3 * 7, 10)
        assert sorted(got.split(b";")[:-1]) == [b"from 0", b"from 1",
                                                b"from 2"]
        # Bulk to all three at once, nothing lost or reordered.
        data = pattern(16 * 1024, 5)
        send_all(dev, data)
        for c in clients:
            assert recv_exactly(c, len(data), 20) == data
    finally:
        for c in clients:
            c.close()
        dev.close()
        board.pbctl("port set 2 max-connections 1")


def test_events_for_connect_disconnect_refuse(board):
    ev = board.ssh_popen("timeout 12 pbctl events")
    time.sleep(3)
    c = connect_client(board, 3)
    extra = board.connect(4003)
    assert recv_exactly(extra, 1, 20) == b""
    extra.close()
    c.close()
    wait_for(lambda: active_conns(board, 3) == 0, what="disconnect")
    out = ev.communicate(timeout=60)[0]
    lines = [l for l in out.splitlines() if "port 3" in l]
    kinds = [l.split()[0] for l in lines]
    assert kinds == ["connect", "refused", "disconnect"], out
    assert "[::ffff:10.0.2.2]:" in lines[0]
    assert "reason peer-closed" in lines[2]


def test_inactive_ports_still_bridge(board):
    """Each of the four ports is its own bridge."""
    for n in (2, 3, 4):
        dev = board.serial(n)
        cli = connect_client(board, n)
        send_all(cli, b"port %d" % n)
        assert recv_exactly(dev, 6, 10) == b"port %d" % n
        send_all(dev, b"back %d" % n)
        assert recv_exactly(cli, 6, 10) == b"back %d" % n
        cli.close()
        dev.close()


def test_stalled_client_throttles_the_device_with_xon_xoff(board):
    """Serial -> network backpressure all the way to the device: a client
    inside the board stops reading (SIGSTOP), its socket and backlog fill,
    the port throttles the UART and, with XON/XOFF flow control, the UART
    sends XOFF; the device (this test) pauses until XON.  Nothing is lost,
    however long the stall."""
    board.pbctl("port set 4 flow xon-xoff")
    dev = board.serial(4)
    # Small socket buffers, so the stall reaches the UART quickly instead
    # of filling megabytes of loopback buffers first.
    saved = board.agent.out("sysctl -n net.ipv4.tcp_rmem net.ipv4.tcp_wmem")
    rmem, wmem = [" ".join(l.split()) for l in saved.splitlines()]
    board.agent.run("sysctl -qw net.ipv4.tcp_rmem='4096 4096 4096' "
                    "net.ipv4.tcp_wmem='4096 4096 4096'")
    try:
        board.agent.run("sleep 1000 | nc 127.0.0.1 4004 >/tmp/got4 & "
                        "echo $! >/tmp/nc4.pid")
        wait_for(lambda: active_conns(board, 4) == 1, what="the client")
        board.agent.run("kill -STOP $(cat /tmp/nc4.pid)")
        # Flow characters in the data would be taken as flow control.
        data = bytes(b for b in pattern(640 * 1024, 6) if b not in (17, 19))
        state = {"xoff": 0, "xon": 0, "paused": False, "sent": 0}

        def device():
            dev.setblocking(False)
            view = memoryview(data)
            while view:
                try:
                    for c in dev.recv(4096):
                        if c == 19:
                            state["xoff"] += 1
                            state["paused"] = True
                        elif c == 17:
                            state["xon"] += 1
                            state["paused"] = False
                except BlockingIOError:
                    pass
                if state["paused"]:
                    time.sleep(0.01)
                    continue
                try:
                    n = dev.send(view[:256])
                    view = view[n:]
                    state["sent"] += n
                except BlockingIOError:
                    time.sleep(0.001)

        t = threading.Thread(target=device, daemon=True)
        t.start()
        wait_for(lambda: state["xoff"] > 0, timeout=120, what="XOFF")
        time.sleep(3)
        assert state["paused"] and state["sent"] < len(data)
        board.agent.run("kill -CONT $(cat /tmp/nc4.pid)")
        t.join(300)
        assert not t.is_alive(), "the device never got to send everything"
        assert state["xon"] > 0
        wait_for(lambda: int(board.agent.out("wc -c </tmp/got4"))
                 >= len(data), timeout=120, what="all data at the client")
        got = board.agent.out("sha256sum </tmp/got4").split()[0]
        assert got == hashlib.sha256(data).hexdigest()
    finally:
        board.agent.run("kill -CONT $(cat /tmp/nc4.pid) 2>/dev/null; "
                        "kill $(cat /tmp/nc4.pid) 2>/dev/null; "
                        "killall sleep 2>/dev/null; true", check=False)
        board.agent.run("sysctl -qw net.ipv4.tcp_rmem='%s' "
                        "net.ipv4.tcp_wmem='%s'" % (rmem, wmem))
        dev.close()
        board.pbctl("port set 4 flow none")
