# Bad: a call into the kernel with no nop after it, so the loader has nowhere
# to restore the module's TOC. Must be rejected.
        .section ".opd","aw"
        .align  3
        .globl  dusim_module_init
dusim_module_init:
        .quad   .L.init, .TOC.@tocbase, 0
        .text
.L.init:
        mflr    0
        std     0, 16(1)
        stdu    1, -112(1)
        bl      kernel_add
        addi    1, 1, 112
        ld      0, 16(1)
        mtlr    0
        blr
