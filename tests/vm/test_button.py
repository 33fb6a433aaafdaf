"""The reset button (pb-buttond): on the reference board F12 of QEMU's
keyboard, pressed through QMP.  With [system] reset-button first-60s it
is ignored after the first minute of uptime and does a factory reset
within it (the board restarts: QEMU runs with -no-reboot and exits, and
the next boot is a first boot).
"""
import re
import time


def key(board, down):
    board.board.qmp("input-send-event", events=[{
        "type": "key",
        "data": {"down": down, "key": {"type": "qcode", "data": "f12"}}}])


def uptime(board):
    return float(board.agent.out("cut -d' ' -f1 /proc/uptime"))


def wait_log(board, pattern, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        text = board.agent.out("cat /var/log/messages")
        if re.search(pattern, text):
            return
        assert time.monotonic() < deadline, "no %r in the log" % pattern
        time.sleep(0.5)


def test_the_board_has_a_keyboard_for_the_button(board):
    devices = board.agent.out("cat /proc/bus/input/devices")
    assert "keyboard" in devices.lower(), devices
    assert board.agent.run("pidof pb-buttond", check=False)[0] == 0


def test_button_is_ignored_after_60_s_when_so_configured(board):
    board.pbctl("config set system reset-button first-60s hostname kept")
    deadline = time.monotonic() + 300
    while uptime(board) < 61:
        assert time.monotonic() < deadline
        time.sleep(1)
    key(board, True)
    try:
        wait_log(board, r"reset button held at \d+ s uptime: ignored")
    finally:
        key(board, False)
    assert board.pbctl("config get system hostname").stdout == "kept\n"


def test_button_within_60_s_resets_to_factory(board):
    old_pw = board.password()
    board.reboot()
    assert uptime(board) < 55, "the boot took too long to test the window"
    key(board, True)
    deadline = time.monotonic() + 120
    while board.board.running():
        assert time.monotonic() < deadline, "no reset"
        time.sleep(0.2)
    console = board.board.console_text()
    assert "factory reset done" in console, console[-2000:]
    board.agent.close()
    board.agent = None
    board.close_ssh()
    board.start()
    # a first boot: a new admin password, the default settings
    assert board.password() != old_pw
    assert board.pbctl("config get system hostname").stdout == \
        "portbridge\n"
    assert board.pbctl("config get system reset-button").stdout == \
        "always\n"
