"""The reference board's contract: first-boot secrets, the SSH console,
least functionality, settings that survive a reboot, clear errors for bad
settings, factory reset."""
import json
import re

import pytest

PASSWORD_LINE = "portbridge: initial admin password: "


def show(board):
    ports = json.loads(board.pbctl("port show --json").stdout)
    return {p["port"]: p for p in (ports["ports"] if isinstance(ports, dict)
                                   else ports)}


def test_first_boot_password_is_random_printed_once_and_hashed(board):
    pw = board.initial_password()
    assert len(pw) >= 12
    console = board.board.console_text()
    assert console.count(PASSWORD_LINE) == 1
    assert (PASSWORD_LINE + pw) in console
    # admin's line as the first boot wrote it (before the harness's first
    # login changed the password): sha512crypt, "change at next login"
    admin = board.first_boot_shadow
    assert pw not in admin
    assert re.match(r"admin:\$6\$rounds=\d+\$[^:]+:0:", admin), admin
    shadow = board.agent.out("cat /data/etc/shadow")
    assert pw not in shadow and board.password() not in shadow
    assert board.agent.out("stat -c '%a %U' /data/etc/shadow").strip() \
        == "600 root"
    # No clear-text copy anywhere on the persistent disk.
    for p in (pw, board.password()):
        assert board.agent.run("grep -rqF '%s' /data" % p,
                               check=False)[0] == 1


def test_ssh_login_with_the_password_and_pbctl(board):
    p = board.ssh("id -un; id -gn; which pbctl")
    assert p.stdout.split() == ["admin", "admins", "/usr/bin/pbctl"]


def test_wrong_password_and_root_are_refused(board):
    assert board.ssh_login("admin", board.password()) == 0
    # sshpass exits with 5 when the server keeps asking: refused.
    assert board.ssh_login("admin", board.password() + "x") == 5
    assert board.ssh_login("root", board.password()) == 5
    assert board.ssh_login("nobody", board.password()) == 5


def test_only_needed_services_listen(board):
    tcp = board.agent.out("netstat -ltn")
    ports = sorted({int(m) for m in re.findall(r":(\d+)\s", tcp)})
    assert ports == [22, 443, 4001, 4002, 4003, 4004], tcp  # 443: pbwebd
    udp = board.agent.out("netstat -lun")
    assert not re.findall(r":(\d+)\s", udp), udp


def test_port_map_comes_from_the_device_tree(board):
    ports = show(board)
    assert [ports[n]["tty"] for n in (1, 2, 3, 4)] == \
        ["ttyS4", "ttyS5", "ttyS6", "ttyS7"]
    dtb = board.agent.out("ls -l /etc/portbridge/board.dtb")
    assert "board.dtb" in dtb


@pytest.mark.parametrize("args, message", [
    ("port set 1 baud 921600", "921600"),
    ("port set 1 baud fast", "baud"),
    ("port set 1 parity sometimes", "parity"),
    ("port set 1 data-bits 9", "data-bits"),
    ("port set 1 max-connections 9", "max-connections"),
    ("port set 1 colour blue", "colour"),
    ("port set 9 baud 9600", "9"),
    ("port set 1 baud", "baud"),
])
def test_bad_settings_get_a_clear_error_and_change_nothing(board, args,
                                                            message):
    before = board.pbctl("config show").stdout
    p = board.pbctl(args, check=False)
    assert p.returncode != 0
    err = p.stdout + p.stderr
    assert message in err, err
    assert board.pbctl("config show").stdout == before
    assert show(board)[1]["baud"] == 115200


def test_settings_are_logged_with_who(board):
    board.pbctl("port set 3 baud 57600")
    board.pbctl("port set 3 baud 115200")
    log = board.board.console_text() + board.agent.out(
        "cat /var/log/messages 2>/dev/null; true")
    assert re.search(r"port 3 baud 115200 -> 57600 by admin", log), log


def test_settings_survive_a_reboot(board):
    board.pbctl("port set 2 baud 9600 data-bits 7 parity even stop-bits 2 "
                "max-connections 2")
    board.reboot()
    p = show(board)[2]
    assert (p["baud"], p["data-bits"], p["parity"], p["stop-bits"],
            p["max-connections"]) == (9600, 7, "even", 2, 2)
    # The first boot's password is printed once, not at every boot.
    assert PASSWORD_LINE not in board.board.console_text()
    board.pbctl("port set 2 baud 115200 data-bits 8 parity none "
                "stop-bits 1 max-connections 1")


def test_factory_reset_makes_new_secrets(board):
    old = board.initial_password()
    old_key = board.agent.out("cat /data/keys/dropbear_ed25519_host_key |"
                              " sha256sum")
    board.stop()
    board.board.factory_reset()
    board.start()
    assert board.initial_password() != old
    assert board.agent.out("cat /data/keys/dropbear_ed25519_host_key |"
                           " sha256sum") != old_key
    assert board.ssh("pbctl port show").returncode == 0
