#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Regenerate the seed corpora in corpus/<target>/ (run from anywhere).

The seeds are committed; this script documents how they were made and
rebuilds them after format changes.  The portmap seeds are the compiled
board blobs: pass the dtb directory (make -C dts O=...) as argument.
"""
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

# uapi numbers (kernel/include/uapi/linux/portbridge.h)
PB_CMD_PORT_GET, PB_CMD_PORT_SET = 1, 2
PB_CMD_EVENT_CONNECT, PB_CMD_EVENT_DISCONNECT, PB_CMD_EVENT_REFUSED = 3, 4, 5
PB_CMD_EVENT_MODE, PB_CMD_EVENT_SERIAL_ERROR = 6, 7
(PB_A_PORT_INDEX, PB_A_TTY_NAME, PB_A_MODE, PB_A_LOCAL_PORT, PB_A_MAX_CONNS,
 PB_A_BAUD, PB_A_DATA_BITS, PB_A_PARITY, PB_A_STOP_BITS, PB_A_FLOW,
 PB_A_STATS, PB_A_PEER_ADDR, PB_A_PEER_PORT, PB_A_EVENT_REASON,
 PB_A_CMD_PORT, PB_A_INACTIVITY_MS, PB_A_KEEPALIVE_IDLE, PB_A_KEEPALIVE_INTVL,
 PB_A_KEEPALIVE_CNT, PB_A_IGNORE_JAMMED, PB_A_JAMMED_MS, PB_A_DESTINATIONS,
 PB_A_DEST, PB_A_CONNECT_ON, PB_A_PACK_LENGTH, PB_A_DELIM1, PB_A_DELIM2,
 PB_A_DELIM_PROCESS, PB_A_FORCE_TX_MS, PB_A_FIFO, PB_A_INTERFACE, PB_A_DTR,
 PB_A_RTS) = range(2, 35)
PB_DEST_ADDR, PB_DEST_ADDR_END, PB_DEST_PORT = 1, 2, 3
CTRL_CMD_GETPOLICY = 10
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_POLICY, CTRL_ATTR_OP_POLICY = 1, 8, 9
CTRL_ATTR_POLICY_DO = 1
NLMSG_ERROR, NLMSG_DONE, GENL_ID_CTRL = 2, 3, 0x10
NLM_F_MULTI, NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x2, 0x100, 0x200
NLA_F_NESTED = 0x8000


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("<HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def u8(t, v):
    return attr(t, struct.pack("<B", v))


def u16(t, v):
    return attr(t, struct.pack("<H", v))


def u32(t, v):
    return attr(t, struct.pack("<I", v))


def u64(t, v):
    return attr(t, struct.pack("<Q", v))


def string(t, s):
    return attr(t, s.encode() + b"\0")


def nlmsg(typ, flags, payload, seq=1, pid=0):
    return struct.pack("<IHHII", 16 + len(payload), typ, flags, seq,
                       pid) + payload


def genl(typ, cmd, attrs, flags=0):
    return nlmsg(typ, flags, struct.pack("<BBH", cmd, 1, 0) + attrs)


def conf_seeds():
    keys = ("mode = tcp-server\nlocal-port = {lp}\nbaud = 115200\n"
            "data-bits = 8\nparity = none\nstop-bits = 1\nflow = none\n"
            "max-connections = 1\n")
    full = "# portbridge configuration\n" + "".join(
        "\n[port %d]\n" % n + keys.format(lp=4000 + n) for n in range(1, 5))
    write("conf", "defaults-4", b"\x03" + full.encode())
    write("conf", "example", b"\x03" + (
        "# comment\r\n[port 2]\r\n\tmode = udp\r\nbaud=9600\n"
        "parity = even\nflow = rts-cts\nmax-connections = 8\n"
        "[ port 4 ]\nmode = disabled\nlocal-port = 4001").encode())
    write("conf", "all-modes", b"\x1f" + "".join(
        "[port %d]\nmode = %s\nlocal-port = %d\n" % (i + 1, m, 100 + i)
        for i, m in enumerate(["disabled", "tcp-server", "tcp-client",
                               "udp", "rfc2217", "real-com"])).encode())
    errors = [
        "[port 1]\nbaud = fast\n", "baud = 1\n", "[port 9]\n",
        "[port 1]\nspeed = 1\n", "[port 1]\n[port 1]\n",
        "[port 1]\nbaud = 4294967296\n", "[port\n",
        "[port 1]\nparity = wrong\n", "[port 1]\nbaud = 1\x01\n",
        "[port 1]\nlocal-port = 4002\n",
    ]
    for i, e in enumerate(errors):
        write("conf", "error-%02d" % i, b"\x03" + e.encode())
    # issue 3: every new key, in every form
    write("conf", "modes-all-keys", b"\x03" + (
        "[port 1]\nmode = tcp-client\nconnect-on = any-char\n"
        "dest1 = plc-3.example.com:502\ndest2 = [2001:db8::10]:4001\n"
        "dest3 = 192.168.1.10:4001\ndest4 = none\ninactivity-ms = 5000\n"
        "alive-idle = 7\nalive-interval = 2\nalive-count = 4\n"
        "[port 2]\nmode = udp\nlocal-port = 4002\n"
        "dest1 = 10.0.0.1-10.0.0.20:4002\n"
        "dest2 = [2001:db8::1]-[2001:db8::9]:4002\n"
        "packing-length = 64\ndelim1 = 0x0d\ndelim2 = 10\n"
        "delim-process = strip\nforce-tx-ms = 20\n"
        "[port 3]\nmode = real-com\ncmd-port = 968\n"
        "ignore-jammed = yes\njammed-ms = 3000\nfifo = off\n"
        "interface = rs485-2w\ndtr = off\nrts = off\n"
        "[port 4]\nmode = rfc2217\nflow = rts-cts\n").encode())
    new_errors = [
        "[port 1]\nmode = tcp-client\n",
        "[port 1]\nmode = tcp-client\ndest1 = 10.0.0.1-10.0.0.5:1\n",
        "[port 1]\ndest2 = 10.0.0.1:1\n",
        "[port 1]\ndelim2 = 0x0a\n",
        "[port 1]\nmode = real-com\ncmd-port = 950\n",
        "[port 1]\nmode = real-com\n[port 2]\nlocal-port = 966\n",
        "[port 1]\nlocal-port = 22\n",
        "[port 1]\ninterface = rs422\nflow = rts-cts\n",
        "[port 1]\ndest1 = 10.0.0.5-10.0.0.1:1\n",
        "[port 1]\ndest1 = 10.0.0.0-10.0.1.0:1\n",
        "[port 1]\ndest1 = 2001:db8::1:4001\n",
        "[port 1]\ndest1 = bad_name:1\n",
        "[port 1]\ndelim1 = 0x100\n",
        "[port 1]\nalive-count = 128\n",
    ]
    for i, e in enumerate(new_errors):
        write("conf", "error-new-%02d" % i, b"\x03" + e.encode())


def ctl_seeds():
    reqs = [
        "port-set 1 baud 9600",
        "port-set 1 mode tcp-server local-port 4001 baud 115200",
        "port-set 32 mode real-com local-port 950 baud 50 data-bits 5 "
        "parity space stop-bits 2 flow dtr-dsr max-connections 8",
        "port-set 2 mode disabled\n",
        "config-get", "config-get\n", "", "port-set", "port-set 1",
        "port-set x baud 1", "port-set 1 baud 9600 baud 9600",
        "port-set 1 speed 9600", "hello", "port-set 2 local-port 4001",
        # issue 3
        "port-set 1 mode tcp-client dest1 plc.example:502 connect-on any-char",
        "port-set 2 mode udp dest1 10.0.0.1-10.0.0.9:4002 "
        "dest2 [2001:db8::1]-[2001:db8::9]:4002 dest3 none",
        "port-set 3 mode real-com cmd-port 968 inactivity-ms 5000 "
        "alive-idle 7 alive-interval 2 alive-count 4",
        "port-set 4 ignore-jammed yes jammed-ms 3000 packing-length 64 "
        "delim1 0x0d delim2 10 delim-process strip force-tx-ms 20",
        "port-set 1 fifo off interface rs485-2w dtr off rts off",
        "port-set 1 delim2 0x0a", "port-set 1 dest1 10.0.0.1",
        "port-set 1 mode real-com", "port-set 1 mode tcp-client",
    ]
    for i, r in enumerate(reqs):
        write("ctl", "req-%02d" % i, r)


def nlattr_seeds():
    v4 = bytes(10) + b"\xff\xff" + bytes([10, 0, 2, 2])
    cfg = (u32(PB_A_PORT_INDEX, 1) + string(PB_A_TTY_NAME, "ttyS4") +
           u8(PB_A_MODE, 1) + u16(PB_A_LOCAL_PORT, 4001) +
           u8(PB_A_MAX_CONNS, 1) + u32(PB_A_BAUD, 115200) +
           u8(PB_A_DATA_BITS, 8) + u8(PB_A_PARITY, 0) +
           u8(PB_A_STOP_BITS, 1) + u8(PB_A_FLOW, 0))
    stats = attr(PB_A_STATS | NLA_F_NESTED,
                 u64(2, 1000) + u64(3, 2000) + u64(4, 5) + u32(6, 1) +
                 u64(7, 1) + u64(11, 0))
    port = genl(0x1d, PB_CMD_PORT_GET, cfg + stats, NLM_F_MULTI)
    done = nlmsg(NLMSG_DONE, NLM_F_MULTI, struct.pack("<i", 0))
    write("nlattr", "port-dump", port + port + done)
    write("nlattr", "event-connect", genl(
        0x1d, PB_CMD_EVENT_CONNECT, u32(PB_A_PORT_INDEX, 1) +
        attr(PB_A_PEER_ADDR, v4) + u16(PB_A_PEER_PORT, 51234)))
    write("nlattr", "event-disconnect", genl(
        0x1d, PB_CMD_EVENT_DISCONNECT, u32(PB_A_PORT_INDEX, 2) +
        attr(PB_A_PEER_ADDR, v4) + u16(PB_A_PEER_PORT, 1) +
        u8(PB_A_EVENT_REASON, 1)))
    req = nlmsg(0x1d, 5, struct.pack("<BBH", PB_CMD_PORT_SET, 1, 0))
    ext = u32(2, 20) + string(1, "baud: out of range")
    write("nlattr", "error-capped", nlmsg(
        NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS,
        struct.pack("<i", -22) + req[:16] + ext))
    write("nlattr", "error-echoed", nlmsg(
        NLMSG_ERROR, NLM_F_ACK_TLVS, struct.pack("<i", -16) + req + ext))
    write("nlattr", "ack", nlmsg(NLMSG_ERROR, NLM_F_CAPPED,
                                 struct.pack("<i", 0) + req[:16]))
    write("nlattr", "done-error", nlmsg(
        NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS,
        struct.pack("<i", -19) + string(1, "no such port")))
    # issue 3: every new attribute, destinations, new events and counters
    v6 = b"\x20\x01\x0d\xb8" + bytes(11) + b"\x01"
    v6end = v6[:15] + b"\x09"
    dests = attr(PB_A_DESTINATIONS | NLA_F_NESTED,
                 attr(PB_A_DEST | NLA_F_NESTED,
                      attr(PB_DEST_ADDR, v4) + u16(PB_DEST_PORT, 4001)) +
                 attr(PB_A_DEST | NLA_F_NESTED,
                      attr(PB_DEST_ADDR, v6) + attr(PB_DEST_ADDR_END, v6end) +
                      u16(PB_DEST_PORT, 4002)))
    new = (u16(PB_A_CMD_PORT, 966) + u32(PB_A_INACTIVITY_MS, 5000) +
           u16(PB_A_KEEPALIVE_IDLE, 10) + u16(PB_A_KEEPALIVE_INTVL, 5) +
           u8(PB_A_KEEPALIVE_CNT, 3) + u8(PB_A_IGNORE_JAMMED, 1) +
           u32(PB_A_JAMMED_MS, 10000) + dests + u8(PB_A_CONNECT_ON, 1) +
           u16(PB_A_PACK_LENGTH, 64) + u16(PB_A_DELIM1, 13) +
           u16(PB_A_DELIM2, 0x100) + u8(PB_A_DELIM_PROCESS, 3) +
           u16(PB_A_FORCE_TX_MS, 20) + u8(PB_A_FIFO, 1) +
           u8(PB_A_INTERFACE, 2) + u8(PB_A_DTR, 1) + u8(PB_A_RTS, 0))
    stats_new = attr(PB_A_STATS | NLA_F_NESTED,
                     u64(2, 1) + u64(12, 100) + u64(13, 1) + u64(14, 4) +
                     u64(15, 77))
    write("nlattr", "port-issue3", genl(
        0x1d, PB_CMD_PORT_GET, cfg + new + stats_new, NLM_F_MULTI) + done)
    write("nlattr", "event-mode", genl(
        0x1d, PB_CMD_EVENT_MODE, u32(PB_A_PORT_INDEX, 1) + u8(PB_A_MODE, 5)))
    write("nlattr", "event-serial-error", genl(
        0x1d, PB_CMD_EVENT_SERIAL_ERROR, u32(PB_A_PORT_INDEX, 3) +
        attr(PB_A_STATS | NLA_F_NESTED,
             u64(7, 7) + u64(8, 0) + u64(9, 12) + u64(10, 1))))
    write("nlattr", "event-disconnect-jammed", genl(
        0x1d, PB_CMD_EVENT_DISCONNECT, u32(PB_A_PORT_INDEX, 2) +
        attr(PB_A_PEER_ADDR, v4) + u16(PB_A_PEER_PORT, 1) +
        u8(PB_A_EVENT_REASON, 6)))
    op = genl(GENL_ID_CTRL, CTRL_CMD_GETPOLICY, u16(CTRL_ATTR_FAMILY_ID, 0x1d) +
              attr(CTRL_ATTR_OP_POLICY | NLA_F_NESTED,
                   attr(PB_CMD_PORT_SET | NLA_F_NESTED,
                        u32(CTRL_ATTR_POLICY_DO, 0))), NLM_F_MULTI)
    pol = b"".join(
        genl(GENL_ID_CTRL, CTRL_CMD_GETPOLICY, u16(CTRL_ATTR_FAMILY_ID, 0x1d) +
             attr(CTRL_ATTR_POLICY | NLA_F_NESTED,
                  attr(0 | NLA_F_NESTED,
                       attr(a | NLA_F_NESTED, u32(1, 2)))), NLM_F_MULTI)
        for a in (PB_A_PORT_INDEX, PB_A_MODE, PB_A_BAUD, PB_A_DESTINATIONS))
    write("nlattr", "policy-dump", op + pol + done)
    grp = attr(1 | NLA_F_NESTED, string(1, "events") + u32(2, 7))
    write("nlattr", "family", genl(
        GENL_ID_CTRL, 1, string(2, "portbridge") + u16(1, 0x1d) +
        u32(3, 1) + attr(7 | NLA_F_NESTED, grp)))


def portmap_seeds(dtb_dir):
    for name in ("reference", "target"):
        shutil.copyfile(os.path.join(dtb_dir, name + ".dtb"),
                        os.path.join(CORPUS, "portmap", name + ".bin"))


# Programs for fuzz_portmap's blob builder (see tests/fuzz/fuzz_portmap.c):
# op % 5: 0 node <len> <name>, 1/2 property <which> <len> <value>,
# 3 end node, 4 compatible = "portbridge,port-map".
PROPS = ["compatible", "reg", "portbridge,tty", "uart",
         "portbridge,interfaces", "label", "model", "phandle",
         "portbridge,num-ports", "#address-cells"]


def node(name):
    return bytes([0, len(name)]) + name.encode()


def prop(name, value):
    return bytes([1, PROPS.index(name), len(value)]) + value


def portmap_programs():
    end = bytes([3])
    prog = (node("port-map") + bytes([4]) +
            node("p1") + prop("reg", struct.pack(">I", 1)) +
            prop("portbridge,tty", b"ttyS4\0") + end +
            node("p2") + prop("reg", struct.pack(">I", 2)) +
            prop("portbridge,tty", b"ttyS5\0") +
            prop("portbridge,interfaces", b"rs232\0rs485-2w\0") + end)
    write("portmap", "program-tty", prog)
    prog = (node("soc") + node("serial@1000") +
            prop("phandle", struct.pack(">I", 0x10)) + end + end +
            node("port-map") + bytes([4]) +
            prop("portbridge,num-ports", struct.pack(">I", 1)) +
            node("p1") + prop("reg", struct.pack(">I", 1)) +
            prop("uart", struct.pack(">I", 0x10)) + end)
    write("portmap", "program-uart", prog)


def main():
    conf_seeds()
    ctl_seeds()
    nlattr_seeds()
    portmap_programs()
    if len(sys.argv) > 1:
        portmap_seeds(sys.argv[1])


if __name__ == "__main__":
    main()
