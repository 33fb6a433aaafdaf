#!/usr/bin/python3
"""Run pytest and end with one line "N passed, M failed" (errors and
failures both count as failed; skipped tests are named, not counted).

Usage: pytest-summary.py JUNIT.xml -- PYTEST_ARGS...
"""
import subprocess
import sys
import xml.etree.ElementTree as ET


def main(argv):
    xml, sep, args = argv[1], argv[2], argv[3:]
    if sep != "--":
        sys.exit(__doc__)
    rc = subprocess.call([sys.executable, "-m", "pytest",
                          "--junitxml=" + xml] + args)
    try:
        root = ET.parse(xml).getroot()
    except (OSError, ET.ParseError):
        print("0 passed, 1 failed (pytest wrote no report, exit %d)" % rc)
        return 1
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0))
              for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    if skipped:
        print("%d skipped" % skipped)
    print("%d passed, %d failed" % (total - bad - skipped, bad))
    return 1 if bad or rc not in (0, 5) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
