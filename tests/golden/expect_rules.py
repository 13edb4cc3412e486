#!/usr/bin/env python3
"""Signature tests: for every corpus input X with a sibling X.expect-rules,
run `memforensics analyze X` and check its diagnoses against the file:

  first: RULE_ID    the first diagnosis (highest severity, then confidence) is RULE_ID
  has: RULE_ID      RULE_ID is among the diagnoses
  not: RULE_ID      RULE_ID is not among the diagnoses (a near miss stays silent)
  count: RULE_ID N  RULE_ID fires exactly N times (one per culprit, cache, socket...)
  evaluable: RULE_ID  RULE_ID is not in not_evaluable

Lines starting with # are comments.

  expect_rules.py MEMFORENSICS CORPUS
"""
import json
import os
import subprocess
import sys


def main():
    tool, corpus = (os.path.abspath(a) for a in sys.argv[1:3])
    passed = failed = 0
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".expect-rules"):
                continue
            spec = os.path.join(root, f)
            inp = spec[: -len(".expect-rules")]
            rel = os.path.relpath(inp, corpus)
            errors = []
            if not os.path.exists(inp):
                errors.append("missing input")
            else:
                p = subprocess.run([tool, "analyze", rel], cwd=corpus, capture_output=True)
                try:
                    doc = json.loads(p.stdout)
                except ValueError as e:
                    doc = None
                    errors.append(f"invalid JSON: {e}")
                if doc is not None:
                    ids = [d["rule_id"] for d in doc.get("diagnoses", [])]
                    notev = [n["rule_id"] for n in doc.get("not_evaluable", [])]
                    with open(spec) as fh:
                        for n, line in enumerate(fh, 1):
                            line = line.strip()
                            if not line or line.startswith("#"):
                                continue
                            op, _, arg = line.partition(":")
                            arg = arg.strip()
                            if op == "first":
                                if not ids or ids[0] != arg:
                                    errors.append(f"{n}: first diagnosis is {ids[0] if ids else 'none'}, want {arg}")
                            elif op == "has":
                                if arg not in ids:
                                    errors.append(f"{n}: {arg} did not fire (diagnoses: {ids})")
                            elif op == "not":
                                if arg in ids:
                                    errors.append(f"{n}: {arg} fired on a near miss")
                            elif op == "count":
                                rid, _, num = arg.partition(" ")
                                if ids.count(rid) != int(num):
                                    errors.append(f"{n}: {rid} fired {ids.count(rid)} times, want {num}")
                            elif op == "evaluable":
                                if arg in notev:
                                    errors.append(f"{n}: {arg} is not evaluable")
                            else:
                                errors.append(f"{n}: unknown check '{op}'")
            if errors:
                failed += 1
                print(f"FAIL {rel}")
                for e in errors:
                    print("  " + e)
            else:
                passed += 1
                print(f"ok   {rel}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
