"""TCP client mode: the board connects out to listeners on the host (the
host is 10.0.2.2 from the board, through QEMU's user network)."""
import socket
import threading
import time

from pbnl import (MODE, REASON, Events, counter, port_get, set_ok,
                  wait_until)
from pbtest import drain, pattern, recv_exactly, send_all


def listener(port=0):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4)
    return s


def accept(ls, timeout=20):
    ls.settimeout(timeout)
    conn, _ = ls.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


# Inactivity time of the "any character" test, in seconds.
IDLE = 1.5


def client_mode(board, n, *ports, **attrs):
    dests = ",".join("10.0.2.2/%d" % p for p in ports)
    set_ok(board, n, mode=MODE["tcp_client"], destinations=dests, **attrs)


def test_connects_at_startup_and_carries_data_both_ways(board):
    ls = listener()
    ev = Events(board, 60, "startup")
    dev = board.serial(1)
    client_mode(board, 1, ls.getsockname()[1])
    conn = accept(ls)
    ev.wait_for(lambda l: l.startswith("connect port 1 peer 10.0.2.2 "))
    assert port_get(board, 1)["active_conns"] == "1"
    up, down = pattern(64 * 1024, 1), pattern(64 * 1024, 2)
    t = threading.Thread(target=send_all, args=(dev, up))
    t.start()
    send_all(conn, down)
    assert recv_exactly(conn, len(up), 60) == up
    assert recv_exactly(dev, len(down), 60) == down
    t.join()
    conn.close()
    ls.close()
    dev.close()


def test_reconnects_after_the_server_restarts_and_keeps_what_came(board):
    """The server goes away; what the device sends meanwhile waits (8 KiB
    in the port, the rest in the tty buffer) and arrives, in order, once
    the board has reconnected."""
    ls = listener()
    port = ls.getsockname()[1]
    dev = board.serial(2)
    client_mode(board, 2, port)
    conn = accept(ls)
    send_all(dev, b"before")
    assert recv_exactly(conn, 6, 20) == b"before"
    ls.close()
    conn.close()
    wait_until(lambda: counter(board, 2, "active_conns") == 0,
               what="the board to see the close")
    errors = counter(board, 2, "net_errors")
    meanwhile = pattern(20 * 1024, 3)
    send_all(dev, meanwhile)
    # Refused a few times while the data waits.
    wait_until(lambda: counter(board, 2, "net_errors") >= errors + 2,
               what="reconnect attempts")
    ls = listener(port)
    conn = accept(ls, timeout=30)
    assert recv_exactly(conn, len(meanwhile), 60) == meanwhile
    send_all(dev, b"after")
    assert recv_exactly(conn, 5, 20) == b"after"
    # Connection refusals while the server was gone are network errors.
    assert counter(board, 2, "net_errors") > 0
    conn.close()
    ls.close()
    dev.close()


def test_xoff_holds_the_device_while_no_destination_is_up(board):
    """With XON/XOFF flow control the device is stopped (XOFF) once the
    port's queue is full, and resumed (XON) when a destination is up:
    nothing is lost however long the server is away."""
    ls = listener()
    port = ls.getsockname()[1]
    ls.close()
    dev = board.serial(3)
    client_mode(board, 3, port, flow=2)
    data = bytes(b for b in pattern(96 * 1024, 4) if b not in (17, 19))
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
    try:
        wait_until(lambda: state["xoff"] > 0, timeout=120, what="XOFF")
        time.sleep(2)
        assert state["paused"] and state["sent"] < len(data)
        ls = listener(port)
        conn = accept(ls, timeout=30)
        assert recv_exactly(conn, len(data), 120) == data
        t.join(60)
        assert state["xon"] > 0
        conn.close()
        ls.close()
    finally:
        dev.close()
        set_ok(board, 3, flow=0)


def test_four_destinations_share_the_serial_line(board):
    ls = [listener() for _ in range(4)]
    dev = board.serial(4)
    client_mode(board, 4, *(l.getsockname()[1] for l in ls))
    conns = [accept(l) for l in ls]
    wait_until(lambda: counter(board, 4, "active_conns") == 4)
    data = pattern(16 * 1024, 9)
    send_all(dev, data)
    for c in conns:
        assert recv_exactly(c, len(data), 60) == data
    for i, c in enumerate(conns):
        send_all(c, b"from %d " % i)
        assert recv_exactly(dev, 7, 20) == b"from %d " % i
    for s in conns + ls + [dev]:
        s.close()


def test_any_character_connects_on_data_and_leaves_when_idle(board):
    ls = listener()
    dev = board.serial(1)
    ev = Events(board, 90, "anychar")
    client_mode(board, 1, ls.getsockname()[1], connect_on=1,
                inactivity_ms=int(IDLE * 1000))
    ls.settimeout(3)
    try:
        ls.accept()
        raise AssertionError("connected before any serial data")
    except socket.timeout:
        pass
    send_all(dev, b"x")
    conn = accept(ls)
    assert recv_exactly(conn, 1, 20) == b"x"
    start = time.monotonic()
    # Closed by the board (end of stream, not a timeout), and not before
    # the inactivity time (less a jiffy or two of rounding).
    conn.settimeout(30)
    assert conn.recv(100) == b""
    assert time.monotonic() - start > IDLE * 0.95
    ev.wait_for(lambda l: l.startswith("disconnect port 1 ") and
                l.endswith("reason %d" % REASON["inactivity"]))
    conn.close()
    # No reconnect while idle; the next byte connects again.
    ls.settimeout(3)
    try:
        ls.accept()
        raise AssertionError("reconnected while idle")
    except socket.timeout:
        pass
    send_all(dev, b"y")
    conn = accept(ls)
    assert recv_exactly(conn, 1, 20) == b"y"
    conn.close()
    ls.close()
    dev.close()
    set_ok(board, 1, connect_on=0, inactivity_ms=0)


def test_an_unreachable_destination_is_retried_with_backoff(board):
    ls = listener()
    port = ls.getsockname()[1]
    ls.close()
    set_ok(board, 2, mode=MODE["tcp_server"])
    errors = counter(board, 2, "net_errors")
    client_mode(board, 2, port)
    # When each refused attempt is counted: the gaps grow (100 ms
    # doubling), so the last gap is longer than the first ones together.
    seen, times = 0, []
    deadline = time.monotonic() + 60
    while len(times) < 6 and time.monotonic() < deadline:
        tries = counter(board, 2, "net_errors") - errors
        if tries > seen:
            times += [time.monotonic()] * (tries - seen)
            seen = tries
        time.sleep(0.05)
    assert len(times) >= 6, times
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps[-1] > sum(gaps[:2]), gaps
    ls = listener(port)
    accept(ls, timeout=25).close()
    ls.close()
