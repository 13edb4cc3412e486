/* normalize.c - log-prefix normaliser and time model; see normalize.h.
 *
 * Every style has a parser that either recognises the prefix and fills a
 * mf_logmsg, or fails without side effects (on success the JSON parser notes
 * the _BOOT_ID and the short-monotonic parser learns the host).
 * A line is tried with the member's detected style first, then with every
 * other style in order of specificity, and finally passed on whole. The boot
 * model is applied afterwards, to the messages in order. Everything is plain
 * byte scanning (no regex, no allocation per line): the buffers used to strip
 * ANSI escapes, unfold rsyslog escapes and decode journal JSON are kept and
 * reused. */
#include "text/normalize.h"

#include <string.h>

#define DETECT_LINES 20
/* Monotonic reset: a drop of more than this many seconds ... */
#define MONO_RESET_DROP 1.0
/* ... to a small value (or to less than half of the previous one). */
#define MONO_RESET_SMALL 30.0
/* A kernel message later than this in a boot makes the next banner a new
 * boot (the ones before it belong to the boot's own start). */
#define BOOT_EARLY_S 1.0

typedef struct parsed {
    mf_logmsg m;
    int meta;    /* 0 message, 1 metadata line, 2 boot boundary */
    bool unfold; /* rsyslog may have escaped control characters as #ooo */
    bool export_field; /* a journal -o export field line (consumed) */
} parsed;

struct mf_normalizer {
    const mf_allocator *a;
    /* detection */
    unsigned votes[MF_STYLE_COUNT];
    unsigned nvotes;
    mf_log_style style;
    /* boot model */
    int32_t boot;
    bool any_msg;
    bool boot_has_mono;
    double last_mono;
    bool late;      /* the boot has kernel text past its start */
    bool boot_open; /* set by a boundary; the next message gets boot_start */
    char boot_id[40];
    size_t boot_id_len;
    /* host learned from journal short-monotonic lines */
    char host[64];
    size_t host_len;
    /* scratch */
    mf_buf clean;  /* line without ANSI escapes */
    mf_buf piece;  /* one unfolded #012 piece */
    mf_buf dec;    /* decoded JSON MESSAGE */
    /* journal -o export record */
    bool exp_have;     /* the record has a MESSAGE */
    bool exp_any;      /* the record has any field */
    mf_buf exp_msg;
    uint64_t exp_lineno;
    unsigned exp_line_flags;
    char exp_host[128];
    size_t exp_host_len;
    char exp_ident[128];
    size_t exp_ident_len;
    char exp_boot[40];
    size_t exp_boot_len;
    bool exp_kernel;
    int exp_level;
    int32_t exp_pid;
    bool exp_has_mono, exp_has_src_mono;
    uint64_t exp_mono, exp_src_mono;
    bool exp_has_real;
    uint64_t exp_real;
    size_t exp_bin_left; /* bytes of a binary MESSAGE still to collect */
    bool exp_bin;
};

/* ------------------------------------------------------------------------ */
/* small scanners                                                           */

static inline bool isdig(char c)
{
    return (unsigned char)(c - '0') < 10;
}

static inline bool islow(char c)
{
    return c >= 'a' && c <= 'z';
}

static const char MONTHS[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
static const char DAYS[] = "MonTueWedThuFriSatSun";

static int month3(const char *s)
{
    for (int i = 0; i < 12; i++)
        if (s[0] == MONTHS[3 * i] && s[1] == MONTHS[3 * i + 1] &&
            s[2] == MONTHS[3 * i + 2])
            return i + 1;
    return 0;
}

static bool day3(const char *s)
{
    for (int i = 0; i < 7; i++)
        if (s[0] == DAYS[3 * i] && s[1] == DAYS[3 * i + 1] &&
            s[2] == DAYS[3 * i + 2])
            return true;
    return false;
}

/* Exactly n digits. */
static bool fixnum(const char *p, const char *e, int n, int *out)
{
    if (e - p < n)
        return false;
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdig(p[i]))
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

/* 1..maxd digits into a uint64. */
static const char *digits(const char *p, const char *e, int maxd, uint64_t *out)
{
    uint64_t v = 0;
    const char *s = p;
    while (p < e && isdig(*p) && p - s < maxd)
        v = v * 10 + (uint64_t)(*p++ - '0');
    *out = v;
    if (p == s)
        return NULL;
    return p;
}

/* "HH:MM:SS" */
static const char *hms(const char *p, const char *e, mf_logtime *t)
{
    int h, m, s;
    if (e - p < 8 || p[2] != ':' || p[5] != ':' || !fixnum(p, e, 2, &h) ||
        !fixnum(p + 3, e, 2, &m) || !fixnum(p + 6, e, 2, &s) || h > 23 ||
        m > 59 || s > 60)
        return NULL;
    t->hour = (int8_t)h;
    t->min = (int8_t)m;
    t->sec = (int8_t)s;
    return p + 8;
}

/* Optional ".ffffff" (1..9 digits). */
static const char *frac(const char *p, const char *e, mf_logtime *t)
{
    if (p < e && *p == '.' && p + 1 < e && isdig(p[1])) {
        p++;
        int n = 0;
        int32_t us = 0;
        while (p < e && isdig(*p)) {
            if (n < 6)
                us = us * 10 + (*p - '0');
            n++;
            p++;
        }
        for (int i = n; i < 6; i++)
            us *= 10;
        t->usec = us;
        t->frac_digits = (int8_t)(n > 6 ? 6 : n);
        t->wall_flags |= MF_WALL_HAS_FRAC;
    }
    return p;
}

static const double POW10[] = {1,   1e1, 1e2, 1e3, 1e4,
                                1e5, 1e6, 1e7, 1e8, 1e9};

/* "[ 1234.567890]" at p; returns the end or NULL. */
static const char *mono_bracket(const char *p, const char *e, double *out)
{
    if (p >= e || *p != '[')
        return NULL;
    p++;
    while (p < e && *p == ' ')
        p++;
    uint64_t ip, fp;
    const char *q = digits(p, e, 12, &ip);
    if (!q || q >= e || *q != '.')
        return NULL;
    const char *f = q + 1;
    q = digits(f, e, 9, &fp);
    if (!q || q >= e || *q != ']')
        return NULL;
    *out = (double)ip + (double)fp / POW10[q - f];
    return q + 1;
}

/* "[ T1234]" / "[C1]" at p. */
static const char *caller_bracket(const char *p, const char *e, mf_logmsg *m)
{
    if (p >= e || *p != '[')
        return NULL;
    p++;
    while (p < e && *p == ' ')
        p++;
    if (p >= e || (*p != 'T' && *p != 'C'))
        return NULL;
    char k = *p++;
    uint64_t id;
    const char *q = digits(p, e, 10, &id);
    if (!q || q >= e || *q != ']' || id > UINT32_MAX)
        return NULL;
    m->caller_kind = k;
    m->caller_id = (uint32_t)id;
    return q + 1;
}

/* "<N>" at p. */
static const char *level_angle(const char *p, const char *e, int *level)
{
    uint64_t v;
    if (p >= e || *p != '<')
        return NULL;
    const char *q = digits(p + 1, e, 4, &v);
    if (!q || q >= e || *q != '>' || v > 1023)
        return NULL;
    *level = (int)(v & 7);
    return q + 1;
}

/* The kernel's own prefix: `<N>`? `[time]` (`[caller]`)? and one space.
 * Without `need_time`, `<N>` alone is enough. Returns the message start or
 * NULL; fills m only on success. */
static const char *kernel_prefix(const char *p, const char *e, mf_logmsg *m,
                                 bool need_time)
{
    int level = -1;
    const char *q = level_angle(p, e, &level);
    if (q)
        p = q;
    double mono;
    const char *r = mono_bracket(p, e, &mono);
    if (!r) {
        if (need_time || !q)
            return NULL;
        m->level = level;
        return p;
    }
    p = r;
    mf_logmsg tmp = *m;
    const char *c = caller_bracket(p, e, &tmp);
    if (!c && p < e && *p == ' ')
        c = caller_bracket(p + 1, e, &tmp);
    if (c) {
        m->caller_kind = tmp.caller_kind;
        m->caller_id = tmp.caller_id;
        p = c;
    }
    if (p < e && *p == ' ')
        p++;
    if (level >= 0)
        m->level = level;
    m->time.has_mono = true;
    m->time.mono_s = mono;
    return p;
}

/* `ident[pid]: ` or `ident: ` at p. */
static const char *ident_pid(const char *p, const char *e, mf_logmsg *m)
{
    const char *s = p;
    while (p < e && *p != ' ' && *p != ':' && *p != '[')
        p++;
    if (p == s || p >= e)
        return NULL;
    size_t il = (size_t)(p - s);
    int32_t pid = -1;
    if (*p == '[') {
        uint64_t v;
        const char *q = digits(p + 1, e, 10, &v);
        if (!q || q >= e || *q != ']')
            return NULL;
        pid = v > INT32_MAX ? -1 : (int32_t)v;
        p = q + 1;
    }
    if (p >= e || *p != ':' || (p + 1 < e && p[1] != ' '))
        return NULL;
    p++;
    if (p < e)
        p++;
    m->ident = s;
    m->ident_len = il;
    m->pid = pid;
    m->from_kernel = il == 6 && memcmp(s, "kernel", 6) == 0;
    return p;
}

static int level_name(const char *s, size_t n)
{
    static const struct {
        const char *name;
        int level;
    } names[] = {{"emerg", 0},  {"panic", 0}, {"alert", 1},   {"crit", 2},
                 {"err", 3},    {"error", 3}, {"warn", 4},    {"warning", 4},
                 {"notice", 5}, {"info", 6},  {"debug", 7}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0)
            return names[i].level;
    return -1;
}

/* "kern.warn " at p: facility.level, lowercase. */
static const char *facility_tok(const char *p, const char *e, mf_logmsg *m)
{
    const char *s = p;
    while (p < e && islow(*p))
        p++;
    if (p == s || p >= e || *p != '.')
        return NULL;
    const char *l = ++p;
    while (p < e && islow(*p))
        p++;
    if (p == l || p >= e || *p != ' ')
        return NULL;
    int lv = level_name(l, (size_t)(p - l));
    if (lv < 0)
        return NULL;
    m->facility = s;
    m->facility_len = (size_t)(p - s);
    m->level = lv;
    return p + 1;
}

/* After the stamp of syslog-like lines: host, optional BusyBox facility,
 * ident, then for the kernel its own prefix. */
static bool syslog_tail(const char *p, const char *e, mf_logmsg *m,
                        bool with_host)
{
    if (with_host) {
        const char *h = p;
        while (p < e && *p != ' ')
            p++;
        if (p == h)
            return false;
        /* No host: "Aug  6 15:35:12 kernel: msg" */
        if (p[-1] == ':') {
            p = h;
        } else {
            m->host = h;
            m->host_len = (size_t)(p - h);
            if (p < e)
                p++;
        }
    }
    const char *f = facility_tok(p, e, m);
    if (f)
        p = f;
    const char *q = ident_pid(p, e, m);
    if (q) {
        p = q;
        if (m->from_kernel) {
            const char *k = kernel_prefix(p, e, m, true);
            if (k)
                p = k;
        }
    }
    m->msg = p;
    m->len = (size_t)(e - p);
    return true;
}

/* ------------------------------------------------------------------------ */
/* the styles                                                               */

/* Serial captures: a prompt the kernel's output was glued to, as in
 * "OpenWrt login: [  123.456789] msg" or "Password: [ 1.2] msg". Returns
 * the '[' of the timestamp after such a prompt (": ", "# ", "$ ", "> ") in
 * the first 128 bytes, or NULL. */
static const char *prompt_glue(const char *s, const char *e)
{
    const char *end = e - s > 128 ? s + 128 : e;
    for (const char *p = s + 2; p < end;) {
        const char *b = memchr(p, '[', (size_t)(end - p));
        if (!b)
            return NULL;
        if (b[-1] == ' ' && (b[-2] == ':' || b[-2] == '#' || b[-2] == '$' ||
                             b[-2] == '>'))
            return b;
        p = b + 1;
    }
    return NULL;
}

static bool p_dmesg(mf_normalizer *nz, const char *s, const char *e,
                    parsed *r)
{
    (void)nz;
    mf_logmsg *m = &r->m;
    const char *p = kernel_prefix(s, e, m, false);
    if (!p)
        return false;
    m->style = MF_STYLE_DMESG;
    m->from_kernel = true;
    m->msg = p;
    m->len = (size_t)(e - p);
    return true;
}

/* Last resort (it would misread other styles): a console prompt glued
 * before a dmesg line. Read as MF_STYLE_DMESG. */
static bool p_prompt_glue(mf_normalizer *nz, const char *s, const char *e,
                          parsed *r)
{
    if (s >= e || *s == '[' || *s == '<')
        return false;
    const char *g = prompt_glue(s, e);
    if (!g || !kernel_prefix(g, e, &r->m, true))
        return false;
    return p_dmesg(nz, g, e, r);
}

/* "Aug  6" / "Aug 06" */
static const char *mon_day(const char *p, const char *e, mf_logtime *t)
{
    if (e - p < 6 || p[3] != ' ')
        return NULL;
    int mon = month3(p);
    if (!mon)
        return NULL;
    p += 4;
    if (*p == ' ')
        p++;
    uint64_t d;
    const char *q = digits(p, e, 2, &d);
    if (!q || d < 1 || d > 31 || q >= e || *q != ' ')
        return NULL;
    t->mon = (int8_t)mon;
    t->mday = (int8_t)d;
    return q + 1;
}

/* "Tue Aug  6 15:35:12 2019" */
static const char *ctime_stamp(const char *p, const char *e, mf_logtime *t)
{
    if (e - p < 24 || !day3(p) || p[3] != ' ')
        return NULL;
    p = mon_day(p + 4, e, t);
    if (!p || !(p = hms(p, e, t)))
        return NULL;
    p = frac(p, e, t);
    int y;
    if (p >= e || *p != ' ' || !fixnum(p + 1, e, 4, &y))
        return NULL;
    t->year = (int16_t)y;
    t->wall_flags |= MF_WALL_VALID;
    return p + 5;
}

static bool p_dmesg_t(mf_normalizer *nz, const char *s, const char *e,
                      parsed *r)
{
    (void)nz;
    mf_logmsg *m = &r->m;
    const char *p = s;
    int level = -1;
    const char *q = level_angle(p, e, &level);
    if (q)
        p = q;
    if (p >= e || *p != '[')
        return false;
    p = ctime_stamp(p + 1, e, &m->time);
    if (!p || p >= e || *p != ']')
        return false;
    p++;
    const char *c = caller_bracket(p, e, m);
    if (!c && p < e && *p == ' ')
        c = caller_bracket(p + 1, e, m);
    if (c)
        p = c;
    if (p < e && *p == ' ')
        p++;
    m->level = level;
    m->style = MF_STYLE_DMESG_T;
    m->from_kernel = true;
    m->msg = p;
    m->len = (size_t)(e - p);
    return true;
}

static bool p_syslog(mf_normalizer *nz, const char *s, const char *e,
                     parsed *r)
{
    (void)nz;
    mf_logmsg *m = &r->m;
    const char *p = s;
    int level = -1;
    const char *q = level_angle(p, e, &level); /* raw RFC 3164 <PRI> */
    if (q)
        p = q;
    p = mon_day(p, e, &m->time);
    if (!p || !(p = hms(p, e, &m->time)))
        return false;
    p = frac(p, e, &m->time);
    if (p >= e || *p != ' ')
        return false;
    m->time.wall_flags |= MF_WALL_VALID | MF_WALL_NO_YEAR;
    m->level = level;
    if (!syslog_tail(p + 1, e, m, true))
        return false;
    m->style = MF_STYLE_SYSLOG;
    r->unfold = true;
    return true;
}

static bool p_syslog_iso(mf_normalizer *nz, const char *s, const char *e,
                         parsed *r)
{
    (void)nz;
    mf_logmsg *m = &r->m;
    mf_logtime *t = &m->time;
    const char *p = s;
    int y, mo, d;
    if (e - p < 20 || p[4] != '-' || p[7] != '-' ||
        (p[10] != 'T' && p[10] != ' ') || !fixnum(p, e, 4, &y) ||
        !fixnum(p + 5, e, 2, &mo) || !fixnum(p + 8, e, 2, &d) || mo < 1 ||
        mo > 12 || d < 1 || d > 31)
        return false;
    if (!(p = hms(p + 11, e, t)))
        return false;
    p = frac(p, e, t);
    if (p < e && *p == 'Z') {
        t->wall_flags |= MF_WALL_HAS_OFFSET;
        t->utc_offset_min = 0;
        p++;
    } else if (p < e && (*p == '+' || *p == '-')) {
        int oh, om;
        int sign = *p == '-' ? -1 : 1;
        if (!fixnum(p + 1, e, 2, &oh))
            return false;
        const char *q = p + 3;
        if (q < e && *q == ':')
            q++;
        if (!fixnum(q, e, 2, &om) || oh > 23 || om > 59)
            return false;
        t->wall_flags |= MF_WALL_HAS_OFFSET;
        t->utc_offset_min = (int16_t)(sign * (oh * 60 + om));
        p = q + 2;
    }
    if (p >= e || *p != ' ')
        return false;
    t->year = (int16_t)y;
    t->mon = (int8_t)mo;
    t->mday = (int8_t)d;
    t->wall_flags |= MF_WALL_VALID;
    if (!syslog_tail(p + 1, e, m, true))
        return false;
    m->style = MF_STYLE_SYSLOG_ISO;
    r->unfold = true;
    return true;
}

static bool p_logread(mf_normalizer *nz, const char *s, const char *e,
                      parsed *r)
{
    (void)nz;
    mf_logmsg *m = &r->m;
    const char *p = ctime_stamp(s, e, &m->time);
    if (!p || p >= e || *p != ' ')
        return false;
    p = facility_tok(p + 1, e, m);
    if (!p)
        return false;
    if (!syslog_tail(p, e, m, false))
        return false;
    m->style = MF_STYLE_LOGREAD;
    r->unfold = true;
    return true;
}

/* The ident of a journal short-monotonic line must look like one: the
 * kernel, a name with a pid, or any name after the member's host. */
static bool p_journal_mono(mf_normalizer *nz, const char *s, const char *e,
                           parsed *r)
{
    mf_logmsg *m = &r->m;
    double mono;
    const char *p = mono_bracket(s, e, &mono);
    if (!p || p >= e || *p != ' ')
        return false;
    p++;
    const char *h = p;
    while (p < e && *p != ' ' && *p != ':' && *p != '[')
        p++;
    if (p == h || p >= e || *p != ' ')
        return false;
    size_t hl = (size_t)(p - h);
    const char *q = ident_pid(p + 1, e, m);
    if (!q)
        return false;
    bool known = nz->host_len == hl && memcmp(nz->host, h, hl) == 0;
    if (!m->from_kernel && m->pid < 0 && !known)
        return false;
    if (!known && hl < sizeof nz->host && nz->host_len == 0) {
        memcpy(nz->host, h, hl);
        nz->host_len = hl;
    }
    m->host = h;
    m->host_len = hl;
    m->time.has_mono = true;
    m->time.mono_s = mono;
    m->style = MF_STYLE_JOURNAL_SHORT_MONO;
    m->msg = q;
    m->len = (size_t)(e - q);
    return true;
}

static int64_t android_uid(const char *s, size_t n)
{
    static const struct {
        const char *name;
        int64_t uid;
    } names[] = {{"root", 0},         {"system", 1000},  {"radio", 1001},
                 {"bluetooth", 1002}, {"graphics", 1003}, {"wifi", 1010},
                 {"media", 1013},     {"logd", 1036},     {"audioserver", 1041},
                 {"cameraserver", 1047}, {"shell", 2000}, {"nobody", 9999}};
    uint64_t v = 0;
    const char *e = s + n;
    const char *q = digits(s, e, 10, &v);
    if (q == e)
        return (int64_t)v;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0)
            return names[i].uid;
    /* u<user>_a<app> = user * 100000 + 10000 + app; _i: isolated */
    uint64_t user, app;
    if (n > 3 && s[0] == 'u' && (q = digits(s + 1, e, 5, &user)) &&
        q + 2 < e && q[0] == '_' && (q[1] == 'a' || q[1] == 'i')) {
        char k = q[1];
        const char *z = digits(q + 2, e, 6, &app);
        if (z == e)
            return (int64_t)(user * 100000 + (k == 'a' ? 10000 : 90000) + app);
    }
    return -1;
}

static bool p_logcat(mf_normalizer *nz, const char *s, const char *e,
                     parsed *r)
{
    (void)nz;
    mf_logmsg *m = &r->m;
    mf_logtime *t = &m->time;
    const char *p = s;
    int mo, d;
    if (e - p < 24 || p[2] != '-' || p[5] != ' ' || !fixnum(p, e, 2, &mo) ||
        !fixnum(p + 3, e, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    if (!(p = hms(p + 6, e, t)) || p >= e || *p != '.')
        return false;
    p = frac(p, e, t);
    /* up to three fields (uid? pid tid) then the one-letter level */
    const char *tok[3];
    size_t tl[3];
    int nt = 0;
    char lv = 0;
    for (;;) {
        if (p >= e || *p != ' ')
            return false;
        while (p < e && *p == ' ')
            p++;
        const char *b = p;
        while (p < e && *p != ' ')
            p++;
        if (p == b)
            return false;
        if (p - b == 1 && nt >= 2 && *b && strchr("VDIWEFAS", *b)) {
            lv = *b;
            break;
        }
        if (nt == 3)
            return false;
        tok[nt] = b;
        tl[nt] = (size_t)(p - b);
        nt++;
    }
    uint64_t pid, tid;
    const char *ptok = tok[nt - 2], *ttok = tok[nt - 1];
    if (digits(ptok, e, 10, &pid) != ptok + tl[nt - 2] ||
        digits(ttok, e, 10, &tid) != ttok + tl[nt - 1])
        return false;
    int64_t uid = -1;
    if (nt == 3) {
        uid = android_uid(tok[0], tl[0]);
        if (uid < 0) {
            /* a name we do not know must still look like one */
            for (size_t i = 0; i < tl[0]; i++)
                if (!(islow(tok[0][i]) || isdig(tok[0][i]) ||
                      tok[0][i] == '_'))
                    return false;
        }
    }
    /* " tag: msg" (tag padded with spaces) */
    if (p >= e || *p != ' ')
        return false;
    p++;
    const char *tag = p;
    const char *c = NULL;
    for (const char *q = p; q < e; q++) {
        if (*q == ':' && (q + 1 == e || q[1] == ' ')) {
            c = q;
            break;
        }
    }
    if (!c)
        return false;
    const char *te = c;
    while (te > tag && te[-1] == ' ')
        te--;
    p = c + 1;
    if (p < e)
        p++;
    static const signed char lvmap[26] = {
        ['V' - 'A'] = 7, ['D' - 'A'] = 7, ['I' - 'A'] = 6, ['W' - 'A'] = 4,
        ['E' - 'A'] = 3, ['F' - 'A'] = 2, ['A' - 'A'] = 1, ['S' - 'A'] = 7};
    m->level = lvmap[lv - 'A'];
    m->pid = pid > INT32_MAX ? -1 : (int32_t)pid;
    m->tid = tid > INT32_MAX ? -1 : (int32_t)tid;
    m->uid = uid;
    m->ident = tag;
    m->ident_len = (size_t)(te - tag);
    m->from_kernel = (m->ident_len == 6 && memcmp(tag, "kernel", 6) == 0) ||
                     (pid == 0 && tid == 0);
    if (m->from_kernel) {
        const char *k = kernel_prefix(p, e, m, true);
        if (k)
            p = k;
    }
    t->mon = (int8_t)mo;
    t->mday = (int8_t)d;
    t->wall_flags |= MF_WALL_VALID | MF_WALL_NO_YEAR;
    m->style = MF_STYLE_LOGCAT;
    m->msg = p;
    m->len = (size_t)(e - p);
    return true;
}

/* ---- journal JSON ---- */

typedef struct jfield {
    const char *s; /* raw value (inside the quotes for strings) */
    size_t n;
    char kind; /* 0 absent, 's' string, 'a' array, 'n' other */
    bool esc;
} jfield;

enum { J_MESSAGE, J_TRANSPORT, J_MONO, J_SRC_MONO, J_REAL, J_HOST,
       J_PRIO, J_IDENT, J_PID, J_BOOT, J_COMM, J_COUNT };

static int jkey(const char *k, size_t n)
{
    static const char *const keys[J_COUNT] = {
        "MESSAGE", "_TRANSPORT", "__MONOTONIC_TIMESTAMP",
        "_SOURCE_MONOTONIC_TIMESTAMP", "__REALTIME_TIMESTAMP", "_HOSTNAME",
        "PRIORITY", "SYSLOG_IDENTIFIER", "_PID", "_BOOT_ID", "_COMM"};
    for (int i = 0; i < J_COUNT; i++)
        if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
            return i;
    return -1;
}

static const char *jws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* At the opening quote; returns after the closing one. */
static const char *jstring(const char *p, const char *e, jfield *f)
{
    p++;
    const char *s = p;
    bool esc = false;
    while (p < e && *p != '"') {
        if (*p == '\\') {
            esc = true;
            p++;
        }
        p++;
    }
    if (p >= e)
        return NULL;
    if (f) {
        f->s = s;
        f->n = (size_t)(p - s);
        f->kind = 's';
        f->esc = esc;
    }
    return p + 1;
}

static const char *jskip(const char *p, const char *e, jfield *f)
{
    const char *s = p;
    if (p < e && *p == '"')
        return jstring(p, e, f);
    if (p < e && (*p == '[' || *p == '{')) {
        int depth = 0;
        while (p < e) {
            if (*p == '"') {
                p = jstring(p, e, NULL);
                if (!p)
                    return NULL;
                continue;
            }
            if (*p == '[' || *p == '{')
                depth++;
            else if (*p == ']' || *p == '}') {
                if (--depth == 0) {
                    p++;
                    break;
                }
            }
            p++;
        }
        if (depth)
            return NULL;
        if (f) {
            f->s = s;
            f->n = (size_t)(p - s);
            f->kind = *s == '[' ? 'a' : 'n';
        }
        return p;
    }
    while (p < e && *p != ',' && *p != '}' && *p != ' ')
        p++;
    if (p == s)
        return NULL;
    if (f) {
        f->s = s;
        f->n = (size_t)(p - s);
        f->kind = 'n';
    }
    return p;
}

static bool json_fields(const char *p, const char *e, jfield *f)
{
    p = jws(p, e);
    if (p >= e || *p != '{')
        return false;
    p++;
    for (;;) {
        p = jws(p, e);
        if (p < e && *p == '}')
            return true;
        if (p >= e || *p != '"')
            return false;
        jfield k;
        p = jstring(p, e, &k);
        if (!p)
            return false;
        p = jws(p, e);
        if (p >= e || *p != ':')
            return false;
        p = jws(p + 1, e);
        int idx = k.esc ? -1 : jkey(k.s, k.n);
        p = jskip(p, e, idx >= 0 ? &f[idx] : NULL);
        if (!p)
            return false;
        p = jws(p, e);
        if (p < e && *p == ',') {
            p++;
            continue;
        }
        if (p < e && *p == '}')
            return true;
        return false;
    }
}

static bool jnum(const jfield *f, uint64_t *out)
{
    if (!f->kind || f->kind == 'a')
        return false;
    const char *e = f->s + f->n;
    const char *q = digits(f->s, e, 20, out);
    return q == e;
}

static void put_utf8(mf_buf *b, uint32_t c)
{
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    mf_buf_append(b, u, n);
}

static bool hex4(const char *p, const char *e, uint32_t *out)
{
    if (e - p < 4)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (isdig(c))
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return false;
    }
    *out = v;
    return true;
}

/* Decode a JSON string body or byte array into b. */
static void json_decode(mf_buf *b, const jfield *f)
{
    const char *p = f->s, *e = f->s + f->n;
    mf_buf_clear(b);
    if (f->kind == 'a') {
        p++;
        while (p < e) {
            uint64_t v;
            const char *q = digits(p, e, 3, &v);
            if (q) {
                char c = (char)(v & 0xFF);
                mf_buf_append(b, &c, 1);
                p = q;
            } else {
                p++;
            }
        }
        return;
    }
    while (p < e) {
        const char *bs = memchr(p, '\\', (size_t)(e - p));
        if (!bs) {
            mf_buf_append(b, p, (size_t)(e - p));
            break;
        }
        mf_buf_append(b, p, (size_t)(bs - p));
        p = bs + 1;
        if (p >= e)
            break;
        char c = *p++;
        switch (c) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'u': {
            uint32_t u, lo;
            if (!hex4(p, e, &u)) {
                c = 'u';
                break;
            }
            p += 4;
            if (u >= 0xD800 && u < 0xDC00 && e - p >= 6 && p[0] == '\\' &&
                p[1] == 'u' && hex4(p + 2, e, &lo) && lo >= 0xDC00 &&
                lo < 0xE000) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (u >= 0xD800 && u < 0xE000) {
                u = 0xFFFD;
            }
            put_utf8(b, u);
            continue;
        }
        default: break; /* \" \\ \/ */
        }
        mf_buf_append(b, &c, 1);
    }
}

static void civil(int64_t days, int *y, int *m, int *d)
{
    /* days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant) */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static void wall_from_usec(mf_logtime *t, uint64_t us)
{
    uint64_t secs = us / 1000000;
    int y, mo, d;
    civil((int64_t)(secs / 86400), &y, &mo, &d);
    if (y > 9999)
        return;
    uint64_t sod = secs % 86400;
    t->year = (int16_t)y;
    t->mon = (int8_t)mo;
    t->mday = (int8_t)d;
    t->hour = (int8_t)(sod / 3600);
    t->min = (int8_t)(sod / 60 % 60);
    t->sec = (int8_t)(sod % 60);
    t->usec = (int32_t)(us % 1000000);
    t->frac_digits = 6;
    t->utc_offset_min = 0;
    t->wall_flags |=
        MF_WALL_VALID | MF_WALL_HAS_OFFSET | MF_WALL_HAS_FRAC;
}

static bool p_json(mf_normalizer *nz, const char *s, const char *e, parsed *r)
{
    if (s >= e || *s != '{')
        return false;
    jfield f[J_COUNT];
    memset(f, 0, sizeof f);
    if (!json_fields(s, e, f) || !f[J_MESSAGE].kind)
        return false;
    mf_logmsg *m = &r->m;
    uint64_t v = 0;
    if (f[J_MESSAGE].kind == 'a' || f[J_MESSAGE].esc) {
        json_decode(&nz->dec, &f[J_MESSAGE]);
        m->msg = nz->dec.data ? nz->dec.data : "";
        m->len = nz->dec.len;
    } else if (f[J_MESSAGE].kind == 's') {
        m->msg = f[J_MESSAGE].s;
        m->len = f[J_MESSAGE].n;
    } else {
        m->msg = "";
        m->len = 0; /* null */
    }
    m->from_kernel = f[J_TRANSPORT].kind == 's' && f[J_TRANSPORT].n == 6 &&
                     memcmp(f[J_TRANSPORT].s, "kernel", 6) == 0;
    if ((m->from_kernel && jnum(&f[J_SRC_MONO], &v)) ||
        jnum(&f[J_MONO], &v)) {
        m->time.has_mono = true;
        m->time.mono_s = (double)(v / 1000000) + (double)(v % 1000000) / 1e6;
    }
    if (jnum(&f[J_REAL], &v))
        wall_from_usec(&m->time, v);
    if (f[J_HOST].kind == 's' && !f[J_HOST].esc) {
        m->host = f[J_HOST].s;
        m->host_len = f[J_HOST].n;
    }
    const jfield *id = f[J_IDENT].kind == 's' ? &f[J_IDENT] : &f[J_COMM];
    if (id->kind == 's' && !id->esc) {
        m->ident = id->s;
        m->ident_len = id->n;
    }
    if (jnum(&f[J_PRIO], &v) && v < 8)
        m->level = (int)v;
    if (jnum(&f[J_PID], &v) && v <= INT32_MAX)
        m->pid = (int32_t)v;
    /* a new _BOOT_ID is a boot boundary */
    if (f[J_BOOT].kind == 's' && f[J_BOOT].n < sizeof nz->boot_id) {
        r->meta = 0;
        if (nz->boot_id_len &&
            (nz->boot_id_len != f[J_BOOT].n ||
             memcmp(nz->boot_id, f[J_BOOT].s, f[J_BOOT].n) != 0))
            r->meta = -1; /* boundary before the message */
        memcpy(nz->boot_id, f[J_BOOT].s, f[J_BOOT].n);
        nz->boot_id_len = f[J_BOOT].n;
    }
    m->style = MF_STYLE_JOURNAL_JSON;
    r->unfold = false;
    return true;
}

/* ---- journal export ---- */

static size_t export_key(const char *s, const char *e)
{
    const char *p = s;
    if (p >= e || isdig(*p))
        return 0;
    while (p < e && ((*p >= 'A' && *p <= 'Z') || isdig(*p) || *p == '_'))
        p++;
    return (size_t)(p - s);
}

static bool is_export_line(const char *s, const char *e)
{
    size_t k = export_key(s, e);
    return k && s + k < e && s[k] == '=';
}

static void copy_small(char *dst, size_t cap, size_t *len, const char *s,
                       size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    *len = n;
}

static void export_clear(mf_normalizer *nz)
{
    nz->exp_have = nz->exp_any = false;
    mf_buf_clear(&nz->exp_msg);
    nz->exp_host_len = nz->exp_ident_len = nz->exp_boot_len = 0;
    nz->exp_kernel = false;
    nz->exp_level = -1;
    nz->exp_pid = -1;
    nz->exp_has_mono = nz->exp_has_src_mono = nz->exp_has_real = false;
    nz->exp_bin = false;
    nz->exp_bin_left = 0;
}

/* Take one KEY=value line into the pending record. */
static void export_field(mf_normalizer *nz, const char *s, const char *e,
                         const mf_line *line)
{
    size_t kl = export_key(s, e);
    const char *v = s + kl + 1;
    size_t vl = (size_t)(e - v);
    uint64_t num = 0;
    bool isnum = vl && digits(v, e, 20, &num) == e;
    int k = jkey(s, kl);
    nz->exp_any = true;
    switch (k) {
    case J_MESSAGE:
        mf_buf_clear(&nz->exp_msg);
        mf_buf_append(&nz->exp_msg, v, vl);
        nz->exp_have = true;
        nz->exp_lineno = line->lineno;
        nz->exp_line_flags = line->flags;
        break;
    case J_TRANSPORT:
        nz->exp_kernel = vl == 6 && memcmp(v, "kernel", 6) == 0;
        break;
    case J_MONO:
        nz->exp_has_mono = isnum;
        nz->exp_mono = num;
        break;
    case J_SRC_MONO:
        nz->exp_has_src_mono = isnum;
        nz->exp_src_mono = num;
        break;
    case J_REAL:
        nz->exp_has_real = isnum;
        nz->exp_real = num;
        break;
    case J_HOST:
        copy_small(nz->exp_host, sizeof nz->exp_host, &nz->exp_host_len, v,
                   vl);
        break;
    case J_IDENT:
        copy_small(nz->exp_ident, sizeof nz->exp_ident, &nz->exp_ident_len,
                   v, vl);
        break;
    case J_COMM:
        if (!nz->exp_ident_len)
            copy_small(nz->exp_ident, sizeof nz->exp_ident,
                       &nz->exp_ident_len, v, vl);
        break;
    case J_PRIO:
        nz->exp_level = isnum && num < 8 ? (int)num : -1;
        break;
    case J_PID:
        nz->exp_pid = isnum && num <= INT32_MAX ? (int32_t)num : -1;
        break;
    case J_BOOT:
        copy_small(nz->exp_boot, sizeof nz->exp_boot, &nz->exp_boot_len, v,
                   vl);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* detection and dispatch                                                   */

typedef bool (*parse_fn)(mf_normalizer *, const char *, const char *,
                         parsed *);

static bool p_export_dummy(mf_normalizer *nz, const char *s, const char *e,
                           parsed *r)
{
    /* outside an export member, only a record's first field starts one */
    if (!is_export_line(s, e) ||
        (nz->style != MF_STYLE_JOURNAL_EXPORT && !mf_starts_with(s, (size_t)(e - s), "__")))
        return false;
    r->export_field = true;
    r->m.style = MF_STYLE_JOURNAL_EXPORT;
    return true;
}

static const parse_fn PARSERS[MF_STYLE_COUNT] = {
    [MF_STYLE_DMESG] = p_dmesg,
    [MF_STYLE_DMESG_T] = p_dmesg_t,
    [MF_STYLE_SYSLOG] = p_syslog,
    [MF_STYLE_SYSLOG_ISO] = p_syslog_iso,
    [MF_STYLE_LOGREAD] = p_logread,
    [MF_STYLE_JOURNAL_SHORT_MONO] = p_journal_mono,
    [MF_STYLE_JOURNAL_JSON] = p_json,
    [MF_STYLE_JOURNAL_EXPORT] = p_export_dummy,
    [MF_STYLE_LOGCAT] = p_logcat,
};

/* Most specific first: a line recognised by an earlier parser would be
 * misread by a later one (journal short-monotonic before dmesg). */
static const mf_log_style ORDER[] = {
    MF_STYLE_JOURNAL_JSON, MF_STYLE_LOGCAT,  MF_STYLE_LOGREAD,
    MF_STYLE_DMESG_T,      MF_STYLE_SYSLOG_ISO, MF_STYLE_SYSLOG,
    MF_STYLE_JOURNAL_SHORT_MONO, MF_STYLE_DMESG, MF_STYLE_JOURNAL_EXPORT};

static void msg_init(mf_logmsg *m, const mf_line *line)
{
    memset(m, 0, sizeof *m);
    m->lineno = line->lineno;
    m->line_flags = line->flags;
    m->level = -1;
    m->pid = m->tid = -1;
    m->uid = -1;
    m->time.boot = -1;
}

/* Journal and logcat metadata: "-- Boot 3f2a… --", "-- Logs begin at … --",
 * "-- No entries --", "-- Reboot --", "--------- beginning of main". */
static int meta_line(const char *s, const char *e)
{
    size_t n = (size_t)(e - s);
    if (n >= 10 && memcmp(s, "--------- ", 10) == 0 &&
        (mf_memmem(s, n, "beginning of ", 13) ||
         mf_memmem(s, n, "switch to ", 10)))
        return 1;
    if (n < 8 || s[0] != '-' || s[1] != '-' || s[2] != ' ' || e[-1] != '-' ||
        e[-2] != '-' || e[-3] != ' ')
        return 0;
    if (mf_starts_with(s + 3, n - 3, "Boot ") ||
        mf_starts_with(s + 3, n - 3, "Reboot "))
        return 2;
    if (mf_starts_with(s + 3, n - 3, "Logs begin at ") ||
        mf_starts_with(s + 3, n - 3, "Journal begins at ") ||
        mf_starts_with(s + 3, n - 3, "Journal started") ||
        mf_starts_with(s + 3, n - 3, "No entries "))
        return 1;
    return 0;
}

static void vote(mf_normalizer *nz, mf_log_style st)
{
    nz->nvotes++;
    nz->votes[st]++;
    if (nz->votes[st] > nz->votes[nz->style] || nz->style == MF_STYLE_UNKNOWN)
        nz->style = st;
}

static void parse_line(mf_normalizer *nz, const char *s, const char *e,
                       const mf_line *line, parsed *r)
{
    msg_init(&r->m, line);
    r->meta = 0;
    r->unfold = false;
    r->export_field = false;
    bool detecting = nz->nvotes < DETECT_LINES;
    mf_log_style first = detecting ? MF_STYLE_UNKNOWN : nz->style;
    if (first != MF_STYLE_UNKNOWN && PARSERS[first](nz, s, e, r))
        return;
    int mt = meta_line(s, e);
    if (mt) {
        r->meta = mt;
        return;
    }
    for (size_t i = 0; i < sizeof ORDER / sizeof ORDER[0]; i++) {
        mf_log_style st = ORDER[i];
        if (st == first)
            continue;
        msg_init(&r->m, line);
        if (PARSERS[st](nz, s, e, r)) {
            if (detecting)
                vote(nz, st);
            return;
        }
    }
    msg_init(&r->m, line);
    if (p_prompt_glue(nz, s, e, r)) {
        if (detecting)
            vote(nz, MF_STYLE_DMESG);
        return;
    }
    msg_init(&r->m, line);
    r->m.style = MF_STYLE_UNKNOWN;
    r->m.msg = s;
    r->m.len = (size_t)(e - s);
}

/* ------------------------------------------------------------------------ */
/* boots and delivery                                                       */

static void new_boot(mf_normalizer *nz)
{
    if (nz->any_msg) {
        nz->boot++;
        nz->boot_open = true;
    }
    nz->boot_has_mono = false;
    nz->late = false;
}

static bool is_banner(const mf_logmsg *m)
{
    return mf_starts_with(m->msg, m->len, "Linux version ") ||
           mf_starts_with(m->msg, m->len, "Booting Linux on physical CPU");
}

static int deliver(mf_normalizer *nz, mf_logmsg *m, mf_logmsg_fn fn,
                   void *ctx)
{
    bool kernelish = m->from_kernel || m->style == MF_STYLE_UNKNOWN;
    bool banner = kernelish && is_banner(m);
    if (banner && nz->late) {
        new_boot(nz);
    } else if (m->time.has_mono && nz->boot_has_mono &&
               m->time.mono_s + MONO_RESET_DROP < nz->last_mono &&
               (m->time.mono_s <= MONO_RESET_SMALL ||
                m->time.mono_s * 2 < nz->last_mono)) {
        new_boot(nz);
    }
    if (m->time.has_mono) {
        nz->boot_has_mono = true;
        nz->last_mono = m->time.mono_s;
    }
    if (m->from_kernel && !banner &&
        (!m->time.has_mono || m->time.mono_s > BOOT_EARLY_S))
        nz->late = true;
    m->time.boot = nz->boot;
    m->boot_start = nz->boot_open;
    nz->boot_open = false;
    nz->any_msg = true;
    return fn(ctx, m);
}

/* rsyslog escapes control characters as #ooo: #012 (LF) separates the
 * messages of one line, #011 is a tab, #015 (CR) is dropped, #033 starts
 * an ANSI sequence (dropped). */
static bool octal_esc(const char *p, const char *e, int *c)
{
    if (e - p < 4 || p[0] != '#' || p[1] < '0' || p[1] > '3' || p[2] < '0' ||
        p[2] > '7' || p[3] < '0' || p[3] > '7')
        return false;
    *c = (p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0');
    return *c < 32 || *c == 127;
}

static const char *skip_csi(const char *p, const char *e)
{
    /* p after "ESC[": parameters, intermediates, one final byte */
    while (p < e && (unsigned char)*p >= 0x30 && (unsigned char)*p <= 0x3F)
        p++;
    while (p < e && (unsigned char)*p >= 0x20 && (unsigned char)*p <= 0x2F)
        p++;
    if (p < e && (unsigned char)*p >= 0x40 && (unsigned char)*p <= 0x7E)
        p++;
    return p;
}

static int deliver_unfolded(mf_normalizer *nz, parsed *r, mf_logmsg_fn fn,
                            void *ctx)
{
    mf_logmsg base = r->m;
    const char *p = base.msg, *e = base.msg + base.len;
    bool first = true;
    for (;;) {
        /* one piece: up to #012 */
        mf_buf_clear(&nz->piece);
        const char *q = p;
        bool more = false;
        while (q < e) {
            const char *h = memchr(q, '#', (size_t)(e - q));
            if (!h) {
                mf_buf_append(&nz->piece, q, (size_t)(e - q));
                q = e;
                break;
            }
            mf_buf_append(&nz->piece, q, (size_t)(h - q));
            int c;
            if (!octal_esc(h, e, &c)) {
                mf_buf_append(&nz->piece, "#", 1);
                q = h + 1;
                continue;
            }
            q = h + 4;
            if (c == '\n') {
                more = true;
                break;
            }
            if (c == '\t')
                mf_buf_append(&nz->piece, "\t", 1);
            else if (c == 27 && q < e && *q == '[')
                q = skip_csi(q + 1, e);
            else if (c != '\r' && c != 27) {
                char ch = (char)c;
                mf_buf_append(&nz->piece, &ch, 1);
            }
        }
        if (nz->piece.failed)
            return -1;
        /* a trailing #012 leaves an empty last piece: drop it */
        if (!more && !first && nz->piece.len == 0)
            return 0;
        mf_logmsg m = base;
        m.msg = nz->piece.data ? nz->piece.data : "";
        m.len = nz->piece.len;
        if (!first && m.from_kernel) {
            const char *k =
                kernel_prefix(m.msg, m.msg + m.len, &m, true);
            if (k) {
                m.len -= (size_t)(k - m.msg);
                m.msg = k;
            }
        }
        int rc = deliver(nz, &m, fn, ctx);
        if (rc)
            return rc;
        if (!more)
            return 0;
        first = false;
        p = q;
    }
}

/* Deliver text that may hold newlines (journal MESSAGE) line by line. */
static int deliver_lines(mf_normalizer *nz, mf_logmsg *m, mf_logmsg_fn fn,
                         void *ctx)
{
    const char *p = m->msg, *e = m->msg + m->len;
    const char *nl = memchr(p, '\n', m->len);
    if (!nl)
        return deliver(nz, m, fn, ctx);
    mf_logmsg base = *m;
    for (;;) {
        const char *stop = nl ? nl : e;
        if (!nl && p == e && p != base.msg)
            return 0; /* trailing newline */
        mf_logmsg piece = base;
        piece.msg = p;
        piece.len = (size_t)(stop - p);
        int rc = deliver(nz, &piece, fn, ctx);
        if (rc || !nl)
            return rc;
        p = nl + 1;
        nl = memchr(p, '\n', (size_t)(e - p));
    }
}

static int export_flush(mf_normalizer *nz, mf_logmsg_fn fn, void *ctx)
{
    if (!nz->exp_have) {
        export_clear(nz);
        return 0;
    }
    if (nz->exp_msg.failed)
        return -1;
    mf_logmsg m;
    mf_line line = {NULL, 0, nz->exp_lineno, nz->exp_line_flags};
    msg_init(&m, &line);
    m.style = MF_STYLE_JOURNAL_EXPORT;
    m.msg = nz->exp_msg.data ? nz->exp_msg.data : "";
    m.len = nz->exp_msg.len;
    m.from_kernel = nz->exp_kernel;
    uint64_t mono = nz->exp_kernel && nz->exp_has_src_mono ? nz->exp_src_mono
                                                           : nz->exp_mono;
    if (nz->exp_has_mono || (nz->exp_kernel && nz->exp_has_src_mono)) {
        m.time.has_mono = true;
        m.time.mono_s = (double)(mono / 1000000) + (double)(mono % 1000000) / 1e6;
    }
    if (nz->exp_has_real)
        wall_from_usec(&m.time, nz->exp_real);
    if (nz->exp_host_len) {
        m.host = nz->exp_host;
        m.host_len = nz->exp_host_len;
    }
    if (nz->exp_ident_len) {
        m.ident = nz->exp_ident;
        m.ident_len = nz->exp_ident_len;
    }
    m.level = nz->exp_level;
    m.pid = nz->exp_pid;
    if (nz->exp_boot_len) {
        if (nz->boot_id_len && (nz->boot_id_len != nz->exp_boot_len ||
                                memcmp(nz->boot_id, nz->exp_boot,
                                       nz->exp_boot_len) != 0))
            new_boot(nz);
        memcpy(nz->boot_id, nz->exp_boot, nz->exp_boot_len);
        nz->boot_id_len = nz->exp_boot_len;
    }
    int rc = deliver_lines(nz, &m, fn, ctx);
    export_clear(nz);
    return rc;
}

/* A binary export field: "MESSAGE" alone on a line, then a 64-bit
 * little-endian length and the data. The line reader has dropped the NUL
 * bytes of the length, so only a length below 256 survives as one byte. */
static bool export_binary(mf_normalizer *nz, const char *s, const char *e,
                          const mf_line *line)
{
    if (nz->exp_bin) {
        size_t n = (size_t)(e - s);
        mf_buf_append(&nz->exp_msg, "\n", 1);
        mf_buf_append(&nz->exp_msg, s, n);
        nz->exp_bin_left = nz->exp_bin_left > n + 1 ? nz->exp_bin_left - n - 1
                                                    : 0;
        nz->exp_bin = nz->exp_bin_left > 0;
        return true;
    }
    if (e - s == 7 && memcmp(s, "MESSAGE", 7) == 0) {
        nz->exp_bin = true;
        nz->exp_bin_left = SIZE_MAX; /* the length comes next */
        mf_buf_clear(&nz->exp_msg);
        nz->exp_have = true;
        nz->exp_any = true;
        nz->exp_lineno = line->lineno + 1;
        nz->exp_line_flags = line->flags;
        return true;
    }
    return false;
}

static int line_body(mf_normalizer *nz, const char *s, size_t len,
                     const mf_line *line, mf_logmsg_fn fn, void *ctx)
{
    const char *e = s + len;
    bool in_export = nz->style == MF_STYLE_JOURNAL_EXPORT || nz->exp_any;
    if (in_export) {
        if (nz->exp_bin && nz->exp_bin_left == SIZE_MAX) {
            /* first line of binary data: its first byte is the length */
            size_t want = len ? (unsigned char)s[0] : 0;
            size_t have = len ? len - 1 : 0;
            mf_buf_clear(&nz->exp_msg);
            mf_buf_append(&nz->exp_msg, len ? s + 1 : s, have);
            nz->exp_bin_left = want > have ? want - have : 0;
            nz->exp_bin = nz->exp_bin_left > 0;
            return nz->exp_msg.failed ? -1 : 0;
        }
        if (nz->exp_bin)
            return export_binary(nz, s, e, line), nz->exp_msg.failed ? -1 : 0;
        if (len == 0)
            return export_flush(nz, fn, ctx);
        if (is_export_line(s, e)) {
            if (nz->exp_have && mf_starts_with(s, len, "__CURSOR=")) {
                int rc = export_flush(nz, fn, ctx);
                if (rc)
                    return rc;
            }
            if (nz->nvotes < DETECT_LINES)
                vote(nz, MF_STYLE_JOURNAL_EXPORT);
            export_field(nz, s, e, line);
            return nz->exp_msg.failed ? -1 : 0;
        }
        if (export_binary(nz, s, e, line))
            return 0;
    }
    if (len == 0)
        return 0;
    parsed r;
    parse_line(nz, s, e, line, &r);
    if (r.export_field) {
        export_field(nz, s, e, line);
        return nz->exp_msg.failed ? -1 : 0;
    }
    if (r.meta > 0) {
        if (r.meta == 2)
            new_boot(nz);
        return 0;
    }
    if (r.meta < 0)
        new_boot(nz);
    if (nz->dec.failed)
        return -1;
    if (r.m.style == MF_STYLE_JOURNAL_JSON)
        return deliver_lines(nz, &r.m, fn, ctx);
    if (r.unfold && memchr(r.m.msg, '#', r.m.len))
        return deliver_unfolded(nz, &r, fn, ctx);
    return deliver(nz, &r.m, fn, ctx);
}

/* Remove ANSI escape sequences (CSI, OSC, two-byte escapes) into b. */
static void strip_ansi(mf_buf *b, const char *s, size_t len)
{
    const char *p = s, *e = s + len;
    mf_buf_clear(b);
    while (p < e) {
        const char *esc = memchr(p, 0x1b, (size_t)(e - p));
        if (!esc) {
            mf_buf_append(b, p, (size_t)(e - p));
            break;
        }
        mf_buf_append(b, p, (size_t)(esc - p));
        p = esc + 1;
        if (p >= e)
            break;
        if (*p == '[') {
            p = skip_csi(p + 1, e);
        } else if (*p == ']') {
            /* OSC: up to BEL or ESC \ */
            p++;
            while (p < e && *p != 0x07 && !(*p == 0x1b && p + 1 < e &&
                                            p[1] == '\\'))
                p++;
            if (p < e)
                p += *p == 0x07 ? 1 : 2;
        } else if ((*p == '(' || *p == ')') && p + 1 < e) {
            p += 2;
        } else {
            p++;
        }
    }
}

int mf_normalizer_line(mf_normalizer *n, const mf_line *line, mf_logmsg_fn fn,
                       void *ctx)
{
    const char *s = line->text;
    size_t len = line->len;
    if (len && memchr(s, 0x1b, len)) {
        strip_ansi(&n->clean, s, len);
        if (n->clean.failed)
            return -1;
        s = n->clean.data ? n->clean.data : "";
        len = n->clean.len;
    }
    return line_body(n, s, len, line, fn, ctx);
}

int mf_normalizer_finish(mf_normalizer *n, mf_logmsg_fn fn, void *ctx)
{
    return export_flush(n, fn, ctx);
}

/* ------------------------------------------------------------------------ */
/* object                                                                   */

mf_normalizer *mf_normalizer_new(const mf_allocator *a)
{
    if (!a)
        a = &mf_default_allocator;
    mf_normalizer *n = mf_calloc(a, 1, sizeof *n);
    if (!n)
        return NULL;
    n->a = a;
    mf_buf_init(&n->clean, a);
    mf_buf_init(&n->piece, a);
    mf_buf_init(&n->dec, a);
    mf_buf_init(&n->exp_msg, a);
    mf_normalizer_reset(n);
    return n;
}

void mf_normalizer_free(mf_normalizer *n)
{
    if (!n)
        return;
    mf_buf_free(&n->clean);
    mf_buf_free(&n->piece);
    mf_buf_free(&n->dec);
    mf_buf_free(&n->exp_msg);
    mf_free(n->a, n);
}

static void buf_reset(mf_buf *b)
{
    b->failed = false;
    mf_buf_clear(b);
}

void mf_normalizer_reset(mf_normalizer *n)
{
    memset(n->votes, 0, sizeof n->votes);
    n->nvotes = 0;
    n->style = MF_STYLE_UNKNOWN;
    n->boot = 0;
    n->any_msg = false;
    n->boot_has_mono = false;
    n->last_mono = 0;
    n->late = false;
    n->boot_open = false;
    n->boot_id_len = 0;
    n->host_len = 0;
    buf_reset(&n->clean);
    buf_reset(&n->piece);
    buf_reset(&n->dec);
    buf_reset(&n->exp_msg);
    export_clear(n);
}

mf_log_style mf_normalizer_style(const mf_normalizer *n)
{
    return n->style;
}

int32_t mf_normalizer_boots(const mf_normalizer *n)
{
    return n->any_msg ? n->boot + 1 : 0;
}

const char *mf_log_style_name(mf_log_style style)
{
    static const char *const names[MF_STYLE_COUNT] = {
        [MF_STYLE_UNKNOWN] = "unknown",
        [MF_STYLE_DMESG] = "dmesg",
        [MF_STYLE_DMESG_T] = "dmesg-T",
        [MF_STYLE_SYSLOG] = "syslog",
        [MF_STYLE_SYSLOG_ISO] = "syslog-iso",
        [MF_STYLE_LOGREAD] = "logread",
        [MF_STYLE_JOURNAL_SHORT_MONO] = "journal-short-monotonic",
        [MF_STYLE_JOURNAL_JSON] = "journal-json",
        [MF_STYLE_JOURNAL_EXPORT] = "journal-export",
        [MF_STYLE_LOGCAT] = "logcat",
    };
    if ((unsigned)style >= MF_STYLE_COUNT)
        return "invalid";
    return names[style];
}

/* ------------------------------------------------------------------------ */
/* time                                                                     */

void mf_logtime_set_year(mf_logtime *t, int year)
{
    if (!(t->wall_flags & MF_WALL_VALID) || !(t->wall_flags & MF_WALL_NO_YEAR))
        return;
    if (year < 0 || year > 9999)
        return;
    t->year = (int16_t)year;
    t->wall_flags &= ~MF_WALL_NO_YEAR;
    t->wall_flags |= MF_WALL_YEAR_INFERRED;
}

int mf_logtime_format_wall(const mf_logtime *t, char out[40])
{
    out[0] = '\0';
    if (!(t->wall_flags & MF_WALL_VALID) || (t->wall_flags & MF_WALL_NO_YEAR))
        return -1;
    char *p = out;
    int y = t->year;
    int v[5] = {t->mon, t->mday, t->hour, t->min, t->sec};
    if (y < 0 || y > 9999)
        return -1;
    for (int i = 0; i < 5; i++)
        if (v[i] < 0 || v[i] > 99)
            return -1;
    *p++ = (char)('0' + y / 1000);
    *p++ = (char)('0' + y / 100 % 10);
    *p++ = (char)('0' + y / 10 % 10);
    *p++ = (char)('0' + y % 10);
    static const char sep[5] = {'-', '-', 'T', ':', ':'};
    for (int i = 0; i < 5; i++) {
        *p++ = sep[i];
        *p++ = (char)('0' + v[i] / 10);
        *p++ = (char)('0' + v[i] % 10);
    }
    if (t->wall_flags & MF_WALL_HAS_FRAC) {
        int nd = t->frac_digits > 0 && t->frac_digits <= 6 ? t->frac_digits : 6;
        int32_t us = t->usec < 0 || t->usec > 999999 ? 0 : t->usec;
        char d[6];
        for (int i = 5; i >= 0; i--) {
            d[i] = (char)('0' + us % 10);
            us /= 10;
        }
        *p++ = '.';
        for (int i = 0; i < nd; i++)
            *p++ = d[i];
    }
    if (t->wall_flags & MF_WALL_HAS_OFFSET) {
        int off = t->utc_offset_min;
        *p++ = off < 0 ? '-' : '+';
        if (off < 0)
            off = -off;
        int oh = off / 60 % 100, om = off % 60;
        *p++ = (char)('0' + oh / 10);
        *p++ = (char)('0' + oh % 10);
        *p++ = ':';
        *p++ = (char)('0' + om / 10);
        *p++ = (char)('0' + om % 10);
    }
    *p = '\0';
    return 0;
}
