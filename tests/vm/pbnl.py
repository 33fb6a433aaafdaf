"""The portbridge netlink ABI from the tests' side: nlprobe (the raw
client in the test overlay, tests/vm/tools/nlprobe.c) run through the root
agent, with attribute numbers read from the uapi header, so the tests
change nothing the configuration daemon would have to know about."""
import os
import re
import time

NLPROBE = "/usr/libexec/pbtest/nlprobe"
HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "kernel", "include", "uapi", "linux", "portbridge.h")


def _enum(name):
    """{ENTRY: value} of an enum of the uapi header (plain counting)."""
    with open(HEADER) as f:
        text = f.read()
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    values, n = {}, 0
    for item in body.split(","):
        item = item.strip()
        if not item:
            continue
        m = re.match(r"(\w+)\s*(?:=\s*(\w+))?", item)
        if m.group(2):
            n = int(m.group(2), 0)
        values[m.group(1)] = n
        n += 1
    return values


CMD = _enum("pb_cmd")
ATTR = _enum("pb_attr")
MODE = {k[len("PB_MODE_"):].lower(): v for k, v in _enum("pb_mode").items()}
REASON = {k[len("PB_REASON_"):].lower(): v
          for k, v in _enum("pb_event_reason").items()}

# Attribute name (as nlprobe get prints it, '-' for '_') -> (id, type)
_TYPES = {
    "mode": "u8", "local_port": "u16", "max_conns": "u8", "baud": "u32",
    "data_bits": "u8", "parity": "u8", "stop_bits": "u8", "flow": "u8",
    "cmd_port": "u16", "inactivity_ms": "u32", "keepalive_idle": "u16",
    "keepalive_intvl": "u16", "keepalive_cnt": "u8", "ignore_jammed": "u8",
    "jammed_ms": "u32", "destinations": "dests", "connect_on": "u8",
    "pack_length": "u16", "delim1": "u16", "delim2": "u16",
    "delim_process": "u8", "force_tx_ms": "u16", "fifo": "u8",
    "interface": "u8", "dtr": "u8", "rts": "u8",
}


def attr_spec(name, value):
    """'ID:TYPE:VALUE' for nlprobe set."""
    return "%d:%s:%s" % (ATTR["PB_A_" + name.upper()], _TYPES[name], value)


def port_set(board, index, **attrs):
    """PB_CMD_PORT_SET through nlprobe: (ok, message)."""
    specs = ["%d:u32:%d" % (ATTR["PB_A_PORT_INDEX"], index)]
    specs += ["'%s'" % attr_spec(k, v) for k, v in attrs.items()]
    status, out = board.agent.run("%s set %d %s" % (
        NLPROBE, CMD["PB_CMD_PORT_SET"], " ".join(specs)), check=False)
    return status == 0, out.strip()


def set_ok(board, index, **attrs):
    ok, out = port_set(board, index, **attrs)
    assert ok, out


def raw_set(board, *specs):
    """nlprobe set with hand-made attributes: (ok, message)."""
    status, out = board.agent.run("%s set %d %s" % (
        NLPROBE, CMD["PB_CMD_PORT_SET"],
        " ".join("'%s'" % s for s in specs)), check=False)
    return status == 0, out.strip()


def port_get(board, index):
    """Every attribute and counter of a port: {name: str}."""
    out = board.agent.out("%s get %d" % (NLPROBE, index))
    info = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        info[key] = value
    return info


def counter(board, index, name):
    return int(board.agent.out("cat /sys/kernel/portbridge/port%d/%s"
                               % (index, name)).strip())


def serial_lines(board, n):
    """Modem and control lines of data port n (ttyS3+n) as the serial core
    reports them, without opening the tty (an open raises DTR and RTS)."""
    out = board.agent.out("grep '^%d:' /proc/tty/driver/serial" % (3 + n))
    lines = set()
    for field in out.split():
        if re.fullmatch(r"[A-Z]+(\|[A-Z]+)*", field):
            lines |= set(field.split("|"))
    return lines


def stty(board, n):
    return board.agent.out("stty -F /dev/ttyS%d -a 2>/dev/null" % (3 + n))


class Events:
    """nlprobe events in the background of the guest, read afterwards."""

    def __init__(self, board, seconds, name="events"):
        self.board = board
        self.path = "/tmp/pb-%s.txt" % name
        board.agent.run("(%s events %d > %s 2>&1 &) ; "
                        "for i in $(seq 50); do grep -q listening %s "
                        "&& break; sleep 0.1; done"
                        % (NLPROBE, seconds, self.path, self.path))

    def lines(self):
        return [l.strip() for l in self.board.agent.out(
            "cat %s" % self.path).splitlines() if l != "listening"]

    def wait_for(self, pred, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [l for l in self.lines() if pred(l)]
            if found:
                return found
            time.sleep(0.3)
        raise AssertionError("no such event in: %r" % self.lines())


def wait_until(pred, timeout=30, step=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(step)


def uart_reg(board, n, offset):
    """A register of the 16550A of data port n (ttyS3+n), read through
    /dev/port: the UART itself, not what the driver believes."""
    out = board.agent.out("grep '^%d:' /proc/tty/driver/serial" % (3 + n))
    base = int(re.search(r"port:([0-9A-Fa-f]+)", out).group(1), 16)
    assert base, "ttyS%d is not an I/O port UART: %s" % (3 + n, out)
    value = board.agent.out("dd if=/dev/port bs=1 skip=%d count=1 "
                            "2>/dev/null | od -An -tu1"
                            % (base + offset)).strip()
    return int(value)


def uart_fifo_on(board, n):
    """Whether the UART of data port n has its FIFO on: bits 7:6 of IIR
    (the FCR cannot be read back).  Reading IIR acknowledges a pending
    transmitter interrupt, so call it only while the port is idle."""
    return uart_reg(board, n, 2) & 0xC0 == 0xC0


def uart_break_on(board, n):
    """Whether the UART of data port n sends a break (LCR bit 6)."""
    return bool(uart_reg(board, n, 3) & 0x40)
