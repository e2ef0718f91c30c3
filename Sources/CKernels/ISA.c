// Which instruction sets this CPU and its OS support.

#include "CKernels.h"

#include <cpuid.h>

ck_isa ck_best_isa(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return CK_ISA_PORTABLE;
    const unsigned fma = 1u << 12, osxsave = 1u << 27;
    if ((ecx & (fma | osxsave)) != (fma | osxsave)) return CK_ISA_PORTABLE;
    // XCR0: the OS saves SSE (bit 1), AVX (2), opmask (5) and both zmm halves (6, 7).
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    if ((xcr0_lo & 0xE6u) != 0xE6u) return CK_ISA_PORTABLE;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return CK_ISA_PORTABLE;
    const unsigned avx512f = 1u << 16;
    return (ebx & avx512f) ? CK_ISA_AVX512 : CK_ISA_PORTABLE;
}
