/* json_netcfg.h - report builders for the network and configuration
 * evidence (json_netcfg.c). Each accepts an evidence without netcfg
 * records and then adds the empty shape. */
#ifndef MF_JSON_NETCFG_H
#define MF_JSON_NETCFG_H

#include "report/report.h"

void mf_json_netcfg_sockets(const mf_evidence *ev, cJSON *sockets);
void mf_json_netcfg_interfaces(const mf_evidence *ev, cJSON *arr);
void mf_json_netcfg_routes(const mf_evidence *ev, cJSON *routes);
/* sysctl{}, kconfig{}, ip_rules[], os{}, services{} */
void mf_json_netcfg_facts(const mf_evidence *ev, cJSON *facts);
const char *mf_netcfg_platform(const mf_evidence *ev);
const char *mf_netcfg_hostname(const mf_evidence *ev);
void mf_json_netcfg_system_sources(const mf_evidence *ev, cJSON *sources);

/* Lines of the text summary (platform, sockets holding data, rules). */
void mf_text_netcfg(mf_buf *b, const cJSON *doc);

#endif
