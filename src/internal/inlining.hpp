// Inlining hints for the decoder's hot path (internal). The compiler's own limits stop it
// from inlining small helpers into the large scanner and handler functions; these few are
// forced in, and their rare paths kept out.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define MYNA_FORCE_INLINE inline __attribute__((always_inline))
#define MYNA_COLD __attribute__((noinline, cold))
#else
#define MYNA_FORCE_INLINE inline
#define MYNA_COLD
#endif
