/* net_socktab.h - the shared reader of /proc/net/{raw6,raw,udp6,udp}. */
#ifndef MF_NET_SOCKTAB_H
#define MF_NET_SOCKTAB_H

#include "model/netcfg.h"
#include "parse/module.h"

const char *mf_socktab_name(mf_snapkind table);
int mf_socktab_bid(mf_snapkind table, const char *path, const char *head,
                   size_t len);
void *mf_socktab_open(mf_parse_ctx *pc, mf_snapkind table);
int mf_socktab_line(void *state, mf_parse_ctx *pc, const mf_line *line);
void mf_socktab_close(void *state, mf_parse_ctx *pc);

#endif
