/* Source stage through the public API: archives, nesting, unsafe entries,
 * limits, empty and garbage input. Archives are built in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "testutil.h"

static void plain_buffer_is_one_member(void **state)
{
    (void)state;
    cJSON *doc = tu_analyze_buffer(tu_dmesg, strlen(tu_dmesg), "dmesg", NULL, NULL);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "dmesg");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "kernel-log");
    assert_string_equal(tu_str(doc, "input.members.0.status"), "parsed");
    assert_string_equal(tu_str(doc, "system.kernel_release"), "5.4.164-1-default");
    assert_string_equal(tu_str(doc, "system.arch"), "arm64");
    assert_int_equal(tu_get(doc, "system.sources.kernel_release.line")->valueint, 2);
    cJSON_Delete(doc);
}

static const char *arch_of(const char *banner)
{
    static char arch[32];
    cJSON *doc = tu_analyze_buffer(banner, strlen(banner), "dmesg", NULL, NULL);
    const char *a = tu_str(doc, "system.arch");
    snprintf(arch, sizeof arch, "%s", a ? a : "-");
    cJSON_Delete(doc);
    return arch;
}

static void arch_from_whole_words(void **state)
{
    (void)state;
    /* a build host name is not an architecture */
    assert_string_equal(arch_of("[    0.000000] Linux version 4.9.223-g3b6e3a1c2d4f (android-build@abfarm-us-west1-c-0087) (Android (5484270 based on r353983c) clang version 9.0.3) #1 SMP PREEMPT\n"), "-");
    assert_string_equal(arch_of("[    0.000000] Linux version 4.19.0-6-armmp (debian-kernel@lists.debian.org) (gcc version 8.3.0 (Debian 8.3.0-6)) #1 SMP Debian 4.19.67-2+deb10u2\n"), "arm");
    assert_string_equal(arch_of("[    0.000000] Linux version 4.19.0-6-686-pae (debian-kernel@lists.debian.org) #1 SMP\n"), "i686");
    assert_string_equal(arch_of("[    0.000000] Linux version 5.4.0 (user@mipsbuilder) (gcc version 8.4.0 (OpenWrt GCC 8.4.0 r16325)) #0\n"), "-");
    assert_string_equal(arch_of("[    0.000000] Linux version 5.4.143 (builder@buildhost) (mipsel-openwrt-linux-musl-gcc (OpenWrt GCC 8.4.0 r16279-5cc0535800) 8.4.0) #0 SMP\n"), "mips");
    assert_string_equal(arch_of("[    0.000000] Linux version 6.1.0 (kb@host) (aarch64-linux-gnu-gcc (GCC) 12.2.0) #1 SMP\n"), "arm64");
}

/* Year-less syslog stamps borrow the year of the newest dated log line of
 * the bundle; a December stamp before a January date is from the year
 * before. */
static void year_less_stamps_take_the_bundle_year(void **state)
{
    (void)state;
    static const char logread[] =
        "Tue Jan  2 10:00:00 2024 kern.info kernel: [  400.000000] eth0: link up\n";
    static const char messages[] =
        "Dec 31 23:59:00 ap kernel: [  100.000000] lowmemorykiller: Killing 'e.process.gapps' (32546), adj 906,\n"
        "Dec 31 23:59:00 ap kernel: [  100.000000]    to free 41016kB on behalf of 'kswapd0' (72) because\n"
        "Dec 31 23:59:00 ap kernel: [  100.000000]    cache 183792kB is below limit 184320kB for oom_score_adj 906\n"
        "Dec 31 23:59:00 ap kernel: [  100.000000]    Free memory is 4576kB above reserved\n";
    tu_archive t;
    tu_archive_begin(&t, "ustar", "gzip");
    tu_archive_add(&t, "logread.txt", AE_IFREG, logread, strlen(logread));
    tu_archive_add(&t, "var/log/messages", AE_IFREG, messages, strlen(messages));
    tu_archive_end(&t);
    cJSON *doc = tu_analyze_buffer(t.data, t.used, "dump.tar.gz", NULL, NULL);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "findings.lmk_kills.0.time.wall"), "2023-12-31T23:59:00");
    assert_string_equal(tu_str(doc, "findings.lmk_kills.0.time.year_from.basis"), "dated-log-line");
    assert_string_equal(tu_str(doc, "findings.lmk_kills.0.time.year_from.member"), "logread.txt");
    cJSON_Delete(doc);
    free(t.data);
}

/* Debian's and Ubuntu's ABI releases hide the stable version their banners
 * state (Debian in the build tag, Ubuntu in the version signature at the
 * end); the compiler's "(Debian 10.2.1-6)" or "(Ubuntu 11.4.0-1ubuntu1)"
 * before the build tag is not it. Other banners, and an Ubuntu banner cut
 * before its signature, keep the release. */
static void kernel_version_from_the_distro_banner(void **state)
{
    (void)state;
    static const struct {
        const char *banner, *release, *version;
    } cases[] = {
        {"Linux version 5.10.0-21-amd64 (debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2) #1 SMP Debian 5.10.162-1 (2023-01-21)",
         "5.10.0-21-amd64", "5.10.162"},
        {"Linux version 3.10.0-1160.el7.x86_64 (mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5 20150623 (Red Hat 4.8.5-44) (GCC) ) #1 SMP Mon Oct 19 16:18:59 UTC 2020",
         "3.10.0-1160.el7.x86_64", "3.10.0-1160.el7.x86_64"},
        {"Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 (Ubuntu 5.15.0-91.101-generic 5.15.131)",
         "5.15.0-91-generic", "5.15.131"},
        {"Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 (Ubuntu 5.15.0-91.101-gen",
         "5.15.0-91-generic", "5.15.0-91-generic"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char log[512];
        snprintf(log, sizeof log, "[    0.000000] %s\n", cases[i].banner);
        cJSON *doc = tu_analyze_buffer(log, strlen(log), "dmesg", NULL, NULL);
        assert_non_null(doc);
        assert_string_equal(tu_str(doc, "system.kernel_release"), cases[i].release);
        assert_string_equal(tu_str(doc, "system.kernel_version"), cases[i].version);
        assert_int_equal(tu_get(doc, "system.sources.kernel_version.line")->valueint, 1);
        cJSON_Delete(doc);
    }
}

static void tar_gz_with_unsafe_entries(void **state)
{
    (void)state;
    tu_archive t;
    tu_archive_begin(&t, "pax", "gzip");
    tu_archive_add(&t, "bundle/var/log/dmesg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_add(&t, "../../etc/passwd", AE_IFREG, "root:x:0:0\n", 11);
    tu_archive_add(&t, "/etc/shadow", AE_IFREG, "root:*:1::\n", 11);
    tu_archive_add(&t, "bundle/link", AE_IFLNK, "/etc/passwd", 0);
    tu_archive_add(&t, "bundle/fifo", AE_IFIFO, NULL, 0);
    tu_archive_hardlink(&t, "bundle/hard", "bundle/var/log/dmesg");
    tu_archive_add(&t, "bundle/empty", AE_IFREG, "", 0);
    tu_archive_end(&t);
    cJSON *doc = tu_analyze_buffer(t.data, t.used, "b.tar.gz", NULL, NULL);
    assert_non_null(doc);
    const char *want[][2] = {
        {"bundle/var/log/dmesg", "parsed"}, {"../../etc/passwd", "refused"},
        {"/etc/shadow", "refused"},         {"bundle/link", "refused"},
        {"bundle/fifo", "refused"},         {"bundle/hard", "refused"},
        {"bundle/empty", "unrecognised"}};
    const cJSON *members = tu_get(doc, "input.members");
    assert_int_equal(cJSON_GetArraySize(members), 7);
    for (int i = 0; i < 7; i++) {
        const cJSON *m = cJSON_GetArrayItem(members, i);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(m, "path")), want[i][0]);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(m, "status")), want[i][1]);
    }
    assert_string_equal(tu_str(doc, "system.kernel_release"), "5.4.164-1-default");
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "warnings")), 5);
    assert_true(cJSON_IsTrue(tu_get(doc, "input.complete")));
    cJSON_Delete(doc);
    free(t.data);
}

static void nested_archives_are_followed(void **state)
{
    (void)state;
    tu_archive inner;
    tu_archive_begin(&inner, "zip", NULL);
    tu_archive_add(&inner, "FS/proc/last_kmsg", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_end(&inner);
    tu_archive gz;
    tu_archive_begin(&gz, "raw", "gzip");
    tu_archive_add(&gz, "data", AE_IFREG, tu_dmesg, strlen(tu_dmesg));
    tu_archive_end(&gz);
    tu_archive outer;
    tu_archive_begin(&outer, "ustar", "xz");
    tu_archive_add(&outer, "bugreport.zip", AE_IFREG, inner.data, inner.used);
    tu_archive_add(&outer, "logs/dmesg.gz", AE_IFREG, gz.data, gz.used);
    tu_archive_end(&outer);
    cJSON *doc = tu_analyze_buffer(outer.data, outer.used, "case.tar.xz", NULL, NULL);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "bugreport.zip!FS/proc/last_kmsg");
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "kernel-log");
    assert_string_equal(tu_str(doc, "input.members.1.path"), "logs/dmesg.gz");
    assert_string_equal(tu_str(doc, "input.members.1.kind"), "kernel-log");
    assert_int_equal((int)tu_get(doc, "input.members.1.size_bytes")->valuedouble, (int)strlen(tu_dmesg));
    /* depth limit 1: the zip and the gzip are not opened; each is a member
     * skipped by the limit, and the input is not complete */
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_depth = 1;
    cJSON *shallow = tu_analyze_buffer(outer.data, outer.used, "case.tar.xz", &o, NULL);
    assert_string_equal(tu_str(shallow, "input.members.0.path"), "bugreport.zip");
    assert_string_equal(tu_str(shallow, "input.members.0.kind"), "unknown");
    assert_string_equal(tu_str(shallow, "input.members.0.status"), "skipped-limit");
    assert_string_equal(tu_str(shallow, "input.members.1.path"), "logs/dmesg.gz");
    assert_string_equal(tu_str(shallow, "input.members.1.status"), "skipped-limit");
    assert_string_equal(tu_str(shallow, "warnings.0.code"), "limit");
    assert_string_equal(tu_str(shallow, "warnings.0.message"),
                        "archive nested more than 1 deep: not opened");
    assert_true(cJSON_IsFalse(tu_get(shallow, "input.complete")));
    cJSON_Delete(shallow);
    cJSON_Delete(doc);
    free(inner.data);
    free(gz.data);
    free(outer.data);
}

static void truncated_gzip_keeps_what_was_read(void **state)
{
    (void)state;
    /* The banner, then lines that do not compress away. */
    static char big[200000];
    size_t n = strlen(tu_dmesg);
    memcpy(big, tu_dmesg, n);
    uint32_t x = 88172645u;
    while (n + 64 < sizeof big) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        n += (size_t)snprintf(big + n, 64, "[%5u.%06u] eth0: rx %08x\n",
                              (unsigned)(n / 1000), (unsigned)(n % 1000000), x);
    }
    tu_archive gz;
    tu_archive_begin(&gz, "raw", "gzip");
    tu_archive_add(&gz, "data", AE_IFREG, big, n);
    tu_archive_end(&gz);
    cJSON *doc = tu_analyze_buffer(gz.data, gz.used / 2, "dmesg.gz", NULL, NULL);
    assert_non_null(doc);
    const char *st = tu_str(doc, "input.members.0.status");
    assert_true(strcmp(st, "truncated") == 0 || strcmp(st, "corrupt") == 0);
    assert_false(cJSON_IsTrue(tu_get(doc, "input.complete")) && strcmp(st, "truncated") == 0);
    assert_string_equal(tu_str(doc, "system.kernel_release"), "5.4.164-1-default");
    assert_true(cJSON_GetArraySize(tu_get(doc, "warnings")) >= 1);
    cJSON_Delete(doc);
    free(gz.data);
}

static void garbage_and_empty_input(void **state)
{
    (void)state;
    unsigned char junk[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof junk; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        junk[i] = (unsigned char)x;
    }
    cJSON *doc = tu_analyze_buffer(junk, sizeof junk, "x.tar.gz", NULL, NULL);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "input.members.0.status"), "unrecognised");
    cJSON_Delete(doc);
    doc = tu_analyze_buffer("", 0, "empty.log", NULL, NULL);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 1);
    assert_string_equal(tu_str(doc, "input.members.0.status"), "unrecognised");
    assert_int_equal((int)tu_get(doc, "input.members.0.size_bytes")->valuedouble, 0);
    cJSON_Delete(doc);
}

static int zero_filled_warnings(const cJSON *doc, const char *member)
{
    int n = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, tu_get(doc, "warnings"))
    {
        const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(w, "member"));
        n += m && !strcmp(m, member) &&
             !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(w, "code")), "zero-filled");
    }
    return n;
}

/* A zero block ends a tar, and libarchive's tar reader took an all-zero
 * file for an empty archive: a log zeroed by a power cut vanished from the
 * members behind a warning about a tar. It is a member of its own now, with
 * its size and a warning that says what happened, in a folder, in an
 * archive, and as the input itself; zeros after text stay plain data. */
static void zero_filled_files_are_members(void **state)
{
    (void)state;
    static char zeros[20000];
    cJSON *doc = tu_analyze_buffer(zeros, sizeof zeros, "messages", NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 1);
    assert_int_equal((int)tu_get(doc, "input.members.0.size_bytes")->valuedouble, 20000);
    assert_int_equal(zero_filled_warnings(doc, "messages"), 1);
    cJSON_Delete(doc);

    static const char meminfo[] = "MemTotal:        2048000 kB\nMemFree:           10240 kB\n";
    tu_archive tgz;
    tu_archive_begin(&tgz, "ustar", "gzip");
    tu_archive_add(&tgz, "var/log/messages", AE_IFREG, zeros, sizeof zeros);
    tu_archive_add(&tgz, "var/log/short", AE_IFREG, zeros, 100);
    tu_archive_add(&tgz, "proc/meminfo", AE_IFREG, meminfo, sizeof meminfo - 1);
    tu_archive_end(&tgz);
    doc = tu_analyze_buffer(tgz.data, tgz.used, "dump.tar.gz", NULL, NULL);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 3);
    assert_string_equal(tu_str(doc, "input.members.0.path"), "var/log/messages");
    assert_int_equal((int)tu_get(doc, "input.members.0.size_bytes")->valuedouble, 20000);
    assert_string_equal(tu_str(doc, "input.members.1.path"), "var/log/short");
    assert_string_equal(tu_str(doc, "input.members.2.status"), "parsed");
    assert_int_equal(zero_filled_warnings(doc, "var/log/messages"), 1);
    assert_int_equal(zero_filled_warnings(doc, "var/log/short"), 1);
    assert_int_equal(zero_filled_warnings(doc, "proc/meminfo"), 0);
    cJSON_Delete(doc);
    free(tgz.data);

    static char tail[8192];
    memcpy(tail, meminfo, sizeof meminfo - 1); /* text, then zeros */
    doc = tu_analyze_buffer(tail, sizeof tail, "proc/meminfo", NULL, NULL);
    assert_string_equal(tu_str(doc, "input.members.0.kind"), "meminfo");
    assert_int_equal(zero_filled_warnings(doc, "proc/meminfo"), 0);
    cJSON_Delete(doc);
}

static void member_and_ratio_limits(void **state)
{
    (void)state;
    size_t n = 80u << 20;
    char *zeros = malloc(n); /* text, not zeros: a zero-filled member gets a warning of its own */
    memset(zeros, 'x', n);
    tu_archive gz;
    tu_archive_begin(&gz, "raw", "gzip");
    tu_archive_add(&gz, "data", AE_IFREG, zeros, n);
    tu_archive_end(&gz);
    free(zeros);
    mf_options o = MF_OPTIONS_INIT;
    o.limits.max_ratio = 100;
    cJSON *doc = tu_analyze_buffer(gz.data, gz.used, "bomb.gz", &o, NULL);
    assert_non_null(doc);
    assert_string_equal(tu_str(doc, "input.members.0.status"), "skipped-limit");
    assert_false(cJSON_IsTrue(tu_get(doc, "input.complete")));
    assert_true(tu_get(doc, "input.members.0.size_bytes")->valuedouble < (double)n);
    cJSON_Delete(doc);
    free(gz.data);

    /* member count limit */
    tu_archive t;
    tu_archive_begin(&t, "ustar", NULL);
    for (int i = 0; i < 50; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%02d", i);
        tu_archive_add(&t, name, AE_IFREG, "x\n", 2);
    }
    tu_archive_end(&t);
    mf_options m = MF_OPTIONS_INIT;
    m.limits.max_members = 10;
    doc = tu_analyze_buffer(t.data, t.used, "many.tar", &m, NULL);
    assert_int_equal(cJSON_GetArraySize(tu_get(doc, "input.members")), 10);
    assert_false(cJSON_IsTrue(tu_get(doc, "input.complete")));
    assert_string_equal(tu_str(doc, "warnings.0.code"), "member-limit");
    cJSON_Delete(doc);
    free(t.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_buffer_is_one_member),
        cmocka_unit_test(arch_from_whole_words),
        cmocka_unit_test(year_less_stamps_take_the_bundle_year),
        cmocka_unit_test(kernel_version_from_the_distro_banner),
        cmocka_unit_test(tar_gz_with_unsafe_entries),
        cmocka_unit_test(nested_archives_are_followed),
        cmocka_unit_test(truncated_gzip_keeps_what_was_read),
        cmocka_unit_test(garbage_and_empty_input),
        cmocka_unit_test(zero_filled_files_are_members),
        cmocka_unit_test(member_and_ratio_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
