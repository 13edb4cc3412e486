/* net_udp.c - /proc/net/udp (rows read by net_socktab.c). */
#include "parse/net_socktab.h"

static int udp_bid(const char *path, const char *head, size_t len)
{
    return mf_socktab_bid(MF_NETSNAP_UDP, path, head, len);
}

static void *udp_open(mf_parse_ctx *pc)
{
    return mf_socktab_open(pc, MF_NETSNAP_UDP);
}

const mf_module mf_module_net_udp = {
    "net-udp", "/proc/net/udp socket table", udp_bid, false, udp_open,
    mf_socktab_line, NULL, mf_socktab_close,
};
