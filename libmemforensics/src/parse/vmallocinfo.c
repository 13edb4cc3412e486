/* vmallocinfo.c - /proc/vmallocinfo: `0xSTART-0xEND SIZE [caller+off/len]
 * [pages=N] [phys=ADDR] [ioremap|vmalloc|vmap|user|vpages|dma-coherent]
 * [N0=n]`. Kept as totals per caller and per kind for each snapshot (rows
 * named `caller:FUNC`, `kind:KIND` and `total`, v0 bytes, v1 areas). Areas
 * are listed by address: an address going back starts the next snapshot
 * of a capture loop, as does a time line. */
#include <stdio.h>
#include <string.h>

#include "parse/snapparse.h"

typedef struct agg {
    uint32_t name;
    int64_t bytes, count;
    uint64_t line;
} agg;

typedef struct vm_state {
    mf_snapcur c;
    mf_vec aggs;       /* agg */
    uint32_t *slot;    /* name id -> aggs index + 1 */
    size_t nslot;
    uint64_t last_addr;
} vm_state;

static int vmalloc_bid(const char *path, const char *head, size_t len)
{
    /* rows start with `0xSTART-0xEND` (boot messages print the vmalloc
     * range as "0x... - 0x...") */
    static const char *const range[] = {"-0x", NULL};
    int n = mf_head_count_lines(head, len, "0x", false, range, 30);
    if (n >= 3 && (mf_memmem(head, len, " vmalloc", 8) ||
                   mf_memmem(head, len, " ioremap", 8) ||
                   mf_memmem(head, len, " vmap", 5)) &&
        mf_memmem(head, len, "-0x", 3))
        return 90;
    return mf_path_basename_is(path, "vmallocinfo") ? 50 : 0;
}

static void *vm_open(mf_parse_ctx *pc)
{
    vm_state *s = mf_calloc(pc->ev->alloc, 1, sizeof *s);
    if (s) {
        mf_snapcur_init(&s->c, MF_SNAP_VMALLOC);
        mf_vec_init(&s->aggs, pc->ev->alloc, sizeof(agg));
    }
    return s;
}

static int add(vm_state *s, mf_parse_ctx *pc, const char *name, size_t len,
               int64_t bytes, uint64_t line)
{
    uint32_t id = mf_strtab_intern(&pc->ev->snaps.names, name, len);
    if (id == UINT32_MAX)
        return -1;
    if (id == MF_STRTAB_FULL)
        return 0; /* the record budget is spent: no more callers */
    if (id >= s->nslot) {
        size_t n = s->nslot ? s->nslot : 64;
        while (n <= id)
            n *= 2;
        uint32_t *sl = mf_realloc(pc->ev->alloc, s->slot, n * sizeof *sl);
        if (!sl)
            return -1;
        memset(sl + s->nslot, 0, (n - s->nslot) * sizeof *sl);
        s->slot = sl;
        s->nslot = n;
    }
    agg *a;
    if (s->slot[id]) {
        a = mf_vec_at(&s->aggs, s->slot[id] - 1);
    } else {
        a = mf_vec_push(&s->aggs);
        if (!a)
            return -1;
        a->name = id;
        a->line = line;
        s->slot[id] = (uint32_t)s->aggs.len;
    }
    a->bytes += bytes;
    a->count++;
    return 0;
}

/* Write the open snapshot's totals as rows. */
static int flush(vm_state *s, mf_parse_ctx *pc)
{
    int rc = 0;
    for (size_t i = 0; i < s->aggs.len; i++) {
        agg *a = mf_vec_at(&s->aggs, i);
        s->slot[a->name] = 0;
        if (rc < 0 || s->c.snap < 0)
            continue;
        void *p;
        if (mf_snapcur_row(&s->c, pc, &pc->ev->snaps.named, a->line, &p) < 0) {
            rc = -1;
            continue;
        }
        if (p) {
            mf_named_row *r = p;
            r->name = a->name;
            r->v0 = a->bytes;
            r->v1 = a->count;
            r->line = a->line;
        }
    }
    s->aggs.len = 0;
    s->last_addr = 0;
    return rc;
}

static bool hex_addr(const char *s, size_t len, uint64_t *out)
{
    if (len < 3 || s[0] != '0' || s[1] != 'x' || len > 18)
        return false;
    uint64_t v = 0;
    for (size_t i = 2; i < len; i++) {
        char c = s[i] | 0x20;
        if (c >= '0' && c <= '9') v = v * 16 + (uint64_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (uint64_t)(c - 'a' + 10);
        else return false;
    }
    *out = v;
    return true;
}

static int vm_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    vm_state *s = state;
    if (mf_line_blank(l))
        return 0;
    mf_tok t[16];
    size_t n = mf_tokens(l->text, l->len, t, 16);
    const char *dash = n >= 2 ? memchr(t[0].s, '-', t[0].len) : NULL;
    uint64_t start, end, size;
    if (!dash || !hex_addr(t[0].s, (size_t)(dash - t[0].s), &start) ||
        !hex_addr(dash + 1, (size_t)(t[0].s + t[0].len - dash - 1), &end) ||
        !mf_tok_u64(t[1], &size)) {
        int64_t tt;
        if (!mf_memmem(l->text, l->len, "0x", 2) && l->len >= 9 &&
            l->len <= 80 && mf_parse_time_line(l->text, l->len, &tt)) {
            if (flush(s, pc) < 0)
                return -1;
            mf_snapcur_time_line(&s->c, pc, l);
            return 0;
        }
        if (mf_parse_uptime_line(l->text, l->len, &tt) &&
            mf_snapcur_time_line(&s->c, pc, l))
            return 0;
        mf_snapcur_bad(&s->c, pc, l, "vmallocinfo line");
        return 0;
    }
    (void)end;
    if (s->c.snap >= 0 && start != 0 && start < s->last_addr) {
        if (flush(s, pc) < 0)
            return -1;
        mf_snapcur_end(&s->c, pc);
    }
    if (s->c.snap < 0 && !mf_snapcur_begin(&s->c, pc, l->lineno))
        return -1;
    s->last_addr = start;
    const char *caller = NULL;
    size_t clen = 0;
    const char *kind = "other";
    static const char *const kinds[] = {"ioremap", "vmalloc", "vmap", "user",
                                        "dma-coherent"};
    bool have_kind = false;
    for (size_t i = 2; i < n; i++) {
        mf_tok x = t[i];
        if (!have_kind)
            for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
                if (mf_tok_eq(x, kinds[k])) {
                    kind = kinds[k];
                    have_kind = true;
                }
        if (!caller && i == 2 && !memchr(x.s, '=', x.len)) {
            const char *plus = memchr(x.s, '+', x.len);
            if (plus) {
                caller = x.s;
                clen = (size_t)(plus - x.s);
            } else if (memchr(x.s, '/', x.len) == NULL && !have_kind &&
                       !mf_tok_eq(x, "unpurged") && !mf_tok_eq(x, "vpages")) {
                caller = x.s;
                clen = x.len;
            }
        }
    }
    if (!have_kind && n >= 4 && mf_tok_eq(t[2], "unpurged"))
        kind = "unpurged";
    char buf[160];
    int bl;
    if (caller)
        bl = snprintf(buf, sizeof buf, "caller:%.*s", (int)(clen > 120 ? 120 : clen), caller);
    else
        bl = snprintf(buf, sizeof buf, "caller:-");
    if (add(s, pc, buf, (size_t)bl, (int64_t)size, l->lineno) < 0)
        return -1;
    bl = snprintf(buf, sizeof buf, "kind:%s", kind);
    if (add(s, pc, buf, (size_t)bl, (int64_t)size, l->lineno) < 0)
        return -1;
    return add(s, pc, "total", 5, (int64_t)size, l->lineno);
}

static void vm_close(void *state, mf_parse_ctx *pc)
{
    vm_state *s = state;
    flush(s, pc);
    mf_snapcur_close(&s->c, pc);
    mf_vec_free(&s->aggs);
    mf_free(pc->ev->alloc, s->slot);
    mf_free(pc->ev->alloc, s);
}

const mf_module mf_module_vmallocinfo = {
    "vmallocinfo", "/proc/vmallocinfo (totals per caller and kind)",
    vmalloc_bid, false, vm_open, vm_line, NULL, vm_close,
};
