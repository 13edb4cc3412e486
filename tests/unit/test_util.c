/* Unit tests for util: buffers, vectors, UTF-8 cleaning, SHA-256, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/util.h"

static const mf_allocator *A = &mf_default_allocator;

static void buf_grows_and_terminates(void **state)
{
    (void)state;
    mf_buf b;
    mf_buf_init(&b, A);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(mf_buf_printf(&b, "%d,", i), 0);
    assert_int_equal(strlen(b.data), b.len);
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_string_equal(b.data + b.len - 4, "999,");
    mf_buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    char *long_text = mf_calloc(A, 1000, 1);
    memset(long_text, 'x', 999);
    mf_buf_printf(&b, "<%s>", long_text); /* longer than the stack buffer */
    assert_int_equal(b.len, 1001);
    mf_free(A, long_text);
    mf_buf_free(&b);
}

static void vec_push_and_index(void **state)
{
    (void)state;
    mf_vec v;
    mf_vec_init(&v, A, sizeof(uint64_t));
    for (uint64_t i = 0; i < 100; i++)
        *(uint64_t *)mf_vec_push(&v) = i * i;
    assert_int_equal(v.len, 100);
    assert_int_equal(*(uint64_t *)mf_vec_at(&v, 99), 9801);
    assert_null(mf_vec_at(&v, 100));
    mf_vec_free(&v);
}

static void utf8_cleaning(void **state)
{
    (void)state;
    mf_buf b;
    mf_buf_init(&b, A);
    /* valid multibyte text passes unchanged */
    const char *ok = "OOM \xe5\x86\x85\xe5\xad\x98 ok";
    mf_buf_append_utf8(&b, ok, strlen(ok));
    assert_string_equal(b.data, "OOM \xe5\x86\x85\xe5\xad\x98 ok");
    mf_buf_clear(&b);
    /* a stray continuation byte, an overlong form, a truncated sequence */
    mf_buf_append_utf8(&b, "a\x80" "b\xc0\xaf" "c\xe5\x86", 8);
    assert_string_equal(b.data, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd");
    mf_buf_clear(&b);
    /* control characters become spaces, tabs stay */
    mf_buf_append_utf8(&b, "x\x1b[0m\ty\x7f", 8);
    assert_string_equal(b.data, "x [0m\ty ");
    mf_buf_clear(&b);
    /* surrogates are not UTF-8 */
    mf_buf_append_utf8(&b, "\xed\xa0\x80", 3);
    assert_string_equal(b.data, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    mf_buf_free(&b);
}

static void sha256_known_values(void **state)
{
    (void)state;
    char hex[65];
    mf_sha256 *h = mf_sha256_new();
    mf_sha256_final_hex(h, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    h = mf_sha256_new();
    mf_sha256_update(h, "a", 1);
    mf_sha256_update(h, "bc", 2);
    mf_sha256_final_hex(h, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void errors_are_one_line(void **state)
{
    (void)state;
    mf_error_clear();
    assert_null(mf_error_last());
    assert_int_equal(mf_error_set(MF_EINPUT, "a\nb\r%s", "c"), MF_EINPUT);
    const mf_error *e = mf_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, MF_EINPUT);
    assert_string_equal(e->message, "a b c");
    mf_error_clear();
    assert_null(mf_error_last());
}

static void memmem_finds(void **state)
{
    (void)state;
    const char *s = "Out of memory: Killed process";
    assert_ptr_equal(mf_memmem(s, strlen(s), "Killed", 6), s + 15);
    assert_null(mf_memmem(s, strlen(s), "killed", 6));
    assert_null(mf_memmem(s, 3, "Out of", 6));
}

/* The meter counts what is live through it: grows with calloc and
 * realloc, shrinks with realloc and free, remembers the peak; blocks stay
 * aligned for any type. */
static void meter_counts_live_bytes(void **state)
{
    (void)state;
    mf_meter m;
    mf_meter_init(&m, &mf_default_allocator);
    const mf_allocator *a = &m.self;
    char *p = mf_calloc(a, 10, 10);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    assert_int_equal(m.live, 100);
    assert_int_equal(p[99], 0);
    p = mf_realloc(a, p, 1000);
    assert_non_null(p);
    assert_int_equal(m.live, 1000);
    char *q = mf_strdup(a, "four");
    assert_int_equal(m.live, 1005);
    p = mf_realloc(a, p, 10);
    assert_int_equal(m.live, 15);
    assert_int_equal(m.peak, 1005);
    mf_free(a, p);
    mf_free(a, q);
    assert_int_equal(m.live, 0);
    assert_null(mf_calloc(a, SIZE_MAX / 2, 4)); /* overflow: refused, not wrapped */
    assert_int_equal(m.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_terminates),
        cmocka_unit_test(vec_push_and_index),
        cmocka_unit_test(utf8_cleaning),
        cmocka_unit_test(sha256_known_values),
        cmocka_unit_test(errors_are_one_line),
        cmocka_unit_test(memmem_finds),
        cmocka_unit_test(meter_counts_live_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
