/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small seeded generator: splitmix64 to expand the seed, xoshiro256**
 * for the stream. Every random choice chbench makes (folio placement,
 * walks) comes from here, so a seed reproduces a run exactly.
 */
#ifndef CH_RNG_H
#define CH_RNG_H

#include <stdint.h>

struct ch_rng {
	uint64_t s[4];
};

static inline uint64_t ch_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* @stream separates independent streams drawn from one seed. */
static inline void ch_rng_init(struct ch_rng *r, uint64_t seed,
			       uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = ch_splitmix64(&x);
}

static inline uint64_t ch_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t ch_rng_next(struct ch_rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = ch_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = ch_rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n), n > 0, without modulo bias (Lemire). */
static inline uint64_t ch_rng_below(struct ch_rng *r, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)ch_rng_next(r) * n;
	uint64_t lo = (uint64_t)m;

	if (lo < n) {
		uint64_t t = -n % n;

		while (lo < t) {
			m = (unsigned __int128)ch_rng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

/* Uniform double in [0, 1). */
static inline double ch_rng_double(struct ch_rng *r)
{
	return (double)(ch_rng_next(r) >> 11) * 0x1.0p-53;
}

#endif /* CH_RNG_H */
