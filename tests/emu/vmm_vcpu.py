#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A VMM's steps from /dev/mshv to a VP that is ready to run, in Python with
nothing but os, fcntl, mmap and ctypes, run under `mshvcpu emu --trace FILE`:

  read the host's features (self-targeted ROOT_HVCALL), create a v2
  partition, read the assignable synthetic features (GetPartitionPropertyEx),
  set the synthetic features before initialize (the early window), initialize,
  set a property after it, create VP 0, map its register page and use it
  (a dirty RIP in the page is what GET_VP_REGISTERS then reads), set and read
  back registers, round-trip the LAPIC state, install an intercept, assert
  an interrupt, and find that running the VP is refused.

Every step is also checked in the hypercall trace. Written from the ABI
(../../include/uapi/linux/mshv.h, ../../include/hyperv/), not from any VMM.

Usage: vmm_vcpu.py TRACE_FILE     (prints TAP; exit status 1 on a failure)
"""
import ctypes
import errno
import fcntl
import json
import mmap
import os
import sys

MSHV_CREATE_PARTITION = 0x4010B800
MSHV_ROOT_HVCALL = 0xC020B807
MSHV_INITIALIZE_PARTITION = 0xB800
MSHV_CREATE_VP = 0x4004B801
MSHV_RUN_VP = 0x8100B800
MSHV_GET_VP_STATE = 0xC010B801
MSHV_SET_VP_STATE = 0xC010B802
VP_STATE_LAPIC = 0

GET_PROPERTY, SET_PROPERTY, GET_PROPERTY_EX = 0x44, 0x45, 0x101
INSTALL_INTERCEPT, ASSERT_VIRTUAL_INTERRUPT = 0x4D, 0x94
GET_VP_REGISTERS, SET_VP_REGISTERS = 0x50, 0x51
PROP_FEATURES0, PROP_FEATURES1 = 0x6000A, 0x6000B
PROP_SYNTHETIC_FEATURES, PROP_ASSIGNABLE_SYNTHETIC = 0x10001, 0x90009
PROP_UNIMPLEMENTED_MSR_ACTION = 0x50017
REG_RIP, REG_RFLAGS, REG_RAX = 0x20010, 0x20011, 0x20000
STATUS_INVALID_PARTITION_STATE = 7
PAGE = 4096

checks = 0
failures = 0


def check(ok, what):
    global checks, failures
    checks += 1
    if not ok:
        failures += 1
    print(f"{'ok' if ok else 'not ok'} {checks} - {what}")


class RootHvcall(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("reps", ctypes.c_uint16),
                ("in_sz", ctypes.c_uint16), ("out_sz", ctypes.c_uint16),
                ("status", ctypes.c_uint16), ("rsvd", ctypes.c_uint8 * 6),
                ("in_ptr", ctypes.c_uint64), ("out_ptr", ctypes.c_uint64)]


class VpState(ctypes.Structure):
    _fields_ = [("type", ctypes.c_uint8), ("rsvd", ctypes.c_uint8 * 3),
                ("buf_sz", ctypes.c_uint32), ("buf_ptr", ctypes.c_uint64)]


def hvcall(fd, code, payload, out_size=0, reps=0):
    """MSHV_ROOT_HVCALL: returns (status, output bytes); raises OSError."""
    inp = ctypes.create_string_buffer(bytes(payload), len(payload))
    out = ctypes.create_string_buffer(out_size) if out_size else None
    call = RootHvcall(code=code, reps=reps, in_sz=len(payload),
                      in_ptr=ctypes.addressof(inp))
    if out is not None:
        call.out_sz = out_size
        call.out_ptr = ctypes.addressof(out)
    try:
        fcntl.ioctl(fd, MSHV_ROOT_HVCALL, call)
    except OSError as e:
        e.status = call.status
        raise
    return call.status, (out.raw if out is not None else b"")


def u64(v):
    return v.to_bytes(8, "little")


def u32(v):
    return v.to_bytes(4, "little")


def get_property(fd, code):
    _, out = hvcall(fd, GET_PROPERTY, u64(0) + u32(code) + u32(0), 8)
    return int.from_bytes(out[:8], "little")


def set_property(fd, code, value):
    hvcall(fd, SET_PROPERTY, u64(0) + u32(code) + u32(0) + u64(value))


def vp_header(vp=0):
    return u64(0) + u32(vp) + bytes(4)          # partition id, vp index, vtl, padding


def set_registers(fd, pairs):
    body = b"".join(u32(name) + bytes(12) + value.to_bytes(16, "little")
                    for name, value in pairs)
    hvcall(fd, SET_VP_REGISTERS, vp_header() + body, reps=len(pairs))


def get_registers(fd, names):
    _, out = hvcall(fd, GET_VP_REGISTERS, vp_header() + b"".join(u32(n) for n in names),
                    16 * len(names), reps=len(names))
    return [int.from_bytes(out[16 * i:16 * i + 8], "little") for i in range(len(names))]


def traced(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def main():
    trace_path = sys.argv[1]
    open(trace_path, "w").close()                # the supervisor appends: start empty
    dev = os.open("/dev/mshv", os.O_RDWR | os.O_CLOEXEC)

    offered = [get_property(dev, PROP_FEATURES0), get_property(dev, PROP_FEATURES1)]
    check(offered[0] != 0, f"the host's bank 0 reads 0x{offered[0]:x} through /dev/mshv")

    create = bytearray(64)
    create[0:8] = u64(0xF)                       # LAPIC, X2APIC, super pages, v2 struct
    create[16:18] = (2).to_bytes(2, "little")
    create[24:32] = u64(~offered[0] & (2**64 - 1))
    create[32:40] = u64(~offered[1] & (2**64 - 1))
    # The new descriptor is the system call's return value, which
    # fcntl.ioctl does not give back for a bytes argument: libc's ioctl does.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
    arg = ctypes.create_string_buffer(bytes(create), 64)
    part = libc.ioctl(dev, MSHV_CREATE_PARTITION, arg)
    check(part >= 0, "a v2 partition is created")

    _, out = hvcall(dev, GET_PROPERTY_EX, u64(0) + u32(PROP_ASSIGNABLE_SYNTHETIC) + u32(0) + u64(0),
                    PAGE - 24)
    assignable = int.from_bytes(out[8:16], "little")
    check(assignable != 0, f"assignable synthetic features 0x{assignable:x} (GetPartitionPropertyEx)")

    wanted = 0x3 & assignable                     # hypervisor present, hv1
    set_property(part, PROP_SYNTHETIC_FEATURES, wanted)
    check(get_property(part, PROP_SYNTHETIC_FEATURES) == wanted,
          "synthetic features set in the early window read back")

    fcntl.ioctl(part, MSHV_INITIALIZE_PARTITION)
    try:
        set_property(part, PROP_SYNTHETIC_FEATURES, wanted)
        check(False, "an early property after initialize is refused")
    except OSError as e:
        check(e.status == STATUS_INVALID_PARTITION_STATE,
              f"an early property after initialize: status {e.status} (INVALID_PARTITION_STATE)")
    set_property(part, PROP_UNIMPLEMENTED_MSR_ACTION, 1)
    check(get_property(part, PROP_UNIMPLEMENTED_MSR_ACTION) == 1,
          "UNIMPLEMENTED_MSR_ACTION set after initialize reads back")

    index = ctypes.c_uint32(0)
    vp = libc.ioctl(part, MSHV_CREATE_VP, ctypes.byref(index))
    check(vp >= 0, "VP 0 is created")
    # The register page: version u16 @0, isvalid u8 @2, dirty u32 @4, rip @136.
    regs = mmap.mmap(vp, PAGE, offset=0)
    version, isvalid, dirty = int.from_bytes(regs[0:2], "little"), regs[2], \
        int.from_bytes(regs[4:8], "little")
    check((version, isvalid, dirty) == (1, 1, 0), "the register page: version 1, valid, clean")
    check(int.from_bytes(regs[136:144], "little") == get_registers(vp, [REG_RIP])[0],
          "its RIP is the VP's")
    regs[136:144] = (0x2000).to_bytes(8, "little")
    regs[4:8] = (1 << 1).to_bytes(4, "little")    # dirty: the IP class
    check(get_registers(vp, [REG_RIP]) == [0x2000], "a dirty RIP in the page is the VP's RIP")
    check(int.from_bytes(regs[4:8], "little") == 0, "and the page is clean again")
    try:
        mmap.mmap(vp, PAGE, offset=3 * PAGE)
        check(False, "no fourth page to map")
    except OSError as e:
        check(e.errno == errno.EINVAL, "mapping page offset 3: EINVAL")

    set_registers(vp, [(REG_RIP, 0x1000), (REG_RFLAGS, 0x2), (REG_RAX, 0x1234)])
    check(get_registers(vp, [REG_RIP, REG_RFLAGS, REG_RAX]) == [0x1000, 0x2, 0x1234],
          "RIP, RFLAGS and RAX read back what was set")
    check(int.from_bytes(regs[8:16], "little") == 0x1234, "and the page shows the new RAX")
    regs.close()

    page = mmap.mmap(-1, PAGE)                    # a page-aligned buffer
    buf = (ctypes.c_char * PAGE).from_buffer(page)
    lapic = bytearray(PAGE)
    arg = VpState(type=VP_STATE_LAPIC, buf_sz=PAGE, buf_ptr=ctypes.addressof(buf))
    check(libc.ioctl(vp, MSHV_GET_VP_STATE, ctypes.byref(arg)) == 0, "GET_VP_STATE LAPIC")
    lapic[:] = bytes(buf)
    arg.buf_sz = PAGE
    check(libc.ioctl(vp, MSHV_SET_VP_STATE, ctypes.byref(arg)) == 0, "SET_VP_STATE LAPIC")
    arg.buf_sz = PAGE
    libc.ioctl(vp, MSHV_GET_VP_STATE, ctypes.byref(arg))
    check(bytes(buf) == bytes(lapic), "the LAPIC state round-trips")
    del buf

    # CPUID leaf 0x100 intercepted on execute; a fixed interrupt, vector 0x30, to APIC 0.
    status, _ = hvcall(part, INSTALL_INTERCEPT, u64(0) + u32(4) + u32(2) + u64(0x100))
    check(status == 0, "an intercept is installed")
    status, _ = hvcall(part, ASSERT_VIRTUAL_INTERRUPT,
                       u64(0) + u64(0) + u64(0) + u32(0x30) + bytes(4))
    check(status == 0, "an interrupt is asserted")

    run = ctypes.create_string_buffer(256)
    ret = libc.ioctl(vp, MSHV_RUN_VP, run)
    check(ret == -1 and ctypes.get_errno() == errno.EOPNOTSUPP, "MSHV_RUN_VP: EOPNOTSUPP")

    calls = [line["call"] for line in traced(trace_path)]
    for call in ("create_partition", "get_partition_property_ex", "set_partition_property",
                 "initialize_partition", "create_vp", "map_vp_state_page", "set_vp_registers",
                 "get_vp_registers",
                 "get_vp_state", "set_vp_state", "install_intercept",
                 "assert_virtual_interrupt"):
        check(call in calls, f"the trace records {call}")
    check(calls.index("set_partition_property") < calls.index("initialize_partition"),
          "the early property was set before initialize")

    os.close(vp)
    os.close(part)
    calls = [line["call"] for line in traced(trace_path)]
    check(calls[-1] == "delete_partition", "closing the last descriptor deletes the partition")
    os.close(dev)
    print(f"1..{checks}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
