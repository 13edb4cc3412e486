/* Helpers shared by the unit tests: run an analysis and look into its JSON,
 * and build archives in memory with libarchive's writer. */
#ifndef MF_TESTUTIL_H
#define MF_TESTUTIL_H

#include <archive.h>
#include <archive_entry.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "memforensics.h"

/* Analyse a buffer and return the parsed JSON report (caller deletes). */
static inline cJSON *tu_analyze_buffer(const void *data, size_t len,
                                       const char *name, const mf_options *o,
                                       int *rc_out)
{
    mf_report *r = NULL;
    int rc = mf_analyze_buffer(&r, data, len, name, o);
    if (rc_out)
        *rc_out = rc;
    if (!r)
        return NULL;
    cJSON *doc = cJSON_Parse(mf_report_render(r, MF_FORMAT_JSON, NULL));
    mf_report_free(r);
    return doc;
}

/* Walk a dotted path ("system.kernel_release", "input.members.0.path"). */
static inline const cJSON *tu_get(const cJSON *doc, const char *path)
{
    char buf[256];
    strncpy(buf, path, sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    const cJSON *cur = doc;
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, ".")) {
        if (cJSON_IsArray(cur))
            cur = cJSON_GetArrayItem(cur, atoi(tok));
        else
            cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
    }
    return cur;
}

static inline const char *tu_str(const cJSON *doc, const char *path)
{
    return cJSON_GetStringValue(tu_get(doc, path));
}

/* An in-memory archive being written. */
typedef struct tu_archive {
    struct archive *a;
    char *data;
    size_t cap;
    size_t used;
} tu_archive;

static inline void tu_archive_begin(tu_archive *t, const char *format,
                                    const char *filter)
{
    t->cap = 64u << 20;
    t->data = malloc(t->cap);
    t->used = 0;
    t->a = archive_write_new();
    archive_write_set_format_by_name(t->a, format);
    if (filter)
        archive_write_add_filter_by_name(t->a, filter);
    archive_write_set_bytes_in_last_block(t->a, 1);
    archive_write_open_memory(t->a, t->data, t->cap, &t->used);
}

/* Add an entry: type AE_IFREG, AE_IFLNK (data is the target), AE_IFIFO... */
static inline void tu_archive_add(tu_archive *t, const char *name,
                                  unsigned type, const void *data, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1565077200, 0);
    if (type == AE_IFLNK) {
        archive_entry_set_symlink(e, (const char *)data);
        archive_entry_set_size(e, 0);
        len = 0;
    } else {
        archive_entry_set_size(e, (la_int64_t)(type == AE_IFREG ? len : 0));
    }
    archive_write_header(t->a, e);
    if (type == AE_IFREG && len)
        archive_write_data(t->a, data, len);
    archive_entry_free(e);
}

static inline void tu_archive_hardlink(tu_archive *t, const char *name,
                                       const char *target)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_hardlink(e, target);
    archive_entry_set_size(e, 0);
    archive_write_header(t->a, e);
    archive_entry_free(e);
}

static inline void tu_archive_end(tu_archive *t)
{
    archive_write_close(t->a);
    archive_write_free(t->a);
}

static const char tu_dmesg[] =
    "[    0.000000] Booting Linux on physical CPU 0x0\n"
    "[    0.000000] Linux version 5.4.164-1-default (geeko@buildhost) (gcc version 9.3.1) #1 SMP Tue Dec 7 08:44:11 UTC 2021 (a1b2c3d)\n"
    "[    0.000000] Boot CPU: AArch64 Processor [410fd034]\n"
    "[   12.102938] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready\n";

#endif
