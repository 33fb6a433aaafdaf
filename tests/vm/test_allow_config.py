"""The accessible IP list as an administrator uses it: `pbctl allow` over
SSH, persisted by pbconfd, enforced by portbridge_allow.ko.

The board sees every client of the forwarded ports (SSH, the data ports)
coming from QEMU's user-network gateway, 10.0.2.2: that is the address of
the test's SSH session, and the lockout guard protects it.  The kernel
module's own behaviour (namespaces, IPv6, floods) is test_allowlist.py's.
"""
import json
import socket
import time

import pytest

ALLOW_SYS = "/sys/kernel/portbridge_allow"


def sysfs(board, path):
    return board.agent.out("cat %s/%s" % (ALLOW_SYS, path)).strip()


def sysfs_exists(board, path):
    return board.agent.run("test -e %s/%s" % (ALLOW_SYS, path),
                           check=False)[0] == 0


def wait_for(pred, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.3)
    raise AssertionError("timed out waiting for " + what)


def banner(board, timeout):
    """The SSH server's first line, or b"" if none came within timeout
    (the board dropped our SYN: QEMU accepted on the host side, then gave
    up reaching the guest)."""
    s = socket.create_connection(("127.0.0.1", board.port(22)), timeout=10)
    s.settimeout(timeout)
    try:
        return s.recv(64)
    except (socket.timeout, ConnectionResetError):
        return b""
    finally:
        s.close()


def reaches_serial(board, port, payload, timeout):
    """Send payload to data port `port` (4000 + N) and see whether serial
    port N's device receives it."""
    dev = board.serial(port - 4000, timeout=timeout)
    try:
        c = board.connect(port)
        try:
            c.sendall(payload)
            got = b""
            deadline = time.monotonic() + timeout
            while len(got) < len(payload) and time.monotonic() < deadline:
                try:
                    chunk = dev.recv(4096)
                except socket.timeout:
                    break
                if not chunk:
                    break
                got += chunk
            return got == payload
        finally:
            c.close()
    finally:
        dev.close()


def show(board):
    return json.loads(board.pbctl("allow show --json").stdout)


def agent_pbctl(board, args):
    """pbctl as root on the board, as on the serial console: no SSH
    session, so no guard."""
    return board.agent.out("pbctl %s 2>&1; echo rc=$?" % args)


def test_default_off(board):
    st = show(board)
    assert st["enabled"] is False and st["kernel"] == "off"
    assert st["global"] == []
    assert sysfs(board, "enabled") == "0"
    # protected already, so switching on needs no further push
    assert sysfs(board, "ports/tcp_22/protected") == "1"
    assert sysfs(board, "ports/tcp_4001/protected") == "1"
    out = board.pbctl("allow show").stdout
    assert "accessible IP list: off" in out and "(empty)" in out


def test_switching_on_empty_is_refused(board):
    p = board.pbctl("allow on", check=False)
    assert p.returncode != 0
    assert "lock out your address 10.0.2.2" in p.stderr
    assert "--force" in p.stderr
    assert sysfs(board, "enabled") == "0"
    assert show(board)["enabled"] is False


def test_bad_entries_are_refused(board):
    cases = [
        ("10.0.2.5/255.255.255.0", "write 10.0.2.0/255.255.255.0"),
        ("10.0.2.0/255.0.255.0", "not contiguous"),
        ("10.0.2", "not an IPv4 address"),
        ("fd50::1/129", "out of range"),
    ]
    for entry, why in cases:
        p = board.pbctl("allow add " + entry, check=False)
        assert p.returncode != 0, entry
        assert why in p.stderr, (entry, p.stderr)
    assert show(board)["global"] == []


def test_add_then_on(board):
    p = board.pbctl("allow add 10.0.2.0/255.255.255.0")
    assert "entry 1 added" in p.stdout
    p = board.pbctl("allow add 10.0.2.0/24", check=False)
    assert p.returncode != 0 and "already entry 1" in p.stderr
    board.pbctl("allow add fd50:3::/112 off")
    board.pbctl("allow on")
    assert sysfs(board, "enabled") == "1"
    entries = sysfs(board, "entries").splitlines()
    assert entries[0].startswith("1 10.0.2.0/255.255.255.0 on")
    assert entries[1].startswith("2 fd50:3::/112 off")
    st = show(board)
    assert st["enabled"] is True and st["kernel"] == "on"
    assert [e["address"] for e in st["global"]] == [
        "10.0.2.0/255.255.255.0", "fd50:3::/112"]
    # we are still in: a new SSH connection and a data port
    assert banner(board, 30).startswith(b"SSH-2.0")
    assert reaches_serial(board, 4001, b"allowed-through-4001\n", 30)
    assert show(board)["global"][0]["hits"] > 0


def test_change_that_locks_out_is_refused(board):
    for args in ("allow disable 1", "allow delete 1"):
        p = board.pbctl(args, check=False)
        assert p.returncode != 0, args
        assert "lock out your address 10.0.2.2" in p.stderr
    assert show(board)["global"][0]["enabled"] is True


def test_port_list_and_forced_lockout(board):
    """Port 1's own list lets 10.0.2.2 reach port 1 only; once the global
    entry is disabled (--force), SSH and port 2 drop it, until root puts
    the entry back from the board's own console."""
    board.pbctl("allow add --port 1 10.0.2.2")
    # the session that forces it is cut off too: do not wait for it
    p = board.ssh_popen("pbctl allow disable 1 --force")
    try:
        wait_for(lambda: sysfs(board, "entries").startswith(
            "1 10.0.2.0/255.255.255.0 off"), what="the entry disabled")
    finally:
        p.kill()
        p.wait()
        board.close_ssh()
    drops = int(sysfs(board, "ports/tcp_22/drops"))
    assert banner(board, 8) == b""
    wait_for(lambda: int(sysfs(board, "ports/tcp_22/drops")) > drops,
             what="the SYN to tcp/22 counted as a drop")
    assert reaches_serial(board, 4001, b"port-1-list\n", 30)
    assert not reaches_serial(board, 4002, b"port-2-denied\n", 8)
    assert int(sysfs(board, "ports/tcp_4002/drops")) > 0
    assert sysfs(board, "ports/tcp_4001/entries").startswith(
        "1 10.0.2.2/255.255.255.255 on")
    # the console has no address to guard: root recovers
    out = agent_pbctl(board, "allow enable 1")
    assert out.strip().endswith("rc=0"), out
    assert banner(board, 30).startswith(b"SSH-2.0")


def test_who_changed_it_is_logged(board):
    log = board.agent.out("cat /var/log/messages")
    assert "config: allow enabled 'off' -> 'on' by admin" in log
    assert "config: allow-port 1 entry1 'none' -> " \
        "'10.0.2.2/255.255.255.255 on' by admin" in log


def test_mode_change_moves_protection(board):
    board.pbctl("port set 2 mode udp")
    wait_for(lambda: sysfs_exists(board, "ports/udp_4002"),
             what="udp/4002 protected")
    assert sysfs(board, "ports/udp_4002/protected") == "1"
    assert not sysfs_exists(board, "ports/tcp_4002")
    board.pbctl("port set 2 mode tcp-server")
    wait_for(lambda: sysfs_exists(board, "ports/tcp_4002"),
             what="tcp/4002 protected again")
    assert not sysfs_exists(board, "ports/udp_4002")


def test_survives_reboot(board):
    board.reboot()
    assert sysfs(board, "enabled") == "1"
    assert sysfs(board, "entries").startswith("1 10.0.2.0/255.255.255.0 on")
    assert sysfs(board, "ports/tcp_4001/entries").startswith(
        "1 10.0.2.2/255.255.255.255 on")
    text = board.pbctl("config show").stdout
    assert "[allow]\nenabled = on\nentry1 = 10.0.2.0/255.255.255.0 on\n" \
        in text


def test_delete_and_off(board):
    board.pbctl("allow off")
    assert sysfs(board, "enabled") == "0"
    board.pbctl("allow delete 1")
    st = show(board)
    assert [e["address"] for e in st["global"]] == ["fd50:3::/112"]
    assert st["global"][0]["row"] == 1
    board.pbctl("allow delete --port 1 1")
    assert show(board)["ports"]["1"] == []
    p = board.pbctl("allow delete 5", check=False)
    assert p.returncode != 0 and "there is no entry 5" in p.stderr
