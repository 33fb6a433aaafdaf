"""The web console in a real browser: Debian's Chromium, headless, driven
by playwright-core from npm (tests/web/console.mjs).  Screenshots of the
pages go to BUILD/check/test_web_browser/shots/.
"""
import json
import os
import shutil
import socket
import subprocess
import time

import pytest

from pbtest import TOP, recv_exactly

BUILD = os.environ.get("PB_BUILD_DIR") or os.path.join(TOP, "build")
SCRIPT = os.path.join(TOP, "tests", "web", "console.mjs")
CHROMIUM = "/usr/bin/chromium"
NEW_PASSWORD = "Web-console-2026"


@pytest.fixture(scope="module")
def node_modules():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are not installed")
    subprocess.run([os.path.join(TOP, "tests", "web", "install.sh"), BUILD],
                   check=True, timeout=600)
    return os.path.join(BUILD, "node", "node_modules")


def run_phase(board, node_modules, phase, password):
    run_dir = os.path.dirname(board.board.path("x"))
    shots = os.path.join(run_dir, "shots")
    os.makedirs(shots, exist_ok=True)
    env = dict(os.environ,
               PB_URL="https://portbridge:%d" % board.port(443),
               PB_PASSWORD=password, PB_NEW_PASSWORD=NEW_PASSWORD,
               PB_SHOTS=shots, PB_STATE=os.path.join(run_dir, "state.json"),
               PB_NODE_MODULES=node_modules, PB_CHROMIUM=CHROMIUM)
    p = subprocess.run(["node", SCRIPT, phase], env=env, capture_output=True,
                       text=True, timeout=600)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    assert lines, "no result from the browser:\n%s\n%s" % (p.stdout,
                                                           p.stderr)
    seen = json.loads(lines[-1])
    assert p.returncode == 0 and "error" not in seen, \
        "browser phase %s failed: %s\n%s" % (phase, seen.get("error"),
                                             p.stderr)
    return seen


def tcp_refused(board, port):
    """1 if the board does not serve TCP on @port (QEMU accepts on the host
    and closes as soon as the guest refuses)."""
    try:
        s = socket.create_connection(("127.0.0.1", board.port(port)),
                                     timeout=10)
    except OSError:
        return True
    try:
        s.settimeout(10)
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True
    finally:
        s.close()


def test_browser_session(board, node_modules):
    # pbctl as root through the agent: the admin's password may change
    board.agent.run("pbctl config set messages login "
                    "'Welcome_to_the_test_board'")
    # port 1 is a TCP server before
    s = board.connect(4001)
    dev = board.serial(1)
    s.sendall(b"tcp before")
    assert recv_exactly(dev, 10, 20) == b"tcp before"
    s.close()

    seen = run_phase(board, node_modules, "login-port", board.password())
    assert seen["loginMessage"] == "Welcome_to_the_test_board"
    assert seen["failure"], "no message after a wrong password"
    assert seen["cookie"] == {"secure": True, "httpOnly": True,
                              "sameSite": "Strict"}
    assert seen["overviewRows"] == 4
    assert seen["modeBefore"] == "tcp-server"
    assert seen["modeAfter"] == "udp", seen
    assert "applied" in seen["portFlash"]
    assert seen["consoleErrors"] == []
    password = NEW_PASSWORD if seen["forcedChange"] else board.password()

    # it took effect on the data port: no TCP server, datagrams go to the
    # serial line
    assert board.agent.out("pbctl port show").splitlines()[1].split()[2] \
        == "udp"
    deadline = time.monotonic() + 60
    while not tcp_refused(board, 4001):
        assert time.monotonic() < deadline, "port 1 still serves TCP"
        time.sleep(0.5)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.sendto(b"udp after", ("127.0.0.1", board.port(4001)))
    assert recv_exactly(dev, 9, 20) == b"udp after"
    tx.close()
    dev.close()

    seen = run_phase(board, node_modules, "allow-logout", password)
    assert seen["overviewPort1"][1] == "udp", seen["overviewPort1"]
    assert "lock yourself out" in seen["warning"]
    assert "10.0.2.2" in seen["warning"]
    assert seen["toggleRefused"], "switching on without our entry passed"
    assert "saved" in seen["addFlash"], seen
    assert seen["entries"] == ["10.0.2.0/255.255.255.0 on"]
    assert "saved" in seen["toggleFlash"], seen
    assert seen["allowState"] == "on"
    assert any("mode tcp-server -> udp by admin" in r
               for r in seen["logConfig"]), seen["logConfig"]
    assert seen["afterLogout"].endswith("/login")
    assert seen["afterLogoutVisit"].endswith("/login")
    assert seen["consoleErrors"] == []
    shots = os.path.join(os.path.dirname(board.board.path("x")), "shots")
    for name in ("login", "overview", "port", "allow", "log", "logged-out"):
        assert os.path.getsize(os.path.join(shots, name + ".png")) > 1000
    conf = board.agent.out("pbctl config show")
    assert "entry1 = 10.0.2.0/255.255.255.0 on" in conf
    # the change was made by the account that was logged in
    log = board.agent.out("pbctl log show 2>/dev/null; "
                          "cat /var/log/messages 2>/dev/null")
    assert "port 1 mode tcp-server -> udp by admin" in log, log[-3000:]
