#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Regenerate the event log's seed corpora: corpus/logrec/ (ring files,
control requests) and corpus/syslog/ (/dev/log messages).  The record
layout is in userspace/lib/logrec.h."""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE, TEXT_OFF = 512, 76


def record(index, text, cat=3, sev=6, app=b"portbridge", pid=0, boot=1):
    body = struct.pack("<IIQQBBBBIHH", index, boot, 1764097612123456,
                       61230, cat, sev, 0, len(app), pid, len(text), 0)
    body += app.ljust(32, b"\0") + text.ljust(SIZE - TEXT_OFF, b"\0")
    return struct.pack("<II", 0x314c4250, zlib.crc32(body)) + body


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    ring = b"".join(record(i, b"connect port 1 peer 10.0.2.2:%d" % i)
                    for i in range(1, 6))
    write("logrec", "five", ring)
    write("logrec", "torn", ring[:3 * SIZE + 100])
    wrapped = bytearray(SIZE * 4)
    for i in (1001, 1002, 3, 4):
        slot = (i - 1) % 1000
        if slot < 4:
            wrapped[slot * SIZE:(slot + 1) * SIZE] = record(i, b"x")
    write("logrec", "wrapped", bytes(wrapped))
    write("logrec", "show", b"show opmode 0 100")
    write("logrec", "clear", b"clear from 10.0.2.2:40000")
    write("logrec", "tag", b"@network DHCP lease got")
    write("syslog", "glibc",
          b"<30>Nov 25 19:06:52 pbconfd[123]: config: port 1 baud 1 -> 2")
    write("syslog", "auth", b"<86>Nov  5 01:02:03 dropbear[9]: Exit (admin)")
    write("syslog", "bare", b"<13>root: hello\n")
    write("syslog", "nopri", b"just text")
    write("syslog", "ctl", b"<191>a\x01\nb[12]:\xff")


if __name__ == "__main__":
    main()
