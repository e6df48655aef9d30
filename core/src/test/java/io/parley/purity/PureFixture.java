package io.parley.purity;

/**
 * Pure code whose bytecode has the byte of monitorenter (0xC2) inside other instructions' operands and in
 * the padding-dependent switches, so that the check is seen to walk instructions, not bytes.
 */
final class PureFixture {
    private PureFixture() {
    }

    /** {@code bipush 0xC2}. */
    static int operand() {
        return -62;
    }

    /** A tableswitch and a lookupswitch, one of whose keys is 0xC2, then wide iinc. */
    static int switches(int key) {
        int result = switch (key) {
            case 1 -> 10;
            case 2 -> 20;
            case 3 -> 30;
            default -> 0;
        };
        result += switch (key) {
            case 0xC2 -> 1;
            case 0xC2C2 -> 2;
            case 0xC2C2C2 -> 3;
            default -> 4;
        };
        result += 1000;
        return result;
    }
}
