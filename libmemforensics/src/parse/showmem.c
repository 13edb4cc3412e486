/* showmem.c - the show_mem / show_free_areas dump; see showmem.h. */
#include "parse/showmem.h"

#include <string.h>

#include "util/util.h"

static const char *const counter_names[MF_SM_NCOUNTERS] = {
    "active_anon",      "inactive_anon",      "isolated_anon", "active_file",
    "inactive_file",    "isolated_file",      "unevictable",   "dirty",
    "writeback",        "unstable",           "slab_reclaimable",
    "slab_unreclaimable", "mapped",           "shmem",         "pagetables",
    "sec_pagetables",   "bounce",             "kernel_misc_reclaimable",
    "free",             "free_pcp",           "free_cma"};

const char *mf_sm_counter_name(mf_sm_counter c)
{
    return (unsigned)c < MF_SM_NCOUNTERS ? counter_names[c] : "?";
}

void mf_showmem_reset(mf_showmem *sm)
{
    memset(sm, 0, sizeof *sm);
    for (int i = 0; i < MF_SM_NCOUNTERS; i++)
        sm->counters[i] = -1;
    sm->last_zone = -1;
    sm->open_buddy = -1;
    sm->node_kernel_stack_kb = sm->node_pagetables_kb = sm->node_shmem_kb = -1;
    sm->hugepages_total = sm->hugepages_free = sm->hugepages_size_kb = -1;
    sm->pagecache_pages = sm->swapcache_pages = -1;
    sm->free_swap_kb = sm->total_swap_kb = -1;
    sm->ram_pages = sm->highmem_pages = sm->reserved_pages = -1;
    sm->cma_reserved_pages = -1;
}

/* ---- small scanners over [p, end) ---- */

static const char *skip_sp(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* Unsigned decimal; returns the end or NULL if no digit. Saturates. */
static const char *scan_u64(const char *p, const char *end, int64_t *out)
{
    int64_t v = 0;
    const char *s = p;
    while (p < end && *p >= '0' && *p <= '9') {
        if (v < (INT64_MAX - 9) / 10)
            v = v * 10 + (*p - '0');
        p++;
    }
    if (p == s)
        return NULL;
    *out = v > MF_SM_VALUE_MAX ? MF_SM_VALUE_MAX : v;
    return p;
}

static const char *scan_i64(const char *p, const char *end, int64_t *out)
{
    bool neg = p < end && *p == '-';
    const char *q = scan_u64(p + neg, end, out);
    if (q && neg)
        *out = -*out;
    return q;
}

static bool has_prefix(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

static bool kb_suffix(const char *p, const char *end)
{
    return end - p >= 2 && (p[0] == 'k' || p[0] == 'K') && (p[1] == 'B' || p[1] == 'b');
}

/* "Node N " prefix: sets *node and returns the rest, else returns p with
 * *node = -1. */
static const char *node_prefix(const char *p, const char *end, int32_t *node)
{
    *node = -1;
    if (!has_prefix(p, end, "Node "))
        return p;
    int64_t n;
    const char *q = scan_u64(skip_sp(p + 5, end), end, &n);
    if (!q || q >= end || *q != ' ' || n > 4096)
        return p;
    *node = (int32_t)n;
    return q + 1;
}

/* A zone name: letters and digits, 1..15 bytes. Returns its end or NULL. */
static const char *zone_name(const char *p, const char *end)
{
    const char *s = p;
    if (p >= end || !((*p >= 'A' && *p <= 'Z')))
        return NULL;
    while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                       (*p >= '0' && *p <= '9') || *p == '_'))
        p++;
    if (p - s > 15)
        return NULL;
    return p;
}

static mf_sm_zone *zone_get(mf_showmem *sm, int32_t node, const char *name,
                            size_t len)
{
    for (int i = 0; i < sm->nzones; i++) {
        mf_sm_zone *z = &sm->zones[i];
        if (z->node == node && strlen(z->name) == len && memcmp(z->name, name, len) == 0)
            return z;
    }
    if (sm->nzones >= MF_SM_MAX_ZONES)
        return NULL;
    mf_sm_zone *z = &sm->zones[sm->nzones++];
    memset(z, 0, sizeof *z);
    z->node = node;
    memcpy(z->name, name, len);
    z->name[len] = 0;
    z->free_kb = z->boost_kb = z->min_kb = z->low_kb = z->high_kb = -1;
    z->present_kb = z->managed_kb = -1;
    z->kernel_stack_kb = z->pagetables_kb = -1;
    z->buddy_total_kb = -1;
    return z;
}

const mf_sm_zone *mf_showmem_zone(const mf_showmem *sm, int32_t node,
                                  const char *name)
{
    for (int i = 0; i < sm->nzones; i++)
        if (sm->zones[i].node == node && strcmp(sm->zones[i].name, name) == 0)
            return &sm->zones[i];
    return NULL;
}

/* Iterate `key:value` tokens. Calls fn(key, klen, value, has_kb). */
typedef void (*kv_fn)(void *ctx, const char *key, size_t klen, int64_t v,
                      bool kb);

static int each_kv(const char *p, const char *end, kv_fn fn, void *ctx)
{
    int n = 0;
    while (p < end) {
        p = skip_sp(p, end);
        const char *k = p;
        while (p < end && *p != ':' && *p != ' ')
            p++;
        if (p < end && *p == ':' && p > k) {
            size_t klen = (size_t)(p - k);
            int64_t v;
            const char *q = scan_i64(p + 1, end, &v);
            if (q) {
                bool kb = kb_suffix(q, end);
                fn(ctx, k, klen, v, kb);
                n++;
                p = q;
            }
        }
        while (p < end && *p != ' ')
            p++;
    }
    return n;
}

static bool key_is(const char *k, size_t klen, const char *lit)
{
    return strlen(lit) == klen && memcmp(k, lit, klen) == 0;
}

static void global_kv(void *ctx, const char *k, size_t klen, int64_t v, bool kb)
{
    mf_showmem *sm = ctx;
    if (kb)
        return;
    for (int i = 0; i < MF_SM_NCOUNTERS; i++)
        if (key_is(k, klen, counter_names[i])) {
            sm->counters[i] = v;
            return;
        }
}

static void zone_kv(void *ctx, const char *k, size_t klen, int64_t v, bool kb)
{
    mf_sm_zone *z = ctx;
    if (!kb)
        return;
    if (key_is(k, klen, "free")) z->free_kb = v;
    else if (key_is(k, klen, "boost")) z->boost_kb = v;
    else if (key_is(k, klen, "min")) z->min_kb = v;
    else if (key_is(k, klen, "low")) z->low_kb = v;
    else if (key_is(k, klen, "high")) z->high_kb = v;
    else if (key_is(k, klen, "present")) z->present_kb = v;
    else if (key_is(k, klen, "managed")) z->managed_kb = v;
    else if (key_is(k, klen, "kernel_stack")) z->kernel_stack_kb = v;
    else if (key_is(k, klen, "pagetables")) z->pagetables_kb = v;
}

/* Saturating sum over node lines (a hostile log may repeat them). */
static void add_to(int64_t *dst, int64_t v)
{
    int64_t sum = (*dst < 0 ? 0 : *dst) + v;
    *dst = sum > MF_SM_VALUE_MAX ? MF_SM_VALUE_MAX : sum;
}

static void node_kv(void *ctx, const char *k, size_t klen, int64_t v, bool kb)
{
    mf_showmem *sm = ctx;
    if (!kb)
        return;
    if (key_is(k, klen, "kernel_stack")) add_to(&sm->node_kernel_stack_kb, v);
    else if (key_is(k, klen, "pagetables")) add_to(&sm->node_pagetables_kb, v);
    else if (key_is(k, klen, "shmem")) add_to(&sm->node_shmem_kb, v);
}

/* Parse `N*SkB (letters)` terms and the `= NkB` end into z, continuing
 * from z->norders orders whose last block size was *prev kB. Returns the
 * number of terms read; sets *ended at `=`. */
static int buddy_terms(const char *p, const char *end, mf_sm_zone *z,
                       int64_t *prev, bool *ended)
{
    int n = 0;
    *ended = false;
    while (p < end) {
        p = skip_sp(p, end);
        if (p >= end)
            break;
        if (*p == '(') { /* migrate types: (UME) */
            while (p < end && *p != ')')
                p++;
            if (p < end)
                p++;
            continue;
        }
        if (*p == '=') {
            int64_t t;
            const char *q = scan_u64(skip_sp(p + 1, end), end, &t);
            if (q && kb_suffix(q, end))
                z->buddy_total_kb = t;
            *ended = true;
            break;
        }
        int64_t count, size;
        const char *q = scan_u64(p, end, &count);
        if (!q || q >= end || *q != '*')
            break;
        q = scan_u64(q + 1, end, &size);
        if (!q || !kb_suffix(q, end) || size <= 0)
            break;
        /* Each order doubles the block size: a gap means a cut line. */
        if (z->norders > 0 && size != *prev * 2)
            break;
        if (z->norders < MF_SM_MAX_ORDER)
            z->blocks[z->norders++] = count;
        n++;
        *prev = size;
        p = q + 2;
    }
    return n;
}

bool mf_showmem_parse_buddy(const char *msg, size_t len, mf_sm_zone *out,
                            uint32_t *page_kb)
{
    const char *p = msg, *end = msg + len;
    p = skip_sp(p, end);
    int32_t node;
    p = node_prefix(p, end, &node);
    const char *ne = zone_name(p, end);
    if (!ne || end - ne < 3 || ne[0] != ':' || ne[1] != ' ')
        return false;
    memset(out, 0, sizeof *out);
    out->node = node;
    memcpy(out->name, p, (size_t)(ne - p));
    out->buddy_total_kb = -1;
    int64_t prev = 0;
    bool ended;
    int n = buddy_terms(ne + 2, end, out, &prev, &ended);
    if (n == 0)
        return false;
    out->has_buddy = true;
    if (page_kb) {
        int64_t first = n < 63 ? prev >> (n - 1) : 0;
        *page_kb = first > 0 && first <= UINT32_MAX ? (uint32_t)first : 0;
    }
    return true;
}

/* `*SkB` at star: a buddy term. */
static bool kb_suffix_after(const char *star, const char *end)
{
    int64_t size;
    const char *q = scan_u64(star + 1, end, &size);
    return q && kb_suffix(q, end);
}

/* `N word...`: a number then a literal. */
static bool num_then(const char *p, const char *end, const char *lit,
                     int64_t *v)
{
    const char *q = scan_u64(skip_sp(p, end), end, v);
    return q && has_prefix(q, end, lit);
}

bool mf_showmem_line(mf_showmem *sm, const char *msg, size_t len)
{
    const char *end = msg + len;
    while (end > msg && (end[-1] == ' ' || end[-1] == '\r'))
        end--;
    const char *p = skip_sp(msg, end);
    if (p >= end)
        return false;
    int64_t v;
    if (has_prefix(p, end, "Mem-Info:")) {
        sm->seen = sm->mem_info = true;
        return true;
    }
    if (has_prefix(p, end, "lowmem_reserve[]:")) {
        if (sm->last_zone < 0)
            return false;
        mf_sm_zone *z = &sm->zones[sm->last_zone];
        const char *q = p + 17;
        z->nreserve = 0;
        while (q < end && z->nreserve < MF_SM_MAX_RESERVE) {
            q = skip_sp(q, end);
            const char *r = scan_i64(q, end, &v);
            if (!r)
                break;
            z->lowmem_reserve[z->nreserve++] = v;
            q = r;
        }
        return true;
    }
    /* the rest of a buddy line broken by another CPU's message */
    if (sm->open_buddy >= 0 && ((*p >= '0' && *p <= '9') || *p == '(' || *p == '=')) {
        mf_sm_zone *z = &sm->zones[sm->open_buddy];
        const char *star = memchr(p, '*', (size_t)(end - p));
        if (*p == '=' || *p == '(' || (star && kb_suffix_after(star, end))) {
            int64_t prev = z->norders > 0 && sm->page_kb ? (int64_t)sm->page_kb << (z->norders - 1) : 0;
            bool ended;
            if (prev > 0 && (buddy_terms(p, end, z, &prev, &ended) > 0 || ended)) {
                if (ended)
                    sm->open_buddy = -1;
                return true;
            }
        }
    }
    /* ≤3.10 per-cpu pagesets */
    if (has_prefix(p, end, "CPU ") && mf_memmem(p, (size_t)(end - p), " hi:", 4))
        return sm->seen;
    if (mf_memmem(p, (size_t)(end - p), " per-cpu:", 9) && end[-1] == ':')
        return sm->seen;
    switch (*p) {
    case 'F':
        if (has_prefix(p, end, "Free swap") && (p = memchr(p, '=', (size_t)(end - p)))) {
            if (scan_u64(skip_sp(p + 1, end), end, &v)) {
                sm->free_swap_kb = v;
                return sm->seen = true;
            }
        }
        return false;
    case 'T':
        if (has_prefix(p, end, "Total swap") && (p = memchr(p, '=', (size_t)(end - p)))) {
            if (scan_u64(skip_sp(p + 1, end), end, &v)) {
                sm->total_swap_kb = v;
                return sm->seen = true;
            }
        }
        return false;
    case 'S':
        if (has_prefix(p, end, "Swap cache stats:"))
            return sm->seen = true;
        break;
    default:
        break;
    }
    if (*p >= '0' && *p <= '9') {
        if (num_then(p, end, " total pagecache pages", &v))
            sm->pagecache_pages = v;
        else if (num_then(p, end, " pages in swap cache", &v))
            sm->swapcache_pages = v;
        else if (num_then(p, end, " pages RAM", &v))
            sm->ram_pages = v;
        else if (num_then(p, end, " pages HighMem", &v))
            sm->highmem_pages = v;
        else if (num_then(p, end, " pages reserved", &v))
            sm->reserved_pages = v;
        else if (num_then(p, end, " pages cma reserved", &v))
            sm->cma_reserved_pages = v;
        else if (num_then(p, end, " pages hwpoisoned", &v) ||
                 num_then(p, end, " pages shared", &v) ||
                 num_then(p, end, " pages non-shared", &v))
            ;
        else
            return false;
        return sm->seen = true;
    }
    int32_t node;
    const char *q = node_prefix(p, end, &node);
    if (node >= 0 && has_prefix(q, end, "hugepages_total=")) {
        const char *h = q;
        int64_t t = -1, f = -1, s = -1;
        while (h < end) {
            h = skip_sp(h, end);
            if (has_prefix(h, end, "hugepages_total="))
                scan_u64(h + 16, end, &t);
            else if (has_prefix(h, end, "hugepages_free="))
                scan_u64(h + 15, end, &f);
            else if (has_prefix(h, end, "hugepages_size="))
                scan_u64(h + 15, end, &s);
            while (h < end && *h != ' ')
                h++;
        }
        if (t >= 0) add_to(&sm->hugepages_total, t);
        if (f >= 0) add_to(&sm->hugepages_free, f);
        if (s >= 0) sm->hugepages_size_kb = s;
        return sm->seen = true;
    }
    /* Node line (4.8+): "Node 0 active_anon:123kB ..." */
    if (node >= 0 && has_prefix(q, end, "active_anon:")) {
        each_kv(q, end, node_kv, sm);
        return sm->seen = true;
    }
    /* Global counters: key:value in pages, possibly wrapped. */
    if (node < 0) {
        const char *c = memchr(p, ':', (size_t)(end - p));
        if (c) {
            size_t klen = (size_t)(c - p);
            for (int i = 0; i < MF_SM_NCOUNTERS; i++) {
                if (key_is(p, klen, counter_names[i])) {
                    /* `free:` alone is ambiguous with nothing; a kB value
                     * means a zone-style line without a zone name. */
                    if (each_kv(p, end, global_kv, sm) > 0)
                        return sm->seen = true;
                    return false;
                }
            }
        }
    }
    const char *ze = zone_name(q, end);
    if (!ze)
        return false;
    if (has_prefix(ze, end, " free:") && mf_memmem(ze, (size_t)(end - ze), " min:", 5)) {
        mf_sm_zone *z = zone_get(sm, node, q, (size_t)(ze - q));
        if (!z)
            return true;
        z->has_line = true;
        each_kv(ze, end, zone_kv, z);
        sm->last_zone = (int)(z - sm->zones);
        return sm->seen = true;
    }
    if (has_prefix(ze, end, ": ")) {
        mf_sm_zone b;
        uint32_t pkb = 0;
        if (!mf_showmem_parse_buddy(p, (size_t)(end - p), &b, &pkb))
            return false;
        mf_sm_zone *z = zone_get(sm, b.node, b.name, strlen(b.name));
        if (z) {
            z->has_buddy = true;
            z->norders = b.norders;
            memcpy(z->blocks, b.blocks, sizeof z->blocks);
            z->buddy_total_kb = b.buddy_total_kb;
            sm->open_buddy = b.buddy_total_kb < 0 ? (int)(z - sm->zones) : -1;
        }
        if (!sm->page_kb && pkb)
            sm->page_kb = pkb;
        return sm->seen = true;
    }
    return false;
}
