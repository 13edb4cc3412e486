/* kernel_log.c - the kernel log module: dmesg, console captures, syslog and
 * journal files carrying kernel messages.
 *
 * It reads normalised messages and hands each to the readers in its table:
 * the banner reader here (kernel release, architecture, from `Linux
 * version` and the boot messages that name the CPU), and one reader per
 * kind of kernel report in its own file. */
#include <string.h>

#include "parse/kernel_log.h"
#include "parse/alloc_failure.h"
#include "parse/kmemleak.h"
#include "parse/lmk.h"
#include "parse/oom.h"

/* "[" spaces digits "." digits "]" somewhere in the first 64 bytes. */
static bool has_dmesg_stamp(const char *s, size_t len)
{
    if (len > 64)
        len = 64;
    const char *end = s + len;
    for (const char *p = memchr(s, '[', len); p; p = memchr(p, '[', (size_t)(end - p))) {
        const char *q = p + 1;
        while (q < end && *q == ' ')
            q++;
        const char *d = q;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (q > d && q < end && *q == '.') {
            const char *f = ++q;
            while (q < end && *q >= '0' && *q <= '9')
                q++;
            if (q - f >= 3 && q < end && *q == ']')
                return true;
        }
        p++;
    }
    return false;
}

static int kernel_log_bid(const char *path, const char *head, size_t len)
{
    int lines = 0, stamped = 0, kernel = 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < 40) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t n = (size_t)(le - p);
        if (n > 0) {
            lines++;
            if (has_dmesg_stamp(p, n))
                stamped++;
            else if (mf_memmem(p, n, " kernel: ", 9) ||
                     mf_memmem(p, n, "\"_TRANSPORT\":\"kernel\"", 21))
                kernel++;
        }
        p = nl ? nl + 1 : end;
    }
    int bid = 0;
    if (lines > 0 && (stamped + kernel) * 3 >= lines)
        bid = 80;
    else if (stamped + kernel > 0)
        bid = 40;
    if (mf_memmem(head, len, "Linux version ", 14))
        bid = bid > 0 ? 90 : 50;
    static const char *const names[] = {"dmesg", "dmesg.txt", "kern.log",
                                        "messages", "syslog", "last_kmsg",
                                        "console-ramoops", "console-ramoops-0",
                                        "logread", "crashlog", NULL};
    for (int i = 0; names[i]; i++)
        if (mf_path_basename_is(path, names[i]) && bid < 90)
            bid = bid ? bid + 10 : 30;
    return bid;
}

typedef struct arch_cue {
    const char *needle;
    const char *arch;
} arch_cue;

/* Architecture from a kernel release (distribution suffixes: 5.10.0-8-amd64,
 * 3.10.0-1160.el7.x86_64, 4.19.0-6-armmp) or from a toolchain triplet in the
 * banner (aarch64-linux-gnu-gcc, mips-openwrt-linux-musl). Names must stand
 * as whole words: a build host "abfarm-us-west1" is not an ARM hint. Order
 * matters: longer names first. */
static const arch_cue release_cues[] = {
    {"x86_64", "x86_64"},   {"amd64", "x86_64"},     {"aarch64", "arm64"},
    {"arm64", "arm64"},     {"armv7l", "arm"},       {"armv7", "arm"},
    {"armmp", "arm"},       {"armhf", "arm"},        {"armel", "arm"},
    {"arm", "arm"},         {"mips64el", "mips64"},  {"mips64", "mips64"},
    {"mipsel", "mips"},     {"mips", "mips"},        {"ppc64le", "ppc64le"},
    {"powerpc64le", "ppc64le"}, {"powerpc64", "ppc64"}, {"ppc64", "ppc64"},
    {"powerpc", "powerpc"}, {"s390x", "s390x"},      {"riscv64", "riscv64"},
    {"i686", "i686"},       {"686", "i686"},         {"i386", "i686"},
    {NULL, NULL}};

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* `needle` at p stands alone: no letter or digit on either side. */
static bool whole_word(const char *s, const char *end, const char *p,
                       size_t n)
{
    return (p == s || !word_char(p[-1])) && (p + n == end || !word_char(p[n]));
}

static const char *arch_from_release(const char *s, size_t len)
{
    const char *end = s + len;
    for (const arch_cue *c = release_cues; c->needle; c++) {
        size_t n = strlen(c->needle);
        for (const char *p = mf_memmem(s, len, c->needle, n); p;
             p = mf_memmem(p + 1, (size_t)(end - p - 1), c->needle, n))
            if (whole_word(s, end, p, n))
                return c->arch;
    }
    return NULL;
}

/* A triplet: ARCH-[vendor-]linux-... (or ARCH-linux-...), ARCH whole. */
static const char *arch_from_triplet(const char *s, size_t len)
{
    const char *end = s + len;
    for (const arch_cue *c = release_cues; c->needle; c++) {
        size_t n = strlen(c->needle);
        for (const char *p = mf_memmem(s, len, c->needle, n); p;
             p = mf_memmem(p + 1, (size_t)(end - p - 1), c->needle, n)) {
            if ((p != s && word_char(p[-1])) || p + n >= end || p[n] != '-')
                continue;
            size_t rest = (size_t)(end - p - n);
            if (mf_memmem(p + n, rest < 24 ? rest : 24, "-linux", 6))
                return c->arch;
        }
    }
    return NULL;
}

/* Boot messages that name the CPU architecture. */
static const arch_cue boot_cues[] = {
    {"Boot CPU: AArch64 Processor", "arm64"},
    {"CPU: AArch64 Processor", "arm64"},
    {"CPU: ARMv7 Processor", "arm"},
    {"CPU: ARMv6", "arm"},
    {"CPU: ARM926", "arm"},
    {"(MIPS ", "mips"},
    {"x86/fpu: ", "x86_64"},
    {NULL, NULL}};

/* A version "N.N[.N...]" at v: its end, or NULL. */
static const char *upstream_end(const char *v, const char *end)
{
    const char *e = v;
    int dots = 0;
    while (e < end && ((*e >= '0' && *e <= '9') || *e == '.')) {
        dots += *e == '.';
        e++;
    }
    if (dots < 1 || e == v || e[-1] == '.' || v[0] < '0' || v[0] > '9')
        return NULL;
    return e;
}

/* Distribution releases hide the upstream stable version, which the
 * banner's build tag states. Debian's ABI-named releases (5.10.0-21-amd64):
 * "#1 SMP Debian 5.10.162-1 (2023-01-21)". Ubuntu's (5.15.0-91-generic)
 * end with their version signature: "#101-Ubuntu SMP ... (Ubuntu
 * 5.15.0-91.101-generic 5.15.131)". Only the text after the last '#'
 * counts: the compiler's "(Debian 10.2.1-6)" or "(Ubuntu 11.4.0-1ubuntu1)"
 * comes before it. */
char *mf_distro_upstream(mf_evidence *ev, const char *s, const char *end)
{
    const char *hash = NULL;
    for (const char *p = s; p < end; p++)
        if (*p == '#')
            hash = p;
    if (!hash)
        return NULL;
    const char *d = mf_memmem(hash, (size_t)(end - hash), " Debian ", 8);
    const char *v = d ? d + 8 : NULL;
    if (!v) {
        const char *u = mf_memmem(hash, (size_t)(end - hash), "(Ubuntu ", 8);
        if (!u)
            return NULL;
        const char *sp = u + 8;
        while (sp < end && *sp != ' ' && *sp != ')')
            sp++; /* the Ubuntu version, 5.15.0-91.101-generic */
        if (sp >= end || *sp != ' ')
            return NULL;
        v = sp + 1;
    }
    const char *e = upstream_end(v, end);
    return e ? mf_strndup(ev->alloc, v, (size_t)(e - v)) : NULL;
}

/* Banners kept: the analysis wants the newest boot's (and the newest one
 * that names an arch), so a log of a million reboots keeps its last ones. */
#define MAX_BANNERS 64

static void forget_old_banners(mf_evidence *ev)
{
    size_t drop = MAX_BANNERS / 2;
    for (size_t i = 0; i < drop; i++) {
        mf_banner *b = mf_vec_at(&ev->banners, i);
        mf_free(ev->alloc, b->release);
        mf_free(ev->alloc, b->upstream);
        mf_free(ev->alloc, b->arch);
        mf_free(ev->alloc, b->text);
    }
    memmove(ev->banners.data, (char *)ev->banners.data + drop * ev->banners.elem,
            (ev->banners.len - drop) * ev->banners.elem);
    ev->banners.len -= drop;
}

static void read_banner(mf_parse_ctx *pc, const mf_logmsg *m, const char *at)
{
    mf_evidence *ev = pc->ev;
    const char *end = m->msg + m->len;
    const char *rel = at + 14;
    const char *re = rel;
    while (re < end && *re != ' ' && *re != '\t')
        re++;
    if (re == rel)
        return;
    if (ev->banners.len >= MAX_BANNERS)
        forget_old_banners(ev);
    mf_banner *b = mf_vec_push(&ev->banners);
    if (!b)
        return;
    b->release = mf_evidence_excerpt(ev, rel, (size_t)(re - rel));
    const char *arch = arch_from_release(rel, (size_t)(re - rel));
    if (!arch)
        arch = arch_from_triplet(re, (size_t)(end - re));
    b->arch = arch ? mf_strdup(ev->alloc, arch) : NULL;
    b->loc.member = (uint32_t)pc->member;
    b->loc.line = m->lineno;
    b->text = mf_evidence_excerpt(ev, m->msg, m->len);
    b->upstream = mf_distro_upstream(ev, re, end);
}

/* `Memory: 56320K/65536K available (5632K kernel code, ...)` (2.6.32: `k`):
 * the second number is the RAM the kernel found, in kB. The last boot's
 * line wins; system.mem_total_kb falls back to it (report/json_oom.c). */
static void read_boot_memory(mf_parse_ctx *pc, const mf_logmsg *m)
{
    const char *p = m->msg + 8, *end = m->msg + m->len;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    if (p == m->msg + 8 || end - p < 2 || (p[0] != 'K' && p[0] != 'k') || p[1] != '/')
        return;
    const char *num = p + 2, *q = num;
    int64_t kb = 0;
    while (q < end && *q >= '0' && *q <= '9' && q - num < 15)
        kb = kb * 10 + (*q++ - '0');
    if (q == num || q >= end || (*q != 'K' && *q != 'k') || end - q < 11 ||
        memcmp(q + 1, " available", 10) != 0 || kb <= 0)
        return;
    mf_loc loc = {(uint32_t)pc->member, m->lineno};
    if (mf_strfact_set(pc->ev, &pc->ev->system.boot_ram_src, num, (size_t)(q - num), loc,
                       m->msg, m->len) == 0)
        pc->ev->system.boot_ram_kb = kb;
}

static int banner_message(void *state, mf_parse_ctx *pc, const mf_logmsg *m)
{
    (void)state;
    const char *at = NULL;
    if (m->len >= 14 && memcmp(m->msg, "Linux version ", 14) == 0)
        at = m->msg;
    else if (m->style == MF_STYLE_UNKNOWN)
        at = mf_memmem(m->msg, m->len, "Linux version ", 14);
    if (at) {
        read_banner(pc, m, at);
        return 0;
    }
    if (m->len > 8 && memcmp(m->msg, "Memory: ", 8) == 0) {
        read_boot_memory(pc, m);
        return 0;
    }
    if (!pc->ev->arch_hint.value) {
        for (const arch_cue *c = boot_cues; c->needle; c++) {
            if (mf_memmem(m->msg, m->len, c->needle, strlen(c->needle))) {
                mf_loc loc = {(uint32_t)pc->member, m->lineno};
                mf_strfact_set(pc->ev, &pc->ev->arch_hint, c->arch,
                               strlen(c->arch), loc, m->msg, m->len);
                break;
            }
        }
    }
    return 0;
}

const mf_klog_reader mf_klog_banner = {"banner", NULL, banner_message, NULL,
                                        false};

/* The readers of kernel messages, in the order they see each message. */
static const mf_klog_reader *const readers[] = {
    &mf_klog_banner,
    &mf_klog_oom,
    &mf_klog_kmemleak,
    &mf_klog_alloc_failure,
    &mf_klog_lmk,
};
#define NREADERS (sizeof readers / sizeof readers[0])

typedef struct kernel_log_state {
    void *reader_state[NREADERS];
} kernel_log_state;

static void *kernel_log_open(mf_parse_ctx *pc)
{
    kernel_log_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    for (size_t i = 0; i < NREADERS; i++) {
        if (!readers[i]->open)
            continue;
        st->reader_state[i] = readers[i]->open(pc);
        if (!st->reader_state[i] && readers[i]->stateful) {
            for (size_t j = 0; j < i; j++)
                if (readers[j]->close && st->reader_state[j])
                    readers[j]->close(st->reader_state[j], pc);
            mf_free(pc->ev->alloc, st);
            return NULL;
        }
    }
    return st;
}

static int kernel_log_message(void *state, mf_parse_ctx *pc, const mf_logmsg *m)
{
    kernel_log_state *st = state;
    for (size_t i = 0; i < NREADERS; i++) {
        int rc = readers[i]->message(st->reader_state[i], pc, m);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void kernel_log_close(void *state, mf_parse_ctx *pc)
{
    kernel_log_state *st = state;
    for (size_t i = 0; i < NREADERS; i++)
        if (readers[i]->close)
            readers[i]->close(st->reader_state[i], pc);
    mf_free(pc->ev->alloc, st);
}

const mf_module mf_module_kernel_log = {
    "kernel-log",
    "kernel messages: dmesg, console logs, syslog, journal, logread",
    kernel_log_bid,
    true,
    kernel_log_open,
    NULL,
    kernel_log_message,
    kernel_log_close,
};
