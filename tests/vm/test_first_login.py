"""The first boot's random admin password must be changed at the first
login: a fresh board (booted without the harness's own first login) runs
no command for admin, over SSH nor on the serial console, until the
password is changed; the change is logged and the old password is dead.
"""
import os
import subprocess

import pytest

from pbtest import SSH_OPTS, new_password
import pbtest
from test_accounts import Console, wait_log

REFUSED = 5     # sshpass: the password was refused


@pytest.fixture(scope="module")
def board(request):
    b = pbtest.TestBoard("test_first_login")
    b.start(factory=True, first_login=False)
    yield b
    b.stop()


def ssh_once(board, password, command):
    """One fresh SSH login without a terminal (no shared connection)."""
    return subprocess.run(
        ["sshpass", "-e", "ssh", "-p", str(board.port(22))] + SSH_OPTS
        + ["-o", "ControlPath=none", "admin@127.0.0.1", command],
        env=dict(os.environ, SSHPASS=password), capture_output=True,
        text=True, timeout=120)


def test_first_boot_marks_admin_must_change(board):
    admin = board.first_boot_shadow
    assert admin.split(":")[2] == "0", admin    # shadow(5): change it
    out = board.agent.out("pbctl account list")
    assert any(l.split()[:1] == ["admin"] and "must-change" in l
               for l in out.splitlines()), out


def test_ssh_runs_no_command_before_the_change(board):
    p = ssh_once(board, board.initial_password(), "pbctl whoami; id")
    assert p.returncode != 0
    assert "must be changed" in p.stderr, p.stderr
    assert "admins" not in p.stdout, p.stdout


def test_serial_console_runs_no_command_before_the_change(board):
    con = Console(board)
    try:
        con.login("admin", board.initial_password())
        con.expect(r"must be changed now")
        # whatever is typed is taken as the current password, never run
        for _ in range(3):
            con.expect(r"Current password: ")
            con.send("pbctl whoami\r")
            con.expect(r"New password: ")
            con.send("Not-run-123\r")
            con.expect(r"Retype new password: ")
            con.send("Not-run-123\r")
        # pb-shell gives up: back at the login prompt, no shell ran
        con.expect(r"login: ")
    finally:
        con.close()
    wait_log(board, r"password check failed for admin via passwd")
    # the console log holds every byte of ttyS0: no command ran
    assert "group admins" not in board.board.console_text()


def test_serial_console_change_then_every_console_works(board):
    old, new = board.initial_password(), new_password()
    con = Console(board)
    try:
        con.login("admin", old)
        con.expect(r"must be changed now \(first login\)")
        con.expect(r"Current password: ")
        con.send(old + "\r")
        con.expect(r"New password: ")
        con.send(new + "\r")
        con.expect(r"Retype new password: ")
        con.send(new + "\r")
        con.expect(r"Password changed\.")
        con.expect(r"\$ ")
        con.send("pbctl whoami\r")
        con.expect(r"password ok")
        con.send("exit\r")
        con.expect(r"login: ")
    finally:
        con.close()
    wait_log(board, r"account: admin changed their password")
    p = ssh_once(board, new, "pbctl whoami")
    assert p.returncode == 0, p.stderr
    assert "group admins" in p.stdout and "password ok" in p.stdout
    assert ssh_once(board, old, "true").returncode == REFUSED
    shadow = board.agent.out("cat /data/etc/shadow")
    admin = next(l for l in shadow.splitlines() if l.startswith("admin:"))
    assert admin.split(":")[2] not in ("", "0"), admin
    assert old not in shadow and new not in shadow


def test_harness_first_login_over_ssh(board):
    """What TestBoard.start() does for every other suite: the forced
    change over an SSH terminal (here after an admin set a password)."""
    board.agent.run("printf 'Set-by-root-9x\\n' | "
                    "pbctl account edit admin password - must-change yes")
    assert ssh_once(board, "Set-by-root-9x", "true").returncode != 0
    new = new_password()
    board.first_login("Set-by-root-9x", new)
    assert board.password() == new
    assert ssh_once(board, new, "pbctl whoami").returncode == 0
