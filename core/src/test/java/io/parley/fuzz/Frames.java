package io.parley.fuzz;

import io.parley.protocol.Frame;
import io.parley.protocol.FrameEncoder;
import io.parley.protocol.FrameDecoder;
import io.parley.protocol.FrameLimits;
import io.parley.protocol.ProtocolViolationException;
import io.parley.protocol.WireFormat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Frame helpers for the fuzzers: a content-complete description, and decoding a whole stream. */
final class Frames {
    /** Limits no valid frame exceeds: what an auditor of a peer's output decodes with. */
    static final FrameLimits WIDE = new FrameLimits(WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA,
            WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, Integer.MAX_VALUE - 8);
    /** A run in the vectors' hex: {@code [XX*N]} is the byte XX repeated N times (docs/vectors headers). */
    private static final Pattern RUN = Pattern.compile("\\[([0-9a-fA-F]{2})\\*(\\d+)]");

    private Frames() {
    }

    /** Every field of the frame, byte arrays as hex: equal text means equal frames. */
    static String describe(Frame frame) {
        return switch (frame) {
            case Frame.Preamble p -> "PREAMBLE " + p.minVersion() + ".." + p.maxVersion();
            case Frame.Connect c -> "CONNECT " + c.maxMessageSize() + "/" + c.maxCalleeData() + "/"
                    + c.maxDisconnectData() + "/" + c.maxReasonData() + " early=" + c.earlyLength() + " qos="
                    + c.qos() + " group=" + c.group() + " data=" + Vectors.HEX.formatHex(c.callerData());
            case Frame.Accept a -> "ACCEPT " + a.maxMessageSize() + "/" + a.maxDisconnectData() + " qos=" + a.qos()
                    + " group=" + a.group() + " data=" + Vectors.HEX.formatHex(a.calleeData());
            case Frame.Reject r -> "REJECT " + r.reasonCode() + " " + Vectors.HEX.formatHex(r.reasonData());
            case Frame.Pending p -> "PENDING";
            case Frame.Data d -> "DATA more=" + d.more() + " " + Vectors.HEX.formatHex(d.payload());
            case Frame.MessageSize m -> "MESSAGE_SIZE " + m.size();
            case Frame.DisconnectAck a -> "DISCONNECT_ACK";
            case Frame.Disconnect d -> "DISCONNECT closed=" + d.closed() + " " + Vectors.HEX.formatHex(d.data());
            case Frame.Abort a -> "ABORT " + a.reasonCode() + " " + Vectors.HEX.formatHex(a.reasonData());
            case Frame.QosRequest q -> "QOS_REQUEST " + q.qos();
            case Frame.QosAnswer a -> "QOS_ANSWER " + a.granted() + " reason=" + a.reasonCode();
        };
    }

    /** The bytes of a vector's hex, which may hold runs {@code [XX*N]}. */
    static byte[] hex(String hex) {
        Matcher run = RUN.matcher(hex);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = 0;
        while (run.find()) {
            out.writeBytes(Vectors.HEX.parseHex(hex.substring(at, run.start())));
            byte[] repeated = new byte[Integer.parseInt(run.group(2))];
            java.util.Arrays.fill(repeated, (byte) Integer.parseInt(run.group(1), 16));
            out.writeBytes(repeated);
            at = run.end();
        }
        out.writeBytes(Vectors.HEX.parseHex(hex.substring(at)));
        return out.toByteArray();
    }

    /**
     * The byte stream of a frames.tsv row: its hex (runs expanded), after the preamble when the row's input is
     * "frames".
     */
    static byte[] frameStream(Vectors.Row row) {
        byte[] bytes = hex(row.columns()[2]);
        return switch (row.columns()[1]) {
            case "frames" -> Vectors.concat(Vectors.PREAMBLE_V1, bytes);
            // A version 2 peer's preamble: a version 1 engine fed it still reads the frames in version 1.
            case "frames-v2" -> Vectors.concat(FrameEncoder.toBytes(new Frame.Preamble(1, 2)), bytes);
            default -> bytes;
        };
    }

    /** What decoding a stream gave: the frames, and the violation (with the index of its byte) if any. */
    record Decoded(List<String> frames, String error, int errorAt, boolean midFrame) {
    }

    /**
     * Decodes {@code stream} as the engine's decoder does (fragments joined as they are read) or not, and
     * describes the result the same way for both: messages whole ("MESSAGE hex", however fragmented), other
     * frames as {@link #describe}. The two modes must agree on every stream.
     */
    static Decoded decodeMessages(FrameLimits limits, byte[] stream, int[] pieces, boolean join) {
        FrameDecoder decoder = new FrameDecoder(limits);
        if (join) {
            Internals.deliverMessages(decoder);
        }
        List<String> items = new ArrayList<>();
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        int at = 0;
        int piece = 0;
        while (at < stream.length) {
            int size = pieces.length == 0 ? stream.length : Math.max(1, pieces[piece++ % pieces.length]);
            ByteBuffer in = ByteBuffer.wrap(stream, at, Math.min(size, stream.length - at));
            try {
                Frame frame;
                while ((frame = decoder.next(in)) != null) {
                    if (join && Internals.isMessageDelivery(frame)) {
                        if (!((Frame.Data) frame).more()) {
                            items.add("MESSAGE " + Vectors.HEX.formatHex(Internals.takeMessage(decoder)));
                        }
                    } else if (frame instanceof Frame.Data d) {
                        message.writeBytes(d.payload());
                        if (!d.more()) {
                            items.add("MESSAGE " + Vectors.HEX.formatHex(message.toByteArray()));
                            message.reset();
                        }
                    } else {
                        items.add(describe(frame));
                    }
                }
            } catch (ProtocolViolationException e) {
                return new Decoded(items, e.reason().name(), in.position() - 1, false);
            }
            at = in.position();
        }
        return new Decoded(items, null, -1, decoder.isMidFrame());
    }

    /**
     * Decodes {@code stream} fed in pieces of the given sizes (cycled; the whole stream if empty), recording
     * the index of the byte whose arrival raised a violation.
     */
    static Decoded decode(FrameLimits limits, byte[] stream, int[] pieces) {
        FrameDecoder decoder = new FrameDecoder(limits);
        List<String> frames = new ArrayList<>();
        int at = 0;
        int piece = 0;
        while (at < stream.length) {
            int size = pieces.length == 0 ? stream.length : Math.max(1, pieces[piece++ % pieces.length]);
            ByteBuffer in = ByteBuffer.wrap(stream, at, Math.min(size, stream.length - at));
            try {
                Frame frame;
                while ((frame = decoder.next(in)) != null) {
                    frames.add(describe(frame));
                }
            } catch (ProtocolViolationException e) {
                // The buffer's position is just past the byte that revealed the violation.
                return new Decoded(frames, e.reason().name(), in.position() - 1, false);
            }
            at = in.position();
        }
        return new Decoded(frames, null, -1, decoder.isMidFrame());
    }
}
