/* source.h - bytes in: files, folders, stdin, buffers and archives.
 *
 * The source stage walks the input and hands every member's bytes to a sink,
 * streaming (nothing is unpacked to disk). Archives of every format
 * libarchive reads are opened, also inside each other to a depth limit; a
 * single compressed file is one member with its decompressed content.
 * Members are recorded in the evidence with their path inside the bundle:
 * `dir/file` for folders and archive entries, `outer.tar.gz!inner/file` for
 * an entry of a nested archive. Unsafe entries (`..`, absolute names,
 * links, devices) are recorded with status "refused" and never read. */
#ifndef MF_SOURCE_H
#define MF_SOURCE_H

#include "model/evidence.h"

typedef struct mf_source_sink {
    /* A member starts; `index` is its place in ev->members. */
    int (*begin)(void *ctx, int32_t index);
    /* Content bytes. A negative return stops the analysis. */
    int (*data)(void *ctx, const void *buf, size_t len);
    /* The member ends: parsed when read whole, or the reason it was not. */
    void (*end)(void *ctx, mf_member_status status, const char *error);
    /* Return 0 to go on, or a negative mf_error_code to stop
     * (cancellation, deadline). Checked between chunks. */
    int (*check)(void *ctx);
    void *ctx;
} mf_source_sink;

/* Limits with defaults resolved. */
void mf_limits_resolve(mf_limits *out, const mf_limits *in);

/* Read `path` ("-" is stdin). Returns 0, MF_EINPUT when the input could not
 * be read at all (ev->input_error says why), MF_ENOMEM, or the negative
 * value the sink's check() returned. */
int mf_source_path(mf_evidence *ev, const char *path, const mf_limits *limits,
                   const mf_source_sink *sink);
int mf_source_reader(mf_evidence *ev, mf_read_fn read, void *read_ctx,
                     const char *name, const mf_limits *limits,
                     const mf_source_sink *sink);
int mf_source_buffer(mf_evidence *ev, const void *data, size_t len,
                     const char *name, const mf_limits *limits,
                     const mf_source_sink *sink);

#endif
