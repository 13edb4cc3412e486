/* logmatch.c - the log conditions of a rule set, run over every normalised
 * log message while log members stream (called from the dispatcher). Each
 * pattern's literal is checked first with memmem; PCRE2 runs only on the
 * messages that contain it, with match and depth limits. Per pattern the
 * matcher keeps the count and the first MF_LOGHIT_KEEP hits. */
#include <string.h>

#include "rules/rules.h"

typedef struct slot {
    uint64_t count;
    mf_loghit hits[MF_LOGHIT_KEEP];
    size_t nhits;
    bool limit_warned;
} slot;

struct mf_logmatch {
    mf_evidence *ev;
    const mf_ruleset *rs;
    slot *slots;
    size_t nslots;
    uint64_t messages;
    unsigned char *cand; /* per pattern: worth running on this message */
    size_t *todo;        /* the candidates of this message */
    pcre2_match_data *md;
    pcre2_match_context *mc;
};

mf_logmatch *mf_logmatch_new(mf_evidence *ev, const mf_ruleset *rs)
{
    mf_logmatch *lm = mf_calloc(ev->alloc, 1, sizeof *lm);
    if (!lm)
        return NULL;
    lm->ev = ev;
    lm->rs = rs;
    lm->nslots = rs ? rs->logs.len : 0;
    if (lm->nslots) {
        lm->slots = mf_calloc(ev->alloc, lm->nslots, sizeof *lm->slots);
        lm->cand = mf_calloc(ev->alloc, lm->nslots, 1);
        lm->todo = mf_calloc(ev->alloc, lm->nslots, sizeof *lm->todo);
        lm->md = pcre2_match_data_create(16, NULL);
        lm->mc = pcre2_match_context_create(NULL);
        if (!lm->slots || !lm->cand || !lm->todo || !lm->md || !lm->mc) {
            mf_logmatch_free(lm);
            return NULL;
        }
        pcre2_set_match_limit(lm->mc, MF_RULE_MATCH_LIMIT);
        pcre2_set_depth_limit(lm->mc, MF_RULE_DEPTH_LIMIT);
        pcre2_set_heap_limit(lm->mc, 20000); /* KiB */
    }
    return lm;
}

void mf_logmatch_free(mf_logmatch *lm)
{
    if (!lm)
        return;
    for (size_t i = 0; lm->slots && i < lm->nslots; i++)
        for (size_t k = 0; k < lm->slots[i].nhits; k++)
            mf_free(lm->ev->alloc, lm->slots[i].hits[k].text);
    mf_free(lm->ev->alloc, lm->slots);
    mf_free(lm->ev->alloc, lm->cand);
    mf_free(lm->ev->alloc, lm->todo);
    pcre2_match_data_free(lm->md);
    pcre2_match_context_free(lm->mc);
    mf_free(lm->ev->alloc, lm);
}

int mf_logmatch_message(mf_logmatch *lm, int32_t member, uint64_t line,
                        const char *msg, size_t len)
{
    if (!lm)
        return 0;
    lm->messages++;
    const mf_ruleset *rs = lm->rs;
    size_t ntodo = 0;
    /* patterns without a literal always run */
    for (size_t a = 0; a < rs->always.len; a++) {
        size_t i = *(size_t *)mf_vec_at(&rs->always, a);
        lm->cand[i] = 1;
        lm->todo[ntodo++] = i;
    }
    /* one pass: where a byte pair starts a literal, compare the literal */
    const mf_lit_entry *lits = rs->lit_index.data;
    size_t nlits = rs->lit_index.len;
    const unsigned char *u = (const unsigned char *)msg;
    const uint64_t *bits = rs->lit_bits;
    size_t end = nlits && len > 1 ? len - 1 : 0;
    for (size_t p = 0; p < end; p++) {
        unsigned pair = (unsigned)u[p] << 8 | u[p + 1];
        if (__builtin_expect(!(bits[pair >> 6] & (1ull << (pair & 63))), 1))
            continue;
        size_t lo = 0, hi = nlits;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (lits[mid].pair < pair)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < nlits && lits[lo].pair == pair; lo++) {
            size_t k = lits[lo].pattern;
            if (lm->cand[k])
                continue;
            const mf_regex *re = *(mf_regex **)mf_vec_at(&rs->logs, k);
            size_t off = lits[lo].offset;
            if (p >= off && re->literal_len <= len - (p - off) &&
                memcmp(u + p - off, re->literal, re->literal_len) == 0) {
                lm->cand[k] = 1;
                lm->todo[ntodo++] = k;
            }
        }
    }
    int rc = 0;
    for (size_t t = 0; t < ntodo; t++) {
        size_t i = lm->todo[t];
        lm->cand[i] = 0;
        if (rc < 0)
            continue;
        const mf_regex *re = *(mf_regex **)mf_vec_at(&rs->logs, i);
        int m = mf_regex_exec(re, lm->md, lm->mc, msg, len);
        slot *s = &lm->slots[i];
        if (m < 0) {
            if (!s->limit_warned) {
                s->limit_warned = true;
                mf_evidence_warn(lm->ev, member, line, "rule-regex-limit",
                                 "log pattern /%.80s/ hit the PCRE2 match limit; "
                                 "the message counts as no match",
                                 re->pattern);
            }
            continue;
        }
        if (!m)
            continue;
        s->count++;
        if (s->nhits < MF_LOGHIT_KEEP) {
            char *tx = mf_evidence_excerpt(lm->ev, msg, len);
            if (!tx) {
                rc = -1;
                continue;
            }
            s->hits[s->nhits++] = (mf_loghit){(uint32_t)member, line, tx};
        }
    }
    return rc;
}

uint64_t mf_logmatch_messages(const mf_logmatch *lm)
{
    return lm ? lm->messages : 0;
}

uint64_t mf_logmatch_count(const mf_logmatch *lm, size_t i)
{
    return lm && i < lm->nslots ? lm->slots[i].count : 0;
}

size_t mf_logmatch_hits(const mf_logmatch *lm, size_t i, const mf_loghit **hits)
{
    if (!lm || i >= lm->nslots) {
        *hits = NULL;
        return 0;
    }
    *hits = lm->slots[i].hits;
    return lm->slots[i].nhits;
}
