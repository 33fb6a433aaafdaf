"""Every mode at once, under traffic: reconfigure between modes, detach
and unload the module while data flows; the kernel stays clean (the
kernel_clean fixture and the end-of-suite console check)."""
import socket
import threading
import time

import serial

from pbnl import MODE, counter, set_ok, wait_until
from pbtest import pattern, recv_exactly, send_all


def pump(sock, seed, stop):
    data = pattern(4096, seed)
    try:
        while not stop.is_set():
            send_all(sock, data, stall=5)
    except OSError:
        pass


def soak(sock, stop):
    sock.settimeout(1)
    while not stop.is_set():
        try:
            if not sock.recv(65536):
                break
        except socket.timeout:
            pass
        except OSError:
            break


def start_all_modes(board, host_port):
    set_ok(board, 1, mode=MODE["tcp_server"], max_conns=2,
           ignore_jammed=1, pack_length=64, force_tx_ms=20)
    set_ok(board, 2, mode=MODE["rfc2217"])
    set_ok(board, 3, mode=MODE["udp"],
           destinations="10.0.2.2/%d" % host_port)
    set_ok(board, 4, mode=MODE["realcom"], local_port=953, cmd_port=969,
           keepalive_idle=1, keepalive_intvl=1, keepalive_cnt=3)


def test_every_mode_under_traffic_then_detach_and_unload(board):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    tcpc = socket.socket()
    tcpc.bind(("127.0.0.1", 0))
    tcpc.listen(2)
    start_all_modes(board, udp.getsockname()[1])

    stop = threading.Event()
    devs = [board.serial(n) for n in (1, 2, 3, 4)]
    clients = [board.connect(4001), board.connect(4001)]
    rfc = serial.serial_for_url("rfc2217://127.0.0.1:%d"
                                % board.port(4002), timeout=1)
    cmd = board.connect(969)
    data = board.connect(953)
    cmd.sendall(bytes([0x2C, 8, 10, 3, 1, 1, 0, 0, 0, 0]))
    assert recv_exactly(cmd, 5, 10)[0] == 0x2C
    threads = [threading.Thread(target=pump, args=(s, i, stop))
               for i, s in enumerate(devs + clients + [data])]
    threads += [threading.Thread(target=soak, args=(s, stop))
                for s in devs + clients + [data, cmd]]

    def rfc_traffic():
        while not stop.is_set():
            try:
                rfc.write(pattern(1024, 9))
                rfc.read(rfc.in_waiting or 1)
            except Exception:
                break

    threads.append(threading.Thread(target=rfc_traffic))
    for t in threads:
        t.start()
    wait_until(lambda: counter(board, 3, "datagrams") > 0,
               what="UDP traffic")
    time.sleep(2)       # traffic on every port for a while

    # Port 3 becomes a TCP client, port 1 changes its port, under load.
    set_ok(board, 3, mode=MODE["tcp_client"],
           destinations="10.0.2.2/%d" % tcpc.getsockname()[1])
    tcpc.settimeout(20)
    conn, _ = tcpc.accept()
    t = threading.Thread(target=soak, args=(conn, stop))
    t.start()
    threads.append(t)
    set_ok(board, 1, local_port=4101)
    set_ok(board, 1, mode=MODE["rfc2217"])
    set_ok(board, 1, mode=MODE["tcp_server"], local_port=4001)
    time.sleep(3)

    status, out = board.agent.run("rmmod portbridge", check=False)
    assert status != 0, "unloaded while ports are attached: " + out
    board.agent.run("killall pbconfd; for i in $(seq 100); do "
                    "pidof pbconfd >/dev/null || break; sleep 0.1; done")
    assert board.agent.out("ls /sys/kernel/portbridge").strip() == ""
    board.agent.run("rmmod portbridge")
    stop.set()
    try:
        rfc.close()
    except Exception:
        pass
    for t in threads:
        t.join(30)
    for s in devs + clients + [cmd, data, conn, udp, tcpc]:
        s.close()

    # Back up with the saved configuration: TCP servers on every port.
    board.agent.run("modprobe portbridge && pbconfd")
    dev, cli = board.serial(2), board.connect(4002)
    wait_until(lambda: counter(board, 2, "active_conns") == 1)
    send_all(cli, b"after reload")
    assert recv_exactly(dev, 12, 20) == b"after reload"
    cli.close()
    dev.close()
