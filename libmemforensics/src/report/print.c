/* print.c - deterministic JSON text for a report document.
 *
 * cJSON's printer chooses number formats by value and indents with tabs; the
 * contract wants byte-identical output everywhere with floats at a fixed
 * precision, so the report prints itself: two-space indentation (or one
 * line), integers as integers, other numbers with at most 4 decimals and no
 * trailing zeros, object members in the order the builder added them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

static void put_string(mf_buf *b, const char *s)
{
    mf_buf_append(b, "\"", 1);
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        mf_buf_append(b, run, (size_t)(p - run));
        switch (c) {
        case '"': mf_buf_puts(b, "\\\""); break;
        case '\\': mf_buf_puts(b, "\\\\"); break;
        case '\n': mf_buf_puts(b, "\\n"); break;
        case '\r': mf_buf_puts(b, "\\r"); break;
        case '\t': mf_buf_puts(b, "\\t"); break;
        default: mf_buf_printf(b, "\\u%04x", c); break;
        }
        run = p + 1;
    }
    mf_buf_puts(b, run);
    mf_buf_append(b, "\"", 1);
}

void mf_json_put_number(mf_buf *b, double v)
{
    if (!isfinite(v)) {
        mf_buf_puts(b, "null");
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        mf_buf_printf(b, "%.0f", v);
        return;
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.4f", v);
    size_t n = strlen(tmp);
    while (n > 0 && tmp[n - 1] == '0')
        n--;
    if (n > 0 && tmp[n - 1] == '.')
        n--;
    if (n == 2 && tmp[0] == '-' && tmp[1] == '0') /* -0.00001 */
        mf_buf_puts(b, "0");
    else
        mf_buf_append(b, tmp, n);
}

static void indent(mf_buf *b, int pretty, int depth)
{
    if (!pretty)
        return;
    mf_buf_append(b, "\n", 1);
    for (int i = 0; i < depth; i++)
        mf_buf_append(b, "  ", 2);
}

static void put_value(mf_buf *b, const cJSON *v, int pretty, int depth)
{
    if (cJSON_IsNull(v) || !v) {
        mf_buf_puts(b, "null");
    } else if (cJSON_IsTrue(v)) {
        mf_buf_puts(b, "true");
    } else if (cJSON_IsFalse(v)) {
        mf_buf_puts(b, "false");
    } else if (cJSON_IsNumber(v)) {
        mf_json_put_number(b, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        put_string(b, v->valuestring ? v->valuestring : "");
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        int obj = cJSON_IsObject(v);
        mf_buf_append(b, obj ? "{" : "[", 1);
        const cJSON *c = v->child;
        for (int first = 1; c; c = c->next, first = 0) {
            if (!first)
                mf_buf_append(b, ",", 1);
            indent(b, pretty, depth + 1);
            if (obj) {
                put_string(b, c->string ? c->string : "");
                mf_buf_puts(b, pretty ? ": " : ":");
            }
            put_value(b, c, pretty, depth + 1);
        }
        if (v->child)
            indent(b, pretty, depth);
        mf_buf_append(b, obj ? "}" : "]", 1);
    } else {
        mf_buf_puts(b, "null");
    }
}

char *mf_json_print(const mf_allocator *a, const cJSON *doc, int pretty)
{
    mf_buf b;
    mf_buf_init(&b, a);
    put_value(&b, doc, pretty, 0);
    if (pretty)
        mf_buf_append(&b, "\n", 1);
    if (b.failed) {
        mf_buf_free(&b);
        return NULL;
    }
    return mf_buf_detach(&b);
}
