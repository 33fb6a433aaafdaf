"""UDP mode and data packing.  Datagrams keep their boundaries, so they
show exactly how packing cut the serial data."""
import socket
import time

import pytest

from pbnl import MODE, NLPROBE, counter, set_ok, wait_until
from pbtest import drain, recv_exactly, send_all

OFF = 256      # PB_DELIM_OFF


@pytest.fixture(scope="module")
def sink(board):
    """A UDP receiver on the host and port 3 in UDP mode sending to it."""
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.bind(("127.0.0.1", 0))
    set_ok(board, 3, mode=MODE["udp"],
           destinations="10.0.2.2/%d" % r.getsockname()[1])
    yield r
    r.close()
    set_ok(board, 3, mode=MODE["tcp_server"], destinations="",
           pack_length=0, delim1=OFF, delim2=OFF, delim_process=0,
           force_tx_ms=0)


def datagrams(r, quiet=1.5, first=20):
    """Every datagram until none came for `quiet` seconds."""
    got = []
    r.settimeout(first)
    try:
        while True:
            got.append(r.recv(65536))
            r.settimeout(quiet)
    except socket.timeout:
        pass
    return got


def test_serial_data_goes_out_as_datagrams_and_comes_back(board, sink):
    dev = board.serial(3)
    sent = counter(board, 3, "datagrams")
    send_all(dev, b"hello over udp")
    got = datagrams(sink)
    assert b"".join(got) == b"hello over udp"
    assert counter(board, 3, "datagrams") == sent + len(got)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.sendto(b"to the device", ("127.0.0.1", board.port(4003)))
    tx.sendto(b" and more", ("127.0.0.1", board.port(4003)))
    assert recv_exactly(dev, 22, 20) == b"to the device and more"
    tx.close()
    dev.close()


def test_a_destination_range_gets_every_datagram(board, sink):
    board.agent.run("for i in 1 2 3 4; do ip addr add 10.9.0.$i/32 dev lo; "
                    "done")
    set_ok(board, 3, destinations="10.9.0.1-10.9.0.4/7000")
    dev = board.serial(3)
    sent = counter(board, 3, "datagrams")
    try:
        board.agent.run("(%s udpsink 7000 8 >/tmp/sink.txt &); "
                        "for i in $(seq 50); do grep -q listening "
                        "/tmp/sink.txt && break; sleep 0.1; done" % NLPROBE)
        for chunk in (b"one", b"two", b"three"):
            send_all(dev, chunk)
            time.sleep(1)
        # The sink writes its table when its time is up.
        lines = wait_until(lambda: [l for l in board.agent.out(
            "cat /tmp/sink.txt").split("\n")[1:] if l.strip()],
            timeout=30, what="the sink's table")
        table = {l.split()[0]: l.split()[1:] for l in lines if l.strip()}
        assert sorted(table) == ["10.9.0.%d" % i for i in (1, 2, 3, 4)]
        counts = {tuple(v) for v in table.values()}
        assert len(counts) == 1, table       # every address got the same
        n, size = map(int, counts.pop())
        assert size == len(b"onetwothree")
        assert counter(board, 3, "datagrams") == sent + 4 * n
    finally:
        board.agent.run("for i in 1 2 3 4; do ip addr del 10.9.0.$i/32 "
                        "dev lo; done", check=False)
        dev.close()
        set_ok(board, 3, destinations="10.0.2.2/%d"
               % sink.getsockname()[1])


@pytest.mark.parametrize("packing, data, expect", [
    # packing length
    ({"pack_length": 8}, b"a" * 8 + b"b" * 8 + b"c" * 8,
     [b"a" * 8, b"b" * 8, b"c" * 8]),
    # delimiter, sent with the packet
    ({"delim1": 10, "force_tx_ms": 300}, b"ab\ncd\nef",
     [b"ab\n", b"cd\n", b"ef"]),
    # delimiter stripped
    ({"delim1": 10, "delim_process": 3}, b"ab\ncd\n", [b"ab", b"cd"]),
    # delimiter plus one byte
    ({"delim1": 10, "delim_process": 1}, b"ab\nXcd\nY",
     [b"ab\nX", b"cd\nY"]),
    # delimiter plus two bytes
    ({"delim1": 10, "delim_process": 2}, b"ab\nXYcd\nZW",
     [b"ab\nXY", b"cd\nZW"]),
    # a two-byte delimiter, stripped
    ({"delim1": 13, "delim2": 10, "delim_process": 3}, b"a\rb\r\nc\r\n",
     [b"a\rb", b"c"]),
])
def test_packing_cuts_datagrams_by_the_rules(board, sink, packing, data,
                                             expect):
    settings = {"pack_length": 0, "delim1": OFF, "delim2": OFF,
                "delim_process": 0, "force_tx_ms": 0}
    settings.update(packing)
    set_ok(board, 3, **settings)
    dev = board.serial(3)
    try:
        # The serial line delivers the bytes in chunks of its own.
        for i in range(0, len(data), 3):
            send_all(dev, data[i:i + 3])
            time.sleep(0.05)
        assert datagrams(sink) == expect
    finally:
        dev.close()


def test_force_transmit_sends_after_the_idle_time(board, sink):
    set_ok(board, 3, pack_length=0, delim1=OFF, delim2=OFF,
           delim_process=0, force_tx_ms=1000)
    dev = board.serial(3)
    try:
        # Nothing but the force transmit time can send these.
        send_all(dev, b"abc")
        assert datagrams(sink) == [b"abc"]
        # Gaps far below that time join the bytes into one datagram.
        send_all(dev, b"de")
        time.sleep(0.05)
        send_all(dev, b"f")
        assert datagrams(sink) == [b"def"]
    finally:
        dev.close()
        set_ok(board, 3, force_tx_ms=0)


def test_packing_holds_tcp_data_until_the_delimiter(board):
    """Packing applies to every mode: a TCP server client gets nothing
    until the delimiter completes the packet."""
    set_ok(board, 4, delim1=ord("!"))
    dev, cli = board.serial(4), board.connect(4004)
    try:
        wait_until(lambda: counter(board, 4, "active_conns") == 1,
                   what="the client")
        send_all(dev, b"wait for it")
        assert drain(cli, 1.5) == b""
        send_all(dev, b"!")
        assert recv_exactly(cli, 12, 20) == b"wait for it!"
        # Off again: bytes go at once.
        set_ok(board, 4, delim1=OFF)
        send_all(dev, b"now")
        assert recv_exactly(cli, 3, 20) == b"now"
    finally:
        cli.close()
        dev.close()
        set_ok(board, 4, delim1=OFF)


def test_changing_packing_sends_what_is_queued(board, sink):
    set_ok(board, 3, pack_length=100)
    dev = board.serial(3)
    received = counter(board, 3, "rx_bytes")
    try:
        send_all(dev, b"partial")
        wait_until(lambda: counter(board, 3, "rx_bytes") >= received + 7,
                   what="the bytes to be queued")
        set_ok(board, 3, pack_length=0)
        assert datagrams(sink) == [b"partial"]
    finally:
        dev.close()
