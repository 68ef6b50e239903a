# Bad: a tail call (b, no link) into the kernel: the callee would return to
# our caller with the kernel's TOC in r2. Must be rejected.
        .section ".opd","aw"
        .align  3
        .globl  dusim_module_init
dusim_module_init:
        .quad   .L.init, .TOC.@tocbase, 0
        .text
.L.init:
        b       kernel_add
        nop
