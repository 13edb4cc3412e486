/* normalize.h - the log-prefix normaliser and the time model.
 *
 * A log member's lines arrive wrapped in whatever carried them: printk
 * levels, dmesg timestamps, caller ids, syslog, OpenWrt logread, journald,
 * logcat, serial consoles. The normaliser strips the wrapping and yields the
 * kernel's (or the program's) own message with its time and context, keeping
 * the original line number. The style is detected per member from its first
 * lines; lines of another style mixed in are still understood, and a line
 * whose prefix is not understood is passed on whole (never lost).
 *
 * Time: {boot, mono_s, wall}. Boots are counted per member from `Linux
 * version` banners, journald `-- Boot` lines and monotonic resets; monotonic
 * times of different boots are never compared. Year-less wall stamps carry
 * MF_WALL_NO_YEAR until the evidence stage supplies a year from a dated
 * source of the bundle (mf_logtime_set_year), which then sets
 * MF_WALL_YEAR_INFERRED. */
#ifndef MF_NORMALIZE_H
#define MF_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/linereader.h"
#include "util/util.h"

typedef enum mf_log_style {
    MF_STYLE_UNKNOWN = 0, /* nothing recognised: lines pass through whole */
    MF_STYLE_DMESG,       /* [ 1234.567890] msg, <6>, [T123]/[C1]; also
                             serial captures "host login: [ 1.2] msg" */
    MF_STYLE_DMESG_T,     /* [Tue Aug  6 15:35:12 2019] msg */
    MF_STYLE_SYSLOG,      /* Aug  6 15:35:12 host kernel: msg; also
                             journalctl short / short-precise */
    MF_STYLE_SYSLOG_ISO,  /* 2019-08-06T15:35:12.123456+08:00 host kernel:;
                             also journalctl short-iso */
    MF_STYLE_LOGREAD,     /* Tue Aug  6 15:35:12 2019 kern.warn kernel: */
    MF_STYLE_JOURNAL_SHORT_MONO, /* [ 1234.567890] host kernel: msg */
    MF_STYLE_JOURNAL_JSON,       /* -o json */
    MF_STYLE_JOURNAL_EXPORT,     /* -o export */
    MF_STYLE_LOGCAT,      /* 08-06 15:35:12.345  1017   684 I tag: msg,
                             -v uid: 08-06 15:35:12.345 root 1 2 I tag: */
    MF_STYLE_COUNT
} mf_log_style;

/* mf_logtime.wall_flags */
#define MF_WALL_VALID (1u << 0)
#define MF_WALL_NO_YEAR (1u << 1)       /* the stamp has no year */
#define MF_WALL_YEAR_INFERRED (1u << 2) /* year taken from another source */
#define MF_WALL_HAS_OFFSET (1u << 3)    /* utc_offset_min is meaningful */
#define MF_WALL_HAS_FRAC (1u << 4)      /* usec is meaningful */

typedef struct mf_logtime {
    int32_t boot;   /* boot index within the member, from 0; -1 unknown */
    bool has_mono;
    double mono_s;  /* seconds since that boot */
    unsigned wall_flags;
    int16_t year;   /* e.g. 2019; 0 when MF_WALL_NO_YEAR */
    int8_t mon, mday, hour, min, sec; /* mon 1..12 */
    int32_t usec;
    int16_t utc_offset_min;
    int8_t frac_digits; /* digits of the fraction in the source (3 for
                           logcat, 6 usually); 0 when no MF_WALL_HAS_FRAC */
} mf_logtime;

typedef struct mf_logmsg {
    const char *msg; /* the message without any prefix; valid during the
                        callback only */
    size_t len;
    uint64_t lineno; /* line number of the original line in the member */
    mf_logtime time;
    mf_log_style style; /* the style this line was read as */
    int level;          /* printk / syslog severity 0..7, -1 unknown */
    char caller_kind;   /* 'T' (task) or 'C' (cpu), 0 if none */
    uint32_t caller_id;
    const char *host;   size_t host_len;     /* syslog host */
    const char *facility; size_t facility_len; /* "kern.warn" */
    const char *ident;  size_t ident_len;    /* "kernel", logcat tag, ... */
    int32_t pid, tid;   /* -1 when absent */
    int64_t uid;        /* logcat uid, -1 when absent */
    bool from_kernel;   /* the line is the kernel's own text (dmesg, ident
                           "kernel", journal _TRANSPORT=kernel); this
                           includes text user space wrote to /dev/kmsg */
    /* additions */
    unsigned line_flags; /* MF_LINE_* of the original line */
    bool boot_start;     /* this message opened a new boot (time.boot > 0) */
} mf_logmsg;

/* Return 0 to go on, non-zero to stop. */
typedef int (*mf_logmsg_fn)(void *ctx, const mf_logmsg *msg);

typedef struct mf_normalizer mf_normalizer;

/* `a` NULL means mf_default_allocator. NULL when out of memory. */
mf_normalizer *mf_normalizer_new(const mf_allocator *a);
void mf_normalizer_free(mf_normalizer *n);
/* Start a new member: forget the detected style, boots and times. */
void mf_normalizer_reset(mf_normalizer *n);
/* Normalise one line; calls fn once per message it holds (rsyslog's #012
 * escapes make several messages of one line; journal metadata lines make
 * none). Returns 0, fn's non-zero value, or -1 on allocation failure. */
int mf_normalizer_line(mf_normalizer *n, const mf_line *line, mf_logmsg_fn fn,
                       void *ctx);
/* End of the member: deliver what is still held (the last record of a
 * journal -o export member without a trailing blank line). Returns like
 * mf_normalizer_line. Call mf_normalizer_reset before the next member. */
int mf_normalizer_finish(mf_normalizer *n, mf_logmsg_fn fn, void *ctx);
/* The style detected for the current member so far (majority of the first
 * 20 recognised lines). */
mf_log_style mf_normalizer_style(const mf_normalizer *n);
/* Number of boots seen in the current member (at least 1 once a message
 * was delivered). */
int32_t mf_normalizer_boots(const mf_normalizer *n);

const char *mf_log_style_name(mf_log_style style);

/* Give a year-less wall time the year `year` (sets MF_WALL_YEAR_INFERRED and
 * clears MF_WALL_NO_YEAR); does nothing to a time that has its own year. */
void mf_logtime_set_year(mf_logtime *t, int year);
/* ISO 8601 text of the wall time ("2019-08-06T15:35:12.345678+08:00", no
 * offset when the source gave none); returns 0, or -1 when the time has no
 * valid wall clock or no year. `out` must hold 40 bytes. */
int mf_logtime_format_wall(const mf_logtime *t, char out[40]);

#endif
