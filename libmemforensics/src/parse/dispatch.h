/* dispatch.h - from a member's bytes to a parse module.
 *
 * The source stage pushes each member's bytes here. The first
 * MF_CLASSIFY_HEAD bytes are held back while the modules bid; then the held
 * bytes and the rest stream through the line reader (and the normaliser, for
 * log kinds) into the winning module. One pass, bounded memory. */
#ifndef MF_DISPATCH_H
#define MF_DISPATCH_H

#include "parse/module.h"

typedef struct mf_dispatch mf_dispatch;

mf_dispatch *mf_dispatch_new(mf_evidence *ev, size_t max_line_bytes);
void mf_dispatch_free(mf_dispatch *d);
/* Hand every normalised log message to the rules' log matcher too. */
struct mf_logmatch;
void mf_dispatch_set_logmatch(mf_dispatch *d, struct mf_logmatch *lm);

/* Start member `index` of the evidence. */
int mf_dispatch_begin(mf_dispatch *d, int32_t index);
/* Returns 0, or -1 when an allocation failed. */
int mf_dispatch_data(mf_dispatch *d, const void *data, size_t len);
/* End the member. `status` is the source's verdict on the bytes
 * (MF_MEMBER_PARSED when they were read whole); the member's final status
 * and kind are set here. */
void mf_dispatch_end(mf_dispatch *d, mf_member_status status,
                     const char *error);

#endif
