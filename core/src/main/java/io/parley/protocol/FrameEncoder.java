package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;

import java.nio.ByteBuffer;

/**
 * Writes frames in the wire format of docs/protocol.md. Encoding checks only what the format itself
 * requires (field ranges, a payload of at most {@link WireFormat#MAX_PAYLOAD} bytes); the engine checks the
 * peer's limits before it encodes. User data longer than its frame holds goes on in CONTINUATION frames: the
 * first frame is filled up to the largest payload, and so is each CONTINUATION but the last.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /**
     * The wire bytes of one frame (or of the preamble), with the CONTINUATION frames its user data needs.
     *
     * @param frame the frame to encode
     * @return its bytes on the wire, a new array
     * @throws IllegalArgumentException if a field is outside its wire range, user data exceeds
     *                                  {@link WireFormat#MAX_USER_DATA} or ABORT reason data exceeds
     *                                  {@link WireFormat#MAX_ABORT_REASON_DATA}
     */
    public static byte[] toBytes(Frame frame) {
        OutputBuffer out = new OutputBuffer(64);
        encode(frame, out);
        return out.toByteArray();
    }

    /**
     * Encodes one frame (or the preamble) into {@code out}. Each array is read from the frame once (its
     * accessor hands out a copy); the engine, which holds arrays of its own, calls the methods below directly.
     */
    static void encode(Frame frame, OutputBuffer out) {
        switch (frame) {
            case Frame.Preamble p -> preamble(p.minVersion(), p.maxVersion(), out);
            case Frame.Connect c -> connect(c, out);
            case Frame.Accept a -> accept(a, out);
            case Frame.Reject r -> reject(r.reasonCode(), r.reasonData(), out);
            case Frame.Pending p -> pending(out);
            case Frame.Data d -> {
                byte[] payload = d.payload();
                data(d.more(), ByteBuffer.wrap(payload), payload.length, out);
            }
            case Frame.MessageSize m -> messageSize(m.size(), out);
            case Frame.DisconnectAck a -> disconnectAck(out);
            case Frame.Disconnect d -> disconnect(d.closed(), d.data(), out);
            case Frame.QosRequest q -> qosRequest(q.qos(), out);
            case Frame.QosAnswer a -> qosAnswer(a.granted().orElse(null), a.reasonCode(), out);
            case Frame.Abort a -> abort(a.reasonCode(), a.reasonData(), out);
        }
    }

    static void preamble(int minVersion, int maxVersion, OutputBuffer out) {
        out.put(WireFormat.MAGIC);
        out.u8(checkRange(minVersion, 0xFF, "minVersion"));
        out.u8(checkRange(maxVersion, 0xFF, "maxVersion"));
    }

    /** One DATA frame holding the next {@code count} bytes of {@code src}. */
    static void data(boolean more, ByteBuffer src, int count, OutputBuffer out) {
        header(FrameType.DATA, more ? WireFormat.FLAG_MORE : 0, count, out);
        out.put(src, count);
    }

    /** A MESSAGE_SIZE frame announcing a message of {@code size} bytes. */
    static void messageSize(long size, OutputBuffer out) {
        header(FrameType.MESSAGE_SIZE, 0, WireFormat.MESSAGE_SIZE_LENGTH, out);
        out.u32(checkRange(size, 0xFFFF_FFFFL, "size"));
    }

    private static void connect(Frame.Connect c, OutputBuffer out) {
        connect(c.maxMessageSize(), c.maxCalleeData(), c.maxDisconnectData(), c.maxReasonData(), c.earlyLength(),
                c.qos().orElse(null), c.group().orElse(null), c.callerData(), out);
    }

    /** A CONNECT (and the CONTINUATIONs its caller data needs); a null QoS or group is left out. */
    static void connect(long maxMessageSize, int maxCalleeData, int maxDisconnectData, int maxReasonData,
                        long earlyLength, Qos qos, Group group, byte[] callerData, OutputBuffer out) {
        int flags = (qos != null ? WireFormat.FLAG_QOS : 0) | (group != null ? WireFormat.FLAG_GROUP : 0);
        int fixed = WireFormat.CONNECT_FIXED_SIZE + qosSize(qos)
                + (group != null ? WireFormat.CONNECT_GROUP_SIZE : 0);
        userDataHeader(FrameType.CONNECT, flags, fixed, callerData, out);
        out.u32(checkRange(maxMessageSize, 0xFFFF_FFFFL, "maxMessageSize"));
        out.u32(checkRange(maxCalleeData, WireFormat.MAX_USER_DATA, "maxCalleeData"));
        out.u32(checkRange(maxDisconnectData, WireFormat.MAX_USER_DATA, "maxDisconnectData"));
        out.u32(checkRange(maxReasonData, WireFormat.MAX_USER_DATA, "maxReasonData"));
        out.u32(checkRange(earlyLength, 0xFFFF_FFFFL, "earlyLength"));
        out.u32(callerData.length);
        qos(qos, out);
        if (group != null) {
            out.u8(group.kind().code());
            out.u32(group.id());
            out.u16(group.priority());
        }
        userData(callerData, fixed, out);
    }

    private static void accept(Frame.Accept a, OutputBuffer out) {
        accept(a.maxMessageSize(), a.maxDisconnectData(), a.qos().orElse(null), a.group().orElse(null),
                a.calleeData(), out);
    }

    /**
     * An ACCEPT (and the CONTINUATIONs its callee data needs); a null QoS or group is left out. A group of kind
     * JOIN ("a member of group id") is written as version 1 has it, without a kind; one of kind UNCONSTRAINED
     * or CONSTRAINED as version 2 has it, with the group's kind first (protocol.md 13.4).
     */
    static void accept(long maxMessageSize, int maxDisconnectData, Qos qos, Group group, byte[] calleeData,
                       OutputBuffer out) {
        boolean withKind = group != null && group.kind() != GroupKind.JOIN;
        if (group != null && group.kind() == GroupKind.NONE) {
            throw new IllegalArgumentException("an ACCEPT's group is a group, not NONE");
        }
        int flags = (qos != null ? WireFormat.FLAG_QOS : 0) | (group != null ? WireFormat.FLAG_GROUP : 0);
        int fixed = WireFormat.ACCEPT_FIXED_SIZE + qosSize(qos) + (group == null ? 0
                : withKind ? WireFormat.ACCEPT_GROUP_SIZE_V2 : WireFormat.ACCEPT_GROUP_SIZE);
        userDataHeader(FrameType.ACCEPT, flags, fixed, calleeData, out);
        out.u32(checkRange(maxMessageSize, 0xFFFF_FFFFL, "maxMessageSize"));
        out.u32(checkRange(maxDisconnectData, WireFormat.MAX_USER_DATA, "maxDisconnectData"));
        out.u32(calleeData.length);
        qos(qos, out);
        if (group != null) {
            if (withKind) {
                out.u8(group.kind().code());
            }
            out.u32(group.id());
            out.u16(group.priority());
        }
        userData(calleeData, fixed, out);
    }

    /** A REJECT (and the CONTINUATIONs its reason data needs). */
    static void reject(int reasonCode, byte[] reasonData, OutputBuffer out) {
        userDataHeader(FrameType.REJECT, 0, WireFormat.REJECT_FIXED_SIZE, reasonData, out);
        out.u16(checkRange(reasonCode, 0xFFFF, "reasonCode"));
        out.u32(reasonData.length);
        userData(reasonData, WireFormat.REJECT_FIXED_SIZE, out);
    }

    /** A PENDING frame. */
    static void pending(OutputBuffer out) {
        header(FrameType.PENDING, 0, 0, out);
    }

    /** A DISCONNECT_ACK frame. */
    static void disconnectAck(OutputBuffer out) {
        header(FrameType.DISCONNECT_ACK, 0, 0, out);
    }

    /** A DISCONNECT (and the CONTINUATIONs its disconnect data needs). */
    static void disconnect(boolean closed, byte[] data, OutputBuffer out) {
        userDataHeader(FrameType.DISCONNECT, closed ? WireFormat.FLAG_CLOSED : 0, WireFormat.DISCONNECT_FIXED_SIZE,
                data, out);
        out.u32(data.length);
        userData(data, WireFormat.DISCONNECT_FIXED_SIZE, out);
    }

    /** A QOS_REQUEST (version 2) asking for {@code qos}. */
    static void qosRequest(Qos qos, OutputBuffer out) {
        header(FrameType.QOS_REQUEST, 0, WireFormat.QOS_SIZE, out);
        qos(qos, out);
    }

    /** A QOS_ANSWER (version 2): GRANTED with {@code granted}, or, when it is null, a refusal with the reason. */
    static void qosAnswer(Qos granted, int reasonCode, OutputBuffer out) {
        if (granted != null) {
            header(FrameType.QOS_ANSWER, WireFormat.FLAG_GRANTED, WireFormat.QOS_SIZE, out);
            qos(granted, out);
        } else {
            header(FrameType.QOS_ANSWER, 0, WireFormat.QOS_REFUSAL_SIZE, out);
            out.u16(checkRange(reasonCode, 0xFFFF, "reasonCode"));
        }
    }

    /** An ABORT, whose reason data is at most {@link WireFormat#MAX_ABORT_REASON_DATA} bytes. */
    static void abort(int reasonCode, byte[] reasonData, OutputBuffer out) {
        if (reasonData.length > WireFormat.MAX_ABORT_REASON_DATA) {
            throw new IllegalArgumentException("ABORT reason data is at most " + WireFormat.MAX_ABORT_REASON_DATA
                    + " bytes");
        }
        header(FrameType.ABORT, 0, 2 + reasonData.length, out);
        out.u16(checkRange(reasonCode, 0xFFFF, "reasonCode"));
        out.put(reasonData);
    }

    /** The header of a frame with {@code fixed} bytes of fields and then as much of {@code data} as fits. */
    private static void userDataHeader(FrameType type, int flags, int fixed, byte[] data, OutputBuffer out) {
        if (data.length > WireFormat.MAX_USER_DATA) {
            throw new IllegalArgumentException(type + " user data of " + data.length + " bytes exceeds "
                    + WireFormat.MAX_USER_DATA);
        }
        header(type, flags, fixed + Math.min(data.length, WireFormat.MAX_PAYLOAD - fixed), out);
    }

    /** The part of {@code data} that fits the first frame after its fields, then CONTINUATIONs for the rest. */
    private static void userData(byte[] data, int fixed, OutputBuffer out) {
        int first = Math.min(data.length, WireFormat.MAX_PAYLOAD - fixed);
        out.put(data, 0, first);
        for (int at = first; at < data.length; at += WireFormat.MAX_PAYLOAD) {
            int count = Math.min(WireFormat.MAX_PAYLOAD, data.length - at);
            header(FrameType.CONTINUATION, 0, count, out);
            out.put(data, at, count);
        }
    }

    private static int qosSize(Qos qos) {
        return qos != null ? WireFormat.QOS_SIZE : 0;
    }

    private static void qos(Qos qos, OutputBuffer out) {
        if (qos != null) {
            flowSpec(qos.sending(), out);
            flowSpec(qos.receiving(), out);
        }
    }

    private static void flowSpec(FlowSpec spec, OutputBuffer out) {
        out.u32(spec.tokenRate());
        out.u32(spec.tokenBucketSize());
        out.u32(spec.peakBandwidth());
        out.u32(spec.latency());
        out.u32(spec.delayVariation());
        out.u32(spec.serviceTypeField() & 0xFFFF_FFFFL);
        out.u32(spec.maxSduSize());
        out.u32(spec.minimumPolicedSize());
    }

    /** A KEEPALIVE frame: the ignorable extension with no payload that receivers skip. */
    static void keepalive(OutputBuffer out) {
        out.u8(WireFormat.KEEPALIVE_TYPE);
        out.u8(0);
        out.u16(0);
    }

    private static void header(FrameType type, int flags, int length, OutputBuffer out) {
        if (length > WireFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException(type + " payload of " + length + " bytes exceeds "
                    + WireFormat.MAX_PAYLOAD);
        }
        out.u8(type.code());
        out.u8(flags);
        out.u16(length);
    }

    private static long checkRange(long value, long max, String name) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range: " + value);
        }
        return value;
    }

    private static int checkRange(int value, int max, String name) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range: " + value);
        }
        return value;
    }
}
