/* uwsgi.c - uwsgi settings the small-RAM rules need, from an ini file
 * (/etc/uwsgi.conf, /etc/uwsgi/vassals/luci-webui.ini) or OpenWrt UCI
 * (/etc/config/uwsgi):
 *   [uwsgi]                       config uwsgi 'luci'
 *   processes = 4                     option processes '4'
 *   threads = 2                       option threads '2'
 *   buffer-size = 32768               option buffer_size '32768'
 * `workers` is uwsgi's alias of `processes`. One record per ini section or
 * UCI section. */
#include <string.h>

#include "parse/net_common.h"

static int uwsgi_bid(const char *path, const char *head, size_t len)
{
    bool name = mf_path_has(path, "uwsgi");
    bool ini = mf_memmem(head, len, "[uwsgi]", 7) != NULL;
    bool uci = mf_memmem(head, len, "config uwsgi", 12) != NULL;
    bool keys = mf_memmem(head, len, "processes", 9) ||
                mf_memmem(head, len, "workers", 7);
    if ((ini || uci) && keys)
        return 90;
    if (name && (ini || uci || keys))
        return 85;
    return ini ? 40 : 0;
}

typedef struct uwsgi_state {
    int32_t cur;  /* index in nc->uwsgi, -1 none */
    bool in_uwsgi; /* ini: inside [uwsgi]; uci: inside a config section */
} uwsgi_state;

static void *uwsgi_open(mf_parse_ctx *pc)
{
    if (!mf_netcfg_get(pc->ev))
        return NULL;
    uwsgi_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (st) {
        st->cur = -1;
        st->in_uwsgi = true; /* keys before any section header count */
    }
    return st;
}

static int section(uwsgi_state *st, mf_parse_ctx *pc, const char *nm,
                   size_t nn, uint64_t line)
{
    mf_netcfg *nc = pc->ev->netcfg;
    if (!mf_netcfg_room(pc->ev, &nc->uwsgi, pc->member, "uwsgi configs"))
        return 0;
    char *name = nn ? mf_strndup(pc->ev->alloc, nm, nn) : NULL;
    if (nn && !name)
        return -1;
    mf_uwsgi_conf *u = mf_vec_push(&nc->uwsgi);
    if (!u) {
        mf_free(pc->ev->alloc, name);
        return -1;
    }
    u->processes = u->threads = u->buffer_size = u->cheaper = -1;
    u->name = name;
    u->loc.member = (uint32_t)pc->member;
    u->loc.line = line;
    st->cur = (int32_t)(nc->uwsgi.len - 1);
    return 0;
}

static void unquote(const char **v, size_t *vn)
{
    mf_trim(v, vn);
    if (*vn >= 2 && ((*v)[0] == '\'' || (*v)[0] == '"') &&
        (*v)[*vn - 1] == (*v)[0]) {
        (*v)++;
        *vn -= 2;
    }
}

static int uwsgi_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    uwsgi_state *st = state;
    const char *s = line->text;
    size_t n = line->len;
    mf_trim(&s, &n);
    if (n == 0 || s[0] == '#' || s[0] == ';')
        return 0;
    const char *k, *v;
    size_t kn, vn;
    mf_net_tok t[4];
    bool more;
    size_t nt = mf_net_tokens(s, n, t, 4, &more);
    if (s[0] == '[') {
        const char *e = memchr(s, ']', n);
        if (!e)
            return 0;
        st->in_uwsgi = e - s == 6 && memcmp(s + 1, "uwsgi", 5) == 0;
        st->cur = -1;
        return 0;
    }
    if (nt >= 2 && mf_net_tok_is(&t[0], "config")) {
        st->in_uwsgi = true;
        const char *nm = nt >= 3 ? t[2].s : t[1].s;
        size_t nn = nt >= 3 ? t[2].n : t[1].n;
        unquote(&nm, &nn);
        return section(st, pc, nm, nn, line->lineno);
    }
    if (nt >= 3 && mf_net_tok_is(&t[0], "option")) {
        k = t[1].s;
        kn = t[1].n;
        v = t[2].s;
        vn = (size_t)(s + n - t[2].s);
    } else {
        const char *eq = memchr(s, '=', n);
        if (!eq)
            return 0;
        k = s;
        kn = (size_t)(eq - s);
        v = eq + 1;
        vn = (size_t)(s + n - v);
        mf_trim(&k, &kn);
    }
    unquote(&v, &vn);
    if (!st->in_uwsgi)
        return 0;
    int64_t *field = NULL;
    int64_t val;
    if (!mf_net_tok_i64(v, vn, &val))
        return 0;
    mf_netcfg *nc = pc->ev->netcfg;
    if (st->cur < 0 && section(st, pc, NULL, 0, line->lineno) < 0)
        return -1;
    if (st->cur < 0)
        return 0;
    mf_uwsgi_conf *u = mf_vec_at(&nc->uwsgi, (size_t)st->cur);
    struct {
        const char *a, *b;
        int64_t *f;
    } keys[] = {{"processes", "workers", &u->processes},
                {"threads", NULL, &u->threads},
                {"buffer-size", "buffer_size", &u->buffer_size},
                {"cheaper", NULL, &u->cheaper}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if ((strlen(keys[i].a) == kn && memcmp(keys[i].a, k, kn) == 0) ||
            (keys[i].b && strlen(keys[i].b) == kn && memcmp(keys[i].b, k, kn) == 0))
            field = keys[i].f;
    if (!field)
        return 0;
    *field = val;
    if (field == &u->processes)
        u->processes_line = line->lineno;
    return 0;
}

static void uwsgi_close(void *state, mf_parse_ctx *pc)
{
    mf_free(pc->ev->alloc, state);
}

const mf_module mf_module_uwsgi = {
    "uwsgi-config", "uwsgi settings (ini or OpenWrt UCI)", uwsgi_bid, false,
    uwsgi_open, uwsgi_line, NULL, uwsgi_close,
};
