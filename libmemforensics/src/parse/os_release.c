/* os_release.c - what system the bundle comes from:
 *   /etc/openwrt_release   DISTRIB_ID='OpenWrt' DISTRIB_RELEASE='19.07.2'
 *                          DISTRIB_TARGET='ramips/mt7621' DISTRIB_DESCRIPTION=...
 *   /etc/board.json        "model": { "id": "phicomm,k2t", "name": "Phicomm K2T" }
 *   /etc/os-release        ID=debian VERSION_ID="12" PRETTY_NAME="Debian ..."
 *                          (also /usr/lib/os-release, redhat-release lines)
 *   Android build.prop     ro.build.version.release=11, ro.product.model=...
 *                          and getprop's `[ro.build.version.release]: [11]`
 * The first file that states a field wins (fields are independent). */
#include <string.h>

#include "parse/net_common.h"

typedef enum { OS_OPENWRT, OS_BOARD_JSON, OS_RELEASE, OS_ANDROID } os_form;

static int os_bid(const char *path, const char *head, size_t len)
{
    if (mf_memmem(head, len, "DISTRIB_ID=", 11) &&
        mf_memmem(head, len, "DISTRIB_RELEASE=", 16))
        return 95;
    if (mf_path_basename_is(path, "board.json") &&
        mf_memmem(head, len, "\"model\"", 7))
        return 95;
    if ((mf_path_basename_is(path, "os-release") ||
         mf_path_basename_is(path, "lsb-release")) &&
        (mf_memmem(head, len, "ID=", 3) || mf_memmem(head, len, "DISTRIB", 7)))
        return 95;
    if (mf_memmem(head, len, "PRETTY_NAME=", 12) &&
        mf_memmem(head, len, "\nID=", 4))
        return 85;
    if (mf_memmem(head, len, "ro.build.version.release", 24) &&
        (mf_path_has(path, "build.prop") || mf_path_has(path, "getprop") ||
         mf_path_has(path, "SYSTEM PROPERTIES") ||
         mf_memmem(head, len, "[ro.", 4) || mf_memmem(head, len, "\nro.", 4)))
        return 80;
    return 0;
}

typedef struct os_state {
    os_form form;
    bool in_model; /* board.json: inside "model": { } */
} os_state;

static void *os_open(mf_parse_ctx *pc)
{
    if (!mf_netcfg_get(pc->ev))
        return NULL;
    os_state *st = mf_calloc(pc->ev->alloc, 1, sizeof *st);
    if (!st)
        return NULL;
    if (mf_path_basename_is(pc->path, "board.json"))
        st->form = OS_BOARD_JSON;
    else
        st->form = OS_RELEASE; /* refined per line */
    return st;
}

/* KEY=value, KEY='value', KEY="value" */
static bool assignment(const char *s, size_t n, const char **k, size_t *kn,
                       const char **v, size_t *vn)
{
    const char *eq = memchr(s, '=', n);
    if (!eq || eq == s)
        return false;
    *k = s;
    *kn = (size_t)(eq - s);
    *v = eq + 1;
    *vn = (size_t)(s + n - eq - 1);
    mf_trim(k, kn);
    mf_trim(v, vn);
    if (*vn >= 2 && ((*v)[0] == '\'' || (*v)[0] == '"') &&
        (*v)[*vn - 1] == (*v)[0]) {
        (*v)++;
        *vn -= 2;
    }
    return true;
}

static bool key_is(const char *k, size_t kn, const char *lit)
{
    return strlen(lit) == kn && memcmp(k, lit, kn) == 0;
}

static void lower_copy(char *out, size_t cap, const char *s, size_t n)
{
    mf_copy_field(out, cap, s, n);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
}

/* "key": "value" inside board.json */
static bool json_pair(const char *s, size_t n, const char *key, const char **v,
                      size_t *vn)
{
    size_t kl = strlen(key);
    if (n < kl + 4 || s[0] != '"' || memcmp(s + 1, key, kl) != 0 ||
        s[kl + 1] != '"')
        return false;
    const char *q = memchr(s + kl + 2, '"', n - kl - 2);
    if (!q)
        return false;
    const char *e = memchr(q + 1, '"', (size_t)(s + n - q - 1));
    if (!e)
        return false;
    *v = q + 1;
    *vn = (size_t)(e - q - 1);
    return true;
}

static int os_line(void *state, mf_parse_ctx *pc, const mf_line *line)
{
    os_state *st = state;
    mf_netcfg *nc = pc->ev->netcfg;
    const char *s = line->text;
    size_t n = line->len;
    mf_trim(&s, &n);
    if (n == 0)
        return 0;
    uint64_t ln = line->lineno;
    const char *k, *v;
    size_t kn, vn;
    if (st->form == OS_BOARD_JSON) {
        if (mf_starts_with(s, n, "\"model\""))
            st->in_model = true;
        else if (st->in_model && s[0] == '}')
            st->in_model = false;
        else if (st->in_model && json_pair(s, n, "id", &v, &vn))
            return mf_strfact_once(pc, &nc->os_board, v, vn, ln, s, n);
        else if (st->in_model && json_pair(s, n, "name", &v, &vn))
            return mf_strfact_once(pc, &nc->os_model, v, vn, ln, s, n);
        return 0;
    }
    /* getprop: [ro.build.version.release]: [11] */
    char prop[160];
    if (s[0] == '[') {
        const char *e = memchr(s, ']', n);
        const char *b2 = e ? memchr(e, '[', (size_t)(s + n - e)) : NULL;
        const char *e2 = b2 ? memchr(b2, ']', (size_t)(s + n - b2)) : NULL;
        if (!e2)
            return 0;
        k = s + 1;
        kn = (size_t)(e - s - 1);
        v = b2 + 1;
        vn = (size_t)(e2 - b2 - 1);
    } else if (!assignment(s, n, &k, &kn, &v, &vn) || s[0] == '#') {
        return 0;
    }
    int rc = 0;
    if (key_is(k, kn, "DISTRIB_ID")) {
        lower_copy(prop, sizeof prop, v, vn);
        rc = mf_strfact_once(pc, &nc->os_platform, prop, strlen(prop), ln, s, n);
    } else if (key_is(k, kn, "DISTRIB_RELEASE") || key_is(k, kn, "VERSION_ID") ||
               key_is(k, kn, "ro.build.version.release")) {
        rc = mf_strfact_once(pc, &nc->os_release, v, vn, ln, s, n);
    } else if (key_is(k, kn, "DISTRIB_TARGET")) {
        rc = mf_strfact_once(pc, &nc->os_target, v, vn, ln, s, n);
    } else if (key_is(k, kn, "DISTRIB_DESCRIPTION") ||
               key_is(k, kn, "PRETTY_NAME") ||
               key_is(k, kn, "ro.build.description")) {
        rc = mf_strfact_once(pc, &nc->os_description, v, vn, ln, s, n);
    } else if (key_is(k, kn, "ID")) {
        lower_copy(prop, sizeof prop, v, vn);
        rc = mf_strfact_once(pc, &nc->os_platform, prop, strlen(prop), ln, s, n);
    } else if (key_is(k, kn, "ro.build.version.release") ||
               key_is(k, kn, "ro.build.version.sdk")) {
        rc = mf_strfact_once(pc, &nc->os_platform, "android", 7, ln, s, n);
    } else if (key_is(k, kn, "ro.product.board") ||
               key_is(k, kn, "ro.board.platform")) {
        rc = mf_strfact_once(pc, &nc->os_board, v, vn, ln, s, n);
    } else if (key_is(k, kn, "ro.product.model")) {
        rc = mf_strfact_once(pc, &nc->os_model, v, vn, ln, s, n);
    }
    if (rc == 0 && kn > 3 && memcmp(k, "ro.", 3) == 0 &&
        key_is(k, kn, "ro.build.version.release"))
        rc = mf_strfact_once(pc, &nc->os_platform, "android", 7, ln, s, n);
    return rc;
}

static void os_close(void *state, mf_parse_ctx *pc)
{
    mf_free(pc->ev->alloc, state);
}

const mf_module mf_module_os_release = {
    "os-release",
    "OS release files: openwrt_release, board.json, os-release, build.prop",
    os_bid, false, os_open, os_line, NULL, os_close,
};
