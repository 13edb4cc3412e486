/* Peak memory of one analysis: analyses FILE with the default options and
 * rules, renders the JSON report, and prints the process's resident
 * high-water mark (VmHWM of /proc/self/status, in kB). VmHWM belongs to
 * this program's own address space: unlike ru_maxrss it does not inherit
 * the peak of the process that forked it (the Python test driver). */
#include <stdio.h>
#include <string.h>

#include "memforensics.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: peak_rss FILE\n");
        return 2;
    }
    mf_options o = MF_OPTIONS_INIT;
    mf_report *r = NULL;
    int rc = mf_analyze_path(&r, argv[1], &o);
    size_t len = 0;
    if (r && !mf_report_render(r, MF_FORMAT_JSON, &len))
        rc = -1;
    mf_report_free(r);
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long hwm = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            sscanf(line + 6, "%ld", &hwm);
    if (f)
        fclose(f);
    printf("%ld %zu\n", hwm, len);
    return rc < 0 ? 1 : 0;
}
