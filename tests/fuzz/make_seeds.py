#!/usr/bin/env python3
"""Write the hand-made seed corpora in tests/fuzz/corpus/ (committed).

Each seed is one input a fuzz target understands, chosen to reach one
behaviour: a valid call, each class of refusal, the edges. Re-run after
changing a target's input format, then review the diff:

  python3 tests/fuzz/make_seeds.py
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, 'corpus')
FIXTURES = os.path.join(HERE, '..', 'cli', 'fixtures')


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def v2(flags, banks=(0, 0), xsave=0, nbanks=2, rsvd=b'\0' * 6, rsvd1=b'\0' * 16):
    return (struct.pack('<QQH', flags, 0, nbanks) + rsvd + struct.pack('<QQ', *banks) +
            rsvd1 + struct.pack('<Q', xsave))


def create_partition():
    # abi | readable (>= 0x80: all 64) | mode (1 rewrite, 2 inject) | status | struct | rewrite
    def seed(name, abi, struct_, readable=0x80, mode=0, status=0, rewrite=b''):
        write('create_partition', name,
              bytes([abi, readable, mode, status]) + struct_ + rewrite)
    v1 = struct.pack('<QQ', 1, 0) + b'\0' * 48
    seed('v1-lapic', 2, v1)
    seed('v1-ends-at-16', 2, v1, readable=16)
    seed('v1-truncated', 2, v1, readable=15)
    seed('v2-masks', 2, v2(0xb, (0x8000000000000001, 0xe000000000000000), 0xffffff0000000000))
    seed('v2-truncated', 2, v2(0x8), readable=63)
    seed('v2-three-banks', 1, v2(0x8, nbanks=3))
    seed('v2-rsvd-byte', 1, v2(0x8, rsvd=b'\0\0\0\1\0\0'))
    seed('v2-rsvd1-byte', 1, v2(0x8, rsvd1=b'\0' * 15 + b'\1'))
    seed('v2-on-v1-only', 0, v2(0x8))
    seed('nested-smt', 2, v2(0x38))
    seed('nested-on-6.19', 1, v2(0x18))
    seed('isolation', 2, struct.pack('<QQ', 0, 1) + b'\0' * 48)
    seed('rewrite-clears-bit3', 2, v2(0x8, (1, 2)), mode=1, rewrite=v2(0x0, (3, 4)))
    seed('rewrite-bad-flags', 2, v2(0x8), mode=1, rewrite=v2(0x8 | 1 << 40))
    seed('inject-insufficient-memory', 2, v2(0x9), mode=2, status=2)
    seed('inject-access-denied', 2, v1, mode=2, status=1)


def partition_ioctl():
    # abi, then ops: 0 create, 1 initialize, 2 create VP, 3 ROOT_HVCALL, 4 self
    # ROOT_HVCALL, 5 any ioctl, 6 dup, 7 close, 8 closed fd
    prop = struct.pack('<QI', 0, 0x0006000A)	# PROCESSOR_FEATURES0 (hv_partition.h)
    create = bytes([0, 0x01])
    init = bytes([1, 0])
    vp = bytes([2, 0, 1, 3, 0])
    hvcall = bytes([3, 0, 0, 3, 3, 0]) + prop.ljust(48, b'\0')
    self_call = bytes([4, 0, 3, 3, 0]) + prop.ljust(48, b'\0')
    write('partition_ioctl', 'lifecycle', bytes([2]) + create + init + vp + hvcall + self_call +
          bytes([6, 0, 0, 7, 0, 7, 0]))
    write('partition_ioctl', 'v1-only-self-call', bytes([0]) + self_call + create + init)
    write('partition_ioctl', 'cpuid', bytes([2]) + create + init + vp +
          bytes([3, 3, 3, 3, 4 | 1, 0x10, 0]) + struct.pack('<QII', 0, 0, 7).ljust(48, b'\0'))
    write('partition_ioctl', 'unknown-ioctls', bytes([1]) + create +
          bytes([5]) + struct.pack('<I', 0xc010b807) + bytes([1, 0]) +
          bytes([5]) + struct.pack('<I', 0x4020b802) + bytes([1, 0]) + bytes([8, 3]))
    write('partition_ioctl', 'bad-pointers', bytes([2]) + create +
          bytes([3, 0, 0, 1, 1, 0]) + bytes([3, 0, 0, 0, 0, 0]) + bytes([2, 0, 1, 1, 0]))


def spec():
    for i, s in enumerate(['x86-64-v3,+aes,-avx2', 'host,-avx512', 'mshv-skylake-sp',
                           'intel:0x2e2a8bfffff7859f:0x000100ae000000f1:0x7fffdf',
                           'amd:0x1:0x2:0x3:0x4', 'none,+avx512_vnni', 'all,-xsave',
                           'x86-64-v4,-avx512f', 'x86-64-v2,+avx,+avx', 'host,+nosuch',
                           'x86-64-v3,-avx,+avx2', 'intel:0x1:0x2', ',', '']):
        write('spec', 'spec-%02d' % i, bytes([i % 4]) + s.encode())


def json_docs():
    with open(os.path.join(FIXTURES, 'hosts', 'icx.json'), 'rb') as f:
        host = f.read()
    compact = json.dumps(json.loads(host), separators=(',', ':')).encode()
    write('json', 'host-pretty', b'\0' + host)
    write('json', 'host-compact', b'\0' + compact)
    write('json', 'host-partial-word', b'\0' + compact.replace(
        b'"bank1":"0x100ae000000f1"', b'"bank1":{"enabled":"0x1","known":"0xff"}'))
    write('json', 'host-escape', b'\0' + compact.replace(b'icx-node1', b'icx\\u002dnode1'))
    write('json', 'host-truncated', b'\0' + compact[:len(compact) // 2])
    # Issue 12: what json-c took silently (both host paths must refuse it).
    write('json', 'host-escaped-nul', b'\0' + compact.replace(b'"intel"', b'"amd\\u0000intel"'))
    write('json', 'host-duplicate-key', b'\0' + compact.replace(
        b'"vendor":"intel"', b'"vendor":"intel","vend\\u006fr":"amd"'))
    write('json', 'host-duplicate-word', b'\0' + compact.replace(
        b'"bank1":"0x100ae000000f1"', b'"bank1":"0x100ae000000f1","bank1":"0x0"'))
    write('json', 'host-control-name', b'\0' + compact.replace(
        b'icx-node1', b'icx\\nFORGED\\u001b[2J\x7f'))
    write('json', 'host-unpaired-surrogate', b'\0' + compact.replace(b'icx-node1', b'icx\\ud800'))
    write('json', 'host-long-name', b'\0' + compact.replace(b'icx-node1', b'\xc3\xa9' * 64))
    write('json', 'host-long-detail', b'\0' + compact.replace(
        b'root partition properties through /dev/mshv', b'\xe2\x82\xac' * 90))
    # Records of the old convention ("format" + "version") still read; the
    # two conventions disagreeing, or a newer major version, do not.
    with open(os.path.join(FIXTURES, 'hosts', 'skx.json'), 'rb') as f:
        write('json', 'host-old-convention', b'\0' + f.read())
    write('json', 'host-both-conventions', b'\0' + compact.replace(
        b'"schema":"mshvcpu-host/1"', b'"schema":"mshvcpu-host/1","format":"mshvcpu-host","version":1'))
    write('json', 'host-conventions-disagree', b'\0' + compact.replace(
        b'"schema":"mshvcpu-host/1"', b'"schema":"mshvcpu-host/1","format":"mshvcpu-host","version":2'))
    write('json', 'host-newer-schema', b'\0' + compact.replace(b'mshvcpu-host/1', b'mshvcpu-host/2'))
    with open(os.path.join(FIXTURES, 'icx-no-avx512.old.json'), 'rb') as f:
        write('json', 'profile-old-convention', b'\1' + f.read())
    with open(os.path.join(FIXTURES, 'icx-no-avx512.json'), 'rb') as f:
        profile = f.read()
    write('json', 'profile', b'\1' + profile)
    write('json', 'profile-named-like-a-host', b'\1' + profile.replace(
        b'"mshv-icelake-sp-azure,-avx512"', b'"mshvcpu-host"'))
    with open(os.path.join(FIXTURES, 'guest-baseline.json'), 'rb') as f:
        write('json', 'partition-record-schema', b'\2' + f.read())
    with open(os.path.join(FIXTURES, 'guest-skx.json'), 'rb') as f:
        record = f.read()
    write('json', 'partition-record', b'\2' + record)
    write('json', 'partition-record-control-spec', b'\2' + record.replace(
        b'"spec": "', b'"spec": "\\u0085', 1))


def hex_words():
    for i, s in enumerate(['0x2e2a8bfffff7859f', '7FFFDF', '0X0', '0x', '0x10000000000000000',
                           '0xg', 'ffffffffffffffff', ' 0x1']):
        write('hex', 'hex-%02d' % i, s.encode() + b'\0' + struct.pack('<QQQQ', i, -1 & 0xffffffffffffffff, 1 << 63, 0x5a))


if __name__ == '__main__':
    create_partition()
    partition_ioctl()
    spec()
    json_docs()
    hex_words()
