package io.parley.fuzz;

import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The byte encoding of the engine fuzzer's input: a setup byte, then operations until the input ends. Both
 * directions live here: {@link Reader} parses fuzzer bytes (reading past the end gives zeros, so every input
 * is a valid script) and {@link Writer} builds seeds, such as the scripts of docs/vectors/engine.tsv.
 *
 * <pre>
 * setup      u8: bit 0 role (0 caller, 1 callee), bits 1-2 limits (FrameDecoderFuzzTest.LIMITS), bit 3 fragment
 *            size 16 KiB instead of 8 bytes
 * operation  u8 code (modulo the number of codes), then its arguments:
 *   IN_BYTES     u16 n, n bytes, u8 piece size (0: all at once)    the transport delivers raw bytes
 *   IN_FRAME     frame (below), u8 piece size                     the transport delivers one well-formed frame
 *   EOS | RESET                                                   the transport's end (FIN) or reset (RST)
 *   TIME         u16 milliseconds to advance the clock, then handleTimeout
 *   CONNECT      u8 flags (1 QoS, 2 group), [qos], [group], data
 *   ACCEPT       u8 flags (1 grant the requested QoS, 2 grant the QoS that follows, 4 group), [qos], [group], data
 *   REJECT       u8 reason (index of a sendable reason), data (clipped to 1100 bytes)
 *   DEFER        u16 milliseconds to advance the clock first
 *   SEND         data
 *   DISCONNECT   u8 closing (bit 0), data
 *   ABORT        u8 reason (index of a sendable reason)
 *   TAKE         take the output and hold it (the driver's write in progress); RELEASE: release it
 * data       u16 n, u16 k, then k bytes: the first k of the n bytes, the rest zeros (so large data needs few input
 *            bytes); missing bytes at the end of the input read as zeros
 * qos        two flow specs: 7 u32 fields, u8 service type index (ServiceType.values()), u8 flag bits
 * group      u8 kind index (GroupKind.values()), u32 id, u16 priority
 * frame      u8 kind: CONNECT, ACCEPT, REJECT, PENDING, DATA, DISCONNECT, ABORT (fields as above; u8 flag bits
 *            for DATA's MORE and DISCONNECT's CLOSED; u16 reason codes), IGNORABLE (u8 type, data), RAW (u8 type,
 *            u8 flags, u16 declared length, data)
 * </pre>
 */
final class EngineScript {
    enum Op { IN_BYTES, IN_FRAME, EOS, RESET, TIME, CONNECT, ACCEPT, REJECT, DEFER, SEND, DISCONNECT, ABORT, TAKE, RELEASE }

    enum FrameKind { CONNECT, ACCEPT, REJECT, PENDING, DATA, DISCONNECT, ABORT, IGNORABLE, RAW }

    /** The reasons a command may carry (the local-only ones cannot be sent). */
    static final List<ReasonCode> SENDABLE = Arrays.stream(ReasonCode.values()).filter(r -> !r.isLocalOnly()).toList();

    private EngineScript() {
    }

    /** Reads a script; past the end every read gives zero. */
    static final class Reader {
        private final byte[] input;
        private int at;

        Reader(byte[] input) {
            this.input = input;
        }

        boolean hasMore() {
            return at < input.length;
        }

        int u8() {
            return at < input.length ? input[at++] & 0xFF : 0;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        long u32() {
            return ((long) u16() << 16) | u16();
        }

        Op op() {
            return Op.values()[u8() % Op.values().length];
        }

        FrameKind frameKind() {
            return FrameKind.values()[u8() % FrameKind.values().length];
        }

        /**
         * A u16 length (at most {@code max}) and a u16 count of literal bytes that follow; the rest of the data
         * is zeros, so that large data takes a few input bytes.
         */
        byte[] data(int max) {
            int n = Math.min(u16(), max);
            int literal = Math.min(u16(), n);
            byte[] data = new byte[n];
            int available = Math.max(0, Math.min(literal, input.length - at));
            System.arraycopy(input, at, data, 0, available);
            at += available;
            return data;
        }

        byte[] data() {
            return data(0xFFFF);
        }

        ReasonCode reason() {
            return SENDABLE.get(u8() % SENDABLE.size());
        }

        FlowSpec flowSpec() {
            long[] f = new long[7];
            for (int i = 0; i < f.length; i++) {
                f[i] = u32();
            }
            ServiceType type = ServiceType.values()[u8() % ServiceType.values().length];
            int flags = type == ServiceType.NOT_SPECIFIED ? 0 : (u8() << 24);
            return new FlowSpec(f[0], f[1], f[2], f[3], f[4], type, flags, f[5], f[6]);
        }

        Qos qos() {
            return new Qos(flowSpec(), flowSpec());
        }

        Group group() {
            return new Group(GroupKind.values()[u8() % GroupKind.values().length], u32(), u16());
        }
    }

    /** Builds a script (for seeds). */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer(boolean callee, int limits, boolean largeFragments) {
            out.write((callee ? 1 : 0) | (limits << 1) | (largeFragments ? 8 : 0));
        }

        Writer op(Op op) {
            out.write(op.ordinal());
            return this;
        }

        Writer u8(int value) {
            out.write(value);
            return this;
        }

        Writer u16(int value) {
            out.write(value >>> 8);
            out.write(value);
            return this;
        }

        Writer u32(long value) {
            u16((int) (value >>> 16));
            return u16((int) value);
        }

        Writer data(byte[] data) {
            u16(data.length);
            u16(data.length);
            out.writeBytes(data);
            return this;
        }

        /** {@code size} bytes of zeros, written as a length alone. */
        Writer zeros(int size) {
            return u16(size).u16(0);
        }

        Writer flowSpec(FlowSpec f) {
            for (long field : new long[] {f.tokenRate(), f.tokenBucketSize(), f.peakBandwidth(), f.latency(),
                    f.delayVariation(), f.maxSduSize(), f.minimumPolicedSize()}) {
                u32(field);
            }
            u8(f.serviceType().ordinal());
            if (f.serviceType() != ServiceType.NOT_SPECIFIED) {
                u8(f.serviceFlags() >>> 24);
            }
            return this;
        }

        Writer qos(Qos qos) {
            return flowSpec(qos.sending()).flowSpec(qos.receiving());
        }

        Writer reason(ReasonCode reason) {
            return u8(SENDABLE.indexOf(reason));
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
