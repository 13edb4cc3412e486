/* text_snap.c - the snapshot lines of the text summary: the fastest
 * growing slab cache, and the MemAvailable trend with time to exhaustion,
 * each only as far as the data supports a claim. */
#include <math.h>

#include "report/json_snap.h"

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

void mf_text_snap(mf_buf *b, const cJSON *doc)
{
    const cJSON *f = get(doc, "findings");
    const cJSON *slab = get(f, "slab");
    const cJSON *mem = get(f, "meminfo");
    if (cJSON_IsNumber(get(slab, "snapshots"))) {
        const cJSON *c = cJSON_GetArrayItem(get(slab, "caches"), 0);
        if (c && cJSON_IsTrue(get(c, "claim")) &&
            cJSON_IsNumber(get(c, "growth_bytes_per_hour")) &&
            get(c, "growth_bytes_per_hour")->valuedouble > 0) {
            double kib = get(c, "growth_bytes_per_hour")->valuedouble / 1024;
            mf_buf_printf(b, "slab: %s grows %.1f %s/h (R² %.2f)",
                          cJSON_GetStringValue(get(c, "name")),
                          kib >= 10240 ? kib / 1024 : kib, kib >= 10240 ? "MiB" : "KiB",
                          cJSON_IsNumber(get(c, "r2")) ? get(c, "r2")->valuedouble : 0);
            const cJSON *m, *mc = get(c, "merge_candidates");
            int i = 0;
            cJSON_ArrayForEach(m, mc)
                mf_buf_printf(b, "%s%s", i++ ? ", " : "; may hold merged caches: ",
                              cJSON_GetStringValue(get(m, "name")));
            mf_buf_puts(b, "\n");
        } else {
            mf_buf_printf(b, "slab: %d snapshot(s), no growing cache claimed\n",
                          (int)get(slab, "snapshots")->valuedouble);
        }
    }
    if (cJSON_IsNumber(get(mem, "snapshots"))) {
        const cJSON *av = get(get(mem, "series"), "MemAvailable");
        const cJSON *eta = get(mem, "exhaustion_eta_h");
        if (av && cJSON_IsTrue(get(av, "claim"))) {
            mf_buf_printf(b, "memory: available %+.1f MiB/h (R² %.2f)",
                          get(av, "slope_kb_per_hour")->valuedouble / 1024,
                          get(av, "r2")->valuedouble);
            if (cJSON_IsNumber(eta))
                mf_buf_printf(b, ", exhausted in about %.1f h", eta->valuedouble);
            mf_buf_puts(b, "\n");
        } else {
            const char *lim = cJSON_GetStringValue(get(mem, "exhaustion_limit"));
            mf_buf_printf(b, "memory: %d snapshot(s), no trend claimed (%s)\n",
                          (int)get(mem, "snapshots")->valuedouble, lim ? lim : "-");
        }
    }
}
