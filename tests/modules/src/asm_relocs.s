# A module in assembly that exercises the relocation types GCC itself does
# not emit: the absolute address pieces (@h @ha @high @higha @higher
# @highera @highest @highesta @l, 16-bit and DS forms), ADDR32 and the
# unaligned UADDR16/32/64, REL14 (and its hinted forms), REL16 and its pieces,
# REL32/REL64, plain TOC16 and TOC16_HI, ADDR24 and ADDR14 (and its hinted
# forms) absolute branches,
# and R_PPC64_NONE. Each check computes an address or value through the
# relocation under test and compares it with one taken through ADDR64 (the
# plainest relocation), or with a known constant.
#
# dusim_module_init(long* arg) returns 4242 + *arg when every check passed,
# else the number of the first failing check.
#
# Kernel symbols (besides test_kernel.h): kernel_small = 1234 and
# kernel_small_ds = 1232 (absolute values), kernel_leaf = the code address of
# a leaf function below 32 KiB that returns 77.

        .section ".opd","aw"
        .align  3
        .globl  dusim_module_init
dusim_module_init:
        .quad   .L.init, .TOC.@tocbase, 0

        .section ".toc","aw"
.Lref_counter:  .quad kernel_counter
.Lref_table:    .quad kernel_table
.Lref_local:    .quad local_word

        .data
        .align  3
local_word:     .quad 0x1122334455667788
rel64:          .quad kernel_counter - .
word32:         .long kernel_counter
rel32:          .long kernel_counter - .
half16:         .short kernel_small
                .byte 0
# gas writes plain ADDR relocations even for misaligned data; ask for the
# unaligned forms by name.
u32:            .reloc u32, R_PPC64_UADDR32, kernel_counter
                .long 0
                .byte 0, 0, 0
u64:            .reloc u64, R_PPC64_UADDR64, kernel_counter
                .quad 0
u16:            .reloc u16, R_PPC64_UADDR16, kernel_small
                .short 0
                .byte 0

        .section ".text.far","ax"
far1:   addi    9, 9, 1
        b       back1
far2:   addi    9, 9, 1
        b       back2
far3:   addi    9, 9, 1
        b       back3

        .text
.L.init:
        mflr    0
        std     0, 16(1)
        stdu    1, -128(1)
        std     31, 120(1)
        std     30, 112(1)
        std     29, 104(1)
        mr      30, 2
        mr      29, 3                        # the init argument: long*
        ld      31, .Lref_counter@toc(2)     # TOC16_DS: the reference address

        li      3, 1                         # @highest @higher @h @l
        lis     4, kernel_counter@highest
        ori     4, 4, kernel_counter@higher
        rldicr  4, 4, 32, 31
        oris    4, 4, kernel_counter@h
        ori     4, 4, kernel_counter@l
        cmpd    4, 31
        bne     fail

        li      3, 2                         # @highesta @highera @ha @l
        lis     4, kernel_counter@highesta
        addi    4, 4, kernel_counter@highera
        sldi    4, 4, 32
        addis   4, 4, kernel_counter@ha
        addi    4, 4, kernel_counter@l
        cmpd    4, 31
        bne     fail

        li      3, 3                         # @high @higha
        lis     4, kernel_counter@high
        ori     4, 4, kernel_counter@l
        cmpd    4, 31
        bne     fail
        lis     4, kernel_counter@higha
        addi    4, 4, kernel_counter@l
        cmpd    4, 31
        bne     fail

        li      3, 4                         # ADDR16_HA + ADDR16_LO_DS: kernel_table[0]
        lis     6, kernel_table@ha
        ld      4, kernel_table@l(6)
        cmpdi   4, 10
        bne     fail

        li      3, 5                         # ADDR16 and ADDR16_DS
        li      8, kernel_small
        cmpdi   8, 1234
        bne     fail
        ld      7, .Lref_table@toc(2)
        li      8, kernel_small_ds
        subf    7, 8, 7                      # r7 = kernel_table - 1232
        ld      4, kernel_small_ds(7)        # = kernel_table[0]
        cmpdi   4, 10
        bne     fail

        li      3, 6                         # ADDR32, ADDR16 (data), UADDR32/64/16
        addis   6, 2, word32@toc@ha
        addi    6, 6, word32@toc@l
        lwz     4, 0(6)
        cmpd    4, 31
        bne     fail
        addis   6, 2, half16@toc@ha
        addi    6, 6, half16@toc@l
        lhz     4, 0(6)
        cmpdi   4, 1234
        bne     fail
        addis   6, 2, u32@toc@ha
        addi    6, 6, u32@toc@l
        lwz     4, 0(6)
        cmpd    4, 31
        bne     fail
        addis   6, 2, u64@toc@ha
        addi    6, 6, u64@toc@l
        ld      4, 0(6)
        cmpd    4, 31
        bne     fail
        addis   6, 2, u16@toc@ha
        addi    6, 6, u16@toc@l
        lhz     4, 0(6)
        cmpdi   4, 1234
        bne     fail

        li      3, 7                         # REL32, REL64
        addis   6, 2, rel32@toc@ha
        addi    6, 6, rel32@toc@l
        lwa     4, 0(6)
        add     4, 4, 6
        cmpd    4, 31
        bne     fail
        addis   6, 2, rel64@toc@ha
        addi    6, 6, rel64@toc@l
        ld      4, 0(6)
        add     4, 4, 6
        cmpd    4, 31
        bne     fail

        li      3, 8                         # TOC16, TOC16_HI + TOC16_LO: the address
        addis   5, 2, .Lref_local@toc@ha     # of a TOC entry (what TOC16 reaches:
        addi    5, 5, .Lref_local@toc@l      # ±32 KiB around r2)
        addi    4, 2, .Lref_local@toc
        cmpd    4, 5
        bne     fail
        lis     4, .Lref_local@toc@h
        ori     4, 4, .Lref_local@toc@l
        add     4, 4, 2
        cmpd    4, 5
        bne     fail
        ld      5, .Lref_local@toc(2)        # r5 = &local_word, for check 9

        li      3, 9                         # REL16_HA/LO, REL16_HI, REL16
        bcl     20, 31, 1f
1:      mflr    7
        addis   4, 7, (local_word - 1b)@ha
        addi    4, 4, (local_word - 1b)@l
        cmpd    4, 5
        bne     fail
        lis     4, (local_word - 1b)@h
        ori     4, 4, (local_word - 1b)@l
        add     4, 4, 7
        cmpd    4, 5
        bne     fail
        .reloc  3f + 2, R_PPC64_REL16, local_word
3:      li      4, 0                         # r4 = local_word - (3b + 2)
        add     4, 4, 7
        addi    4, 4, 3b - 1b + 2
        cmpd    4, 5
        bne     fail

        li      3, 10                        # REL14 and its hinted forms
        li      9, 0
        cmpdi   9, 0
        beq     far1
        .reloc  back1, R_PPC64_REL14_BRTAKEN, far2    # gas never writes these itself
back1:  beq+    0, .
        .reloc  back2, R_PPC64_REL14_BRNTAKEN, far3
back2:  beq-    0, .
back3:  cmpdi   9, 3
        bne     fail

        li      3, 11                        # ADDR24 (bla), ADDR14 (bcla)
        li      4, 0
        bla     kernel_leaf
        cmpdi   3, 77
        li      3, 11
        bne     fail
        bcla    20, 0, kernel_leaf
        cmpdi   3, 77
        li      3, 11
        bne     fail
        .reloc  ., R_PPC64_ADDR14_BRTAKEN, kernel_leaf
        bcla    20, 0, 0
        cmpdi   3, 77
        li      3, 11
        bne     fail
        .reloc  ., R_PPC64_ADDR14_BRNTAKEN, kernel_leaf
        bcla    20, 0, 0
        cmpdi   3, 77
        li      3, 11
        bne     fail

        li      3, 12                        # a stub call, r2 restored, R_PPC64_NONE
        li      3, 40
        li      4, 2
        .reloc  ., R_PPC64_NONE, 0
        bl      kernel_add
        nop
        cmpdi   3, 42
        li      3, 12
        bne     fail
        cmpd    2, 30
        bne     fail

        li      3, 4242                      # all passed: 4242 + *arg
        cmpdi   29, 0
        beq     fail
        ld      4, 0(29)
        add     3, 3, 4
fail:   ld      31, 120(1)
        ld      30, 112(1)
        ld      29, 104(1)
        addi    1, 1, 128
        ld      0, 16(1)
        mtlr    0
        blr
