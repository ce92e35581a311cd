/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer targets for every parser of user text (make fuzz). Each
 * target is one LLVMFuzzerTestOneInput(); its seeds are in
 * tests/fuzz/corpus/<target>/, one input a file.
 */
#ifndef CH_FUZZ_H
#define CH_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The input as a C string (a parser of argv never sees a NUL inside). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * The input as argv: arguments separated by newlines, argv[0] = @cmd.
 * At most @max arguments; returns argc. Free argv[1] (the buffer) and
 * argv.
 */
static inline int fuzz_argv(const uint8_t *data, size_t size,
			    const char *cmd, char ***argv_out, int max)
{
	char *buf = fuzz_str(data, size), *p = buf;
	char **argv = calloc(max + 2, sizeof(*argv));
	int argc = 1;

	if (!argv)
		abort();
	argv[0] = (char *)cmd;
	while (argc <= max) {
		char *nl = strchr(p, '\n');

		argv[argc++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	argv[argc] = NULL;
	if (argc == 1)
		free(buf);
	*argv_out = argv;
	return argc;
}

#endif /* CH_FUZZ_H */
