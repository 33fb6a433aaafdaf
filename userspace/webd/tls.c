// SPDX-License-Identifier: GPL-2.0
/*
 * TLS for pbwebd with mbedtls 3.6: TLS 1.2 and 1.3 only, AEAD ciphers with
 * ECDHE (or TLS 1.3) key exchange by default, and the board's self-signed
 * certificate (ECDSA P-256), made at the first start with the board's
 * names and addresses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "fileio.h"
#include "log.h"
#include "webd.h"

static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static mbedtls_ssl_config cfg;
static mbedtls_x509_crt cert;
static mbedtls_pk_context key;

/* Strong (the default): ECDHE or TLS 1.3, AEAD only. */
static const int strong_suites[] = {
	MBEDTLS_TLS1_3_AES_256_GCM_SHA384,
	MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS1_3_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	0
};

/* Compatibility: the strong set, then ECDHE with CBC and SHA-2. */
static const int compat_suites[] = {
	MBEDTLS_TLS1_3_AES_256_GCM_SHA384,
	MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS1_3_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	0
};

static const uint16_t groups[] = {
	MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
	MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
	MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1,
	MBEDTLS_SSL_IANA_TLS_GROUP_NONE
};

static void log_mbedtls(const char *what, int ret)
{
	char buf[128];

	mbedtls_strerror(ret, buf, sizeof(buf));
	log_err("%s: %s (-0x%04x)", what, buf, (unsigned int)-ret);
}

int tls_random(unsigned char *buf, size_t len)
{
	return mbedtls_ctr_drbg_random(&drbg, buf, len) ? -1 : 0;
}

/* "20260101000000" for @t. */
static void validity(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y%m%d%H%M%S", &tm);
}

#define SAN_MAX 8

/*
 * Make a self-signed certificate for the board's names and addresses and
 * write the key (0600) and the certificate.
 */
static int make_cert(const char *cert_path, const char *key_path,
		     const struct pb_conf *conf)
{
	static unsigned char pem[8192];
	mbedtls_x509_san_list san[SAN_MAX + 2];
	mbedtls_asn1_sequence eku = { 0 };
	mbedtls_x509write_cert crt;
	mbedtls_pk_context k;
	char addrs[SAN_MAX][48], subject[CONF_HOSTNAME_MAX + 48];
	unsigned char ip[SAN_MAX][16], serial[16];
	char from[16], until[16];
	const char *host = conf->system.hostname[0] ? conf->system.hostname :
			   "portbridge";
	unsigned int naddr, nsan = 0, i;
	time_t now = time(NULL);
	int ret;

	mbedtls_pk_init(&k);
	mbedtls_x509write_crt_init(&crt);
	ret = mbedtls_pk_setup(&k, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
	if (!ret)
		ret = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1,
					  mbedtls_pk_ec(k),
					  mbedtls_ctr_drbg_random, &drbg);
	if (ret) {
		log_mbedtls("cannot make the HTTPS key", ret);
		goto out;
	}

	memset(san, 0, sizeof(san));
	san[nsan].node.type = MBEDTLS_X509_SAN_DNS_NAME;
	san[nsan].node.san.unstructured_name.p = (unsigned char *)host;
	san[nsan].node.san.unstructured_name.len = strlen(host);
	nsan++;
	naddr = board_addresses(addrs, SAN_MAX);
	for (i = 0; i < naddr; i++) {
		size_t len = 4;

		if (inet_pton(AF_INET, addrs[i], ip[i]) != 1) {
			if (inet_pton(AF_INET6, addrs[i], ip[i]) != 1)
				continue;
			len = 16;
		}
		san[nsan].node.type = MBEDTLS_X509_SAN_IP_ADDRESS;
		san[nsan].node.san.unstructured_name.p = ip[i];
		san[nsan].node.san.unstructured_name.len = len;
		nsan++;
	}
	for (i = 0; i + 1 < nsan; i++)
		san[i].next = &san[i + 1];

	snprintf(subject, sizeof(subject), "CN=%s,O=portbridge", host);
	/* a day back, for clocks a little behind; ten years ahead */
	validity(now - 86400, from, sizeof(from));
	validity(now + 10 * 366 * 86400L, until, sizeof(until));
	if (tls_random(serial, sizeof(serial))) {
		ret = -1;
		goto out;
	}
	serial[0] &= 0x7f;	/* positive */
	serial[0] |= 0x01;	/* no leading zero byte */
	eku.buf.tag = MBEDTLS_ASN1_OID;
	eku.buf.p = (unsigned char *)MBEDTLS_OID_SERVER_AUTH;
	eku.buf.len = MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH);

	mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&crt, &k);
	mbedtls_x509write_crt_set_issuer_key(&crt, &k);
	ret = mbedtls_x509write_crt_set_subject_name(&crt, subject);
	if (!ret)
		ret = mbedtls_x509write_crt_set_issuer_name(&crt, subject);
	if (!ret)
		ret = mbedtls_x509write_crt_set_serial_raw(&crt, serial,
							   sizeof(serial));
	if (!ret)
		ret = mbedtls_x509write_crt_set_validity(&crt, from, until);
	if (!ret)
		ret = mbedtls_x509write_crt_set_basic_constraints(&crt, 0, -1);
	if (!ret)
		ret = mbedtls_x509write_crt_set_key_usage(&crt,
				MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
	if (!ret)
		ret = mbedtls_x509write_crt_set_ext_key_usage(&crt, &eku);
	if (!ret)
		ret = mbedtls_x509write_crt_set_subject_key_identifier(&crt);
	if (!ret)
		ret = mbedtls_x509write_crt_set_subject_alternative_name(&crt,
									 san);
	if (ret) {
		log_mbedtls("cannot describe the HTTPS certificate", ret);
		goto out;
	}

	ret = mbedtls_pk_write_key_pem(&k, pem, sizeof(pem));
	if (ret) {
		log_mbedtls("cannot write the HTTPS key", ret);
		goto out;
	}
	ret = write_file_atomic(key_path, (char *)pem, strlen((char *)pem),
				0600);
	explicit_bzero(pem, sizeof(pem));
	if (ret) {
		log_err("cannot save %s: %s", key_path, strerror(-ret));
		goto out;
	}
	ret = mbedtls_x509write_crt_pem(&crt, pem, sizeof(pem),
					mbedtls_ctr_drbg_random, &drbg);
	if (ret) {
		log_mbedtls("cannot sign the HTTPS certificate", ret);
		goto out;
	}
	ret = write_file_atomic(cert_path, (char *)pem, strlen((char *)pem),
				0644);
	if (ret) {
		log_err("cannot save %s: %s", cert_path, strerror(-ret));
		goto out;
	}
	log_info("https: made a self-signed certificate for %s and %u address%s",
		 host, naddr, naddr == 1 ? "" : "es");
out:
	mbedtls_x509write_crt_free(&crt);
	mbedtls_pk_free(&k);
	return ret ? -1 : 0;
}

static int load_cert(const char *cert_path, const char *key_path)
{
	int ret;

	ret = mbedtls_x509_crt_parse_file(&cert, cert_path);
	if (ret) {
		log_mbedtls(cert_path, ret);
		return -1;
	}
	ret = mbedtls_pk_parse_keyfile(&key, key_path, NULL,
				       mbedtls_ctr_drbg_random, &drbg);
	if (ret) {
		log_mbedtls(key_path, ret);
		return -1;
	}
	ret = mbedtls_pk_check_pair(&cert.pk, &key, mbedtls_ctr_drbg_random,
				    &drbg);
	if (ret) {
		log_mbedtls("the HTTPS key does not match its certificate",
			    ret);
		return -1;
	}
	return 0;
}

int tls_init(const char *cert_path, const char *key_path, int strong,
	     const struct pb_conf *conf)
{
	static const char pers[] = "pbwebd";
	struct stat st;
	int ret;

	if (psa_crypto_init() != PSA_SUCCESS) {
		log_err("cannot initialize PSA crypto");
		return -1;
	}
	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	mbedtls_ssl_config_init(&cfg);
	mbedtls_x509_crt_init(&cert);
	mbedtls_pk_init(&key);
	ret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
				    (const unsigned char *)pers,
				    sizeof(pers) - 1);
	if (ret) {
		log_mbedtls("cannot seed the random generator", ret);
		return -1;
	}
	if (stat(cert_path, &st) || stat(key_path, &st)) {
		if (make_cert(cert_path, key_path, conf))
			return -1;
	}
	if (load_cert(cert_path, key_path))
		return -1;

	ret = mbedtls_ssl_config_defaults(&cfg, MBEDTLS_SSL_IS_SERVER,
					  MBEDTLS_SSL_TRANSPORT_STREAM,
					  MBEDTLS_SSL_PRESET_DEFAULT);
	if (ret) {
		log_mbedtls("mbedtls_ssl_config_defaults", ret);
		return -1;
	}
	mbedtls_ssl_conf_rng(&cfg, mbedtls_ctr_drbg_random, &drbg);
	mbedtls_ssl_conf_min_tls_version(&cfg, MBEDTLS_SSL_VERSION_TLS1_2);
	mbedtls_ssl_conf_max_tls_version(&cfg, MBEDTLS_SSL_VERSION_TLS1_3);
	mbedtls_ssl_conf_ciphersuites(&cfg, strong ? strong_suites :
						     compat_suites);
	mbedtls_ssl_conf_groups(&cfg, groups);
	mbedtls_ssl_conf_authmode(&cfg, MBEDTLS_SSL_VERIFY_NONE);
	mbedtls_ssl_conf_renegotiation(&cfg, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
	mbedtls_ssl_conf_tls13_key_exchange_modes(&cfg,
		MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL);
	ret = mbedtls_ssl_conf_own_cert(&cfg, &cert, &key);
	if (ret) {
		log_mbedtls("mbedtls_ssl_conf_own_cert", ret);
		return -1;
	}
	log_info("https: TLS 1.2 and 1.3, %s ciphers",
		 strong ? "strong" : "compatible");
	return 0;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct conn *c = ctx;
	ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EINTR)
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct conn *c = ctx;
	ssize_t n = recv(c->fd, buf, len, MSG_DONTWAIT);

	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EINTR)
		return MBEDTLS_ERR_SSL_WANT_READ;
	return MBEDTLS_ERR_NET_RECV_FAILED;
}

int tls_conn_setup(struct conn *c)
{
	int ret;

	mbedtls_ssl_init(&c->ssl);
	ret = mbedtls_ssl_setup(&c->ssl, &cfg);
	if (ret) {
		log_mbedtls("mbedtls_ssl_setup", ret);
		mbedtls_ssl_free(&c->ssl);
		return -1;
	}
	mbedtls_ssl_set_bio(&c->ssl, c, bio_send, bio_recv, NULL);
	return 0;
}

void tls_conn_free(struct conn *c)
{
	mbedtls_ssl_free(&c->ssl);
}
