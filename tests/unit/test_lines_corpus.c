/* test_lines_corpus.c - golden test of the line reader and the normaliser.
 *
 *   test_lines_corpus DIR        every DIR/<name> with a DIR/<name>.expected
 *                                beside it is read (in one chunk and in
 *                                1-byte chunks, which must agree) and its
 *                                messages compared with the .expected file
 *   test_lines_corpus --dump FILE   print FILE's messages in that format
 *
 * One message per line: lineno TAB boot TAB mono_s|- TAB wall|- TAB msg.
 * Wall is ISO 8601; a year-less stamp is written "--MM-DDThh:mm:ss" (the
 * ISO 8601:2000 truncated form). In msg, '\' is written "\\" and control
 * characters other than tab and bytes that are not UTF-8 as "\xNN". Exit status 0 when all match. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/linereader.h"
#include "text/normalize.h"

typedef struct run {
    mf_normalizer *nz;
    mf_buf out;
} run;

/* Length of a valid multi-byte UTF-8 sequence at s, or 0. */
static size_t utf8_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = u[0] >= 0xF0 && u[0] <= 0xF4 ? 4
               : u[0] >= 0xE0                ? 3
               : u[0] >= 0xC2 && u[0] < 0xE0 ? 2
                                             : 0;
    if (!k || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((u[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

static int on_msg(void *ctx, const mf_logmsg *m)
{
    run *r = ctx;
    char wall[48];
    mf_logtime t = m->time;
    if (t.wall_flags & MF_WALL_NO_YEAR) {
        mf_logtime c = t;
        mf_logtime_set_year(&c, 2000);
        if (mf_logtime_format_wall(&c, wall) == 0) {
            wall[0] = wall[1] = '-';
            memmove(wall + 2, wall + 5, strlen(wall + 5) + 1);
        } else {
            strcpy(wall, "-");
        }
    } else if (mf_logtime_format_wall(&t, wall) != 0) {
        strcpy(wall, "-");
    }
    char mono[40];
    if (t.has_mono)
        snprintf(mono, sizeof mono, "%.6f", t.mono_s);
    else
        strcpy(mono, "-");
    mf_buf_printf(&r->out, "%llu\t%d\t%s\t%s\t",
                  (unsigned long long)m->lineno, (int)t.boot, mono, wall);
    for (size_t i = 0; i < m->len; i++) {
        unsigned char c = (unsigned char)m->msg[i];
        size_t u = c >= 0x80 ? utf8_len(m->msg + i, m->len - i) : 0;
        if (u) {
            mf_buf_append(&r->out, m->msg + i, u);
            i += u - 1;
        } else if (c >= 0x80)
            mf_buf_printf(&r->out, "\\x%02x", c);
        else if (c == '\\')
            mf_buf_puts(&r->out, "\\\\");
        else if ((c < 0x20 && c != '\t') || c == 0x7f)
            mf_buf_printf(&r->out, "\\x%02x", c);
        else
            mf_buf_append(&r->out, &m->msg[i], 1);
    }
    mf_buf_puts(&r->out, "\n");
    return 0;
}

static int on_line(void *ctx, const mf_line *line)
{
    run *r = ctx;
    return mf_normalizer_line(r->nz, line, on_msg, r);
}

/* Normalise data fed in chunks of `chunk` bytes (0: one chunk). */
static char *normalise(const char *data, size_t len, size_t chunk)
{
    run r;
    r.nz = mf_normalizer_new(NULL);
    mf_buf_init(&r.out, &mf_default_allocator);
    mf_linereader lr;
    mf_linereader_init(&lr, NULL, 0, on_line, &r);
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t off = 0; off < len; off += chunk)
        mf_linereader_feed(&lr, data + off,
                           len - off < chunk ? len - off : chunk);
    mf_linereader_finish(&lr);
    mf_normalizer_finish(r.nz, on_msg, &r);
    mf_linereader_free(&lr);
    mf_normalizer_free(r.nz);
    char *s = mf_buf_detach(&r.out);
    return s;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    mf_buf b;
    mf_buf_init(&b, &mf_default_allocator);
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        mf_buf_append(&b, tmp, n);
    fclose(f);
    *len = b.len;
    return mf_buf_detach(&b);
}

/* Print the first differing line of two texts. */
static void show_diff(const char *name, const char *want, const char *got)
{
    int line = 1;
    for (;;) {
        const char *we = strchr(want, '\n'), *ge = strchr(got, '\n');
        size_t wl = we ? (size_t)(we - want) : strlen(want);
        size_t gl = ge ? (size_t)(ge - got) : strlen(got);
        if (wl != gl || memcmp(want, got, wl) != 0 || !we || !ge) {
            fprintf(stderr, "%s: line %d of .expected differs\n  want: %.*s\n  got:  %.*s\n",
                    name, line, (int)wl, want, (int)gl, got);
            return;
        }
        want = we + 1;
        got = ge + 1;
        line++;
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--dump") == 0) {
        size_t len;
        char *data = slurp(argv[2], &len);
        if (!data) {
            perror(argv[2]);
            return 2;
        }
        char *out = normalise(data, len, 0);
        fputs(out, stdout);
        free(out);
        free(data);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR | --dump FILE\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 2;
    }
    char *names[1024];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nn < 1024) {
        size_t l = strlen(de->d_name);
        if (l > 9 && strcmp(de->d_name + l - 9, ".expected") == 0)
            names[nn++] = strndup(de->d_name, l - 9);
    }
    closedir(d);
    qsort(names, nn, sizeof names[0], cmp_names);
    int failed = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[4096], epath[4200];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        snprintf(epath, sizeof epath, "%s.expected", path);
        size_t len = 0, elen = 0;
        char *data = slurp(path, &len);
        char *want = slurp(epath, &elen);
        if (!data || !want) {
            fprintf(stderr, "%s: cannot read\n", path);
            failed++;
        } else {
            char *whole = normalise(data, len, 0);
            char *bytes = normalise(data, len, 1);
            char *odd = normalise(data, len, 7);
            if (strcmp(whole, want) != 0) {
                show_diff(names[i], want, whole);
                failed++;
            } else if (strcmp(whole, bytes) != 0 || strcmp(whole, odd) != 0) {
                fprintf(stderr, "%s: output depends on chunking\n", names[i]);
                show_diff(names[i], whole, strcmp(whole, bytes) ? bytes : odd);
                failed++;
            } else {
                printf("ok   %s\n", names[i]);
            }
            free(whole);
            free(bytes);
            free(odd);
        }
        free(data);
        free(want);
        free(names[i]);
    }
    printf("%zu samples, %d failed\n", nn, failed);
    return failed || nn == 0 ? 1 : 0;
}
