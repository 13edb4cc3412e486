/* libFuzzer target of the logcat module (lmkd, kernel LMK through logcat,
 * mixed event-log tags). */
#include "fuzz_module.h"

extern const mf_module mf_module_logcat;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_module(&mf_module_logcat, data, size);
    return 0;
}
