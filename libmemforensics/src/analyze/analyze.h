/* analyze.h - derived facts. The analyze stage reads the evidence every
 * module recorded and derives what an expert would: which kernel the device
 * ran, and (as modules arrive) OOM accounting, kmemleak culprits, growth
 * rates, trends and fragmentation. */
#ifndef MF_ANALYZE_H
#define MF_ANALYZE_H

#include "model/evidence.h"

/* Derive every fact; returns 0 or MF_ENOMEM. */
int mf_analyze_evidence(mf_evidence *ev);

/* Network and configuration facts (analyze/netcfg.c); 0 or MF_ENOMEM. */
int mf_analyze_netcfg(mf_evidence *ev);
/* Format a /proc/net address printed as host-endian hex words. */
void mf_format_address(const char *hex, bool big_endian, char *out, size_t cap);

#endif
