/* net_raw6.c - /proc/net/raw6 (rows read by net_socktab.c). */
#include "parse/net_socktab.h"

static int raw6_bid(const char *path, const char *head, size_t len)
{
    return mf_socktab_bid(MF_NETSNAP_RAW6, path, head, len);
}

static void *raw6_open(mf_parse_ctx *pc)
{
    return mf_socktab_open(pc, MF_NETSNAP_RAW6);
}

const mf_module mf_module_net_raw6 = {
    "net-raw6", "/proc/net/raw6 socket table", raw6_bid, false, raw6_open,
    mf_socktab_line, NULL, mf_socktab_close,
};
