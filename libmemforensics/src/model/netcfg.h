/* netcfg.h - network and configuration evidence: socket tables, socket
 * statistics, netstat/ss listings, route statistics, interface counters,
 * ethtool output, ip rules, sysctls, kernel config, uname, OS release files
 * and service configs.
 *
 * Records keep what the network and driver signatures need, each with its
 * source location. Files captured in a loop (`while :; do date; cat
 * /proc/net/raw6; sleep 60; done`) give several snapshots per member; each
 * snapshot records the capture-loop date line when there is one, and the
 * analyze stage (src/analyze/netcfg.c) orders snapshots of one kind by time
 * and derives growth. Socket addresses stay raw hex here: their byte order
 * depends on the CPU, known only after the whole bundle was read. */
#ifndef MF_NETCFG_H
#define MF_NETCFG_H

#include <stdbool.h>
#include <stdint.h>

#include "model/evidence.h"

/* Kinds of snapshot series. */
typedef enum mf_snapkind {
    MF_NETSNAP_RAW6 = 0,
    MF_NETSNAP_RAW,
    MF_NETSNAP_UDP6,
    MF_NETSNAP_UDP,
    MF_NETSNAP_SOCKSTAT,
    MF_NETSNAP_RT6_STATS,
    MF_NETSNAP_NET_DEV,
    MF_NETSNAP_ETHTOOL,
    MF_NETSNAP_NETSTAT,
    MF_NETSNAP_KINDS
} mf_snapkind;

/* Where a snapshot's time comes from, best first. */
typedef enum mf_snaptime {
    MF_SNAPTIME_NONE = 0,
    MF_SNAPTIME_DATE_LINE,     /* a capture-loop `date` line in the file */
    MF_SNAPTIME_CAPTURE,       /* mf_member.capture_time (bundle header) */
    MF_SNAPTIME_ARCHIVE_MTIME, /* the archive entry's mtime */
    MF_SNAPTIME_ORDER          /* order of appearance only */
} mf_snaptime;

const char *mf_snaptime_name(mf_snaptime s);

typedef struct mf_net_snapshot {
    uint8_t kind; /* mf_snapkind */
    uint32_t member;
    uint64_t line;     /* first line of the snapshot */
    uint32_t seq;      /* snapshot number inside its member, from 0 */
    bool has_date;
    int64_t date;      /* seconds since the epoch, from a date line */
    /* resolved by the analyze stage */
    bool has_time;
    int64_t time;
    uint8_t time_source; /* mf_snaptime */
    uint32_t order;      /* rank among the snapshots of its kind */
    bool duplicate;      /* its member repeats an earlier one: ignored */
} mf_net_snapshot;

/* One row of /proc/net/{raw6,raw,udp6,udp}. Addresses are the hex words as
 * printed (32 digits for IPv6, 8 for IPv4). */
typedef struct mf_sock_row {
    uint8_t table; /* MF_NETSNAP_RAW6 .. MF_NETSNAP_UDP */
    uint32_t snap; /* index in mf_netcfg.snapshots */
    char local_hex[33];
    char remote_hex[33];
    uint16_t local_port; /* the protocol number for raw sockets */
    uint16_t remote_port;
    uint8_t state;
    uint64_t tx_queue, rx_queue; /* bytes */
    uint32_t uid;
    uint64_t inode;
    bool has_drops;
    uint64_t drops;
    mf_loc loc;
} mf_sock_row;

/* One socket of `netstat -an[p]` or `ss -a[np]`. */
typedef struct mf_listing_row {
    uint8_t tool; /* 0 netstat, 1 ss */
    char proto[8];   /* tcp, tcp6, udp, udp6, raw, raw6, ... */
    uint64_t recv_q, send_q;
    char local[64];
    char remote[64];
    char state[16];
    char owner[32]; /* process name when shown */
    int32_t pid;    /* -1 when not shown */
    uint64_t inode; /* 0 when not shown */
    int64_t rcvbuf; /* ss -m skmem rb (bytes), -1 when not shown */
    int64_t drops;  /* ss -m skmem d, -1 when not shown */
    uint32_t snap;
    mf_loc loc;
} mf_listing_row;

/* Known /proc/net/sockstat{,6} fields (mf_sockstat_field_name). */
enum { MF_SOCKSTAT_FIELDS = 18 };
const char *mf_sockstat_field_name(unsigned i);

typedef struct mf_sockstat_val {
    uint32_t snap;
    uint8_t field;
    int64_t value;
    mf_loc loc;
} mf_sockstat_val;

/* /proc/net/rt6_stats: seven hex fields. */
typedef struct mf_rt6_stats {
    uint32_t snap;
    uint32_t field[7];
    mf_loc loc;
} mf_rt6_stats;

/* /proc/net/dev: one interface row. */
enum { MF_NETDEV_FIELDS = 16 };
const char *mf_netdev_field_name(unsigned i);

typedef struct mf_netdev_row {
    uint32_t snap;
    char iface[32];
    uint64_t v[MF_NETDEV_FIELDS];
    mf_loc loc;
} mf_netdev_row;

/* `ethtool -S IFACE`: one counter. */
typedef struct mf_ethtool_counter {
    uint32_t snap;
    char iface[32];
    char name[64];
    uint64_t value;
    mf_loc loc;
} mf_ethtool_counter;

/* `ethtool IFACE`: link settings. */
typedef struct mf_ethtool_link {
    uint32_t snap;
    char iface[32];
    int8_t link_detected; /* -1 unknown */
    char speed[24];
    char duplex[16];
    char port[32];
    char autoneg[8];
    char driver[32];  /* `ethtool -i IFACE` */
    mf_loc loc;       /* the `Link detected:` line, else `Settings for` */
} mf_ethtool_link;

/* One `ip rule` / `ip -6 rule` line. */
typedef struct mf_ip_rule {
    uint8_t family; /* 0 unknown, 4, 6 */
    int64_t priority;
    char *selector; /* "from all", "from all fwmark 0xca6c", ... */
    char *table;    /* NULL when the action is not a lookup */
    char *action;   /* lookup, blackhole, unreachable, prohibit, goto, nop */
    int32_t suppress_prefixlength; /* -1 when absent */
    char *fwmark;   /* "0xca6c" or "0x1/0xff"; NULL when absent */
    mf_loc loc;
    char *text;
} mf_ip_rule;

/* A key and its value: sysctls, kernel config options. */
typedef struct mf_kv {
    char *key;
    char *value;
    mf_loc loc;
} mf_kv;

/* uwsgi settings of one config file or UCI section. */
typedef struct mf_uwsgi_conf {
    int64_t processes, threads, buffer_size, cheaper; /* -1: absent */
    char *name; /* section or instance name, may be NULL */
    mf_loc loc; /* the section start */
    uint64_t processes_line;
} mf_uwsgi_conf;

/* Derived: one socket across the snapshots of its table. */
typedef struct mf_sock_summary {
    uint8_t table;
    uint32_t first, last; /* rows (mf_netcfg.sock_rows), by snapshot order */
    uint32_t snapshots;   /* snapshots the socket appears in */
    uint64_t rx_queue_max;
    int32_t owner;        /* mf_netcfg.listing row naming the owner, or -1 */
    char local[48];       /* decoded address */
    char remote[48];
} mf_sock_summary;

/* Derived: one interface. */
typedef struct mf_iface_summary {
    char name[32];
    int32_t dev_first, dev_last; /* mf_netcfg.netdev rows, -1 none */
    uint32_t dev_snapshots;
    int32_t link;                /* mf_netcfg.eth_links, the latest, or -1 */
    uint32_t counters_begin, counters_end; /* range in counter_summaries */
    uint32_t eth_snapshots;
} mf_iface_summary;

/* Derived: one ethtool counter of one interface. */
typedef struct mf_counter_summary {
    uint32_t first, last; /* mf_netcfg.eth_counters rows */
    uint32_t snapshots;
} mf_counter_summary;

/* Derived: a snapshot series (one per mf_snapkind). */
typedef struct mf_series_info {
    uint32_t snapshots;
    uint32_t duplicates; /* snapshots left out: the same capture twice */
    uint8_t time_source; /* the weakest source among them (mf_snaptime) */
    bool has_span;
    int64_t first_time, last_time;
} mf_series_info;

typedef struct mf_netcfg {
    mf_vec snapshots; /* mf_net_snapshot */
    mf_vec sock_rows; /* mf_sock_row */
    mf_vec listing;   /* mf_listing_row */
    mf_vec sockstat;  /* mf_sockstat_val */
    mf_vec rt6;       /* mf_rt6_stats */
    mf_vec netdev;    /* mf_netdev_row */
    mf_vec eth_counters; /* mf_ethtool_counter */
    mf_vec eth_links;    /* mf_ethtool_link */
    mf_vec ip_rules;  /* mf_ip_rule */
    mf_vec sysctl;    /* mf_kv, in reading order; later ones win */
    mf_vec kconfig;   /* mf_kv ("n" for `# CONFIG_X is not set`) */
    mf_vec uwsgi;     /* mf_uwsgi_conf */
    /* uname -a */
    mf_strfact uname_release, uname_arch, uname_hostname;
    /* OS release files */
    mf_strfact os_platform, os_release, os_board, os_model, os_target,
        os_description;
    /* Derived by the analyze stage. */
    mf_series_info series[MF_NETSNAP_KINDS];
    mf_vec sockets;      /* mf_sock_summary, report order */
    mf_vec ifaces;       /* mf_iface_summary, by name */
    mf_vec counter_summaries; /* mf_counter_summary, by interface and name */
    mf_vec sysctl_keys;  /* uint32_t: index of the winning sysctl, by key */
    mf_vec kconfig_keys; /* uint32_t: index of the winning option, by key */
    int32_t sockstat_last[MF_SOCKSTAT_FIELDS];  /* mf_sockstat_val, -1 */
    int32_t sockstat_first[MF_SOCKSTAT_FIELDS];
    uint32_t sockstat_n[MF_SOCKSTAT_FIELDS];
    int32_t rt6_first, rt6_last; /* by snapshot order, -1 none */
    bool big_endian;
    const char *byte_order_source; /* static text */
    mf_strfact byte_order_evidence;
    mf_strfact system_platform;
    mf_strfact system_hostname;
    bool release_from_uname, arch_from_uname;
} mf_netcfg;

/* The winning setting behind a configuration fact, `facts.sysctl.<key>` or
 * `facts.kconfig.<KEY>` (after the analyze stage), with the line it was
 * read from; *is_kconfig says which. For the rule engine, which cites the
 * line of a value it tested. NULL when the bundle does not set it. */
const mf_kv *mf_netcfg_fact(const mf_evidence *ev, const char *path, bool *is_kconfig);

/* The evidence's netcfg records, created on first use (NULL on allocation
 * failure). */
mf_netcfg *mf_netcfg_get(mf_evidence *ev);
void mf_netcfg_free(mf_evidence *ev);

/* True while one more record of a kind may be kept; warns once per member
 * and kind when the limit is reached. */
bool mf_netcfg_room(mf_evidence *ev, const mf_vec *v, int32_t member,
                    const char *kind);

/* Start a snapshot of `kind` at `line`; date < 0 when none. Returns its
 * index or -1 on allocation failure. */
int32_t mf_netcfg_snapshot(mf_evidence *ev, mf_snapkind kind, int32_t member,
                           uint64_t line, uint32_t seq, bool has_date,
                           int64_t date);

#endif
