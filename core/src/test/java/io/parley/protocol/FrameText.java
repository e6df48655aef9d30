package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Qos;
import io.parley.ServiceType;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Frames written in the notation of docs/vectors/frames.tsv (its header comment defines it), so that a
 * decoded frame can be compared with a vector's expectation as text. User data is written whole (the
 * decoder joins a frame's CONTINUATIONs into it); hex is written out in full, without the [XX*N] runs.
 */
final class FrameText {

    private FrameText() {
    }

    /** The frames joined with " | ". */
    static String describe(List<Frame> frames, boolean withReasonData) {
        return frames.stream().map(f -> describe(f, withReasonData)).collect(Collectors.joining(" | "));
    }

    static String describe(Frame frame, boolean withReasonData) {
        return switch (frame) {
            case Frame.Preamble p -> "PREAMBLE min=" + p.minVersion() + " max=" + p.maxVersion();
            case Frame.Connect c -> "CONNECT maxMessage=" + c.maxMessageSize()
                    + " maxCalleeData=" + u32(c.maxCalleeData())
                    + " maxDisconnectData=" + u32(c.maxDisconnectData())
                    + " maxReasonData=" + u32(c.maxReasonData())
                    + " early=" + c.earlyLength() + qos(c.qos().orElse(null))
                    + c.group().map(g -> " group=" + g.kind() + ":" + g.id() + ":" + g.priority()).orElse("")
                    + " data=" + Hex.of(c.callerData());
            case Frame.Accept a -> "ACCEPT maxMessage=" + a.maxMessageSize()
                    + " maxDisconnectData=" + u32(a.maxDisconnectData()) + qos(a.qos().orElse(null))
                    + a.group().map(g -> " group=" + (g.kind() == io.parley.GroupKind.JOIN ? "" : g.kind() + ":")
                            + g.id() + ":" + g.priority()).orElse("") // version 2 names the group's kind
                    + " data=" + Hex.of(a.calleeData());
            case Frame.Reject r -> "REJECT reason=" + r.reasonCode() + "/" + r.reason()
                    + (withReasonData ? " data=" + Hex.of(r.reasonData()) : "");
            case Frame.Pending p -> "PENDING";
            case Frame.Data d -> "DATA more=" + bit(d.more()) + " data=" + Hex.of(d.payload());
            case Frame.MessageSize m -> "MESSAGE_SIZE size=" + m.size();
            case Frame.Disconnect d -> "DISCONNECT closed=" + bit(d.closed()) + " data=" + Hex.of(d.data());
            case Frame.DisconnectAck a -> "DISCONNECT_ACK";
            case Frame.Abort a -> "ABORT reason=" + a.reasonCode() + "/" + a.reason()
                    + (withReasonData ? " data=" + Hex.of(a.reasonData()) : "");
            case Frame.QosRequest q -> "QOS_REQUEST" + qos(q.qos());
            case Frame.QosAnswer a -> a.granted().map(g -> "QOS_ANSWER granted=1" + qos(g))
                    .orElseGet(() -> "QOS_ANSWER granted=0 reason=" + a.reasonCode() + "/"
                            + io.parley.ReasonCode.ofWire(a.reasonCode()));
        };
    }

    /** A u32 limit as sent: the int fields carry the wire's 32 bits (values above 2^31 - 1 read negative). */
    private static String u32(int value) {
        return Integer.toUnsignedString(value);
    }

    private static String bit(boolean b) {
        return b ? "1" : "0";
    }

    private static String qos(Qos qos) {
        return qos == null ? "" : " qos=" + flowSpec(qos.sending()) + ";" + flowSpec(qos.receiving());
    }

    private static String flowSpec(FlowSpec f) {
        String service = f.serviceType() == ServiceType.NOT_SPECIFIED ? "-"
                : f.serviceType() + (f.serviceFlags() == 0 ? "" : String.format("+0x%08x", f.serviceFlags()));
        return String.join(",", num(f.tokenRate()), num(f.tokenBucketSize()), num(f.peakBandwidth()),
                num(f.latency()), num(f.delayVariation()), service, num(f.maxSduSize()), num(f.minimumPolicedSize()));
    }

    private static String num(long value) {
        return value == FlowSpec.NOT_SPECIFIED ? "-" : Long.toString(value);
    }
}
