/* A tiny C file compiled for the wrong targets: x86-64 (host compiler),
   32-bit PowerPC, ELFv2, and linked into an executable. */
long dusim_module_init(void* arg) { return arg ? 1 : 2; }
long _start(void) { return dusim_module_init(0); }
