"""Accounts end to end: groups, password policy and lifetime, the lockout
shared by SSH (dropbear with PAM -> pam_portbridge -> pb-auth), the
serial console (pb-login on ttyS0) and Telnet (BusyBox telnetd running
pb-login, while [console] telnet is on), and the log of every login.

One boot; every login is a real client: OpenSSH with sshpass, and the
board's console socket for the serial console.
"""
import os
import re
import select
import socket
import subprocess
import time

import pytest

USER = "oper"
USER_PW = "Oper-2024x"
GUEST = "visitor"
GUEST_PW = "Visit-2024x"
REFUSED = 5     # sshpass: the password was refused


def log(board):
    return board.agent.out("cat /var/log/messages")


def wait_log(board, pattern, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        text = log(board)
        m = re.search(pattern, text)
        if m:
            return m
        assert time.monotonic() < deadline, \
            "no log line matching %r:\n%s" % (pattern, text[-3000:])
        time.sleep(0.5)


def add_account(board, name, group, pw, extra=""):
    return board.ssh("pbctl account add %s %s %s" % (name, group, extra),
                     input=pw + "\n", check=False)


class Console:
    """The board's serial console (ttyS0) through QEMU's socket."""

    def __init__(self, board):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(board.board.path("console.sock"))
        self.buf = b""

    def send(self, text):
        self.sock.sendall(text.encode())

    def expect(self, pattern, timeout=60):
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern.encode())
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = deadline - time.monotonic()
            assert left > 0, "console: no %r in %r" % (pattern,
                                                      self.buf[-500:])
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                data = self.sock.recv(4096)
                assert data, "console socket closed"
                self.buf += data

    def login(self, name, pw):
        """Log in; the text after the password (the shell or a refusal)."""
        self.buf = b""
        self.send("\r")
        self.expect(r"login: ")
        self.send(name + "\r")
        self.expect(r"Password: ")
        self.send(pw + "\r")

    def close(self):
        self.sock.close()


class Telnet(Console):
    """A Telnet client on a plain socket: the board's tcp/23, with the
    server's option negotiation (IAC ...) read and ignored."""

    def __init__(self, board, timeout=30):
        self.sock = socket.create_connection(
            ("127.0.0.1", board.port(23)), timeout=timeout)
        self.buf = b""
        self.iac = b""      # an IAC sequence cut by a recv

    def _text(self, data):
        """Data without the Telnet commands (IAC x [y], IAC SB ... SE)."""
        out = bytearray()
        for b in data:
            if self.iac:
                self.iac += bytes([b])
                if self.iac == b"\xff\xff":
                    out.append(0xff)
                    self.iac = b""
                elif self.iac[1] == 0xfa:
                    if self.iac.endswith(b"\xff\xf0"):
                        self.iac = b""
                elif self.iac[1] in (0xfb, 0xfc, 0xfd, 0xfe):
                    if len(self.iac) == 3:
                        self.iac = b""
                else:
                    self.iac = b""
            elif b == 0xff:
                self.iac = b"\xff"
            else:
                out.append(b)
        return bytes(out)

    def expect(self, pattern, timeout=60):
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern.encode())
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = deadline - time.monotonic()
            assert left > 0, "telnet: no %r in %r" % (pattern,
                                                     self.buf[-500:])
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                data = self.sock.recv(4096)
                assert data, "telnet: closed; got %r" % self.buf[-500:]
                self.buf += self._text(data)

    def send(self, text):
        # a Telnet end of line is CR LF
        self.sock.sendall(text.replace("\r", "\r\n").encode())

    def login(self, name, pw):
        self.expect(r"login: ")
        self.send(name + "\r")
        self.expect(r"Password: ")
        self.send(pw + "\r")


def telnet_listening(board):
    return ":23 " in board.agent.out("netstat -ltn")


def wait_telnet(board, on, timeout=60):
    deadline = time.monotonic() + timeout
    while telnet_listening(board) != on:
        assert time.monotonic() < deadline, "telnet still %s" % (
            "off" if on else "on")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def accounts(board):
    """A user and a guest, added by the admin over SSH."""
    p = add_account(board, USER, "users", USER_PW,
                    "note 'Shift operator' must-change no")
    assert p.returncode == 0, p.stderr
    p = add_account(board, GUEST, "guests", GUEST_PW, "must-change no")
    assert p.returncode == 0, p.stderr
    return board


def test_admin_logs_in_over_ssh_through_the_accounts_library(board):
    out = board.ssh("pbctl whoami").stdout
    assert "name admin" in out and "group admins" in out
    wait_log(board, r"pb-auth\[\d+\]: login: admin \(admins\) from "
             r"10\.0\.2\.2 via ssh \(local\)")


def test_accounts_are_listed_with_group_and_note(accounts):
    out = accounts.ssh("pbctl account list").stdout
    assert re.search(r"^%s\s+users\s+\d+\s+ok\s+-\s+Shift operator$" % USER,
                     out, re.M), out
    assert re.search(r"^%s\s+guests\s" % GUEST, out, re.M), out
    js = accounts.ssh("pbctl account list --json").stdout
    assert '"name":"%s","group":"users"' % USER in js
    wait_log(accounts, r"account: %s added in group users by admin" % USER)


def test_hashes_are_slow_and_salted_never_clear(accounts):
    shadow = accounts.agent.out("cat /data/etc/shadow")
    line = [l for l in shadow.splitlines() if l.startswith(USER + ":")][0]
    assert line.split(":")[1].startswith("$y$"), line     # yescrypt
    assert USER_PW not in shadow
    assert USER_PW not in log(accounts)


@pytest.mark.parametrize("pw,problem", [
    ("Ab1-", "at least 8"),
    ("abcdefg1-", "upper"),
    ("Abcdefgh-", "digit"),
])
def test_password_policy_is_enforced(accounts, pw, problem):
    p = add_account(accounts, "weak", "users", pw)
    assert p.returncode == 1
    assert problem in p.stderr, p.stderr
    assert "weak" not in accounts.ssh("pbctl account list").stdout


def test_user_reads_settings_but_cannot_change_them(accounts):
    assert accounts.ssh_login(USER, USER_PW) == 0
    p = accounts.ssh("pbctl config get console retry-limit", user=USER,
                     password=USER_PW)
    assert p.stdout.strip() == "5"
    p = accounts.ssh("pbctl config set console retry-limit 3", user=USER,
                     password=USER_PW, check=False)
    assert p.returncode == 1 and "permission denied" in p.stderr
    p = accounts.ssh("pbctl account delete admin", user=USER,
                     password=USER_PW, check=False)
    assert p.returncode == 1 and "permission denied" in p.stderr
    p = accounts.ssh("pbctl config export --secrets", user=USER,
                     password=USER_PW, check=False)
    assert p.returncode == 1 and "permission denied" in p.stderr


def test_a_guest_cannot_log_in(accounts):
    assert accounts.ssh_login(GUEST, GUEST_PW) == REFUSED
    con = Console(accounts)
    try:
        con.login(GUEST, GUEST_PW)
        con.expect(r"Login incorrect")
    finally:
        con.close()


def test_the_last_admin_cannot_be_deleted(accounts):
    p = accounts.pbctl("account delete admin", check=False)
    assert p.returncode == 1 and "admin" in p.stderr
    assert "admin" in accounts.pbctl("account list").stdout


def test_serial_console_login_runs_pbctl(accounts):
    con = Console(accounts)
    try:
        con.login(USER, USER_PW)
        con.expect(r"\$ ")
        con.send("pbctl whoami\r")
        con.expect(r"group users")
        con.send("exit\r")
        con.expect(r"login: ")
    finally:
        con.close()
    wait_log(accounts, r"login: %s \(users\) from ttyS0 via serial" % USER)


def test_expired_password_must_be_changed(accounts):
    # age the user's password by 10 days, then a 5-day lifetime
    accounts.agent.run(
        "d=$(( $(date +%%s) / 86400 - 10 )); "
        "sed -i \"s/^%s:\\([^:]*\\):[0-9]*:/%s:\\1:$d:/\" /data/etc/shadow"
        % (USER, USER))
    accounts.pbctl("config set password lifetime 5")
    try:
        p = accounts.ssh("pbctl whoami", user=USER, password=USER_PW,
                         check=False)
        assert p.returncode != 0
        assert "must be changed (expired)" in p.stderr, p.stderr
    finally:
        accounts.pbctl("config set password lifetime 0")
    p = accounts.ssh("pbctl whoami", user=USER, password=USER_PW)
    assert "password ok" in p.stdout


def test_lockout_on_ssh_holds_on_the_serial_console_then_expires(accounts):
    accounts.pbctl("config set console retry-limit 3 locked-time 1")
    for _ in range(3):
        assert accounts.ssh_login(USER, USER_PW + "x") == REFUSED
    m = wait_log(accounts, r"lockout: %s locked for 1 min after 3 failed "
                 r"logins \(the last from 10\.0\.2\.2\)" % USER)
    assert m
    # the right password no longer works, on SSH nor on the console
    assert accounts.ssh_login(USER, USER_PW) == REFUSED
    con = Console(accounts)
    try:
        con.login(USER, USER_PW)
        con.expect(r"Login incorrect")
    finally:
        con.close()
    out = accounts.pbctl("account list").stdout
    line = [l for l in out.splitlines() if l.startswith(USER + " ")][0]
    assert line.split()[4] != "-", line     # seconds left
    wait_log(accounts, r"login failed: '%s' from ttyS0 via serial "
             r"\(locked" % USER)
    # ... until the locked time is over
    deadline = time.monotonic() + 240
    while accounts.ssh_login(USER, USER_PW) != 0:
        assert time.monotonic() < deadline, "still locked"
        time.sleep(5)
    accounts.pbctl("config set console retry-limit 5 locked-time 15")


def test_admin_unlocks_an_account(accounts):
    accounts.pbctl("config set console retry-limit 1")
    try:
        assert accounts.ssh_login(USER, USER_PW + "x") == REFUSED
        assert accounts.ssh_login(USER, USER_PW) == REFUSED
        accounts.pbctl("account edit %s unlock yes" % USER)
        assert accounts.ssh_login(USER, USER_PW) == 0
    finally:
        accounts.pbctl("config set console retry-limit 5")


def test_a_password_set_by_an_admin_must_be_changed(accounts):
    p = accounts.ssh("pbctl account edit %s password -" % USER,
                     input="Reset-2024y\n")
    p = accounts.ssh("pbctl whoami", user=USER, password="Reset-2024y",
                     check=False)
    assert p.returncode != 0 and "must be changed" in p.stderr, p.stderr
    out = accounts.pbctl("account list").stdout
    assert re.search(r"^%s\s+users\s+\d+\s+must-change" % USER, out,
                     re.M), out


TELLER = "teller"
TELLER_PW = "Tell-2024x"


def test_telnet_is_off_by_default_and_nothing_listens(accounts):
    assert accounts.pbctl("config get console telnet").stdout == "off\n"
    assert not telnet_listening(accounts)
    # QEMU takes the host's connection, the board has nothing behind it
    t = Telnet(accounts)
    try:
        t.sock.settimeout(30)
        assert t.sock.recv(100) == b""
    except ConnectionResetError:
        pass
    finally:
        t.close()


def test_telnet_login_through_the_accounts_library(accounts):
    p = add_account(accounts, TELLER, "users", TELLER_PW, "must-change no")
    assert p.returncode == 0, p.stderr
    accounts.pbctl("config set console telnet on")
    wait_telnet(accounts, True)
    t = Telnet(accounts)
    try:
        t.login(TELLER, TELLER_PW + "x")
        t.expect(r"Login incorrect")
        t.login(TELLER, TELLER_PW)
        t.expect(r"\$ ")
        t.send("pbctl whoami\r")
        t.expect(r"group users")
        t.send("exit\r")
    finally:
        t.close()
    wait_log(accounts, r"login failed: '%s' from 10\.0\.2\.2 via telnet "
             r"\(local: wrong password\)" % TELLER)
    wait_log(accounts, r"login: %s \(users\) from 10\.0\.2\.2 via telnet "
             r"\(local\)" % TELLER)
    wait_log(accounts, r"logout: %s from 10\.0\.2\.2 via telnet" % TELLER)


def test_telnet_lockout_is_shared_with_ssh(accounts):
    accounts.pbctl("config set console retry-limit 2 locked-time 1")
    try:
        for _ in range(2):
            t = Telnet(accounts)
            try:
                t.login(TELLER, TELLER_PW + "x")
                t.expect(r"Login incorrect")
            finally:
                t.close()
        wait_log(accounts, r"lockout: %s locked for 1 min after 2 failed "
                 r"logins" % TELLER)
        # locked on SSH, and on Telnet, with the right password
        assert accounts.ssh_login(TELLER, TELLER_PW) == REFUSED
        t = Telnet(accounts)
        try:
            t.login(TELLER, TELLER_PW)
            t.expect(r"Login incorrect")
        finally:
            t.close()
        wait_log(accounts, r"login failed: '%s' from \S+ via telnet "
                 r"\(locked" % TELLER)
    finally:
        accounts.pbctl("account edit %s unlock yes" % TELLER)
        accounts.pbctl("config set console retry-limit 5 locked-time 15")
    assert accounts.ssh_login(TELLER, TELLER_PW) == 0


def test_telnet_off_closes_the_port(accounts):
    accounts.pbctl("config set console telnet off")
    wait_telnet(accounts, False)
    t = Telnet(accounts)
    try:
        t.sock.settimeout(30)
        assert t.sock.recv(100) == b""
    except ConnectionResetError:
        pass
    finally:
        t.close()


def test_accounts_survive_a_reboot(accounts):
    accounts.reboot()
    out = accounts.pbctl("account list").stdout
    assert re.search(r"^%s\s+users" % USER, out, re.M), out
    assert accounts.ssh_login(GUEST, GUEST_PW) == REFUSED
