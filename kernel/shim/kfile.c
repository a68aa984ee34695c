// SPDX-License-Identifier: MIT
/*
 * The userspace side of <linux/file.h> in the shim: a reference to one of
 * the calling program's open files, held as a descriptor of our own for
 * the same open file (see kshim_fetch_fd), closed by fput().
 */
#include <stdlib.h>
#include <unistd.h>

#include "kshim_internal.h"

/* As the kernel side sees files (linux/fs.h in the shim). */
struct file_operations;
struct file {
	const struct file_operations *f_op;
	void *private_data;
};

struct file *fget(unsigned int fd);
void fput(struct file *file);

struct program_file {
	struct file file;	/* first: fput() is given its address */
	int ours;
};

struct file *fget(unsigned int fd)
{
	struct program_file *f;
	int ours = kshim_fetch_fd((int)fd);

	if (ours < 0)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f) {
		close(ours);
		return NULL;
	}
	f->ours = ours;
	return &f->file;
}

void fput(struct file *file)
{
	struct program_file *f = (struct program_file *)file;

	if (!f)
		return;
	close(f->ours);
	free(f);
}
