/* psi.c - /proc/pressure/memory: `some avg10=0.00 avg60=0.00 avg300=0.00
 * total=0` and `full ...`. Each `some` line starts a snapshot. Averages are
 * kept in hundredths of a percent, totals in microseconds. */
#include <string.h>

#include "parse/snapparse.h"

static int psi_bid(const char *path, const char *head, size_t len)
{
    (void)path;
    if (len >= 11 && memcmp(head, "some avg10=", 11) == 0)
        return 95;
    if (mf_memmem(head, len, "\nsome avg10=", 12))
        return 90;
    return 0;
}

static void *psi_open(mf_parse_ctx *pc)
{
    mf_snapcur *c = mf_calloc(pc->ev->alloc, 1, sizeof *c);
    if (c)
        mf_snapcur_init(c, MF_SNAP_PSI);
    return c;
}

static int psi_line(void *state, mf_parse_ctx *pc, const mf_line *l)
{
    mf_snapcur *c = state;
    if (mf_line_blank(l))
        return 0;
    mf_tok t[6];
    size_t n = mf_tokens(l->text, l->len, t, 6);
    bool some = n == 5 && mf_tok_eq(t[0], "some");
    bool full = n == 5 && mf_tok_eq(t[0], "full");
    static const char *const keys[] = {"avg10=", "avg60=", "avg300=", "total="};
    int64_t v[4];
    bool ok = some || full;
    for (int i = 0; ok && i < 4; i++) {
        size_t kl = strlen(keys[i]);
        mf_tok x = t[i + 1];
        ok = x.len > kl && memcmp(x.s, keys[i], kl) == 0;
        if (!ok)
            break;
        x.s += kl;
        x.len -= kl;
        if (i < 3) {
            double d;
            size_t used;
            /* a share of time: 0..100 (found by fuzz_analyze: 7.2e19 made
             * the conversion to an integer undefined) */
            ok = mf_tok_double(x, &d, &used) && used == x.len && d >= 0 && d <= 100;
            v[i] = ok ? (int64_t)(d * 100 + 0.5) : 0;
        } else {
            ok = mf_tok_i64(x, &v[i]);
        }
    }
    if (!ok) {
        if (!mf_snapcur_time_line(c, pc, l))
            mf_snapcur_bad(c, pc, l, "pressure line");
        return 0;
    }
    if (some && !mf_snapcur_begin(c, pc, l->lineno))
        return -1;
    static const char *const names[2][4] = {
        {"some_avg10", "some_avg60", "some_avg300", "some_total"},
        {"full_avg10", "full_avg60", "full_avg300", "full_total"}};
    for (int i = 0; i < 4; i++) {
        void *p;
        if (mf_snapcur_row(c, pc, &pc->ev->snaps.named, l->lineno, &p) < 0)
            return -1;
        if (!p)
            return 0;
        mf_named_row *r = p;
        const char *nm = names[full][i];
        r->name = mf_strtab_intern(&pc->ev->snaps.names, nm, strlen(nm));
        r->v0 = v[i];
        r->line = l->lineno;
        if (r->name == UINT32_MAX)
            return -1;
    }
    return 0;
}

static void psi_close(void *state, mf_parse_ctx *pc)
{
    mf_snapcur_close(state, pc);
    mf_free(pc->ev->alloc, state);
}

const mf_module mf_module_psi = {
    "psi-memory", "/proc/pressure/memory snapshots", psi_bid, false,
    psi_open, psi_line, NULL, psi_close,
};
