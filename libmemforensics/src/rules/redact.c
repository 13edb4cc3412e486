/* redact.c - `--redact`: mask what identifies a customer's network and
 * people before excerpts go into a ticket: IPv4 and IPv6 addresses, MAC
 * addresses, the host name (the report's own and fully qualified names),
 * and user names (/home/NAME, user=NAME). Kernel symbols, versions,
 * sizes and times are left alone: they are what the ticket is about. */
#include <ctype.h>
#include <string.h>

#include "report/report.h"
#include "rules/rules.h"

static int is_tok(int ch)
{
    return isalnum(ch) || ch == '.' || ch == ':' || ch == '-' || ch == '_' || ch == '%';
}

static int hexd(int ch)
{
    return isxdigit(ch);
}

/* a.b.c.d, each 0..255 */
static size_t ipv4_len(const char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        size_t start = i;
        int v = 0;
        while (i < n && isdigit((unsigned char)s[i]) && i - start < 3)
            v = v * 10 + (s[i++] - '0');
        if (i == start || v > 255)
            return 0;
        if (part < 3) {
            if (i >= n || s[i] != '.')
                return 0;
            i++;
        }
    }
    if (i < n && (isdigit((unsigned char)s[i]) || (s[i] == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))))
        return 0;
    return i;
}

/* xx:xx:xx:xx:xx:xx or with dashes */
static size_t mac_len(const char *s, size_t n)
{
    if (n < 17)
        return 0;
    char sep = s[2];
    if (sep != ':' && sep != '-')
        return 0;
    for (int g = 0; g < 6; g++) {
        const char *p = s + g * 3;
        if (!hexd((unsigned char)p[0]) || !hexd((unsigned char)p[1]))
            return 0;
        if (g < 5 && p[2] != sep)
            return 0;
    }
    if (n > 17 && (hexd((unsigned char)s[17]) || s[17] == sep))
        return 0;
    return 17;
}

/* Hex groups and colons with "::" or exactly eight groups; times such as
 * 12:34:56 have neither. */
static size_t ipv6_len(const char *s, size_t n)
{
    size_t i = 0;
    int colons = 0, dbl = 0, groups = 0, glen = 0;
    while (i < n && (hexd((unsigned char)s[i]) || s[i] == ':')) {
        if (s[i] == ':') {
            colons++;
            if (i + 1 < n && s[i + 1] == ':')
                dbl = 1;
            if (glen)
                groups++;
            glen = 0;
        } else if (++glen > 4) {
            return 0;
        }
        i++;
    }
    if (glen)
        groups++;
    /* an embedded IPv4 tail (::ffff:10.0.0.1) */
    if (i < n && s[i] == '.' && glen) {
        size_t back = i;
        while (back > 0 && s[back - 1] != ':')
            back--;
        size_t v4 = ipv4_len(s + back, n - back);
        if (v4)
            i = back + v4;
    }
    if (colons < 2 || (!dbl && !(colons == 7 && groups == 8)))
        return 0;
    if (dbl && groups == 0 && colons == 2)
        return 2; /* "::" alone */
    return i;
}

static size_t user_after(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.'))
        i++;
    return i;
}

/* FQDN: three or more labels, the last alphabetic. */
static size_t fqdn_len(const char *s, size_t n)
{
    size_t i = 0;
    int labels = 0;
    size_t last_start = 0;
    while (i < n) {
        size_t st = i;
        while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-'))
            i++;
        if (i == st)
            return 0;
        labels++;
        last_start = st;
        if (i < n && s[i] == '.' && i + 1 < n && isalnum((unsigned char)s[i + 1]))
            i++;
        else
            break;
    }
    if (labels < 3 || (i < n && (s[i] == '_' || s[i] == '(' || s[i] == '/')))
        return 0;
    size_t ll = i - last_start;
    if (ll < 2 || ll > 24)
        return 0;
    for (size_t k = last_start; k < i; k++)
        if (!isalpha((unsigned char)s[k]))
            return 0;
    return i;
}

char *mf_redact_text(const mf_allocator *a, const char *s, const char *hostname)
{
    mf_buf b;
    mf_buf_init(&b, a);
    mf_buf_puts(&b, "");
    size_t n = strlen(s);
    size_t hn = hostname ? strlen(hostname) : 0;
    for (size_t i = 0; i < n;) {
        int boundary = i == 0 || !is_tok((unsigned char)s[i - 1]);
        size_t m;
        if (hn >= 2 && strncmp(s + i, hostname, hn) == 0 && boundary &&
            (i + hn == n || !(isalnum((unsigned char)s[i + hn]) || s[i + hn] == '-' ||
                              s[i + hn] == '_' ||
                              (s[i + hn] == '.' && isalnum((unsigned char)s[i + hn + 1]))))) {
            mf_buf_puts(&b, "<host>");
            i += hn;
        } else if (boundary && (m = mac_len(s + i, n - i))) {
            mf_buf_puts(&b, "<mac>");
            i += m;
        } else if (boundary && (m = ipv4_len(s + i, n - i))) {
            mf_buf_puts(&b, "<ipv4>");
            i += m;
        } else if (boundary && (m = ipv6_len(s + i, n - i)) > 2) {
            mf_buf_puts(&b, "<ipv6>");
            i += m;
        } else if (boundary && (m = fqdn_len(s + i, n - i))) {
            mf_buf_puts(&b, "<host>");
            i += m;
        } else if ((strncmp(s + i, "/home/", 6) == 0 || strncmp(s + i, "/Users/", 7) == 0) &&
                   (m = user_after(s + i + (s[i + 1] == 'h' ? 6 : 7), n - i - (s[i + 1] == 'h' ? 6 : 7)))) {
            size_t pre = s[i + 1] == 'h' ? 6 : 7;
            mf_buf_append(&b, s + i, pre);
            mf_buf_puts(&b, "<user>");
            i += pre + m;
        } else if (boundary && (strncmp(s + i, "user=", 5) == 0 || strncmp(s + i, "USER=", 5) == 0 ||
                                strncmp(s + i, "ruser=", 6) == 0) &&
                   (m = user_after(s + i + (s[i] == 'r' ? 6 : 5), n - i - (s[i] == 'r' ? 6 : 5)))) {
            size_t pre = s[i] == 'r' ? 6 : 5;
            mf_buf_append(&b, s + i, pre);
            mf_buf_puts(&b, "<user>");
            i += pre + m;
        } else {
            /* copy the rest of a token at once so that no match starts
             * inside it */
            size_t j = i + 1;
            if (is_tok((unsigned char)s[i]))
                while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
                    j++;
            mf_buf_append(&b, s + i, j - i);
            i = j;
        }
    }
    if (b.failed) {
        mf_buf_free(&b);
        return NULL;
    }
    return mf_buf_detach(&b);
}

static int redact_item(const mf_allocator *a, cJSON *parent, cJSON *item, const char *host)
{
    if (!cJSON_IsString(item) || !item->valuestring)
        return 0;
    char *r = mf_redact_text(a, item->valuestring, host);
    if (!r)
        return -1;
    int ok = 1;
    if (strcmp(r, item->valuestring) != 0) {
        cJSON *n = cJSON_CreateString(r);
        if (n && item->string) /* keep the member's name */
            ok = cJSON_ReplaceItemInObjectCaseSensitive(parent, item->string, n);
        else
            ok = n && cJSON_ReplaceItemViaPointer(parent, item, n);
        if (!ok)
            cJSON_Delete(n);
    }
    mf_free(a, r);
    return ok ? 0 : -1;
}

static int redact_key(const mf_allocator *a, cJSON *obj, const char *key, const char *host)
{
    return redact_item(a, obj, cJSON_GetObjectItemCaseSensitive(obj, key), host);
}

static int redact_tree(const mf_allocator *a, cJSON *node, const char *host)
{
    int rc = 0;
    cJSON *c, *next;
    for (c = node ? node->child : NULL; c; c = next) {
        next = c->next;
        if (cJSON_IsString(c))
            rc |= redact_item(a, node, c, host);
        else
            rc |= redact_tree(a, c, host);
    }
    return rc;
}

int mf_redact_report(const mf_allocator *a, cJSON *doc)
{
    cJSON *sys = cJSON_GetObjectItemCaseSensitive(doc, "system");
    cJSON *hn = cJSON_GetObjectItemCaseSensitive(sys, "hostname");
    char *host = NULL;
    if (cJSON_IsString(hn)) {
        host = mf_strdup(a, hn->valuestring);
        cJSON *n = host ? cJSON_CreateString("<host>") : NULL;
        if (!n || !cJSON_ReplaceItemInObjectCaseSensitive(sys, "hostname", n)) {
            cJSON_Delete(n);
            mf_free(a, host);
            return -1;
        }
    }
    int rc = redact_tree(a, sys, host);
    cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "diagnoses"))
    {
        rc |= redact_key(a, d, "summary", host);
        rc |= redact_key(a, d, "remediation", host);
        cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(d, "evidence"))
            rc |= redact_key(a, e, "text", host);
    }
    mf_free(a, host);
    return rc ? -1 : 0;
}
