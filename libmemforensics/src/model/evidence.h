/* evidence.h - what the parse modules found, with where they found it.
 *
 * The evidence of one analysis: the input and its members, the warnings,
 * and the typed records of each parse module. Every record keeps a source
 * location (member index and 1-based line) so that each claim of the report
 * can point at the file and line that proves it. The evidence owns all of
 * its memory; it is freed as one. */
#ifndef MF_EVIDENCE_H
#define MF_EVIDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"
#include "model/snapshot.h"

typedef enum mf_member_status {
    MF_MEMBER_PARSED = 0,   /* a parse module read it */
    MF_MEMBER_RECOGNISED,   /* kind known, no parser for it yet */
    MF_MEMBER_UNRECOGNISED, /* no module bid on it */
    MF_MEMBER_CORRUPT,      /* the container or compression is damaged */
    MF_MEMBER_TRUNCATED,    /* the data ends early */
    MF_MEMBER_REFUSED,      /* unsafe entry: ../, device, fifo, link */
    MF_MEMBER_ENCRYPTED,
    MF_MEMBER_ERROR,        /* the bundle says the capture failed */
    MF_MEMBER_SKIPPED_LIMIT /* a limit stopped it */
} mf_member_status;

const char *mf_member_status_name(mf_member_status s);

typedef enum mf_mtime_source {
    MF_MTIME_NONE = 0,   /* unknown */
    MF_MTIME_ARCHIVE,    /* the archive entry's mtime */
    MF_MTIME_FILESYSTEM  /* the file's mtime in a folder (not in reports:
                            it changes with every checkout) */
} mf_mtime_source;

typedef struct mf_member {
    char *path;        /* path inside the bundle (notation in docs) */
    int64_t mtime;     /* seconds since the epoch; see mtime_source */
    mf_mtime_source mtime_source;
    /* Where the data came from on the device, when the bundle says so:
     * "/proc/meminfo" for FS/proc/meminfo, for a sosreport's proc/meminfo
     * and for the dumpstate section "MEMORY INFO (/proc/meminfo)". NULL when
     * unknown. Two members with the same origin and capture time are the
     * same snapshot reached twice. */
    char *origin;
    /* When the data was captured (seconds since the epoch, as the bundle
     * states it: a dumpstate header, a capture loop's date line), and the
     * UTC offset in minutes when the source gave one. */
    bool has_capture_time;
    int64_t capture_time;
    int16_t capture_utc_offset_min;
    bool capture_has_offset;
    /* FNV-1a 64 of the content bytes: identical content reached twice. */
    uint64_t content_hash;
    const char *kind;  /* static string: a module kind, or "unknown" */
    uint64_t size;     /* bytes of content read */
    mf_member_status status;
    char *error;       /* one line, or NULL */
    uint64_t lines;
} mf_member;

/* A source location. member is an index into mf_evidence.members. */
typedef struct mf_loc {
    uint32_t member;
    uint64_t line;
} mf_loc;

typedef struct mf_warning {
    int32_t member; /* -1: the input as a whole */
    uint64_t line;  /* 0: the member as a whole */
    const char *code; /* static, e.g. "line-too-long" */
    char *message;
} mf_warning;

/* A string fact with the line that proves it. */
typedef struct mf_strfact {
    char *value;  /* NULL when unknown */
    mf_loc loc;
    char *text;   /* the evidence line (≤ 200 bytes) */
} mf_strfact;

/* One `Linux version` banner. */
typedef struct mf_banner {
    char *release;
    char *upstream; /* the upstream version a distribution banner states
                       (Debian: "#1 SMP Debian 5.10.162-1"), or NULL */
    char *arch; /* NULL if the banner does not tell */
    mf_loc loc;
    char *text;
} mf_banner;

#include "model/oom.h"

/* The date year-less log stamps (syslog, logcat, journal short) borrow
 * their year from: the bundle's own capture time, else the newest dated log
 * line, else the newest archive entry mtime. */
typedef enum mf_date_basis {
    MF_DATE_NONE = 0,
    MF_DATE_CAPTURE,      /* a dumpstate header, a bundle name */
    MF_DATE_LOG,          /* a log line with a full date (logread, dmesg -T) */
    MF_DATE_ARCHIVE_MTIME /* an archive entry's mtime */
} mf_date_basis;

typedef struct mf_date_ref {
    mf_date_basis basis;
    int year, month; /* month 1..12 */
    int32_t member;  /* where the date was read */
    uint64_t line;   /* 0: the member as a whole */
} mf_date_ref;

/* What the records of one kind hold (mf_evidence_keep). */
typedef struct mf_kind_use {
    const char *kind;
    uint64_t bytes;  /* estimated: the records and their share of the report */
    bool refused;    /* a record was refused: the warning is out */
} mf_kind_use;

typedef struct mf_evidence {
    /* Everything the analysis keeps is allocated through the meter (alloc
     * points at meter.self), which counts the bytes live for the record
     * budget (mf_evidence_keep). The caller's allocator is meter.inner. */
    const mf_allocator *alloc;
    mf_meter meter;
    /* input */
    char *input_path;
    uint64_t input_size;
    char input_sha256[65];
    bool complete;
    char *input_error; /* the input could not be read at all */
    mf_vec members;  /* mf_member */
    mf_vec warnings; /* mf_warning, at most MF_MAX_WARNINGS */
    uint64_t warnings_dropped;
    /* records */
    mf_vec banners;  /* mf_banner, in reading order */
    mf_strfact arch_hint; /* arch from boot messages, when banners lack it */
    mf_date_ref log_date;  /* newest full date seen in a log line */
    mf_date_ref date_ref;  /* derived: the year source (see mf_date_ref) */
    mf_oom_records oom;   /* OOM-killer reports (model/oom.h) */
    /* records kept per kind (limits.max_records) and bytes the analysis may
     * hold (limits.max_record_bytes), both resolved by the analysis; 0: no
     * limit (unit tests that build evidence by hand) */
    uint32_t max_records;
    uint64_t max_record_bytes;
    bool budget_spent;    /* max_record_bytes was passed: nothing more kept */
    uint64_t report_bytes; /* the kept records' estimated share of the report */
    mf_vec kinds;         /* mf_kind_use: what each kind of record holds */
    size_t last_kind;     /* index in kinds of the last kind kept */
    /* The caller's deadline and cancel flag, for the stages after the source
     * (analyze, rules): 0 to go on, else MF_ETIMEOUT or MF_ECANCELLED. NULL
     * when nobody asked (unit tests). */
    int (*check)(void *ctx);
    void *check_ctx;
    struct mf_events *events; /* model/events.h: kmemleak, alloc failures, LMK */
    mf_snapstore snaps;   /* /proc snapshots and their rows (snapshot.h) */
    struct mf_snapfind *snapfind; /* derived from snaps (snapfind.h) */
    /* derived by the analyze stage */
    struct {
        mf_strfact kernel_release;
        mf_strfact kernel_version; /* upstream version, else the release */
        mf_strfact arch;
        /* From OOM reports (analyze/oom.c): page size in bytes from a buddy
         * line, and RAM from `pages RAM` (system.mem_total_kb when no
         * meminfo gives it); 0 unknown. The strfacts hold the proof. */
        int64_t oom_page_size;
        mf_strfact oom_page_size_src;
        int64_t oom_ram_kb;
        mf_strfact oom_ram_src;
        /* RAM from the last boot's `Memory: 56320K/65536K available` line
         * (parse/kernel_log.c), the last fallback for system.mem_total_kb */
        int64_t boot_ram_kb;
        mf_strfact boot_ram_src;
    } system;
    /* network and configuration records (model/netcfg.h), or NULL */
    struct mf_netcfg *netcfg;
} mf_evidence;

mf_evidence *mf_evidence_new(const mf_allocator *a);
void mf_evidence_free(mf_evidence *ev);

/* Add a member; returns its index, or -1 on allocation failure. */
int32_t mf_evidence_add_member(mf_evidence *ev, const char *path);
mf_member *mf_evidence_member(mf_evidence *ev, int32_t index);
void mf_member_set_status(mf_evidence *ev, int32_t index,
                          mf_member_status status, const char *error);

/* Whether one more record of `kind` may be kept, `kept` of them being
 * kept already. The record costs about `record_bytes` in the model and
 * `report_bytes` in the report built from it (its JSON tree and text;
 * estimates per kind, 0 for rows the report only aggregates). Refused:
 *  - at limits.max_records records of the kind;
 *  - once what the analysis holds (the meter's live bytes) plus the report
 *    share of what it kept passes limits.max_record_bytes: the budget then
 *    stays spent for every kind, so what is kept never depends on what was
 *    freed later;
 *  - when the kind alone would pass half of the budget, so that one huge
 *    capture loop cannot starve the records of the other kinds.
 * The first refusal of each kind leaves one `record-limit` warning at
 * (member, line) and marks the input incomplete. `kind` is a static string
 * naming the records ("OOM reports"). */
bool mf_evidence_keep(mf_evidence *ev, uint64_t kept, const char *kind,
                      size_t record_bytes, size_t report_bytes, int32_t member,
                      uint64_t line);

/* The deadline and cancel check (0 to go on), see mf_evidence.check. */
static inline int mf_evidence_check(const mf_evidence *ev)
{
    return ev->check ? ev->check(ev->check_ctx) : 0;
}

/* Warnings kept; later ones are counted (mf_evidence.warnings_dropped) and
 * the report ends its warnings with one that says how many. */
#define MF_MAX_WARNINGS 2000

/* Record a warning (printf-style message, kept to one line). */
void mf_evidence_warn(mf_evidence *ev, int32_t member, uint64_t line,
                      const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Evidence texts and messages are at most this many bytes. */
#define MF_EXCERPT_MAX 200

/* Copy at most MF_EXCERPT_MAX bytes of evidence text (valid UTF-8). */
char *mf_evidence_excerpt(mf_evidence *ev, const char *text, size_t len);

int mf_strfact_set(mf_evidence *ev, mf_strfact *f, const char *value,
                   size_t len, mf_loc loc, const char *text, size_t text_len);

#endif
