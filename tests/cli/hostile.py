#!/usr/bin/env python3
"""Hostile input files against the real mshvcpu binary (TAP output).

Every record mshvcpu reads comes from outside: host records copied between
machines, JSON Lines streams piped from inventory scripts, profiles and
partition records written by other programs. A broken one must be refused
cleanly, whatever is wrong with it. Each hostile input is generated here, in
a temporary directory, and fed four ways:

  baseline -o OUT FILE FILE2        FILE a host record, FILE2 a valid one
  baseline -o OUT -                 JSON Lines on stdin
  show --output OUT @FILE           FILE a profile
  check-migration --from FILE --to mshv-skylake-sp   FILE a partition record

  compare -j FILE FILE                   FILE any of the three (compare sniffs
                                         the format)

and must get: exit status 2 or 3 (never 0 or 1, never a signal), exactly one
line on stderr, `mshvcpu: <what>: <why>`, nothing on stdout (with -j: the one
error document), no output file and no stray temporary file next to where it
would have been, within 60 s and 1 GiB of peak RSS. A valid record, and one
with CRLF line endings, are the positive controls: exit 0, nothing on
stderr, the output file written and readable again (`show @OUT`). Some rows
are accepted by one reader and not another, or answered "no" (exit 1, a
reason on stdout). Whatever the row, stdout and stderr are valid UTF-8 with
no control character but the newline, and no line is forged (none starts
with FORGED, the text hostile names carry after a newline).

  hostile.py --mshvcpu BUILD/mshvcpu
"""
import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')
BASES = {			# kind: (fixture, name field, number field, words field)
    'host': ('hosts/skx.json', 'name', 'max_xsave_data_size', 'offered'),
    # The three bases are records of the old convention ("format" and
    # "version"), which every reader still takes; a profile's one number is
    # its "version".
    'profile': ('icx-no-avx512.old.json', 'name', 'version', 'enabled'),
    'partition': ('guest-skx.json', 'spec', 'max_xsave_data_size', 'effective'),
}
SECOND_HOST = os.path.join(FIXTURES, 'hosts', 'icx.json')
TIMEOUT = 60
MAX_RSS_KB = 1024 * 1024	# 1 GiB
BIG = 100 * 1024 * 1024		# the 100 MB line
HOLE = '@@HOSTILE@@'		# placeholder replaced by raw bytes
ONE_ERROR_LINE = re.compile(rb'mshvcpu: .+: .+\n')


# --- records -----------------------------------------------------------------

def load_base(kind):
    with open(os.path.join(FIXTURES, BASES[kind][0])) as f:
        return json.load(f)


def compact(record):
    return json.dumps(record, separators=(',', ':')).encode()


def with_raw(record, keys, raw):
    """The record, compact, with record[keys...] replaced by raw JSON bytes."""
    record = copy.deepcopy(record)
    node = record
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = HOLE
    return compact(record).replace(b'"' + HOLE.encode() + b'"', raw)


def with_value(record, keys, value):
    return with_raw(record, keys, json.dumps(value).encode())


# --- payloads: (kind, base record, stream?) -> bytes ------------------------
# A record-level payload is, on a stream, preceded by a valid line: the
# stream must fail in the middle, after one record was already accepted.

def record_level(make):
    def payload(kind, base, stream):
        bad = make(kind, base)
        return compact(base) + b'\n' + bad + b'\n' if stream else bad
    return payload


def name_key(kind):
    return [BASES[kind][1]]


def words_key(kind):
    return [BASES[kind][3]]


def with_duplicate(record, keys, raw_first):
    """The record, compact, with the object at record[keys...] (the record
    itself if keys is empty) given a member raw_first before its own first
    member: a key that then appears twice."""
    record = copy.deepcopy(record)
    node = record
    for key in keys:
        node = node[key]
    first = next(iter(node))
    inner = compact(node)
    doubled = b'{' + raw_first + b',' + inner[1:]
    if not keys:
        return doubled
    return with_raw(record, keys, doubled)


def by_kind(**expect):
    """An expectation that depends on the reader: by_kind(host='error', default='ok'),
    and 'migration' for check-migration's own answer."""
    def pick(kind, label):
        if label.startswith('check-migration') and 'migration' in expect:
            return expect['migration']
        return expect.get(kind, expect.get('default'))
    return pick


ACCENTS = '\u00e9' * 100	# 200 bytes of UTF-8 once read


PAYLOADS = [
    # (row name, payload, expected: 'error', 'ok', 'no' (exit 1), or by_kind(...))
    ('truncated JSON', record_level(lambda k, b: compact(b)[:len(compact(b)) // 2]), 'error'),
    ('empty file', lambda k, b, s: b'', 'error'),
    ('only whitespace', lambda k, b, s: b' \n\t\r\n  \n', 'error'),
    ('number 1e400', record_level(
        lambda k, b: with_raw(b, [BASES[k][2]], b'1e400')), 'error'),
    ('number 99999999999999999999999', record_level(
        lambda k, b: with_raw(b, [BASES[k][2]], b'99999999999999999999999')), 'error'),
    ('17-hex-digit word', record_level(
        lambda k, b: with_value(b, words_key(k) + ['bank0'], '0x1ffffffffffffffff')), 'error'),
    ('word as a number', record_level(
        lambda k, b: with_raw(b, words_key(k) + ['bank0'], b'1152921504606846975')), 'error'),
    ('words object as an array', record_level(
        lambda k, b: with_value(b, words_key(k), ['0x1', '0x2', None, '0x3'])), 'error'),
    ('vendor as 7', record_level(lambda k, b: with_raw(b, ['vendor'], b'7')), 'error'),
    ('NUL byte inside vendor string', record_level(
        lambda k, b: with_raw(b, ['vendor'], b'"intel\x00evil"')), 'error'),
    ('NUL byte inside name string', record_level(
        lambda k, b: with_raw(b, name_key(k), b'"node\x00x"')), 'error'),
    ('NUL byte between records',
     lambda k, b, s: compact(b) + b'\n\x00\n' + compact(b) + b'\n', 'error'),
    ('non-UTF-8 bytes in a string', record_level(
        lambda k, b: with_raw(b, name_key(k), b'"node\xff\xfe"')), 'error'),
    ('overlong UTF-8 in a string', record_level(
        lambda k, b: with_raw(b, name_key(k), b'"node\xc0\xaf"')), 'error'),
    ('UTF-16 surrogate as UTF-8 in a string', record_level(
        lambda k, b: with_raw(b, name_key(k), b'"node\xed\xa0\x80"')), 'error'),
    ('UTF-8 beyond U+10FFFF in a string', record_level(
        lambda k, b: with_raw(b, name_key(k), b'"node\xf4\x90\x80\x80"')), 'error'),
    ('UTF-8 BOM at the start', lambda k, b, s: b'\xef\xbb\xbf' + compact(b) + b'\n', 'error'),
    ('100000 [ (deep nesting)',
     lambda k, b, s: (compact(b) + b'\n' if s else b'') + b'[' * 100000 + b'\n', 'error'),
    ('100000 [ inside a record', record_level(
        lambda k, b: with_raw(b, name_key(k), b'[' * 100000)), 'error'),
    ('valid record (control)', lambda k, b, s: compact(b) + b'\n', 'ok'),
    ('valid UTF-8 in a string (control)', record_level(
        lambda k, b: with_raw(b, name_key(k), b'"n\xc5\x93ud \xe2\x82\xac \xf0\x9f\x96\xa5"')), 'ok'),
    ('CRLF line endings (control)',
     lambda k, b, s: ((compact(b) + b'\r\n') * 2 if s else
                      json.dumps(b, indent=2).replace('\n', '\r\n').encode() + b'\r\n'), 'ok'),
]


# Issue 12: strings json-c took silently, names that forge output, repeated
# keys, names at and past their limits, a name like another format's.
def in_string(row, member, raw):
    keys = (lambda k: [member]) if member == 'vendor' else name_key
    return (row, record_level(lambda k, b: with_raw(b, keys(k), raw)), 'error')


def repeated(row, in_words, raw_first):
    keys = words_key if in_words else (lambda k: [])
    return (row, record_level(lambda k, b: with_duplicate(b, keys(k), raw_first)), 'error')


PAYLOADS += [
    in_string('escaped \\u0000 inside vendor string', 'vendor', b'"amd\\u0000intel"'),
    in_string('escaped \\u0000 inside name string', 'name', b'"node\\u0000x"'),
    in_string('escaped newline and ESC in name', 'name', b'"n\\nFORGED \\u001b[31mred"'),
    in_string('raw control characters in name', 'name', b'"n\x01\x1b[2J\x08"'),
    in_string('DEL and a C1 control in name', 'name', b'"n\x7f\xc2\x9b"'),
    in_string('unpaired surrogate escape in name', 'name', b'"n\\ud800x"'),
    repeated('duplicate key (vendor twice)', False, b'"vendor":"amd"'),
    repeated('duplicate key spelt with an escape', False, b'"vend\\u006fr":"amd"'),
    repeated('duplicate key in the words object', True, b'"bank0":"0x0"'),
    # Host names are at most 127 bytes (refused, not cut); profile and
    # partition names have no limit.
    ('a 200-byte non-ASCII name', record_level(
        lambda k, b: with_value(b, name_key(k), ACCENTS)), by_kind(host='error', default='ok')),
    ('a 1000-byte non-ASCII source_detail (cut on read)', record_level(
        lambda k, b: with_value(b, ['source_detail'], '\u20ac' * 333 + 'x')), 'ok'),
    ('named like another format', record_level(
        lambda k, b: with_value(b, name_key(k),
                                'mshvcpu-profile' if k == 'host' else 'mshvcpu-host')), 'ok'),
    ('named like another schema', record_level(
        lambda k, b: with_value(b, name_key(k),
                                'mshvcpu-profile/1' if k == 'host' else 'mshvcpu-host/1')), 'ok'),
    ('no max_xsave_data_size (unknown XSAVE size)', record_level(
        lambda k, b: with_raw(b, ['max_xsave_data_size'], b'null')),
     by_kind(migration='no', default='ok')),
]


def write_big_line(path, kind, base, stream):
    """A record whose name is a 100 MB string, written in chunks."""
    head, tail = with_value(base, name_key(kind), HOLE).split(HOLE.encode())
    chunk = b'n' * (1024 * 1024)
    with open(path, 'wb') as f:
        if stream:
            f.write(compact(base) + b'\n')
        f.write(head)
        for _ in range(BIG // len(chunk)):
            f.write(chunk)
        f.write(tail + b'\n')


# --- modes -------------------------------------------------------------------

MODES = [
    # (label, kind, argv builder (tool, input, out), output file?, input on stdin?, JSON?)
    ('baseline FILE', 'host',
     lambda t, i, o: [t, 'baseline', '-o', o, i, SECOND_HOST], True, False, False),
    ('baseline - (stdin)', 'host',
     lambda t, i, o: [t, 'baseline', '-o', o, '-'], True, True, False),
    ('show @FILE', 'profile',
     lambda t, i, o: [t, 'show', '--output', o, '@' + i], True, False, False),
    ('check-migration --from FILE', 'partition',
     lambda t, i, o: [t, 'check-migration', '--from', i, '--to', 'mshv-skylake-sp'],
     False, False, False),
    ('compare -j host FILE', 'host',
     lambda t, i, o: [t, '-j', 'compare', i, i], False, False, True),
    ('compare -j profile FILE', 'profile',
     lambda t, i, o: [t, '-j', 'compare', i, i], False, False, True),
    ('compare -j partition FILE', 'partition',
     lambda t, i, o: [t, '-j', 'compare', i, i], False, False, True),
]


def run(argv, stdin_fd, scratch):
    """Run argv with stdin from stdin_fd, stdout and stderr into files.
    Returns (exit status or -signal, stdout, stderr, peak RSS in KiB, timed out?)."""
    out_path = os.path.join(scratch, 'stdout')
    err_path = os.path.join(scratch, 'stderr')
    with open(out_path, 'wb') as out, open(err_path, 'wb') as err:
        proc = subprocess.Popen(argv, stdin=stdin_fd, stdout=out, stderr=err)
    timed_out = []
    timer = threading.Timer(TIMEOUT, lambda: (timed_out.append(True), proc.kill()))
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, 'rb') as f:
        stdout = f.read(1 << 20)
    with open(err_path, 'rb') as f:
        stderr = f.read(1 << 20)
    os.unlink(out_path)
    os.unlink(err_path)
    return proc.returncode, stdout, stderr, usage.ru_maxrss, bool(timed_out)


def unsafe_text(name, data):
    """What makes output unsafe to show: not UTF-8, a control character
    other than the newline, a forged line. None if it is safe."""
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        return '%s not UTF-8 at %d: %r' % (name, e.start, data[max(0, e.start - 40):e.start + 8])
    for i, ch in enumerate(text):
        if ch != '\n' and (ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f):
            return '%s has U+%04X: %r' % (name, ord(ch), text[max(0, i - 40):i + 8])
    if any(line.startswith('FORGED') for line in text.split('\n')):
        return '%s has a forged line' % name
    return None


def judge(expect, status, stdout, stderr, rss, timed_out, out_path, out_dir, has_output, json_out,
          tool):
    """Every way the run went wrong, as short strings (none: it passed)."""
    wrong = []
    if timed_out:
        wrong.append('killed after %d s' % TIMEOUT)
    if status < 0:
        wrong.append('killed by signal %d' % -status)
    if rss > MAX_RSS_KB:
        wrong.append('peak RSS %d MiB' % (rss // 1024))
    left = sorted(set(os.listdir(out_dir)) - {os.path.basename(out_path)})
    if left:
        wrong.append('stray files %s' % left)
    for name, data in (('stdout', stdout), ('stderr', stderr)):
        unsafe = unsafe_text(name, data)
        if unsafe:
            wrong.append(unsafe)
    if json_out and stdout:
        try:
            doc = json.loads(stdout.decode('utf-8', 'replace'))
        except ValueError as e:
            doc = {}
            wrong.append('stdout is not one JSON document: %s' % e)
        if expect == 'error' and doc.get('schema') != 'mshvcpu-error/1':
            wrong.append('stdout %r' % stdout[:100])
    if expect in ('ok', 'no'):
        if status != (0 if expect == 'ok' else 1):
            wrong.append('exit %d' % status)
        if stderr:
            wrong.append('stderr %r' % stderr[:200])
        if expect == 'no' and not stdout:
            wrong.append('no reason given')
        if has_output and not os.path.isfile(out_path):
            wrong.append('no output file')
        elif has_output:
            # What -o wrote reads back.
            back = subprocess.run([tool, 'show', '@' + out_path], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
            if back.returncode != 0:
                wrong.append('output does not read back: %r' % back.stderr[:200])
        return wrong
    if status >= 0 and status not in (2, 3):
        wrong.append('exit %d' % status)
    if not ONE_ERROR_LINE.fullmatch(stderr):
        wrong.append('stderr %r' % (stderr[:200] + (b'...' if len(stderr) > 200 else b'')))
    if stdout and not json_out:
        wrong.append('stdout %r' % stdout[:100])
    if os.path.lexists(out_path):
        wrong.append('output file written (%d bytes)' % os.lstat(out_path).st_size)
    return wrong


def one_case(tool, mode, make_input, expect, tmp, index):
    """Make the input (make_input(path) -> path or None), run, judge.
    Returns (list of problems, peak RSS in KiB)."""
    label, kind, argv_of, has_output, on_stdin, json_out = mode
    case_dir = os.path.join(tmp, 'case%03d' % index)
    out_dir = os.path.join(case_dir, 'out')
    os.makedirs(out_dir)
    out_path = os.path.join(out_dir, 'result.json')
    in_path = make_input(os.path.join(case_dir, 'input.json'))
    stdin_fd = os.open(in_path, os.O_RDONLY) if on_stdin else subprocess.DEVNULL
    try:
        result = run(argv_of(tool, in_path, out_path), stdin_fd, case_dir)
    finally:
        if on_stdin:
            os.close(stdin_fd)
    wrong = judge(expect, *result, out_path, out_dir, has_output, json_out, tool)
    if os.path.isdir(in_path):
        os.rmdir(in_path)
    elif os.path.lexists(in_path):
        os.chmod(in_path, 0o600)
        os.unlink(in_path)
    return wrong, result[3]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mshvcpu', required=True)
    args = ap.parse_args()
    tool = os.path.abspath(args.mshvcpu)
    results = []		# (name, ok, detail, skip reason)
    peak = (0, '')		# the largest peak RSS (KiB) and its row
    started = time.monotonic()
    root = os.geteuid() == 0

    with tempfile.TemporaryDirectory(prefix='mshvcpu-hostile-') as tmp:
        index = 0
        for mode in MODES:
            label, kind, _, _, on_stdin, _ = mode
            base = load_base(kind)
            cases = []
            for name, payload, expect in PAYLOADS:
                def make(path, payload=payload):
                    with open(path, 'wb') as f:
                        f.write(payload(kind, base, on_stdin))
                    return path
                cases.append((name, make, expect(kind, label) if callable(expect) else expect))

            def hostile_path(path, dirname, filename, record):
                """A valid record where the path itself is hostile: it is printed, and
                names the host when the record does not."""
                d = os.path.join(os.path.dirname(path), dirname)
                os.makedirs(d, exist_ok=True)
                target = os.path.join(d, filename)
                with open(target, 'wb') as f:
                    f.write(compact(record) + b'\n')
                return target

            nameless = copy.deepcopy(base)
            nameless.pop(BASES[kind][1], None)
            cases.append(('a file name with a newline, ESC and a byte not UTF-8',
                          lambda path: hostile_path(path, 'd', 'x\nFORGED \x1b[31mred\udcff.json',
                                                    nameless), 'ok'))
            cases.append(('a 200-byte non-ASCII directory, record without a name',
                          lambda path: hostile_path(path, '\u00e9' * 100, 'r.json', nameless), 'ok'))

            def big(path):
                write_big_line(path, kind, base, on_stdin)
                return path

            def directory(path):
                os.mkdir(path)
                return path

            def unreadable(path):
                with open(path, 'wb') as f:
                    f.write(compact(base) + b'\n')
                os.chmod(path, 0)
                return path

            cases.append(('a single 100 MB line', big, 'error'))
            cases.append(('a directory (empty) where a file is expected', directory, 'error'))
            if not on_stdin:
                cases.append(('an unreadable file (mode 000)', unreadable, 'error'))

            for name, make, expect in cases:
                index += 1
                row = '%s: %s' % (label, name)
                if make is unreadable and root:
                    results.append((row, True, '', 'root can read a mode 000 file'))
                    continue
                wrong, rss = one_case(tool, mode, make, expect, tmp, index)
                peak = max(peak, (rss, row))
                results.append((row, not wrong, '; '.join(wrong), None))
            results.append(('%s: a FIFO nobody writes' % label, True, '', 'it would block'))

    print('1..%d' % len(results))
    failed = 0
    for i, (name, ok, detail, skip) in enumerate(results, 1):
        if skip:
            print('ok %d - %s # SKIP %s' % (i, name, skip))
            continue
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', i, name,
                                '' if ok else ' : ' + detail))
        failed += not ok
    print('# largest peak RSS %d MiB (%s); %.1f s in all' %
          (peak[0] // 1024, peak[1], time.monotonic() - started))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
