# A leaf function with no descriptor and no TOC, for the absolute branches
# (bla / bcla: R_PPC64_ADDR24 and R_PPC64_ADDR14) in asm_relocs.s. ADDR14
# reaches only the first 32 KiB, so this file is linked first: its .text
# lands at 0x4000. The test checks the address before using it.
        .text
        .globl  kernel_leaf_entry
kernel_leaf_entry:
        li      3, 77
        blr
