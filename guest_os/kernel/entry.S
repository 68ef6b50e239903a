# Boot entry, exception vectors, the common trap path, and the context switch.
#
# Boot protocol (sim/platform/machine.h): every CPU enters _start in 64-bit
# real mode with r1 = its 64 KiB boot stack, r2 = TOC, r3 = CPU number,
# r4 = CPU count, r5 = the boot-information block.
#
# Trap frame (kernel/trap.h): every vector saves the full register state
# below the interrupted stack pointer, past the 288-byte protected area that
# the ELFv1 ABI lets leaf code use without a frame, and below one 112-byte ABI
# frame whose back chain points at the interrupted r1 (so the host's
# backtrace walker goes straight through interrupts).

        .set    PROTECTED, 288
        .set    ABI_FRAME, 112
        .set    TF_SIZE, 0x150
        .set    TRAP_STACK, PROTECTED + ABI_FRAME + TF_SIZE     # 736, 16-aligned
        .set    TF, ABI_FRAME                                    # frame offset from the new r1
# TF_pc, TF_msr, ...: each field's offset from the new r1 (dusim/trap_frame.def).
#define TRAP_FRAME_FIELD(member, offset, description) .set TF_##member, TF + offset
#include "dusim/trap_frame.def"
        .set    PERCPU_TOC, 0x10
        .set    PERCPU_USER_R1, 0x18
        .set    PERCPU_KSTACK, 0x20
        .set    MSR_PR, 0x4000
        .set    MSR_RI, 2

        .macro  SAVE_GPR n
        std     \n, TF + 8*\n(1)
        .endm
        .macro  REST_GPR n
        ld      \n, TF + 8*\n(1)
        .endm

# ---- vectors at physical 0 ------------------------------------------------
# Each vector: r3 and CR go to SPRG1 and SPRG2 while SRR1[PR] says where the
# interrupt came from. From the kernel: make room below the protected area
# (stdu stores the back chain and needs no scratch register), save r0 and
# r3, put the vector number in r3 and join the common path. From problem
# state (a program, kernel/user.cc): the program's r1 is no kernel stack, so
# it goes to the per-CPU area and the frame is built at the top of the
# kernel stack of the thread running the program (PERCPU_KSTACK), with a
# back chain of 0 (nothing above it to walk into).
        .macro  VECTOR addr
        .org    \addr
        mtsprg  1, 3
        mfcr    3
        mtsprg  2, 3
        mfsrr1  3
        andi.   3, 3, MSR_PR
        bne     1f
        mfsprg  3, 2
        mtcrf   0xff, 3
        mfsprg  3, 1
        stdu    1, -TRAP_STACK(1)
        std     0, TF + 0(1)
        std     3, TF + 24(1)
        li      3, \addr
        b       trap_common
1:      mfsprg  3, 0
        std     1, PERCPU_USER_R1(3)
        ld      1, PERCPU_KSTACK(3)
        addi    1, 1, -TRAP_STACK
        std     0, TF + 0(1)
        li      0, 0
        std     0, 0(1)
        mfsprg  0, 2
        mtcrf   0xff, 0
        mfsprg  0, 1
        std     0, TF + 24(1)
        li      3, \addr
        b       trap_common_user
        .endm

        .section .vectors, "ax"
        .globl  __vectors
__vectors:
        .long   0
        VECTOR  0x100
        VECTOR  0x200
        VECTOR  0x300
        VECTOR  0x380
        VECTOR  0x400
        VECTOR  0x480
        VECTOR  0x500
        VECTOR  0x600
        VECTOR  0x700
        VECTOR  0x800
        VECTOR  0x900
        VECTOR  0xa00
        VECTOR  0xb00
        VECTOR  0xc00
        VECTOR  0xd00
        VECTOR  0xe00
        VECTOR  0xf00
        .org    0x1000

        .text
# ---- the common trap path ---------------------------------------------------
        .globl  trap_common
        .type   trap_common, @function
trap_common:
        std     3, TF_vector(1)
        ld      0, 0(1)              # the interrupted r1 (back chain stored by stdu)
        std     0, TF + 8(1)
trap_common_regs:
        std     2, TF + 16(1)
        SAVE_GPR 4
        SAVE_GPR 5
        SAVE_GPR 6
        SAVE_GPR 7
        SAVE_GPR 8
        SAVE_GPR 9
        SAVE_GPR 10
        SAVE_GPR 11
        SAVE_GPR 12
        SAVE_GPR 13
        SAVE_GPR 14
        SAVE_GPR 15
        SAVE_GPR 16
        SAVE_GPR 17
        SAVE_GPR 18
        SAVE_GPR 19
        SAVE_GPR 20
        SAVE_GPR 21
        SAVE_GPR 22
        SAVE_GPR 23
        SAVE_GPR 24
        SAVE_GPR 25
        SAVE_GPR 26
        SAVE_GPR 27
        SAVE_GPR 28
        SAVE_GPR 29
        SAVE_GPR 30
        SAVE_GPR 31
        mfsrr0  0
        std     0, TF_pc(1)
        mfsrr1  0
        std     0, TF_msr(1)
        mflr    0
        std     0, TF_lr(1)
        mfctr   0
        std     0, TF_ctr(1)
        mfcr    0
        std     0, TF_cr(1)
        mfxer   0
        std     0, TF_xer(1)
        mfdar   0
        std     0, TF_dar(1)
        mfdsisr 0
        std     0, TF_dsisr(1)
        # SRR0/SRR1 are safe in the frame: the state is recoverable again.
        li      0, MSR_RI
        mtmsrd  0, 1
        mfsprg  13, 0                # the per-CPU area
        ld      2, PERCPU_TOC(13)    # the kernel's TOC (the trap may come from a module)
        addi    3, 1, TF
        bl      trap_dispatch
        nop
        .globl  trap_return
trap_return:
        li      0, 0                 # EE=0, RI=0 while SRR0/SRR1 are live
        mtmsrd  0, 1
        ld      0, TF_pc(1)
        mtsrr0  0
        ld      0, TF_msr(1)
        mtsrr1  0
        ld      0, TF_lr(1)
        mtlr    0
        ld      0, TF_ctr(1)
        mtctr   0
        ld      0, TF_cr(1)
        mtcrf   0xff, 0
        ld      0, TF_xer(1)
        mtxer   0
        REST_GPR 0
        REST_GPR 2
        REST_GPR 3
        REST_GPR 4
        REST_GPR 5
        REST_GPR 6
        REST_GPR 7
        REST_GPR 8
        REST_GPR 9
        REST_GPR 10
        REST_GPR 11
        REST_GPR 12
        # r13: this CPU's area for the kernel (threads never migrate), the
        # thread pointer for a program.
        REST_GPR 13
        REST_GPR 14
        REST_GPR 15
        REST_GPR 16
        REST_GPR 17
        REST_GPR 18
        REST_GPR 19
        REST_GPR 20
        REST_GPR 21
        REST_GPR 22
        REST_GPR 23
        REST_GPR 24
        REST_GPR 25
        REST_GPR 26
        REST_GPR 27
        REST_GPR 28
        REST_GPR 29
        REST_GPR 30
        REST_GPR 31
        ld      1, TF + 8(1)
        rfid
        .size   trap_common, . - trap_common

# From problem state: the frame is on the kernel stack, the program's r1 in
# the per-CPU area.
        .globl  trap_common_user
        .type   trap_common_user, @function
trap_common_user:
        std     3, TF_vector(1)
        mfsprg  3, 0
        ld      0, PERCPU_USER_R1(3)
        std     0, TF + 8(1)
        b       trap_common_regs
        .size   trap_common_user, . - trap_common_user

# ---- boot entry ---------------------------------------------------------------
# Terminates the stack back chain and calls kernel_boot(cpu, ncpus,
# bootinfo), which sets up r13 and never returns.
        .section .opd, "aw"
        .align  3
        .globl  _start
_start:
        .quad   ._start_code, .TOC.@tocbase, 0
        .text
        .type   ._start_code, @function
._start_code:
        li      0, 0
        std     0, 0(1)              # end of the back chain for backtraces
        stdu    1, -112(1)
        bl      kernel_boot
        nop
        b       .
        .size   ._start_code, . - ._start_code

# ---- context switch -----------------------------------------------------------
# void context_switch(u64* save_sp, u64 next_sp)
# Saves the caller's non-volatile state (r14-r31, CR, r2, LR) on its stack,
# stores its r1 in *save_sp, and resumes the thread whose stack pointer is
# next_sp, returning into whatever call of context_switch (or the new-thread
# trampoline) saved it. Called with interrupts disabled.
        .set    SW_FRAME, 112 + 18*8 + 16    # 272
        .set    SW_CR, 112 + 144
        .set    SW_TOC, 112 + 152
        .macro  SW_SAVE n
        std     \n, 112 + 8*(\n-14)(1)
        .endm
        .macro  SW_REST n
        ld      \n, 112 + 8*(\n-14)(1)
        .endm

        .section .opd, "aw"
        .align  3
        .globl  context_switch
context_switch:
        .quad   .context_switch_code, .TOC.@tocbase, 0
        .text
        .type   .context_switch_code, @function
.context_switch_code:
        mflr    0
        std     0, 16(1)
        stdu    1, -SW_FRAME(1)
        SW_SAVE 14
        SW_SAVE 15
        SW_SAVE 16
        SW_SAVE 17
        SW_SAVE 18
        SW_SAVE 19
        SW_SAVE 20
        SW_SAVE 21
        SW_SAVE 22
        SW_SAVE 23
        SW_SAVE 24
        SW_SAVE 25
        SW_SAVE 26
        SW_SAVE 27
        SW_SAVE 28
        SW_SAVE 29
        SW_SAVE 30
        SW_SAVE 31
        mfcr    0
        std     0, SW_CR(1)
        std     2, SW_TOC(1)
        std     1, 0(3)
        mr      1, 4
        SW_REST 14
        SW_REST 15
        SW_REST 16
        SW_REST 17
        SW_REST 18
        SW_REST 19
        SW_REST 20
        SW_REST 21
        SW_REST 22
        SW_REST 23
        SW_REST 24
        SW_REST 25
        SW_REST 26
        SW_REST 27
        SW_REST 28
        SW_REST 29
        SW_REST 30
        SW_REST 31
        ld      0, SW_CR(1)
        mtcrf   0xff, 0
        ld      2, SW_TOC(1)
        addi    1, 1, SW_FRAME
        ld      0, 16(1)
        mtlr    0
        blr
        .size   .context_switch_code, . - .context_switch_code

# A new thread's first context_switch returns here with r14 = its Thread*.
        .globl  thread_trampoline_code
        .type   thread_trampoline_code, @function
thread_trampoline_code:
        mr      3, 14
        bl      thread_main
        nop
        trap
        .size   thread_trampoline_code, . - thread_trampoline_code
