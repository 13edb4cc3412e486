/* net_raw.c - /proc/net/raw (rows read by net_socktab.c). */
#include "parse/net_socktab.h"

static int raw_bid(const char *path, const char *head, size_t len)
{
    return mf_socktab_bid(MF_NETSNAP_RAW, path, head, len);
}

static void *raw_open(mf_parse_ctx *pc)
{
    return mf_socktab_open(pc, MF_NETSNAP_RAW);
}

const mf_module mf_module_net_raw = {
    "net-raw", "/proc/net/raw socket table", raw_bid, false, raw_open,
    mf_socktab_line, NULL, mf_socktab_close,
};
