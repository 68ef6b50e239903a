# void user_resume(TrapFrame* f): into problem state with the registers in
# f (kernel/user.cc), through the common trap return (entry.S), which
# restores every register from the frame at r1 + 112 and ends with rfid.
# Called in real mode with interrupts off; f's MSR has PR, IR, DR and EE.
        .section .opd, "aw"
        .align  3
        .globl  user_resume
user_resume:
        .quad   .user_resume_code, .TOC.@tocbase, 0
        .text
        .type   .user_resume_code, @function
.user_resume_code:
        addi    1, 3, -112
        b       trap_return
        .size   .user_resume_code, . - .user_resume_code

# void user_fp_save(u64 area[33]) and user_fp_load(const u64 area[33]): a
# program thread's floating-point registers and FPSCR (doubleword 32), for
# the lazy switch in kernel/user.cc. The kernel itself uses no floating
# point (-msoft-float); MSR[FP] is on only for the copy.
        .machine power5
        .section .opd, "aw"
        .align  3
        .globl  user_fp_save
user_fp_save:
        .quad   .user_fp_save_code, .TOC.@tocbase, 0
        .globl  user_fp_load
user_fp_load:
        .quad   .user_fp_load_code, .TOC.@tocbase, 0
        .text
        .type   .user_fp_save_code, @function
.user_fp_save_code:
        mfmsr   5
        ori     6, 5, 0x2000
        mtmsrd  6, 0
        isync
        stfd    0, 0(3)
        stfd    1, 8(3)
        stfd    2, 16(3)
        stfd    3, 24(3)
        stfd    4, 32(3)
        stfd    5, 40(3)
        stfd    6, 48(3)
        stfd    7, 56(3)
        stfd    8, 64(3)
        stfd    9, 72(3)
        stfd    10, 80(3)
        stfd    11, 88(3)
        stfd    12, 96(3)
        stfd    13, 104(3)
        stfd    14, 112(3)
        stfd    15, 120(3)
        stfd    16, 128(3)
        stfd    17, 136(3)
        stfd    18, 144(3)
        stfd    19, 152(3)
        stfd    20, 160(3)
        stfd    21, 168(3)
        stfd    22, 176(3)
        stfd    23, 184(3)
        stfd    24, 192(3)
        stfd    25, 200(3)
        stfd    26, 208(3)
        stfd    27, 216(3)
        stfd    28, 224(3)
        stfd    29, 232(3)
        stfd    30, 240(3)
        stfd    31, 248(3)
        mffs    0
        stfd    0, 256(3)
        lfd     0, 0(3)
        mtmsrd  5, 0
        isync
        blr
        .size   .user_fp_save_code, . - .user_fp_save_code

        .type   .user_fp_load_code, @function
.user_fp_load_code:
        mfmsr   5
        ori     6, 5, 0x2000
        mtmsrd  6, 0
        isync
        lfd     0, 256(3)
        mtfsf   0xff, 0
        lfd     0, 0(3)
        lfd     1, 8(3)
        lfd     2, 16(3)
        lfd     3, 24(3)
        lfd     4, 32(3)
        lfd     5, 40(3)
        lfd     6, 48(3)
        lfd     7, 56(3)
        lfd     8, 64(3)
        lfd     9, 72(3)
        lfd     10, 80(3)
        lfd     11, 88(3)
        lfd     12, 96(3)
        lfd     13, 104(3)
        lfd     14, 112(3)
        lfd     15, 120(3)
        lfd     16, 128(3)
        lfd     17, 136(3)
        lfd     18, 144(3)
        lfd     19, 152(3)
        lfd     20, 160(3)
        lfd     21, 168(3)
        lfd     22, 176(3)
        lfd     23, 184(3)
        lfd     24, 192(3)
        lfd     25, 200(3)
        lfd     26, 208(3)
        lfd     27, 216(3)
        lfd     28, 224(3)
        lfd     29, 232(3)
        lfd     30, 240(3)
        lfd     31, 248(3)
        mtmsrd  5, 0
        isync
        blr
        .size   .user_fp_load_code, . - .user_fp_load_code
