"""Disabled mode through pbctl: the port serves nothing, its UART is
released (another program can use the tty), and enabling it again brings
the bridge back.  Port 4 of the board (ttyS7, TCP 4004)."""
import socket

from pbnl import wait_until
from pbtest import recv_exactly, send_all

SYSFS = "/sys/kernel/portbridge/port4"


def attached(board):
    return board.agent.run("test -d %s" % SYSFS, check=False)[0] == 0


def refused(board, device_port):
    try:
        s = board.connect(device_port, timeout=5)
    except OSError:
        return True
    # QEMU's user network accepts on the host side first: a refused guest
    # connection shows as an immediate end of stream.
    s.settimeout(5)
    try:
        return s.recv(1) == b""
    except (socket.timeout, OSError):
        return False
    finally:
        s.close()


def test_disabled_releases_the_uart_and_enabling_brings_it_back(board):
    assert attached(board)
    board.pbctl("port set 4 mode disabled")
    wait_until(lambda: not attached(board), what="port 4 to be detached")
    assert "disabled" not in board.pbctl("port show").stdout
    assert refused(board, 4004)

    # Another program may use the tty now: both ways through it.
    dev = board.serial(4)
    try:
        board.agent.run("stty -F /dev/ttyS7 115200 raw -echo && "
                        "printf 'from the guest' > /dev/ttyS7")
        assert recv_exactly(dev, 14, 20) == b"from the guest"
        board.agent.run("(timeout 20 dd if=/dev/ttyS7 of=/tmp/in bs=1 "
                        "count=11 2>/dev/null; echo done >> /tmp/in.done) "
                        "> /dev/null 2>&1 & "
                        "for i in $(seq 50); do pidof dd && break; "
                        "sleep 0.1; done")
        send_all(dev, b"from device")
        wait_until(lambda: board.agent.run("test -e /tmp/in.done",
                                           check=False)[0] == 0,
                   what="the guest's reader")
        assert board.agent.out("cat /tmp/in") == "from device"
    finally:
        dev.close()

    board.pbctl("port set 4 mode tcp-server")
    wait_until(lambda: attached(board), what="port 4 to be attached")
    cli, dev = board.connect(4004), board.serial(4)
    try:
        wait_until(lambda: board.agent.out("cat %s/active_conns"
                                           % SYSFS).strip() == "1",
                   what="the client")
        send_all(cli, b"bridged again")
        assert recv_exactly(dev, 13, 20) == b"bridged again"
        send_all(dev, b"and back")
        assert recv_exactly(cli, 8, 20) == b"and back"
    finally:
        cli.close()
        dev.close()
