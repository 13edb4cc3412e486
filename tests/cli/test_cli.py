#!/usr/bin/env python3
"""CLI tests: exit codes, one-line errors naming the path, JSON Lines for
several paths, stdin, --output, --format text, and schema-valid output for a
file, a folder, stdin and a .tar.gz.

  test_cli.py MEMFORENSICS CORPUS SCHEMA
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import jsonschema

TOOL = CORPUS = SCHEMA = None
DMESG = "kernel-log/debian12-x86_64-dmesg.txt"
TARGZ = "bundles/openwrt-k2t.tar.gz"
FOLDER = "bundles/sosreport-db01-2021-03-14"


def run(*args, stdin=None):
    return subprocess.run([TOOL, *args], cwd=CORPUS, input=stdin,
                          capture_output=True)


class Cli(unittest.TestCase):
    def valid(self, text):
        doc = json.loads(text)
        jsonschema.Draft202012Validator(SCHEMA).validate(doc)
        return doc

    def test_version_and_help(self):
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout.decode(), r"^memforensics \d+\.\d+\.\d+ ")
        p = run("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"analyze", p.stdout)

    def test_usage_errors_exit_2(self):
        for args in ([], ["frobnicate"], ["analyze"], ["analyze", "--bogus", DMESG],
                     ["analyze", "--format", "xml", DMESG],
                     ["analyze", "--fail-on", "dire", DMESG],
                     ["analyze", "--max-members", "lots", DMESG],
                     ["analyze", "--output"]):
            with self.subTest(args=args):
                p = run(*args)
                self.assertEqual(p.returncode, 2)
                err = p.stderr.decode()
                self.assertTrue(err.startswith("memforensics"), err)
                self.assertEqual(p.stdout, b"")

    def test_file_gives_kernel_release(self):
        p = run("analyze", DMESG)
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = self.valid(p.stdout)
        self.assertEqual(doc["system"]["kernel_release"], "6.1.0-18-amd64")
        self.assertEqual(doc["system"]["arch"], "x86_64")
        self.assertEqual(doc["system"]["sources"]["kernel_release"]["line"], 1)
        self.assertEqual(doc["input"]["members"][0]["kind"], "kernel-log")

    def test_folder(self):
        p = run("analyze", FOLDER)
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = self.valid(p.stdout)
        self.assertEqual(doc["system"]["kernel_release"], "3.10.0-1160.el7.x86_64")
        paths = [m["path"] for m in doc["input"]["members"]]
        self.assertEqual(paths, sorted(paths))
        self.assertIn("sos_commands/kernel/dmesg", paths)

    def test_targz(self):
        p = run("analyze", TARGZ)
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = self.valid(p.stdout)
        self.assertEqual(doc["system"]["kernel_release"], "4.14.131")
        self.assertEqual(doc["system"]["arch"], "arm")
        self.assertIn("logread.txt", [m["path"] for m in doc["input"]["members"]])

    def test_stdin(self):
        with open(os.path.join(CORPUS, TARGZ), "rb") as fh:
            data = fh.read()
        p = run("analyze", "-", stdin=data)
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = self.valid(p.stdout)
        self.assertEqual(doc["input"]["path"], "-")
        self.assertEqual(doc["system"]["kernel_release"], "4.14.131")
        # the same bytes give the same digest as the file
        q = self.valid(run("analyze", TARGZ).stdout)
        self.assertEqual(doc["input"]["sha256"], q["input"]["sha256"])

    def test_unreadable_input_exit_4_and_report(self):
        p = run("analyze", "no/such/file.log")
        self.assertEqual(p.returncode, 4)
        err = p.stderr.decode().splitlines()
        self.assertEqual(len(err), 1)
        self.assertIn("no/such/file.log", err[0])
        doc = self.valid(p.stdout)
        self.assertFalse(doc["input"]["complete"])
        self.assertIn("error", doc["input"])

    def test_several_paths_json_lines_and_precedence(self):
        p = run("analyze", DMESG, "no/such", TARGZ)
        self.assertEqual(p.returncode, 4)
        lines = p.stdout.decode().splitlines()
        self.assertEqual(len(lines), 3)
        docs = [self.valid(l) for l in lines]
        self.assertEqual([d["input"]["path"] for d in docs], [DMESG, "no/such", TARGZ])
        # usage beats unreadable
        self.assertEqual(run("analyze", "--format", "yaml", "no/such").returncode, 2)

    def test_output_file_and_text(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "r.json")
            p = run("analyze", "--output", out, DMESG)
            self.assertEqual(p.returncode, 0)
            self.assertEqual(p.stdout, b"")
            with open(out, "rb") as fh:
                self.valid(fh.read())
        p = run("analyze", "--format", "text", DMESG)
        self.assertEqual(p.returncode, 0)
        text = p.stdout.decode()
        self.assertIn("kernel: 6.1.0-18-amd64 (x86_64)", text)
        self.assertIn("diagnoses: none", text)
        self.assertLess(len(text.splitlines()), 15)
        # a diagnosis shows its first evidence line and counts the others
        p = run("analyze", "--format", "text", "signatures/slow-leak-trend/busybox-free-loop.log")
        self.assertEqual(p.returncode, 0)
        self.assertIn("  at busybox-free-loop.log:3: MemAvailable: 91588 kB (+1 more in the JSON report)\n",
                      p.stdout.decode())

    def test_damaged_member_is_one_stderr_line(self):
        p = run("analyze", "kernel-log/not-gzip.log.gz")
        self.assertEqual(p.returncode, 0)
        err = p.stderr.decode().splitlines()
        self.assertEqual(len(err), 1)
        self.assertRegex(err[0], r"^memforensics: kernel-log/not-gzip.log.gz: not-gzip.log.gz: corrupt: ")
        doc = self.valid(p.stdout)
        self.assertEqual(doc["input"]["members"][0]["status"], "corrupt")
        self.assertEqual(doc["warnings"][0]["code"], "corrupt")

    def test_parse_has_no_diagnoses(self):
        p = run("parse", FOLDER)
        self.assertEqual(p.returncode, 0)
        doc = self.valid(p.stdout)
        self.assertNotIn("diagnoses", doc)
        self.assertEqual(run("parse", "--fail-on", "high", FOLDER).returncode, 2)

    def test_deterministic(self):
        a = run("analyze", FOLDER).stdout
        b = run("analyze", FOLDER).stdout
        self.assertEqual(a, b)

    def test_limits_mark_incomplete(self):
        p = run("analyze", "--max-member-bytes", "100", DMESG)
        self.assertEqual(p.returncode, 0)
        doc = self.valid(p.stdout)
        self.assertFalse(doc["input"]["complete"])
        self.assertEqual(doc["input"]["members"][0]["status"], "skipped-limit")
        self.assertEqual(doc["warnings"][0]["code"], "limit")

    def test_record_limits(self):
        flood = "".join("<6>[%6d.000000] lowmemorykiller: Killing 'app%d' (%d), adj 904,\n"
                        % (100 + i, i, 1000 + i) for i in range(3000)).encode()
        p = run("analyze", "--max-record-bytes", "1M", "-", stdin=flood)
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = self.valid(p.stdout)
        self.assertFalse(doc["input"]["complete"])
        self.assertLess(len(doc["findings"]["lmk_kills"]), 3000)
        self.assertIn("limits.max_record_bytes", doc["warnings"][0]["message"])
        p = run("analyze", "--max-records", "10", "-", stdin=flood)
        doc = self.valid(p.stdout)
        self.assertEqual(len(doc["findings"]["lmk_kills"]), 10)
        self.assertEqual(doc["warnings"][0]["code"], "record-limit")
        p = run("analyze", "-", stdin=flood)  # the defaults keep them all
        doc = self.valid(p.stdout)
        self.assertEqual(len(doc["findings"]["lmk_kills"]), 3000)
        self.assertTrue(doc["input"]["complete"])
        for bad in (["--max-records", "many"], ["--max-record-bytes", "-1"]):
            with self.subTest(args=bad):
                self.assertEqual(run("analyze", *bad, DMESG).returncode, 2)


RULES_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules")
DAMAGED = "kernel-log/not-gzip.log.gz"


def run_in(cwd, *args):
    return subprocess.run([TOOL, *args], cwd=cwd, capture_output=True)


class Rules(unittest.TestCase):
    def valid(self, text):
        doc = json.loads(text)
        jsonschema.Draft202012Validator(SCHEMA).validate(doc)
        return doc

    def test_list_and_show(self):
        p = run("rules", "list")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.decode(), r"(?m)^bundle-capture-errors +info +bundle ")
        p = run("rules", "show", "bundle-capture-errors")
        self.assertEqual(p.returncode, 0)
        first, _, body = p.stdout.decode().partition("\n")
        self.assertEqual(first, "# rules/bundle-capture-errors.json")
        self.assertEqual(json.loads(body)["id"], "bundle-capture-errors")
        p = run("rules", "show", "no-such-rule")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no-such-rule", p.stderr.decode())
        for args in (["rules"], ["rules", "frob"], ["rules", "show"], ["rules", "list", "--bogus"]):
            with self.subTest(args=args):
                self.assertEqual(run(*args).returncode, 2)

    def test_check_embedded_and_good(self):
        p = run("rules", "check")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.decode(), r"^embedded rules: \d+ rules?, no errors \(rules_version [0-9a-f]{16}\)")
        p = run_in(RULES_TESTS, "rules", "check", "good")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, b"")

    def test_general_patterns_shipped(self):
        # issue 10: the ids are fixed (tickets key on them); one file each
        p = run("rules", "list")
        self.assertEqual(p.returncode, 0, p.stderr)
        listed = {l.split()[0] for l in p.stdout.decode().splitlines() if l.strip()}
        for rid in ("user-space-leak", "kernel-slab-leak", "kernel-unaccounted-leak", "memory-fragmentation",
                    "tmpfs-growth", "slow-leak-trend", "kmemleak-suspect", "cgroup-limit-oom",
                    "lowmem-killer-pressure", "socket-buffer-growth"):
            with self.subTest(rule=rid):
                self.assertIn(rid, listed)
                p = run("rules", "show", rid)
                self.assertEqual(p.stdout.decode().partition("\n")[0], "# rules/%s.json" % rid)

    def test_check_bad_lists_every_error_exit_3(self):
        p = run_in(RULES_TESTS, "rules", "check", "bad")
        self.assertEqual(p.returncode, 3)
        self.assertEqual(p.stdout, b"")
        with open(os.path.join(RULES_TESTS, "bad.expected"), encoding="utf-8") as fh:
            self.assertEqual(p.stderr.decode(), fh.read())
        for line in p.stderr.decode().splitlines():
            self.assertRegex(line, r"^bad/[a-z-]+\.json:\d+:\d+: ")
        p = run("rules", "check", "no/such/folder")
        self.assertEqual(p.returncode, 3)
        self.assertIn("no/such/folder", p.stderr.decode())

    def test_analyze_with_bad_rules_exit_3(self):
        p = run("analyze", "--rules", os.path.join(RULES_TESTS, "bad"), DMESG)
        self.assertEqual(p.returncode, 3)
        self.assertEqual(p.stdout, b"")
        self.assertIn("unknown fact path", p.stderr.decode())

    def test_rules_folder_overrides_and_adds(self):
        base = self.valid(run("analyze", DAMAGED).stdout)
        p = run("analyze", "--rules", os.path.join(RULES_TESTS, "good"), DAMAGED)
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = self.valid(p.stdout)
        self.assertNotEqual(doc["tool"]["rules_version"], base["tool"]["rules_version"])
        [d] = doc["diagnoses"]
        self.assertEqual(d["rule_id"], "bundle-capture-errors")
        self.assertEqual(d["title"], "A member of the bundle could not be read (local override)")
        self.assertEqual(d["summary"], "not-gzip.log.gz: corrupt")
        self.assertEqual(d["evidence"][0]["member"], "not-gzip.log.gz")
        p = run("rules", "list", "--rules", os.path.join(RULES_TESTS, "good"))
        self.assertIn("capture-truncated", p.stdout.decode())

    def test_fail_on(self):
        self.assertEqual(run("analyze", "--fail-on", "info", DAMAGED).returncode, 1)
        self.assertEqual(run("analyze", "--fail-on", "low", DAMAGED).returncode, 0)
        self.assertEqual(run("analyze", "--fail-on", "info", DMESG).returncode, 0)
        # with several paths 4 beats 1
        self.assertEqual(run("analyze", "--fail-on", "info", DAMAGED, "no/such").returncode, 4)

    def test_explain(self):
        p = run("analyze", "--explain", "bundle-capture-errors", DAMAGED)
        self.assertEqual(p.returncode, 0, p.stderr)
        text = p.stdout.decode()
        self.assertTrue(text.startswith("rule bundle-capture-errors (info, bundle): "), text)
        self.assertIn("1. [required] some record of input.members[]", text)
        self.assertIn("=> fired: confidence 1", text)
        p = run("analyze", "--explain", "bundle-capture-errors", DMESG)
        self.assertIn("FAIL status in", p.stdout.decode())
        self.assertIn("=> not fired: a required condition is false", p.stdout.decode())
        self.assertEqual(run("analyze", "--explain", "no-such-rule", DMESG).returncode, 2)
        self.assertEqual(run("parse", "--explain", "bundle-capture-errors", DMESG).returncode, 2)

    def test_text_leads_with_diagnoses(self):
        p = run("analyze", "--format", "text", DAMAGED)
        lines = p.stdout.decode().splitlines()
        self.assertTrue(lines[1].startswith("[info] Part of the bundle was not captured"), lines)

    def test_redact(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "dmesg.txt")
            with open(log, "w") as fh:
                fh.write("[    0.000000] Linux version 5.10.16 (builder@ci.build.example.com) "
                         "(gcc 10) #1 SMP 10.0.0.1 aa:bb:cc:dd:ee:ff\n")
            plain = self.valid(run("analyze", log).stdout)
            self.assertIn("10.0.0.1", plain["system"]["sources"]["kernel_release"]["text"])
            p = run("analyze", "--redact", log)
            self.assertEqual(p.returncode, 0, p.stderr)
            doc = self.valid(p.stdout)
            text = doc["system"]["sources"]["kernel_release"]["text"]
            self.assertNotIn("10.0.0.1", text)
            self.assertNotIn("aa:bb:cc", text)
            self.assertNotIn("example.com", text)
            self.assertIn("<ipv4>", text)
            self.assertEqual(doc["system"]["kernel_release"], "5.10.16")
            # explanations quote values: masked too
            rules = os.path.join(tmp, "rules")
            os.mkdir(rules)
            with open(os.path.join(rules, "r.json"), "w") as fh:
                json.dump({"id": "banner-host", "title": "t", "category": "c", "severity": "low",
                           "summary": "{msg.text}", "remediation": "r",
                           "conditions": [{"log": "^Linux version"}]}, fh)
            p = run("analyze", "--rules", rules, "--redact", "--explain", "banner-host", log)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("=> fired", p.stdout.decode())
            self.assertNotIn("10.0.0.1", p.stdout.decode())
            p = run("analyze", "--rules", rules, "--redact", log)
            [d] = [d for d in self.valid(p.stdout)["diagnoses"] if d["rule_id"] == "banner-host"]
            self.assertNotIn("10.0.0.1", d["summary"])
            self.assertNotIn("aa:bb:cc", d["evidence"][0]["text"])


if __name__ == "__main__":
    TOOL, CORPUS, schema_path = sys.argv[1:4]
    TOOL = os.path.abspath(TOOL)
    CORPUS = os.path.abspath(CORPUS)
    with open(schema_path) as fh:
        SCHEMA = json.load(fh)
    unittest.main(argv=sys.argv[:1], verbosity=2)
