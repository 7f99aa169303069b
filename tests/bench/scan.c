/* SPDX-License-Identifier: ISC */
/*
 * tests/bench/scan.c: the compliance scan's matching alone (core
 * preflight_scan_text with the default banned terms and 20 brands) over N
 * generated titles (argv[1], default 100000), a tenth of them holding a
 * term, some in full-width forms. Prints the wall time and titles per
 * second; exits 1 if the number of titles found at risk is not the one
 * planted.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "preflight.h"

static const char *const words[] = { "LED", "strip", "lights", "5m", "RGB",
	"waterproof", "cotton", "socks", "women", "men", "summer", "dress",
	"phone", "case", "silicone", "kitchen", "storage", "box", "USB",
	"cable", "fast", "charging", "保温杯", "不锈钢", "大容量", "户外" };
static const char *const planted[] = { "best quality", "ＮＯ.１", "Nike",
	"最好", "100%", "Cheapest" };
static const char *const brands[] = { "Nike", "Adidas", "Apple", "Samsung",
	"Sony", "Disney", "Marvel", "Gucci", "Chanel", "Puma", "Xiaomi",
	"Huawei", "Lego", "Barbie", "Pokemon", "Hello Kitty", "Rolex", "Canon",
	"Dyson", "Bosch" };

int
main(int argc, char *argv[])
{
	struct preflight_config cfg;
	struct preflight_brand b[sizeof brands / sizeof brands[0]];
	struct preflight_scan *sc;
	struct preflight_scan_hit *h;
	struct timespec t0, t1;
	char **titles, *cause = NULL;
	long n = argc > 1 ? atol(argv[1]) : 100000, i, risky = 0, want = 0;
	size_t k, nw = sizeof words / sizeof words[0];
	unsigned r = 12345;
	double secs;
	int m;

	preflight_config_init(&cfg);
	for (k = 0; k < sizeof brands / sizeof brands[0]; k++) {
		b[k].name = brands[k];
		b[k].authorized = 0;
	}
	cfg.brands = b;
	cfg.nbrands = sizeof brands / sizeof brands[0];
	if ((titles = calloc((size_t)n, sizeof *titles)) == NULL)
		return (1);
	for (i = 0; i < n; i++) {
		char buf[512];
		size_t len = 0;
		int j;

		for (j = 0; j < 12; j++) {
			r = r * 1103515245 + 12345;
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    "%s%s", j ? " " : "", words[(r >> 8) % nw]);
		}
		if (i % 10 == 0) {
			snprintf(buf + len, sizeof buf - len, " %s",
			    planted[(i / 10) % 6]);
			want++;
		}
		titles[i] = strdup(buf);
	}
	if ((sc = preflight_scan_new(&cfg, &cause)) == NULL)
		return (1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if ((m = preflight_scan_text(
			 sc, titles[i], "title", &h, &cause)) == -1)
			return (1);
		if (m > 0)
			risky++;
		free(h);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("scan: %ld titles in %.3f s (%.0f titles/s), %ld at risk\n", n,
	    secs, (double)n / secs, risky);
	preflight_scan_free(sc);
	for (i = 0; i < n; i++)
		free(titles[i]);
	free(titles);
	return (risky == want ? 0 : 1);
}
