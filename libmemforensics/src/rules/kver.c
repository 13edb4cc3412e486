/* kver.c - kernel releases and version ranges.
 *
 * Affected ranges are upstream ranges; a release is compared by its
 * upstream part: major.minor[.patch][-rcN]. What follows is a vendor or
 * distribution suffix ("-1-default", "-openwrt", "-514.el7.x86_64",
 * "-android12-9-00001-gabc", "-18-amd64", "+"), kept only as a flag since
 * vendor kernels carry backports in both directions. */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "rules/rules.h"

static int num(const char **p, long *out)
{
    const char *s = *p;
    if (!isdigit((unsigned char)*s))
        return -1;
    long v = 0;
    while (isdigit((unsigned char)*s)) {
        if (v > 1000000)
            return -1;
        v = v * 10 + (*s - '0');
        s++;
    }
    *p = s;
    *out = v;
    return 0;
}

int mf_kver_parse(const char *s, mf_kver *out)
{
    memset(out, 0, sizeof *out);
    const char *p = s;
    if (num(&p, &out->major) < 0 || *p != '.')
        return -1;
    p++;
    if (num(&p, &out->minor) < 0)
        return -1;
    if (*p == '.' && isdigit((unsigned char)p[1])) {
        p++;
        num(&p, &out->patch);
        /* a fourth number (2.6.32.27) is part of the upstream release */
        while (*p == '.' && isdigit((unsigned char)p[1])) {
            long ignored;
            p++;
            num(&p, &ignored);
        }
    }
    if (strncmp(p, "-rc", 3) == 0 && isdigit((unsigned char)p[3])) {
        p += 3;
        num(&p, &out->rc);
        if (out->rc == 0)
            return -1;
    }
    out->len = (size_t)(p - s);
    out->vendor = *p != '\0';
    if (*p && *p != '-' && *p != '+' && *p != '_' && *p != '.' && *p != '~')
        return -1; /* "5.10x" is not a release */
    return 0;
}

static int cmp_long(long a, long b)
{
    return a < b ? -1 : a > b;
}

int mf_kver_cmp(const mf_kver *a, const mf_kver *b)
{
    int c = cmp_long(a->major, b->major);
    if (!c)
        c = cmp_long(a->minor, b->minor);
    if (!c)
        c = cmp_long(a->patch, b->patch);
    if (!c) /* 5.16-rc4 < 5.16 */
        c = cmp_long(a->rc ? a->rc : LONG_MAX, b->rc ? b->rc : LONG_MAX);
    return c;
}

static int parse_bound(const char *s, size_t n, mf_kver *v)
{
    char tmp[64];
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (mf_kver_parse(tmp, v) < 0 || v->vendor)
        return -1;
    return 0;
}

int mf_kver_range_parse(const char *s, mf_kver_range *r, size_t *err_off,
                        const char **msg)
{
    memset(r, 0, sizeof *r);
    *err_off = 0;
    size_t n = strlen(s);
    if (n && (s[0] == '[' || s[0] == '(')) {
        char close = s[n - 1];
        if (close != ']' && close != ')') {
            *err_off = n ? n - 1 : 0;
            *msg = "a range ends with ] or )";
            return -1;
        }
        const char *comma = memchr(s, ',', n);
        if (!comma) {
            *err_off = 1;
            *msg = "a range needs a comma between its bounds: [LOW,HIGH)";
            return -1;
        }
        size_t lo_len = (size_t)(comma - s) - 1;
        size_t hi_len = n - (size_t)(comma - s) - 2;
        r->lo_incl = s[0] == '[';
        r->hi_incl = close == ']';
        const char *lo = s + 1;
        const char *hi = comma + 1;
        int lo_blank = 1, hi_blank = 1;
        for (size_t i = 0; i < lo_len; i++)
            lo_blank &= lo[i] == ' ';
        for (size_t i = 0; i < hi_len; i++)
            hi_blank &= hi[i] == ' ';
        if (!lo_blank) {
            if (parse_bound(lo, lo_len, &r->lo) < 0) {
                *err_off = 1;
                *msg = "bad lower bound (want an upstream version such as 5.4, 5.10.84 or 5.16-rc4)";
                return -1;
            }
            r->has_lo = true;
        }
        if (!hi_blank) {
            if (parse_bound(hi, hi_len, &r->hi) < 0) {
                *err_off = (size_t)(hi - s);
                *msg = "bad upper bound (want an upstream version such as 5.4, 5.10.84 or 5.16-rc4)";
                return -1;
            }
            r->has_hi = true;
        }
        if (!r->has_lo && !r->has_hi) {
            *err_off = 0;
            *msg = "a range needs at least one bound";
            return -1;
        }
        if (r->has_lo && r->has_hi) {
            int c = mf_kver_cmp(&r->lo, &r->hi);
            if (c > 0 || (c == 0 && !(r->lo_incl && r->hi_incl))) {
                *err_off = 0;
                *msg = "empty range: the lower bound is not below the upper bound";
                return -1;
            }
        }
        return 0;
    }
    if (parse_bound(s, n, &r->lo) < 0) {
        *msg = "want [LOW,HIGH), (,HIGH], [LOW,) or one upstream version such as 5.10.16 "
               "(vendor suffixes are matched with a regex on the release)";
        return -1;
    }
    r->hi = r->lo;
    r->has_lo = r->has_hi = r->lo_incl = r->hi_incl = true;
    return 0;
}

bool mf_kver_in_range(const mf_kver *v, const mf_kver_range *r)
{
    if (r->has_lo) {
        int c = mf_kver_cmp(v, &r->lo);
        if (c < 0 || (c == 0 && !r->lo_incl))
            return false;
    }
    if (r->has_hi) {
        int c = mf_kver_cmp(v, &r->hi);
        if (c > 0 || (c == 0 && !r->hi_incl))
            return false;
    }
    return true;
}
