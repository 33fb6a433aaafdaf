#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Regenerate the seed corpora of the protocol codec fuzzers
(corpus/{telnet,rfc2217,realcom,packing}/), run from anywhere.

The seeds are committed; this script documents how they were made.  They
are what real clients send (pyserial 3.5 and gensio 2.6 over RFC 2217,
Moxa's npreal2 over Real COM, as in realcom-protocol.md) plus malformed
and truncated variants.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
NOP, BRK, AYT = 241, 243, 246
BINARY, ECHO, SGA, COM_PORT = 0, 1, 3, 44


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes(data))


def opt(verb, option):
    return bytes([IAC, verb, option])


def sb(value, option=COM_PORT):
    esc = bytes(value).replace(b"\xff", b"\xff\xff")
    return bytes([IAC, SB, option]) + esc + bytes([IAC, SE])


def pyserial_open(baud=9600):
    """What pyserial's rfc2217 Serial.open() sends, in order."""
    return (opt(DO, ECHO) + opt(WILL, SGA) + opt(DO, SGA) +
            opt(WILL, COM_PORT) + opt(DO, COM_PORT) +
            opt(DO, BINARY) + opt(WILL, BINARY) +
            sb(b"\x01" + struct.pack(">I", baud)) + sb(b"\x02\x08") +
            sb(b"\x03\x01") + sb(b"\x04\x01") + sb(b"\x05\x01") +
            sb(b"\x05\x08") + sb(b"\x05\x0b") + sb(b"\x0c\x01") +
            sb(b"\x0c\x02"))


def gensio_open():
    """gensio's telnet(rfc2217) client: WILL COM-PORT, then settings."""
    return (opt(WILL, COM_PORT) + opt(DO, BINARY) + opt(WILL, BINARY) +
            opt(DONT, SGA) + sb(b"\x00") + sb(b"\x01" +
                                          struct.pack(">I", 115200)) +
            sb(b"\x02\x07") + sb(b"\x03\x03") + sb(b"\x04\x02") +
            sb(b"\x05\x03") + sb(b"\x05\x0f") + sb(b"\x0b\xff") +
            sb(b"\x0a\x00") + sb(b"\x08") + sb(b"\x09") + sb(b"\x0c\x03"))


def telnet_seeds():
    write("telnet", "pyserial-open", b"\x80" + pyserial_open() +
          b"hello\xff\xffworld")
    write("telnet", "gensio-open", b"\x03" + gensio_open() + b"data")
    write("telnet", "data-iac", b"\x01" + b"\xff\xff" * 8 + b"a\xff\xffb")
    write("telnet", "commands", b"\x85" + bytes([IAC, NOP, IAC, BRK, IAC,
                                                 AYT, IAC, 0xf2, IAC, 0xf9]))
    write("telnet", "sb-overflow", b"\x07" + bytes([IAC, SB, COM_PORT]) +
          bytes(range(100)) + bytes([IAC, SE]) + b"after")
    write("telnet", "sb-bad-iac", b"\x02" + bytes([IAC, SB, COM_PORT, 5,
                                                   IAC, 1, 8, IAC, SE]) + b"z")
    write("telnet", "stray", b"\x81" + bytes([IAC, SE, IAC, 0x10, IAC, SB,
                                              IAC, SE]) + b"x")
    write("telnet", "truncated", b"\x04" + bytes([IAC, SB, COM_PORT, 1, 0,
                                                  0, IAC]))
    write("telnet", "refuse-all", b"\x9f" + opt(WONT, BINARY) +
          opt(DONT, BINARY) + opt(DONT, SGA) + opt(WILL, 24) + opt(DO, 31) +
          opt(WONT, 24))
    write("telnet", "baud-iac", b"\x06" + sb(b"\x01\x00\x00\xff\xff"))


def rfc2217_seeds():
    values = {
        "sig-query": b"\x00", "sig-text": b"\x00pyserial",
        "baud-9600": b"\x01\x00\x00\x25\x80", "baud-query": b"\x01" + bytes(4),
        "baud-cisco": b"\x01\x08", "baud-iac": b"\x01\x00\x01\xff\xff",
        "datasize": b"\x02\x08", "datasize-bad": b"\x02\x04",
        "parity": b"\x03\x05", "stopsize": b"\x04\x03",
        "control-dtr": b"\x05\x08", "control-bad": b"\x05\x14",
        "poll-line": b"\x06", "poll-modem": b"\x07\x00",
        "suspend": b"\x08", "resume": b"\x09", "line-mask": b"\x0a\xff",
        "modem-mask": b"\x0b\x30", "purge": b"\x0c\x03",
        "purge-bad": b"\x0c\x00", "unknown": b"\x0d\x01",
        "server-code": b"\x65\x00\x00\x25\x80", "short": b"\x01\x00\x25",
    }
    for name, v in values.items():
        write("rfc2217", name, v)
    write("rfc2217", "stream-pyserial", pyserial_open(115200))
    write("rfc2217", "stream-gensio", gensio_open())


def realcom_seeds():
    first_open = bytes.fromhex("2c08060301010000 0100")
    xonxoff = bytes.fromhex("18021113")
    fifo = bytes.fromhex("300110")
    stty = bytes.fromhex("2c08070e01010000 0100")
    burst = (first_open + bytes.fromhex("170400c20100") + xonxoff + fifo +
             bytes.fromhex("12020101"))
    close = (bytes.fromhex("2f0400000000") * 3 + bytes.fromhex("140102"))
    write("realcom", "first-open", b"\x00" + first_open + xonxoff + fifo)
    write("realcom", "stty", b"\x05" + stty + xonxoff)
    write("realcom", "reconnect-burst", b"\x1f" + burst)
    write("realcom", "close", b"\x02" + close)
    write("realcom", "ipv6-echo", b"\x83" + bytes(range(0x40, 0x50)) + burst)
    others = bytes.fromhex(
        "10020a03 110401010000 1300 1500 1600 2100 2200 3300 3400 240100"
        " 2500 2b03010203 280107")
    write("realcom", "all-ops", b"\x01" + others)
    write("realcom", "unknown", b"\x03" + bytes.fromhex("20020011 2e0100") +
          fifo)
    write("realcom", "overlong", b"\x07" + bytes([0x2c, 0xff]) +
          bytes(range(255)) + fifo)
    write("realcom", "bad-values", b"\x04" + bytes.fromhex(
        "2c081338010100000000 100400000000 140103 170400000000 100100"))
    write("realcom", "truncated", b"\x08" + first_open[:7])


def pack_cfg(length=0, d1=None, d2=None, process=0, force=0, cap=1024,
             now=0):
    flags = (1 if d1 is not None else 0) | (2 if d2 is not None else 0)
    return (struct.pack("<HBBBB", length, flags, d1 or 0, d2 or 0, process) +
            bytes([force | 1 if force else 0]) +
            struct.pack("<H", cap - 1) + bytes([now]))


def chunk(data):
    return bytes([0x20 + len(data) - 1]) + data


def packing_seeds():
    text = chunk(b"line one\r\n") + chunk(b"two\r") + chunk(b"\nthree") + \
        b"\x1f\x1f" + chunk(b"\r\n")
    write("packing", "off", pack_cfg() + text)
    write("packing", "length-4", pack_cfg(length=4) + text + b"\x10")
    write("packing", "cr-nothing", pack_cfg(d1=13) + text)
    write("packing", "crlf-strip", pack_cfg(d1=13, d2=10, process=3) + text)
    write("packing", "cr-plus1", pack_cfg(d1=13, process=1) + text)
    write("packing", "cr-plus2", pack_cfg(d1=13, process=2, length=7) + text)
    write("packing", "force", pack_cfg(force=41) + text + b"\x06\x06")
    write("packing", "full", pack_cfg(d1=0, cap=5) + text)
    write("packing", "invalid", pack_cfg(length=1050, d1=13) + text)


def main():
    telnet_seeds()
    rfc2217_seeds()
    realcom_seeds()
    packing_seeds()


if __name__ == "__main__":
    main()
