// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware upgrade images (.pbfw): the input is parsed and verified
 * against the development public key (keys/dev-firmware.pub), as pbfwupd
 * does with an uploaded file.  Checks: a parsed layout is consistent with
 * the input size, the build id is printable, a verified image parsed, and
 * a parsed header re-encodes to the same bytes.  The input's first bytes
 * are also read as a version string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwimg.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* keys/dev-firmware.pub */
static const char pubkey[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEDnbVTpA2RW5JQcaK2iJv9fgjWEYV\n"
	"cKF5MJbLzBrKfSroc20LlBULJYr+JMVt/HcHE75h2rIBfH6+JzYHTEx2TQ==\n"
	"-----END PUBLIC KEY-----\n"
;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct fwimg_info fi, fv;
	uint8_t hdr[FWIMG_HDR_SIZE];
	char ver[24];
	uint32_t v[3];
	size_t i, n;
	int rc, rv;

	rc = fwimg_parse(data, size, &fi);
	rv = fwimg_verify(data, size, (const uint8_t *)pubkey,
			  sizeof(pubkey), &fv);
	if (rv == FWIMG_OK && rc != FWIMG_OK)
		abort();
	if (rc != FWIMG_OK && rv != rc)
		abort();
	if (rc == FWIMG_OK) {
		if (fi.total != size || fi.kernel_off != FWIMG_HDR_SIZE ||
		    fi.initrd_off != fi.kernel_off + fi.kernel_size ||
		    fi.digest_off != fi.initrd_off + fi.initrd_size ||
		    fi.sig_off + fi.sig_len != size ||
		    fi.sig_len > FWIMG_SIG_MAX)
			abort();
	}
	if (fwimg_parse_header(data, size, &fi) == FWIMG_OK) {
		n = strlen(fi.build_id);
		if (n > FWIMG_BUILD_ID_LEN)
			abort();
		for (i = 0; i < n; i++)
			if (fi.build_id[i] < 0x21 || fi.build_id[i] > 0x7e)
				abort();
		if (fwimg_write_header(hdr, &fi) != FWIMG_OK ||
		    memcmp(hdr, data, FWIMG_HDR_SIZE))
			abort();
	}
	n = size < sizeof(ver) - 1 ? size : sizeof(ver) - 1;
	memcpy(ver, data, n);
	ver[n] = '\0';
	if (fwimg_parse_version(ver, v) == 0 &&
	    (v[0] > 999999 || v[1] > 999999 || v[2] > 999999))
		abort();
	return 0;
}
