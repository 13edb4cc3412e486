/* json.c - the report document. Field names are the contract a ticketing
 * system reads; they are listed in docs/report.schema.json and, where a rule
 * may test them, in the fact registry (src/model/facts.c). */
#include <stdio.h>
#include <string.h>

#include "memforensics.h"
#include "report/report.h"
#include "report/json_events.h"
#include "report/json_netcfg.h"
#include "report/json_oom.h"
#include "report/json_snap.h"
#include "model/duplicates.h"

cJSON *mf_json_add_str(const mf_allocator *a, cJSON *obj, const char *key,
                       const char *value)
{
    if (!value)
        return cJSON_AddNullToObject(obj, key);
    mf_buf b;
    mf_buf_init(&b, a);
    mf_buf_append_utf8(&b, value, strlen(value));
    cJSON *item = b.failed ? NULL : cJSON_AddStringToObject(obj, key, b.data ? b.data : "");
    mf_buf_free(&b);
    return item;
}

static const char *member_path(const mf_evidence *ev, int32_t i)
{
    const mf_member *m = i >= 0 ? mf_vec_at(&ev->members, (size_t)i) : NULL;
    return m ? m->path : NULL;
}

static const char *date_basis_name(mf_date_basis b)
{
    switch (b) {
    case MF_DATE_CAPTURE: return "capture-time";
    case MF_DATE_LOG: return "dated-log-line";
    case MF_DATE_ARCHIVE_MTIME: return "archive-mtime";
    default: return "none";
    }
}

void mf_json_add_time(const mf_evidence *ev, cJSON *obj, const char *key,
                      const mf_logtime *t, bool has)
{
    cJSON *tm = cJSON_AddObjectToObject(obj, key);
    if (!tm)
        return;
    if (!has) {
        cJSON_AddNullToObject(tm, "boot");
        cJSON_AddNullToObject(tm, "mono_s");
        cJSON_AddNullToObject(tm, "wall");
        return;
    }
    if (t->boot >= 0)
        cJSON_AddNumberToObject(tm, "boot", t->boot);
    else
        cJSON_AddNullToObject(tm, "boot");
    if (t->has_mono)
        cJSON_AddNumberToObject(tm, "mono_s", t->mono_s);
    else
        cJSON_AddNullToObject(tm, "mono_s");
    char wall[48];
    bool no_year = (t->wall_flags & MF_WALL_VALID) && (t->wall_flags & MF_WALL_NO_YEAR);
    const mf_date_ref *ref = &ev->date_ref;
    if (no_year && ref->basis != MF_DATE_NONE) {
        mf_logtime y = *t;
        /* a stamp later in the year than the capture is from the year before */
        mf_logtime_set_year(&y, t->mon > ref->month ? ref->year - 1 : ref->year);
        mf_json_add_str(ev->alloc, tm, "wall",
                        mf_logtime_format_wall(&y, wall) == 0 ? wall : NULL);
        cJSON *from = cJSON_AddObjectToObject(tm, "year_from");
        if (from) {
            mf_json_add_str(ev->alloc, from, "member", member_path(ev, ref->member));
            if (ref->line)
                cJSON_AddNumberToObject(from, "line", (double)ref->line);
            else
                cJSON_AddNullToObject(from, "line");
            cJSON_AddStringToObject(from, "basis", date_basis_name(ref->basis));
        }
    } else if (mf_logtime_format_wall(t, wall) == 0) {
        mf_json_add_str(ev->alloc, tm, "wall", wall);
    } else if (no_year) {
        int n = snprintf(wall, sizeof wall, "--%02d-%02dT%02d:%02d:%02d", t->mon,
                         t->mday, t->hour, t->min, t->sec);
        if ((t->wall_flags & MF_WALL_HAS_FRAC) && t->frac_digits > 0 && n > 0) {
            char frac[8];
            snprintf(frac, sizeof frac, "%06d", (int)(t->usec % 1000000));
            int d = t->frac_digits > 6 ? 6 : t->frac_digits;
            snprintf(wall + n, sizeof wall - (size_t)n, ".%.*s", d, frac);
        }
        mf_json_add_str(ev->alloc, tm, "wall", wall);
    } else {
        cJSON_AddNullToObject(tm, "wall");
    }
}

/* {member, line, text} of a source location. */
static cJSON *add_source(const mf_evidence *ev, cJSON *obj, const char *key,
                         const mf_strfact *f)
{
    cJSON *src = cJSON_AddObjectToObject(obj, key);
    if (!src)
        return NULL;
    mf_json_add_str(ev->alloc, src, "member", member_path(ev, (int32_t)f->loc.member));
    cJSON_AddNumberToObject(src, "line", (double)f->loc.line);
    mf_json_add_str(ev->alloc, src, "text", f->text);
    return src;
}

static void build_input(const mf_evidence *ev, cJSON *doc)
{
    cJSON *in = cJSON_AddObjectToObject(doc, "input");
    if (!in)
        return;
    mf_json_add_str(ev->alloc, in, "path", ev->input_path);
    cJSON_AddNumberToObject(in, "size_bytes", (double)ev->input_size);
    mf_json_add_str(ev->alloc, in, "sha256",
                    ev->input_sha256[0] ? ev->input_sha256 : NULL);
    cJSON_AddBoolToObject(in, "complete", ev->complete && !ev->input_error);
    if (ev->input_error)
        mf_json_add_str(ev->alloc, in, "error", ev->input_error);
    cJSON *members = cJSON_AddArrayToObject(in, "members");
    int32_t *dup = mf_member_duplicates(ev);
    for (size_t i = 0; members && dup && i < ev->members.len; i++) {
        const mf_member *m = mf_vec_at(&ev->members, i);
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(members, o)) {
            cJSON_Delete(o);
            break;
        }
        mf_json_add_str(ev->alloc, o, "path", m->path);
        mf_json_add_str(ev->alloc, o, "kind", m->kind);
        cJSON_AddNumberToObject(o, "size_bytes", (double)m->size);
        mf_json_add_str(ev->alloc, o, "status", mf_member_status_name(m->status));
        if (m->error)
            mf_json_add_str(ev->alloc, o, "error", m->error);
        mf_json_add_str(ev->alloc, o, "origin", m->origin);
        mf_json_add_str(ev->alloc, o, "duplicate_of",
                        dup[i] >= 0 ? member_path(ev, dup[i]) : NULL);
    }
    mf_free(ev->alloc, dup);
}

static void build_system(const mf_evidence *ev, cJSON *doc)
{
    cJSON *sys = cJSON_AddObjectToObject(doc, "system");
    if (!sys)
        return;
    mf_json_add_str(ev->alloc, sys, "kernel_release", ev->system.kernel_release.value);
    mf_json_add_str(ev->alloc, sys, "kernel_version", ev->system.kernel_version.value);
    mf_json_add_str(ev->alloc, sys, "arch", ev->system.arch.value);
    mf_json_add_str(ev->alloc, sys, "platform", mf_netcfg_platform(ev));
    mf_json_add_str(ev->alloc, sys, "hostname", mf_netcfg_hostname(ev));
    mf_json_snap_mem_total(ev, sys);
    cJSON_AddNullToObject(sys, "page_size");
    cJSON *sources = cJSON_AddObjectToObject(sys, "sources");
    if (!sources)
        return;
    if (ev->system.kernel_release.value)
        add_source(ev, sources, "kernel_release", &ev->system.kernel_release);
    if (ev->system.kernel_version.value)
        add_source(ev, sources, "kernel_version", &ev->system.kernel_version);
    if (ev->system.arch.value)
        add_source(ev, sources, "arch", &ev->system.arch);
    mf_json_netcfg_system_sources(ev, sources);
    mf_json_snap_mem_total_source(ev, sources);
    mf_json_oom_system(ev, sys, sources);
}

static void build_findings(const mf_evidence *ev, cJSON *doc)
{
    cJSON *f = cJSON_AddObjectToObject(doc, "findings");
    if (!f)
        return;
    mf_json_oom_events(ev, f);
    mf_json_alloc_failures(ev, f);
    mf_json_lmk(ev, f); /* lmk_kills[] and lmk_pressure[] */
    mf_json_kmemleak(ev, f);
    mf_json_snap_section(ev, f, "slab");
    mf_json_snap_section(ev, f, "fragmentation");
    mf_json_snap_section(ev, f, "meminfo");
    mf_json_snap_section(ev, f, "processes");
    cJSON *sockets = cJSON_AddObjectToObject(f, "sockets");
    if (sockets)
        mf_json_netcfg_sockets(ev, sockets);
    cJSON *ifaces = cJSON_AddArrayToObject(f, "interfaces");
    if (ifaces)
        mf_json_netcfg_interfaces(ev, ifaces);
    cJSON *routes = cJSON_AddObjectToObject(f, "routes");
    if (routes)
        mf_json_netcfg_routes(ev, routes);
    mf_json_snap_section(ev, f, "tmpfs");
    mf_json_snap_section(ev, f, "vmalloc");
    mf_json_snap_section(ev, f, "vmstat");
    mf_json_snap_section(ev, f, "psi");
}

static void build_facts(const mf_evidence *ev, cJSON *doc)
{
    cJSON *f = cJSON_AddObjectToObject(doc, "facts");
    if (!f)
        return;
    mf_json_netcfg_facts(ev, f);
}

static void build_warnings(const mf_evidence *ev, cJSON *doc)
{
    cJSON *arr = cJSON_AddArrayToObject(doc, "warnings");
    for (size_t i = 0; arr && i < ev->warnings.len; i++) {
        const mf_warning *w = mf_vec_at(&ev->warnings, i);
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            return;
        }
        mf_json_add_str(ev->alloc, o, "member",
                        w->member >= 0 ? member_path(ev, w->member) : NULL);
        if (w->line)
            cJSON_AddNumberToObject(o, "line", (double)w->line);
        else
            cJSON_AddNullToObject(o, "line");
        mf_json_add_str(ev->alloc, o, "code", w->code);
        mf_json_add_str(ev->alloc, o, "message", w->message);
    }
    if (arr && ev->warnings_dropped) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            return;
        }
        char msg[128];
        snprintf(msg, sizeof msg, "%llu more warnings were not kept (the first %d are above)",
                 (unsigned long long)ev->warnings_dropped, MF_MAX_WARNINGS);
        cJSON_AddNullToObject(o, "member");
        cJSON_AddNullToObject(o, "line");
        cJSON_AddStringToObject(o, "code", "warning-limit");
        cJSON_AddStringToObject(o, "message", msg);
    }
}

cJSON *mf_report_build(const mf_evidence *ev, unsigned flags,
                       const char *rules_version)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    cJSON_AddNumberToObject(doc, "schema_version", MF_SCHEMA_VERSION);
    cJSON *tool = cJSON_AddObjectToObject(doc, "tool");
    if (tool) {
        cJSON_AddStringToObject(tool, "name", "memforensics");
        cJSON_AddStringToObject(tool, "version", MF_VERSION_STRING);
        mf_json_add_str(ev->alloc, tool, "rules_version", rules_version);
    }
    build_input(ev, doc);
    build_system(ev, doc);
    build_findings(ev, doc);
    build_facts(ev, doc);
    if (!(flags & MF_OPT_EVIDENCE_ONLY)) {
        cJSON_AddArrayToObject(doc, "diagnoses");
        cJSON_AddArrayToObject(doc, "not_evaluable");
    }
    build_warnings(ev, doc);
    return doc;
}
