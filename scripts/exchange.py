#!/usr/bin/python3
"""Play both ends of a running board's serial port N in TCP server mode:
a TCP client on 127.0.0.1:(PORT_BASE+4000+N) and the device on
RUN_DIR/serialN.sock, sending BYTES each way at the same time.  Checks
that both sides got exactly what the other sent and prints the time.

    scripts/exchange.py [-n PORT] [-b BYTES]     (defaults: 1, 1 MiB)

Uses the same environment as board.py (PB_RUN_DIR, PB_PORT_BASE).
"""
import argparse
import hashlib
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "tests", "vm"))

from pbtest import pattern, recv_exactly, send_all  # noqa: E402
import board as board_mod  # noqa: E402
import socket  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--port", type=int, default=1)
    ap.add_argument("-b", "--bytes", type=int, default=1 << 20)
    args = ap.parse_args()
    b = board_mod.Board()
    if not b.running():
        sys.exit("exchange: the board is not running (make start)")
    dev = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dev.connect(b.serial_path(args.port))
    cli = socket.create_connection(("127.0.0.1",
                                    b.host_port(4000 + args.port)))
    time.sleep(1)   # let the board accept before data flows
    to_dev, to_cli = pattern(args.bytes, 11), pattern(args.bytes, 12)
    got = {}

    def recv(sock, key):
        got[key] = recv_exactly(sock, args.bytes, 30)

    threads = [threading.Thread(target=send_all, args=(cli, to_dev)),
               threading.Thread(target=send_all, args=(dev, to_cli)),
               threading.Thread(target=recv, args=(dev, "dev")),
               threading.Thread(target=recv, args=(cli, "cli"))]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - start
    ok = got["dev"] == to_dev and got["cli"] == to_cli
    for name, sent, recvd in (("client -> device", to_dev, got["dev"]),
                              ("device -> client", to_cli, got["cli"])):
        print("%s: sent %d, received %d, sha256 %s" % (
            name, len(sent), len(recvd),
            "match" if sent == recvd else "MISMATCH (%s)"
            % hashlib.sha256(recvd).hexdigest()[:16]))
    print("%d bytes each way in %.1f s (%.1f kB/s each way)"
          % (args.bytes, took, args.bytes / took / 1000))
    cli.close()
    dev.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
