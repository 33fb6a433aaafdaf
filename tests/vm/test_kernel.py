"""portbridge.ko seen directly: the netlink ABI's policy and privilege
checks (with nlprobe, a raw client in the test overlay), the attach ioctl,
sysfs, and tearing everything down under load."""
import threading
import time

import pytest

from pbtest import pattern, recv_exactly, send_all

NLPROBE = "/usr/libexec/pbtest/nlprobe"
# enum pb_cmd and enum pb_attr of kernel/include/uapi/linux/portbridge.h
PORT_GET, PORT_SET = 1, 2
A_INDEX, A_TTY, A_MODE, A_LOCAL_PORT, A_MAX_CONNS, A_BAUD, A_DATA_BITS, \
    A_PARITY, A_STOP_BITS, A_FLOW = range(2, 12)


def nlprobe(board, *attrs, cmd=PORT_SET):
    status, out = board.agent.run("%s set %d %s" % (NLPROBE, cmd,
                                                    " ".join(attrs)),
                                  check=False)
    return status, out.strip()


def sysfs(board, n, name):
    return board.agent.out("cat /sys/kernel/portbridge/port%d/%s"
                           % (n, name)).strip()


@pytest.mark.parametrize("attrs, message", [
    (["%d:u32:0" % A_INDEX, "%d:u32:9600" % A_BAUD], ""),
    (["%d:u32:33" % A_INDEX, "%d:u32:9600" % A_BAUD], ""),
    (["%d:u32:9" % A_INDEX, "%d:u32:9600" % A_BAUD], "not attached"),
    (["%d:u32:9600" % A_BAUD], "port"),
    (["%d:u32:1" % A_INDEX, "%d:u8:9" % A_MAX_CONNS], ""),
    (["%d:u32:1" % A_INDEX, "%d:u8:4" % A_DATA_BITS], ""),
    (["%d:u32:1" % A_INDEX, "%d:u8:7" % A_PARITY], ""),
    (["%d:u32:1" % A_INDEX, "%d:u8:3" % A_STOP_BITS], ""),
    (["%d:u32:1" % A_INDEX, "%d:u32:49" % A_BAUD], ""),
    (["%d:u32:1" % A_INDEX, "%d:u32:921600" % A_BAUD], "921600"),
    (["%d:u32:1" % A_INDEX, "%d:u8:9" % A_MODE], ""),
    (["%d:u32:1" % A_INDEX, "%d:u16:0" % A_LOCAL_PORT], ""),
    (["%d:u32:1" % A_INDEX, "%d:u32:4001" % A_LOCAL_PORT], ""),
    (["%d:u32:1" % A_INDEX, "%d:str:ttyS0" % A_TTY], ""),
])
def test_bad_requests_get_an_extack_message_and_change_nothing(
        board, attrs, message):
    before = sysfs(board, 1, "mode"), board.pbctl("port show 1").stdout
    status, out = nlprobe(board, *attrs)
    assert status != 0, out
    assert out.startswith("error "), out
    text = out.split(":", 1)[1].strip()
    assert text, "no extack message: " + out
    assert message in text, out
    assert (sysfs(board, 1, "mode"),
            board.pbctl("port show 1").stdout) == before


def test_set_needs_cap_net_admin_but_get_does_not(board):
    # admin is not root: the kernel itself refuses, whatever pbctl does.
    p = board.ssh("%s set %d %d:u32:1 %d:u32:9600"
                  % (NLPROBE, PORT_SET, A_INDEX, A_BAUD), check=False)
    assert p.returncode != 0 and "error 1:" in p.stdout, p.stdout
    p = board.ssh("%s set %d %d:u32:1" % (NLPROBE, PORT_GET, A_INDEX))
    assert p.stdout.strip() == "ok"


def test_set_applies_and_the_uart_follows(board):
    status, out = nlprobe(board, "%d:u32:4" % A_INDEX, "%d:u32:9600"
                          % A_BAUD, "%d:u8:7" % A_DATA_BITS,
                          "%d:u8:2" % A_PARITY)
    assert status == 0, out
    stty = board.agent.out("stty -F /dev/ttyS7 -a")
    assert "speed 9600 baud" in stty
    assert "cs7" in stty and "parenb" in stty and "-parodd" in stty
    # Back through the configuration daemon, which restores its settings.
    board.pbctl("port set 4 baud 115200")
    board.pbctl("port set 4 data-bits 8 parity none")
    stty = board.agent.out("stty -F /dev/ttyS7 -a")
    assert "speed 115200 baud" in stty and "cs8" in stty


def test_attach_ioctl_refuses_what_it_must(board):
    # ttyS5 is already bridged (port 2): a second attach is refused.
    status, out = board.agent.run("%s attach /dev/ttyS5 3 </dev/null"
                                  % NLPROBE, check=False)
    assert status != 0 and out.startswith("error"), out
    # ttyS8 exists but is not bridged; index 1 is taken, 0 and 33 invalid.
    for index in (1, 0, 33):
        status, out = board.agent.run("%s attach /dev/ttyS9 %d </dev/null"
                                      % (NLPROBE, index), check=False)
        assert status != 0 and out.startswith("error"), (index, out)
    # The existing ports were not disturbed.
    assert board.pbctl("port show").stdout.count("tcp-server") == 4


def test_sysfs_counters_are_read_only_and_named(board):
    names = board.agent.out("ls /sys/kernel/portbridge/port1").split()
    for n in ("tty", "mode", "rx_bytes", "tx_bytes", "connections",
              "refused", "active_conns", "parity_errors", "frame_errors",
              "overruns", "breaks", "net_errors"):
        assert n in names
    status, _ = board.agent.run("echo 0 > /sys/kernel/portbridge/port1/"
                                "rx_bytes", check=False)
    assert status != 0
    assert sysfs(board, 1, "tty") == "ttyS4"


def test_detach_and_unload_under_load(board):
    """Clients on all four ports with data flowing both ways; the daemon
    goes away (closing the UARTs detaches the ports), the module unloads,
    and everything comes back."""
    devs = [board.serial(n) for n in (1, 2, 3, 4)]
    clis = [board.connect(4000 + n) for n in (1, 2, 3, 4)]
    time.sleep(2)
    stop = threading.Event()

    def pump(sock, seed):
        data = pattern(4096, seed)
        try:
            while not stop.is_set():
                send_all(sock, data, stall=5)
        except OSError:
            pass

    threads = [threading.Thread(target=pump, args=(s, i))
               for i, s in enumerate(devs + clis)]
    for t in threads:
        t.start()
    time.sleep(3)
    status, out = board.agent.run("rmmod portbridge", check=False)
    assert status != 0, "unloaded while ports are attached: " + out
    board.agent.run("killall pbconfd; for i in $(seq 50); do "
                    "pidof pbconfd >/dev/null || break; sleep 0.1; done")
    assert board.agent.out("ls /sys/kernel/portbridge").strip() == ""
    board.agent.run("rmmod portbridge")
    stop.set()
    for t in threads:
        t.join()
    # Every client was closed by the board.
    for c in clis:
        c.setblocking(True)
        c.settimeout(10)
        try:
            while c.recv(65536):
                pass
        except ConnectionResetError:
            pass
        c.close()
    for d in devs:
        d.close()
    # Back up: module and daemon, same configuration.
    board.agent.run("modprobe portbridge && pbconfd")
    dev, cli = board.serial(1), board.connect(4001)
    time.sleep(1)
    send_all(cli, b"after reload")
    assert recv_exactly(dev, 12, 20) == b"after reload"
    cli.close()
    dev.close()
