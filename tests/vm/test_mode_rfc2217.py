"""RFC 2217 mode with real clients: pyserial's rfc2217:// and gensio's
gensiot, against port 1 (ttyS4) of the board."""
import socket
import subprocess
import threading
import time

import pytest
import serial

from pbnl import (MODE, NLPROBE, counter, port_get, serial_lines, set_ok,
                  stty, uart_break_on, wait_until)
from pbtest import drain, pattern, recv_exactly, send_all


@pytest.fixture(scope="module", autouse=True)
def rfc2217_port(board):
    set_ok(board, 1, mode=MODE["rfc2217"])
    yield
    set_ok(board, 1, mode=MODE["tcp_server"])


def url(board):
    return "rfc2217://127.0.0.1:%d" % board.port(4001)


def wait_closed(board):
    wait_until(lambda: counter(board, 1, "active_conns") == 0,
               what="the session to end")


def test_pyserial_opens_and_carries_data_both_ways(board):
    dev = board.serial(1)
    s = serial.serial_for_url(url(board), baudrate=9600, timeout=5)
    try:
        assert "speed 9600 baud" in stty(board, 1)
        # IAC (0xFF) both ways, and every other byte value.
        up = bytes(range(256)) * 16 + pattern(16 * 1024, 5)
        s.write(up)
        assert recv_exactly(dev, len(up), 60) == up
        down = bytes(range(255, -1, -1)) * 16 + pattern(16 * 1024, 6)
        send_all(dev, down)
        got = bytearray()
        deadline = time.monotonic() + 60
        while len(got) < len(down) and time.monotonic() < deadline:
            got += s.read(len(down) - len(got))
        assert bytes(got) == down
    finally:
        s.close()
        dev.close()
    wait_closed(board)


def test_settings_change_on_the_fly_and_come_back(board):
    s = serial.serial_for_url(url(board), baudrate=9600, timeout=5)
    try:
        s.baudrate = 19200
        s.bytesize = 7
        s.parity = serial.PARITY_EVEN
        s.stopbits = 2
        t = stty(board, 1)
        assert "speed 19200 baud" in t
        assert "cs7" in t and "parenb" in t and "-parodd" in t
        assert "cstopb" in t
        s.parity = serial.PARITY_ODD
        s.bytesize = 8
        s.stopbits = 1
        t = stty(board, 1)
        assert "cs8" in t and "parodd" in t and "-cstopb" in t
        s.xonxoff = True
        t = stty(board, 1)
        assert " ixon" in t and " ixoff" in t
        s.xonxoff = False
        s.rtscts = True
        assert " crtscts" in stty(board, 1)
        s.rtscts = False
        # A rate the UART cannot run at is answered with the one in use.
        with pytest.raises((ValueError, serial.SerialException)):
            s.baudrate = 921600
        assert "speed 19200 baud" in stty(board, 1)
    finally:
        s.close()
    wait_closed(board)
    # The session's settings go; the configured ones come back.
    t = stty(board, 1)
    assert "speed 115200 baud" in t and "cs8" in t and "-parenb" in t


def test_modem_lines_purge_and_break(board):
    """DTR and RTS from the client reach the UART; with the UART in
    loopback (DSR follows DTR, CTS follows RTS) the client sees its own
    lines come back as NOTIFY-MODEMSTATE."""
    # Loopback first: opening the tty raises DTR and RTS.
    board.agent.run("%s tiocm /dev/ttyS4 +loop" % NLPROBE)
    s = serial.serial_for_url(url(board), baudrate=115200, timeout=5)
    try:
        s.dtr = False
        s.rts = True
        lines = serial_lines(board, 1)
        assert "DTR" not in lines and "RTS" in lines
        wait_until(lambda: not s.dsr and s.cts, timeout=10,
                   what="DSR off, CTS on")
        s.dtr = True
        s.rts = False
        wait_until(lambda: s.dsr and not s.cts, timeout=10,
                   what="DSR on, CTS off")
        assert serial_lines(board, 1) & {"DTR", "RTS"} == {"DTR"}
        # Purges are acknowledged (pyserial waits for the answer).
        s.reset_input_buffer()
        s.reset_output_buffer()
        s.send_break(0.1)
        assert not uart_break_on(board, 1)
        s.break_condition = True
        wait_until(lambda: uart_break_on(board, 1), timeout=10,
                   what="the UART to send a break")
        s.break_condition = False
        wait_until(lambda: not uart_break_on(board, 1), timeout=10,
                   what="the break to end")
        # Loopback: what goes out comes back.
        s.write(b"echo \xff me")
        assert s.read(9) == b"echo \xff me"
    finally:
        s.close()
        board.agent.run("%s tiocm /dev/ttyS4 -loop" % NLPROBE)
    wait_closed(board)
    assert {"DTR", "RTS"} <= serial_lines(board, 1)


def test_one_client_at_a_time(board):
    s = serial.serial_for_url(url(board), baudrate=115200, timeout=5)
    refused = counter(board, 1, "refused")
    try:
        other = board.connect(4001)
        other.settimeout(10)
        assert drain(other, 5) == b""
        other.close()
        assert counter(board, 1, "refused") == refused + 1
    finally:
        s.close()
    wait_closed(board)


def test_malformed_telnet_is_counted_and_skipped(board):
    dev = board.serial(1)
    c = board.connect(4001)
    errors = counter(board, 1, "proto_errors")
    try:
        # IAC SE outside a subnegotiation; an unknown COM-PORT command;
        # a SET-DATASIZE with a bad length; then plain data.
        c.sendall(bytes([255, 240]) + bytes([255, 250, 44, 99, 1, 255, 240])
                  + bytes([255, 250, 44, 2, 1, 2, 255, 240]) + b"still ok")
        assert recv_exactly(dev, 8, 20) == b"still ok"
        wait_until(lambda: counter(board, 1, "proto_errors") >= errors + 3,
                   what="the errors to be counted")
    finally:
        c.close()
        dev.close()
    wait_closed(board)


def gensiot(board):
    """gensiot as an RFC 2217 client, commands on stdin after ^A."""
    return subprocess.Popen(["gensiot", "-e", "1",
                             "telnet(rfc2217),tcp,127.0.0.1,%d"
                             % board.port(4001)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_gensiot_data_settings_and_signature(board):
    dev = board.serial(1)
    p = gensiot(board)
    out = bytearray()

    def reader():
        for chunk in iter(lambda: p.stdout.read1(4096), b""):
            out.extend(chunk)

    rd = threading.Thread(target=reader, daemon=True)
    rd.start()
    try:
        wait_until(lambda: counter(board, 1, "active_conns") == 1,
                   what="gensiot")
        time.sleep(0.5)
        p.stdin.write(b"hello from gensiot")
        p.stdin.flush()
        assert recv_exactly(dev, 18, 20) == b"hello from gensiot"
        send_all(dev, b"and back \xff")
        esc = b"\x01"
        p.stdin.write(esc + b"s19200\n" + esc + b"7" + esc + b"e" + esc +
                      b"2")
        p.stdin.flush()
        wait_until(lambda: "speed 19200 baud" in stty(board, 1),
                   what="19200 from gensiot")
        t = stty(board, 1)
        assert "cs7" in t and "parenb" in t and "cstopb" in t
        # The dump asks for the signature and prints the answer.
        p.stdin.write(esc + b"d")
        p.stdin.flush()
        wait_until(lambda: b"Signature: portbridge" in out, timeout=20,
                   what="the signature in gensiot's dump")
        p.stdin.write(esc + b"q")
        p.stdin.flush()
        p.wait(timeout=20)
        rd.join(20)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        dev.close()
    out = bytes(out)
    assert b"and back \xff" in out
    assert b"Signature: portbridge" in out
    assert b"Speed: 19200E72" in out
    wait_closed(board)


def test_a_reconfiguration_keeps_the_listener_and_ends_sessions(board):
    s = serial.serial_for_url(url(board), baudrate=9600, timeout=5)
    set_ok(board, 1, mode=MODE["tcp_server"])
    wait_closed(board)
    set_ok(board, 1, mode=MODE["rfc2217"])
    s.close()
    s = serial.serial_for_url(url(board), baudrate=9600, timeout=5)
    assert port_get(board, 1)["active_conns"] == "1"
    s.close()
    wait_closed(board)
