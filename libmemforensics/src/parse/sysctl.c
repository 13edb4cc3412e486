/* sysctl.c - `sysctl -a` (`net.core.rmem_default = 212992`) and single
 * /proc/sys files, whose member path names the key
 * (proc/sys/net/core/rmem_default, FS/proc/sys/vm/min_free_kbytes) and
 * whose content is the bare value. Multi-value sysctls (tcp_mem) keep their
 * values separated by single spaces. Later values of a key win. */
#include <string.h>

#include "parse/net_common.h"

/* The key from a /proc/sys path, or 0 when the path has none. */
static size_t key_from_path(const char *path, char *out, size_t cap)
{
    const char *p = strstr(path, "proc/sys/");
    if (!p)
        return 0;
    p += 9;
    size_t n = 0;
    /* a dumpstate title `(... /proc/sys/vm/min_free_kbytes)` ends the key */
    for (; *p && *p != '!' && *p != '#' && *p != ')' && *p != ' ' &&
           *p != ':' && n + 1 < cap;
         p++)
        out[n++] = *p == '/' ? '.' : *p;
    out[n] = '\0';
    return n;
}

/* `a.b.c = value`: the key has a dot and no blank. */
static bool sysctl_pair(const char *s, size_t n, size_t *kn, const char **v,
                        size_t *vn)
{
    const char *eq = memchr(s, '=', n);
    if (!eq || eq == s)
        return false;
    const char *k = s;
    size_t l = (size_t)(eq - s);
    mf_trim(&k, &l);
    if (l == 0 || !memchr(k, '.', l) || memchr(k, ' ', l) || memchr(k, '\t', l))
        return false;
    for (size_t i = 0; i < l; i++)
        if ((unsigned char)k[i] <= ' ' || k[i] == '[' || k[i] == '"')
            return false;
    *kn = l;
    *v = eq + 1;
    *vn = (size_t)(s + n - eq - 1);
    mf_trim(v, vn);
    return true;
}

static int sysctl_bid(const char *path, const char *head, size_t len)
{
    char key[256];
    if (key_from_path(path, key, sizeof key))
        return memchr(head, '\n', len) == NULL ||
                       memchr(head, '\n', len) == head + len - 1 ||
                       len < 256
                   ? 90
                   : 40;
    int lines = 0, pairs = 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < 40) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t kn, vn;
        const char *v;
        if (le > p) {
            lines++;
            if (sysctl_pair(p, (size_t)(le - p), &kn, &v, &vn) &&
                mf_memmem(p, (size_t)(le - p), " = ", 3))
                pairs++;
        }
        p = nl ? nl + 1 : end;
    }
    if (pairs >= 3 && pairs * 2 >= lines)
        return mf_path_has(path, "sysctl") ? 95 : 85;
    if (pairs && mf_path_has(path, "sysctl"))
        return 80;
    return 0;
}

typedef struct sysctl_state {
    char key[256]; /* from the path, or empty */
    bool done;     /* a /proc/sys file gives one value */
} sysctl_state;

static void *sysctl_open(mf_parse_ctx *pc)
{
    sysctl_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    if (!mf_netcfg_get(pc->ev)) {
        mf_free(pc->ev->alloc, st);
        return NULL;
    }
    key_from_path(pc->path, st->key, sizeof st->key);
    return st;
}

static int sysctl_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    sysctl_state *st = state;
    const char *s = line->text;
    size_t n = line->len;
    mf_trim(&s, &n);
    mf_netcfg *nc = pc->ev->netcfg;
    if (st->key[0]) {
        if (st->done || n == 0)
            return 0;
        st->done = true;
        return mf_kv_push(pc, &nc->sysctl, "sysctls", st->key,
                          strlen(st->key), s, n, line->lineno);
    }
    size_t kn, vn;
    const char *v;
    if (n == 0 || !sysctl_pair(s, n, &kn, &v, &vn))
        return 0; /* `sysctl: permission denied on key ...`, prompts */
    return mf_kv_push(pc, &nc->sysctl, "sysctls", s, kn, v, vn, line->lineno);
}

static void sysctl_close(void *state, mf_parse_ctx *pc)
{
    mf_free(pc->ev->alloc, state);
}

const mf_module mf_module_sysctl = {
    "sysctl", "sysctl -a output and /proc/sys files", sysctl_bid, false,
    sysctl_open, sysctl_line, NULL, sysctl_close,
};
