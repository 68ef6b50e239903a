# The slow path of an object call (objects/object_table.h).
#
# A local translation-table entry that names no representative names a slow
# object: one word holding obj_slow_vtable. The caller makes its virtual call
# on it as on any object, so it lands in trampoline n for vtable slot n, with
# r3 = the slow object and the call's arguments in r4-r10. The trampoline
# puts 8*n in r12 and joins obj_slow_call, which
#   1. saves r3-r10 and the slot in its frame,
#   2. asks obj_slow_call_enter(self, &record) for the object that serves the
#      call (a miss installs this CPU's representative; a mediator forwards,
#      tracks or holds the call),
#   3. calls that object's slot n with the saved arguments, r3 = the object,
#   4. if a mediator tracked the call (record.med != 0), calls
#      obj_slow_call_exit(&record) with the result saved,
#   5. returns the result (r3, r4) to the caller.
# ELFv1: vtable slots point at function descriptors {entry, TOC, environment};
# ours carry the kernel's TOC, so the C++ side runs with it whoever called
# (a module has its own). The callee of step 3 may have another TOC: r2 is
# saved at 40(r1) across it, as a caller does.
#
# Frame (240 bytes, 16-aligned):
#     0..111  ABI frame (back chain, CR, LR, TOC save at 40, parameter save area)
#   112..175  r3-r10 of the call
#   176       the slot's offset in the vtable (8*n)
#   184..199  the result (r3, r4) while step 4 runs
#   200..239  the CallRecord (objects/object_table.h; 40 bytes)

        .set    SLOTS, 128          # vtable slots served: no interface has more
        .set    FRAME, 240
        .set    ARGS, 112
        .set    SLOT, 176
        .set    RESULT, 184
        .set    RECORD, 200

# ---- the vtable and its descriptors ----------------------------------------
        .section .data.rel.ro, "aw"
        .align  3
        .globl  obj_slow_vtable
        .type   obj_slow_vtable, @object
obj_slow_vtable:
        .set    i, 0
        .rept   SLOTS
        .quad   obj_slow_descriptors + 24*i
        .set    i, i + 1
        .endr
        .size   obj_slow_vtable, . - obj_slow_vtable

        .align  3
        .type   obj_slow_descriptors, @object
obj_slow_descriptors:
        .set    i, 0
        .rept   SLOTS
        .quad   .obj_slow_trampolines + 8*i, .TOC.@tocbase, 0
        .set    i, i + 1
        .endr
        .size   obj_slow_descriptors, . - obj_slow_descriptors

# ---- the trampolines: two instructions each ---------------------------------
        .text
        .align  3
        .type   .obj_slow_trampolines, @function
.obj_slow_trampolines:
        .set    i, 0
        .rept   SLOTS
        li      12, 8*i
        b       .obj_slow_call
        .set    i, i + 1
        .endr
        .size   .obj_slow_trampolines, . - .obj_slow_trampolines

# ---- the common path --------------------------------------------------------
        .type   .obj_slow_call, @function
.obj_slow_call:
        mflr    0
        std     0, 16(1)
        stdu    1, -FRAME(1)
        std     3, ARGS + 0(1)
        std     4, ARGS + 8(1)
        std     5, ARGS + 16(1)
        std     6, ARGS + 24(1)
        std     7, ARGS + 32(1)
        std     8, ARGS + 40(1)
        std     9, ARGS + 48(1)
        std     10, ARGS + 56(1)
        std     12, SLOT(1)
        std     2, 40(1)             # the kernel's TOC, for after the callee
        addi    4, 1, RECORD
        bl      obj_slow_call_enter  # r3 = the object to call
        nop
        ld      11, 0(3)             # its vtable
        ld      12, SLOT(1)
        ldx     11, 11, 12           # its descriptor for slot n
        ld      0, 0(11)
        mtctr   0
        ld      4, ARGS + 8(1)
        ld      5, ARGS + 16(1)
        ld      6, ARGS + 24(1)
        ld      7, ARGS + 32(1)
        ld      8, ARGS + 40(1)
        ld      9, ARGS + 48(1)
        ld      10, ARGS + 56(1)
        ld      2, 8(11)
        ld      11, 16(11)
        bctrl
        ld      2, 40(1)
        ld      0, RECORD(1)         # record.med: did a mediator track the call?
        cmpdi   0, 0
        beq     1f
        std     3, RESULT(1)
        std     4, RESULT + 8(1)
        addi    3, 1, RECORD
        bl      obj_slow_call_exit
        nop
        ld      3, RESULT(1)
        ld      4, RESULT + 8(1)
1:      addi    1, 1, FRAME
        ld      0, 16(1)
        mtlr    0
        blr
        .size   .obj_slow_call, . - .obj_slow_call
