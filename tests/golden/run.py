#!/usr/bin/env python3
"""Golden corpus test: every corpus case through `memforensics analyze`.

A case is any file or folder in corpus/ with a sibling NAME.expected.json.
The tool runs from inside corpus/ on the relative path, so input.path is
the same on every machine; its output must equal the expected file byte for
byte (the contract is deterministic output) and validate against
docs/report.schema.json.

  run.py MEMFORENSICS CORPUS SCHEMA           check every case
  run.py MEMFORENSICS CORPUS SCHEMA --update  rewrite the expected files
"""
import difflib
import json
import os
import subprocess
import sys

import jsonschema


def cases(corpus):
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".expected.json"):
                inp = os.path.join(root, f[: -len(".expected.json")])
                if not os.path.exists(inp):
                    yield inp, os.path.join(root, f), "missing input"
                else:
                    yield inp, os.path.join(root, f), None


def main():
    tool, corpus, schema_path = sys.argv[1:4]
    update = "--update" in sys.argv[4:]
    tool = os.path.abspath(tool)
    corpus = os.path.abspath(corpus)
    with open(schema_path) as fh:
        schema = json.load(fh)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    for inp, expected_path, problem in cases(corpus):
        rel = os.path.relpath(inp, corpus)
        if problem:
            print(f"FAIL {rel}: {problem}")
            failed += 1
            continue
        proc = subprocess.run([tool, "analyze", rel], cwd=corpus,
                              capture_output=True)
        out = proc.stdout.decode("utf-8")
        errors = []
        if proc.returncode != 0:
            errors.append(f"exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}")
        try:
            doc = json.loads(out)
            for e in validator.iter_errors(doc):
                errors.append(f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        except ValueError as e:
            errors.append(f"invalid JSON: {e}")
        if update and not errors:
            with open(expected_path, "w") as fh:
                fh.write(out)
        else:
            with open(expected_path) as fh:
                expected = fh.read()
            if out != expected:
                diff = difflib.unified_diff(expected.splitlines(), out.splitlines(),
                                            "expected", "actual", lineterm="", n=2)
                errors.append("output differs:\n" + "\n".join(list(diff)[:60]))
        if errors:
            failed += 1
            print(f"FAIL {rel}")
            for e in errors:
                print("  " + e)
        else:
            passed += 1
            print(f"ok   {rel}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
