// SPDX-License-Identifier: GPL-2.0
/* What pbwebd reads about the board: its addresses and names. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "webd.h"

unsigned int board_addresses(char out[][48], unsigned int max)
{
	struct ifaddrs *ifa, *i;
	unsigned int n = 0;

	if (getifaddrs(&ifa))
		return 0;
	for (i = ifa; i && n < max; i = i->ifa_next) {
		const void *a;
		int fam;

		if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		fam = i->ifa_addr->sa_family;
		if (fam == AF_INET) {
			a = &((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		} else if (fam == AF_INET6) {
			const struct in6_addr *a6 =
				&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			if (IN6_IS_ADDR_LINKLOCAL(a6))
				continue;
			a = a6;
		} else {
			continue;
		}
		if (inet_ntop(fam, a, out[n], 48))
			n++;
	}
	freeifaddrs(ifa);
	return n;
}

int board_host_ok(const char *host, const struct pb_conf *conf)
{
	char addrs[16][48];
	unsigned int n, i;
	size_t hl = strlen(conf->system.hostname);

	if (hl && !strcasecmp(host, conf->system.hostname))
		return 1;
	n = board_addresses(addrs, 16);
	for (i = 0; i < n; i++) {
		if (!strcasecmp(host, addrs[i]))
			return 1;
	}
	return 0;
}
