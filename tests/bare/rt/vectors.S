# Interrupt vectors for bare-metal test images. Only the external interrupt
# (0x500) is handled: it calls bare_external_interrupt(cpu) in C and returns.
# Every other vector powers the machine off with exit code 99.
        .section .vectors, "ax"
        .org 0x0
        .globl __vectors
__vectors:
        .rept 0x500/4
        .long 0
        .endr
        .org 0x500
        b       external_common
        .org 0x700
        li      3, 99
        li      4, 0
        oris    4, 4, 0xf000     # (lis would sign-extend)
        ori     4, 4, 0x2038
        std     3, 0(4)
        b       .
        .org 0x900
        rfid                     # decrementer: ignore
        .org 0xc00
        rfid                     # system call: ignore

# Save the volatile state on the interrupted stack, below the 288-byte
# protected zone, call the C handler, restore and return.
        .set    FRAME, 288 + 112 + 8*20
external_common:
        stdu    1, -FRAME(1)
        std     0, 112(1)
        std     2, 120(1)
        std     3, 128(1)
        std     4, 136(1)
        std     5, 144(1)
        std     6, 152(1)
        std     7, 160(1)
        std     8, 168(1)
        std     9, 176(1)
        std     10, 184(1)
        std     11, 192(1)
        std     12, 200(1)
        mflr    0
        std     0, 208(1)
        mfctr   0
        std     0, 216(1)
        mfcr    0
        std     0, 224(1)
        mfxer   0
        std     0, 232(1)
        mfsrr0  0
        std     0, 240(1)
        mfsrr1  0
        std     0, 248(1)
        li      4, 0
        oris    4, 4, 0xf000
        ori     4, 4, 0x1020     # intc WHOAMI
        ld      3, 0(4)
        bl      bare_external_interrupt
        nop
        ld      0, 248(1)
        mtsrr1  0
        ld      0, 240(1)
        mtsrr0  0
        ld      0, 232(1)
        mtxer   0
        ld      0, 224(1)
        mtcr    0
        ld      0, 216(1)
        mtctr   0
        ld      0, 208(1)
        mtlr    0
        ld      0, 112(1)
        ld      2, 120(1)
        ld      3, 128(1)
        ld      4, 136(1)
        ld      5, 144(1)
        ld      6, 152(1)
        ld      7, 160(1)
        ld      8, 168(1)
        ld      9, 176(1)
        ld      10, 184(1)
        ld      11, 192(1)
        ld      12, 200(1)
        addi    1, 1, FRAME
        rfid
