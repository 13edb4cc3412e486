/* uname.c - `uname -a` and /proc/version.
 *   Linux db01 3.10.0-1160.el7.x86_64 #1 SMP Mon Oct 19 16:18:59 UTC 2020 x86_64 x86_64 x86_64 GNU/Linux
 *   Linux OpenWrt 4.14.131 #0 SMP Thu Jun 27 12:18:52 2019 armv7l GNU/Linux   (busybox)
 *   Linux version 5.10.0-21-amd64 (debian-kernel@lists.debian.org) ...     (/proc/version)
 * The kernel banner in a log stays the primary source of system{}: these
 * only fill what is still unknown (src/analyze/netcfg.c). */
#include <string.h>

#include "parse/net_common.h"

static int uname_bid(const char *path, const char *head, size_t len)
{
    const char *nl = memchr(head, '\n', len);
    size_t l = nl ? (size_t)(nl - head) : len;
    bool one_line = true;
    for (const char *q = nl; q && q < head + len; q++)
        if (*q != '\n' && *q != '\r' && *q != ' ')
            one_line = false;
    if (mf_starts_with(head, l, "Linux version ") &&
        (mf_path_basename_is(path, "version") || mf_path_has(path, "proc/version")))
        return 60; /* over kernel-log's 50 for a lone banner */
    if (!mf_starts_with(head, l, "Linux "))
        return 0;
    mf_net_tok t[24];
    size_t k = mf_net_tokens(head, l, t, 24, NULL);
    bool hash = false;
    for (size_t i = 3; i < k; i++)
        if (t[i].n >= 2 && t[i].s[0] == '#')
            hash = true;
    if (k >= 6 && hash)
        return mf_path_has(path, "uname") ? 95 : (one_line ? 70 : 30);
    return 0;
}

static const char *arch_name(const char *m, size_t n, size_t *out_n)
{
    static const struct {
        const char *machine, *arch;
    } map[] = {{"aarch64", "arm64"}, {"arm64", "arm64"}, {"x86_64", "x86_64"},
               {"amd64", "x86_64"},  {"i686", "i686"},   {"i586", "i686"},
               {"i386", "i686"},     {"mips", "mips"},   {"mips64", "mips64"},
               {"mipsel", "mipsel"}, {"ppc", "powerpc"}, {"ppc64", "powerpc64"},
               {"ppc64le", "ppc64le"}, {"s390x", "s390x"}, {"riscv64", "riscv64"},
               {NULL, NULL}};
    for (int i = 0; map[i].machine; i++)
        if (strlen(map[i].machine) == n && memcmp(map[i].machine, m, n) == 0) {
            *out_n = strlen(map[i].arch);
            return map[i].arch;
        }
    if (n >= 4 && memcmp(m, "armv", 4) == 0) {
        *out_n = 3;
        return "arm";
    }
    *out_n = n;
    return m; /* unknown machines are kept as written */
}

static bool known_machine(const char *m, size_t n, size_t *an)
{
    return arch_name(m, n, an) != m || (n >= 4 && memcmp(m, "armv", 4) == 0);
}

static int uname_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    (void)state;
    mf_netcfg *nc = mf_netcfg_get(pc->ev);
    if (!nc)
        return -1;
    const char *s = line->text;
    size_t n = line->len;
    mf_trim(&s, &n);
    mf_net_tok t[32];
    bool more;
    size_t k = mf_net_tokens(s, n, t, 32, &more);
    if (k >= 3 && mf_net_tok_is(&t[0], "Linux") && mf_net_tok_is(&t[1], "version"))
        return mf_strfact_once(pc, &nc->uname_release, t[2].s, t[2].n,
                               line->lineno, s, n);
    if (k < 6 || !mf_net_tok_is(&t[0], "Linux") || more)
        return 0;
    /* The machine: the first known machine name after the `#N` build
     * number (the version text before it varies: SMP, PREEMPT_DYNAMIC,
     * dates, SUSE's `(e9f7bfc)`, Debian's `6.1.55-1 (2023-09-29)`). */
    size_t machine = 0;
    for (size_t i = 3; i + 1 < k && !machine; i++) {
        size_t an;
        if (known_machine(t[i].s, t[i].n, &an))
            machine = i;
    }
    if (mf_strfact_once(pc, &nc->uname_hostname, t[1].s, t[1].n, line->lineno,
                        s, n) < 0 ||
        mf_strfact_once(pc, &nc->uname_release, t[2].s, t[2].n, line->lineno,
                        s, n) < 0)
        return -1;
    if (machine) {
        size_t an;
        const char *a = arch_name(t[machine].s, t[machine].n, &an);
        if (mf_strfact_once(pc, &nc->uname_arch, a, an, line->lineno, s, n) < 0)
            return -1;
    }
    return 0;
}

const mf_module mf_module_uname = {
    "uname", "uname -a output and /proc/version", uname_bid, false,
    NULL, uname_line, NULL, NULL,
};
