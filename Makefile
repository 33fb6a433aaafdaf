# portbridge: top-level build.
#
#   make                build modules, programs, device trees and the image
#   make firmware       a signed firmware upgrade image (.pbfw)
#   make run            boot the reference board in the foreground
#   make start / stop   the same in the background (console in build/run/)
#   make factory-reset  wipe the board's persistent disk
#   make check          every test; last line "N passed, M failed"
#   make bench          portbridge against ser2net and socat (build/bench/)
#
# Missing Debian packages are installed by scripts/install-deps.sh.
# BUILD=<dir> builds and tests in another directory (default build/), so
# several trees of work can be built and booted side by side.

BUILD      ?= $(CURDIR)/build
DEPS_STAMP := $(BUILD)/.deps-ok
KABI        = $(shell scripts/kernel-abi.sh)
KDIR        = /usr/src/linux-headers-$(KABI)
PYTHON     := /usr/bin/python3

KMOD       := $(BUILD)/kmod/kernel/portbridge/portbridge.ko
IMAGE      := $(BUILD)/image/initramfs.cpio.gz

.PHONY: all deps kernel mbedtls dropbear modules userspace dtbs image firmware run start stop \
	factory-reset check unit fuzz vmtest bench clean

all: image

# Re-run the installer whenever it changes; it is a no-op when all is there.
$(DEPS_STAMP): scripts/install-deps.sh
	scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_STAMP)

kernel: $(DEPS_STAMP)
	scripts/fetch-kernel.sh $(BUILD)

# mbedtls 3.6 LTS (TLS 1.3) from Debian trixie's source, static, for the
# HTTPS console and firmware signatures.
mbedtls: $(DEPS_STAMP)
	scripts/fetch-mbedtls.sh $(BUILD)

# dropbear from Debian's source with PAM, for the accounts library's logins.
dropbear: $(DEPS_STAMP)
	scripts/fetch-dropbear.sh $(BUILD)

# Kbuild writes its objects next to the sources: build in a tree of
# symbolic links under build/ so the source tree stays clean.
modules: $(DEPS_STAMP)
	@mkdir -p $(BUILD)/kmod
	cp -rsf $(CURDIR)/Kbuild $(CURDIR)/kernel $(BUILD)/kmod/
	$(MAKE) -C $(KDIR) M=$(BUILD)/kmod modules

# libpb needs mbedtls (RADIUS's MD5 and HMAC-MD5).
userspace: $(DEPS_STAMP) mbedtls
	$(MAKE) -C userspace O=$(BUILD)/userspace

dtbs: $(DEPS_STAMP)
	$(MAKE) -C dts O=$(BUILD)/dts

image: kernel modules userspace dtbs dropbear
	scripts/mkimage.sh $(BUILD)

# A signed firmware upgrade image of this build (Documentation/firmware.md):
# $(BUILD)/image/portbridge-VERSION.pbfw, signed with keys/dev-firmware.key
# (DEVELOPMENT ONLY) unless PB_FW_KEY names the vendor's key.
firmware: image
	scripts/mkfirmware.sh $(BUILD)

run: image
	$(PYTHON) scripts/board.py run

start: image
	$(PYTHON) scripts/board.py start

stop:
	$(PYTHON) scripts/board.py stop

factory-reset:
	$(PYTHON) scripts/board.py factory-reset

check: image
	scripts/check.sh $(BUILD)

unit: $(DEPS_STAMP) mbedtls
	$(MAKE) -C userspace O=$(BUILD)/userspace check

fuzz: $(DEPS_STAMP) mbedtls
	$(MAKE) -C userspace O=$(BUILD)/userspace fuzz

vmtest: image
	scripts/mktestimage.sh $(BUILD)
	PB_BUILD_DIR=$(BUILD) $(PYTHON) -m pytest -v tests/vm

# Not a test: it reports figures and ratios, and fails only if a contender
# cannot run at all.  make check runs a smoke version.
bench: image
	scripts/mkbenchimage.sh $(BUILD)
	PB_BUILD_DIR=$(BUILD) $(PYTHON) tests/bench/run.py --out $(BUILD)/bench
	PB_BUILD_DIR=$(BUILD) $(PYTHON) tests/bench/allowlist_bench.py \
		--out $(BUILD)/bench/allowlist

clean:
	$(PYTHON) scripts/board.py stop
	rm -rf $(BUILD)
