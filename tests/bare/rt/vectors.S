# Interrupt vectors for bare-metal test images. Each vector saves the
# volatile state on the interrupted stack (below the 288-byte protected
# area), calls bare_interrupt(cpu, vector, frame) in C and returns with rfid
# through the frame's SRR0/SRR1, which the handler may change.
        .section .vectors, "ax"
        .org 0x0
        .globl __vectors
__vectors:
        .rept 0x300/4
        .long 0
        .endr

        .macro VECTOR n
        .org \n
        mtsprg  1, 3
        li      3, \n
        b       interrupt_common
        .endm

        VECTOR 0x300
        VECTOR 0x380
        VECTOR 0x400
        VECTOR 0x480
        VECTOR 0x500
        VECTOR 0x600
        VECTOR 0x700
        VECTOR 0x800
        VECTOR 0x900
        VECTOR 0xc00

# Frame: 112 bytes of linkage area for the C call, then the save area.
        .set    SAVE, 112
        .set    FRAME, 288 + SAVE + 8*20
interrupt_common:
        stdu    1, -FRAME(1)
        std     0, SAVE+0(1)
        std     2, SAVE+8(1)
        std     4, SAVE+24(1)
        std     5, SAVE+32(1)
        std     6, SAVE+40(1)
        std     7, SAVE+48(1)
        std     8, SAVE+56(1)
        std     9, SAVE+64(1)
        std     10, SAVE+72(1)
        std     11, SAVE+80(1)
        std     12, SAVE+88(1)
        mfsprg  0, 1
        std     0, SAVE+16(1)    # r3, parked in SPRG1 by the stub
        mflr    0
        std     0, SAVE+96(1)
        mfctr   0
        std     0, SAVE+104(1)
        mfcr    0
        std     0, SAVE+112(1)
        mfxer   0
        std     0, SAVE+120(1)
        mfsrr0  0
        std     0, SAVE+128(1)
        mfsrr1  0
        std     0, SAVE+136(1)
        mr      4, 3             # vector
        addi    5, 1, SAVE       # frame
        li      6, 0
        oris    6, 6, 0xf000     # (lis would sign-extend)
        ori     6, 6, 0x1020     # intc WHOAMI
        ld      3, 0(6)          # cpu
        bl      bare_interrupt
        nop
        ld      0, SAVE+136(1)
        mtsrr1  0
        ld      0, SAVE+128(1)
        mtsrr0  0
        ld      0, SAVE+120(1)
        mtxer   0
        ld      0, SAVE+112(1)
        mtcr    0
        ld      0, SAVE+104(1)
        mtctr   0
        ld      0, SAVE+96(1)
        mtlr    0
        ld      0, SAVE+0(1)
        ld      2, SAVE+8(1)
        ld      3, SAVE+16(1)
        ld      4, SAVE+24(1)
        ld      5, SAVE+32(1)
        ld      6, SAVE+40(1)
        ld      7, SAVE+48(1)
        ld      8, SAVE+56(1)
        ld      9, SAVE+64(1)
        ld      10, SAVE+72(1)
        ld      11, SAVE+80(1)
        ld      12, SAVE+88(1)
        addi    1, 1, FRAME
        rfid
