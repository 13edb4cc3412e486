/* Network and configuration modules: each parser on good and malformed
 * input, classification, snapshot ordering and growth, byte order, owners,
 * record limits, and allocation failures over the corpus.
 *
 *   test_netcfg CORPUS_DIR */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failalloc.h"
#include "analyze/analyze.h"
#include "model/netcfg.h"
#include "parse/dispatch.h"
#include "parse/net_common.h"

static const char *corpus_dir = "corpus";

/* Feed members (path, content) pairs through classification and parsing,
 * then analyse. */
static mf_evidence *feed(uint32_t max_records, const char *const *members)
{
    mf_evidence *ev = mf_evidence_new(&mf_default_allocator);
    assert_non_null(ev);
    ev->max_records = max_records;
    mf_dispatch *d = mf_dispatch_new(ev, 4096);
    assert_non_null(d);
    for (size_t i = 0; members[i]; i += 2) {
        int32_t m = mf_evidence_add_member(ev, members[i]);
        assert_true(m >= 0);
        assert_int_equal(mf_dispatch_begin(d, m), 0);
        /* uneven chunks */
        const char *s = members[i + 1];
        size_t len = strlen(s), pos = 0, step = 7;
        while (pos < len) {
            size_t n = len - pos < step ? len - pos : step;
            assert_int_equal(mf_dispatch_data(d, s + pos, n), 0);
            pos += n;
            step = step * 5 % 97 + 1;
        }
        mf_dispatch_end(d, MF_MEMBER_PARSED, NULL);
    }
    mf_dispatch_free(d);
    return ev;
}

static mf_evidence *run(uint32_t max_records, const char *const *members)
{
    mf_evidence *ev = feed(max_records, members);
    assert_int_equal(mf_analyze_evidence(ev), 0);
    return ev;
}

static const char *kind_of(mf_evidence *ev, size_t i)
{
    const mf_member *m = mf_vec_at(&ev->members, i);
    return m->kind;
}

static bool has_warning(mf_evidence *ev, const char *code, uint64_t line)
{
    for (size_t i = 0; i < ev->warnings.len; i++) {
        const mf_warning *w = mf_vec_at(&ev->warnings, i);
        if (strcmp(w->code, code) == 0 && (!line || w->line == line))
            return true;
    }
    return false;
}

static const char *kv_get(const mf_vec *keys, const mf_vec *kv, const char *key)
{
    for (size_t i = 0; i < keys->len; i++) {
        const uint32_t *ix = mf_vec_at(keys, i);
        const mf_kv *e = mf_vec_at(kv, *ix);
        if (strcmp(e->key, key) == 0)
            return e->value;
    }
    return NULL;
}

#define H6 "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
#define Z32 "00000000000000000000000000000000"

static void date_lines(void **state)
{
    (void)state;
    int64_t t;
    assert_true(mf_date_line("Tue Aug  6 15:35:12 CST 2019", 28, &t));
    assert_int_equal(t, 1565105712);
    assert_true(mf_date_line("Tue Aug  6 15:35:12 2019", 24, &t));
    assert_int_equal(t, 1565105712);
    assert_true(mf_date_line("=== 2019-08-06 15:35:12 ===", 27, &t));
    assert_int_equal(t, 1565105712);
    assert_true(mf_date_line("2019-08-06T15:35:12+08:00", 25, &t));
    assert_int_equal(t, 1565105712 - 8 * 3600);
    assert_true(mf_date_line("1565105712", 10, &t));
    assert_int_equal(t, 1565105712);
    assert_false(mf_date_line("0021 0011 0001 0018 0000 0b1c 0000", 34, &t));
    assert_false(mf_date_line("sockets: used 12", 16, &t));
    assert_false(mf_date_line("Tue Aug 36 15:35:12 2019", 24, &t));
    assert_false(mf_date_line("123", 3, &t));
}

static void raw6_rows_and_malformed(void **state)
{
    (void)state;
    const char *in[] = {
        "proc/net/raw6",
        H6 "   53: " Z32 ":003A " Z32 ":0000 07 00000000:02FAF000 00:00000000 00000000     0        0 23145 2 ffff8e0a4c6b2000 48817\n"
        /* old kernel: no drops column */
        "   54: " Z32 ":0011 " Z32 ":0000 07 00000000:00000100 00:00000000 00000000     0        0 23146 2 ffff8e0a4c6b2400\n"
        /* short address, bad hex queue, truncated */
        "   55: 0000:003A " Z32 ":0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0\n"
        "   56: " Z32 ":003A " Z32 ":0000 07 00000000:0000G000 00:00000000 00000000     0        0 2 2 0 0\n"
        "   57: " Z32 ":003A 0000\n"
        "root@r1:~# \n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "net-raw6");
    mf_netcfg *nc = ev->netcfg;
    assert_int_equal(nc->sock_rows.len, 2);
    const mf_sock_row *r = mf_vec_at(&nc->sock_rows, 0);
    assert_int_equal(r->local_port, 58);
    assert_int_equal(r->rx_queue, 0x02FAF000);
    assert_int_equal(r->drops, 48817);
    assert_true(r->has_drops);
    r = mf_vec_at(&nc->sock_rows, 1);
    assert_false(r->has_drops);
    assert_true(has_warning(ev, "bad-row", 4));
    /* rx_queue order: the full socket first */
    const mf_sock_summary *s = mf_vec_at(&nc->sockets, 0);
    assert_int_equal(s->table, MF_NETSNAP_RAW6);
    assert_string_equal(s->local, "::");
    assert_string_equal(nc->byte_order_source, "assumed");
    mf_evidence_free(ev);
}

static void byte_order_and_addresses(void **state)
{
    (void)state;
    char out[64];
    mf_format_address("0100007F", false, out, sizeof out);
    assert_string_equal(out, "127.0.0.1");
    mf_format_address("7F000001", true, out, sizeof out);
    assert_string_equal(out, "127.0.0.1");
    mf_format_address("00000000000000000000000001000000", false, out, sizeof out);
    assert_string_equal(out, "::1");
    mf_format_address("000080FE00000000FEA80254F3B6EBFE", false, out, sizeof out);
    assert_string_equal(out, "fe80::5402:a8fe:feeb:b6f3");
    mf_format_address("FE800000000000006670EFFFFE2E91C4", true, out, sizeof out);
    assert_string_equal(out, "fe80::6670:efff:fe2e:91c4");
    mf_format_address("0000000000000000FFFF00000101A8C0", false, out, sizeof out);
    assert_string_equal(out, "::ffff:192.168.1.1");
    mf_format_address("20010DB8000000010000000000000001", true, out, sizeof out);
    assert_string_equal(out, "2001:db8:0:1::1");

    /* a big-endian MIPS table decides by its loopback row, even with an
     * arch that says nothing */
    const char *in[] = {
        "proc/net/udp",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
        "   29: C0A80101:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3125 2 83a1ce00 0\n"
        "   30: 7F000001:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3127 2 83a1c600 0\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "net-udp");
    assert_true(ev->netcfg->big_endian);
    assert_string_equal(ev->netcfg->byte_order_source, "socket addresses");
    const mf_sock_summary *s = mf_vec_at(&ev->netcfg->sockets, 0);
    assert_string_equal(s->local, "192.168.1.1");
    mf_evidence_free(ev);

    /* no telling address: kconfig decides */
    const char *in2[] = {
        "proc/net/udp",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
        "   29: C0A80101:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3125 2 83a1ce00 0\n",
        "proc/config.gz", "CONFIG_MIPS=y\nCONFIG_CPU_BIG_ENDIAN=y\n# CONFIG_CPU_LITTLE_ENDIAN is not set\n",
        NULL};
    ev = run(0, in2);
    assert_string_equal(kind_of(ev, 1), "kconfig");
    assert_true(ev->netcfg->big_endian);
    assert_string_equal(ev->netcfg->byte_order_source, "kconfig");
    mf_evidence_free(ev);
}

static void capture_loop_growth_and_owner(void **state)
{
    (void)state;
    /* two files; the later one in reading order holds the earlier time */
    const char *in[] = {
        "b/raw6",
        "Tue Mar  5 10:30:00 UTC 2024\n" H6
        "   53: " Z32 ":003A " Z32 ":0000 07 00000000:00100000 00:00000000 00000000     0        0 777 2 0 900\n",
        "a/raw6",
        "Tue Mar  5 10:00:00 UTC 2024\n" H6
        "   53: " Z32 ":003A " Z32 ":0000 07 00000000:00001000 00:00000000 00000000     0        0 777 2 0 100\n",
        "ss-nwp",
        "State  Recv-Q Send-Q Local Address:Port  Peer Address:Port\n"
        "UNCONN 1048576 0     *:58  *:*  users:((\"zebra\",pid=812,fd=19)) ino:777\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 2), "ss");
    mf_netcfg *nc = ev->netcfg;
    assert_int_equal(nc->sockets.len, 1);
    const mf_sock_summary *s = mf_vec_at(&nc->sockets, 0);
    const mf_sock_row *f = mf_vec_at(&nc->sock_rows, s->first);
    const mf_sock_row *l = mf_vec_at(&nc->sock_rows, s->last);
    assert_int_equal(s->snapshots, 2);
    assert_int_equal(f->drops, 100); /* ordered by time, not by file */
    assert_int_equal(l->drops, 900);
    assert_int_equal(nc->series[MF_NETSNAP_RAW6].time_source, MF_SNAPTIME_DATE_LINE);
    assert_int_equal(nc->series[MF_NETSNAP_RAW6].last_time -
                         nc->series[MF_NETSNAP_RAW6].first_time, 1800);
    assert_true(s->owner >= 0);
    const mf_listing_row *o = mf_vec_at(&nc->listing, (size_t)s->owner);
    assert_string_equal(o->owner, "zebra");
    assert_int_equal(o->pid, 812);
    assert_int_equal(o->recv_q, 1048576);
    mf_evidence_free(ev);
}

static void netstat_columns(void **state)
{
    (void)state;
    const char *in[] = {
        "netstat-anpe",
        "Active Internet connections (servers and established)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name\n"
        "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      0          15482      905/sshd: /usr/sbin\n"
        "raw6  213120      0 :::58                   :::*                    7           0          23145      1211/zebra\n"
        "udp        x      0 0.0.0.0:68              0.0.0.0:*                           0          1          -\n"
        "Active UNIX domain sockets (servers and established)\n"
        "Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path\n"
        "unix  2      [ ACC ]     STREAM     LISTENING     21547    1211/zebra           /var/run/zserv.api\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "netstat");
    mf_netcfg *nc = ev->netcfg;
    assert_int_equal(nc->listing.len, 2);
    const mf_listing_row *r = mf_vec_at(&nc->listing, 0);
    assert_string_equal(r->owner, "sshd: /usr/sbin");
    assert_int_equal(r->inode, 15482);
    assert_string_equal(r->state, "LISTEN");
    r = mf_vec_at(&nc->listing, 1);
    assert_string_equal(r->proto, "raw6");
    assert_int_equal(r->recv_q, 213120);
    assert_string_equal(r->owner, "zebra");
    assert_string_equal(r->state, "7");
    assert_true(has_warning(ev, "bad-row", 5));
    mf_evidence_free(ev);
}

static void netstat_timer_column(void **state)
{
    (void)state;
    const char *in[] = {
        "sos_commands/networking/netstat_-W_-neopa",
        "Active Internet connections (servers and established)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name     Timer\n"
        "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      0          15482      905/sshd: /usr/sbin  off (0.00/0/0)\n"
        "raw6  213120      0 :::58                   :::*                    7           0          23145      1211/zebra           off (0.00/0/0)\n",
        NULL};
    mf_evidence *ev = run(0, in);
    mf_netcfg *nc = ev->netcfg;
    assert_int_equal(nc->listing.len, 2);
    const mf_listing_row *r = mf_vec_at(&nc->listing, 0);
    assert_string_equal(r->owner, "sshd: /usr/sbin");
    assert_int_equal(r->inode, 15482);
    r = mf_vec_at(&nc->listing, 1);
    assert_string_equal(r->owner, "zebra");
    assert_int_equal(r->inode, 23145);
    assert_string_equal(r->state, "7");
    mf_evidence_free(ev);
}

static void sockstat_units(void **state)
{
    (void)state;
    const char *in[] = {
        "proc/net/sockstat",
        "sockets: used 412\r\nTCP: inuse 18 orphan 0 tw 3 alloc 22 mem 7\r\n"
        "UDP: inuse 9 mem 3\r\nFRAG: inuse 1 memory 1024\r\nNEWPROTO: inuse 4\r\n"
        "UDP: inuse\r\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "sockstat");
    mf_netcfg *nc = ev->netcfg;
    int found = 0;
    for (size_t i = 0; i < nc->sockstat.len; i++) {
        const mf_sockstat_val *v = mf_vec_at(&nc->sockstat, i);
        const char *n = mf_sockstat_field_name(v->field);
        if (!strcmp(n, "tcp_mem_pages") && v->value == 7)
            found++;
        if (!strcmp(n, "frag_memory_bytes") && v->value == 1024)
            found++;
        if (!strcmp(n, "udp_mem_pages") && v->value == 3)
            found++;
    }
    assert_int_equal(found, 3);
    assert_true(has_warning(ev, "bad-row", 6));
    mf_evidence_free(ev);
}

static void ip_rules(void **state)
{
    (void)state;
    const char *in[] = {
        "sos_commands/networking/ip_-6_rule",
        "0:\tfrom all lookup local\n"
        "32764:\tfrom all lookup main suppress_prefixlength 0\n"
        "32765:\tnot from all fwmark 0xca6c lookup 51820\n"
        "1000:\tfrom all lookup [l3mdev-table]\n"
        "32000:\tfrom all unreachable\n",
        "capture.txt",
        "# ip rule show\n0:\tfrom all lookup local\n100:\tfrom 10.0.0.0/8 iif eth0 lookup 100\n"
        "# ip -6 rule show\n0:\tfrom all lookup local\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "ip-rule");
    assert_string_equal(kind_of(ev, 1), "ip-rule");
    mf_netcfg *nc = ev->netcfg;
    assert_int_equal(nc->ip_rules.len, 8);
    const mf_ip_rule *r = mf_vec_at(&nc->ip_rules, 1);
    assert_int_equal(r->family, 6);
    assert_int_equal(r->priority, 32764);
    assert_int_equal(r->suppress_prefixlength, 0);
    assert_string_equal(r->table, "main");
    assert_string_equal(r->selector, "from all");
    r = mf_vec_at(&nc->ip_rules, 2);
    assert_string_equal(r->fwmark, "0xca6c");
    assert_string_equal(r->selector, "not from all fwmark 0xca6c");
    assert_int_equal(r->suppress_prefixlength, -1);
    r = mf_vec_at(&nc->ip_rules, 4);
    assert_string_equal(r->action, "unreachable");
    assert_null(r->table);
    r = mf_vec_at(&nc->ip_rules, 6);
    assert_int_equal(r->family, 4);
    assert_string_equal(r->selector, "from 10.0.0.0/8 iif eth0");
    r = mf_vec_at(&nc->ip_rules, 7);
    assert_int_equal(r->family, 6); /* after the `ip -6 rule` echo */
    mf_evidence_free(ev);
}

static void sysctl_kconfig_uname_os(void **state)
{
    (void)state;
    const char *in[] = {
        "sos_commands/kernel/sysctl_-a",
        "net.core.rmem_default = 50000000\nnet.ipv4.tcp_mem = 94038\t125386\t188076\n"
        "sysctl: permission denied on key 'x'\nvm.min_free_kbytes = 1024\n"
        "vm.min_free_kbytes = 16384\n",
        "FS/proc/sys/net/core/rmem_max", "212992\n",
        "boot/config-5.10.0",
        "CONFIG_FSL_DPAA_CS_THRESHOLD_1G=0x06000000\n# CONFIG_KMEMLEAK is not set\n"
        "CONFIG_LOCALVERSION=\"-test\"\nCONFIG_BROKEN line\nCONFIG_HZ=250\n",
        "sos_commands/kernel/uname_-a",
        "Linux azvm 5.14.21-150400.24.18-default #1 SMP PREEMPT_DYNAMIC Thu Aug 4 14:17:48 UTC 2022 (e9f7bfc) x86_64 x86_64 x86_64 GNU/Linux\n",
        "etc/openwrt_release",
        "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='19.07.3'\nDISTRIB_TARGET='ramips/mt7621'\n",
        "etc/board.json",
        "{\n\t\"model\": {\n\t\t\"id\": \"phicomm,k2t\",\n\t\t\"name\": \"Phicomm K2T\"\n\t},\n"
        "\t\"network\": {\n\t\t\"lan\": {\n\t\t\t\"id\": \"x\"\n\t\t}\n\t}\n}\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "sysctl");
    assert_string_equal(kind_of(ev, 1), "sysctl");
    assert_string_equal(kind_of(ev, 2), "kconfig");
    assert_string_equal(kind_of(ev, 3), "uname");
    assert_string_equal(kind_of(ev, 4), "os-release");
    assert_string_equal(kind_of(ev, 5), "os-release");
    mf_netcfg *nc = ev->netcfg;
    assert_string_equal(kv_get(&nc->sysctl_keys, &nc->sysctl, "net.core.rmem_default"), "50000000");
    assert_string_equal(kv_get(&nc->sysctl_keys, &nc->sysctl, "net.ipv4.tcp_mem"), "94038 125386 188076");
    assert_string_equal(kv_get(&nc->sysctl_keys, &nc->sysctl, "vm.min_free_kbytes"), "16384");
    assert_string_equal(kv_get(&nc->sysctl_keys, &nc->sysctl, "net.core.rmem_max"), "212992");
    assert_string_equal(kv_get(&nc->kconfig_keys, &nc->kconfig, "CONFIG_FSL_DPAA_CS_THRESHOLD_1G"), "0x06000000");
    assert_string_equal(kv_get(&nc->kconfig_keys, &nc->kconfig, "CONFIG_KMEMLEAK"), "n");
    assert_string_equal(kv_get(&nc->kconfig_keys, &nc->kconfig, "CONFIG_LOCALVERSION"), "-test");
    bool is_kconfig = true;
    const mf_kv *kv = mf_netcfg_fact(ev, "facts.sysctl.vm.min_free_kbytes", &is_kconfig);
    assert_non_null(kv);
    assert_false(is_kconfig);
    assert_string_equal(kv->value, "16384");
    assert_int_equal(kv->loc.member, 0);
    assert_int_equal(kv->loc.line, 5); /* the later value wins */
    kv = mf_netcfg_fact(ev, "facts.kconfig.CONFIG_HZ", &is_kconfig);
    assert_non_null(kv);
    assert_true(is_kconfig);
    assert_int_equal(kv->loc.member, 2);
    assert_int_equal(kv->loc.line, 5);
    assert_null(mf_netcfg_fact(ev, "facts.kconfig.CONFIG_NOPE", &is_kconfig));
    assert_null(mf_netcfg_fact(ev, "facts.os.board", &is_kconfig));
    assert_true(has_warning(ev, "bad-row", 4));
    /* no banner: uname fills system{} */
    assert_string_equal(ev->system.kernel_release.value, "5.14.21-150400.24.18-default");
    assert_string_equal(ev->system.arch.value, "x86_64");
    assert_string_equal(nc->system_hostname.value, "azvm");
    assert_string_equal(nc->system_platform.value, "openwrt");
    assert_string_equal(nc->os_board.value, "phicomm,k2t");
    assert_string_equal(nc->os_model.value, "Phicomm K2T");
    assert_string_equal(nc->os_release.value, "19.07.3");
    mf_evidence_free(ev);
}

static void uwsgi_forms(void **state)
{
    (void)state;
    const char *in[] = {
        "etc/uwsgi.conf",
        "[uwsgi]\nprocesses = 4\nthreads = 2\nbuffer-size = 32768\n[other]\nprocesses = 9\n",
        "etc/config/uwsgi",
        "config uwsgi 'luci'\n\toption workers '3'\n\toption buffer_size '10000'\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "uwsgi-config");
    assert_string_equal(kind_of(ev, 1), "uwsgi-config");
    mf_netcfg *nc = ev->netcfg;
    assert_int_equal(nc->uwsgi.len, 2);
    const mf_uwsgi_conf *u = mf_vec_at(&nc->uwsgi, 0);
    assert_int_equal(u->processes, 4);
    assert_int_equal(u->threads, 2);
    assert_int_equal(u->buffer_size, 32768);
    u = mf_vec_at(&nc->uwsgi, 1);
    assert_string_equal(u->name, "luci");
    assert_int_equal(u->processes, 3);
    assert_int_equal(u->threads, -1);
    assert_int_equal(u->buffer_size, 10000);
    mf_evidence_free(ev);
}

static void interfaces_and_routes(void **state)
{
    (void)state;
    const char *in[] = {
        "proc/net/dev",
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
        "  eth1:       0       0    0    0    0     0          0         0 1500 10    0    0    0     0       0          0\n"
        "  eth2: 1 2 3\n"
        "1700000600\n"
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
        "  eth1:0 0 0 0 0 0 0 0 9000 60 0 0 0 0 0 0\n",
        "sos_commands/networking/ethtool_-S_eth1",
        "NIC statistics:\n     tx_packets: 60\n     congestion time (ms): 15\n     bogus: x\n",
        "ethtool-eth1",
        "Settings for eth1:\n\tSpeed: 1000Mb/s\n\tDuplex: Full\n\tLink detected: yes\n",
        "proc/net/rt6_stats", "0021 0011 0001 0018 0000 0b1c 0000\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "net-dev");
    assert_string_equal(kind_of(ev, 1), "ethtool");
    assert_string_equal(kind_of(ev, 2), "ethtool");
    assert_string_equal(kind_of(ev, 3), "rt6-stats");
    mf_netcfg *nc = ev->netcfg;
    assert_int_equal(nc->ifaces.len, 1);
    const mf_iface_summary *s = mf_vec_at(&nc->ifaces, 0);
    assert_string_equal(s->name, "eth1");
    assert_int_equal(s->dev_snapshots, 2);
    const mf_netdev_row *l = mf_vec_at(&nc->netdev, (size_t)s->dev_last);
    assert_int_equal(l->v[9], 60); /* tx_packets */
    assert_true(s->link >= 0);
    const mf_ethtool_link *lk = mf_vec_at(&nc->eth_links, (size_t)s->link);
    assert_int_equal(lk->link_detected, 1);
    assert_string_equal(lk->speed, "1000Mb/s");
    assert_int_equal(s->counters_end - s->counters_begin, 2);
    bool congestion = false;
    for (uint32_t k = s->counters_begin; k < s->counters_end; k++) {
        const mf_counter_summary *cs = mf_vec_at(&nc->counter_summaries, k);
        const mf_ethtool_counter *c = mf_vec_at(&nc->eth_counters, cs->last);
        if (!strcmp(c->name, "congestion time (ms)") && c->value == 15)
            congestion = true;
    }
    assert_true(congestion);
    assert_true(has_warning(ev, "bad-row", 4));
    assert_true(nc->rt6_last >= 0);
    const mf_rt6_stats *r = mf_vec_at(&nc->rt6, (size_t)nc->rt6_last);
    assert_int_equal(r->field[5], 0x0b1c);
    mf_evidence_free(ev);
}

static void prompts_are_not_bad_rows(void **state)
{
    (void)state;
    const char *in[] = {
        "capture/net-dev.txt",
        "root@ap:~# cat /proc/net/dev\n"
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
        "  eth0: 1 2 0 0 0 0 0 0 3 4 0 0 0 0 0 0\n",
        "capture/rt6_stats.txt",
        "root@ap:~# cat /proc/net/rt6_stats\n0021 0011 0001 0018 0000 0b1c 0000\n",
        "capture/config-5.4",
        "root@ap:~# zcat /proc/config.gz\nCONFIG_A=y\nCONFIG_B=1\nCONFIG_C=m\n",
        NULL};
    mf_evidence *ev = run(0, in);
    assert_string_equal(kind_of(ev, 0), "net-dev");
    assert_string_equal(kind_of(ev, 1), "rt6-stats");
    assert_string_equal(kind_of(ev, 2), "kconfig");
    assert_int_equal(ev->warnings.len, 0);
    assert_int_equal(ev->netcfg->netdev.len, 1);
    assert_int_equal(ev->netcfg->rt6.len, 1);
    assert_int_equal(ev->netcfg->kconfig.len, 3);
    mf_evidence_free(ev);
}

static void same_capture_twice_counts_once(void **state)
{
    (void)state;
    /* snapshot 1 (drops 100), snapshot 2 (drops 900), then a copy of
     * snapshot 1 read last: without the duplicate check, order of
     * appearance would report no growth */
    const char *s1 = H6 "   53: " Z32 ":003A " Z32 ":0000 07 00000000:00001000 00:00000000 00000000     0        0 777 2 0 100\n";
    const char *s2 = H6 "   53: " Z32 ":003A " Z32 ":0000 07 00000000:00100000 00:00000000 00000000     0        0 777 2 0 900\n";
    const char *in[] = {"FS/proc/net/raw6", s1, "later/proc/net/raw6", s2,
                        "bugreport.txt#RAW6 (/proc/net/raw6)", s1, NULL};
    mf_evidence *ev = feed(0, in);
    for (int i = 0; i < 3; i++) {
        mf_member *m = mf_vec_at(&ev->members, (size_t)i);
        m->content_hash = i == 1 ? 2 : 1;
    }
    assert_int_equal(mf_analyze_evidence(ev), 0);
    mf_netcfg *nc = ev->netcfg;
    assert_int_equal(nc->series[MF_NETSNAP_RAW6].snapshots, 2);
    assert_int_equal(nc->series[MF_NETSNAP_RAW6].duplicates, 1);
    const mf_sock_summary *s = mf_vec_at(&nc->sockets, 0);
    const mf_sock_row *f = mf_vec_at(&nc->sock_rows, s->first);
    const mf_sock_row *l = mf_vec_at(&nc->sock_rows, s->last);
    assert_int_equal(l->drops - f->drops, 800);
    assert_int_equal(nc->series[MF_NETSNAP_RAW6].time_source, MF_SNAPTIME_ORDER);
    mf_evidence_free(ev);

    /* the same origin and capture time: one capture */
    ev = feed(0, in);
    for (int i = 0; i < 3; i++) {
        mf_member *m = mf_vec_at(&ev->members, (size_t)i);
        m->origin = mf_strdup(ev->alloc, "/proc/net/raw6");
        m->has_capture_time = true;
        m->capture_time = i == 1 ? 1700003600 : 1700000000;
    }
    assert_int_equal(mf_analyze_evidence(ev), 0);
    nc = ev->netcfg;
    assert_int_equal(nc->series[MF_NETSNAP_RAW6].duplicates, 1);
    assert_int_equal(nc->series[MF_NETSNAP_RAW6].time_source, MF_SNAPTIME_CAPTURE);
    s = mf_vec_at(&nc->sockets, 0);
    l = mf_vec_at(&nc->sock_rows, s->last);
    assert_int_equal(l->drops, 900);
    mf_evidence_free(ev);
}

static void record_limit_warns_once(void **state)
{
    (void)state;
    const char *in[] = {
        "sysctl.txt",
        "a.b = 1\na.c = 2\na.d = 3\na.e = 4\na.f = 5\n", NULL};
    mf_evidence *ev = run(2, in);
    assert_int_equal(ev->netcfg->sysctl.len, 2);
    int n = 0;
    for (size_t i = 0; i < ev->warnings.len; i++) {
        const mf_warning *w = mf_vec_at(&ev->warnings, i);
        n += strcmp(w->code, "record-limit") == 0;
    }
    assert_int_equal(n, 1);
    mf_evidence_free(ev);
}

/* ---- allocation failures over corpus cases ---- */

static void failing_allocations(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", corpus_dir, rel);
    tu_counting probe = {0, 0, -1};
    mf_allocator a = {tu_counting_calloc, tu_counting_realloc, tu_counting_free, &probe};
    mf_options o = MF_OPTIONS_INIT;
    o.allocator = &a;
    mf_report *r = NULL;
    assert_int_equal(mf_analyze_path(&r, path, &o), MF_OK);
    assert_non_null(mf_report_render(r, MF_FORMAT_JSON, NULL));
    mf_report_free(r);
    long total = probe.calls;
    /* every budget up to 600, then a spread over the rest */
    for (long budget = 0; budget < total; budget += budget < 600 ? 1 : 37) {
        tu_counting c = {0, 0, budget};
        a.ctx = &c;
        r = NULL;
        int rc = mf_analyze_path(&r, path, &o);
        assert_true(rc == MF_OK || rc == MF_ENOMEM || rc == MF_EINPUT);
        if (r) {
            mf_report_render(r, MF_FORMAT_JSON, NULL);
            mf_report_render(r, MF_FORMAT_TEXT, NULL);
        }
        mf_report_free(r);
        assert_int_equal(c.live, 0);
    }
}

static void allocation_failures(void **state)
{
    (void)state;
    failing_allocations("net/zebra-raw6-filling");
    failing_allocations("net/openwrt-archer-c7-mips-be");
    failing_allocations("net/dpaa-ls1043a");
    failing_allocations("net/sosreport-azvm-suppress");
}

int main(int argc, char **argv)
{
    if (argc > 1)
        corpus_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(date_lines),
        cmocka_unit_test(raw6_rows_and_malformed),
        cmocka_unit_test(byte_order_and_addresses),
        cmocka_unit_test(capture_loop_growth_and_owner),
        cmocka_unit_test(netstat_columns),
        cmocka_unit_test(netstat_timer_column),
        cmocka_unit_test(sockstat_units),
        cmocka_unit_test(ip_rules),
        cmocka_unit_test(sysctl_kconfig_uname_os),
        cmocka_unit_test(uwsgi_forms),
        cmocka_unit_test(interfaces_and_routes),
        cmocka_unit_test(prompts_are_not_bad_rows),
        cmocka_unit_test(same_capture_twice_counts_once),
        cmocka_unit_test(record_limit_warns_once),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
