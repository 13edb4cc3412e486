#include "model/evidence.h"
#include "model/events.h"
#include "model/netcfg.h"
#include "model/snapfind.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {
    "parsed",  "recognised", "unrecognised", "corrupt",      "truncated",
    "refused", "encrypted",  "error",        "skipped-limit"};

const char *mf_member_status_name(mf_member_status s)
{
    if ((unsigned)s < sizeof status_names / sizeof status_names[0])
        return status_names[s];
    return "error";
}

mf_evidence *mf_evidence_new(const mf_allocator *a)
{
    mf_evidence *ev = mf_calloc(a, 1, sizeof *ev);
    if (!ev)
        return NULL;
    mf_meter_init(&ev->meter, a);
    a = ev->alloc = &ev->meter.self;
    ev->complete = true;
    mf_vec_init(&ev->kinds, a, sizeof(mf_kind_use));
    mf_vec_init(&ev->members, a, sizeof(mf_member));
    mf_vec_init(&ev->warnings, a, sizeof(mf_warning));
    mf_vec_init(&ev->banners, a, sizeof(mf_banner));
    mf_oom_records_init(&ev->oom, a);
    mf_snapstore_init(&ev->snaps, a);
    ev->snaps.names.full = &ev->budget_spent;
    return ev;
}

static void strfact_free(mf_evidence *ev, mf_strfact *f)
{
    mf_free(ev->alloc, f->value);
    mf_free(ev->alloc, f->text);
}

void mf_evidence_free(mf_evidence *ev)
{
    if (!ev)
        return;
    const mf_allocator *a = ev->alloc;
    for (size_t i = 0; i < ev->members.len; i++) {
        mf_member *m = mf_vec_at(&ev->members, i);
        mf_free(a, m->path);
        mf_free(a, m->error);
        mf_free(a, m->origin);
    }
    for (size_t i = 0; i < ev->warnings.len; i++) {
        mf_warning *w = mf_vec_at(&ev->warnings, i);
        mf_free(a, w->message);
    }
    for (size_t i = 0; i < ev->banners.len; i++) {
        mf_banner *b = mf_vec_at(&ev->banners, i);
        mf_free(a, b->release);
        mf_free(a, b->upstream);
        mf_free(a, b->arch);
        mf_free(a, b->text);
    }
    strfact_free(ev, &ev->arch_hint);
    mf_events_free(ev);
    mf_snapstore_free(&ev->snaps);
    mf_snapfind_free(a, ev->snapfind);
    strfact_free(ev, &ev->system.kernel_release);
    strfact_free(ev, &ev->system.kernel_version);
    strfact_free(ev, &ev->system.arch);
    mf_netcfg_free(ev);
    strfact_free(ev, &ev->system.oom_page_size_src);
    strfact_free(ev, &ev->system.oom_ram_src);
    strfact_free(ev, &ev->system.boot_ram_src);
    mf_oom_records_free(&ev->oom, a);
    mf_vec_free(&ev->members);
    mf_vec_free(&ev->warnings);
    mf_vec_free(&ev->banners);
    mf_vec_free(&ev->kinds);
    mf_free(a, ev->input_path);
    mf_free(a, ev->input_error);
    mf_free(ev->meter.inner, ev);
}

static mf_kind_use *kind_use(mf_evidence *ev, const char *kind)
{
    if (ev->last_kind < ev->kinds.len) {
        mf_kind_use *u = mf_vec_at(&ev->kinds, ev->last_kind);
        if (u->kind == kind)
            return u;
    }
    for (size_t i = 0; i < ev->kinds.len; i++) {
        mf_kind_use *u = mf_vec_at(&ev->kinds, i);
        if (u->kind == kind || strcmp(u->kind, kind) == 0) {
            ev->last_kind = i;
            return u;
        }
    }
    mf_kind_use *u = mf_vec_push(&ev->kinds);
    if (u) {
        u->kind = kind;
        ev->last_kind = ev->kinds.len - 1;
    }
    return u;
}

static void refuse(mf_evidence *ev, mf_kind_use *u, const char *why, int32_t member,
                   uint64_t line)
{
    ev->complete = false;
    if (u->refused)
        return;
    u->refused = true;
    mf_evidence_warn(ev, member, line, "record-limit", "%s: %s; later ones are not kept",
                     u->kind, why);
}

bool mf_evidence_keep(mf_evidence *ev, uint64_t kept, const char *kind,
                      size_t record_bytes, size_t report_bytes, int32_t member,
                      uint64_t line)
{
    mf_kind_use *u = kind_use(ev, kind);
    if (!u)
        return false; /* out of memory: nothing more is kept anyway */
    char why[128];
    if (ev->max_records && kept >= ev->max_records) {
        snprintf(why, sizeof why, "more than %u kept (limits.max_records)", ev->max_records);
        refuse(ev, u, why, member, line);
        return false;
    }
    uint64_t budget = ev->max_record_bytes;
    if (!budget)
        return true;
    uint64_t cost = (uint64_t)record_bytes + report_bytes;
    const char *unit = budget % (1u << 20) == 0 ? "MiB" : "bytes";
    uint64_t shown = budget % (1u << 20) == 0 ? budget >> 20 : budget;
    if (!ev->budget_spent && ev->meter.live + ev->report_bytes + cost > budget)
        ev->budget_spent = true;
    if (ev->budget_spent) {
        snprintf(why, sizeof why, "the records reached the memory budget of %llu %s "
                 "(limits.max_record_bytes)", (unsigned long long)shown, unit);
        refuse(ev, u, why, member, line);
        return false;
    }
    if (u->bytes + cost > budget / 2) {
        snprintf(why, sizeof why, "this kind reached half of the memory budget of %llu %s "
                 "(limits.max_record_bytes)", (unsigned long long)shown, unit);
        refuse(ev, u, why, member, line);
        return false;
    }
    u->bytes += cost;
    ev->report_bytes += report_bytes;
    return true;
}

int32_t mf_evidence_add_member(mf_evidence *ev, const char *path)
{
    if (ev->members.len >= INT32_MAX)
        return -1;
    char *p = mf_strdup(ev->alloc, path);
    if (!p)
        return -1;
    mf_member *m = mf_vec_push(&ev->members);
    /* members are never refused for memory (max_members bounds them), but
     * their report entries count against the record budget */
    ev->report_bytes += 1024;
    if (!m) {
        mf_free(ev->alloc, p);
        return -1;
    }
    m->path = p;
    m->kind = "unknown";
    m->status = MF_MEMBER_UNRECOGNISED;
    return (int32_t)(ev->members.len - 1);
}

mf_member *mf_evidence_member(mf_evidence *ev, int32_t index)
{
    return index < 0 ? NULL : mf_vec_at(&ev->members, (size_t)index);
}

void mf_member_set_status(mf_evidence *ev, int32_t index,
                          mf_member_status status, const char *error)
{
    mf_member *m = mf_evidence_member(ev, index);
    if (!m)
        return;
    m->status = status;
    mf_free(ev->alloc, m->error);
    m->error = error ? mf_evidence_excerpt(ev, error, strlen(error)) : NULL;
    if (status == MF_MEMBER_SKIPPED_LIMIT || status == MF_MEMBER_TRUNCATED)
        ev->complete = false;
}

void mf_evidence_warn(mf_evidence *ev, int32_t member, uint64_t line,
                      const char *code, const char *fmt, ...)
{
    if (ev->warnings.len >= MF_MAX_WARNINGS) {
        ev->warnings_dropped++; /* the report says how many */
        return;
    }
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char *msg = mf_evidence_excerpt(ev, text, strlen(text));
    if (!msg)
        return;
    mf_warning *w = mf_vec_push(&ev->warnings);
    if (!w) {
        mf_free(ev->alloc, msg);
        return;
    }
    w->member = member;
    w->line = line;
    w->code = code;
    w->message = msg;
}

char *mf_evidence_excerpt(mf_evidence *ev, const char *text, size_t len)
{
    mf_buf b;
    mf_buf_init(&b, ev->alloc);
    /* Cut without splitting a UTF-8 sequence. */
    if (len > MF_EXCERPT_MAX) {
        len = MF_EXCERPT_MAX;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    mf_buf_append_utf8(&b, text, len);
    if (b.failed) {
        mf_buf_free(&b);
        return NULL;
    }
    return mf_buf_detach(&b);
}

int mf_strfact_set(mf_evidence *ev, mf_strfact *f, const char *value,
                   size_t len, mf_loc loc, const char *text, size_t text_len)
{
    char *v = mf_evidence_excerpt(ev, value, len);
    char *t = mf_evidence_excerpt(ev, text, text_len);
    if (!v || !t) {
        mf_free(ev->alloc, v);
        mf_free(ev->alloc, t);
        return -1;
    }
    strfact_free(ev, f);
    f->value = v;
    f->text = t;
    f->loc = loc;
    return 0;
}
