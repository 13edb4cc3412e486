/* test_linereader.c - unit tests of the bounded line reader. Every input is
 * also fed in every chunk size from 1 byte to the whole, which must give the
 * same lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/linereader.h"

typedef struct sink {
    mf_buf out; /* "lineno:flags:text|" per line */
    int stop_at; /* return 7 at this line number, 0 never */
} sink;

static int on_line(void *ctx, const mf_line *l)
{
    sink *s = ctx;
    mf_buf_printf(&s->out, "%llu:%u:", (unsigned long long)l->lineno,
                  l->flags);
    mf_buf_append(&s->out, l->text, l->len);
    mf_buf_puts(&s->out, "|");
    return s->stop_at && (int)l->lineno == s->stop_at ? 7 : 0;
}

/* Feed `len` bytes in chunks of `chunk` (0: one chunk) and return the lines;
 * the caller frees. Statistics go to *st if given. */
static char *run(const char *in, size_t len, size_t chunk, size_t max,
                 mf_linereader *st)
{
    sink s = {.stop_at = 0};
    mf_buf_init(&s.out, &mf_default_allocator);
    mf_linereader lr;
    mf_linereader_init(&lr, NULL, max, on_line, &s);
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t off = 0; off < len; off += chunk)
        assert_int_equal(mf_linereader_feed(&lr, in + off,
                                            len - off < chunk ? len - off
                                                              : chunk),
                         0);
    assert_int_equal(mf_linereader_finish(&lr), 0);
    if (st)
        *st = lr;
    mf_linereader_free(&lr);
    mf_buf_puts(&s.out, "");
    return mf_buf_detach(&s.out);
}

/* The lines of `in` must be `want` for every chunk size. */
static void check(const char *in, size_t len, size_t max, const char *want)
{
    for (size_t chunk = 0; chunk <= len; chunk++) {
        char *got = run(in, len, chunk, max, NULL);
        if (strcmp(got, want) != 0)
            fail_msg("chunk %zu: got \"%s\" want \"%s\"", chunk, got, want);
        free(got);
    }
}

#define CHECK(lit, max, want) check(lit, sizeof(lit) - 1, max, want)

static void test_lf(void **state)
{
    (void)state;
    CHECK("a\nbb\n\nccc\n", 0, "1:0:a|2:0:bb|3:0:|4:0:ccc|");
    CHECK("", 0, "");
    CHECK("\n", 0, "1:0:|");
}

static void test_crlf_and_cr(void **state)
{
    (void)state;
    CHECK("a\r\nb\r\n", 0, "1:0:a|2:0:b|");
    /* serial consoles: CR CR LF is one end */
    CHECK("a\r\r\nb\r\r\r\n", 0, "1:0:a|2:0:b|");
    /* lone CRs: each one ends a line */
    CHECK("a\rb\r\rc\n", 0, "1:0:a|2:0:b|3:0:|4:0:c|");
    CHECK("a\r\r\rX", 0, "1:0:a|2:0:|3:0:|4:2:X|");
    /* trailing CRs at the end of the input */
    CHECK("a\r", 0, "1:0:a|");
    CHECK("a\r\r", 0, "1:0:a|2:0:|");
    CHECK("a\r\n\r\nb", 0, "1:0:a|2:0:|3:2:b|");
    CHECK("\r\n\n", 0, "1:0:|2:0:|");
}

static void test_nul(void **state)
{
    (void)state;
    char want[64];
    snprintf(want, sizeof want, "1:%u:abc|2:0:d|3:%u:|",
             MF_LINE_HAD_NUL, MF_LINE_HAD_NUL);
    CHECK("a\0b\0\0c\nd\n\0\0\n", 0, want);
    mf_linereader st;
    char *got = run("a\0b\0\0c\nd\n\0\0\n", 12, 3, 0, &st);
    assert_int_equal(st.nul_bytes, 5);
    assert_int_equal(st.lines, 3);
    assert_int_equal(st.bytes, 12);
    free(got);
}

static void test_truncated_last_line(void **state)
{
    (void)state;
    char want[64];
    snprintf(want, sizeof want, "1:0:one|2:%u:two", MF_LINE_NO_EOL);
    strcat(want, "|");
    CHECK("one\ntwo", 0, want);
    snprintf(want, sizeof want, "1:%u:x|", MF_LINE_NO_EOL | MF_LINE_HAD_NUL);
    CHECK("x\0", 0, want);
}

static void test_long_lines(void **state)
{
    (void)state;
    char want[128];
    /* limit 4: "abcdefgh" is cut to "abcd" and counted */
    snprintf(want, sizeof want, "1:%u:abcd|2:0:xy|3:0:1234|4:%u:5678|",
             MF_LINE_CUT, MF_LINE_CUT | MF_LINE_NO_EOL);
    CHECK("abcdefgh\nxy\n1234\n56789", 4, want);
    mf_linereader st;
    char *got = run("abcdefgh\nxy\n1234\n56789", 22, 1, 4, &st);
    assert_int_equal(st.cut_lines, 2);
    assert_int_equal(st.lines, 4);
    free(got);
    /* a cut line ended by CR LF */
    snprintf(want, sizeof want, "1:%u:abc|2:0:d|", MF_LINE_CUT);
    CHECK("abcdef\r\nd\n", 3, want);
}

static void test_default_limit(void **state)
{
    (void)state;
    size_t n = 65536 + 100;
    char *in = malloc(n + 1);
    memset(in, 'x', n);
    in[n] = '\n';
    mf_linereader st;
    char *got = run(in, n + 1, 4096, 0, &st);
    assert_int_equal(st.cut_lines, 1);
    /* "1:1:" + 65536 x + "|" */
    assert_int_equal(strlen(got), 4 + 65536 + 1);
    free(got);
    in[65536] = '\n'; /* exactly the limit */
    got = run(in, 65536 + 1, 1000, 0, &st);
    assert_int_equal(st.cut_lines, 0);
    assert_int_equal(strlen(got), 4 + 65536 + 1);
    free(got);
    free(in);
}

static void test_stop(void **state)
{
    (void)state;
    sink s = {.stop_at = 2};
    mf_buf_init(&s.out, &mf_default_allocator);
    mf_linereader lr;
    mf_linereader_init(&lr, NULL, 0, on_line, &s);
    assert_int_equal(mf_linereader_feed(&lr, "a\nb\nc\n", 6), 7);
    assert_string_equal(s.out.data, "1:0:a|2:0:b|");
    mf_linereader_free(&lr);
    mf_buf_free(&s.out);
}

static void test_line_numbers_mixed(void **state)
{
    (void)state;
    CHECK("l1\r\nl2\nl3\rl4\r\r\nl5", 0,
          "1:0:l1|2:0:l2|3:0:l3|4:0:l4|5:2:l5|");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lf),
        cmocka_unit_test(test_crlf_and_cr),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_truncated_last_line),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_default_limit),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_line_numbers_mixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
