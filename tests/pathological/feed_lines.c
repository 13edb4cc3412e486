/* Line reader on one large chunk: reads FILE into memory and feeds it to
 * the line reader in a single call, then prints the number of lines. The
 * library's sources hand the reader 64 KiB chunks, where a cost that grows
 * with the chunk stays bounded; a caller feeding a whole buffer at once
 * does not have that bound, and the pathological set checks this path for
 * linear cost (a reader that searched the rest of the chunk for an LF on
 * every lone-CR line was quadratic here and linear through the CLI). */
#include <stdio.h>
#include <stdlib.h>

#include "text/linereader.h"

static int count(void *ctx, const mf_line *l)
{
    (void)l;
    ++*(unsigned long long *)ctx;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: feed_lines FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 16, len = 0, n;
    char *data = malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *bigger = realloc(data, cap * 2);
            if (!bigger) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!data) {
        fprintf(stderr, "%s: out of memory\n", argv[1]);
        return 1;
    }
    unsigned long long lines = 0;
    mf_linereader lr;
    mf_linereader_init(&lr, NULL, 0, count, &lines);
    int rc = mf_linereader_feed(&lr, data, len);
    if (rc == 0)
        rc = mf_linereader_finish(&lr);
    mf_linereader_free(&lr);
    free(data);
    printf("%llu\n", lines);
    return rc == 0 ? 0 : 1;
}
