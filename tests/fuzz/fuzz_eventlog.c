/* libFuzzer target of the event-log module (am_kill, killinfo,
 * am_low_memory). */
#include "fuzz_module.h"

extern const mf_module mf_module_eventlog;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_module(&mf_module_eventlog, data, size);
    return 0;
}
