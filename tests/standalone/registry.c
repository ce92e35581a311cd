// SPDX-License-Identifier: GPL-2.0
// The registry as outside checks use it: built with nothing but the
// variants/ sources, as "cc -O2 -I. some_test.c variants/*.c" links it,
// and only through the fixed interface.
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "page/page.h"
#include "variants/variants.h"

/* C11's aligned_alloc() wants a size that is a multiple of the alignment */
#define ch_aligned_alloc(align, size) \
	aligned_alloc((align), ((size) + (align) - 1) / (align) * (align))

/* An order-9 folio at the start of a 32 KiB-aligned memmap, + 1 order 0. */
static struct page *folio(enum ch_encoding enc)
{
	struct page *p = ch_aligned_alloc(32768, 513 * sizeof(*p) + 32256);

	assert_non_null(p);
	ch_prep_compound(p, p, 9, enc);
	ch_prep_compound(p + 512, p + 512, 0, enc);
	return p;
}

static void each_variant_is_found_and_finds_every_head(void **state)
{
	size_t j;
	int i;

	(void)state;
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = ch_variant_find(ch_variants[i].name);
		struct page *p;

		if (ch_variants[i].flags & CH_VF_PSEUDO)
			continue;
		if (!v)
			fail_msg("ch_variant_find(\"%s\") is NULL",
				 ch_variants[i].name);
		assert_ptr_equal(v, &ch_variants[i]);
		assert_non_null(v->desc);
		p = folio(v->encoding);
		for (j = 0; j < 512; j++)
			assert_ptr_equal(v->compound_head(p + j), p);
		assert_ptr_equal(v->compound_head(p + 512), p + 512);
		free(p);
	}
}

static void unknown_names_give_null(void **state)
{
	(void)state;
	assert_null(ch_variant_find("mask"));
	assert_null(ch_variant_find(""));
	assert_null(ch_variant_find("Pointer"));
}

static void the_key_switches_fake_head_on_a_fake_head(void **state)
{
	const struct ch_variant *v = ch_variant_find("fake-head");
	struct page *p = folio(CH_ENC_POINTER);

	(void)state;
	/* vmemmap page 1 shows page 0: a fake head at p + 64 */
	memcpy(p + 64, p, 64 * sizeof(*p));
	ch_hvo_key_set(false);
	assert_ptr_equal(v->compound_head(p + 64), p + 64);
	ch_hvo_key_set(true);
	assert_ptr_equal(v->compound_head(p + 64), p);
	ch_hvo_key_set(false);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_variant_is_found_and_finds_every_head),
		cmocka_unit_test(unknown_names_give_null),
		cmocka_unit_test(the_key_switches_fake_head_on_a_fake_head),
	};

	return cmocka_run_group_tests_name("registry_standalone", tests,
					   NULL, NULL);
}
