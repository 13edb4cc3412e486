/* dumpstate.h - cutting an Android dumpstate text into its sections.
 *
 * A bugreport's main text starts with a banner line of '=' and the header
 * `== dumpstate: YYYY-MM-DD HH:MM:SS`; then come sections
 *
 *     ------ TITLE (path-or-command[: mtime]) ------
 *     ...body...
 *     ------ 0.012s was the duration of 'TITLE' ------     (optional)
 *
 * The splitter turns one such member `FILE` into members `FILE#header`
 * (the text before the first section) and `FILE#TITLE (source)` (one per
 * section, the `: mtime` left out of the name and kept as the member's
 * mtime; a repeated title gets `#2`, `#3`...). Bodies stream into the sink
 * as they come: memory is one line-start buffer, whatever the file's size.
 * A section whose body says `*** Error dumping …` or `*** command '…' timed
 * out` ends with status "error" and that line as the reason. A section
 * ends at its footer, at the next section, or at a banner line of '=' (the
 * `== Android Framework Services` and `== dumpstate: done` banners come
 * between sections). Text outside the header and the sections is counted
 * in FILE, which gets the kind "dumpstate". */
#ifndef MF_DUMPSTATE_H
#define MF_DUMPSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"
#include "source/source.h"

/* The kind of a dumpstate text once it is split into sections. */
#define MF_KIND_DUMPSTATE "dumpstate"

/* How many first bytes mf_dumpstate_detect() wants (it copes with fewer). */
#define MF_DUMPSTATE_HEAD 256

/* True when `head` starts with the dumpstate banner and header. */
bool mf_dumpstate_detect(const char *head, size_t len);

/* The capture time of the header (`== dumpstate: 2024-01-16 09:20:11`, the
 * device's local time: no UTC offset is known). */
bool mf_dumpstate_time(const char *head, size_t len, int64_t *out);

/* Make a member for a section; returns its index, or -1 when no member may
 * be added (a limit, or an allocation failure the callee records). */
typedef int32_t (*mf_dumpstate_new_member)(void *ctx, const char *path);

typedef struct mf_dumpstate mf_dumpstate;

/* A splitter for member `file` (its path is `file_path`). */
mf_dumpstate *mf_dumpstate_new(mf_evidence *ev, int32_t file,
                               const char *file_path,
                               mf_dumpstate_new_member new_member,
                               void *new_member_ctx,
                               const mf_source_sink *sink);
/* Content bytes of FILE. Returns 0, or -1 when the analysis must stop
 * (allocation failure in the sink). */
int mf_dumpstate_feed(mf_dumpstate *d, const void *buf, size_t len);
/* FILE ends with the source's verdict (parsed when read whole): the open
 * section ends with it too; FILE gets its kind, size, lines and status. */
void mf_dumpstate_finish(mf_dumpstate *d, mf_member_status status,
                         const char *error);
void mf_dumpstate_free(mf_dumpstate *d);

/* Origin (device path) of a section from its source, e.g. "/proc/meminfo"
 * for `/proc/meminfo`, "/dev/kmsg" for `dmesg`, NULL for other commands.
 * Returns a static string or a pointer into `src` with its length. */
bool mf_dumpstate_origin(const char *src, size_t len, const char **out,
                         size_t *out_len);

#endif
