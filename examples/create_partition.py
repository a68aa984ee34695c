#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A VMM's partition setup in Python, with nothing but fcntl.ioctl and ctypes:
the same steps as create_partition.c (read the host's features, disable what
it lacks plus AVX-512, create with struct mshv_create_partition_v2, set bank 2
as an early property, initialize, create VP 0, read the guest's CPUID leaf 7).

Runs on a real root partition, and unmodified under `mshvcpu emu`. Exit
status 0 on success, 1 on failure (with the reason on stderr).
"""
import ctypes
import errno
import fcntl
import os
import sys

# ioctl numbers of include/uapi/linux/mshv.h
MSHV_CREATE_PARTITION = 0x4010B800
MSHV_ROOT_HVCALL = 0xC020B807
MSHV_INITIALIZE_PARTITION = 0xB800
MSHV_CREATE_VP = 0x4004B801
MSHV_PT_BIT_LAPIC, MSHV_PT_BIT_X2APIC, MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES = 0, 1, 3

# hypercalls and partition properties (include/hyperv/)
HVCALL_GET_PARTITION_PROPERTY = 0x44
HVCALL_SET_PARTITION_PROPERTY = 0x45
HVCALL_GET_VP_CPUID_VALUES = 0xF4
PROP_FEATURES0, PROP_FEATURES1, PROP_XSAVE = 0x6000A, 0x6000B, 0x60002
PROP_DISABLED_FEATURES_EX = 0x9000E

XSAVE_BIT_AVX2 = 3
XSAVE_AVX512_FAMILY = 0x0000001003A7C7C0  # avx512, avx512_*, avx10_1_512
BANK0_RESERVED_63 = 1 << 63
BANK2_BIT_LASS = 5
U64 = (1 << 64) - 1


class RootHvcall(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("reps", ctypes.c_uint16),
                ("in_sz", ctypes.c_uint16), ("out_sz", ctypes.c_uint16),
                ("status", ctypes.c_uint16), ("rsvd", ctypes.c_uint8 * 6),
                ("in_ptr", ctypes.c_uint64), ("out_ptr", ctypes.c_uint64)]


class CreatePartitionV2(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("pt_flags", ctypes.c_uint64), ("pt_isolation", ctypes.c_uint64),
                ("pt_num_cpu_fbanks", ctypes.c_uint16), ("pt_rsvd", ctypes.c_uint8 * 6),
                ("pt_cpu_fbanks", ctypes.c_uint64 * 2), ("pt_rsvd1", ctypes.c_uint64 * 2),
                ("pt_disabled_xsave", ctypes.c_uint64)]


class GetProperty(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("partition_id", ctypes.c_uint64), ("code", ctypes.c_uint32),
                ("padding", ctypes.c_uint32)]


class SetProperty(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("partition_id", ctypes.c_uint64), ("code", ctypes.c_uint32),
                ("padding", ctypes.c_uint32), ("value", ctypes.c_uint64)]


class CpuidIn(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("partition_id", ctypes.c_uint64), ("vp_index", ctypes.c_uint32),
                ("flags", ctypes.c_uint32), ("reserved", ctypes.c_uint32),
                ("padding", ctypes.c_uint32), ("eax", ctypes.c_uint32),
                ("ecx", ctypes.c_uint32), ("xfem", ctypes.c_uint64), ("xss", ctypes.c_uint64)]


def hvcall(fd, code, inp, out=None, reps=0):
    call = RootHvcall(code=code, reps=reps, in_sz=ctypes.sizeof(inp),
                      in_ptr=ctypes.addressof(inp))
    if out is not None:
        call.out_sz = ctypes.sizeof(out)
        call.out_ptr = ctypes.addressof(out)
    fcntl.ioctl(fd, MSHV_ROOT_HVCALL, call)


def get_property(fd, code):
    out = ctypes.c_uint64()
    hvcall(fd, HVCALL_GET_PARTITION_PROPERTY, GetProperty(code=code), out)
    return out.value


def main():
    try:
        dev = os.open("/dev/mshv", os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        print(f"create_partition.py: open /dev/mshv: {e.strerror}", file=sys.stderr)
        return 1
    try:
        offered = [get_property(dev, p) for p in (PROP_FEATURES0, PROP_FEATURES1, PROP_XSAVE)]
        print("host offers   banks 0x%016x 0x%016x, xsave 0x%x" % tuple(offered))

        args = CreatePartitionV2()
        args.pt_flags = (1 << MSHV_PT_BIT_LAPIC) | (1 << MSHV_PT_BIT_X2APIC) | \
            (1 << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES)
        args.pt_num_cpu_fbanks = 2
        args.pt_cpu_fbanks[0] = (~offered[0] & U64) | BANK0_RESERVED_63
        args.pt_cpu_fbanks[1] = ~offered[1] & U64
        args.pt_disabled_xsave = (~offered[2] & U64) | XSAVE_AVX512_FAMILY
        print("disabling     banks 0x%016x 0x%016x, xsave 0x%x"
              % (args.pt_cpu_fbanks[0], args.pt_cpu_fbanks[1], args.pt_disabled_xsave))

        partition = fcntl.ioctl(dev, MSHV_CREATE_PARTITION, args)
        hvcall(partition, HVCALL_SET_PARTITION_PROPERTY,
               SetProperty(code=PROP_DISABLED_FEATURES_EX, value=1 << BANK2_BIT_LASS))
        fcntl.ioctl(partition, MSHV_INITIALIZE_PARTITION)
        vp = fcntl.ioctl(partition, MSHV_CREATE_VP, ctypes.c_uint32(0))

        regs = (ctypes.c_uint32 * 4)()
        hvcall(partition, HVCALL_GET_VP_CPUID_VALUES, CpuidIn(vp_index=0, eax=7), regs, reps=1)
        eax, ebx, ecx, edx = regs
        print("guest leaf 7  eax 0x%08x ebx 0x%08x ecx 0x%08x edx 0x%08x" % (eax, ebx, ecx, edx))
        if ebx & (1 << 16):
            print("create_partition.py: the guest still sees AVX-512F", file=sys.stderr)
            return 1
        if offered[2] & (1 << XSAVE_BIT_AVX2) and not ebx & (1 << 5):
            print("create_partition.py: the host offers AVX2 but the guest lacks it",
                  file=sys.stderr)
            return 1
        print("ok            AVX-512 hidden" +
              (", AVX2 kept" if offered[2] & (1 << XSAVE_BIT_AVX2) else ""))
        os.close(vp)
        os.close(partition)
        return 0
    except OSError as e:
        print(f"create_partition.py: {errno.errorcode.get(e.errno, e.errno)}: {e.strerror}",
              file=sys.stderr)
        return 1
    finally:
        os.close(dev)


if __name__ == "__main__":
    sys.exit(main())
