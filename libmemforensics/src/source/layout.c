#include "source/layout.h"

#include <string.h>

int64_t mf_civil_to_epoch(int y, int mo, int d, int h, int mi, int s)
{
    /* days from civil (Howard Hinnant's algorithm) */
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + h * 3600 + mi * 60 + s;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool valid(int y, int mo, int d, int h, int mi, int s)
{
    return y >= 1970 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 &&
           d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

bool mf_parse_datetime(const char *s, size_t len, bool dashes, int64_t *out)
{
    int y, mo, d, h, mi, sec;
    if (len < 19 || s[4] != '-' || s[7] != '-')
        return false;
    if (dashes ? (s[10] != '-' || s[13] != '-' || s[16] != '-')
               : (s[10] != ' ' || s[13] != ':' || s[16] != ':'))
        return false;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
        !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
        !digits(s + 17, 2, &sec) || !valid(y, mo, d, h, mi, sec))
        return false;
    *out = mf_civil_to_epoch(y, mo, d, h, mi, sec);
    return true;
}

int mf_member_set_origin(mf_evidence *ev, int32_t idx, const char *origin,
                         size_t len)
{
    mf_member *m = mf_evidence_member(ev, idx);
    if (!m)
        return -1;
    mf_free(ev->alloc, m->origin);
    m->origin = NULL;
    if (!origin)
        return 0;
    mf_buf b;
    mf_buf_init(&b, ev->alloc);
    mf_buf_append_utf8(&b, origin, len);
    if (b.failed) {
        mf_buf_free(&b);
        return -1;
    }
    m->origin = mf_buf_detach(&b);
    return m->origin ? 0 : -1;
}

static bool is_sep(char c)
{
    return c == '/' || c == '!' || c == '#';
}

/* The time in a bundle name within `s`: a `bugreport-…-YYYY-MM-DD-HH-MM-SS`
 * component, or a `sosreport-HOST-YYYY-MM-DD-RAND` one (a date only). */
static bool name_time(const char *s, int64_t *out)
{
    for (const char *p = s; *p; p++) {
        if (p != s && !is_sep(p[-1]))
            continue;
        const char *e = p;
        while (*e && !is_sep(*e))
            e++;
        size_t n = (size_t)(e - p);
        if (n == 0)
            continue;
        if (n > 10 && memcmp(p, "bugreport-", 10) == 0) {
            /* the last 19-character date-time with dashes */
            for (size_t off = n >= 19 ? n - 19 : 0; off >= 11; off--) {
                if (p[off - 1] == '-' && mf_parse_datetime(p + off, n - off, true, out))
                    return true;
            }
        } else if (n > 10 && memcmp(p, "sosreport-", 10) == 0) {
            for (const char *q = p + 10; q + 10 <= e; q++) {
                int y, mo, d;
                if (q[-1] == '-' && (q + 10 == e || q[10] == '-' || q[10] == '.') &&
                    q[4] == '-' && q[7] == '-' && digits(q, 4, &y) &&
                    digits(q + 5, 2, &mo) && digits(q + 8, 2, &d) &&
                    valid(y, mo, d, 0, 0, 0)) {
                    *out = mf_civil_to_epoch(y, mo, d, 0, 0, 0);
                    return true;
                }
            }
        }
        p = e - 1;
    }
    return false;
}

static bool starts(const char *s, const char *lit)
{
    return strncmp(s, lit, strlen(lit)) == 0;
}

/* The device path of an entry path inside its innermost container. */
static const char *entry_origin(const char *entry, const char **prefix)
{
    *prefix = "/";
    /* a bundle's own top folder */
    const char *slash = strchr(entry, '/');
    if (slash && (starts(entry, "sosreport-") || starts(entry, "sos-collector-") ||
                  starts(entry, "bugreport-")))
        entry = slash + 1;
    if (starts(entry, "FS/") && entry[3])
        return entry + 3;
    if (strcmp(entry, "sos_commands/kernel/dmesg") == 0) {
        *prefix = "";
        return "/dev/kmsg";
    }
    static const char *const roots[] = {"proc/", "sys/", "etc/", "var/log/",
                                        "dev/", NULL};
    for (size_t i = 0; roots[i]; i++)
        if (starts(entry, roots[i]) && entry[strlen(roots[i])])
            return entry;
    return NULL;
}

int mf_layout_member(mf_evidence *ev, int32_t idx, const char *input_name)
{
    mf_member *m = mf_evidence_member(ev, idx);
    if (!m)
        return -1;
    int64_t t;
    if (name_time(m->path, &t) || (input_name && name_time(input_name, &t))) {
        m->has_capture_time = true;
        m->capture_time = t;
    }
    if (strchr(m->path, '#'))
        return 0; /* dumpstate sections: the splitter knows their origin */
    const char *entry = strrchr(m->path, '!');
    entry = entry ? entry + 1 : m->path;
    const char *prefix;
    const char *o = entry_origin(entry, &prefix);
    if (!o)
        return 0;
    mf_buf b;
    mf_buf_init(&b, ev->alloc);
    mf_buf_puts(&b, prefix);
    mf_buf_puts(&b, o);
    int rc = b.failed ? -1 : mf_member_set_origin(ev, idx, b.data, b.len);
    mf_buf_free(&b);
    return rc;
}
