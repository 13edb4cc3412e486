/* net_udp6.c - /proc/net/udp6 (rows read by net_socktab.c). */
#include "parse/net_socktab.h"

static int udp6_bid(const char *path, const char *head, size_t len)
{
    return mf_socktab_bid(MF_NETSNAP_UDP6, path, head, len);
}

static void *udp6_open(mf_parse_ctx *pc)
{
    return mf_socktab_open(pc, MF_NETSNAP_UDP6);
}

const mf_module mf_module_net_udp6 = {
    "net-udp6", "/proc/net/udp6 socket table", udp6_bid, false, udp6_open,
    mf_socktab_line, NULL, mf_socktab_close,
};
