#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

static void *default_calloc(size_t n, size_t size, void *ctx)
{
    (void)ctx;
    return calloc(n, size);
}

static void *default_realloc(void *p, size_t size, void *ctx)
{
    (void)ctx;
    return realloc(p, size);
}

static void default_free(void *p, void *ctx)
{
    (void)ctx;
    free(p);
}

const mf_allocator mf_default_allocator = {default_calloc, default_realloc,
                                           default_free, NULL};

void *mf_calloc(const mf_allocator *a, size_t n, size_t size)
{
    if (n == 0 || size == 0)
        n = size = 1;
    return a->calloc(n, size, a->ctx);
}

void *mf_realloc(const mf_allocator *a, void *p, size_t size)
{
    return a->realloc(p, size ? size : 1, a->ctx);
}

void mf_free(const mf_allocator *a, void *p)
{
    if (p)
        a->free(p, a->ctx);
}

char *mf_strndup(const mf_allocator *a, const char *s, size_t n)
{
    char *d = mf_calloc(a, n + 1, 1);
    if (d && n)
        memcpy(d, s, n);
    return d;
}

char *mf_strdup(const mf_allocator *a, const char *s)
{
    return mf_strndup(a, s, strlen(s));
}

/* ---- mf_meter ---- */

/* The header keeps the block's size and the alignment malloc promises. */
#define METER_HDR ((size_t)_Alignof(max_align_t))

static void meter_add(mf_meter *m, size_t n)
{
    m->live += n;
    if (m->live > m->peak)
        m->peak = m->live;
}

static void *meter_calloc(size_t n, size_t size, void *ctx)
{
    mf_meter *m = ctx;
    if (size && n > (SIZE_MAX - METER_HDR) / size)
        return NULL;
    size_t bytes = n * size;
    unsigned char *p = m->inner->calloc(1, METER_HDR + bytes, m->inner->ctx);
    if (!p)
        return NULL;
    memcpy(p, &bytes, sizeof bytes);
    meter_add(m, bytes);
    return p + METER_HDR;
}

static void *meter_realloc(void *ptr, size_t size, void *ctx)
{
    mf_meter *m = ctx;
    if (size > SIZE_MAX - METER_HDR)
        return NULL;
    unsigned char *base = ptr ? (unsigned char *)ptr - METER_HDR : NULL;
    size_t old = 0;
    if (base)
        memcpy(&old, base, sizeof old);
    unsigned char *p = m->inner->realloc(base, METER_HDR + size, m->inner->ctx);
    if (!p)
        return NULL; /* the old block stays, and stays counted */
    memcpy(p, &size, sizeof size);
    m->live -= old;
    meter_add(m, size);
    return p + METER_HDR;
}

static void meter_free(void *ptr, void *ctx)
{
    mf_meter *m = ctx;
    if (!ptr)
        return;
    unsigned char *base = (unsigned char *)ptr - METER_HDR;
    size_t old;
    memcpy(&old, base, sizeof old);
    m->live -= old;
    m->inner->free(base, m->inner->ctx);
}

void mf_meter_init(mf_meter *m, const mf_allocator *inner)
{
    memset(m, 0, sizeof *m);
    m->self.calloc = meter_calloc;
    m->self.realloc = meter_realloc;
    m->self.free = meter_free;
    m->self.ctx = m;
    m->inner = inner;
}

/* ---- mf_buf ---- */

void mf_buf_init(mf_buf *b, const mf_allocator *a)
{
    memset(b, 0, sizeof *b);
    b->alloc = a;
}

int mf_buf_reserve(mf_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = true;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *d = mf_realloc(b->alloc, b->data, cap);
    if (!d) {
        b->failed = true;
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

int mf_buf_append(mf_buf *b, const void *data, size_t len)
{
    if (mf_buf_reserve(b, len) < 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int mf_buf_puts(mf_buf *b, const char *s)
{
    return mf_buf_append(b, s, strlen(s));
}

int mf_buf_printf(mf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    int rc = -1;
    if (n >= 0 && (size_t)n < sizeof tmp) {
        rc = mf_buf_append(b, tmp, (size_t)n);
    } else if (n >= 0 && mf_buf_reserve(b, (size_t)n) == 0) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
        rc = 0;
    }
    va_end(ap2);
    return rc;
}

void mf_buf_clear(mf_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void mf_buf_free(mf_buf *b)
{
    mf_free(b->alloc, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *mf_buf_detach(mf_buf *b)
{
    char *d = b->data;
    if (!d && !b->failed)
        d = mf_strndup(b->alloc, "", 0);
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

/* ---- mf_vec ---- */

void mf_vec_init(mf_vec *v, const mf_allocator *a, size_t elem)
{
    memset(v, 0, sizeof *v);
    v->alloc = a;
    v->elem = elem;
}

void *mf_vec_push(mf_vec *v)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        if (cap > SIZE_MAX / v->elem)
            return NULL;
        void *d = mf_realloc(v->alloc, v->data, cap * v->elem);
        if (!d)
            return NULL;
        v->data = d;
        v->cap = cap;
    }
    void *e = (char *)v->data + v->len * v->elem;
    memset(e, 0, v->elem);
    v->len++;
    return e;
}

void *mf_vec_at(const mf_vec *v, size_t i)
{
    return i < v->len ? (char *)v->data + i * v->elem : NULL;
}

void mf_vec_free(mf_vec *v)
{
    mf_free(v->alloc, v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

/* ---- errors ---- */

static _Thread_local char error_text[512];
static _Thread_local mf_error last_error;
static _Thread_local int have_error;

int mf_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_text, sizeof error_text, fmt, ap);
    va_end(ap);
    for (char *p = error_text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    last_error.code = code;
    last_error.message = error_text;
    have_error = 1;
    return code;
}

const mf_error *mf_error_last(void)
{
    return have_error ? &last_error : NULL;
}

void mf_error_clear(void)
{
    have_error = 0;
}

/* ---- strings ---- */

const char *mf_memmem(const char *hay, size_t hlen, const char *needle,
                      size_t nlen)
{
    if (nlen == 0)
        return hay;
    if (hlen < nlen)
        return NULL;
    const char *end = hay + hlen - nlen + 1;
    for (const char *p = hay; p < end;) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p)
            return NULL;
        if (memcmp(p, needle, nlen) == 0)
            return p;
        p++;
    }
    return NULL;
}

bool mf_starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

int mf_buf_append_utf8(mf_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        size_t n = (c == '\t') ? 1 : (c < 0x20 || c == 0x7F) ? 0 : utf8_seq(p + i, len - i);
        if (n > 0) {
            i += n;
            continue;
        }
        /* flush the valid run, then the replacement */
        if (mf_buf_append(b, s + run, i - run) < 0)
            return -1;
        if (c < 0x20 || c == 0x7F) {
            if (mf_buf_append(b, " ", 1) < 0)
                return -1;
        } else if (mf_buf_append(b, "\xEF\xBF\xBD", 3) < 0) {
            return -1;
        }
        i++;
        run = i;
    }
    return mf_buf_append(b, s + run, len - run);
}

/* ---- dates ---- */

int64_t mf_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* ---- SHA-256 ---- */


mf_sha256 *mf_sha256_new(void)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return NULL;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    /* The handle is the EVP context itself: no extra allocation. */
    return (mf_sha256 *)ctx;
}

void mf_sha256_update(mf_sha256 *h, const void *data, size_t len)
{
    if (h && len)
        EVP_DigestUpdate((EVP_MD_CTX *)h, data, len);
}

void mf_sha256_final_hex(mf_sha256 *h, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    out[0] = '\0';
    if (!h)
        return;
    if (EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &n) == 1 && n == 32) {
        static const char hex[] = "0123456789abcdef";
        for (int i = 0; i < 32; i++) {
            out[2 * i] = hex[md[i] >> 4];
            out[2 * i + 1] = hex[md[i] & 15];
        }
        out[64] = '\0';
    }
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

void mf_sha256_free(mf_sha256 *h)
{
    if (h)
        EVP_MD_CTX_free((EVP_MD_CTX *)h);
}
