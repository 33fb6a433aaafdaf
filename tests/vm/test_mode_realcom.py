"""Real COM mode against a host written from /work/shared/realcom-protocol.md
(what Moxa's npreal2 driver sends and expects), on port 2 of the board:
data 951, command 967."""
import socket
import struct
import time

import pytest

from pbnl import (MODE, NLPROBE, REASON, Events, counter, port_get,
                  serial_lines, set_ok, stty, uart_fifo_on, wait_until)
from pbtest import pattern, recv_exactly, send_all

DATA, CMD = 951, 967
# Device -> host: total length of a message by opcode (the host splits
# what it reads this way).
LENGTH = {0x26: 4, 0x2F: 4, 0x16: 4, 0x15: 4, 0x13: 5, 0x2C: 5}


class Host:
    """The host side of one Real COM session: command port first."""

    def __init__(self, board):
        self.cmd = board.connect(CMD)
        self.data = board.connect(DATA)
        self.cmd.settimeout(10)
        self.notifies = []
        self.polls = []
        self.answer_polls = True

    def _read_message(self):
        head = recv_exactly(self.cmd, 1, 10)
        if not head:
            raise ConnectionError("command connection closed")
        rest = recv_exactly(self.cmd, LENGTH.get(head[0], 3) - 1, 10)
        return head + rest

    def next_message(self):
        """The next reply, answering POLLING and keeping NOTIFYs."""
        while True:
            msg = self._read_message()
            if msg[0] == 0x26:
                self.notifies.append(msg)
            elif msg[0] == 0x27:
                self.polls.append(msg)
                if self.answer_polls:
                    self.cmd.sendall(bytes([0x28, 1, msg[2]]))
            else:
                return msg

    def command(self, op, payload=b""):
        self.cmd.sendall(bytes([op, len(payload)]) + payload)
        reply = self.next_message()
        assert reply[0] == op, (hex(op), reply.hex())
        return reply

    def ok(self, op, payload=b""):
        assert self.command(op, payload)[1:] == b"OK"

    def close(self):
        self.cmd.close()
        self.data.close()


@pytest.fixture(scope="module", autouse=True)
def realcom_port(board):
    set_ok(board, 2, mode=MODE["realcom"], local_port=DATA)
    yield
    set_ok(board, 2, mode=MODE["tcp_server"], local_port=4002)


def wait_idle(board):
    wait_until(lambda: counter(board, 2, "active_conns") == 0,
               what="the session to end")


def test_no_host_means_dtr_and_rts_down(board):
    assert serial_lines(board, 2) & {"DTR", "RTS"} == set()


def test_the_linux_drivers_open_sequence(board):
    h = Host(board)
    try:
        init = h.command(0x2C, bytes([6, 3, 1, 1, 0, 0, 1, 0]))
        assert init[1] == 3 and all(b in (0, 1) for b in init[2:])
        # Lines first: opening the tty (stty) raises DTR and RTS.
        assert {"DTR", "RTS"} <= serial_lines(board, 2)
        h.ok(0x18, bytes([0x11, 0x13]))
        h.ok(0x30, bytes([16]))
        t = stty(board, 2)
        assert "speed 9600 baud" in t and "cs8" in t and "-parenb" in t
        assert " ixon" in t and " ixoff" in t
        # stty 19200 cs7 parenb cstopb
        h.command(0x2C, bytes([7, 0x0E, 1, 1, 0, 0, 1, 0]))
        t = stty(board, 2)
        assert "speed 19200 baud" in t and "cs7" in t
        assert "parenb" in t and "-parodd" in t and "cstopb" in t
        # An exact rate: index 0xFF, then SETBAUD (little-endian).
        h.command(0x2C, bytes([0xFF, 3, 1, 1, 0, 0, 0, 0]))
        h.ok(0x17, struct.pack("<i", 57600))
        t = stty(board, 2)
        assert "speed 57600 baud" in t and "-ixon" in t
        h.ok(0x10, bytes([10, 0x03 | 0x18]))      # IOCTL: 115200 mark
        assert "speed 115200 baud" in stty(board, 2)
        h.ok(0x11, bytes([1, 1, 0, 0]))            # FLOWCTRL: RTS/CTS
        assert " crtscts" in stty(board, 2)
        h.ok(0x11, bytes([0, 0, 0, 0]))
        assert "-crtscts" in stty(board, 2)
        # A close: the output queue is empty, flush, close.
        assert h.command(0x2F, bytes(4)) == bytes([0x2F, 2, 0, 0])
        h.ok(0x14, bytes([2]))
    finally:
        h.close()
    wait_idle(board)
    assert serial_lines(board, 2) & {"DTR", "RTS"} == set()


def test_data_goes_both_ways_raw(board):
    dev = board.serial(2)
    h = Host(board)
    try:
        h.command(0x2C, bytes([10, 3, 1, 1, 0, 0, 0, 0]))
        up = bytes(range(256)) * 64 + pattern(48 * 1024, 7)
        down = bytes(range(255, -1, -1)) * 64 + pattern(48 * 1024, 8)
        send_all(h.data, up)
        assert recv_exactly(dev, len(up), 60) == up
        send_all(dev, down)
        assert recv_exactly(h.data, len(down), 60) == down
    finally:
        h.close()
        dev.close()
    wait_idle(board)


def test_commands_are_framed_by_length(board):
    h = Host(board)
    errors = counter(board, 2, "proto_errors")
    try:
        # After a reconnect the driver sends these in one write.
        h.cmd.sendall(bytes([0x2C, 8, 0xFF, 3, 1, 1, 0, 0, 0, 0]) +
                      bytes([0x17, 4]) + struct.pack("<i", 38400) +
                      bytes([0x18, 2, 0x11, 0x13, 0x30, 1, 16,
                             0x12, 2, 1, 0]))
        assert h.next_message()[0] == 0x2C
        for op in (0x17, 0x18, 0x30, 0x12):
            assert h.next_message() == bytes([op]) + b"OK"
        assert serial_lines(board, 2) & {"DTR", "RTS"} == {"DTR"}
        assert "speed 38400 baud" in stty(board, 2)
        # An unknown opcode is skipped with its payload; one byte at a
        # time is still a whole command.
        h.cmd.sendall(bytes([0x99, 3, 1, 2, 3]))
        for b in bytes([0x13, 0]):
            h.cmd.sendall(bytes([b]))
            time.sleep(0.05)
        assert h.next_message()[:2] == bytes([0x13, 3])
        assert counter(board, 2, "proto_errors") == errors + 1
        for op in (0x24, 0x25, 0x2B, 0x21, 0x22):
            h.ok(op)
        assert h.command(0x16)[:2] == bytes([0x16, 2])
        assert h.command(0x15)[:2] == bytes([0x15, 2])
        for what in (0, 1, 2):
            h.ok(0x14, bytes([what]))
    finally:
        h.close()
    wait_idle(board)


def test_setxoff_holds_the_transmitter(board):
    dev = board.serial(2)
    h = Host(board)
    try:
        h.command(0x2C, bytes([10, 3, 1, 1, 0, 0, 0, 0]))
        h.ok(0x34)                                  # SETXOFF
        send_all(h.data, b"held")
        dev.settimeout(1.5)
        with pytest.raises(socket.timeout):
            dev.recv(10)
        h.ok(0x33)                                  # SETXON
        assert recv_exactly(dev, 4, 20) == b"held"
    finally:
        h.close()
        dev.close()
    wait_idle(board)


def test_modem_line_changes_are_notified(board):
    """UART in loopback: DSR follows the host's DTR, CTS its RTS; the
    device notifies each change without being asked."""
    board.agent.run("%s tiocm /dev/ttyS5 +loop" % NLPROBE)
    h = Host(board)
    try:
        h.command(0x2C, bytes([10, 3, 1, 1, 0, 0, 0, 0]))
        h.ok(0x12, bytes([0, 1]))                   # DTR off, RTS on

        def notified(msr_bit, on):
            while True:
                for n in h.notifies:
                    if n[1] & 0x20 and bool(n[2] & msr_bit) == on:
                        return True
                h.cmd.sendall(bytes([0x13, 0]))     # keep reading
                h.next_message()
                time.sleep(0.1)

        assert notified(0x20, False)                # DSR dropped
        h.notifies.clear()
        h.ok(0x12, bytes([1, 0]))                   # DTR on, RTS off
        assert notified(0x20, True)
        assert notified(0x10, False)                # CTS dropped
        assert all(len(n) == 4 and n[3] == 0 for n in h.notifies)
    finally:
        h.close()
        board.agent.run("%s tiocm /dev/ttyS5 -loop" % NLPROBE)
    wait_idle(board)


def test_polling_keeps_a_live_host_and_drops_a_dead_one(board):
    set_ok(board, 2, keepalive_idle=1, keepalive_intvl=1, keepalive_cnt=2)
    ev = Events(board, 60, "polling")
    h = Host(board)
    try:
        h.command(0x2C, bytes([10, 3, 1, 1, 0, 0, 0, 0]))
        deadline = time.monotonic() + 10
        while len(h.polls) < 3 and time.monotonic() < deadline:
            h.command(0x13)
            time.sleep(0.3)
        assert len(h.polls) >= 3
        assert counter(board, 2, "active_conns") == 2
        h.answer_polls = False
        with pytest.raises((ConnectionError, socket.timeout)):
            for _ in range(100):
                h.next_message()
        ev.wait_for(lambda l: l.startswith("disconnect port 2 ") and
                    l.endswith("reason %d" % REASON["alive_check"]))
    finally:
        h.close()
        set_ok(board, 2, keepalive_idle=10, keepalive_intvl=5,
               keepalive_cnt=3)
    wait_idle(board)


def test_a_data_connection_that_comes_first_waits_for_its_command(board):
    """QEMU's user network (like any NAT or a slow network) may deliver a
    host's two connections in the other order."""
    dev = board.serial(2)
    data = board.connect(DATA)
    cmd = None
    try:
        wait_until(lambda: counter(board, 2, "active_conns") == 1,
                   what="the data connection")
        cmd = board.connect(CMD)
        wait_until(lambda: counter(board, 2, "active_conns") == 2,
                   what="the command connection")
        cmd.sendall(bytes([0x2C, 8, 10, 3, 1, 1, 0, 0, 0, 0]))
        assert recv_exactly(cmd, 5, 10)[:2] == bytes([0x2C, 3])
        send_all(data, b"data first")
        assert recv_exactly(dev, 10, 20) == b"data first"
        send_all(dev, b"and back")
        assert recv_exactly(data, 8, 20) == b"and back"
        assert counter(board, 2, "active_conns") == 2
    finally:
        data.close()
        if cmd:
            cmd.close()
        dev.close()
    wait_idle(board)


def test_a_reconnecting_host_replaces_its_old_session(board):
    ev = Events(board, 60, "replaced")
    old = Host(board)
    old.command(0x2C, bytes([10, 3, 1, 1, 0, 0, 0, 0]))
    new = Host(board)
    try:
        for s in (old.cmd, old.data):
            s.settimeout(10)
            assert s.recv(100) == b""
        ev.wait_for(lambda l: l.startswith("disconnect port 2 ") and
                    l.endswith("reason %d" % REASON["replaced"]))
        new.command(0x2C, bytes([10, 3, 1, 1, 0, 0, 0, 0]))
        assert counter(board, 2, "active_conns") == 2
    finally:
        old.close()
        new.close()
    wait_idle(board)


def test_tx_fifo_switches_the_uarts_fifo_for_the_session(board):
    assert uart_fifo_on(board, 2)
    h = Host(board)
    try:
        h.command(0x2C, bytes([10, 3, 1, 1, 0, 0, 0, 0]))
        h.ok(0x30, bytes([1]))                     # FIFO off
        assert not uart_fifo_on(board, 2)
        h.ok(0x30, bytes([16]))                    # and on again
        assert uart_fifo_on(board, 2)
        h.ok(0x30, bytes([1]))
        assert not uart_fifo_on(board, 2)
    finally:
        h.close()
    wait_idle(board)
    # The session ended: the configured FIFO (on) is back.
    assert uart_fifo_on(board, 2)


def test_ports_17_to_32_default_to_moxas_command_ports(board):
    # A pseudo terminal attached as ports 16 and 17 in turn (nlprobe holds
    # it until its input ends): 966 + N - 1, then 982 + N - 1.
    for index, cmd in ((16, 981), (17, 998)):
        board.agent.run(
            "(sh -c 'echo $$ > /tmp/hold; exec sleep 1000' | "
            "%s attach pty %d > /tmp/attach 2>&1 &) ; "
            "for i in $(seq 100); do grep -q . /tmp/attach && break; "
            "sleep 0.1; done; cat /tmp/attach" % (NLPROBE, index))
        try:
            assert board.agent.out("cat /tmp/attach").strip() == "ok"
            assert port_get(board, index)["cmd-port"] == str(cmd)
        finally:
            board.agent.run("kill $(cat /tmp/hold); "
                            "for i in $(seq 100); do "
                            "[ -e /sys/kernel/portbridge/port%d ] || break; "
                            "sleep 0.1; done; rm -f /tmp/attach" % index)
        assert board.agent.run("test -e /sys/kernel/portbridge/port%d"
                               % index, check=False)[0] != 0
