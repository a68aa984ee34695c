# SPDX-License-Identifier: MIT
"""TAP for the project's Python tests, in one place: checks are collected,
then printed with the plan first, each failure followed by its detail
(a text, or a list of lines) as comment lines; done() gives the exit
status.

    tap = Tap()
    tap.check(ok, "what was checked", detail)
    return tap.done()
"""


class Tap:
    def __init__(self):
        self.results = []

    def check(self, ok, what, detail=""):
        self.results.append((bool(ok), what, detail))
        return bool(ok)

    def done(self):
        print(f"1..{len(self.results)}")
        failed = 0
        for i, (ok, what, detail) in enumerate(self.results, 1):
            print(f"{'ok' if ok else 'not ok'} {i} - {what}")
            if ok:
                continue
            failed += 1
            lines = detail if isinstance(detail, (list, tuple)) else str(detail).split("\n")
            for line in lines:
                print(f"#   {line}")
        return 1 if failed else 0
