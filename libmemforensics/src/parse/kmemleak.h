/* kmemleak.h - the kmemleak record builder shared by the debugfs-dump module
 * (kind "kmemleak") and the kernel-log reader of `kmemleak: ` lines.
 *
 * The builder reads one report line at a time (any `kmemleak: ` prefix
 * already removed) and counts every finished object into its backtrace
 * group (model/events.h). Lines it does not know end the current object. */
#ifndef MF_PARSE_KMEMLEAK_H
#define MF_PARSE_KMEMLEAK_H

#include "parse/module.h"

#define MF_KML_MAX_FRAMES 64

typedef struct mf_kml_builder {
    int mode;          /* 0 none, 1 header seen, 2 hex dump, 3 backtrace */
    uint64_t size;
    mf_loc loc;
    mf_buf comm;
    bool has_comm;
    mf_buf key;        /* normalised frames, '\n'-separated */
    uint32_t nframes;
    uint64_t truncated;/* objects cut before their backtrace */
} mf_kml_builder;

void mf_kml_builder_init(mf_kml_builder *b, const mf_allocator *a);
/* Feed one line; `m` gives time and line number. Returns 0, -1 when out of
 * memory. Returns 1 (and consumes nothing) when the line is not kmemleak's. */
int mf_kml_builder_line(mf_kml_builder *b, mf_parse_ctx *pc,
                        const mf_logmsg *m, const char *s, size_t n);
/* End of the member: count the open object, warn about cut ones, free. */
void mf_kml_builder_finish(mf_kml_builder *b, mf_parse_ctx *pc);

/* Normalise one backtrace line into "sym" or "sym [module]" (offsets,
 * addresses, file:line and [inline] dropped). Returns the length written to
 * `out` (at most `cap` - 1), or 0 when the line carries no symbol. */
size_t mf_kml_frame_normalise(const char *s, size_t n, char *out, size_t cap);

/* The kernel-log reader of `kmemleak: ` lines. */
extern const struct mf_klog_reader mf_klog_kmemleak;

#endif
