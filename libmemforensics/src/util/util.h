/* util.h - allocation, growable buffers and string helpers shared by every
 * stage. Everything allocates through an mf_allocator so that an embedding
 * program's allocator is honoured; an allocation failure returns NULL/-1 and
 * never aborts. */
#ifndef MF_UTIL_H
#define MF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memforensics.h"


/* The default allocator: calloc/realloc/free. */
extern const mf_allocator mf_default_allocator;

void *mf_calloc(const mf_allocator *a, size_t n, size_t size);
void *mf_realloc(const mf_allocator *a, void *p, size_t size);
void mf_free(const mf_allocator *a, void *p);
char *mf_strndup(const mf_allocator *a, const char *s, size_t n);
char *mf_strdup(const mf_allocator *a, const char *s);

/* A metering allocator: allocates through `inner` and counts the bytes
 * live through it (the sizes asked for, not the inner allocator's own
 * overhead), so that an analysis can hold its records to a byte budget.
 * Each block carries a small header with its size: a block must be freed
 * through the meter that allocated it. The meter must not move while it
 * has blocks (`self.ctx` points at it). */
typedef struct mf_meter {
    mf_allocator self; /* allocate through &meter->self */
    const mf_allocator *inner;
    size_t live;       /* bytes live now */
    size_t peak;       /* the most ever live */
} mf_meter;

void mf_meter_init(mf_meter *m, const mf_allocator *inner);

/* Growable byte buffer, always NUL-terminated once anything was added. */
typedef struct mf_buf {
    const mf_allocator *alloc;
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; later appends are ignored */
} mf_buf;

void mf_buf_init(mf_buf *b, const mf_allocator *a);
int mf_buf_reserve(mf_buf *b, size_t extra);
int mf_buf_append(mf_buf *b, const void *data, size_t len);
int mf_buf_puts(mf_buf *b, const char *s);
int mf_buf_printf(mf_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mf_buf_clear(mf_buf *b);
void mf_buf_free(mf_buf *b);
/* Hand the data to the caller (who frees it with mf_free) and reset. */
char *mf_buf_detach(mf_buf *b);

/* Growable array of fixed-size elements. */
typedef struct mf_vec {
    const mf_allocator *alloc;
    void *data;
    size_t len;
    size_t cap;
    size_t elem;
} mf_vec;

void mf_vec_init(mf_vec *v, const mf_allocator *a, size_t elem);
/* Append one zeroed element and return it, or NULL on allocation failure. */
void *mf_vec_push(mf_vec *v);
void *mf_vec_at(const mf_vec *v, size_t i);
void mf_vec_free(mf_vec *v);

/* Errors: set the calling thread's last error (printf-style message). */
int mf_error_set(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* String helpers. */
const char *mf_memmem(const char *hay, size_t hlen, const char *needle,
                      size_t nlen);
bool mf_starts_with(const char *s, size_t len, const char *prefix);
/* Copy `len` bytes as valid UTF-8: invalid sequences become U+FFFD and
 * control characters other than tab become spaces. */
int mf_buf_append_utf8(mf_buf *b, const char *s, size_t len);

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12). */
int64_t mf_days_from_civil(int64_t y, unsigned m, unsigned d);

/* SHA-256 (OpenSSL's libcrypto). */
typedef struct mf_sha256 mf_sha256;
mf_sha256 *mf_sha256_new(void);
void mf_sha256_update(mf_sha256 *h, const void *data, size_t len);
/* Write 64 lowercase hex digits and a NUL to out, and free h. */
void mf_sha256_final_hex(mf_sha256 *h, char out[65]);
void mf_sha256_free(mf_sha256 *h);

#endif
