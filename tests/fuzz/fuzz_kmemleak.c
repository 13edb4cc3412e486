/* libFuzzer target of the kmemleak record builder: the first byte selects
 * the kmemleak dump module (0) or the kernel-log module with its `kmemleak: `
 * reader (1), which also runs the allocation-failure and LMK readers. */
#include "fuzz_module.h"

extern const mf_module mf_module_kmemleak;
extern const mf_module mf_module_kernel_log;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    fuzz_module(data[0] & 1 ? &mf_module_kernel_log : &mf_module_kmemleak, data + 1,
                size - 1);
    return 0;
}
