package io.parley.purity;

import java.io.IOException;

/**
 * Walks a method's code instruction by instruction (JVMS 6.5: each opcode's length, the switches' padding and
 * wide), so that an opcode is only found where an instruction starts, never inside another's operands.
 */
final class Bytecode {
    private static final int MONITORENTER = 0xC2;
    private static final int TABLESWITCH = 0xAA;
    private static final int LOOKUPSWITCH = 0xAB;
    private static final int WIDE = 0xC4;
    private static final int IINC = 0x84;
    /** Length in bytes, opcode included; 0 for the variable-length ones and the invalid ones. */
    private static final int[] LENGTH = new int[256];

    static {
        fill(0x00, 0x0f, 1); // nop .. dconst_1
        fill(0x10, 0x10, 2); // bipush
        fill(0x11, 0x11, 3); // sipush
        fill(0x12, 0x12, 2); // ldc
        fill(0x13, 0x14, 3); // ldc_w, ldc2_w
        fill(0x15, 0x19, 2); // iload .. aload
        fill(0x1a, 0x35, 1); // iload_0 .. saload
        fill(0x36, 0x3a, 2); // istore .. astore
        fill(0x3b, 0x83, 1); // istore_0 .. lxor
        fill(0x84, 0x84, 3); // iinc
        fill(0x85, 0x98, 1); // i2l .. dcmpg
        fill(0x99, 0xa8, 3); // ifeq .. jsr
        fill(0xa9, 0xa9, 2); // ret
        fill(0xac, 0xb1, 1); // ireturn .. return
        fill(0xb2, 0xb8, 3); // getstatic .. invokestatic
        fill(0xb9, 0xba, 5); // invokeinterface, invokedynamic
        fill(0xbb, 0xbb, 3); // new
        fill(0xbc, 0xbc, 2); // newarray
        fill(0xbd, 0xbd, 3); // anewarray
        fill(0xbe, 0xbf, 1); // arraylength, athrow
        fill(0xc0, 0xc1, 3); // checkcast, instanceof
        fill(0xc2, 0xc3, 1); // monitorenter, monitorexit
        fill(0xc5, 0xc5, 4); // multianewarray
        fill(0xc6, 0xc7, 3); // ifnull, ifnonnull
        fill(0xc8, 0xc9, 5); // goto_w, jsr_w
    }

    private Bytecode() {
    }

    private static void fill(int from, int to, int length) {
        for (int op = from; op <= to; op++) {
            LENGTH[op] = length;
        }
    }

    /** Whether an instruction of {@code code} is monitorenter; fails on an opcode the JVM does not define. */
    static boolean hasMonitorEnter(byte[] code) throws IOException {
        for (int pc = 0; pc < code.length; pc += length(code, pc)) {
            if ((code[pc] & 0xFF) == MONITORENTER) {
                return true;
            }
        }
        return false;
    }

    private static int length(byte[] code, int pc) throws IOException {
        int op = code[pc] & 0xFF;
        return switch (op) {
            case TABLESWITCH -> {
                int at = aligned(pc); // default, low, high, then high - low + 1 offsets
                yield at - pc + 12 + 4 * (int32(code, at + 8) - int32(code, at + 4) + 1);
            }
            case LOOKUPSWITCH -> {
                int at = aligned(pc); // default, npairs, then npairs (match, offset) pairs
                yield at - pc + 8 + 8 * int32(code, at + 4);
            }
            case WIDE -> (code[pc + 1] & 0xFF) == IINC ? 6 : 4;
            default -> {
                if (LENGTH[op] == 0) {
                    throw new IOException("opcode 0x" + Integer.toHexString(op) + " at " + pc + " is not defined");
                }
                yield LENGTH[op];
            }
        };
    }

    /** Where a switch's operands start: after the opcode and 0 to 3 bytes of padding to a multiple of 4. */
    private static int aligned(int pc) {
        return (pc + 4) & ~3;
    }

    private static int int32(byte[] code, int at) {
        return (code[at] << 24) | ((code[at + 1] & 0xFF) << 16) | ((code[at + 2] & 0xFF) << 8)
                | (code[at + 3] & 0xFF);
    }
}
