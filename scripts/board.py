#!/usr/bin/python3
"""Run the portbridge reference board under QEMU.

    board.py run            boot in the foreground, console on this terminal
    board.py start          boot in the background, return once it is ready
    board.py stop           power the board off (ACPI button, then hard stop)
    board.py factory-reset  wipe the persistent disk (the board must be off)
    board.py status         say whether the board is running

The contract (README.md, "The reference board"):
  - device TCP/UDP port P  ->  127.0.0.1:(PORT_BASE + P), PORT_BASE = 10000
  - serial data port N     ->  RUN_DIR/serialN.sock (QEMU listens)
  - console                ->  RUN_DIR/console.log (and console.sock)
  - persistent disk        ->  RUN_DIR/disk.img
  - first-boot password    ->  RUN_DIR/initial-admin-password

Environment: PB_RUN_DIR (default build/run), PB_PORT_BASE (default 10000),
PB_BUILD_DIR (default build), PB_KERNEL_ARGS (appended to the command line).
The tests import this module and use Board directly.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Every port the device may serve; each is forwarded for TCP and for UDP.
DEVICE_PORTS = ([22, 23, 80, 102, 161, 443, 502, 4800, 4900, 20000]
                + list(range(950, 954)) + list(range(966, 970))
                + list(range(4001, 4005)))
SERIAL_PORTS = 4
DISK_SIZE = 64 << 20
READY = "portbridge: board ready"
PASSWORD_RE = re.compile(r"portbridge: initial admin password: (\S+)")
BOOT_TIMEOUT = 600


class BoardError(Exception):
    pass


class Board:
    def __init__(self, run_dir=None, port_base=None, build_dir=None,
                 kernel_args=None, test_agent=False, initrd=None,
                 loop=False):
        self.build_dir = os.path.abspath(
            build_dir or os.environ.get("PB_BUILD_DIR")
            or os.path.join(TOP, "build"))
        self.run_dir = os.path.abspath(
            run_dir or os.environ.get("PB_RUN_DIR")
            or os.path.join(self.build_dir, "run"))
        self.port_base = int(port_base if port_base is not None
                             else os.environ.get("PB_PORT_BASE", 10000))
        self.kernel_args = (kernel_args if kernel_args is not None
                            else os.environ.get("PB_KERNEL_ARGS", ""))
        # The tests boot the test image: the board plus a root agent on a
        # virtio serial port (scripts/mktestimage.sh, tests/vm/pbtest.py).
        self.test_agent = test_agent
        # The benchmark boots its own image and wires each data UART back
        # to back with one UART of a second card (ttyS8..ttyS11), which a
        # program inside the board plays as the device.
        self.initrd = initrd
        self.loop = loop

    # -- paths --------------------------------------------------------------
    def path(self, name):
        return os.path.join(self.run_dir, name)

    def serial_path(self, n):
        return self.path("serial%d.sock" % n)

    def host_port(self, device_port):
        return self.port_base + device_port

    @property
    def console_log(self):
        return self.path("console.log")

    @property
    def password_file(self):
        return self.path("initial-admin-password")

    # -- state --------------------------------------------------------------
    def pid(self):
        try:
            with open(self.path("qemu.pid")) as f:
                pid = int(f.read().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def running(self):
        return self.pid() is not None

    def password(self):
        with open(self.password_file) as f:
            return f.read().strip()

    def console_text(self):
        try:
            with open(self.console_log, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    # -- QEMU command line --------------------------------------------------
    def _forwards(self):
        fwd = []
        for p in DEVICE_PORTS:
            for proto in ("tcp", "udp"):
                fwd.append("hostfwd=%s:127.0.0.1:%d-:%d"
                           % (proto, self.host_port(p), p))
        return ",".join(fwd)

    def qemu_command(self, foreground):
        img = os.path.join(self.build_dir, "image")
        initrd = self.initrd or ("initramfs-test.cpio.gz" if self.test_agent
                                 else "initramfs.cpio.gz")
        for f in ("vmlinuz", initrd):
            if not os.path.exists(os.path.join(img, f)):
                raise BoardError("%s/%s is missing: run make first" % (img, f))
        append = ("console=ttyS0,115200 8250.nr_uarts=12 panic=-1 "
                  "loglevel=5 " + self.kernel_args).strip()
        log = "logfile=%s,logappend=off" % self.console_log
        if foreground:
            console = ["-chardev", "stdio,id=con,mux=on,signal=off," + log,
                       "-mon", "chardev=con,mode=readline"]
        else:
            console = ["-chardev", "socket,id=con,path=%s,server=on,wait=off,%s"
                       % (self.path("console.sock"), log)]
        serial = []
        peers = []
        chardevs = []
        for n in range(1, SERIAL_PORTS + 1):
            serial.append("chardev%d=port%d" % (n, n))
            chardevs += ["-chardev", "socket,id=port%d,path=%s,server=on,"
                         "wait=off" % (n, self.serial_path(n))]
            if self.loop:
                peers.append("chardev%d=peer%d" % (n, n))
                chardevs += ["-chardev", "socket,id=peer%d,path=%s,"
                             "server=off" % (n, self.serial_path(n))]
        cmd = ["qemu-system-x86_64",
               "-machine", "pc", "-cpu", "max", "-smp", "2", "-m", "512",
               "-nodefaults", "-no-user-config", "-display", "none",
               "-no-reboot",
               "-kernel", os.path.join(img, "vmlinuz"),
               "-initrd", os.path.join(img, initrd),
               "-append", append,
               "-pidfile", self.path("qemu.pid"),
               "-qmp", "unix:%s,server=on,wait=off"
               % self.path("qmp.sock")]
        cmd += console + ["-serial", "chardev:con"]
        cmd += chardevs
        cmd += ["-device", "pci-serial-4x," + ",".join(serial)]
        if self.loop:
            cmd += ["-device", "pci-serial-4x," + ",".join(peers)]
        cmd += ["-drive", "file=%s,format=raw,if=virtio"
                % self.path("disk.img")]
        cmd += ["-netdev", "user,id=net0," + self._forwards(),
                "-device", "virtio-net-pci,netdev=net0"]
        cmd += ["-device", "virtio-rng-pci"]
        if self.test_agent:
            cmd += ["-chardev", "socket,id=agent,path=%s,server=on,wait=off"
                    % self.path("agent.sock"),
                    "-device", "virtio-serial-pci",
                    "-device", "virtserialport,chardev=agent,name=pbtest"]
        if not foreground:
            cmd += ["-daemonize"]
        return cmd

    # -- preparing a boot ---------------------------------------------------
    def _check_ports_free(self):
        for p in DEVICE_PORTS:
            hp = self.host_port(p)
            s = socket.socket()
            # As QEMU does: a closed connection's TIME_WAIT is no conflict.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", hp))
            except OSError:
                raise BoardError("host port %d (device port %d) is in use: "
                                 "is another board running? (make stop)"
                                 % (hp, p))
            finally:
                s.close()

    def _prepare(self):
        if self.running():
            raise BoardError("the board is already running (pid %d)"
                             % self.pid())
        os.makedirs(self.run_dir, exist_ok=True)
        self._check_ports_free()
        disk = self.path("disk.img")
        if not os.path.exists(disk):
            # All zeros: the board formats it at its first boot.
            with open(disk, "wb") as f:
                f.truncate(DISK_SIZE)
        for n in ("console.sock", "qmp.sock", "agent.sock") + tuple(
                "serial%d.sock" % i for i in range(1, SERIAL_PORTS + 1)):
            try:
                os.unlink(self.path(n))
            except FileNotFoundError:
                pass

    def _save_password(self, text):
        """Keep the first boot's password, the reference board's label."""
        m = PASSWORD_RE.search(text)
        if not m:
            return False
        fd = os.open(self.password_file,
                     os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(m.group(1) + "\n")
        return True

    # -- commands -----------------------------------------------------------
    def start(self, timeout=BOOT_TIMEOUT):
        self._prepare()
        subprocess.run(self.qemu_command(foreground=False), check=True)
        self.wait_ready(timeout)

    def wait_ready(self, timeout=BOOT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.console_text()
            if READY in text:
                self._save_password(text)
                return
            if not self.running():
                raise BoardError("the board stopped while booting; see %s"
                                 % self.console_log)
            time.sleep(0.2)
        raise BoardError("the board was not ready after %d s; see %s"
                         % (timeout, self.console_log))

    def run(self):
        self._prepare()
        stop = threading.Event()

        def watch():
            while not stop.is_set():
                if self._save_password(self.console_text()):
                    return
                time.sleep(0.5)
        t = threading.Thread(target=watch, daemon=True)
        t.start()
        print("portbridge: board starting; quit with Ctrl-A X "
              "(console on this terminal, log in %s)" % self.console_log)
        try:
            rc = subprocess.call(self.qemu_command(foreground=True))
        finally:
            stop.set()
        return rc

    def qmp(self, command, **arguments):
        """Run one QMP command and return its answer."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(self.path("qmp.sock"))
        f = s.makefile("rwb")

        def call(cmd, args):
            msg = {"execute": cmd}
            if args:
                msg["arguments"] = args
            f.write(json.dumps(msg).encode() + b"\n")
            f.flush()
            while True:
                line = f.readline()
                if not line:
                    raise BoardError("QMP closed the connection")
                answer = json.loads(line)
                if "return" in answer or "error" in answer:
                    return answer
        try:
            f.readline()  # greeting
            call("qmp_capabilities", None)
            answer = call(command, arguments)
        finally:
            f.close()
            s.close()
        if "error" in answer:
            raise BoardError("QMP %s: %s" % (command,
                                             answer["error"].get("desc")))
        return answer["return"]

    def stop(self, timeout=60):
        pid = self.pid()
        if pid is None:
            return
        try:
            self.qmp("system_powerdown")
        except (OSError, BoardError):
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.running():
            time.sleep(0.2)
        if self.running():
            print("board: no clean power-off after %d s, stopping QEMU"
                  % timeout, file=sys.stderr)
            try:
                self.qmp("quit")
            except (OSError, BoardError):
                os.kill(pid, signal.SIGKILL)
            while self.running():
                time.sleep(0.1)
        try:
            os.unlink(self.path("qemu.pid"))
        except FileNotFoundError:
            pass

    def factory_reset(self):
        self.stop()
        for n in ("disk.img", "initial-admin-password"):
            try:
                os.unlink(self.path(n))
            except FileNotFoundError:
                pass


def main(argv):
    if len(argv) != 2 or argv[1] not in ("run", "start", "stop", "status",
                                         "factory-reset"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    board = Board()
    try:
        if argv[1] == "run":
            return board.run()
        if argv[1] == "start":
            board.start()
            print("board: ready; ssh -p %d admin@127.0.0.1 (password in %s)"
                  % (board.host_port(22), board.password_file))
        elif argv[1] == "stop":
            board.stop()
        elif argv[1] == "factory-reset":
            board.factory_reset()
            print("board: factory state; the next boot makes new secrets")
        else:
            pid = board.pid()
            print("running (pid %d)" % pid if pid else "stopped")
            return 0 if pid else 1
    except BoardError as e:
        print("board: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
