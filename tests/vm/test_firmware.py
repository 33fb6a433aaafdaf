"""Firmware upgrades (Documentation/firmware.md): signed .pbfw images,
refusals, A/B slots started by the boot stage (kexec), rollback.

The images are made on the host with pbfwtool from this build's kernel and
test initramfs, served by a small HTTP server on the host's loopback and
fetched by the board with wget (10.0.2.2 is the host under QEMU's user
network).  Upgrades go through `pbctl firmware upgrade` in the admin's SSH
session.  The tests run in order: a good upgrade boots, a broken one rolls
back to it.
"""
import functools
import http.server
import os
import re
import shutil
import struct
import subprocess
import threading
import time

import pytest

from pbtest import TOP
import board as board_mod

FW_FILE_MAX = 128 + (16 << 20) + (32 << 20) + 64 + 8 + 72


def build_dir():
    return os.environ.get("PB_BUILD_DIR") or os.path.join(TOP, "build")


def pbfwtool(*args):
    tool = os.path.join(build_dir(), "userspace", "host", "pbfwtool")
    return subprocess.run([tool] + list(args), check=True,
                          capture_output=True, text=True)


def boot_version():
    path = os.path.join(build_dir(), "image", "root", "etc", "portbridge",
                        "firmware")
    with open(path) as f:
        return re.search(r"^version=(\S+)$", f.read(), re.M).group(1)


def bump(version, minor):
    major, _, _ = (int(x) for x in version.split("."))
    return "%d.%d.0" % (major + 1, minor)


def mkcpio_overlay(tmp, files):
    """A gzip'd cpio archive holding `files` {path: (mode, text)}."""
    stage = os.path.join(tmp, "broken-root")
    shutil.rmtree(stage, ignore_errors=True)
    for path, (mode, text) in files.items():
        p = os.path.join(stage, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
    out = os.path.join(tmp, "broken-overlay.cpio")
    subprocess.run([os.path.join(TOP, "scripts", "mkcpio.py"),
                    "--no-devices", stage, out], check=True)
    subprocess.run(["gzip", "-f", out], check=True)
    return out + ".gz"


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    """Every image the tests offer the board, by name, in a served dir."""
    tmp = str(tmp_path_factory.mktemp("fw"))
    img = os.path.join(build_dir(), "image")
    key = os.path.join(TOP, "keys", "dev-firmware.key")
    kernel = os.path.join(img, "vmlinuz")
    initrd = os.path.join(img, "initramfs-test.cpio.gz")
    cur = boot_version()
    good_v = bump(cur, 2)
    names = {}

    def make(name, version, key=key, initrd=initrd):
        out = os.path.join(tmp, name + ".pbfw")
        pbfwtool("make", "-k", key, "-V", version, "-b", "test-" + name,
                 "-o", out, kernel, initrd)
        names[name] = out
        return out

    good = make("good", good_v)
    with open(good, "rb") as f:
        data = f.read()
    ksize, isize = struct.unpack_from("<QQ", data, 40)
    digest_off = 128 + ksize + isize
    sig_len = struct.unpack_from("<I", data, digest_off + 64 + 4)[0]
    assert len(data) == digest_off + 64 + 8 + sig_len

    def write(name, content):
        p = os.path.join(tmp, name + ".pbfw")
        with open(p, "wb") as f:
            f.write(content)
        names[name] = p

    # one bit of the kernel flipped after signing
    corrupt = bytearray(data)
    corrupt[128 + ksize // 2] ^= 0x01
    write("digest", bytes(corrupt))
    # signed by another key than the board trusts
    other = os.path.join(tmp, "other.key")
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey",
                    "-noout", "-out", other], check=True,
                   capture_output=True)
    make("badsig", good_v, key=other)
    write("nosig", data[:digest_off + 64])
    write("truncated", data[:len(data) // 2])
    write("trailing", data + b"\0")
    make("downgrade", "0.0.1")
    # a correctly signed image that never comes up: its rcS powers off
    broken_overlay = mkcpio_overlay(tmp, {
        "etc/init.d/rcS": (0o755, "#!/bin/sh\n"
                           "echo 'portbridge: broken test firmware, "
                           "powering off'\n"
                           "poweroff -f\n")})
    broken_initrd = os.path.join(tmp, "broken.cpio.gz")
    with open(broken_initrd, "wb") as out:
        for part in (initrd, broken_overlay):
            with open(part, "rb") as f:
                out.write(f.read())
    make("broken", bump(cur, 3), initrd=broken_initrd)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=tmp))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield {"port": srv.server_address[1], "good_version": good_v,
           "broken_version": bump(cur, 3), "boot_version": cur,
           "names": names, "size": len(data)}
    srv.shutdown()


def fetch(board, images, name, dest=None):
    """Put image `name` on the board in /tmp (readable by the admin)."""
    dest = dest or "/tmp/%s.pbfw" % name
    board.agent.out("wget -q -O %s http://10.0.2.2:%d/%s.pbfw && chmod 644 %s"
                    % (dest, images["port"], name, dest), timeout=300)
    return dest


def upgrade(board, path, force=False):
    return board.pbctl("firmware upgrade %s%s"
                       % (path, " --force" if force else ""), check=False)


def state(board):
    out = board.agent.out("cat /data/firmware/state 2>/dev/null || true")
    return dict(l.split("=", 1) for l in out.splitlines() if "=" in l)


def show(board):
    out = board.pbctl("system show").stdout
    rows = {}
    for l in out.splitlines():
        parts = l.split()
        rows[parts[0]] = parts[1:]
    return rows, out


def events(board):
    return board.pbctl("log show system").stdout


def wait_event(board, pattern, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        text = events(board)
        if re.search(pattern, text):
            return text
        assert time.monotonic() < deadline, \
            "no event matching %r in:\n%s" % (pattern, text)
        time.sleep(0.3)


def test_show_prints_the_running_version(board, images):
    rows, out = show(board)
    assert rows["running"][0] == images["boot_version"], out
    assert rows["running"][1] == "built", out
    assert re.match(r"\d{4}-\d\d-\d\d", rows["running"][2]), out
    assert out.splitlines()[0].endswith("slot boot"), out
    assert rows["slot-a"] == ["empty"] and rows["slot-b"] == ["empty"], out
    assert rows["next-boot"] == ["boot"], out
    # the same through `pbctl firmware show`
    assert board.pbctl("firmware show").stdout == out
    # pbfwupd does not run as root
    status = board.agent.out("cat /proc/$(pidof pbfwupd)/status")
    assert re.search(r"^Uid:\s+96\s+96\s+96\s+96$", status, re.M), status
    assert re.search(r"^CapEff:\s+0+$", status, re.M), status


@pytest.mark.parametrize("name,message", [
    ("digest", "wrong digest"),
    ("badsig", "bad signature"),
    ("nosig", "missing signature"),
    ("truncated", "truncated file"),
    ("trailing", "oversized file: data after the signature"),
    ("downgrade", r"downgrade from [\d.]+ to 0\.0\.1 .*--force"),
])
def test_refused(board, images, name, message):
    path = fetch(board, images, name)
    p = upgrade(board, path)
    assert p.returncode != 0, p.stdout
    assert re.search(message, p.stderr), p.stderr
    assert not state(board).get("trial"), "a refused image is on trial"
    rows, out = show(board)
    assert rows["slot-a"] == ["empty"] and rows["slot-b"] == ["empty"], out
    wait_event(board, r"firmware upgrade refused for admin \(uid \d+\) "
               r"from [\d.]+:\d+ \(ssh\): %s" % message)
    board.agent.out("rm -f " + path)


def test_oversized_file_is_refused_before_reading(board, images):
    # bigger than any valid image: refused by its size alone
    path = fetch(board, images, "good", "/tmp/big.pbfw")
    board.agent.out("head -c %d /dev/zero >>/tmp/big.pbfw && ls -l /tmp/big.pbfw"
                    % (FW_FILE_MAX - images["size"] + 1))
    p = upgrade(board, path)
    assert p.returncode != 0 and "oversized file" in p.stderr, p.stderr
    board.agent.out("rm -f " + path)
    assert not state(board).get("trial")


def test_only_admins_upgrade(board, images):
    # a passwd entry of the users group (1001) for this test only
    board.agent.out("grep -q '^fwuser:' /etc/passwd || "
                    "echo 'fwuser:x:1006:1001:t:/:/bin/sh' >> /etc/passwd")
    try:
        path = fetch(board, images, "good")
        status, out = board.agent.run(
            "su -s /bin/sh fwuser -c 'pbctl firmware upgrade %s' 2>&1"
            % path, check=False)
        assert status != 0 and "only admins" in out, out
        assert not state(board).get("trial")
        wait_event(board, r"firmware upgrade refused for fwuser \(uid 1006\)"
                   r" from -: not an admin")
        # reading is for everyone
        out = board.agent.out("su -s /bin/sh fwuser -c 'pbctl system show'")
        assert out.startswith("running ")
    finally:
        board.agent.out("grep -v '^fwuser:' /etc/passwd > /tmp/passwd.new && "
                        "cat /tmp/passwd.new > /etc/passwd")


def test_good_upgrade_runs_after_reboot(board, images):
    path = fetch(board, images, "good")
    p = upgrade(board, path)
    assert p.returncode == 0, p.stderr
    assert "written to slot a" in p.stdout, p.stdout
    st = state(board)
    assert st == {"active": "", "trial": "a", "tries": "0"}, st
    rows, out = show(board)
    assert rows["slot-a"][0] == images["good_version"], out
    assert "trial" in out.splitlines()[2] and rows["next-boot"] == ["a"]
    wait_event(board, r"firmware upgrade to %s \(build test-good\) by admin "
               r"\(uid \d+\) from [\d.]+:\d+ \(ssh\): accepted, written to "
               r"slot a" % re.escape(images["good_version"]))

    board.reboot()
    rows, out = show(board)
    assert rows["running"][0] == images["good_version"], out
    assert out.splitlines()[0].endswith("slot a"), out
    assert "pb.slot=a" in board.agent.out("cat /proc/cmdline")
    # it came up, so it is the active firmware now
    assert state(board) == {"active": "a", "trial": "", "tries": "0"}
    assert "active" in [l for l in out.splitlines()
                        if l.startswith("slot-a")][0]
    text = wait_event(board, r"firmware %s \(build test-good\) running from "
                      r"slot a" % re.escape(images["good_version"]))
    # the upgrade event survived the switch
    assert "accepted, written to slot a" in text


def test_downgrade_accepted_when_forced(board, images):
    path = fetch(board, images, "downgrade")
    p = upgrade(board, path)
    assert p.returncode != 0 and "downgrade" in p.stderr, p.stderr
    p = upgrade(board, path, force=True)
    assert p.returncode == 0, p.stderr
    assert "written to slot b" in p.stdout
    assert state(board) == {"active": "a", "trial": "b", "tries": "0"}
    wait_event(board, r"firmware upgrade to 0\.0\.1 \(build test-downgrade\) "
               r"forced by admin")


def test_broken_image_rolls_back(board, images):
    # replaces the forced downgrade in slot b (the inactive slot)
    path = fetch(board, images, "broken")
    p = upgrade(board, path)
    assert p.returncode == 0, p.stderr
    assert "written to slot b" in p.stdout
    assert state(board) == {"active": "a", "trial": "b", "tries": "0"}
    board.stop()
    # each power-on tries slot b, which powers off before it is good
    for attempt in (1, 2):
        with pytest.raises(board_mod.BoardError, match="stopped while"):
            board.board.start()
        console = board.board.console_text()
        assert "starting slot b (%s)" % images["broken_version"] in console
        assert "broken test firmware" in console
    # the third power-on gives up on slot b and starts slot a again
    board.start()
    console = board.board.console_text()
    assert "slot b failed to come up 2 times, going back to a" in console
    rows, out = show(board)
    assert rows["running"][0] == images["good_version"], out
    assert out.splitlines()[0].endswith("slot a"), out
    assert state(board) == {"active": "a", "trial": "", "tries": "0"}
    wait_event(board, r"firmware rollback: slot b failed to come up 2 "
               r"times; back to a")


def test_a_slot_changed_on_disk_is_not_started(board, images):
    """The boot stage verifies the slot's signed image again: bytes
    changed on the disk behind pbfwupd's back are not booted."""
    size = int(board.agent.out("stat -c %s /data/firmware/a/image.pbfw"))
    board.agent.out("printf X | dd of=/data/firmware/a/image.pbfw bs=1 "
                    "seek=%d conv=notrunc 2>/dev/null && sync" % (size // 2))
    board.reboot()
    console = board.board.console_text()
    assert "slot a does not verify: not started" in console
    assert "wrong digest" in console
    rows, out = show(board)
    assert rows["running"][0] == images["boot_version"], out
    assert out.splitlines()[0].endswith("slot boot"), out
