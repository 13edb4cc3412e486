/* A program built against an installed libmemforensics, through
 * find_package(memforensics) or pkg-config. */
#include <stdio.h>
#include <string.h>

#include <memforensics.h>

int main(void)
{
    static const char log[] =
        "[    0.000000] Linux version 6.6.15-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC\n";
    mf_report *r = NULL;
    if (mf_analyze_buffer(&r, log, sizeof log - 1, "dmesg", NULL) != MF_OK)
        return 1;
    const char *json = mf_report_render(r, MF_FORMAT_JSON_LINE, NULL);
    int ok = json && strstr(json, "\"kernel_release\":\"6.6.15-amd64\"") != NULL;
    printf("%s %s\n", mf_version(), ok ? "ok" : "wrong report");
    mf_report_free(r);
    return ok ? 0 : 1;
}
