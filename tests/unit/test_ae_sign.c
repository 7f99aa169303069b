/* SPDX-License-Identifier: ISC */
/*
 * test_ae_sign.c: the AliExpress request signature against the three test
 * vectors of aliexpress-api.md 2.3 (secret "helloworld").
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sign.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static void
test_business_api_no_prefix(void **state)
{
	/* Given out of order: the signer sorts. */
	const struct ae_param p[] = {
		{ "timestamp", "1517820392000" },
		{ "method",
		    "aliexpress.logistics.redefining.getonlinelogisticsinfo" },
		{ "access_token", "test" },
		{ "sign_method", "sha256" },
		{ "app_key", "123456" },
		{ "aliexpress_category_id", "200135143" },
	};
	char sig[AE_SIGN_LEN + 1];

	(void)state;
	assert_int_equal(ae_sign("helloworld", NULL, p, nitems(p), sig), 0);
	assert_string_equal(sig,
	    "F7F7926B67316C9D1E8E15F7E66940ED3059B1638C497D77973F30046EFB5BBB");
}

static void
test_system_api_with_path_prefix(void **state)
{
	const struct ae_param p[] = {
		{ "app_key", "12345678" },
		{ "code", "3_500102_JxZ05Ux3cnnSSUm6dCxYg6Q26" },
		{ "sign_method", "sha256" },
		{ "timestamp", "1517820392000" },
	};
	char sig[AE_SIGN_LEN + 1];

	(void)state;
	assert_int_equal(
	    ae_sign("helloworld", "/auth/token/create", p, nitems(p), sig), 0);
	assert_string_equal(sig,
	    "35607762342831B6A417A0DED84B79C05FEFBF116969C48AD6DC00279A9F4D81");
}

static void
test_affiliate_vector(void **state)
{
	const struct ae_param p[] = {
		{ "app_key", "12345678" },
		{ "method", "aliexpress.affiliate.category.get" },
		{ "sign_method", "sha256" },
		{ "timestamp", "1517820392000" },
	};
	char sig[AE_SIGN_LEN + 1];

	(void)state;
	assert_int_equal(ae_sign("helloworld", NULL, p, nitems(p), sig), 0);
	assert_string_equal(sig,
	    "F3ABBAB059750C3CD6D341A2FDA939ECB0FA892120E9196270ED67D6EC1511DD");
}

static void
test_sign_and_empty_values_are_left_out(void **state)
{
	const struct ae_param p[] = {
		{ "app_key", "12345678" },
		{ "method", "aliexpress.affiliate.category.get" },
		{ "sign_method", "sha256" },
		{ "timestamp", "1517820392000" },
		{ "sign", "0000" },
		{ "empty", "" },
		{ "", "nokey" },
	};
	char sig[AE_SIGN_LEN + 1];

	(void)state;
	assert_int_equal(ae_sign("helloworld", NULL, p, nitems(p), sig), 0);
	assert_string_equal(sig,
	    "F3ABBAB059750C3CD6D341A2FDA939ECB0FA892120E9196270ED67D6EC1511DD");
}

static void
test_a_changed_timestamp_changes_the_signature(void **state)
{
	const struct ae_param p[] = {
		{ "app_key", "12345678" },
		{ "method", "aliexpress.affiliate.category.get" },
		{ "sign_method", "sha256" },
		{ "timestamp", "1517820392001" },
	};
	char sig[AE_SIGN_LEN + 1];

	(void)state;
	assert_int_equal(ae_sign("helloworld", NULL, p, nitems(p), sig), 0);
	assert_string_not_equal(sig,
	    "F3ABBAB059750C3CD6D341A2FDA939ECB0FA892120E9196270ED67D6EC1511DD");
	assert_int_equal(strlen(sig), AE_SIGN_LEN);
}

/*
 * The signer keeps a context keyed with the last secret: a new secret (a
 * rotated app secret, a second instance) must re-key it, and the first
 * one must still sign as before. Expected values from openssl dgst -hmac.
 */
static void
test_each_secret_signs_with_its_own_key(void **state)
{
	const struct ae_param p[] = {
		{ "timestamp", "1517820392000" },
		{ "method",
		    "aliexpress.logistics.redefining.getonlinelogisticsinfo" },
		{ "access_token", "test" },
		{ "sign_method", "sha256" },
		{ "app_key", "123456" },
		{ "aliexpress_category_id", "200135143" },
	};
	const char *first =
	    "F7F7926B67316C9D1E8E15F7E66940ED3059B1638C497D77973F30046EFB5BBB";
	char sig[AE_SIGN_LEN + 1];
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(
		    ae_sign("helloworld", NULL, p, nitems(p), sig), 0);
		assert_string_equal(sig, first);
		assert_int_equal(
		    ae_sign("another-secret", NULL, p, nitems(p), sig), 0);
		assert_string_equal(sig,
		    "435E285194EFE9686D5352D04AEE0F73FFD9CD37641C41A419479C1F2C"
		    "69D0E5");
	}
	/* A secret that is a prefix of the cached one is another key. */
	assert_int_equal(ae_sign("another", NULL, p, nitems(p), sig), 0);
	assert_string_not_equal(sig,
	    "435E285194EFE9686D5352D04AEE0F73FFD9CD37641C41A419479C1F2C69D0E5");
}

/* More secrets than the signer keeps keyed: each still signs as its own. */
static void
test_more_secrets_than_kept(void **state)
{
	const struct ae_param p[] = {
		{ "app_key", "12345678" },
		{ "timestamp", "1517820392000" },
	};
	const char *secrets[] = { "s-one", "s-two", "s-three", "s-four",
		"s-five", "s-six", "helloworld" };
	char first[nitems(secrets)][AE_SIGN_LEN + 1], sig[AE_SIGN_LEN + 1];
	size_t i, j;

	(void)state;
	for (i = 0; i < nitems(secrets); i++)
		assert_int_equal(
		    ae_sign(secrets[i], NULL, p, nitems(p), first[i]), 0);
	for (i = 0; i < nitems(secrets); i++)
		for (j = i + 1; j < nitems(secrets); j++)
			assert_string_not_equal(first[i], first[j]);
	for (i = nitems(secrets); i-- > 0;) {
		assert_int_equal(
		    ae_sign(secrets[i], NULL, p, nitems(p), sig), 0);
		assert_string_equal(sig, first[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_business_api_no_prefix),
		cmocka_unit_test(test_system_api_with_path_prefix),
		cmocka_unit_test(test_affiliate_vector),
		cmocka_unit_test(test_sign_and_empty_values_are_left_out),
		cmocka_unit_test(
		    test_a_changed_timestamp_changes_the_signature),
		cmocka_unit_test(test_each_secret_signs_with_its_own_key),
		cmocka_unit_test(test_more_secrets_than_kept),
	};

	return (cmocka_run_group_tests_name("ae_sign", tests, NULL, NULL));
}
