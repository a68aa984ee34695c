#!/usr/bin/env python3
"""What mshvcpu does differently on a terminal (TAP output).

  - a progress line on stderr while a long stream of host records is read,
    erased at the end, and nothing of it when stderr is not a terminal;
  - colour on stdout only on a terminal, never with NO_COLOR or --no-color.

  terminal.py --mshvcpu BUILD/mshvcpu
"""
import argparse
import fcntl
import json
import os
import struct
import subprocess
import sys
import termios
import threading

RECORD = ('{"schema":"mshvcpu-host/1","name":"node%07d",'
          '"source":"hypervisor","vendor":"intel","offered":{"bank0":"0x2e2a8bfffff7859f",'
          '"bank1":"0x000100ae000000f1","bank2":null,"xsave":"0x00000000007fffdf"}}\n')
COUNT = 250000


def run_on_pty(argv, pty_stream, stdin_data=None, env=None, cols=None):
    """Run argv with stdout or stderr ('stdout'/'stderr') on a pseudo-terminal
    (of @cols columns if given). Returns (exit status, bytes on the pty,
    bytes on the other stream)."""
    master, slave = os.openpty()
    if cols:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    other = subprocess.PIPE
    kwargs = {pty_stream: slave}
    kwargs['stdout' if pty_stream == 'stderr' else 'stderr'] = other
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env, **kwargs)
    os.close(slave)
    seen = []

    def drain():
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:		# EIO: the child closed its side
                break
            if not chunk:
                break
            seen.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    other_stream = proc.stdout if pty_stream == 'stderr' else proc.stderr
    other_out = []
    other_reader = threading.Thread(target=lambda: other_out.append(other_stream.read()))
    other_reader.start()
    if stdin_data is not None:
        proc.stdin.write(stdin_data)
    proc.stdin.close()
    status = proc.wait()
    other_reader.join()
    reader.join()
    os.close(master)
    return status, b''.join(seen), other_out[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mshvcpu', required=True)
    args = ap.parse_args()
    tool = args.mshvcpu
    stream = ''.join(RECORD % i for i in range(COUNT)).encode()
    env = dict(os.environ)
    env.pop('NO_COLOR', None)
    results = []

    def check(name, ok, detail=''):
        results.append((name, ok, detail))

    # Progress on a terminal.
    status, tty, out = run_on_pty([tool, 'baseline', '-j', '-'], 'stderr', stream, env)
    check('baseline over a stream exits 0', status == 0, 'status %d' % status)
    check('progress line counts records', b'\rmshvcpu: baseline: 200000 records...' in tty,
          repr(tty[:200]))
    check('progress line is erased at the end', tty.endswith(b'\r\x1b[K'), repr(tty[-40:]))
    try:
        answer = json.loads(out)
    except ValueError:
        answer = {}
    check('the answer is on stdout', answer.get('schema') == 'mshvcpu-baseline/1' and
          answer.get('hosts') == COUNT, repr(out[:200]))

    # -q: no progress line, even on a terminal.
    status, tty, quiet_out = run_on_pty([tool, 'baseline', '-q', '-j', '-'], 'stderr', stream, env)
    check('no progress line with -q', status == 0 and tty == b'' and quiet_out == out,
          repr(tty[:200]))

    # No progress when stderr is a pipe.
    proc = subprocess.run([tool, 'baseline', '-j', '-'], input=stream, capture_output=True,
                          env=env)
    check('no progress when stderr is not a terminal',
          proc.returncode == 0 and proc.stderr == b'', repr(proc.stderr[:200]))
    check('same answer with and without a terminal', proc.stdout == out)

    # Colour on a terminal only.
    status, tty, _ = run_on_pty([tool, 'show', 'x86-64-v2'], 'stdout', None, env)
    check('colour on a terminal', status == 0 and b'\x1b[' in tty, repr(tty[:120]))
    status, tty, _ = run_on_pty([tool, 'show', 'x86-64-v2'], 'stdout', None,
                                dict(env, NO_COLOR='1'))
    check('no colour with NO_COLOR', status == 0 and b'\x1b[' not in tty, repr(tty[:120]))
    status, tty, _ = run_on_pty([tool, '--no-color', 'show', 'x86-64-v2'], 'stdout', None, env)
    check('no colour with --no-color', status == 0 and b'\x1b[' not in tty, repr(tty[:120]))
    proc = subprocess.run([tool, 'show', 'x86-64-v2'], capture_output=True, env=env)
    check('no colour into a pipe', proc.returncode == 0 and b'\x1b[' not in proc.stdout)

    print('1..%d' % len(results))
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', i, name,
                                '' if ok else ': ' + detail))
        failed += not ok
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
