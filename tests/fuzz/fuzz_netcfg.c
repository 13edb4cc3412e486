/* libFuzzer target for the network and configuration parse modules. The
 * first byte selects the module (modulo their number); the rest is one
 * member's content, read in uneven chunks straight into that module (no
 * classification, so every parser sees every input), then analysed and
 * rendered. Every module bids on the same content under a second member
 * name, and when a network module wins, that member goes through
 * classification and dispatch as well. When another module wins (a kernel
 * log, a /proc snapshot) the member stops there: those parsers are the other
 * targets' (fuzz_analyze runs the whole path), and following them here kept
 * this target's coverage growing with the kernel-log readers' instead of
 * its own. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze/analyze.h"
#include "memforensics.h"
#include "model/netcfg.h"
#include "parse/dispatch.h"
#include "parse/module.h"
#include "report/report.h"
#include "text/linereader.h"

extern const mf_module mf_module_net_raw6, mf_module_net_raw, mf_module_net_udp6,
    mf_module_net_udp, mf_module_sockstat, mf_module_netstat, mf_module_ss,
    mf_module_rt6_stats, mf_module_net_dev, mf_module_ethtool, mf_module_ip_rule,
    mf_module_sysctl, mf_module_kconfig, mf_module_uname, mf_module_os_release,
    mf_module_uwsgi;

static const mf_module *const mods[] = {
    &mf_module_net_raw6, &mf_module_net_raw,   &mf_module_net_udp6,
    &mf_module_net_udp,  &mf_module_sockstat,  &mf_module_netstat,
    &mf_module_ss,       &mf_module_rt6_stats, &mf_module_net_dev,
    &mf_module_ethtool,  &mf_module_ip_rule,   &mf_module_sysctl,
    &mf_module_kconfig,  &mf_module_uname,     &mf_module_os_release,
    &mf_module_uwsgi};
/* member paths that name each kind (for /proc/sys keys, ss commands ...) */
static const char *const paths[] = {
    "proc/net/raw6", "proc/net/raw", "proc/net/udp6", "proc/net/udp",
    "proc/net/sockstat", "netstat-anp", "ss_-nwp", "proc/net/rt6_stats",
    "proc/net/dev", "ethtool_-S_eth0", "ip_-6_rule", "proc/sys/net/core/rmem_default",
    "proc/config.gz", "uname_-a", "etc/board.json", "etc/config/uwsgi"};
#define NMODS (sizeof mods / sizeof mods[0])

typedef struct feed {
    const mf_module *mod;
    void *state;
    mf_parse_ctx pc;
} feed;

static int on_line(void *ctx, const mf_line *line)
{
    feed *f = ctx;
    return f->mod->line(f->state, &f->pc, line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t which = data[0] % NMODS;
    const char *text = (const char *)data + 1;
    size--;
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    if (!ev)
        return 0;
    ev->max_records = 5000;
    int32_t m = mf_evidence_add_member(ev, paths[which]);
    feed f = {mods[which], NULL, {ev, m, paths[which]}};
    if (m >= 0) {
        f.state = f.mod->open ? f.mod->open(&f.pc) : NULL;
        if (!f.mod->open || f.state) {
            mf_linereader lr;
            mf_linereader_init(&lr, &mf_default_allocator, 512, on_line, &f);
            size_t pos = 0, step = 1;
            while (pos < size) {
                size_t n = size - pos < step ? size - pos : step;
                if (mf_linereader_feed(&lr, text + pos, n) != 0)
                    break;
                pos += n;
                step = step * 7 % 113 + 1;
            }
            mf_linereader_finish(&lr);
            mf_linereader_free(&lr);
            if (f.mod->close && f.state)
                f.mod->close(f.state, &f.pc);
        }
    }
    /* the same bytes through classification, when a network module wins */
    const char *path2 = paths[(which + 1) % NMODS];
    const mf_module *win = mf_classify(path2, text, size < MF_CLASSIFY_HEAD ? size : MF_CLASSIFY_HEAD);
    bool ours = false;
    for (size_t i = 0; i < NMODS; i++)
        ours |= win == mods[i];
    mf_dispatch *d = ours ? mf_dispatch_new(ev, 512) : NULL;
    int32_t m2 = d ? mf_evidence_add_member(ev, path2) : -1;
    if (d && m2 >= 0 && mf_dispatch_begin(d, m2) == 0) {
        mf_dispatch_data(d, text, size);
        mf_dispatch_end(d, MF_MEMBER_PARSED, NULL);
    }
    mf_dispatch_free(d);
    if (mf_analyze_evidence(ev) == 0) {
        cJSON *doc = mf_report_build(ev, 0, "0000000000000000");
        if (doc) {
            char *s = mf_json_print(&mf_default_allocator, doc, 1);
            mf_free(&mf_default_allocator, s);
            s = mf_report_text(&mf_default_allocator, doc);
            mf_free(&mf_default_allocator, s);
            cJSON_Delete(doc);
        }
    }
    mf_evidence_free(ev);
    return 0;
}
