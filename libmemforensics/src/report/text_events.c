/* text_events.c - the summary lines of memory events, read from the JSON
 * document like the rest of the text summary:
 *   kmemleak: 3 suspects (2 backtraces, 1.5 KiB), top: memory leak in … (…)
 *   allocation failures: 2, first: nginx order 3 GFP_KERNEL|__GFP_COMP in …
 *   low-memory kills: 5 (kernel-lmk 2, lmkd 3), pressure signals: 1 */
#include <string.h>

#include "report/json_events.h"

static double num(const cJSON *obj, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(n) ? n->valuedouble : 0;
}

static const char *str(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static void put_bytes(mf_buf *b, double v)
{
    if (v >= 1048576)
        mf_buf_printf(b, "%.1f MiB", v / 1048576);
    else if (v >= 1024)
        mf_buf_printf(b, "%.1f KiB", v / 1024);
    else
        mf_buf_printf(b, "%.0f bytes", v);
}

void mf_report_text_events(mf_buf *b, const cJSON *doc)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(doc, "findings");
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(f, "kmemleak");
    const cJSON *sums = cJSON_GetObjectItemCaseSensitive(k, "summaries");
    if (num(k, "objects") == 0 && cJSON_GetArraySize(sums) > 0) {
        /* only the `N new suspected memory leaks` lines: no dump to group */
        double n = 0;
        const cJSON *sm;
        cJSON_ArrayForEach(sm, sums)
            n += num(sm, "count");
        mf_buf_printf(b, "kmemleak: %.0f suspected leak%s reported by %d scan%s, no report "
                         "read (collect /sys/kernel/debug/kmemleak)\n",
                      n, n == 1 ? "" : "s", cJSON_GetArraySize(sums),
                      cJSON_GetArraySize(sums) == 1 ? "" : "s");
    } else if (cJSON_GetObjectItemCaseSensitive(k, "objects")) {
        const cJSON *groups = cJSON_GetObjectItemCaseSensitive(k, "groups");
        int ng = cJSON_GetArraySize(groups);
        mf_buf_printf(b, "kmemleak: %.0f suspect%s (%d backtrace%s, ", num(k, "objects"),
                      num(k, "objects") == 1 ? "" : "s", ng, ng == 1 ? "" : "s");
        put_bytes(b, num(k, "bytes"));
        mf_buf_puts(b, ")");
        const cJSON *top = cJSON_GetArrayItem(groups, 0);
        if (top) {
            mf_buf_printf(b, ", top: %s (%.0f object%s, ", str(top, "title") ? str(top, "title") : "?",
                          num(top, "count"), num(top, "count") == 1 ? "" : "s");
            put_bytes(b, num(top, "bytes"));
            mf_buf_puts(b, ")");
        }
        mf_buf_puts(b, "\n");
    }
    const cJSON *af = cJSON_GetObjectItemCaseSensitive(f, "alloc_failures");
    int naf = cJSON_GetArraySize(af);
    if (naf > 0) {
        const cJSON *a = cJSON_GetArrayItem(af, 0);
        mf_buf_printf(b, "allocation failures: %d, first: %s %s", naf,
                      str(a, "comm") ? str(a, "comm") : "?",
                      str(a, "kind") ? str(a, "kind") : "?");
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(a, "order");
        if (cJSON_IsNumber(o))
            mf_buf_printf(b, " order %d", o->valueint);
        const cJSON *fl;
        bool first = true;
        cJSON_ArrayForEach(fl, cJSON_GetObjectItemCaseSensitive(a, "gfp_flags"))
        {
            mf_buf_printf(b, "%s%s", first ? " " : "|", cJSON_GetStringValue(fl));
            first = false;
        }
        if (str(a, "culprit"))
            mf_buf_printf(b, " in %s", str(a, "culprit"));
        mf_buf_puts(b, "\n");
    }
    const cJSON *kills = cJSON_GetObjectItemCaseSensitive(f, "lmk_kills");
    const cJSON *press = cJSON_GetObjectItemCaseSensitive(f, "lmk_pressure");
    int nk = cJSON_GetArraySize(kills), np = cJSON_GetArraySize(press);
    if (nk > 0 || np > 0) {
        static const char *const sources[] = {"kernel-lmk", "lmkd", "am_kill", "killinfo", NULL};
        mf_buf_printf(b, "low-memory kills: %d", nk);
        bool any = false;
        for (int i = 0; sources[i]; i++) {
            int n = 0;
            const cJSON *kl;
            cJSON_ArrayForEach(kl, kills)
            {
                const char *s = str(kl, "source");
                n += s && strcmp(s, sources[i]) == 0;
            }
            if (n) {
                mf_buf_printf(b, "%s%s %d", any ? ", " : " (", sources[i], n);
                any = true;
            }
        }
        if (any)
            mf_buf_puts(b, ")");
        if (np)
            mf_buf_printf(b, ", pressure signals: %d", np);
        mf_buf_puts(b, "\n");
    }
}
