#include "parse/dispatch.h"

#include <string.h>

#include "rules/rules.h"

struct mf_dispatch {
    mf_evidence *ev;
    const mf_allocator *alloc;
    size_t max_line;
    mf_normalizer *norm;
    /* current member */
    int32_t member;
    mf_parse_ctx pc;
    char head[MF_CLASSIFY_HEAD];
    size_t head_len;
    bool classified;
    bool active; /* lines are being read */
    const mf_module *mod;
    void *state;
    mf_linereader lr;
    bool failed; /* allocation failure inside the member */
    mf_logmatch *logmatch; /* the rules' log conditions, or NULL */
};

mf_dispatch *mf_dispatch_new(mf_evidence *ev, size_t max_line_bytes)
{
    mf_dispatch *d = mf_calloc(ev->alloc, 1, sizeof *d);
    if (!d)
        return NULL;
    d->ev = ev;
    d->alloc = ev->alloc;
    d->max_line = max_line_bytes;
    d->norm = mf_normalizer_new(ev->alloc);
    if (!d->norm) {
        mf_free(ev->alloc, d);
        return NULL;
    }
    d->member = -1;
    return d;
}

void mf_dispatch_free(mf_dispatch *d)
{
    if (!d)
        return;
    mf_normalizer_free(d->norm);
    mf_free(d->alloc, d);
}

/* Keep the newest full date of the log lines: year-less stamps elsewhere in
 * the bundle borrow its year (analyze/system.c). */
static void note_log_date(mf_dispatch *d, const mf_logmsg *msg)
{
    const mf_logtime *t = &msg->time;
    if (!(t->wall_flags & MF_WALL_VALID) || (t->wall_flags & MF_WALL_NO_YEAR) ||
        t->year < 1970 || t->mon < 1 || t->mon > 12)
        return;
    mf_date_ref *r = &d->ev->log_date;
    if (r->basis != MF_DATE_NONE &&
        (r->year > t->year || (r->year == t->year && r->month >= t->mon)))
        return;
    r->basis = MF_DATE_LOG;
    r->year = t->year;
    r->month = t->mon;
    r->member = d->member;
    r->line = msg->lineno;
}

static int on_message(void *ctx, const mf_logmsg *msg)
{
    mf_dispatch *d = ctx;
    note_log_date(d, msg);
    if (d->logmatch && mf_logmatch_message(d->logmatch, d->member, msg->lineno,
                                           msg->msg, msg->len) < 0)
        return -1;
    return d->mod->message(d->state, &d->pc, msg);
}

void mf_dispatch_set_logmatch(mf_dispatch *d, struct mf_logmatch *lm)
{
    d->logmatch = lm;
}

static int on_line(void *ctx, const mf_line *line)
{
    mf_dispatch *d = ctx;
    if (d->mod->log)
        return mf_normalizer_line(d->norm, line, on_message, d);
    return d->mod->line(d->state, &d->pc, line);
}

int mf_dispatch_begin(mf_dispatch *d, int32_t index)
{
    mf_member *m = mf_evidence_member(d->ev, index);
    if (!m)
        return -1;
    d->member = index;
    d->pc.ev = d->ev;
    d->pc.member = index;
    d->pc.path = m->path;
    d->head_len = 0;
    d->classified = false;
    d->active = false;
    d->mod = NULL;
    d->state = NULL;
    d->failed = false;
    return 0;
}

/* Choose the module and start reading lines. */
static int classify(mf_dispatch *d)
{
    d->classified = true;
    mf_member *m = mf_evidence_member(d->ev, d->member);
    d->mod = mf_classify_member(d->pc.path, m->origin, d->head, d->head_len);
    if (!d->mod) {
        m->kind = "unknown";
        return 0;
    }
    m->kind = d->mod->kind;
    if (!d->mod->line && !d->mod->message)
        return 0; /* recognised, not parsed */
    if (d->mod->open) {
        d->state = d->mod->open(&d->pc);
        if (!d->state) {
            d->failed = true;
            return -1;
        }
    }
    mf_normalizer_reset(d->norm);
    mf_linereader_init(&d->lr, d->alloc, d->max_line, on_line, d);
    d->active = true;
    return mf_linereader_feed(&d->lr, d->head, d->head_len) < 0 ? -1 : 0;
}

int mf_dispatch_data(mf_dispatch *d, const void *data, size_t len)
{
    if (d->failed)
        return -1;
    if (!d->classified) {
        size_t take = MF_CLASSIFY_HEAD - d->head_len;
        if (take > len)
            take = len;
        memcpy(d->head + d->head_len, data, take);
        d->head_len += take;
        data = (const char *)data + take;
        len -= take;
        if (d->head_len < MF_CLASSIFY_HEAD)
            return 0;
        if (classify(d) < 0)
            return -1;
    }
    if (d->active && len) {
        int rc = mf_linereader_feed(&d->lr, data, len);
        if (rc < 0) {
            d->failed = true;
            return -1;
        }
        if (rc > 0)
            d->active = false; /* the module asked to stop */
    }
    return 0;
}

void mf_dispatch_end(mf_dispatch *d, mf_member_status status,
                     const char *error)
{
    mf_member *m = mf_evidence_member(d->ev, d->member);
    if (!m)
        return;
    if (!d->classified)
        classify(d);
    bool parsed = d->mod && (d->mod->line || d->mod->message);
    if (d->lr.fn) {
        if (d->active) {
            mf_linereader_finish(&d->lr);
            if (d->mod->log) /* a last journal export record */
                mf_normalizer_finish(d->norm, on_message, d);
        }
        m->lines = d->lr.lines;
        if (d->lr.cut_lines)
            mf_evidence_warn(d->ev, d->member, 0, "line-too-long",
                             "%llu line(s) longer than %zu bytes were cut",
                             (unsigned long long)d->lr.cut_lines, d->max_line);
        if (d->lr.nul_bytes)
            mf_evidence_warn(d->ev, d->member, 0, "nul-bytes",
                             "%llu NUL byte(s) removed",
                             (unsigned long long)d->lr.nul_bytes);
        mf_linereader_free(&d->lr);
        memset(&d->lr, 0, sizeof d->lr);
    }
    if (d->mod && d->mod->close && d->state)
        d->mod->close(d->state, &d->pc);
    d->state = NULL;
    if (d->failed) {
        mf_member_set_status(d->ev, d->member, MF_MEMBER_ERROR,
                             "out of memory while parsing");
    } else if (status != MF_MEMBER_PARSED) {
        mf_member_set_status(d->ev, d->member, status, error);
    } else if (!d->mod) {
        mf_member_set_status(d->ev, d->member, MF_MEMBER_UNRECOGNISED, NULL);
    } else {
        mf_member_set_status(d->ev, d->member,
                             parsed ? MF_MEMBER_PARSED : MF_MEMBER_RECOGNISED,
                             NULL);
    }
    d->member = -1;
    d->active = false;
    d->classified = false;
}
