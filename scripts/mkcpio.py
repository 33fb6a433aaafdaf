#!/usr/bin/python3
"""Write a directory tree as a "newc" cpio archive for the kernel's initramfs.

Every entry is owned by root whatever user builds the image, and a few
device nodes are added (the kernel needs /dev/console before devtmpfs is
mounted).  No root privileges or mknod are needed to build the board.

Usage: mkcpio.py [--no-devices] ROOTDIR OUTPUT.cpio
"""
import os
import stat
import sys

DEVICES = [  # path, mode, major, minor
    ("dev/console", stat.S_IFCHR | 0o600, 5, 1),
    ("dev/null", stat.S_IFCHR | 0o666, 1, 3),
]


def header(name, mode, size, nlink=1, major=0, minor=0, mtime=0, ino=0):
    fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, major, minor,
              len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * ((4 - n % 4) % 4)


def entry(out, name, mode, data=b"", major=0, minor=0, ino=0):
    hdr = header(name, mode, len(data), major=major, minor=minor, ino=ino)
    raw = hdr + name.encode() + b"\0"
    out.write(raw + pad4(len(raw)))
    out.write(data + pad4(len(data)))


def main():
    args = sys.argv[1:]
    devices = DEVICES
    if args and args[0] == "--no-devices":
        devices = []
        args = args[1:]
    root, output = args
    ino = 1
    with open(output, "wb") as out:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel = os.path.relpath(dirpath, root)
            if rel != ".":
                st = os.lstat(dirpath)
                entry(out, rel, stat.S_IFDIR | stat.S_IMODE(st.st_mode),
                      ino=ino)
                ino += 1
            for f in sorted(filenames):
                path = os.path.join(dirpath, f)
                name = os.path.normpath(os.path.join(rel, f))
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    data = os.readlink(path).encode()
                elif stat.S_ISREG(st.st_mode):
                    with open(path, "rb") as fh:
                        data = fh.read()
                else:
                    sys.exit("mkcpio: unsupported file type: " + path)
                entry(out, name, st.st_mode, data, ino=ino)
                ino += 1
        for name, mode, major, minor in devices:
            entry(out, name, mode, major=major, minor=minor, ino=ino)
            ino += 1
        entry(out, "TRAILER!!!", 0)


if __name__ == "__main__":
    main()
