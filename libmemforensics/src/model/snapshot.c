#include "model/snapshot.h"

#include <string.h>

#define SNAP_KINDS(X)                                                         \
    X("slabinfo") X("slab-sysfs") X("buddyinfo") X("pagetypeinfo")            \
    X("meminfo") X("free") X("vmallocinfo") X("zoneinfo") X("vmstat")         \
    X("psi-memory") X("process-list") X("proc-status") X("tmpfs-du")          \
    X("tmpfs-df")
#define NAME(s) s,
#define ROWS(s) s " rows",
static const char *const kind_names[] = {SNAP_KINDS(NAME)};
static const char *const rows_names[] = {SNAP_KINDS(ROWS)};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == MF_SNAP_KINDS,
               "one name per snapshot kind");

const char *mf_snap_kind_name(unsigned kind)
{
    return kind < MF_SNAP_KINDS ? kind_names[kind] : "unknown";
}

const char *mf_snap_rows_name(unsigned kind)
{
    return kind < MF_SNAP_KINDS ? rows_names[kind] : "unknown rows";
}

static const char *const basis_names[] = {
    "capture", "capture-time", "file-name", "archive-mtime", "order", "none"};

const char *mf_time_basis_name(mf_time_basis b)
{
    return (unsigned)b < 6 ? basis_names[b] : "none";
}

void mf_snapstore_init(mf_snapstore *s, const mf_allocator *a)
{
    memset(s, 0, sizeof *s);
    mf_vec_init(&s->snaps, a, sizeof(mf_snap));
    mf_vec_init(&s->slab, a, sizeof(mf_slab_row));
    mf_vec_init(&s->zone, a, sizeof(mf_zone_row));
    mf_vec_init(&s->named, a, sizeof(mf_named_row));
    mf_vec_init(&s->links, a, sizeof(mf_slab_link));
    s->names.alloc = a;
    mf_vec_init(&s->names.strs, a, sizeof(char *));
}

void mf_snapstore_free(mf_snapstore *s)
{
    const mf_allocator *a = s->names.alloc;
    if (!a)
        return;
    for (size_t i = 0; i < s->snaps.len; i++)
        mf_free(a, ((mf_snap *)mf_vec_at(&s->snaps, i))->text);
    for (size_t i = 0; i < s->names.strs.len; i++)
        mf_free(a, *(char **)mf_vec_at(&s->names.strs, i));
    mf_free(a, s->names.slots);
    mf_vec_free(&s->names.strs);
    mf_vec_free(&s->snaps);
    mf_vec_free(&s->slab);
    mf_vec_free(&s->zone);
    mf_vec_free(&s->named);
    mf_vec_free(&s->links);
}

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

const char *mf_strtab_get(const mf_strtab *t, uint32_t id)
{
    char **p = mf_vec_at(&t->strs, id);
    return p ? *p : NULL;
}

uint32_t mf_strtab_find(const mf_strtab *t, const char *s, size_t len)
{
    if (!t->nslots)
        return UINT32_MAX;
    size_t i = hash_bytes(s, len) & (t->nslots - 1);
    while (t->slots[i]) {
        uint32_t id = t->slots[i] - 1;
        const char *c = mf_strtab_get(t, id);
        if (strncmp(c, s, len) == 0 && c[len] == '\0')
            return id;
        i = (i + 1) & (t->nslots - 1);
    }
    return UINT32_MAX;
}

static int grow(mf_strtab *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 256;
    uint32_t *slots = mf_calloc(t->alloc, n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t id = 0; id < t->strs.len; id++) {
        const char *c = mf_strtab_get(t, (uint32_t)id);
        size_t i = hash_bytes(c, strlen(c)) & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = (uint32_t)id + 1;
    }
    mf_free(t->alloc, t->slots);
    t->slots = slots;
    t->nslots = n;
    return 0;
}

uint32_t mf_strtab_intern(mf_strtab *t, const char *s, size_t len)
{
    uint32_t id = mf_strtab_find(t, s, len);
    if (id != UINT32_MAX)
        return id;
    if (t->full && *t->full)
        return MF_STRTAB_FULL;
    if (t->strs.len >= UINT32_MAX - 2)
        return UINT32_MAX;
    if ((t->strs.len + 1) * 2 > t->nslots && grow(t) < 0)
        return UINT32_MAX;
    char *c = mf_strndup(t->alloc, s, len);
    if (!c)
        return UINT32_MAX;
    char **slot = mf_vec_push(&t->strs);
    if (!slot) {
        mf_free(t->alloc, c);
        return UINT32_MAX;
    }
    *slot = c;
    id = (uint32_t)(t->strs.len - 1);
    size_t i = hash_bytes(s, len) & (t->nslots - 1);
    while (t->slots[i])
        i = (i + 1) & (t->nslots - 1);
    t->slots[i] = id + 1;
    return id;
}

/* ---- time ---- */


static bool digits(const char *s, size_t len, size_t at, size_t n, int *out)
{
    if (at + n > len)
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[at + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

static bool valid_ymdhms(int y, int mo, int d, int h, int mi, int se)
{
    return y >= 1990 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 &&
           h <= 23 && mi <= 59 && se <= 60;
}

static int64_t make_time(int y, int mo, int d, int h, int mi, int se)
{
    return mf_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
           h * 3600 + mi * 60 + se;
}

static int month_of(const char *s)
{
    static const char *const m[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; i++)
        if (memcmp(s, m[i], 3) == 0)
            return i + 1;
    return 0;
}

/* Parse `[+-]hh[:]mm` or Z at s[*i]; adjusts *off (seconds). */
static bool parse_offset(const char *s, size_t len, size_t *i, int *off)
{
    if (*i < len && s[*i] == 'Z') {
        (*i)++;
        *off = 0;
        return true;
    }
    if (*i >= len || (s[*i] != '+' && s[*i] != '-'))
        return false;
    int sign = s[*i] == '-' ? -1 : 1, hh, mm;
    size_t j = *i + 1;
    if (!digits(s, len, j, 2, &hh))
        return false;
    j += 2;
    if (j < len && s[j] == ':')
        j++;
    if (!digits(s, len, j, 2, &mm))
        return false;
    *i = j + 2;
    *off = sign * (hh * 3600 + mm * 60);
    return true;
}

/* ISO date-time at s[0]; *used set to bytes consumed. */
static bool parse_iso(const char *s, size_t len, int64_t *out, size_t *used)
{
    int y, mo, d, h, mi, se;
    if (!digits(s, len, 0, 4, &y) || len < 19 || s[4] != '-' ||
        !digits(s, len, 5, 2, &mo) || s[7] != '-' || !digits(s, len, 8, 2, &d) ||
        (s[10] != ' ' && s[10] != 'T' && s[10] != '_') ||
        !digits(s, len, 11, 2, &h) || s[13] != ':' ||
        !digits(s, len, 14, 2, &mi) || s[16] != ':' ||
        !digits(s, len, 17, 2, &se))
        return false;
    if (!valid_ymdhms(y, mo, d, h, mi, se))
        return false;
    size_t i = 19;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    int off = 0;
    size_t k = i;
    while (k < len && s[k] == ' ')
        k++;
    if (parse_offset(s, len, &k, &off))
        i = k;
    *out = make_time(y, mo, d, h, mi, se) - off;
    *used = i;
    return true;
}

/* `Www Mmm dd HH:MM:SS [ZONE] YYYY` */
static bool parse_date_cmd(const char *s, size_t len, int64_t *out, size_t *used)
{
    if (len < 24 || s[3] != ' ' || s[7] != ' ')
        return false;
    int mo = month_of(s + 4), d, h, mi, se, y;
    if (!mo)
        return false;
    size_t i = 8;
    if (s[i] == ' ')
        i++;
    if (!digits(s, len, i, 1, &d))
        return false;
    if (digits(s, len, i, 2, &d))
        i += 2;
    else
        i += 1;
    if (i >= len || s[i] != ' ')
        return false;
    i++;
    if (!digits(s, len, i, 2, &h) || i + 8 > len || s[i + 2] != ':' ||
        !digits(s, len, i + 3, 2, &mi) || s[i + 5] != ':' ||
        !digits(s, len, i + 6, 2, &se))
        return false;
    i += 8;
    int off = 0;
    /* optional zone words until the year */
    for (int words = 0; words < 2; words++) {
        while (i < len && s[i] == ' ')
            i++;
        if (digits(s, len, i, 4, &y) && (i + 4 == len || s[i + 4] == ' ' ||
                                          s[i + 4] == '\r'))
            break;
        size_t w = i;
        if (parse_offset(s, len, &w, &off)) {
            i = w;
            continue;
        }
        if ((len - i >= 3 && memcmp(s + i, "UTC", 3) == 0) ||
            (len - i >= 3 && memcmp(s + i, "GMT", 3) == 0))
            off = 0;
        while (i < len && s[i] != ' ')
            i++;
    }
    while (i < len && s[i] == ' ')
        i++;
    if (!digits(s, len, i, 4, &y) || !valid_ymdhms(y, mo, d, h, mi, se))
        return false;
    *out = make_time(y, mo, d, h, mi, se) - off;
    *used = i + 4;
    return true;
}

/* RFC 2822 (`date -R`): `Tue, 06 Aug 2019 15:35:12 +0800` */
static bool parse_rfc2822(const char *s, size_t len, int64_t *out, size_t *used)
{
    if (len < 25 || s[3] != ',' || s[4] != ' ')
        return false;
    int d, y, h, mi, se, mo;
    size_t i = 5;
    if (!digits(s, len, i, 2, &d))
        return false;
    i += 2;
    if (s[i] != ' ' || !(mo = month_of(s + i + 1)) || s[i + 4] != ' ')
        return false;
    i += 5;
    if (!digits(s, len, i, 4, &y) || s[i + 4] != ' ')
        return false;
    i += 5;
    if (!digits(s, len, i, 2, &h) || s[i + 2] != ':' ||
        !digits(s, len, i + 3, 2, &mi) || s[i + 5] != ':' ||
        !digits(s, len, i + 6, 2, &se) || !valid_ymdhms(y, mo, d, h, mi, se))
        return false;
    i += 8;
    int off = 0;
    size_t k = i;
    while (k < len && s[k] == ' ')
        k++;
    if (parse_offset(s, len, &k, &off))
        i = k;
    *out = make_time(y, mo, d, h, mi, se) - off;
    *used = i;
    return true;
}

/* `date` in a CJK locale: `2019年 08月 06日 星期二 15:35:12 CST` (zh_CN),
 * `2019年  8月  6日 火曜日 15:35:12 JST` (ja_JP). */
static bool parse_cjk_date(const char *s, size_t len, int64_t *out, size_t *used)
{
    static const char nian[] = "\xe5\xb9\xb4", yue[] = "\xe6\x9c\x88", ri[] = "\xe6\x97\xa5";
    int v[3];
    const char *marks[3] = {nian, yue, ri};
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
        while (i < len && s[i] == ' ')
            i++;
        int n = 0, nd = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && nd < 4) {
            n = n * 10 + (s[i++] - '0');
            nd++;
        }
        if (!nd || len - i < 3 || memcmp(s + i, marks[k], 3) != 0)
            return false;
        v[k] = n;
        i += 3;
    }
    /* the weekday word, then HH:MM:SS */
    while (i < len && s[i] == ' ')
        i++;
    while (i < len && s[i] != ' ')
        i++;
    while (i < len && s[i] == ' ')
        i++;
    int h, mi, se;
    if (!digits(s, len, i, 2, &h) || i + 8 > len || s[i + 2] != ':' ||
        !digits(s, len, i + 3, 2, &mi) || s[i + 5] != ':' ||
        !digits(s, len, i + 6, 2, &se) || !valid_ymdhms(v[0], v[1], v[2], h, mi, se))
        return false;
    i += 8;
    while (i < len && s[i] == ' ')
        i++;
    while (i < len && s[i] != ' ') /* the zone name */
        i++;
    *out = make_time(v[0], v[1], v[2], h, mi, se);
    *used = i;
    return true;
}

static bool is_frame(char c)
{
    return c == '=' || c == '-' || c == '#' || c == '*' || c == ' ' ||
           c == '\t' || c == '[' || c == ']' || c == '>' || c == '<' ||
           c == '\r';
}

bool mf_parse_time_line(const char *s, size_t len, int64_t *out)
{
    size_t a = 0, b = len;
    while (a < b && is_frame(s[a]))
        a++;
    while (b > a && is_frame(s[b - 1]))
        b--;
    /* a label: date: / time: / timestamp: */
    static const char *const labels[] = {"date:", "time:", "timestamp:",
                                         "Date:", "Time:", "Timestamp:",
                                         "DATE:", "TIME:"};
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t n = strlen(labels[k]);
        if (b - a > n && memcmp(s + a, labels[k], n) == 0) {
            a += n;
            while (a < b && s[a] == ' ')
                a++;
            break;
        }
    }
    const char *p = s + a;
    size_t n = b - a;
    if (n == 0)
        return false;
    size_t used = 0;
    if (p[0] >= '0' && p[0] <= '9') {
        if (parse_iso(p, n, out, &used))
            return used == n;
        if (n > 4 && (unsigned char)p[4] == 0xe5 && parse_cjk_date(p, n, out, &used))
            return used == n;
        /* epoch: 9..10 digits, optional fraction */
        size_t i = 0;
        int64_t v = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9' && i < 11)
            v = v * 10 + (p[i++] - '0');
        if (i < 9 || i > 10)
            return false;
        if (i < n && p[i] == '.') {
            i++;
            while (i < n && p[i] >= '0' && p[i] <= '9')
                i++;
        }
        if (i != n || v < 631152000 || v > 4102444800LL) /* 1990..2100 */
            return false;
        *out = v;
        return true;
    }
    if (parse_date_cmd(p, n, out, &used))
        return used == n;
    if (parse_rfc2822(p, n, out, &used))
        return used == n;
    return false;
}

bool mf_parse_time_in_name(const char *path, int64_t *out)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '!' || *p == '#')
            base = p + 1;
    size_t len = strlen(base);
    for (size_t i = 0; i < len; i++) {
        if (base[i] < '0' || base[i] > '9' || (i > 0 && base[i - 1] >= '0' &&
                                               base[i - 1] <= '9'))
            continue;
        const char *s = base + i;
        size_t n = len - i;
        int y, mo, d, h, mi, se;
        /* YYYYMMDD[-_T.]HHMMSS */
        if (digits(s, n, 0, 4, &y) && digits(s, n, 4, 2, &mo) &&
            digits(s, n, 6, 2, &d)) {
            size_t j = 8;
            if (j < n && (s[j] == '-' || s[j] == '_' || s[j] == 'T' || s[j] == '.'))
                j++;
            if (digits(s, n, j, 2, &h) && digits(s, n, j + 2, 2, &mi) &&
                digits(s, n, j + 4, 2, &se) && valid_ymdhms(y, mo, d, h, mi, se)) {
                *out = make_time(y, mo, d, h, mi, se);
                return true;
            }
        }
        /* YYYY-MM-DD[_T-]HH[-:.]MM[-:.]SS */
        if (n >= 19 && digits(s, n, 0, 4, &y) && s[4] == '-' &&
            digits(s, n, 5, 2, &mo) && s[7] == '-' && digits(s, n, 8, 2, &d) &&
            (s[10] == '_' || s[10] == 'T' || s[10] == '-' || s[10] == ' ') &&
            digits(s, n, 11, 2, &h) && digits(s, n, 14, 2, &mi) &&
            digits(s, n, 17, 2, &se) && valid_ymdhms(y, mo, d, h, mi, se)) {
            *out = make_time(y, mo, d, h, mi, se);
            return true;
        }
        /* a 10-digit epoch */
        size_t k = 0;
        int64_t v = 0;
        while (k < n && s[k] >= '0' && s[k] <= '9' && k < 11)
            v = v * 10 + (s[k++] - '0');
        if (k == 10 && (k == n || s[k] < '0' || s[k] > '9') &&
            v >= 946684800 && v <= 4102444800LL) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* ---- derived findings (snapfind.h) ---- */
#include "model/snapfind.h"

mf_snapfind *mf_snapfind_new(const mf_allocator *a)
{
    mf_snapfind *f = mf_calloc(a, 1, sizeof *f);
    if (!f)
        return NULL;
    mf_vec_init(&f->caches, a, sizeof(mf_slab_find));
    mf_vec_init(&f->cands, a, sizeof(mf_merge_cand));
    mf_vec_init(&f->aliases, a, sizeof(mf_merge_cand));
    mf_vec_init(&f->zones, a, sizeof(mf_zone_find));
    mf_vec_init(&f->proc_growth, a, sizeof(mf_named_find));
    mf_vec_init(&f->mounts, a, sizeof(mf_named_find));
    mf_vec_init(&f->du_paths, a, sizeof(mf_named_find));
    mf_vec_init(&f->vm_kinds, a, sizeof(mf_named_find));
    mf_vec_init(&f->vm_callers, a, sizeof(mf_named_find));
    mf_vec_init(&f->vm_counters, a, sizeof(mf_named_find));
    mf_vec_init(&f->psi_values, a, sizeof(mf_named_find));
    return f;
}

static void series_free(const mf_allocator *a, mf_series *s)
{
    mf_free(a, s->snaps);
    mf_free(a, s->t);
}

void mf_snapfind_free(const mf_allocator *a, mf_snapfind *f)
{
    if (!f)
        return;
    series_free(a, &f->slab);
    series_free(a, &f->mem);
    series_free(a, &f->buddy);
    series_free(a, &f->procs);
    series_free(a, &f->df);
    series_free(a, &f->du);
    series_free(a, &f->vmalloc);
    series_free(a, &f->vmstat);
    series_free(a, &f->psi);
    mf_vec_free(&f->caches);
    mf_vec_free(&f->cands);
    mf_vec_free(&f->aliases);
    mf_vec_free(&f->zones);
    mf_vec_free(&f->proc_growth);
    mf_vec_free(&f->mounts);
    mf_vec_free(&f->du_paths);
    mf_vec_free(&f->vm_kinds);
    mf_vec_free(&f->vm_callers);
    mf_vec_free(&f->vm_counters);
    mf_vec_free(&f->psi_values);
    mf_free(a, f);
}

/* ---- uptime lines ---- */

static size_t skip_sp(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static bool read_uint(const char *s, size_t len, size_t *i, int64_t *v)
{
    size_t a = *i;
    int64_t x = 0;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9' && *i - a < 12)
        x = x * 10 + (s[(*i)++] - '0');
    *v = x;
    return *i > a;
}

bool mf_parse_uptime_line(const char *s, size_t len, int64_t *out)
{
    while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
        len--;
    size_t i = skip_sp(s, len, 0);
    int64_t a, b;
    /* /proc/uptime: two decimals */
    size_t j = i;
    if (read_uint(s, len, &j, &a) && j < len && s[j] == '.') {
        j++;
        read_uint(s, len, &j, &b);
        j = skip_sp(s, len, j);
        int64_t c, d;
        if (read_uint(s, len, &j, &c) && j < len && s[j] == '.') {
            j++;
            read_uint(s, len, &j, &d);
            if (j == len) {
                *out = a;
                return true;
            }
        }
        return false;
    }
    /* uptime: HH:MM:SS up ... */
    int h, m, sec;
    if (!digits(s, len, i, 2, &h) || i + 8 > len || s[i + 2] != ':' ||
        !digits(s, len, i + 3, 2, &m) || s[i + 5] != ':' ||
        !digits(s, len, i + 6, 2, &sec))
        return false;
    i = skip_sp(s, len, i + 8);
    if (len - i < 3 || memcmp(s + i, "up ", 3) != 0)
        return false;
    i = skip_sp(s, len, i + 3);
    int64_t total = 0, v;
    if (!read_uint(s, len, &i, &v))
        return false;
    i = skip_sp(s, len, i);
    if (len - i >= 3 && memcmp(s + i, "day", 3) == 0) {
        total = v * 86400;
        while (i < len && s[i] != ',')
            i++;
        i = skip_sp(s, len, i + 1);
        if (!read_uint(s, len, &i, &v))
            return false;
    }
    if (i < len && s[i] == ':') { /* H:MM */
        int64_t mm;
        i++;
        if (!read_uint(s, len, &i, &mm))
            return false;
        total += v * 3600 + mm * 60;
    } else {
        i = skip_sp(s, len, i);
        if (len - i >= 3 && memcmp(s + i, "min", 3) == 0)
            total += v * 60;
        else if (len - i >= 3 && memcmp(s + i, "sec", 3) == 0)
            total += v;
        else if (len - i >= 2 && memcmp(s + i, "hr", 2) == 0)
            total += v * 3600;
        else
            return false;
    }
    *out = total;
    return mf_memmem(s, len, "load average", 12) != NULL;
}
