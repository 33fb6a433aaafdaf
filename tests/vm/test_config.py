"""The board's settings: pbctl config get/set of the plain sections, clear
errors, export (secrets only on request, as hashes) and import (all or
nothing, the bad line named), and a setting changed over SSH surviving a
reboot.  One boot (and one reboot).
"""
import json
import re

import pytest


def config_text(board):
    return board.pbctl("config show").stdout


def test_sections_are_readable_as_text_and_json(board):
    out = board.pbctl("config get console").stdout
    assert re.search(r"^retry-limit = 5$", out, re.M), out
    assert board.pbctl("config get console locked-time").stdout == "15\n"
    js = json.loads(board.pbctl("config get console --json").stdout)
    assert js["retry-limit"] == 5 and js["ssh"] == "on"
    js = json.loads(board.pbctl("config get network --json").stdout)
    assert js["address"] == "10.0.2.15"


@pytest.mark.parametrize("args,problem", [
    ("config set console retry-limit 11", r"retry-limit.*1.*10"),
    ("config set console locked-time 0", r"locked-time.*1.*60"),
    ("config set console retry-limit many", r"retry-limit"),
    ("config set console colour blue", r"unknown key 'colour'"),
    ("config set nosuch key value", r"unknown section 'nosuch'"),
    ("config set password min-length 3", r"min-length.*4.*64"),
    ("config set network address 10.0.2.300", r"address"),
    ("config set system reset-button sometimes", r"reset-button"),
])
def test_bad_values_get_a_clear_error_and_change_nothing(board, args,
                                                         problem):
    before = config_text(board)
    p = board.pbctl(args, check=False)
    assert p.returncode != 0
    assert re.search(problem, p.stderr), p.stderr
    assert config_text(board) == before


def test_export_has_secrets_only_on_request_and_only_as_hashes(board):
    board.pbctl("config set radius secret Radius-Secret-77")
    plain = board.pbctl("config export").stdout
    assert "[account admin]" in plain and "[console]" in plain
    assert "password-hash" not in plain
    assert "Radius-Secret-77" not in plain
    full = board.pbctl("config export --secrets").stdout
    m = re.search(r"^password-hash = (\S+)$", full, re.M)
    assert m and m.group(1).startswith("$"), full
    assert board.password() not in full
    assert "Radius-Secret-77" not in full
    assert "Radius-Secret-77" not in board.agent.out("cat /var/log/messages")


def import_text(board, text):
    return board.ssh("pbctl config import -", input=text, check=False)


def test_import_with_one_bad_line_names_it_and_changes_nothing(board):
    before = config_text(board)
    lines = board.pbctl("config export").stdout.splitlines()
    lines = [("retry-limit = 7" if l.startswith("retry-limit =") else
              "hostname = imported" if l.startswith("hostname =") else l)
             for l in lines]
    bad = [i for i, l in enumerate(lines)
           if l.startswith("locked-time =")][0] + 1
    lines[bad - 1] = "locked-time = 999"
    p = import_text(board, "\n".join(lines) + "\n")
    assert p.returncode == 1
    assert re.search(r"line %d: .*locked-time" % bad, p.stderr), p.stderr
    assert config_text(board) == before
    # unknown keys and sections are named the same way
    lines[bad - 1] = "locked-time = 10"
    lines.insert(3, "flavour = vanilla")
    p = import_text(board, "\n".join(lines) + "\n")
    assert p.returncode == 1 and "line 4" in p.stderr, p.stderr
    assert config_text(board) == before
    del lines[3]
    p = import_text(board, "\n".join(lines) + "\n")
    assert p.returncode == 0, p.stderr
    assert board.pbctl("config get console retry-limit").stdout == "7\n"
    assert board.pbctl("config get system hostname").stdout == "imported\n"
    assert board.agent.out("hostname").strip() == "imported"
    assert re.search(r"config: import by admin",
                     board.agent.out("cat /var/log/messages"))


def test_a_setting_changed_over_ssh_survives_a_reboot(board):
    board.pbctl("config set system hostname plant-7")
    board.pbctl("config set messages login 'Authorized use only.'")
    board.pbctl("config set console retry-limit 4")
    board.reboot()
    assert board.pbctl("config get system hostname").stdout == "plant-7\n"
    assert board.pbctl("config get console retry-limit").stdout == "4\n"
    assert board.agent.out("hostname").strip() == "plant-7"
    assert board.pbctl("config get messages login").stdout == \
        "Authorized use only.\n"
    # the login message is SSH's banner and the serial console's greeting
    assert board.agent.out("cat /run/portbridge/banner") == \
        "Authorized use only.\n"
