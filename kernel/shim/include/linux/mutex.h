/* SPDX-License-Identifier: MIT */
#ifndef _SHIM_LINUX_MUTEX_H
#define _SHIM_LINUX_MUTEX_H

/* Big enough and aligned for the userspace lock kshim.c puts inside. */
struct mutex {
	_Alignas(8) unsigned char opaque[64];
};

void mutex_init(struct mutex *lock);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
void mutex_destroy(struct mutex *lock);

#endif
