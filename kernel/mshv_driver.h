/* SPDX-License-Identifier: MIT */
/*
 * What the files of the /dev/mshv driver share with each other.
 *
 * The driver owns four kinds of open file: /dev/mshv itself (dev_mshv.c),
 * one per guest partition (partition_fd.c), one per virtual processor
 * (vp_fd.c, with its state components in vp_state.c) and one per device
 * (device.c, the VFIO bridge in device_vfio.c). A partition's guest memory
 * is guest_memory.c and its dirty-page log gpap_access.c; its interrupts
 * are msi_routing.c and irqfd.c; its ioeventfds are ioeventfd.c over the
 * doorbells of doorbell.c. Everything the driver asks of the hypervisor
 * goes through hypercalls.c, hypercalls_gpa.c and hypercalls_port.c; the
 * MSHV_ROOT_HVCALL pass-through, which the first three files offer, is
 * hvcall_passthru.c.
 *
 * Written for mshvcpu from the behaviour in ../shared/reference/mshv-abi.md;
 * built against kernel/shim/ only.
 */
#ifndef _MSHV_DRIVER_H
#define _MSHV_DRIVER_H

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <asm/mshyperv.h>
#include <hyperv/hv_interrupt.h>
#include <hyperv/hv_memory.h>
#include <hyperv/hv_partition.h>
#include <hyperv/hv_port.h>
#include <hyperv/hv_vp.h>
#include <uapi/linux/mshv.h>

/* A partition holds at most this many virtual processors. */
#define MSHV_VP_SLOTS			256

/* Pages handed to the hypervisor before it initializes a partition. */
#define MSHV_INIT_DEPOSIT_PAGES		208

struct mshv_pt;

struct mshv_vcpu {
	struct mshv_pt *owner;
	u32 index;
	struct mutex lock;		/* serialises this VP's ioctls */
	/* The hypervisor's pages a VMM may mmap, by MSHV_VP_MMAP_OFFSET_*; NULL: none. */
	void *shared_pages[MSHV_VP_MMAP_OFFSET_COUNT];
};

struct mshv_girq_table;

/*
 * One guest partition. The partition file, every VP file and every device
 * file hold a reference; the hypervisor's partition goes away with the
 * last one. Its irqfds and ioeventfds go with the partition file.
 */
struct mshv_pt {
	u64 hv_id;
	refcount_t users;
	struct mutex lock;		/* held across each partition-file ioctl */
	bool initialized;
	struct mshv_vcpu *vcpus[MSHV_VP_SLOTS];
	struct list_head regions;	/* struct mshv_mem_region, newest first */
	struct mshv_girq_table *girq_table;	/* MSI routes; NULL: none */
	struct list_head irqfds;	/* struct mshv_irqfd */
	struct list_head ioeventfds;	/* struct mshv_ioeventfd */
	struct list_head devices;	/* struct mshv_device */
};

/*
 * What MSHV_CREATE_PARTITION asks of the hypervisor, once the user's
 * argument has been checked (create_args.c).
 */
struct mshv_create_request {
	u64 hv_flags;			/* HV_PARTITION_CREATION_FLAG_* */
	struct hv_partition_creation_properties props;
	union hv_partition_isolation_properties isolation;
};

/* Set by the simulated kernel: which driver release is running. */
u64 mshv_pt_flags_mask(void);
bool mshv_has_self_hvcall(void);
bool mshv_has_devices(void);

extern const struct file_operations mshv_dev_fops;

/* create_args.c */
long mshv_read_create_args(const void __user *uarg, struct mshv_create_request *req);

/* partition_fd.c */
long mshv_pt_open(const struct mshv_create_request *req);
void mshv_pt_get(struct mshv_pt *pt);
void mshv_pt_put(struct mshv_pt *pt);

/* vp_fd.c */
long mshv_vp_open(struct mshv_pt *pt, u32 index);
/* The VP's shared pages go back to the hypervisor (teardown, before finalize). */
void mshv_vp_unmap_pages(struct mshv_vcpu *vcpu);

/* guest_memory.c: MSHV_SET_GUEST_MEMORY; the regions go with the partition. */
long mshv_set_guest_memory(struct mshv_pt *pt, void __user *uarg);
void mshv_guest_memory_free(struct mshv_pt *pt);

/* gpap_access.c: MSHV_GET_GPAP_ACCESS_BITMAP. */
long mshv_get_gpap_access_bitmap(struct mshv_pt *pt, void __user *uarg);

/*
 * msi_routing.c: MSHV_SET_MSI_ROUTING and the table's routes. A route is
 * what an MSI's address and data say, as AssertVirtualInterrupt takes it.
 */
struct mshv_girq_entry {
	u32 guest_irq_num;
	u32 address_lo;
	u32 address_hi;
	u32 data;
	bool valid;
};

struct mshv_lapic_irq {
	u32 vector;
	u64 apic_id;
	u64 control;			/* HV_INTERRUPT_CONTROL_* and the type */
};

long mshv_set_msi_routing(struct mshv_pt *pt, void __user *uarg);
struct mshv_girq_entry mshv_girq_lookup(const struct mshv_pt *pt, u32 gsi);
void mshv_girq_to_lapic(const struct mshv_girq_entry *entry, struct mshv_lapic_irq *irq);
void mshv_girq_table_free(struct mshv_pt *pt);

/* irqfd.c: MSHV_IRQFD; routes follow the table; released with the partition file. */
long mshv_irqfd(struct mshv_pt *pt, void __user *uarg);
void mshv_irqfd_routing_update(struct mshv_pt *pt);
void mshv_irqfd_release(struct mshv_pt *pt);

/* ioeventfd.c: MSHV_IOEVENTFD; released with the partition file. */
long mshv_ioeventfd(struct mshv_pt *pt, void __user *uarg);
void mshv_ioeventfd_release(struct mshv_pt *pt);

/* doorbell.c: a doorbell port for guest writes to @gpa; its id, or -errno. */
int mshv_register_doorbell(u64 partition_id, u64 gpa, u64 trigger_value, u64 flags);
void mshv_unregister_doorbell(u64 partition_id, int doorbell_id);

/* device.c: MSHV_CREATE_DEVICE; the devices go with the partition. */
long mshv_create_device(struct mshv_pt *pt, void __user *uarg);
void mshv_devices_destroy(struct mshv_pt *pt);

/*
 * A device of a partition (device.c) and what its type does (ops, one set
 * per MSHV_DEV_TYPE_*). create runs under the partition's lock; destroy
 * frees the device.
 */
struct mshv_device_attr;
struct mshv_device;

struct mshv_device_ops {
	const char *name;		/* the file's anon-inode name */
	int (*create)(struct mshv_device *dev);
	void (*destroy)(struct mshv_device *dev);
	int (*set_attr)(struct mshv_device *dev, const struct mshv_device_attr *attr);
	int (*get_attr)(struct mshv_device *dev, const struct mshv_device_attr *attr);
	int (*has_attr)(struct mshv_device *dev, const struct mshv_device_attr *attr);
};

struct mshv_device {
	struct list_head node;		/* in the partition's devices */
	const struct mshv_device_ops *ops;
	struct mshv_pt *pt;
	void *private;
};

/* device_vfio.c */
extern const struct mshv_device_ops mshv_vfio_device_ops;

/* vp_state.c: MSHV_GET_VP_STATE and MSHV_SET_VP_STATE. */
long mshv_vp_state_ioctl(struct mshv_vcpu *vcpu, void __user *uarg, bool set);

/* hvcall_passthru.c: which descriptor the call came through. */
enum mshv_passthru_origin {
	MSHV_FROM_DEV,			/* /dev/mshv: the root partition itself */
	MSHV_FROM_PARTITION,
	MSHV_FROM_VP,
};

long mshv_hvcall_passthru(enum mshv_passthru_origin origin, u64 target_id,
			  void __user *uarg);

/* hypercalls.c: each returns 0 or a negative errno. */
int hyp_status_to_errno(u64 result);
int hyp_deposit_pages(u64 partition_id, u32 count);
int hyp_create_partition(const struct mshv_create_request *req, u64 *new_id);
int hyp_initialize_partition(u64 partition_id);
int hyp_finalize_partition(u64 partition_id);
int hyp_delete_partition(u64 partition_id);
int hyp_create_vp(u64 partition_id, u32 index);
int hyp_map_vp_state_page(u64 partition_id, u32 vp_index, u16 type, void **page);
int hyp_unmap_vp_state_page(u64 partition_id, u32 vp_index, u16 type);
int hyp_get_partition_property(u64 partition_id, u32 code, u64 *value);
int hyp_get_vp_state(u64 partition_id, u32 vp_index, const struct hv_vp_state_data *state,
		     u32 page_count, void *pages, union hv_output_get_vp_state *out);
int hyp_set_vp_state(u64 partition_id, u32 vp_index, const struct hv_vp_state_data *state,
		     u32 page_count, void *pages, const void *bytes, u32 num_bytes);
int hyp_assert_virtual_interrupt(u64 partition_id, const struct mshv_lapic_irq *irq);
u64 hyp_call_reps(u16 code, u16 reps, u16 first_rep, void *input, void *output);
int hyp_call_until_fed(u64 donee, u64 (*attempt)(void *ctx), void *ctx);

/* hypercalls_gpa.c: guest memory and its access states. */
int hyp_map_gpa_pages(u64 partition_id, u64 gfn, u64 page_count, u32 flags, u64 first_pfn);
int hyp_unmap_gpa_pages(u64 partition_id, u64 gfn, u64 page_count, u32 flags);
int hyp_get_gpa_access_states(u64 partition_id, u64 page_count, u64 gfn, u64 flags,
			      u64 *written, u8 *states);

/* hypercalls_port.c: ports of the root's and a child's connections to them. */
int hyp_create_port(u64 port_partition_id, u32 port_id, u64 connection_partition_id,
		    const struct hv_port_info *info);
int hyp_connect_port(u64 port_partition_id, u32 port_id, u64 connection_partition_id,
		     u32 connection_id, const struct hv_connection_info *info);
int hyp_disconnect_port(u64 connection_partition_id, u32 connection_id);
int hyp_delete_port(u64 port_partition_id, u32 port_id);

/* The status field of a hypercall result word, and its reps-done field. */
static inline u16 hyp_status(u64 result)
{
	return (u16)(result & HV_HYPERCALL_RESULT_MASK);
}

static inline u32 hyp_reps_done(u64 result)
{
	return (u32)((result & HV_HYPERCALL_REP_COMP_MASK) >> HV_HYPERCALL_REP_COMP_OFFSET);
}

#endif /* _MSHV_DRIVER_H */
