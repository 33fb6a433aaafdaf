"""pytest fixtures for the VM suites: one boot serves a whole test module.

Every test fails if the guest's kernel log gained a WARN, BUG, oops,
refcount or leak report while it ran; the module's last check runs after
the board is powered off cleanly (console log).
"""
import os

import pytest

from pbtest import KERNEL_TROUBLE, TestBoard


@pytest.fixture(scope="module")
def board(request):
    name = os.path.splitext(os.path.basename(request.module.__file__))[0]
    b = TestBoard(name)
    b.start(factory=True)
    yield b
    b.stop()
    trouble = [l for l in b.board.console_text().splitlines()
               if KERNEL_TROUBLE.search(l)]
    assert not trouble, "kernel trouble on the console:\n" + "\n".join(
        trouble)


@pytest.fixture(autouse=True)
def kernel_clean(request):
    """Fail the test if the kernel complained while it ran."""
    if "board" not in request.fixturenames:
        yield
        return
    b = request.getfixturevalue("board")
    before = len(b.dmesg().splitlines()) if b.agent else 0
    yield
    if not b.agent:
        return
    new = b.dmesg().splitlines()[before:]
    trouble = b.kernel_trouble("\n".join(new))
    assert not trouble, "kernel trouble:\n" + "\n".join(trouble)
