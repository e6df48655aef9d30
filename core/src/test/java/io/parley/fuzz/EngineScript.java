package io.parley.fuzz;

import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
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
 *   CONNECT      u8 flags (1 QoS, 2 group, 4 early messages), [qos], [group], data, [u8 count (at most 7),
 *                count times data: the early messages]
 *   ACCEPT       u8 flags (1 grant the requested QoS, 2 grant the QoS that follows, 4 group), [qos], [group], data
 *   REJECT       u8 reason (index in ReasonCode.values(): local-only ones too, which must be refused), data
 *   DEFER        u16 milliseconds to advance the clock first
 *   SEND         data
 *   DISCONNECT   u8 closing (bit 0), data
 *   ABORT        u8 reason (index in ReasonCode.values(), as for REJECT)
 *   TAKE         take the output and hold it (the driver's write in progress); RELEASE: release it
 * data       u16 n, u16 k, then k bytes: the first k of the n bytes, the rest zeros (so large data needs few input
 *            bytes); missing bytes at the end of the input read as zeros
 * qos        two flow specs: 7 u32 fields, u8 service type index (ServiceType.values()), u8 flag bits
 * group      u8 kind index (GroupKind.values()), u32 id, u16 priority
 * frame      u8 kind, then its fields:
 *   CONNECT        u32 max message, u32 max callee data, u32 max disconnect data, u32 max reason data (the user
 *                  data limits clipped to 16 MiB; a max reason data below 1024 is sent as is), u32 early length,
 *                  u8 flags (1 QoS, 2 group), [qos], [group], data
 *   ACCEPT         u32 max message, u32 max disconnect data (clipped to 16 MiB), u8 flags, [qos], [u32 id, u16
 *                  priority], data
 *   REJECT         u16 reason, data                  PENDING
 *   DATA           u8 flags (bit 0 MORE), data       DISCONNECT     u8 flags (bit 0 CLOSED), data
 *   ABORT          u16 reason, data (at most 1024)   IGNORABLE      u8 type (0x80 added), data
 *   RAW            u8 type, u8 flags, u16 declared length, data
 *   DISCONNECT_ACK                                   CONTINUATION   data
 *   MESSAGE_SIZE   u32 size
 *            User data longer than one frame holds goes on in CONTINUATION frames, as the encoder splits it.
 * </pre>
 */
final class EngineScript {
    enum Op { IN_BYTES, IN_FRAME, EOS, RESET, TIME, CONNECT, ACCEPT, REJECT, DEFER, SEND, DISCONNECT, ABORT, TAKE, RELEASE }

    /** The kinds of IN_FRAME; those added by protocol v1's frames come last, so older seeds keep their meaning. */
    enum FrameKind {
        CONNECT, ACCEPT, REJECT, PENDING, DATA, DISCONNECT, ABORT, IGNORABLE, RAW, DISCONNECT_ACK, CONTINUATION,
        MESSAGE_SIZE
    }

    /** The reasons a command may name: all of them; a local-only one must be refused (WSAEINVAL). */
    static final List<ReasonCode> REASONS = List.of(ReasonCode.values());
    /** The most early messages a CONNECT operation gives. */
    static final int MAX_EARLY = 7;

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
            return REASONS.get(u8() % REASONS.size());
        }

        /** A CONNECT's early messages: a count, then each as data. */
        List<byte[]> earlyMessages() {
            int count = Math.min(u8(), MAX_EARLY);
            List<byte[]> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                messages.add(data());
            }
            return messages;
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

        /** Data, clipped to the 65,535 bytes a u16 length states. */
        Writer data(byte[] data) {
            int n = Math.min(data.length, 0xFFFF);
            u16(n);
            u16(n);
            out.write(data, 0, n);
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
            return u8(REASONS.indexOf(reason));
        }

        /** IN_BYTES operations delivering {@code bytes} in pieces of that size (0: at once), as many as the u16 length needs. */
        Writer in(byte[] bytes, int piece) {
            int at = 0;
            do {
                int n = Math.min(0xFFFF, bytes.length - at);
                op(Op.IN_BYTES).data(Arrays.copyOfRange(bytes, at, at + n)).u8(piece);
                at += n;
            } while (at < bytes.length);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
