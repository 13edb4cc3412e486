#define _DEFAULT_SOURCE /* realpath, lstat, DT_* */
#include "source/source.h"

#include "source/dumpstate.h"
#include "source/layout.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 65536
#define RATIO_FLOOR (64ull << 20) /* the ratio limit applies past 64 MiB */

void mf_limits_resolve(mf_limits *out, const mf_limits *in)
{
    mf_limits d = {8ull << 30, 1ull << 30, 25000, 4, 65536, 1000, 1000000,
                   32ull << 20};
    if (in) {
        if (in->max_total_bytes) d.max_total_bytes = in->max_total_bytes;
        if (in->max_member_bytes) d.max_member_bytes = in->max_member_bytes;
        if (in->max_members) d.max_members = in->max_members;
        if (in->max_depth) d.max_depth = in->max_depth;
        if (in->max_line_bytes) d.max_line_bytes = in->max_line_bytes;
        if (in->max_ratio) d.max_ratio = in->max_ratio;
        if (in->max_records) d.max_records = in->max_records;
        if (in->max_record_bytes) d.max_record_bytes = in->max_record_bytes;
    }
    *out = d;
}

typedef struct walk {
    mf_evidence *ev;
    mf_limits lim;
    const mf_source_sink *sink;
    uint64_t content_bytes; /* member bytes delivered, all members */
    uint64_t raw_bytes;     /* bytes read from files and streams */
    int stop;               /* negative: stop everything */
    bool limit_total;       /* the total byte limit was reached */
    bool limit_members;
    char buf[CHUNK];
} walk;

/* A byte stream libarchive reads from: a file descriptor, a caller's read
 * callback, a memory buffer, or the current entry of an outer archive. */
typedef struct stream {
    walk *w;
    int fd;
    mf_read_fn fn;
    void *fn_ctx;
    const char *mem;
    size_t mem_len, mem_pos;
    struct archive *outer;
    int64_t mtime; /* of the stream as a whole (file mtime, entry mtime) */
    mf_mtime_source mtime_source;
    mf_sha256 *sha;
    uint64_t bytes;
    bool read_error;
    /* The first chunk of an outer archive's entry, read before libarchive
     * bids on it (see first_block_zero) and handed to it on its first read. */
    bool held;
    la_ssize_t held_n;
    /* A 7-Zip file keeps its directory at the end: libarchive seeks. Only
     * a memory buffer or a regular file can; their SHA-256 is then taken
     * over the whole input rather than over the bytes as read. */
    bool seek;
    int64_t pos;
    char buf[CHUNK];
} stream;

static la_ssize_t stream_read(struct archive *a, void *ud, const void **out)
{
    stream *s = ud;
    ssize_t n = 0;
    int rc = s->w->sink->check ? s->w->sink->check(s->w->sink->ctx) : 0;
    if (rc < 0) {
        s->w->stop = rc;
        archive_set_error(a, ECANCELED, "analysis stopped");
        return -1;
    }
    if (s->outer) {
        if (s->held) {
            s->held = false;
            n = s->held_n;
        } else {
            n = archive_read_data(s->outer, s->buf, CHUNK);
        }
        if (n < 0) {
            s->read_error = true;
            archive_set_error(a, EIO, "%s", archive_error_string(s->outer)
                                                ? archive_error_string(s->outer)
                                                : "read error");
            return -1;
        }
        *out = s->buf;
        return n;
    }
    if (s->mem) {
        size_t left = s->mem_len - s->mem_pos;
        n = (ssize_t)(left < CHUNK ? left : CHUNK);
        *out = s->mem + s->mem_pos;
        s->mem_pos += (size_t)n;
    } else if (s->fn) {
        size_t got = 0;
        if (s->fn(s->fn_ctx, s->buf, CHUNK, &got) < 0 || got > CHUNK) {
            s->read_error = true;
            archive_set_error(a, EIO, "read error");
            return -1;
        }
        n = (ssize_t)got;
        *out = s->buf;
    } else {
        do
            n = read(s->fd, s->buf, CHUNK);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            s->read_error = true;
            archive_set_error(a, errno, "%s", strerror(errno));
            return -1;
        }
        *out = s->buf;
    }
    if (!s->seek)
        mf_sha256_update(s->sha, *out, (size_t)n);
    s->bytes += (uint64_t)n;
    s->pos += n;
    s->w->raw_bytes += (uint64_t)n;
    return n;
}

static la_int64_t stream_seek(struct archive *a, void *ud, la_int64_t off,
                              int whence)
{
    stream *s = ud;
    (void)a;
    int64_t size;
    if (s->mem) {
        size = (int64_t)s->mem_len;
    } else {
        struct stat st;
        if (fstat(s->fd, &st) < 0)
            return ARCHIVE_FATAL;
        size = (int64_t)st.st_size;
    }
    int64_t to = whence == SEEK_SET ? off : whence == SEEK_CUR ? s->pos + off
                                                                : size + off;
    if (to < 0 || to > size)
        return ARCHIVE_FATAL;
    if (s->mem)
        s->mem_pos = (size_t)to;
    else if (lseek(s->fd, (off_t)to, SEEK_SET) < 0)
        return ARCHIVE_FATAL;
    s->pos = to;
    return to;
}

static const unsigned char sig_7z[6] = {'7', 'z', 0xBC, 0xAF, 0x27, 0x1C};

static const unsigned char sig_zip[4] = {'P', 'K', 3, 4};
static const unsigned char sig_eocd[4] = {'P', 'K', 5, 6};
#define EOCD_SPAN (65535 + 22) /* the record and the longest comment */

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The central directory's offset, from the end-of-central-directory record
 * in `tail` (the last n bytes of an input of `size` bytes), when the record
 * is consistent: it ends the input (with its comment), and the directory
 * ends where the record begins. -1 otherwise (no record, a zip64 or
 * self-extracting archive, damage): those keep the streaming reader. */
static int64_t eocd_cd_offset(const unsigned char *tail, size_t n, uint64_t size)
{
    if (n < 22)
        return -1;
    for (size_t i = n - 22 + 1; i-- > 0;) {
        const unsigned char *r = tail + i;
        if (memcmp(r, sig_eocd, 4) != 0)
            continue;
        size_t comment = (size_t)r[20] | (size_t)r[21] << 8;
        uint32_t cd_size = le32(r + 12), cd_off = le32(r + 16);
        uint64_t at = size - n + i; /* the record's offset in the input */
        if (i + 22 + comment == n && (uint64_t)cd_off + cd_size == at)
            return cd_off;
        return -1;
    }
    return -1;
}

static const unsigned char sig_cd[4] = {'P', 'K', 1, 2};

/* Seeking is used for a 7-Zip file (its directory is at the end) and for a
 * complete zip (*zip set): read through its central directory, a zip gives
 * even the stored entries whose sizes follow in a data descriptor without
 * signature, which no streaming reader can delimit. A zip cut short or
 * damaged at its end keeps the streaming reader, which recovers the entries
 * before the damage. Only a memory buffer or a regular file can seek. */
static bool wants_seek(stream *s, bool *zip)
{
    *zip = false;
    if (s->outer || s->fn)
        return false;
    unsigned char h[6];
    if (s->mem) {
        if (s->mem_len < 6)
            return false;
        memcpy(h, s->mem, 6);
        if (memcmp(h, sig_zip, 4) == 0) {
            const unsigned char *m = (const unsigned char *)s->mem;
            size_t n = s->mem_len < EOCD_SPAN ? s->mem_len : EOCD_SPAN;
            int64_t cd = eocd_cd_offset(m + s->mem_len - n, n, s->mem_len);
            return *zip = cd >= 0 && (uint64_t)cd + 4 <= s->mem_len &&
                          memcmp(m + cd, sig_cd, 4) == 0;
        }
        return memcmp(h, sig_7z, 6) == 0;
    }
    struct stat st;
    if (s->fd < 0 || fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        pread(s->fd, h, 6, 0) != 6)
        return false;
    if (memcmp(h, sig_zip, 4) != 0)
        return memcmp(h, sig_7z, 6) == 0;
    size_t n = st.st_size < EOCD_SPAN ? (size_t)st.st_size : EOCD_SPAN;
    unsigned char *tail = mf_calloc(s->w->ev->alloc, 1, n);
    if (!tail)
        return false; /* the streaming reader then */
    int64_t cd = pread(s->fd, tail, n, st.st_size - (off_t)n) == (ssize_t)n
                     ? eocd_cd_offset(tail, n, (uint64_t)st.st_size)
                     : -1;
    mf_free(s->w->ev->alloc, tail);
    unsigned char c[4];
    return *zip = cd >= 0 && pread(s->fd, c, 4, (off_t)cd) == 4 && memcmp(c, sig_cd, 4) == 0;
}

/* The SHA-256 of a seekable input, over all of its bytes. */
static void hash_whole(stream *s)
{
    if (s->mem) {
        mf_sha256_update(s->sha, s->mem, s->mem_len);
        s->bytes = s->mem_len;
        return;
    }
    off_t off = 0;
    ssize_t n;
    while ((n = pread(s->fd, s->buf, CHUNK, off)) > 0) {
        mf_sha256_update(s->sha, s->buf, (size_t)n);
        off += n;
    }
    s->bytes = (uint64_t)off;
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

/* Whether the stream begins with a block of zero bytes (or is shorter and
 * all zero). libarchive's tar reader takes a zero block for the end of an
 * archive, so a file zeroed by a power cut (a log on a device's flash) would
 * become "a tar archive without entries" and vanish from the members; no
 * tar begins with one, so such a stream is read as a plain file. An outer
 * archive's entry is read ahead by one chunk, kept for the first read; a
 * pipe or a caller's read callback is not looked at. */
static bool first_block_zero(stream *s)
{
    enum { BLOCK = 512 };
    if (s->outer) {
        s->held = true;
        s->held_n = archive_read_data(s->outer, s->buf, CHUNK);
        return s->held_n > 0 && all_zero(s->buf, s->held_n < BLOCK ? (size_t)s->held_n : BLOCK);
    }
    if (s->mem)
        return s->mem_len > 0 && all_zero(s->mem, s->mem_len < BLOCK ? s->mem_len : BLOCK);
    if (s->fd >= 0 && !s->fn) {
        unsigned char h[BLOCK];
        ssize_t n = pread(s->fd, h, BLOCK, 0);
        return n > 0 && all_zero(h, (size_t)n);
    }
    return false;
}

static struct archive *reader_new(stream *s)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    /* Explicit filters: filter_all adds ones that run external programs
     * (lrzip, lzop, grzip) and a uudecode bidder that reads 128 KiB ahead,
     * which turns a truncated stream into nothing at all. */
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_lzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_lz4(a);
    archive_read_support_filter_compress(a);
    /* Explicit formats: mtree and others bid on plain text. */
    bool zip;
    s->seek = wants_seek(s, &zip);
    if (!first_block_zero(s))
        archive_read_support_format_tar(a);
    if (zip)
        archive_read_support_format_zip_seekable(a);
    else
        archive_read_support_format_zip_streamable(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_raw(a);
    archive_read_set_callback_data(a, s);
    archive_read_set_read_callback(a, stream_read);
    if (s->seek)
        archive_read_set_seek_callback(a, stream_seek);
    if (archive_read_open1(a) != ARCHIVE_OK) {
        /* The caller reads the error string before freeing. */
        return a;
    }
    return a;
}

static int32_t new_member(walk *w, const char *path)
{
    if (w->ev->members.len >= w->lim.max_members) {
        if (!w->limit_members)
            mf_evidence_warn(w->ev, -1, 0, "member-limit",
                             "more than %llu members: the rest is skipped",
                             (unsigned long long)w->lim.max_members);
        w->limit_members = true;
        w->ev->complete = false;
        return -1;
    }
    int32_t i = mf_evidence_add_member(w->ev, path);
    if (i < 0)
        w->stop = MF_ENOMEM;
    return i;
}

static int32_t layout_member(walk *w, const char *path);

/* A member that is recorded but not read. */
static void refuse(walk *w, const char *path, mf_member_status st,
                   const char *code, const char *why)
{
    int32_t i = layout_member(w, path);
    if (i < 0)
        return;
    mf_member_set_status(w->ev, i, st, why);
    mf_evidence_warn(w->ev, i, 0, code, "%s", why);
}

static bool looks_truncated(const char *err)
{
    return err && (strstr(err, "runcated") || strstr(err, "premature") ||
                   strstr(err, "Premature") || strstr(err, "nexpected end"));
}

/* A member made while the walk runs: recorded, with what its place in the
 * bundle says (origin, capture time). */
static int32_t layout_member(walk *w, const char *path)
{
    int32_t i = new_member(w, path);
    if (i >= 0 && mf_layout_member(w->ev, i, w->ev->input_path) < 0) {
        w->stop = MF_ENOMEM;
        return -1;
    }
    return i;
}

static int32_t section_member(void *ctx, const char *path)
{
    return layout_member(ctx, path);
}

/* Where the bytes of the member being pumped go: the sink, or the dumpstate
 * splitter that makes members of its sections. */
typedef struct pump_out {
    walk *w;
    int32_t idx;
    const char *path;
    mf_dumpstate *ds;
    bool begun;
} pump_out;

static int out_data(pump_out *o, const char *buf, size_t len)
{
    walk *w = o->w;
    if (!o->begun) {
        if (mf_dumpstate_detect(buf, len)) {
            o->ds = mf_dumpstate_new(w->ev, o->idx, o->path, section_member,
                                     w, w->sink);
            if (!o->ds)
                return -1;
        } else if (w->sink->begin(w->sink->ctx, o->idx) < 0) {
            return -1;
        }
        o->begun = true; /* end() is owed from here on */
    }
    if (!len)
        return 0;
    if (o->ds)
        return mf_dumpstate_feed(o->ds, buf, len);
    return w->sink->data(w->sink->ctx, buf, len);
}

static void out_end(pump_out *o, mf_member_status st, const char *err)
{
    if (o->ds) {
        mf_dumpstate_finish(o->ds, st, err);
        mf_dumpstate_free(o->ds);
        o->ds = NULL;
    } else if (o->begun) {
        o->w->sink->end(o->w->sink->ctx, st, err);
    }
}

/* Whether the first bytes of a member are those of an archive or a
 * compressed stream the source would open. */
static bool looks_archive(const char *buf, size_t len)
{
    static const struct {
        size_t off, n;
        const void *magic;
    } sigs[] = {
        {0, 2, "\x1f\x8b"},         {0, 3, "BZh"},
        {0, 6, "\xfd" "7zXZ\0"},   {0, 4, "\x28\xb5\x2f\xfd"},
        {0, 4, "\x04\x22\x4d\x18"}, {0, 4, "LZIP"},
        {0, 2, "\x1f\x9d"},         {0, sizeof sig_zip, sig_zip},
        {0, sizeof sig_7z, sig_7z},  {0, 4, "Rar!"},
        {0, 5, "07070"},             {0, 8, "!<arch>\n"},
        {257, 5, "ustar"},
    };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (len >= sigs[i].off + sigs[i].n &&
            memcmp(buf + sigs[i].off, sigs[i].magic, sigs[i].n) == 0)
            return true;
    return false;
}

/* Stream the current entry of `a` into the sink as member `path`. At the
 * nesting limit (`deepest`), an entry that is itself an archive is not
 * opened: it is recorded as skipped by the limit. */
static void pump(walk *w, struct archive *a, const char *path, int64_t mtime,
                 mf_mtime_source mtime_source, bool deepest)
{
    int32_t idx = layout_member(w, path);
    if (idx < 0)
        return;
    mf_member *nm = mf_evidence_member(w->ev, idx);
    nm->mtime = mtime;
    nm->mtime_source = mtime_source;
    pump_out out = {w, idx, nm->path, NULL, false};
    mf_member_status st = MF_MEMBER_PARSED;
    uint64_t size = 0, hash = MF_FNV1A_INIT;
    size_t held = 0; /* bytes held in w->buf for the dumpstate probe */
    bool zeros = true; /* every byte so far is zero */
    char err[256] = "";
    for (;;) {
        la_ssize_t n = archive_read_data(a, w->buf + held, CHUNK - held);
        if (n < 0) {
            if (w->stop)
                break;
            const char *e = archive_error_string(a);
            snprintf(err, sizeof err, "%s", e ? e : "read error");
            st = looks_truncated(e) ? MF_MEMBER_TRUNCATED : MF_MEMBER_CORRUPT;
            n = 0;
        }
        size_t len = held + (size_t)n;
        if (n > 0 && !out.begun && len < MF_DUMPSTATE_HEAD) {
            held = len; /* classify on enough first bytes */
            continue;
        }
        held = 0;
        if (deepest && !out.begun && looks_archive(w->buf, len)) {
            st = MF_MEMBER_SKIPPED_LIMIT;
            snprintf(err, sizeof err, "archive nested more than %u deep: not opened",
                     w->lim.max_depth);
            w->ev->complete = false;
            break;
        }
        if (size + len > w->lim.max_member_bytes) {
            len = (size_t)(w->lim.max_member_bytes - size);
            st = MF_MEMBER_SKIPPED_LIMIT;
            snprintf(err, sizeof err, "member larger than %llu bytes",
                     (unsigned long long)w->lim.max_member_bytes);
        }
        if (w->content_bytes + len > w->lim.max_total_bytes) {
            len = (size_t)(w->lim.max_total_bytes - w->content_bytes);
            st = MF_MEMBER_SKIPPED_LIMIT;
            w->limit_total = true;
            snprintf(err, sizeof err, "input larger than %llu bytes",
                     (unsigned long long)w->lim.max_total_bytes);
        }
        size += len;
        zeros = zeros && all_zero(w->buf, len);
        hash = mf_fnv1a(hash, w->buf, len);
        w->content_bytes += len;
        nm = mf_evidence_member(w->ev, idx);
        nm->size = size;
        nm->content_hash = hash;
        if ((len || !out.begun) && out_data(&out, w->buf, len) < 0) {
            w->stop = MF_ENOMEM;
            break;
        }
        if (st != MF_MEMBER_PARSED || n == 0 || w->stop)
            break;
        if (w->content_bytes > RATIO_FLOOR && w->raw_bytes > 0 &&
            w->content_bytes / w->raw_bytes > w->lim.max_ratio) {
            st = MF_MEMBER_SKIPPED_LIMIT;
            snprintf(err, sizeof err,
                     "compression ratio above %u:1 (possible bomb)",
                     w->lim.max_ratio);
            w->limit_total = true;
            break;
        }
        int rc = w->sink->check ? w->sink->check(w->sink->ctx) : 0;
        if (rc < 0) {
            w->stop = rc;
            break;
        }
    }
    if (st != MF_MEMBER_PARSED)
        mf_evidence_warn(w->ev, idx, 0,
                         st == MF_MEMBER_SKIPPED_LIMIT ? "limit"
                         : st == MF_MEMBER_TRUNCATED   ? "truncated"
                                                       : "corrupt",
                         "%s", err);
    if (zeros && size && !w->stop)
        mf_evidence_warn(w->ev, idx, 0, "zero-filled",
                         "all %llu bytes are zero: the content was lost before "
                         "the capture (a file not yet written out at a power cut)",
                         (unsigned long long)size);
    if (w->stop == MF_ENOMEM && !out.begun)
        return;
    if (!out.begun && out_data(&out, w->buf, 0) < 0) {
        w->stop = MF_ENOMEM;
        return;
    }
    out_end(&out, st, st == MF_MEMBER_PARSED ? NULL : err);
}

static bool unsafe_name(const char *name)
{
    if (name[0] == '/' || name[0] == '\\')
        return true;
    const char *p = name;
    while (*p) {
        const char *e = p;
        while (*e && *e != '/' && *e != '\\')
            e++;
        if (e - p == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p = *e ? e + 1 : e;
    }
    return false;
}

/* Resolve symbolic link `target` of entry `ename` inside the bundle: the
 * normalised path, or false when it leaves the bundle. */
static bool resolve_link(mf_buf *out, const char *ename, const char *target)
{
    if (!target || !*target || target[0] == '/')
        return false;
    mf_buf_clear(out);
    const char *slash = strrchr(ename, '/');
    if (slash)
        mf_buf_append(out, ename, (size_t)(slash - ename));
    const char *p = target;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (!out->len)
                return false;
            char *cut = out->data + out->len;
            while (cut > out->data && cut[-1] != '/')
                cut--;
            out->len = (size_t)(cut > out->data ? cut - 1 - out->data : 0);
            out->data[out->len] = 0;
        } else if (n && !(n == 1 && p[0] == '.')) {
            if (out->len)
                mf_buf_puts(out, "/");
            mf_buf_append(out, p, n);
        }
        p = e ? e + 1 : p + n;
    }
    return !out->failed && out->len > 0;
}

/* A symbolic link entry: never followed (a stream cannot go back). One that
 * stays inside the bundle, like a sosreport's `dmesg ->
 * sos_commands/kernel/dmesg`, names its target, which is read as a member
 * of its own; one that leaves the bundle is a warning. */
static void inner_link(walk *w, const char *path, const char *ename,
                       const char *target)
{
    mf_buf r;
    mf_buf_init(&r, w->ev->alloc);
    if (resolve_link(&r, ename, target)) {
        int32_t i = layout_member(w, path);
        char why[512];
        snprintf(why, sizeof why, "symbolic link to %s (read there)", r.data);
        if (i >= 0)
            mf_member_set_status(w->ev, i, MF_MEMBER_REFUSED, why);
    } else if (r.failed) {
        w->stop = MF_ENOMEM;
    } else {
        refuse(w, path, MF_MEMBER_REFUSED, "link",
               "symbolic link entry points outside the bundle");
    }
    mf_buf_free(&r);
}

static void walk_archive(walk *w, struct archive *a, stream *s,
                         const char *container, const char *prefix,
                         unsigned depth);

/* A regular entry of an archive: a nested archive, a compressed file, or a
 * plain member. */
static void entry(walk *w, struct archive *a, const char *path, unsigned depth,
                  int64_t mtime, mf_mtime_source mtime_source)
{
    if (depth >= w->lim.max_depth) {
        pump(w, a, path, mtime, mtime_source, true);
        return;
    }
    stream s;
    memset(&s, 0, sizeof s);
    s.w = w;
    s.fd = -1;
    s.outer = a;
    s.mtime = mtime;
    s.mtime_source = mtime_source;
    struct archive *n = reader_new(&s);
    if (!n) {
        w->stop = MF_ENOMEM;
        return;
    }
    mf_buf prefix;
    mf_buf_init(&prefix, w->ev->alloc);
    mf_buf_puts(&prefix, path);
    mf_buf_puts(&prefix, "!");
    if (prefix.failed)
        w->stop = MF_ENOMEM;
    else
        walk_archive(w, n, &s, path, prefix.data, depth + 1);
    mf_buf_free(&prefix);
    archive_read_free(n);
}

/* An empty member: recorded, classified as nothing. */
static void empty_member(walk *w, const char *path)
{
    int32_t idx = layout_member(w, path);
    if (idx < 0)
        return;
    if (w->sink->begin(w->sink->ctx, idx) < 0) {
        w->stop = MF_ENOMEM;
        return;
    }
    w->sink->end(w->sink->ctx, MF_MEMBER_PARSED, NULL);
}

static void walk_archive(walk *w, struct archive *a, stream *s,
                         const char *container, const char *prefix,
                         unsigned depth)
{
    struct archive_entry *e;
    bool first = true;
    int retries = 0;
    mf_buf name;
    mf_buf_init(&name, w->ev->alloc);
    while (!w->stop && !w->limit_total && !w->limit_members) {
        int rc = archive_read_next_header(a, &e);
        if (rc == ARCHIVE_EOF) {
            if (first)
                mf_evidence_warn(w->ev, -1, 0, "empty-archive",
                                 "%s: %s archive without entries", container,
                                 archive_format_name(a) ? archive_format_name(a)
                                                        : "an");
            break;
        }
        if (rc == ARCHIVE_RETRY && ++retries < 100)
            continue;
        if (rc < ARCHIVE_WARN) {
            if (w->stop)
                break;
            const char *err = archive_error_string(a);
            if (first && err && strstr(err, "seek")) {
                /* a 7-Zip file inside another archive or on a pipe */
                refuse(w, container, MF_MEMBER_CORRUPT, "unseekable",
                       "archive format that needs seeking (7-Zip) cannot be "
                       "read from a stream");
            } else if (first && s->bytes == 0 && !s->read_error) {
                empty_member(w, container);
            } else if (first && s->bytes == 0 && depth == 1) {
                /* Nothing could be read: the caller reports the input. */
            } else if (first) {
                /* Not even one entry: the container itself is bad. */
                refuse(w, container,
                       looks_truncated(err) ? MF_MEMBER_TRUNCATED
                                            : MF_MEMBER_CORRUPT,
                       "corrupt", err ? err : "unreadable");
            } else {
                mf_evidence_warn(w->ev, -1, 0, "corrupt", "%s: %s", container,
                                 err ? err : "archive damaged");
                w->ev->complete = false;
            }
            break;
        }
        bool raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
        first = false;
        if (raw) {
            /* Plain or single compressed file: the container is the member. */
            pump(w, a, container, s->mtime, s->mtime_source, false);
            break;
        }
        const char *ename = archive_entry_pathname_utf8(e);
        if (!ename)
            ename = archive_entry_pathname(e);
        while (ename && ename[0] == '.' && ename[1] == '/')
            ename += 2; /* "./dir/file" as tar -C writes it */
        if (!ename || !*ename)
            ename = "(unnamed)";
        mf_buf_clear(&name);
        mf_buf_puts(&name, prefix);
        mf_buf_append_utf8(&name, ename, strlen(ename));
        if (name.failed) {
            w->stop = MF_ENOMEM;
            break;
        }
        mode_t type = archive_entry_filetype(e);
        if (type == AE_IFDIR)
            continue;
        if (unsafe_name(ename)) {
            refuse(w, name.data, MF_MEMBER_REFUSED, "unsafe-path",
                   "entry name leaves the bundle");
        } else if (archive_entry_hardlink(e)) {
            refuse(w, name.data, MF_MEMBER_REFUSED, "link",
                   "hard link entry not followed");
        } else if (type == AE_IFLNK) {
            inner_link(w, name.data, ename, archive_entry_symlink(e));
        } else if (type != AE_IFREG) {
            refuse(w, name.data, MF_MEMBER_REFUSED, "special-file",
                   "device, fifo or socket entry not read");
        } else if (archive_entry_is_encrypted(e)) {
            refuse(w, name.data, MF_MEMBER_ENCRYPTED, "encrypted",
                   "encrypted entry");
        } else {
            bool has_mtime = archive_entry_mtime_is_set(e);
            entry(w, a, name.data, depth,
                  has_mtime ? (int64_t)archive_entry_mtime(e) : 0,
                  has_mtime ? MF_MTIME_ARCHIVE : MF_MTIME_NONE);
        }
    }
    mf_buf_free(&name);
}

/* Read one stream (file, stdin, callback, buffer) as a container. */
static void walk_stream(walk *w, stream *s, const char *container,
                        const char *prefix)
{
    struct archive *a = reader_new(s);
    if (!a) {
        w->stop = MF_ENOMEM;
        return;
    }
    walk_archive(w, a, s, container, prefix, 1);
    archive_read_free(a);
}

static const char *base_name(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' && p[1])
            b = p + 1;
    return b;
}

static int finish(walk *w, int rc)
{
    if (w->limit_total || w->limit_members)
        w->ev->complete = false;
    if (w->stop)
        return w->stop;
    return rc;
}

static int set_input(mf_evidence *ev, const char *name)
{
    mf_free(ev->alloc, ev->input_path);
    ev->input_path = mf_strdup(ev->alloc, name ? name : "-");
    return ev->input_path ? 0 : MF_ENOMEM;
}

static int input_failed(mf_evidence *ev, const char *fmt, const char *a,
                        const char *b)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a, b);
    mf_free(ev->alloc, ev->input_error);
    ev->input_error = mf_evidence_excerpt(ev, msg, strlen(msg));
    ev->complete = false;
    return MF_EINPUT;
}

static int walk_one_stream(mf_evidence *ev, stream *s, const char *name,
                           const mf_limits *limits, const mf_source_sink *sink)
{
    walk *w = mf_calloc(ev->alloc, 1, sizeof *w);
    if (!w)
        return MF_ENOMEM;
    w->ev = ev;
    mf_limits_resolve(&w->lim, limits);
    w->sink = sink;
    s->w = w;
    s->sha = mf_sha256_new();
    walk_stream(w, s, name ? base_name(name) : "-", "");
    if (s->seek)
        hash_whole(s);
    mf_sha256_final_hex(s->sha, ev->input_sha256);
    ev->input_size = s->bytes;
    int rc = 0;
    if (s->read_error && s->bytes == 0)
        rc = input_failed(ev, "cannot read: %s%s", "read error", "");
    else if (s->read_error)
        mf_evidence_warn(ev, -1, 0, "read-error", "%s: read error",
                         name ? name : "-");
    rc = finish(w, rc);
    mf_free(ev->alloc, w);
    return rc;
}

int mf_source_reader(mf_evidence *ev, mf_read_fn read, void *read_ctx,
                     const char *name, const mf_limits *limits,
                     const mf_source_sink *sink)
{
    if (set_input(ev, name) < 0)
        return MF_ENOMEM;
    stream *s = mf_calloc(ev->alloc, 1, sizeof *s);
    if (!s)
        return MF_ENOMEM;
    s->fd = -1;
    s->fn = read;
    s->fn_ctx = read_ctx;
    int rc = walk_one_stream(ev, s, name, limits, sink);
    mf_free(ev->alloc, s);
    return rc;
}

int mf_source_buffer(mf_evidence *ev, const void *data, size_t len,
                     const char *name, const mf_limits *limits,
                     const mf_source_sink *sink)
{
    if (set_input(ev, name) < 0)
        return MF_ENOMEM;
    stream *s = mf_calloc(ev->alloc, 1, sizeof *s);
    if (!s)
        return MF_ENOMEM;
    s->fd = -1;
    s->mem = data ? data : "";
    s->mem_len = data ? len : 0;
    int rc = walk_one_stream(ev, s, name, limits, sink);
    mf_free(ev->alloc, s);
    return rc;
}

/* ---- folders ---- */

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct folder {
    walk *w;
    const char *root_real; /* realpath of the root */
    dir_id stack[64];      /* directories being walked: loop detection */
    int depth;
    mf_sha256 *tree; /* hash over (relative path, file hash) pairs */
} folder;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether `abs` resolves inside the root; `*rel` (mf_free, may be NULL)
 * is then its path relative to the root. */
static bool inside_root(folder *f, const char *abs, char **rel)
{
    *rel = NULL;
    char *real = realpath(abs, NULL);
    if (!real)
        return false;
    size_t n = strlen(f->root_real);
    bool root_is_slash = strcmp(f->root_real, "/") == 0;
    bool in = strncmp(real, f->root_real, n) == 0 &&
              (real[n] == '/' || real[n] == '\0' || root_is_slash);
    if (in) {
        const char *r = real + (root_is_slash ? 1 : n);
        while (*r == '/')
            r++;
        *rel = mf_strdup(f->w->ev->alloc, *r ? r : ".");
    }
    free(real);
    return in;
}

static void walk_dir(folder *f, const char *abs, const char *rel);

static void walk_file(folder *f, const char *abs, const char *rel,
                      int64_t mtime)
{
    walk *w = f->w;
    int fd = open(abs, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        refuse(w, rel, MF_MEMBER_CORRUPT, "unreadable", strerror(errno));
        return;
    }
    /* Opened non-blocking so a fifo cannot hang us; files read normally. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    stream *s = mf_calloc(w->ev->alloc, 1, sizeof *s);
    mf_buf prefix;
    mf_buf_init(&prefix, w->ev->alloc);
    mf_buf_puts(&prefix, rel);
    mf_buf_puts(&prefix, "!");
    if (!s || prefix.failed) {
        w->stop = MF_ENOMEM;
    } else {
        s->w = w;
        s->fd = fd;
        s->mtime = mtime;
        s->mtime_source = MF_MTIME_FILESYSTEM;
        s->sha = mf_sha256_new();
        walk_stream(w, s, rel, prefix.data);
        char hex[65];
        if (s->seek)
            hash_whole(s);
        mf_sha256_final_hex(s->sha, hex);
        mf_sha256_update(f->tree, rel, strlen(rel) + 1);
        mf_sha256_update(f->tree, hex, 64);
        w->ev->input_size += s->bytes;
        if (s->read_error && s->bytes == 0)
            refuse(w, rel, MF_MEMBER_CORRUPT, "unreadable", "read error");
        else if (s->read_error)
            mf_evidence_warn(w->ev, -1, 0, "read-error", "%s: read error",
                             rel);
    }
    mf_buf_free(&prefix);
    mf_free(w->ev->alloc, s);
    close(fd);
}

static void walk_entry(folder *f, const char *abs, const char *rel)
{
    struct stat st;
    if (lstat(abs, &st) < 0) {
        refuse(f->w, rel, MF_MEMBER_CORRUPT, "unreadable", strerror(errno));
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        /* Never followed: a target inside the root is walked anyway (a
         * sosreport's `dmesg -> sos_commands/kernel/dmesg` would be read
         * twice), and one outside is not part of the bundle. */
        char *target = NULL;
        if (!inside_root(f, abs, &target)) {
            refuse(f->w, rel, MF_MEMBER_REFUSED, "link",
                   stat(abs, &st) < 0 ? "dangling symbolic link"
                                      : "symbolic link points outside the bundle");
            return;
        }
        int32_t i = layout_member(f->w, rel);
        if (i >= 0) {
            char why[512];
            snprintf(why, sizeof why, "symbolic link to %s (read there)",
                     target ? target : "?");
            mf_member_set_status(f->w->ev, i, MF_MEMBER_REFUSED, why);
        }
        mf_free(f->w->ev->alloc, target);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        for (int i = 0; i < f->depth; i++) {
            if (f->stack[i].dev == st.st_dev && f->stack[i].ino == st.st_ino) {
                mf_evidence_warn(f->w->ev, -1, 0, "dir-loop",
                                 "%s: directory loop not followed", rel);
                return;
            }
        }
        if (f->depth >= (int)(sizeof f->stack / sizeof f->stack[0])) {
            mf_evidence_warn(f->w->ev, -1, 0, "limit",
                             "%s: folders nested too deep", rel);
            f->w->ev->complete = false;
            return;
        }
        f->stack[f->depth].dev = st.st_dev;
        f->stack[f->depth].ino = st.st_ino;
        f->depth++;
        walk_dir(f, abs, rel);
        f->depth--;
    } else if (S_ISREG(st.st_mode)) {
        walk_file(f, abs, rel, (int64_t)st.st_mtime);
    } else {
        refuse(f->w, rel, MF_MEMBER_REFUSED, "special-file",
               "device, fifo or socket not read");
    }
}

static void walk_dir(folder *f, const char *abs, const char *rel)
{
    walk *w = f->w;
    const mf_allocator *al = w->ev->alloc;
    DIR *d = opendir(abs);
    if (!d) {
        mf_evidence_warn(w->ev, -1, 0, "unreadable", "%s: %s",
                         *rel ? rel : abs, strerror(errno));
        w->ev->complete = false;
        return;
    }
    mf_vec names;
    mf_vec_init(&names, al, sizeof(char *));
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char **slot = mf_vec_push(&names);
        if (!slot || !(*slot = mf_strdup(al, de->d_name))) {
            if (slot)
                names.len--;
            w->stop = MF_ENOMEM;
            break;
        }
    }
    closedir(d);
    if (names.len)
        qsort(names.data, names.len, sizeof(char *), cmp_names);
    mf_buf a, r;
    mf_buf_init(&a, al);
    mf_buf_init(&r, al);
    for (size_t i = 0; i < names.len && !w->stop && !w->limit_total &&
                       !w->limit_members;
         i++) {
        const char *nm = *(char **)mf_vec_at(&names, i);
        mf_buf_clear(&a);
        mf_buf_clear(&r);
        mf_buf_printf(&a, "%s/%s", abs, nm);
        if (*rel)
            mf_buf_printf(&r, "%s/", rel);
        mf_buf_append_utf8(&r, nm, strlen(nm));
        if (a.failed || r.failed) {
            w->stop = MF_ENOMEM;
            break;
        }
        walk_entry(f, a.data, r.data);
    }
    mf_buf_free(&a);
    mf_buf_free(&r);
    for (size_t i = 0; i < names.len; i++)
        mf_free(al, *(char **)mf_vec_at(&names, i));
    mf_vec_free(&names);
}

int mf_source_path(mf_evidence *ev, const char *path, const mf_limits *limits,
                   const mf_source_sink *sink)
{
    if (strcmp(path, "-") == 0) {
        if (set_input(ev, "-") < 0)
            return MF_ENOMEM;
        stream *s = mf_calloc(ev->alloc, 1, sizeof *s);
        if (!s)
            return MF_ENOMEM;
        s->fd = STDIN_FILENO;
        int rc = walk_one_stream(ev, s, "-", limits, sink);
        mf_free(ev->alloc, s);
        return rc;
    }
    if (set_input(ev, path) < 0)
        return MF_ENOMEM;
    struct stat st;
    if (stat(path, &st) < 0)
        return input_failed(ev, "cannot open: %s%s", strerror(errno), "");
    if (S_ISDIR(st.st_mode)) {
        walk *w = mf_calloc(ev->alloc, 1, sizeof *w);
        folder *f = mf_calloc(ev->alloc, 1, sizeof *f);
        char *real = realpath(path, NULL);
        int rc = 0;
        if (!w || !f || !real) {
            rc = real ? MF_ENOMEM
                      : input_failed(ev, "cannot open: %s%s", strerror(errno),
                                     "");
        } else {
            w->ev = ev;
            mf_limits_resolve(&w->lim, limits);
            w->sink = sink;
            f->w = w;
            f->root_real = real;
            f->tree = mf_sha256_new();
            f->stack[0].dev = st.st_dev;
            f->stack[0].ino = st.st_ino;
            f->depth = 1;
            DIR *probe = opendir(path);
            if (!probe) {
                rc = input_failed(ev, "cannot open: %s%s", strerror(errno), "");
                mf_sha256_free(f->tree);
            } else {
                closedir(probe);
                walk_dir(f, path, "");
                mf_sha256_final_hex(f->tree, ev->input_sha256);
                rc = finish(w, 0);
            }
        }
        free(real);
        mf_free(ev->alloc, f);
        mf_free(ev->alloc, w);
        return rc;
    }
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
        return input_failed(ev, "cannot read: %s%s", "not a file or folder", "");
    int fd = open(path, O_RDONLY | O_NOCTTY);
    if (fd < 0)
        return input_failed(ev, "cannot open: %s%s", strerror(errno), "");
    stream *s = mf_calloc(ev->alloc, 1, sizeof *s);
    if (!s) {
        close(fd);
        return MF_ENOMEM;
    }
    s->fd = fd;
    s->mtime = (int64_t)st.st_mtime;
    s->mtime_source = MF_MTIME_FILESYSTEM;
    int rc = walk_one_stream(ev, s, path, limits, sink);
    mf_free(ev->alloc, s);
    close(fd);
    return rc;
}
