/* kconfig.c - kernel configuration: .config, /proc/config.gz (the source
 * stage inflates it), /boot/config-*:
 *   CONFIG_FOO=y   CONFIG_FOO=0x06000000   CONFIG_FOO="text"
 *   # CONFIG_FOO is not set                 (kept as "n")
 * Values are kept as written; the report gives numbers for decimal and hex
 * values and strings otherwise. */
#include <string.h>

#include "parse/net_common.h"

static bool option_name(const char *s, size_t n)
{
    if (n < 8 || memcmp(s, "CONFIG_", 7) != 0)
        return false;
    for (size_t i = 7; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

static int kconfig_bid(const char *path, const char *head, size_t len)
{
    bool name = mf_path_basename_is(path, ".config") ||
                mf_path_basename_is(path, "config.gz") ||
                mf_path_basename_is(path, "config") ||
                mf_path_has(path, "boot/config-") ||
                mf_path_has(path, "proc/config");
    int lines = 0, opts = 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < 60) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t l = (size_t)(le - p);
        if (l) {
            lines++;
            const char *eq = memchr(p, '=', l);
            if ((eq && option_name(p, (size_t)(eq - p))) ||
                (l > 2 && mf_starts_with(p, l, "# CONFIG_") &&
                 mf_memmem(p, l, " is not set", 11)))
                opts++;
        }
        p = nl ? nl + 1 : end;
    }
    if (mf_memmem(head, len, "# Automatically generated file; DO NOT EDIT.", 44) &&
        opts)
        return 95;
    if (opts >= 3 && opts * 2 >= lines)
        return name ? 95 : 85;
    return name && opts ? 70 : 0;
}

typedef struct kconfig_state {
    uint64_t bad, first_bad;
} kconfig_state;

static void *kconfig_open(mf_parse_ctx *pc)
{
    if (!mf_netcfg_get(pc->ev))
        return NULL;
    return mf_calloc(pc->ev->alloc, 1, sizeof(kconfig_state));
}

static void kconfig_close(void *state, mf_parse_ctx *pc)
{
    kconfig_state *st = state;
    if (st->bad)
        mf_evidence_warn(pc->ev, pc->member, st->first_bad, "bad-row",
                         "%llu line(s) that are not kernel config skipped "
                         "(first shown)",
                         (unsigned long long)st->bad);
    mf_free(pc->ev->alloc, st);
}

static int kconfig_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    kconfig_state *st = state;
    mf_netcfg *nc = pc->ev->netcfg;
    const char *s = line->text;
    size_t n = line->len;
    mf_trim(&s, &n);
    if (n == 0)
        return 0;
    if (s[0] == '#') {
        const char *o = s + 1;
        size_t on = n - 1;
        mf_trim(&o, &on);
        if (on > 11 && memcmp(o + on - 11, " is not set", 11) == 0 &&
            option_name(o, on - 11))
            return mf_kv_push(pc, &nc->kconfig, "kconfig options", o, on - 11,
                              "n", 1, line->lineno);
        return 0;
    }
    const char *eq = memchr(s, '=', n);
    if (!eq || !option_name(s, (size_t)(eq - s))) {
        if (!mf_starts_with(s, n, "CONFIG_"))
            return 0; /* a prompt, a note */
        if (!st->bad++)
            st->first_bad = line->lineno;
        return 0;
    }
    const char *v = eq + 1;
    size_t vn = (size_t)(s + n - v);
    if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
        v++;
        vn -= 2;
    }
    return mf_kv_push(pc, &nc->kconfig, "kconfig options", s,
                      (size_t)(eq - s), v, vn, line->lineno);
}

const mf_module mf_module_kconfig = {
    "kconfig", "kernel config: .config, /proc/config.gz, /boot/config-*",
    kconfig_bid, false, kconfig_open, kconfig_line, NULL, kconfig_close,
};
