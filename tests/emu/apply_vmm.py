#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A VMM's partition create in Python (os, fcntl and ctypes only), for
`mshvcpu apply` to rewrite; the C twin is apply_vmm.c.

  apply_vmm.py v1                     a v1 create (LAPIC|X2APIC|GPA_SUPER_PAGES)
  apply_vmm.py v2 BANK0 BANK1 XSAVE   a v2 create disabling these (hex)

The partition is initialized and gets VP 0. Prints "created" or
"refused: ERRNO-NAME"; exit status 0 or 1. Written from the ABI
(include/uapi/linux/mshv.h).
"""
import ctypes
import errno
import os
import sys

MSHV_CREATE_PARTITION = 0x4010B800
MSHV_INITIALIZE_PARTITION = 0xB800
MSHV_CREATE_VP = 0x4004B801
V1_FLAGS = 0x7
V2_BIT = 1 << 3


class CreateV2(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("pt_flags", ctypes.c_uint64), ("pt_isolation", ctypes.c_uint64),
                ("pt_num_cpu_fbanks", ctypes.c_uint16), ("pt_rsvd", ctypes.c_uint8 * 6),
                ("pt_cpu_fbanks", ctypes.c_uint64 * 2), ("pt_rsvd1", ctypes.c_uint64 * 2),
                ("pt_disabled_xsave", ctypes.c_uint64)]


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
    args = CreateV2(pt_flags=V1_FLAGS)
    if sys.argv[1:2] == ["v2"] and len(sys.argv) == 5:
        args.pt_flags |= V2_BIT
        args.pt_num_cpu_fbanks = 2
        args.pt_cpu_fbanks[0] = int(sys.argv[2], 16)
        args.pt_cpu_fbanks[1] = int(sys.argv[3], 16)
        args.pt_disabled_xsave = int(sys.argv[4], 16)
    elif sys.argv[1:] != ["v1"]:
        print(__doc__, file=sys.stderr)
        return 2
    dev = os.open("/dev/mshv", os.O_RDWR | os.O_CLOEXEC)
    pt = libc.ioctl(dev, MSHV_CREATE_PARTITION, ctypes.addressof(args))
    if pt < 0:
        print(f"refused: {errno.errorcode[ctypes.get_errno()]}")
        return 1
    index = ctypes.c_uint32(0)
    ok = (libc.ioctl(pt, MSHV_INITIALIZE_PARTITION, None) == 0 and
          libc.ioctl(pt, MSHV_CREATE_VP, ctypes.addressof(index)) >= 0)
    print("created" if ok else f"refused: {errno.errorcode[ctypes.get_errno()]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
