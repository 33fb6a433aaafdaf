"""Host side of the VM tests: the booted board and the real clients that
talk to it (TCP sockets, the UART's UNIX socket, OpenSSH, the root agent).

Run with Debian's /usr/bin/python3 (pytest and pyserial are its packages).
"""
import base64
import os
import re
import secrets
import select
import socket
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.path.insert(0, os.path.join(TOP, "scripts"))

import board as board_mod  # noqa: E402

# The first boot prints this once (scripts/board.py keeps the password).
FIRST_BOOT_LINE = "portbridge: initial admin password: "

# Kernel reports that fail a suite (see DEVELOPERS.md, "Kernel code").
KERNEL_TROUBLE = re.compile(
    r"WARNING:|BUG:|Oops|oops:|general protection|Kernel panic|"
    r"refcount_t|use-after-free|double free|memory leak|"
    r"Objects remaining|kmem_cache_destroy|list_(add|del) corruption|"
    r"INFO: task .* blocked|scheduling while atomic|sleeping function "
    r"called from invalid context|lockdep|circular locking|"
    r"unreferenced object|stack-protector|Call Trace:")

SSH_OPTS = ["-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR",
            "-o", "ConnectTimeout=30",
            "-o", "PreferredAuthentications=password,keyboard-interactive",
            "-o", "PubkeyAuthentication=no"]


class Agent:
    """The root shell of the test image (tests/vm/overlay/.../agent)."""

    def __init__(self, path, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.buf = b""

    def _read_until(self, pred, deadline):
        while not pred():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("pbtest agent did not answer")
            self.sock.settimeout(left)
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("pbtest agent went away")
            self.buf += data

    def run(self, script, timeout=120, check=True):
        """Run a shell script as root in the guest: (status, output)."""
        line = base64.b64encode(script.encode()) + b"\n"
        self.sock.sendall(line)
        deadline = time.monotonic() + timeout
        self._read_until(lambda: b"\n" in self.buf
                         and b"@@PBTEST " in self.buf, deadline)
        start = self.buf.index(b"@@PBTEST ")
        end = self.buf.index(b"\n", start)
        _, status, size = self.buf[start:end].decode().split()
        self.buf = self.buf[end + 1:]
        size = int(size)
        self._read_until(lambda: len(self.buf) >= size, deadline)
        out, self.buf = self.buf[:size], self.buf[size:]
        out = out.decode(errors="replace")
        if check and int(status) != 0:
            raise AssertionError("guest command failed (%s): %s\n%s"
                                 % (status, script, out))
        return int(status), out

    def out(self, script, timeout=120):
        return self.run(script, timeout)[1]

    def close(self):
        self.sock.close()


class TestBoard:
    """A board booted from the test image, with its clients."""

    def __init__(self, name):
        build = os.environ.get("PB_BUILD_DIR") or os.path.join(TOP, "build")
        run_dir = os.path.join(build, "check", name)
        self.board = board_mod.Board(run_dir=run_dir, build_dir=build,
                                     test_agent=True)
        self.agent = None
        self.ssh_dir = os.path.join(run_dir, "ssh")
        # admin's shadow(5) line as the first boot left it
        self.first_boot_shadow = None

    @property
    def password_file(self):
        """The admin password after the first login's forced change, kept
        next to the board's files (the bench swaps in its own board)."""
        return self.board.path("admin-password")

    # -- life cycle --------------------------------------------------------
    def start(self, factory=False, first_login=True):
        """Boot.  A boot that printed a first-boot password (a factory
        boot, or one after a reset) has an admin who must change it at the
        first login: with first_login, do that change over SSH the way a
        user would, so password() is the new one."""
        if factory:
            self.board.factory_reset()
            try:
                os.unlink(self.password_file)
            except FileNotFoundError:
                pass
        self.board.start()
        self.agent = Agent(self.board.path("agent.sock"))
        self.agent.run("true")
        if FIRST_BOOT_LINE in self.board.console_text():
            try:
                os.unlink(self.password_file)
            except FileNotFoundError:
                pass
            self.first_boot_shadow = next(
                (l for l in self.agent.out("cat /data/etc/shadow")
                 .splitlines() if l.startswith("admin:")), None)
            if first_login:
                self.first_login(self.initial_password(), new_password())

    def stop(self):
        self.close_ssh()
        if self.agent:
            self.agent.close()
            self.agent = None
        self.board.stop()

    def reboot(self):
        self.stop()
        self.start()

    # -- kernel health -----------------------------------------------------
    def dmesg(self):
        return self.agent.out("dmesg")

    def kernel_trouble(self, text=None):
        """Lines of the guest's kernel log that must fail a test."""
        text = self.dmesg() if text is None else text
        return [l for l in text.splitlines() if KERNEL_TROUBLE.search(l)]

    # -- clients -----------------------------------------------------------
    def port(self, device_port):
        return self.board.host_port(device_port)

    def connect(self, device_port, timeout=30):
        s = socket.create_connection(("127.0.0.1", self.port(device_port)),
                                     timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def serial(self, n, timeout=30):
        """Connect to serial port N's UNIX socket: play the wired device."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(self.board.serial_path(n))
        return s

    def initial_password(self):
        """The first boot's random admin password (the board's label)."""
        return self.board.password()

    def password(self):
        """admin's password now: the one set at the first login."""
        try:
            with open(self.password_file) as f:
                return f.read().strip()
        except FileNotFoundError:
            return self.initial_password()

    def first_login(self, old, new, user="admin", timeout=120):
        """Log in over SSH on a terminal (a pty, as a person would) and
        answer pb-shell's forced password change; then keep the new
        password.  Returns the session's text."""
        import pexpect
        child = pexpect.spawn(
            "ssh", ["-tt", "-p", str(self.port(22))] + SSH_OPTS
            + ["-o", "ControlPath=none", "%s@127.0.0.1" % user],
            timeout=timeout, encoding="utf-8", codec_errors="replace")
        try:
            child.expect(r"[Pp]assword: ?")
            child.sendline(old)
            child.expect(r"must be changed now")
            child.expect(r"Current password: ")
            child.sendline(old)
            child.expect(r"New password: ")
            child.sendline(new)
            child.expect(r"Retype new password: ")
            child.sendline(new)
            child.expect(r"Password changed\.")
            if user == "admin":
                fd = os.open(self.password_file,
                             os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(new + "\n")
            child.expect(r"[$#] ")
            child.sendline("exit")
            child.expect(pexpect.EOF)
            return child.before
        finally:
            child.close(force=True)

    def ssh_base(self, user="admin"):
        os.makedirs(self.ssh_dir, exist_ok=True)
        return ["ssh", "-p", str(self.port(22))] + SSH_OPTS + [
            "-o", "ControlMaster=auto",
            "-o", "ControlPath=%s/%%r@%%p" % self.ssh_dir,
            "-o", "ControlPersist=120",
            "%s@127.0.0.1" % user]

    def ssh(self, command, user="admin", password=None, check=True,
            timeout=120, input=None):
        """Run a command in the board's SSH shell with sshpass."""
        pw = password if password is not None else self.password()
        env = dict(os.environ, SSHPASS=pw)
        p = subprocess.run(["sshpass", "-e"] + self.ssh_base(user)
                           + [command], env=env, capture_output=True,
                           text=True, timeout=timeout, input=input)
        if check and p.returncode != 0:
            raise AssertionError("ssh %r failed (%d): %s%s"
                                 % (command, p.returncode, p.stdout,
                                    p.stderr))
        return p

    def ssh_login(self, user, password, command="true"):
        """One fresh login (no shared connection): sshpass's exit status,
        which is 5 when the password was refused."""
        p = subprocess.run(["sshpass", "-p", password, "ssh", "-p",
                            str(self.port(22))] + SSH_OPTS
                           + ["-o", "ControlPath=none",
                              "%s@127.0.0.1" % user, command],
                           capture_output=True, timeout=120)
        return p.returncode

    def ssh_popen(self, command, user="admin"):
        env = dict(os.environ, SSHPASS=self.password())
        return subprocess.Popen(["sshpass", "-e"] + self.ssh_base(user)
                                + [command], env=env, text=True,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def close_ssh(self):
        if not os.path.isdir(self.ssh_dir):
            return
        for sock in os.listdir(self.ssh_dir):
            subprocess.run(["ssh", "-o", "ControlPath=%s/%s"
                            % (self.ssh_dir, sock), "-O", "exit", "x"],
                           capture_output=True)

    def pbctl(self, args, check=True):
        return self.ssh("pbctl " + args, check=check)


def new_password():
    """A random password any policy of the board accepts (<= 64
    characters; digit, both cases and a special character)."""
    return "Pb-%s-7aZ" % secrets.token_hex(8)


# -- byte stream helpers ---------------------------------------------------
def pattern(n, seed):
    """n bytes that are not a repeat of a short cycle, so a dropped,
    duplicated or reordered block shows as a mismatch."""
    out = bytearray()
    x = seed & 0xFFFFFFFF or 1
    while len(out) < n:
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out += x.to_bytes(4, "little")
    return bytes(out[:n])


def send_all(sock, data, stall=30):
    """Send everything; fail only if no byte could be sent for `stall`
    seconds (a bulk send through an emulated UART takes long in total).  Safe to
    run in one thread while another receives on the same socket."""
    sock.setblocking(False)
    view = memoryview(data)
    while view:
        _, writable, _ = select.select([], [sock], [], stall)
        if not writable:
            raise TimeoutError("send stalled for %d s with %d bytes left"
                               % (stall, len(view)))
        try:
            view = view[sock.send(view[:65536]):]
        except BlockingIOError:
            pass


def recv_exactly(sock, n, stall=30):
    """Read n bytes; stop early (and return what came) after `stall`
    seconds without progress, or at end of stream."""
    sock.setblocking(False)
    buf = bytearray()
    while len(buf) < n:
        readable, _, _ = select.select([sock], [], [], stall)
        if not readable:
            break
        try:
            data = sock.recv(min(65536, n - len(buf)))
        except BlockingIOError:
            continue
        if not data:
            break
        buf += data
    return bytes(buf)


def drain(sock, quiet=0.5):
    """Read and discard until the socket stays quiet for `quiet` s."""
    sock.settimeout(quiet)
    got = b""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            got += data
    except socket.timeout:
        pass
    return got
