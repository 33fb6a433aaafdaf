"""RADIUS logins against Debian's FreeRADIUS, started by the test on the
host's loopback (its own copy of the configuration, an unprivileged port
at PB_PORT_BASE + 1812); the guest reaches it at 10.0.2.2 through QEMU's
user network.  Accept, reject, and a server that does not answer, with
and without "try next".
"""
import os
import re
import shutil
import subprocess
import time

import pytest

from pbtest import SSH_OPTS

SECRET = "Shared-Secret-5"
RAD_USER = "raduser"
RAD_PW = "Radius-Pass1"
LOCAL_PW = "Local-Pass1"
REFUSED = 5

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/sbin/freeradius"),
                                reason="freeradius is not installed")


def rad_port():
    return int(os.environ.get("PB_PORT_BASE", "10000")) + 1812


class FreeRadius:
    def __init__(self, run_dir):
        self.dir = os.path.join(run_dir, "raddb")
        self.proc = None
        self.log = os.path.join(run_dir, "freeradius.log")

    def configure(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.copytree("/etc/freeradius/3.0", self.dir, symlinks=True)
        for d in ("log", "run"):
            os.makedirs(os.path.join(self.dir, d), exist_ok=True)
        conf = os.path.join(self.dir, "radiusd.conf")
        with open(conf) as f:
            text = f.read()
        text = re.sub(r"(?m)^logdir = .*$", "logdir = %s/log" % self.dir,
                      text)
        text = re.sub(r"(?m)^run_dir = .*$", "run_dir = %s/run" % self.dir,
                      text)
        text = re.sub(r"(?m)^\s*(user|group) = freerad$", "", text)
        with open(conf, "w") as f:
            f.write(text)
        # Listen on the loopback only, on our ports; IPv6 listeners go.
        # FreeRADIUS 3.2.1 (bookworm) signs replies with a
        # Message-Authenticator only when told to (3.2.5 and later always
        # do, against Blast-RADIUS); the board's client requires it.
        site = os.path.join(self.dir, "sites-available/default")
        with open(site) as f:
            text = f.read()
        text = re.sub(r"(?m)^\tipv6addr = ::.*$", "\tipaddr = 127.0.0.1",
                      text)
        text = re.sub(r"(?m)^\tipaddr = \*$", "\tipaddr = 127.0.0.1", text)
        ports = iter(range(rad_port(), rad_port() + 4))
        text = re.sub(r"(?m)^\tport = 0$",
                      lambda m: "\tport = %d" % next(ports), text)
        sign = "\n\tupdate reply {\n\t\tMessage-Authenticator := 0x00\n\t}\n"
        text = re.sub(r"(?m)^post-auth \{$", "post-auth {" + sign, text)
        text = re.sub(r"(?m)^\tPost-Auth-Type REJECT \{$",
                      "\tPost-Auth-Type REJECT {" + sign, text)
        with open(site, "w") as f:
            f.write(text)
        tunnel = os.path.join(self.dir, "sites-available/inner-tunnel")
        with open(tunnel) as f:
            text = f.read()
        text = re.sub(r"(?m)^(\s*port = )18120$",
                      lambda m: m.group(1) + str(rad_port() + 4), text)
        with open(tunnel, "w") as f:
            f.write(text)
        with open(os.path.join(self.dir, "clients.conf"), "w") as f:
            f.write("client board {\n\tipaddr = 127.0.0.1\n"
                    "\tsecret = %s\n\trequire_message_authenticator = yes\n"
                    "}\n" % SECRET)
        with open(os.path.join(self.dir, "mods-config/files/authorize"),
                  "w") as f:
            f.write('%s Cleartext-Password := "%s"\n'
                    '\tReply-Message := "Welcome from RADIUS"\n'
                    % (RAD_USER, RAD_PW))

    def start(self):
        log = open(self.log, "w")
        self.proc = subprocess.Popen(
            ["/usr/sbin/freeradius", "-f", "-X", "-d", self.dir],
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            with open(self.log) as f:
                if "Ready to process requests" in f.read():
                    return
            assert self.proc.poll() is None, open(self.log).read()[-3000:]
            assert time.monotonic() < deadline, "freeradius did not start"
            time.sleep(0.2)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.proc = None


@pytest.fixture(scope="module")
def radius(board):
    server = FreeRadius(board.board.run_dir)
    server.configure()
    server.start()
    p = board.ssh("pbctl account add %s users must-change no" % RAD_USER,
                  input=LOCAL_PW + "\n", check=False)
    assert p.returncode == 0, p.stderr
    board.pbctl("config set radius server 10.0.2.2 port %d timeout 2 "
                "secret %s" % (rad_port(), SECRET))
    board.pbctl("config set console auth-type radius try-next off "
                "retry-limit 10")
    yield server
    server.stop()
    board.pbctl("config set console auth-type local try-next off "
                "retry-limit 5")


def login(board, user, pw):
    """A fresh SSH login: sshpass's exit status (5: refused); the
    client's messages go to the test's output."""
    p = subprocess.run(["sshpass", "-p", pw, "ssh", "-p",
                        str(board.port(22))] + SSH_OPTS
                       + ["-o", "ControlPath=none", "%s@127.0.0.1" % user,
                          "true"], capture_output=True, text=True,
                       timeout=120)
    print("ssh %s: %d %s" % (user, p.returncode, p.stderr))
    if p.returncode not in (0, REFUSED):
        print(board.agent.out("tail -n 30 /var/log/messages"))
    return p.returncode


def log(board):
    return board.agent.out("cat /var/log/messages")


def unlock(board):
    board.pbctl("account edit %s unlock yes" % RAD_USER)


def test_radius_accepts(board, radius):
    assert login(board, RAD_USER, RAD_PW) == 0
    assert re.search(r"login: %s \(users\) from 10\.0\.2\.2 via ssh "
                     r"\(radius\)" % RAD_USER, log(board))
    # the server saw a Message-Authenticator and answered
    with open(radius.log) as f:
        text = f.read()
    assert "Sent Access-Accept" in text, text[-2000:]


def test_radius_rejects_and_the_local_password_is_not_tried(board, radius):
    assert login(board, RAD_USER, RAD_PW + "x") == REFUSED
    assert login(board, RAD_USER, LOCAL_PW) == REFUSED
    assert re.search(r"login failed: '%s' from 10\.0\.2\.2 via ssh "
                     r"\(radius: rejected" % RAD_USER, log(board))
    unlock(board)


def test_try_next_falls_back_to_the_local_password(board, radius):
    board.pbctl("config set console try-next on")
    try:
        assert login(board, RAD_USER, LOCAL_PW) == 0
        assert re.search(r"login: %s \(users\) from 10\.0\.2\.2 via ssh "
                         r"\(local\)" % RAD_USER, log(board))
    finally:
        board.pbctl("config set console try-next off")


def test_server_down_with_and_without_try_next(board, radius):
    radius.stop()
    try:
        assert login(board, RAD_USER, RAD_PW) == REFUSED
        assert re.search(r"\(radius: no answer", log(board))
        board.pbctl("config set console try-next on")
        assert login(board, RAD_USER, LOCAL_PW) == 0
        assert login(board, RAD_USER, RAD_PW) == REFUSED
    finally:
        board.pbctl("config set console try-next off")
        unlock(board)
        radius.start()
    assert login(board, RAD_USER, RAD_PW) == 0


def test_a_wrong_secret_is_no_answer(board, radius):
    board.pbctl("config set radius secret Not-The-Secret")
    try:
        assert login(board, RAD_USER, RAD_PW) == REFUSED
    finally:
        board.pbctl("config set radius secret %s" % SECRET)
        unlock(board)
    assert login(board, RAD_USER, RAD_PW) == 0
