"""Decommission (Documentation/firmware.md, "Decommission"): after a
factory reset the board's disk holds none of its secrets.

The board is given secrets of every kind (an account's password hash, the
admin's, the SSH host keys and the web console's TLS key in /data/keys, a
RADIUS secret in the configuration, an event log line), the test checks
that a scan of the raw disk image on the host finds each of them, then
resets the board with `pbctl factory-reset --yes` and scans the disk image
again: none may be left, in any block, used or free.
"""
import base64
import os
import re
import secrets
import time

import pytest

ACCOUNT = "decomuser"


def disk(board):
    with open(board.board.path("disk.img"), "rb") as f:
        return f.read()


def guest_file(board, path):
    out = board.agent.out("base64 %s" % path)
    return base64.b64decode("".join(out.split()))


@pytest.fixture(scope="module")
def planted(board):
    """Every secret on the board, as bytes to look for on the disk."""
    found = {}
    pw = "Dc-" + secrets.token_hex(8)
    p = board.ssh("pbctl account add %s users must-change no" % ACCOUNT,
                  input=pw + "\n" + pw + "\n", check=False)
    assert p.returncode == 0, p.stderr
    radius = "rs" + secrets.token_hex(12)
    board.pbctl("config set radius server 10.0.2.2 secret %s" % radius)
    found["radius secret"] = radius.encode()
    marker = "decommission-marker-" + secrets.token_hex(8)
    board.agent.out("logger '%s'" % marker)
    deadline = time.monotonic() + 60
    while marker not in board.agent.out("pbctl log show system"):
        assert time.monotonic() < deadline, "the log line was not recorded"
        time.sleep(0.2)
    found["event log line"] = marker.encode()
    shadow = guest_file(board, "/data/etc/shadow").decode()
    for name in ("admin", ACCOUNT):
        line = [l for l in shadow.splitlines() if l.startswith(name + ":")]
        assert line, shadow
        found["%s password hash" % name] = line[0].split(":")[1].encode()
    keys = board.agent.out("ls /data/keys").split()
    assert any(k.startswith("dropbear_") for k in keys), keys
    assert len(keys) >= 3, "expected SSH host keys and a TLS key: %s" % keys
    for k in keys:
        found["/data/keys/" + k] = guest_file(board, "/data/keys/" + k)
    board.agent.out("sync")
    return found


def test_the_scan_finds_every_secret_before_the_reset(board, planted):
    """The scan can fail: before the reset each secret is on the disk."""
    image = disk(board)
    missing = [name for name, data in planted.items() if data not in image]
    assert not missing, "not found on the disk before the reset: %s" % missing


def test_factory_reset_leaves_no_secret_on_the_disk(board, planted):
    p = board.pbctl("factory-reset --yes", check=False)
    assert p.returncode == 0, p.stderr
    deadline = time.monotonic() + 300
    while board.board.running():
        assert time.monotonic() < deadline, "the board did not reset"
        time.sleep(0.2)
    assert "factory reset done" in board.board.console_text()
    board.agent.close()
    board.agent = None
    board.close_ssh()
    image = disk(board)
    left = [name for name, data in planted.items() if data in image]
    assert not left, "still on the disk after the reset: %s" % left
    # nor anything that looks like a key or a password hash
    assert b"PRIVATE KEY" not in image
    assert not re.search(rb"\$(y|6|5|2b|gy)\$[./A-Za-z0-9]{4,}", image)


def test_the_board_comes_back_factory_fresh(board, planted):
    board.start()
    out = board.agent.out("cat /etc/passwd; ls /data/keys")
    assert ACCOUNT not in out
    cfg = board.pbctl("config get radius secret", check=False)
    assert planted["radius secret"].decode() not in cfg.stdout
    assert "decommission-marker" not in board.agent.out(
        "pbctl log show system")
