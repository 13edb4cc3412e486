// The public header alone, as C++: -Wall -Wextra -pedantic -Werror.
#include "memforensics.h"

int main()
{
    mf_options opts = MF_OPTIONS_INIT;
    mf_report *report = nullptr;
    mf_report_free(report);
    return opts.version == MF_OPTIONS_VERSION ? 0 : 1;
}
