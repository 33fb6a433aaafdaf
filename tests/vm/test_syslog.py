"""Remote syslog against a real rsyslog (Debian's rsyslogd) on the host:
the board sends its events through QEMU's user network to 10.0.2.2, which
is the host's loopback.  rsyslogd runs unprivileged-port UDP listeners on
127.0.0.1 with its own configuration, work directory and pid file, and
writes each message's parsed fields (what rsyslog understood, not our
bytes) one per line.

Server 1 speaks RFC 5424 with the default facility (local5), server 2
RFC 3164 with local3, each to its own port and file.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import pytest

from test_eventlog import entries, wait_for

RSYSLOG_CONF = """\
global(workDirectory="{dir}" maxMessageSize="8k")
module(load="imudp")
template(name="fields" type="list") {{
  property(name="pri") constant(value="|")
  property(name="syslogfacility-text") constant(value="|")
  property(name="syslogseverity-text") constant(value="|")
  property(name="protocol-version") constant(value="|")
  property(name="hostname") constant(value="|")
  property(name="app-name") constant(value="|")
  property(name="procid") constant(value="|")
  property(name="msgid") constant(value="|")
  property(name="structured-data") constant(value="|")
  property(name="msg") constant(value="\\n")
}}
ruleset(name="r5424") {{
  action(type="omfile" file="{dir}/rfc5424.log" template="fields")
}}
ruleset(name="r3164") {{
  action(type="omfile" file="{dir}/rfc3164.log" template="fields")
}}
input(type="imudp" address="127.0.0.1" port="{p5424}" ruleset="r5424")
input(type="imudp" address="127.0.0.1" port="{p3164}" ruleset="r3164")
"""

FIELDS = ("pri", "facility", "severity", "version", "hostname", "app",
          "procid", "msgid", "sd", "msg")
SEVERITIES = ["emerg", "alert", "crit", "err", "warning", "notice", "info",
              "debug"]


class Rsyslog:
    def __init__(self, run_dir, port_base):
        self.dir = os.path.join(run_dir, "rsyslog")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        # unprivileged ports next to the board's forwarded ones
        self.p5424 = port_base + 5514
        self.p3164 = port_base + 5515
        conf = os.path.join(self.dir, "rsyslog.conf")
        with open(conf, "w") as f:
            f.write(RSYSLOG_CONF.format(dir=self.dir, p5424=self.p5424,
                                        p3164=self.p3164))
        self.proc = subprocess.Popen(
            ["/usr/sbin/rsyslogd", "-n", "-f", conf, "-i",
             os.path.join(self.dir, "rsyslogd.pid")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # ready when a probe of our own comes out of both files
        deadline = time.monotonic() + 30
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        while not (self.find("rfc5424", "probe") and
                   self.find("rfc3164", "probe")):
            assert self.proc.poll() is None, self.proc.stdout.read()
            assert time.monotonic() < deadline, "rsyslogd is not receiving"
            for p in (self.p5424, self.p3164):
                s.sendto(b"<13>Nov 25 10:00:00 host probe: probe",
                         ("127.0.0.1", p))
            time.sleep(0.2)
        s.close()

    def lines(self, which):
        try:
            with open(os.path.join(self.dir, which + ".log"),
                      errors="replace") as f:
                text = f.read()
        except FileNotFoundError:
            return []
        out = []
        for l in text.splitlines():
            parts = l.split("|", len(FIELDS) - 1)
            if len(parts) == len(FIELDS):
                out.append(dict(zip(FIELDS, parts)))
        return out

    def find(self, which, pattern):
        return [m for m in self.lines(which) if re.search(pattern, m["msg"])]

    def wait(self, which, pattern, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            hit = self.find(which, pattern)
            if hit:
                return hit[0]
            assert time.monotonic() < deadline, \
                "rsyslog (%s) got nothing matching %r; last:\n%s" % (
                    which, pattern, "\n".join(m["msg"] for m in
                                              self.lines(which)[-20:]))
            time.sleep(0.2)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def rsyslog(board):
    r = Rsyslog(board.board.run_dir, board.board.port_base)
    board.pbctl("config set log syslog1 10.0.2.2 syslog1-port %d "
                "syslog2 10.0.2.2 syslog2-port %d syslog2-facility local3 "
                "syslog2-format rfc3164" % (r.p5424, r.p3164))
    # the change itself is the first thing both servers get
    r.wait("rfc5424", r"event log settings applied")
    r.wait("rfc3164", r"event log settings applied")
    yield r
    r.stop()


def sd_params(sd):
    """{"meta": {...}, "portbridge@32473": {...}} from structured data."""
    out = {}
    for sid, body in re.findall(r'\[(\S+)((?: [^=\]]+="(?:[^"\\]|\\.)*")*)\]',
                                sd):
        out[sid] = dict(re.findall(r' ([^=]+)="((?:[^"\\]|\\.)*)"', body))
    return out


def test_rfc5424_fields(board, rsyslog):
    board.agent.out("logger -p daemon.warning -t tester "
                    "'@opmode rfc5424-check one'")
    m = rsyslog.wait("rfc5424", r"rfc5424-check one$")
    assert m["version"] == "1"
    assert m["facility"] == "local5"
    assert m["severity"] == "warning"
    assert m["pri"] == str(21 * 8 + 4)
    assert m["hostname"] == "portbridge"
    assert m["app"] == "tester"
    assert re.fullmatch(r"\d+", m["procid"])
    assert m["msgid"] == "OpMode"
    sd = sd_params(m["sd"])
    assert re.fullmatch(r"[1-9]\d*", sd["meta"]["sequenceId"])
    assert re.fullmatch(r"\d+", sd["meta"]["sysUpTime"])
    pb = sd["portbridge@32473"]
    assert pb["category"] == "OpMode" and pb["boot"] == "1"
    # the same event in the local log, under the index the server got
    local, _ = wait_for(board, r"rfc5424-check one$")
    assert str(local["index"]) == pb["index"]
    assert m["msg"] == "rfc5424-check one"


def test_rfc3164_fields(board, rsyslog):
    board.agent.out("logger -p user.err -t tester '@config rfc3164-check'")
    m = rsyslog.wait("rfc3164", r"rfc3164-check$")
    assert m["version"] == "0"
    assert m["facility"] == "local3"
    assert m["severity"] == "err"
    assert m["pri"] == str(19 * 8 + 3)
    assert m["hostname"] == "portbridge"
    assert m["app"] == "tester"
    assert re.fullmatch(r"\d+", m["procid"])
    assert re.fullmatch(r" ?seq=[1-9]\d* category=Config rfc3164-check",
                        m["msg"]), m["msg"]


def test_every_severity(board, rsyslog):
    """syslog(3)'s severities come through; debug stays local-only out."""
    for sev in SEVERITIES[:-1]:
        board.agent.out("logger -p daemon.%s -t sevtest 'sev-%s'"
                        % (sev, sev))
    for sev in SEVERITIES[:-1]:
        for which in ("rfc5424", "rfc3164"):
            m = rsyslog.wait(which, r"sev-%s$" % sev)
            assert m["severity"] == sev, m


def test_port_events_and_config_changes(board, rsyslog):
    s = board.connect(4001)
    m = rsyslog.wait("rfc5424", r"^port 1: connect from 10\.0\.2\.2:\d+$")
    assert m["app"] == "portbridge" and m["msgid"] == "OpMode"
    assert m["severity"] == "info"
    s.close()
    rsyslog.wait("rfc5424", r"^port 1: disconnect 10\.0\.2\.2:\d+ "
                 r"\(peer-closed\)$")
    rsyslog.wait("rfc3164", r"port 1: disconnect 10\.0\.2\.2:\d+ "
                 r"\(peer-closed\)$")
    board.pbctl("port set 3 baud 57600")
    board.pbctl("port set 3 baud 115200")
    m = rsyslog.wait("rfc5424", r"^config: port 3 baud 115200 -> 57600 "
                     r"by admin")
    assert m["app"] == "pbconfd" and m["msgid"] == "Config"
    rsyslog.wait("rfc5424", r"^config change from 10\.0\.2\.2:\d+ \(ssh\): "
                 r"port-set 3 baud 57600: ok \[by admin, uid 1000\]$")


def test_every_event_arrives_in_sequence(board, rsyslog):
    """Each local entry since the servers were set reached each server,
    and each server's sequence counts up by one with no gap."""
    for i in range(30):
        board.agent.out("logger -t burst '@system burst %d'" % i)
    rsyslog.wait("rfc5424", r"burst 29$")
    rsyslog.wait("rfc3164", r"burst 29$")
    msgs = [m for m in rsyslog.lines("rfc5424") if m["app"] != "probe"]
    seqs = [int(sd_params(m["sd"])["meta"]["sequenceId"]) for m in msgs]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs
    got = {int(sd_params(m["sd"])["portbridge@32473"]["index"])
           for m in msgs}
    local = [r for r in entries(board) if r["index"] >= min(got)]
    missing = [r for r in local if r["index"] not in got]
    assert not missing, missing
    legacy = [m for m in rsyslog.lines("rfc3164") if m["app"] != "probe"]
    seq3164 = [int(re.match(r" ?seq=(\d+) ", m["msg"]).group(1))
               for m in legacy]
    assert seq3164 == list(range(seq3164[0], seq3164[0] + len(seq3164)))
    assert len(legacy) == len(msgs)


def test_remote_recording_per_category(board, rsyslog):
    board.pbctl("config set log system-remote off")
    try:
        board.agent.out("logger -t cat '@system not-for-remote'")
        board.agent.out("logger -t cat '@network for-remote'")
        rsyslog.wait("rfc5424", r"for-remote$")
        wait_for(board, r"not-for-remote$")
        assert not rsyslog.find("rfc5424", r"not-for-remote")
        assert not rsyslog.find("rfc3164", r"not-for-remote")
    finally:
        board.pbctl("config set log system-remote on")
    board.pbctl("config set log config-local off")
    try:
        board.agent.out("logger -t cat '@config remote-only'")
        rsyslog.wait("rfc5424", r"remote-only$")
        assert not [r for r in entries(board)
                    if r["text"].endswith("remote-only")]
    finally:
        board.pbctl("config set log config-local on")
