/* ip_rule.c - `ip rule` and `ip -6 rule` (iproute2 ip/iprule.c):
 *   0:	from all lookup local
 *   32765:	from all lookup main suppress_prefixlength 0
 *   32766:	not from all fwmark 0xca6c lookup 51820
 * The family comes from the command: the member path (sos `ip_-6_rule`,
 * dumpstate `IP RULES v6 (ip -6 rule show)`), a command echo inside a
 * capture, or an IPv6 address in the selector. `ip rule` alone lists IPv4. */
#include <string.h>

#include "parse/net_common.h"

/* "32765:" then "from" or "not from" */
static bool rule_line(const char *s, size_t n)
{
    mf_trim(&s, &n);
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 0 || i >= n || s[i] != ':')
        return false;
    i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return mf_starts_with(s + i, n - i, "from ") ||
           mf_starts_with(s + i, n - i, "not from ");
}

static int family_from_text(const char *p)
{
    if (strstr(p, "-6") || strstr(p, "v6") || strstr(p, "inet6"))
        return 6;
    if (strstr(p, "rule") || strstr(p, "RULE"))
        return 4;
    return 0;
}

static int ip_rule_bid(const char *path, const char *head, size_t len)
{
    int lines = 0, rules = 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < 30) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p) {
            lines++;
            if (rule_line(p, (size_t)(le - p)))
                rules++;
        }
        p = nl ? nl + 1 : end;
    }
    if (rules >= 2 && rules * 2 >= lines)
        return 90;
    if (rules >= 1 && (strstr(path, "rule") || strstr(path, "RULE")))
        return 90;
    return rules ? 40 : 0;
}

typedef struct ip_rule_state {
    int family;
} ip_rule_state;

static void *ip_rule_open(mf_parse_ctx *pc)
{
    ip_rule_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    const char *base = pc->path;
    for (const char *q = pc->path; *q; q++)
        if (*q == '/' || *q == '!')
            base = q + 1;
    st->family = family_from_text(base);
    return st;
}

static bool is_action(const mf_net_tok *t)
{
    static const char *const acts[] = {"lookup", "table", "blackhole",
                                       "unreachable", "prohibit", "goto",
                                       "nop", NULL};
    for (int i = 0; acts[i]; i++)
        if (mf_net_tok_is(t, acts[i]))
            return true;
    return false;
}

static int ip_rule_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    ip_rule_state *st = state;
    const char *s = line->text;
    size_t n = line->len;
    mf_trim(&s, &n);
    if (n == 0)
        return 0;
    const char *cmd = mf_memmem(s, n, "ip ", 3);
    if (!rule_line(s, n)) {
        /* `# ip -6 rule show` inside a capture switches the family */
        if (cmd && mf_memmem(s, n, " rule", 5)) {
            char tmp[128];
            mf_copy_field(tmp, sizeof tmp, cmd, (size_t)(s + n - cmd));
            st->family = family_from_text(tmp);
        }
        return 0;
    }
    mf_net_tok t[32];
    bool more;
    size_t k = mf_net_tokens(s, n, t, 32, &more);
    int64_t prio;
    if (k < 2 || !mf_net_tok_i64(t[0].s, t[0].n - 1, &prio) || more) {
        mf_evidence_warn(pc->ev, pc->member, line->lineno, "bad-row",
                         "ip rule line not understood");
        return 0;
    }
    mf_netcfg *nc = mf_netcfg_get(pc->ev);
    if (!nc)
        return -1;
    if (!mf_netcfg_room(pc->ev, &nc->ip_rules, pc->member, "ip rules"))
        return 0;
    const mf_allocator *a = pc->ev->alloc;
    mf_ip_rule r;
    memset(&r, 0, sizeof r);
    r.priority = prio;
    r.suppress_prefixlength = -1;
    r.family = (uint8_t)st->family;
    size_t i = 1;
    const char *sel_b = t[1].s, *sel_e = t[1].s;
    for (; i < k && !is_action(&t[i]); i++) {
        sel_e = t[i].s + t[i].n;
        if (mf_net_tok_is(&t[i], "fwmark") && i + 1 < k && !r.fwmark)
            r.fwmark = mf_strndup(a, t[i + 1].s, t[i + 1].n);
        if ((mf_net_tok_is(&t[i], "from") || mf_net_tok_is(&t[i], "to")) && i + 1 < k &&
            !r.family) {
            if (memchr(t[i + 1].s, ':', t[i + 1].n))
                r.family = 6;
            else if (memchr(t[i + 1].s, '.', t[i + 1].n))
                r.family = 4;
        }
    }
    r.selector = mf_strndup(a, sel_b, (size_t)(sel_e - sel_b));
    if (i < k) {
        bool lookup = mf_net_tok_is(&t[i], "lookup") || mf_net_tok_is(&t[i], "table");
        r.action = mf_strndup(a, lookup ? "lookup" : t[i].s, lookup ? 6 : t[i].n);
        if ((lookup || mf_net_tok_is(&t[i], "goto")) && i + 1 < k) {
            if (lookup)
                r.table = mf_strndup(a, t[i + 1].s, t[i + 1].n);
            i++;
        }
        for (i++; i < k; i++) {
            int64_t v;
            if (mf_net_tok_is(&t[i], "suppress_prefixlength") && i + 1 < k &&
                mf_net_tok_i64(t[i + 1].s, t[i + 1].n, &v) && v >= 0 && v <= 128)
                r.suppress_prefixlength = (int32_t)v;
        }
    }
    r.text = mf_evidence_excerpt(pc->ev, s, n);
    r.loc.member = (uint32_t)pc->member;
    r.loc.line = line->lineno;
    mf_ip_rule *slot = r.selector && r.text ? mf_vec_push(&nc->ip_rules) : NULL;
    if (!slot) {
        mf_free(a, r.selector);
        mf_free(a, r.table);
        mf_free(a, r.action);
        mf_free(a, r.fwmark);
        mf_free(a, r.text);
        return -1;
    }
    *slot = r;
    return 0;
}

static void ip_rule_close(void *state, mf_parse_ctx *pc)
{
    mf_free(pc->ev->alloc, state);
}

const mf_module mf_module_ip_rule = {
    "ip-rule", "ip rule / ip -6 rule listings", ip_rule_bid, false,
    ip_rule_open, ip_rule_line, NULL, ip_rule_close,
};
