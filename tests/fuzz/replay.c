// SPDX-License-Identifier: MIT
/*
 * The fuzz targets without libFuzzer: run each file given (or each file in
 * a directory given) through LLVMFuzzerTestOneInput once. `make check`
 * replays the seed corpora this way, with gcc, plain and under ASan+UBSan;
 * a crash or a broken invariant aborts the run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			uint8_t *grown = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!grown) {
				fprintf(stderr, "replay: %s: out of memory\n", path);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	/* An exact-size copy, so ASan sees reads past the input's end. */
	{
		uint8_t *exact = malloc(len ? len : 1);

		if (!exact) {
			free(buf);
			return -1;
		}
		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}


static int replay_dir(const char *dir, unsigned int *count)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort), i, ret = 0;

	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char path[4096];

		if (list[i]->d_name[0] != '.' && ret == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
			ret = replay_file(path);
			(*count)++;
		}
		free(list[i]);
	}
	free(list);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned int count = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat st;
		int ret;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			ret = replay_dir(argv[i], &count);
		} else {
			ret = replay_file(argv[i]);
			count++;
		}
		if (ret)
			return 1;
	}
	printf("1..1\nok 1 - %u inputs replayed\n", count);
	return 0;
}
