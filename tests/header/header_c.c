/* The public header alone, as strict C11: -Wall -Wextra -pedantic -Werror. */
#include "memforensics.h"

int main(void)
{
    mf_options opts = MF_OPTIONS_INIT;
    mf_allocator alloc = {0, 0, 0, 0};
    (void)alloc;
    return opts.version == MF_OPTIONS_VERSION ? 0 : 1;
}
