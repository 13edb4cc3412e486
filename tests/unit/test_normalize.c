/* test_normalize.c - unit tests of the log-prefix normaliser and the time
 * model. Inputs go through the line reader, as in the library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/linereader.h"
#include "text/normalize.h"

#define MAXMSG 256

typedef struct got {
    char msg[512];
    size_t len;
    mf_logmsg m; /* pointers in it are dangling; use the copies below */
    char host[64], facility[64], ident[64];
} got;

typedef struct res {
    got v[MAXMSG];
    size_t n;
    mf_log_style style;
    int32_t boots;
    int stop_at; /* stop after this many messages (0: never) */
} res;

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

static int on_msg(void *ctx, const mf_logmsg *m)
{
    res *r = ctx;
    assert_true(r->n < MAXMSG);
    got *g = &r->v[r->n++];
    copy(g->msg, sizeof g->msg, m->msg, m->len);
    g->len = m->len;
    g->m = *m;
    copy(g->host, sizeof g->host, m->host, m->host_len);
    copy(g->facility, sizeof g->facility, m->facility, m->facility_len);
    copy(g->ident, sizeof g->ident, m->ident, m->ident_len);
    return r->stop_at && (int)r->n == r->stop_at ? 9 : 0;
}

typedef struct feed {
    mf_normalizer *nz;
    res *r;
    int rc;
} feed;

static int on_line(void *ctx, const mf_line *l)
{
    feed *f = ctx;
    f->rc = mf_normalizer_line(f->nz, l, on_msg, f->r);
    return f->rc;
}

/* Normalise `len` bytes of text as one member. */
static res *norm_n(const char *text, size_t len)
{
    res *r = calloc(1, sizeof *r);
    feed f = {mf_normalizer_new(NULL), r, 0};
    assert_non_null(f.nz);
    mf_linereader lr;
    mf_linereader_init(&lr, NULL, 0, on_line, &f);
    mf_linereader_feed(&lr, text, len);
    mf_linereader_finish(&lr);
    assert_int_equal(mf_normalizer_finish(f.nz, on_msg, r), 0);
    r->style = mf_normalizer_style(f.nz);
    r->boots = mf_normalizer_boots(f.nz);
    mf_linereader_free(&lr);
    mf_normalizer_free(f.nz);
    return r;
}

static res *norm(const char *text)
{
    return norm_n(text, strlen(text));
}

static void wall_is(const mf_logmsg *m, const char *want)
{
    char out[40];
    if (!want) {
        assert_int_equal(mf_logtime_format_wall(&m->time, out), -1);
        return;
    }
    assert_int_equal(mf_logtime_format_wall(&m->time, out), 0);
    assert_string_equal(out, want);
}

static void mono_is(const mf_logmsg *m, double want)
{
    assert_true(m->time.has_mono);
    char a[40], b[40];
    snprintf(a, sizeof a, "%.6f", m->time.mono_s);
    snprintf(b, sizeof b, "%.6f", want);
    assert_string_equal(a, b);
}

/* ------------------------------------------------------------------------ */

static void test_dmesg(void **state)
{
    (void)state;
    res *r = norm("<6>[ 1234.567890][ T1234] msg one\n"
                  "[    0.000000] Booting\n"
                  "<4>[    5.500000][    C1]  indented\n"
                  "[   12.000001] [  T77] util-linux style caller\n"
                  "<3>no timestamp\n"
                  "[   13.5] short fraction\n");
    assert_int_equal(r->n, 6);
    assert_int_equal(r->style, MF_STYLE_DMESG);
    got *g = &r->v[0];
    assert_string_equal(g->msg, "msg one");
    assert_int_equal(g->m.style, MF_STYLE_DMESG);
    assert_int_equal(g->m.level, 6);
    assert_int_equal(g->m.caller_kind, 'T');
    assert_int_equal(g->m.caller_id, 1234);
    assert_true(g->m.from_kernel);
    assert_int_equal(g->m.lineno, 1);
    assert_int_equal(g->m.pid, -1);
    assert_int_equal(g->m.time.boot, 0);
    mono_is(&g->m, 1234.56789);
    wall_is(&g->m, NULL);
    g = &r->v[1];
    assert_string_equal(g->msg, "Booting");
    assert_int_equal(g->m.level, -1);
    assert_int_equal(g->m.caller_kind, 0);
    mono_is(&g->m, 0.0);
    g = &r->v[2];
    assert_string_equal(g->msg, " indented");
    assert_int_equal(g->m.caller_kind, 'C');
    assert_int_equal(g->m.caller_id, 1);
    assert_int_equal(g->m.level, 4);
    g = &r->v[3];
    assert_string_equal(g->msg, "util-linux style caller");
    assert_int_equal(g->m.caller_id, 77);
    g = &r->v[4];
    assert_string_equal(g->msg, "no timestamp");
    assert_int_equal(g->m.level, 3);
    assert_false(g->m.time.has_mono);
    assert_int_equal(g->m.style, MF_STYLE_DMESG);
    mono_is(&r->v[5].m, 13.5);
    free(r);
}

static void test_dmesg_t(void **state)
{
    (void)state;
    res *r = norm("[Tue Aug  6 15:35:12 2019] msg\n"
                  "[Wed Aug 14 01:02:03 2019] second\n");
    assert_int_equal(r->n, 2);
    assert_int_equal(r->style, MF_STYLE_DMESG_T);
    got *g = &r->v[0];
    assert_string_equal(g->msg, "msg");
    assert_int_equal(g->m.style, MF_STYLE_DMESG_T);
    assert_false(g->m.time.has_mono);
    assert_int_equal(g->m.time.year, 2019);
    assert_int_equal(g->m.time.mon, 8);
    assert_int_equal(g->m.time.mday, 6);
    assert_int_equal(g->m.time.hour, 15);
    assert_int_equal(g->m.time.min, 35);
    assert_int_equal(g->m.time.sec, 12);
    assert_int_equal(g->m.time.wall_flags, MF_WALL_VALID);
    assert_true(g->m.from_kernel);
    wall_is(&g->m, "2019-08-06T15:35:12");
    wall_is(&r->v[1].m, "2019-08-14T01:02:03");
    free(r);
}

static void test_syslog(void **state)
{
    (void)state;
    res *r = norm("Aug  6 15:35:12 host kernel: [ 1234.567890] msg\n"
                  "Aug  6 15:35:13 host kernel: no stamp\n"
                  "Aug  6 15:35:14 host dnsmasq[123]: query[A] x\n"
                  "Aug 16 15:35:15 host -- MARK --\n"
                  "<30>Aug  6 15:35:16 host systemd[1]: raw pri\n"
                  "Aug  6 15:35:17 host kernel: [ 1235.0][ T12] caller\n");
    assert_int_equal(r->n, 6);
    assert_int_equal(r->style, MF_STYLE_SYSLOG);
    got *g = &r->v[0];
    assert_string_equal(g->msg, "msg");
    assert_string_equal(g->host, "host");
    assert_string_equal(g->ident, "kernel");
    assert_true(g->m.from_kernel);
    mono_is(&g->m, 1234.56789);
    assert_int_equal(g->m.time.wall_flags, MF_WALL_VALID | MF_WALL_NO_YEAR);
    assert_int_equal(g->m.time.year, 0);
    wall_is(&g->m, NULL);
    mf_logtime t = g->m.time;
    mf_logtime_set_year(&t, 2019);
    assert_int_equal(t.wall_flags, MF_WALL_VALID | MF_WALL_YEAR_INFERRED);
    char out[40];
    assert_int_equal(mf_logtime_format_wall(&t, out), 0);
    assert_string_equal(out, "2019-08-06T15:35:12");
    g = &r->v[1];
    assert_string_equal(g->msg, "no stamp");
    assert_false(g->m.time.has_mono);
    assert_true(g->m.from_kernel);
    g = &r->v[2];
    assert_string_equal(g->msg, "query[A] x");
    assert_string_equal(g->ident, "dnsmasq");
    assert_int_equal(g->m.pid, 123);
    assert_false(g->m.from_kernel);
    g = &r->v[3];
    assert_string_equal(g->msg, "-- MARK --");
    assert_string_equal(g->ident, "");
    assert_int_equal(g->m.time.mday, 16);
    g = &r->v[4];
    assert_string_equal(g->msg, "raw pri");
    assert_int_equal(g->m.level, 6);
    assert_int_equal(g->m.pid, 1);
    g = &r->v[5];
    assert_string_equal(g->msg, "caller");
    assert_int_equal(g->m.caller_id, 12);
    free(r);
}

static void test_journal_short_precise(void **state)
{
    (void)state;
    res *r = norm("Aug 06 15:35:12 host kernel: msg\n"
                  "Aug 06 15:35:12.123456 host kernel: precise\n"
                  "Aug 06 15:35:12.5 host sshd[9]: half\n");
    assert_int_equal(r->n, 3);
    assert_int_equal(r->v[0].m.style, MF_STYLE_SYSLOG);
    assert_string_equal(r->v[0].msg, "msg");
    assert_false(r->v[0].m.time.wall_flags & MF_WALL_HAS_FRAC);
    got *g = &r->v[1];
    assert_string_equal(g->msg, "precise");
    assert_int_equal(g->m.time.usec, 123456);
    assert_int_equal(g->m.time.frac_digits, 6);
    assert_true(g->m.time.wall_flags & MF_WALL_HAS_FRAC);
    mf_logtime t = g->m.time;
    mf_logtime_set_year(&t, 2020);
    char out[40];
    assert_int_equal(mf_logtime_format_wall(&t, out), 0);
    assert_string_equal(out, "2020-08-06T15:35:12.123456");
    assert_int_equal(r->v[2].m.time.usec, 500000);
    assert_int_equal(r->v[2].m.pid, 9);
    free(r);
}

static void test_syslog_iso(void **state)
{
    (void)state;
    res *r = norm("2019-08-06T15:35:12.123456+08:00 host kernel: [ 1.5] a\n"
                  "2019-08-06T15:35:12+0800 host kernel: b\n"
                  "2019-08-06T07:35:12.1Z host sshd[77]: c\n"
                  "2019-08-06T15:35:12-04:30 host kernel: d\n"
                  "2019-08-06T15:35:12 host kernel: e\n");
    assert_int_equal(r->n, 5);
    assert_int_equal(r->style, MF_STYLE_SYSLOG_ISO);
    got *g = &r->v[0];
    assert_string_equal(g->msg, "a");
    mono_is(&g->m, 1.5);
    assert_int_equal(g->m.time.utc_offset_min, 480);
    assert_int_equal(g->m.time.wall_flags,
                     MF_WALL_VALID | MF_WALL_HAS_OFFSET | MF_WALL_HAS_FRAC);
    wall_is(&g->m, "2019-08-06T15:35:12.123456+08:00");
    wall_is(&r->v[1].m, "2019-08-06T15:35:12+08:00");
    assert_string_equal(r->v[1].msg, "b");
    wall_is(&r->v[2].m, "2019-08-06T07:35:12.1+00:00");
    assert_string_equal(r->v[2].ident, "sshd");
    assert_int_equal(r->v[3].m.time.utc_offset_min, -270);
    wall_is(&r->v[3].m, "2019-08-06T15:35:12-04:30");
    wall_is(&r->v[4].m, "2019-08-06T15:35:12");
    assert_false(r->v[4].m.time.wall_flags & MF_WALL_HAS_OFFSET);
    free(r);
}

static void test_logread(void **state)
{
    (void)state;
    res *r = norm(
        "Tue Aug  6 15:35:12 2019 kern.warn kernel: [ 1234.567890] msg\n"
        "Tue Aug  6 15:35:13 2019 user.info kernel: procd: - init -\n"
        "Tue Aug  6 15:35:14 2019 daemon.err uwsgi[123]: OOM!!!\n"
        "Tue Aug  6 15:35:15 2019 daemon.notice netifd: up\n");
    assert_int_equal(r->n, 4);
    assert_int_equal(r->style, MF_STYLE_LOGREAD);
    got *g = &r->v[0];
    assert_string_equal(g->msg, "msg");
    assert_string_equal(g->facility, "kern.warn");
    assert_string_equal(g->ident, "kernel");
    assert_string_equal(g->host, "");
    assert_int_equal(g->m.level, 4);
    assert_true(g->m.from_kernel);
    mono_is(&g->m, 1234.56789);
    wall_is(&g->m, "2019-08-06T15:35:12");
    g = &r->v[1];
    assert_string_equal(g->msg, "procd: - init -");
    assert_string_equal(g->facility, "user.info");
    assert_int_equal(g->m.level, 6);
    assert_true(g->m.from_kernel);
    assert_false(g->m.time.has_mono);
    g = &r->v[2];
    assert_string_equal(g->msg, "OOM!!!");
    assert_string_equal(g->ident, "uwsgi");
    assert_int_equal(g->m.pid, 123);
    assert_int_equal(g->m.level, 3);
    assert_false(g->m.from_kernel);
    assert_int_equal(r->v[3].m.pid, -1);
    assert_string_equal(r->v[3].ident, "netifd");
    free(r);
}

static void test_journal_monotonic(void **state)
{
    (void)state;
    res *r = norm("[    0.000000] vm kernel: Linux version 5.15\n"
                  "[    2.001000] vm systemd-journald[180]: Journal started\n"
                  "[    3.000000] vm audit: no pid but known host\n"
                  "[ 1234.567890] vm kernel: Call Trace:\n");
    assert_int_equal(r->n, 4);
    assert_int_equal(r->style, MF_STYLE_JOURNAL_SHORT_MONO);
    got *g = &r->v[1];
    assert_string_equal(g->msg, "Journal started");
    assert_string_equal(g->host, "vm");
    assert_string_equal(g->ident, "systemd-journald");
    assert_int_equal(g->m.pid, 180);
    assert_false(g->m.from_kernel);
    mono_is(&g->m, 2.001);
    assert_string_equal(r->v[2].ident, "audit");
    assert_string_equal(r->v[2].msg, "no pid but known host");
    assert_string_equal(r->v[3].msg, "Call Trace:");
    assert_true(r->v[3].m.from_kernel);
    free(r);
    /* in a dmesg member the same shape stays dmesg text */
    r = norm("[    0.000000] Linux version 5.15\n"
             "[    1.000000] Call Trace:\n"
             "[    2.000000] usb 1-1: new device\n");
    assert_int_equal(r->style, MF_STYLE_DMESG);
    assert_string_equal(r->v[1].msg, "Call Trace:");
    assert_string_equal(r->v[2].msg, "usb 1-1: new device");
    free(r);
}

static void test_journal_json(void **state)
{
    (void)state;
    res *r = norm(
        "{\"__CURSOR\" : \"s=1;i=2\", \"__REALTIME_TIMESTAMP\" : "
        "\"1565076912123456\", \"__MONOTONIC_TIMESTAMP\" : \"1234567890\", "
        "\"_BOOT_ID\" : \"b1\", \"_TRANSPORT\" : \"kernel\", \"PRIORITY\" : "
        "\"4\", \"SYSLOG_IDENTIFIER\" : \"kernel\", \"_HOSTNAME\" : \"vm\", "
        "\"MESSAGE\" : \"say \\\"hi\\\" \\u00e9\\ud83d\\ude00\\\\\"}\n"
        "{\"MESSAGE\":[104,105,10,33],\"_TRANSPORT\":\"syslog\","
        "\"SYSLOG_IDENTIFIER\":\"app\",\"_PID\":\"42\",\"_BOOT_ID\":\"b1\","
        "\"_SOURCE_MONOTONIC_TIMESTAMP\":\"5\",\"__MONOTONIC_TIMESTAMP\":"
        "\"1300000000\",\"extra\":{\"a\":[1,{\"b\":\"}\"}]}}\n"
        "{\"MESSAGE\":\"Linux version 6.1\",\"_TRANSPORT\":\"kernel\","
        "\"_BOOT_ID\":\"b2\",\"__MONOTONIC_TIMESTAMP\":\"900\","
        "\"_SOURCE_MONOTONIC_TIMESTAMP\":\"0\"}\n"
        "{\"MESSAGE\":null}\n");
    assert_int_equal(r->n, 5);
    assert_int_equal(r->style, MF_STYLE_JOURNAL_JSON);
    got *g = &r->v[0];
    assert_string_equal(g->msg, "say \"hi\" \xc3\xa9\xf0\x9f\x98\x80\\");
    assert_true(g->m.from_kernel);
    assert_int_equal(g->m.level, 4);
    assert_string_equal(g->host, "vm");
    assert_string_equal(g->ident, "kernel");
    mono_is(&g->m, 1234.56789);
    wall_is(&g->m, "2019-08-06T07:35:12.123456+00:00");
    assert_int_equal(g->m.time.boot, 0);
    /* byte array with a newline: two messages of line 2; not kernel, so
     * __MONOTONIC_TIMESTAMP */
    assert_string_equal(r->v[1].msg, "hi");
    assert_string_equal(r->v[2].msg, "!");
    assert_int_equal(r->v[1].m.lineno, 2);
    assert_int_equal(r->v[2].m.lineno, 2);
    assert_int_equal(r->v[1].m.pid, 42);
    assert_false(r->v[1].m.from_kernel);
    mono_is(&r->v[1].m, 1300.0);
    /* new _BOOT_ID: boot 1; kernel: _SOURCE_MONOTONIC_TIMESTAMP */
    g = &r->v[3];
    assert_int_equal(g->m.time.boot, 1);
    assert_true(g->m.boot_start);
    mono_is(&g->m, 0.0);
    assert_string_equal(r->v[4].msg, "");
    assert_int_equal(r->boots, 2);
    free(r);
}

static void test_journal_export(void **state)
{
    (void)state;
    res *r = norm("__CURSOR=s=1\n"
                  "__REALTIME_TIMESTAMP=1565076912123456\n"
                  "__MONOTONIC_TIMESTAMP=1234567890\n"
                  "_BOOT_ID=b1\n"
                  "_TRANSPORT=kernel\n"
                  "PRIORITY=3\n"
                  "MESSAGE=Out of memory: Killed process 1 (x)\n"
                  "_HOSTNAME=vm\n"
                  "\n"
                  "__CURSOR=s=2\n"
                  "_TRANSPORT=journal\n"
                  "SYSLOG_IDENTIFIER=systemd\n"
                  "_PID=1\n"
                  "MESSAGE=no blank line at the end\n"
                  "_BOOT_ID=b1");
    assert_int_equal(r->n, 2);
    assert_int_equal(r->style, MF_STYLE_JOURNAL_EXPORT);
    got *g = &r->v[0];
    assert_string_equal(g->msg, "Out of memory: Killed process 1 (x)");
    assert_int_equal(g->m.lineno, 7);
    assert_true(g->m.from_kernel);
    assert_int_equal(g->m.level, 3);
    assert_string_equal(g->host, "vm");
    mono_is(&g->m, 1234.56789);
    wall_is(&g->m, "2019-08-06T07:35:12.123456+00:00");
    g = &r->v[1];
    assert_string_equal(g->msg, "no blank line at the end");
    assert_int_equal(g->m.lineno, 14);
    assert_string_equal(g->ident, "systemd");
    assert_int_equal(g->m.pid, 1);
    assert_false(g->m.time.has_mono);
    assert_int_equal(g->m.time.boot, 0);
    free(r);
    /* a binary field: the name alone, then length and data */
    static const char bin[] = "__CURSOR=s=1\nMESSAGE\n\x05\0\0\0\0\0\0\0a\nb\xff"
                              "c\n_TRANSPORT=stdout\n\n";
    r = norm_n(bin, sizeof bin - 1);
    assert_int_equal(r->n, 2);
    assert_string_equal(r->v[0].msg, "a");
    assert_string_equal(r->v[1].msg, "b\xff" "c");
    assert_int_equal(r->v[0].m.lineno, 3);
    free(r);
}

static void test_journal_meta(void **state)
{
    (void)state;
    res *r = norm("-- Logs begin at Mon 2019-08-05 09:12:01 CEST, end at "
                  "Tue 2019-08-06 15:40:10 CEST. --\n"
                  "-- Boot 3f2a6c1d8e0b4a55a0d1c2b3e4f5a6b7 --\n"
                  "Aug 05 09:12:01 h kernel: Linux version 5.2\n"
                  "Aug 05 09:12:05 h kernel: later\n"
                  "-- Boot 9b1e0c3d5f7a4e21b0c9d8e7f6a5b4c3 --\n"
                  "Aug 06 08:00:00 h kernel: Linux version 5.2\n"
                  "Aug 06 08:00:01 h kernel: x\n"
                  "-- Reboot --\n"
                  "Aug 06 09:00:00 h systemd[1]: y\n"
                  "-- No entries --\n");
    assert_int_equal(r->n, 5);
    assert_int_equal(r->v[0].m.lineno, 3);
    assert_int_equal(r->v[0].m.time.boot, 0);
    assert_false(r->v[0].m.boot_start);
    assert_int_equal(r->v[1].m.time.boot, 0);
    assert_int_equal(r->v[2].m.time.boot, 1);
    assert_true(r->v[2].m.boot_start);
    assert_int_equal(r->v[3].m.time.boot, 1);
    assert_false(r->v[3].m.boot_start);
    assert_int_equal(r->v[4].m.time.boot, 2);
    assert_int_equal(r->boots, 3);
    free(r);
}

static void test_logcat(void **state)
{
    (void)state;
    res *r = norm(
        "--------- beginning of main\n"
        "08-06 15:35:12.345  1017   684 I ActivityManager: Kill x\n"
        "08-06 15:35:12.346  1017  1017 W tag     : padded tag\n"
        "08-06 15:35:12.347 u0_a123 16027 16080 E AndroidRuntime: uid name\n"
        "08-06 15:35:12.348  1000  1017  1290 D chatty: numeric uid\n"
        "08-06 15:35:12.349  root   455   455 F Zygote: root\n"
        "08-06 15:35:12.350     0     0 I         : [ 1234.5] kernel line\n"
        "08-06 15:35:12.351  1017  1017 I tag: \n");
    assert_int_equal(r->n, 7);
    assert_int_equal(r->style, MF_STYLE_LOGCAT);
    got *g = &r->v[0];
    assert_string_equal(g->msg, "Kill x");
    assert_int_equal(g->m.lineno, 2);
    assert_string_equal(g->ident, "ActivityManager");
    assert_int_equal(g->m.pid, 1017);
    assert_int_equal(g->m.tid, 684);
    assert_int_equal(g->m.uid, -1);
    assert_int_equal(g->m.level, 6);
    assert_false(g->m.from_kernel);
    assert_int_equal(g->m.time.wall_flags,
                     MF_WALL_VALID | MF_WALL_NO_YEAR | MF_WALL_HAS_FRAC);
    assert_int_equal(g->m.time.usec, 345000);
    mf_logtime t = g->m.time;
    mf_logtime_set_year(&t, 2019);
    char out[40];
    mf_logtime_format_wall(&t, out);
    assert_string_equal(out, "2019-08-06T15:35:12.345");
    assert_string_equal(r->v[1].ident, "tag");
    assert_string_equal(r->v[1].msg, "padded tag");
    assert_int_equal(r->v[1].m.level, 4);
    assert_int_equal(r->v[2].m.uid, 10123);
    assert_int_equal(r->v[2].m.pid, 16027);
    assert_int_equal(r->v[2].m.tid, 16080);
    assert_int_equal(r->v[2].m.level, 3);
    assert_int_equal(r->v[3].m.uid, 1000);
    assert_int_equal(r->v[3].m.pid, 1017);
    assert_int_equal(r->v[3].m.level, 7);
    assert_int_equal(r->v[4].m.uid, 0);
    g = &r->v[5];
    assert_string_equal(g->msg, "kernel line");
    assert_true(g->m.from_kernel);
    mono_is(&g->m, 1234.5);
    assert_string_equal(r->v[6].msg, "");
    free(r);
}

static void test_serial_glue(void **state)
{
    (void)state;
    res *r = norm("[   12.000000] before\r\r\n"
                  "OpenWrt login: [  123.456789] uhttpd invoked oom-killer\r\r\n"
                  "Password: [  130.000100] random: crng init done\r\r\n"
                  "OpenWrt login: root\r\r\n");
    assert_int_equal(r->n, 4);
    assert_string_equal(r->v[1].msg, "uhttpd invoked oom-killer");
    assert_int_equal(r->v[1].m.style, MF_STYLE_DMESG);
    mono_is(&r->v[1].m, 123.456789);
    assert_string_equal(r->v[2].msg, "random: crng init done");
    assert_string_equal(r->v[3].msg, "OpenWrt login: root");
    assert_int_equal(r->v[3].m.style, MF_STYLE_UNKNOWN);
    assert_int_equal(r->v[3].m.lineno, 4);
    free(r);
}

/* The same OOM report in every style gives the same texts. */
static const char *const OOM[] = {
    "grep invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_"
    "COMP|__GFP_ZERO), order=0, oom_score_adj=0",
    "CPU: 1 PID: 49358 Comm: grep Not tainted 5.15.0-91-generic #101-Ubuntu",
    "Call Trace:",
    " <TASK>",
    " dump_stack_lvl+0x4a/0x63",
    "Mem-Info:",
    "active_anon:203 inactive_anon:478223 isolated_anon:0 "
    "active_file:12 inactive_file:0 isolated_file:0",
    "Node 0 DMA: 45*4kB (U) 40*8kB (UE) 131*16kB (U) 0*4096kB = 17476kB",
    "Out of memory: Killed process 49358 (grep) total-vm:1982120kB, "
    "anon-rss:1911180kB, file-rss:4kB, shmem-rss:0kB, UID:1000 "
    "pgtables:3776kB oom_score_adj:0",
};
#define NOOM (sizeof OOM / sizeof OOM[0])

static void json_escape(mf_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            mf_buf_append(b, "\\", 1);
        mf_buf_append(b, s, 1);
    }
}

static void test_oom_every_style(void **state)
{
    (void)state;
    const char *styles[] = {"dmesg-raw", "dmesg",   "dmesg-T", "syslog",
                            "syslog-bare", "syslog-iso", "logread",
                            "journal-short", "short-iso", "short-precise",
                            "short-monotonic", "json", "export", "logcat",
                            "logcat-uid", "serial", "ansi", "crlf"};
    const mf_log_style want_style[] = {
        MF_STYLE_DMESG,  MF_STYLE_DMESG, MF_STYLE_DMESG_T, MF_STYLE_SYSLOG,
        MF_STYLE_SYSLOG, MF_STYLE_SYSLOG_ISO, MF_STYLE_LOGREAD,
        MF_STYLE_SYSLOG, MF_STYLE_SYSLOG_ISO, MF_STYLE_SYSLOG,
        MF_STYLE_JOURNAL_SHORT_MONO, MF_STYLE_JOURNAL_JSON,
        MF_STYLE_JOURNAL_EXPORT, MF_STYLE_LOGCAT, MF_STYLE_LOGCAT,
        MF_STYLE_DMESG, MF_STYLE_DMESG, MF_STYLE_SYSLOG};
    for (size_t s = 0; s < sizeof styles / sizeof styles[0]; s++) {
        mf_buf b;
        mf_buf_init(&b, &mf_default_allocator);
        for (size_t i = 0; i < NOOM; i++) {
            const char *m = OOM[i];
            unsigned us = 567890 + (unsigned)i;
            switch (s) {
            case 0: mf_buf_printf(&b, "<4>[ 1234.%06u][T49358] %s\n", us, m); break;
            case 1: mf_buf_printf(&b, "[ 1234.%06u] %s\n", us, m); break;
            case 2: mf_buf_printf(&b, "[Tue Aug  6 15:35:12 2019] %s\n", m); break;
            case 3: mf_buf_printf(&b, "Aug  6 15:35:12 nas kernel: [ 1234.%06u] %s\n", us, m); break;
            case 4: mf_buf_printf(&b, "Aug  6 15:35:12 nas kernel: %s\n", m); break;
            case 5: mf_buf_printf(&b, "2019-08-06T15:35:12.%06u+08:00 gw kernel: [ 1234.%06u] %s\n", us, us, m); break;
            case 6: mf_buf_printf(&b, "Tue Aug  6 15:35:12 2019 kern.warn kernel: [ 1234.%06u] %s\n", us, m); break;
            case 7: mf_buf_printf(&b, "Aug 06 15:35:12 fedora kernel: %s\n", m); break;
            case 8: mf_buf_printf(&b, "2019-08-06T15:35:12+0800 pi kernel: %s\n", m); break;
            case 9: mf_buf_printf(&b, "Aug 06 15:35:12.%06u build kernel: %s\n", us, m); break;
            case 10: mf_buf_printf(&b, "[ 1234.%06u] vm kernel: %s\n", us, m); break;
            case 11:
                mf_buf_printf(&b, "{\"__MONOTONIC_TIMESTAMP\" : \"1234%06u\", \"_TRANSPORT\" : \"kernel\", \"MESSAGE\" : \"", us);
                json_escape(&b, m);
                mf_buf_puts(&b, "\"}\n");
                break;
            case 12:
                mf_buf_printf(&b, "__CURSOR=s=%zu\n_TRANSPORT=kernel\nMESSAGE=%s\n\n", i, m);
                break;
            case 13: mf_buf_printf(&b, "08-06 15:35:12.345     0     0 I kernel  : [ 1234.%06u] %s\n", us, m); break;
            case 14: mf_buf_printf(&b, "08-06 15:35:12.345  root     0     0 W kernel  : %s\n", m); break;
            case 15: mf_buf_printf(&b, "%s[ 1234.%06u] %s\r\r\n", i == 0 ? "OpenWrt login: " : "", us, m); break;
            case 16: mf_buf_printf(&b, "\x1b[32m[ 1234.%06u]\x1b[0m \x1b[1;31m%s\x1b[0m\n", us, m); break;
            case 17: mf_buf_printf(&b, "Aug  6 15:35:12 nas kernel: [ 1234.%06u] %s\r\n", us, m); break;
            }
        }
        res *r = norm(b.data);
        if (r->n != NOOM)
            fail_msg("%s: %zu messages", styles[s], r->n);
        for (size_t i = 0; i < NOOM; i++) {
            if (strcmp(r->v[i].msg, OOM[i]) != 0)
                fail_msg("%s line %zu: \"%s\"", styles[s], i, r->v[i].msg);
            if (!r->v[i].m.from_kernel)
                fail_msg("%s line %zu: not from_kernel", styles[s], i);
            if (r->v[i].m.style != want_style[s])
                fail_msg("%s line %zu: style %s", styles[s], i,
                         mf_log_style_name(r->v[i].m.style));
            if (r->v[i].m.time.boot != 0)
                fail_msg("%s line %zu: boot %d", styles[s], i,
                         (int)r->v[i].m.time.boot);
        }
        assert_int_equal(r->style, want_style[s]);
        free(r);
        mf_buf_free(&b);
    }
}

static void test_fallback(void **state)
{
    (void)state;
    res *r = norm("Aug  6 15:35:12 host kernel: good\n"
                  "[ 12.34 unclosed bracket\n"
                  "Aug 32 15:35:12 host kernel: bad day\n"
                  "Aug  6 25:35:12 host kernel: bad hour\n"
                  "2019-13-06T15:35:12+08:00 host kernel: bad month\n"
                  "08-06 15:35:12.345  abc  def I tag: bad pid\n"
                  "{\"MESSAGE\": \"unterminated\n"
                  "Tue Aug  6 15:35:12 2019 kern.bogus kernel: bad level\n"
                  "\n"
                  "   \n");
    assert_int_equal(r->n, 9);
    static const char *const raw[] = {
        "[ 12.34 unclosed bracket", "Aug 32 15:35:12 host kernel: bad day",
        "Aug  6 25:35:12 host kernel: bad hour",
        "2019-13-06T15:35:12+08:00 host kernel: bad month",
        "08-06 15:35:12.345  abc  def I tag: bad pid",
        "{\"MESSAGE\": \"unterminated",
        "Tue Aug  6 15:35:12 2019 kern.bogus kernel: bad level", "   "};
    static const uint64_t lines[] = {2, 3, 4, 5, 6, 7, 8, 10};
    assert_int_equal(r->v[0].m.style, MF_STYLE_SYSLOG);
    for (size_t i = 0; i < 8; i++) {
        got *g = &r->v[i + 1];
        assert_string_equal(g->msg, raw[i]);
        assert_int_equal(g->m.style, MF_STYLE_UNKNOWN);
        assert_int_equal(g->m.lineno, lines[i]);
        assert_false(g->m.time.has_mono);
        assert_int_equal(g->m.time.wall_flags, 0);
        assert_false(g->m.from_kernel);
        assert_int_equal(g->m.level, -1);
        assert_int_equal(g->m.time.boot, 0);
    }
    free(r);
}

static void test_boots(void **state)
{
    (void)state;
    /* ARM: "Booting Linux" before the banner is one boot; a banner after
     * later text is a new one; a monotonic reset without a banner too. */
    res *r = norm("[    0.000000] Booting Linux on physical CPU 0x0\n"
                  "[    0.000000] Linux version 4.14.180\n"
                  "[    0.500000] Machine model: x\n"
                  "[  100.000000] a\n"
                  "[   99.500000] jitter within a second\n"
                  "[    0.000000] Booting Linux on physical CPU 0x0\n"
                  "[    0.000000] Linux version 4.14.180\n"
                  "[   50.000000] b\n"
                  "[    3.000000] reset without banner\n"
                  "[ 5000.000000] c\n"
                  "[ 1000.000000] big drop\n"
                  "[  800.000000] small drop, not small value\n");
    assert_int_equal(r->n, 12);
    static const int32_t boots[] = {0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3};
    for (size_t i = 0; i < 12; i++)
        if (r->v[i].m.time.boot != boots[i])
            fail_msg("message %zu: boot %d, want %d", i,
                     (int)r->v[i].m.time.boot, (int)boots[i]);
    assert_true(r->v[5].m.boot_start);
    assert_false(r->v[6].m.boot_start);
    assert_true(r->v[8].m.boot_start);
    assert_int_equal(r->boots, 4);
    free(r);
    /* syslog without kernel timestamps: the banner after kernel text */
    r = norm("Aug  6 10:00:00 h rsyslogd: start\n"
             "Aug  6 10:00:00 h kernel: Linux version 5.15\n"
             "Aug  6 10:00:00 h kernel: Command line: x\n"
             "Aug  6 12:00:00 h kernel: Linux version 5.15\n");
    assert_int_equal(r->v[1].m.time.boot, 0);
    assert_int_equal(r->v[3].m.time.boot, 1);
    free(r);
    /* a banner that is not the kernel's text does not count */
    r = norm("Aug  6 10:00:00 h kernel: x\n"
             "Aug  6 10:00:01 h bash[1]: Linux version 5.15\n");
    assert_int_equal(r->v[1].m.time.boot, 0);
    free(r);
    /* empty member */
    r = norm("");
    assert_int_equal(r->n, 0);
    assert_int_equal(r->boots, 0);
    assert_int_equal(r->style, MF_STYLE_UNKNOWN);
    free(r);
}

static void test_unfold(void **state)
{
    (void)state;
    res *r = norm(
        "Aug  6 15:35:12 h kernel: [ 1.000000] first\n"
        "Aug  6 15:35:14 h kernel: [ 1236.000112] cut here#012WARNING: CPU: "
        "0#012Modules linked in: a#011b#012\n"
        "Aug  6 15:35:15 h app[9]: #012#012x#0not#01 #123 #033[31mred#033[0m\n");
    assert_int_equal(r->n, 7);
    assert_string_equal(r->v[1].msg, "cut here");
    assert_string_equal(r->v[2].msg, "WARNING: CPU: 0");
    assert_string_equal(r->v[3].msg, "Modules linked in: a\tb");
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(r->v[i].m.lineno, 2);
        mono_is(&r->v[i].m, 1236.000112);
        assert_true(r->v[i].m.from_kernel);
        assert_int_equal(r->v[i].m.time.sec, 14);
    }
    assert_string_equal(r->v[4].msg, "");
    assert_string_equal(r->v[5].msg, "");
    assert_string_equal(r->v[6].msg, "x#0not#01 #123 red");
    assert_int_equal(r->v[6].m.lineno, 3);
    assert_int_equal(r->v[6].m.pid, 9);
    free(r);
    /* dmesg text is not unfolded */
    r = norm("[    1.000000] a#012b\n");
    assert_int_equal(r->n, 1);
    assert_string_equal(r->v[0].msg, "a#012b");
    free(r);
}

static void test_ansi(void **state)
{
    (void)state;
    res *r = norm("\x1b[32m[    1.000000]\x1b[0m \x1b[33mx86/fpu:\x1b[0m ok\n"
                  "\x1b]0;title\x07[    2.000000] osc\n"
                  "\x1b[1;31mAug  6 15:35:12 h kernel:\x1b[K [ 3.0] csi K\n"
                  "\x1b(Bplain \x1b[?25hline\x1b\n");
    assert_int_equal(r->n, 4);
    assert_string_equal(r->v[0].msg, "x86/fpu: ok");
    mono_is(&r->v[0].m, 1.0);
    assert_string_equal(r->v[1].msg, "osc");
    assert_string_equal(r->v[2].msg, "csi K");
    assert_int_equal(r->v[2].m.style, MF_STYLE_SYSLOG);
    mono_is(&r->v[2].m, 3.0);
    assert_string_equal(r->v[3].msg, "plain line");
    free(r);
}

static void test_crlf_linenos(void **state)
{
    (void)state;
    res *r = norm("Tue Aug  6 15:35:12 2019 kern.warn kernel: [ 1.0] a\r\n"
                  "\r\n"
                  "Tue Aug  6 15:35:13 2019 kern.warn kernel: [ 2.0] b\r\n"
                  "\r\n\r\n"
                  "Tue Aug  6 15:35:14 2019 kern.warn kernel: [ 3.0] c");
    assert_int_equal(r->n, 3);
    assert_string_equal(r->v[0].msg, "a");
    assert_string_equal(r->v[1].msg, "b");
    assert_string_equal(r->v[2].msg, "c");
    assert_int_equal(r->v[0].m.lineno, 1);
    assert_int_equal(r->v[1].m.lineno, 3);
    assert_int_equal(r->v[2].m.lineno, 6);
    assert_int_equal(r->v[2].m.line_flags, MF_LINE_NO_EOL);
    free(r);
}

static void test_mixed_styles(void **state)
{
    (void)state;
    res *r = norm("Aug  6 15:35:12 h kernel: [ 1.0] syslog 1\n"
                  "Aug  6 15:35:12 h kernel: [ 1.1] syslog 2\n"
                  "[    1.200000] dmesg line\n"
                  "08-06 15:35:12.345  1017   684 I tag: logcat line\n"
                  "Aug  6 15:35:12 h kernel: [ 1.3] syslog 3\n"
                  "Tue Aug  6 15:35:12 2019 kern.warn kernel: [ 1.4] logread\n");
    assert_int_equal(r->n, 6);
    assert_int_equal(r->style, MF_STYLE_SYSLOG);
    assert_int_equal(r->v[2].m.style, MF_STYLE_DMESG);
    assert_string_equal(r->v[2].msg, "dmesg line");
    assert_int_equal(r->v[3].m.style, MF_STYLE_LOGCAT);
    assert_string_equal(r->v[3].msg, "logcat line");
    assert_int_equal(r->v[5].m.style, MF_STYLE_LOGREAD);
    assert_string_equal(r->v[5].msg, "logread");
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(r->v[i].m.time.boot, 0);
    free(r);
    /* after detection (more than 20 lines) other styles still parse */
    mf_buf b;
    mf_buf_init(&b, &mf_default_allocator);
    for (int i = 0; i < 30; i++)
        mf_buf_printf(&b, "[ %d.000000] dmesg %d\n", i + 10, i);
    mf_buf_puts(&b, "Aug  6 15:35:12 h kernel: [ 41.0] syslog late\n");
    r = norm(b.data);
    assert_int_equal(r->n, 31);
    assert_int_equal(r->style, MF_STYLE_DMESG);
    assert_string_equal(r->v[30].msg, "syslog late");
    assert_int_equal(r->v[30].m.style, MF_STYLE_SYSLOG);
    mf_buf_free(&b);
    free(r);
}

static void test_format_wall(void **state)
{
    (void)state;
    mf_logtime t;
    memset(&t, 0, sizeof t);
    char out[40];
    assert_int_equal(mf_logtime_format_wall(&t, out), -1);
    t.wall_flags = MF_WALL_VALID | MF_WALL_HAS_OFFSET | MF_WALL_HAS_FRAC;
    t.year = 2019;
    t.mon = 12;
    t.mday = 31;
    t.hour = 23;
    t.min = 59;
    t.sec = 60;
    t.usec = 5;
    t.frac_digits = 6;
    t.utc_offset_min = -(9 * 60 + 30);
    assert_int_equal(mf_logtime_format_wall(&t, out), 0);
    assert_string_equal(out, "2019-12-31T23:59:60.000005-09:30");
    t.frac_digits = 3;
    t.usec = 345000;
    t.wall_flags &= ~MF_WALL_HAS_OFFSET;
    assert_int_equal(mf_logtime_format_wall(&t, out), 0);
    assert_string_equal(out, "2019-12-31T23:59:60.345");
    /* set_year leaves a dated time alone */
    mf_logtime_set_year(&t, 1999);
    assert_int_equal(t.year, 2019);
    assert_false(t.wall_flags & MF_WALL_YEAR_INFERRED);
    assert_string_equal(mf_log_style_name(MF_STYLE_LOGCAT), "logcat");
    assert_string_equal(mf_log_style_name(MF_STYLE_COUNT), "invalid");
}

static void test_stop_and_reset(void **state)
{
    (void)state;
    res *r = calloc(1, sizeof *r);
    r->stop_at = 2;
    mf_normalizer *nz = mf_normalizer_new(NULL);
    mf_line l = {"Aug  6 15:35:12 h kernel: a#012b#012c", 37, 1, 0};
    assert_int_equal(mf_normalizer_line(nz, &l, on_msg, r), 9);
    assert_int_equal(r->n, 2);
    assert_int_equal(mf_normalizer_style(nz), MF_STYLE_SYSLOG);
    mf_normalizer_reset(nz);
    assert_int_equal(mf_normalizer_style(nz), MF_STYLE_UNKNOWN);
    assert_int_equal(mf_normalizer_boots(nz), 0);
    r->stop_at = 0;
    mf_line l2 = {"[    5.000000] x", 16, 1, 0};
    assert_int_equal(mf_normalizer_line(nz, &l2, on_msg, r), 0);
    assert_int_equal(r->v[2].m.time.boot, 0);
    assert_int_equal(mf_normalizer_style(nz), MF_STYLE_DMESG);
    mf_normalizer_free(nz);
    mf_normalizer_free(NULL);
    free(r);
}

/* An allocator that fails after a budget of allocations. */
static int budget;
static void *fail_calloc(size_t n, size_t s, void *ctx)
{
    (void)ctx;
    return budget-- > 0 ? calloc(n, s) : NULL;
}
static void *fail_realloc(void *p, size_t s, void *ctx)
{
    (void)ctx;
    return budget-- > 0 ? realloc(p, s) : NULL;
}
static void fail_free(void *p, void *ctx)
{
    (void)ctx;
    free(p);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    mf_allocator a = {fail_calloc, fail_realloc, fail_free, NULL};
    budget = 0;
    assert_null(mf_normalizer_new(&a));
    budget = 1;
    mf_normalizer *nz = mf_normalizer_new(&a);
    assert_non_null(nz);
    res *r = calloc(1, sizeof *r);
    mf_line l = {"\x1b[1m[ 1.0] x", 12, 1, 0};
    assert_int_equal(mf_normalizer_line(nz, &l, on_msg, r), -1);
    assert_int_equal(r->n, 0);
    mf_normalizer_free(nz);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dmesg),
        cmocka_unit_test(test_dmesg_t),
        cmocka_unit_test(test_syslog),
        cmocka_unit_test(test_journal_short_precise),
        cmocka_unit_test(test_syslog_iso),
        cmocka_unit_test(test_logread),
        cmocka_unit_test(test_journal_monotonic),
        cmocka_unit_test(test_journal_json),
        cmocka_unit_test(test_journal_export),
        cmocka_unit_test(test_journal_meta),
        cmocka_unit_test(test_logcat),
        cmocka_unit_test(test_serial_glue),
        cmocka_unit_test(test_oom_every_style),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_boots),
        cmocka_unit_test(test_unfold),
        cmocka_unit_test(test_ansi),
        cmocka_unit_test(test_crlf_linenos),
        cmocka_unit_test(test_mixed_styles),
        cmocka_unit_test(test_format_wall),
        cmocka_unit_test(test_stop_and_reset),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
