package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes a Parley byte stream incrementally: the preamble first, then frames. A stream split at any byte
 * boundary decodes to the same frames. Every declared length is checked against the receiver's
 * {@link FrameLimits} before a buffer is allocated for it, so memory per connection stays bounded whatever
 * the peer sends. Unknown ignorable frame types (0x80 and up) are skipped without allocating; the
 * extensions this version knows are decoded: MESSAGE_SIZE, checked against the fragments that follow, and
 * CLOSE_SEEN, which may come anywhere after the preamble.
 *
 * <p>After a {@link ProtocolViolationException} the decoder is finished: further calls throw the same
 * violation again.
 */
public final class FrameDecoder {
    private static final byte[] EMPTY = new byte[0];

    private enum Phase { PREAMBLE, HEADER, PAYLOAD, JOIN, SKIP, FAILED }

    /**
     * What {@link #next} returns in the engine's mode ({@link #deliverMessages()}) for a fragment of a
     * multi-fragment message: its bytes went straight into the message being joined (no array per fragment,
     * no frame object per fragment). For the engine; compared by identity.
     */
    static final Frame.Data FRAGMENT = new Frame.Data(true, new byte[0]);
    /**
     * What {@link #next} returns in the engine's mode for the DATA frame that completes a message (a lone
     * DATA frame or the last fragment): the message is ready for {@link #takeMessage()}, with no frame
     * object allocated for it. For the engine; compared by identity.
     */
    static final Frame.Data MESSAGE = new Frame.Data(false, new byte[0]);

    private final FrameLimits limits;
    private final byte[] head = new byte[WireFormat.PREAMBLE_SIZE];
    private Phase phase = Phase.PREAMBLE;
    private int headFill;
    private int type;
    /** The type of the frame being read, once its header was checked (looked up once per frame). */
    private FrameType known;
    private int flags;
    private int length;
    private byte[] payload;
    private int payloadFill;
    private long messageSoFar;
    /** True between a DATA frame with MORE and the last fragment of its message (even if all were empty). */
    private boolean inMessage;
    /** The size a MESSAGE_SIZE announced, from that frame to the last fragment of its message; else -1. */
    private long announced = -1;
    /**
     * While a callee holds a request: how many bytes early messages may still take (each costs its size plus
     * {@link WireFormat#EARLY_MESSAGE_OVERHEAD}); -1 when no early budget applies.
     */
    private long earlyRoom = -1;
    private ProtocolViolationException failure;
    /** Where fragments of multi-fragment messages are joined as they are read; null unless asked for. */
    private MessageAssembly joined;
    /** In the engine's mode: the message completed by the last {@link #MESSAGE} returned, until taken. */
    private byte[] message;

    /**
     * From now on, hands DATA to the engine without frame objects: {@link #FRAGMENT} for a fragment whose
     * bytes were joined into the message being received, {@link #MESSAGE} once a message is complete.
     */
    void deliverMessages() {
        joined = new MessageAssembly(limits.maxMessageSize());
    }

    /**
     * Lets go of the message joined so far: the connection ended, and a message it will never complete must
     * not stay held (up to the message limit) for as long as the engine is referenced. Called once the
     * engine is finished with this decoder; it is not fed again.
     */
    void dropJoined() {
        joined = null;
        message = null;
    }

    /** The message completed by the last {@link #MESSAGE} returned; each message is taken once. */
    byte[] takeMessage() {
        byte[] taken = message;
        message = null;
        return taken;
    }

    /**
     * From now on, charges every DATA frame to an early budget of {@code room} bytes, as a callee does
     * between the request and its answer: over it, the DATA header (or a MESSAGE_SIZE announcing more than
     * fits) fails with DATA_TOO_LARGE.
     */
    void limitEarlyMessages(long room) {
        earlyRoom = room;
    }

    /** Stops charging DATA frames to the early budget: the callee answered. */
    void endEarlyMessages() {
        earlyRoom = -1;
    }

    /** A decoder for a receiver with the given limits. */
    public FrameDecoder(FrameLimits limits) {
        this.limits = limits;
    }

    /** True if the decoder holds part of a frame (or of the preamble) and needs more bytes to finish it. */
    public boolean isMidFrame() {
        return (phase == Phase.PREAMBLE || phase == Phase.HEADER) ? headFill > 0 : phase != Phase.FAILED;
    }

    /** The type byte of the last frame header read (the frame being read, or the one that was refused). */
    int lastHeaderType() {
        return type;
    }

    /**
     * Consumes bytes from {@code in} up to the end of the next complete frame and returns it, or returns
     * null once {@code in} is exhausted without completing one (the partial frame is kept).
     */
    public Frame next(ByteBuffer in) throws ProtocolViolationException {
        if (failure != null) {
            throw failure;
        }
        try {
            return advance(in);
        } catch (ProtocolViolationException e) {
            phase = Phase.FAILED;
            failure = e;
            throw e;
        }
    }

    private Frame advance(ByteBuffer in) throws ProtocolViolationException {
        while (true) {
            switch (phase) {
                case PREAMBLE -> {
                    if (!fillPreamble(in)) {
                        return null;
                    }
                    phase = Phase.HEADER;
                    headFill = 0;
                    return new Frame.Preamble(head[WireFormat.MAGIC.length] & 0xFF,
                            head[WireFormat.MAGIC.length + 1] & 0xFF);
                }
                case HEADER -> {
                    if (!fillHeader(in)) {
                        return null;
                    }
                    Frame empty = startPayload();
                    if (empty != null) {
                        return empty;
                    }
                }
                case PAYLOAD -> {
                    int n = Math.min(in.remaining(), length - payloadFill);
                    in.get(payload, payloadFill, n);
                    payloadFill += n;
                    if (payloadFill < length) {
                        return null;
                    }
                    phase = Phase.HEADER;
                    byte[] complete = payload;
                    payload = null;
                    return parse(complete);
                }
                case JOIN -> {
                    int n = Math.min(in.remaining(), length - payloadFill);
                    joined.put(in, n);
                    payloadFill += n;
                    if (payloadFill < length) {
                        return null;
                    }
                    phase = Phase.HEADER;
                    return joinedFragment();
                }
                case SKIP -> {
                    int n = Math.min(in.remaining(), length - payloadFill);
                    in.position(in.position() + n);
                    payloadFill += n;
                    if (payloadFill < length) {
                        return null;
                    }
                    phase = Phase.HEADER;
                    if (type == FrameType.PENDING.code()) {
                        return new Frame.Pending();
                    }
                }
                case FAILED -> throw failure;
            }
        }
    }

    private boolean fillPreamble(ByteBuffer in) throws ProtocolViolationException {
        while (headFill < WireFormat.PREAMBLE_SIZE && in.hasRemaining()) {
            byte b = in.get();
            if (headFill < WireFormat.MAGIC.length && b != WireFormat.MAGIC[headFill]) {
                throw new ProtocolViolationException(ReasonCode.NOT_PARLEY,
                        "not a Parley peer: byte " + headFill + " of the stream is 0x"
                                + Integer.toHexString(b & 0xFF) + ", expected 0x"
                                + Integer.toHexString(WireFormat.MAGIC[headFill] & 0xFF));
            }
            head[headFill++] = b;
        }
        return headFill == WireFormat.PREAMBLE_SIZE;
    }

    private boolean fillHeader(ByteBuffer in) {
        if (headFill == 0 && in.remaining() >= WireFormat.HEADER_SIZE) {
            type = in.get() & 0xFF;
            flags = in.get() & 0xFF;
            length = in.getShort() & 0xFFFF;
            return true;
        }
        while (headFill < WireFormat.HEADER_SIZE && in.hasRemaining()) {
            head[headFill++] = in.get();
        }
        if (headFill < WireFormat.HEADER_SIZE) {
            return false;
        }
        headFill = 0;
        type = head[0] & 0xFF;
        flags = head[1] & 0xFF;
        length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        return true;
    }

    /** Checks the declared length, then either allocates, skips, or completes an empty frame at once. */
    private Frame startPayload() throws ProtocolViolationException {
        payloadFill = 0;
        known = FrameType.byCode(type);
        if (known == null) {
            if (type < WireFormat.FIRST_IGNORABLE_TYPE) {
                throw violation("unknown frame type 0x" + Integer.toHexString(type));
            }
            phase = Phase.SKIP;
            return null;
        }
        boolean continuesMessage = inMessage;
        checkDeclaredLength(known);
        if (known == FrameType.PENDING) {
            phase = Phase.SKIP;
            return null;
        }
        if (joined != null && known == FrameType.DATA
                && (continuesMessage || (flags & WireFormat.FLAG_MORE) != 0)) {
            // A fragment of a multi-fragment message (empty ones too) goes into the joined message; a lone
            // DATA frame still gets its own array below: that array is the message itself.
            if (!continuesMessage && announced >= 0) {
                joined.announce(announced);
            }
            if (length == 0) {
                phase = Phase.HEADER;
                return joinedFragment();
            }
            phase = Phase.JOIN;
            return null;
        }
        if (length == 0) {
            phase = Phase.HEADER;
            return parse(EMPTY);
        }
        payload = new byte[length];
        phase = Phase.PAYLOAD;
        return null;
    }

    private void checkDeclaredLength(FrameType known) throws ProtocolViolationException {
        // CLOSE_SEEN may come anywhere, as an unknown extension frame may: a receiver that skips it must not
        // read the stream differently from one that knows it.
        boolean interposable = known == FrameType.DATA || known == FrameType.ABORT || known == FrameType.CLOSE_SEEN;
        if (inMessage && !interposable) {
            throw violation(known + " frame in the middle of a fragmented message");
        }
        if (announced >= 0 && !interposable) {
            throw violation(known + " frame between a MESSAGE_SIZE and the message it announces");
        }
        switch (known) {
            case CONNECT -> {
                int fixed = WireFormat.CONNECT_FIXED_SIZE + optionalSize(WireFormat.CONNECT_GROUP_SIZE);
                requireAtLeast(fixed, known);
                if (length - fixed > limits.maxCallerData()) {
                    throw new ProtocolViolationException(ReasonCode.DATA_TOO_LARGE, "caller data of "
                            + (length - fixed) + " bytes exceeds the limit of " + limits.maxCallerData());
                }
            }
            case ACCEPT -> {
                int fixed = WireFormat.ACCEPT_FIXED_SIZE + optionalSize(WireFormat.ACCEPT_GROUP_SIZE);
                requireAtLeast(fixed, known);
                if (length - fixed > limits.maxCalleeData()) {
                    throw new ProtocolViolationException(ReasonCode.DATA_TOO_LARGE, "callee data of "
                            + (length - fixed) + " bytes exceeds the advertised limit of " + limits.maxCalleeData());
                }
            }
            case REJECT, ABORT -> {
                requireAtLeast(2, known);
                if (length - 2 > WireFormat.MAX_REASON_DATA) {
                    throw violation(known + " reason data of " + (length - 2) + " bytes exceeds "
                            + WireFormat.MAX_REASON_DATA);
                }
            }
            case DATA -> {
                long total = messageSoFar + length;
                if (total > limits.maxMessageSize()) {
                    throw new ProtocolViolationException(ReasonCode.MESSAGE_TOO_LARGE, "message of at least "
                            + total + " bytes exceeds the advertised limit of " + limits.maxMessageSize());
                }
                chargeEarly(length + (inMessage ? 0 : WireFormat.EARLY_MESSAGE_OVERHEAD));
                inMessage = (flags & WireFormat.FLAG_MORE) != 0;
                if (announced >= 0 && (inMessage ? total > announced : total != announced)) {
                    throw violation("message of " + (inMessage ? "at least " : "") + total
                            + " bytes, but its MESSAGE_SIZE announced " + announced);
                }
                messageSoFar = inMessage ? total : 0;
                if (!inMessage) {
                    announced = -1;
                }
            }
            case MESSAGE_SIZE -> {
                if (length != WireFormat.MESSAGE_SIZE_LENGTH) {
                    throw violation("MESSAGE_SIZE payload of " + length + " bytes, expected "
                            + WireFormat.MESSAGE_SIZE_LENGTH);
                }
            }
            case CLOSE_SEEN -> {
                if (length != 0) {
                    throw violation("CLOSE_SEEN payload of " + length + " bytes, expected none");
                }
            }
            case DISCONNECT -> {
                if (length > limits.maxDisconnectData()) {
                    throw new ProtocolViolationException(ReasonCode.DATA_TOO_LARGE, "disconnect data of "
                            + length + " bytes exceeds the advertised limit of " + limits.maxDisconnectData());
                }
            }
            case PENDING -> {
                // Any payload is skipped unread: nothing to bound.
            }
            default -> throw violation("unexpected frame type " + known);
        }
    }

    private void chargeEarly(long cost) throws ProtocolViolationException {
        if (earlyRoom < 0) {
            return;
        }
        if (cost > earlyRoom) {
            throw earlyOverBudget();
        }
        earlyRoom -= cost;
    }

    private ProtocolViolationException earlyOverBudget() {
        return new ProtocolViolationException(ReasonCode.DATA_TOO_LARGE, "early messages exceed what the limit of "
                + limits.maxCallerData() + " bytes for caller data and early messages leaves");
    }

    private int optionalSize(int groupSize) {
        return ((flags & WireFormat.FLAG_QOS) != 0 ? 2 * WireFormat.FLOWSPEC_SIZE : 0)
                + ((flags & WireFormat.FLAG_GROUP) != 0 ? groupSize : 0);
    }

    private void requireAtLeast(int minimum, FrameType known) throws ProtocolViolationException {
        if (length < minimum) {
            throw violation(known + " payload of " + length + " bytes is shorter than its fields (" + minimum + ")");
        }
    }

    /** A fragment fully joined: the message is ready if it was the last one. */
    private Frame joinedFragment() {
        if ((flags & WireFormat.FLAG_MORE) != 0) {
            return FRAGMENT;
        }
        message = joined.take();
        return MESSAGE;
    }

    private Frame parse(byte[] bytes) throws ProtocolViolationException {
        if (known == FrameType.DATA && joined != null) {
            // A lone DATA frame in the engine's mode: its payload is the message itself.
            message = bytes;
            return MESSAGE;
        }
        return switch (known) {
            case DATA -> new Frame.Data((flags & WireFormat.FLAG_MORE) != 0, bytes);
            case MESSAGE_SIZE -> messageSize(u32(bytes, 0));
            case CLOSE_SEEN -> new Frame.CloseSeen();
            case DISCONNECT -> new Frame.Disconnect((flags & WireFormat.FLAG_CLOSED) != 0, bytes);
            case REJECT -> new Frame.Reject(u16(bytes, 0), tail(bytes, 2));
            case ABORT -> new Frame.Abort(u16(bytes, 0), tail(bytes, 2));
            case CONNECT -> parseConnect(bytes);
            case ACCEPT -> parseAccept(bytes);
            default -> throw violation("unexpected frame type " + known);
        };
    }

    private Frame.MessageSize messageSize(long size) throws ProtocolViolationException {
        if (size > limits.maxMessageSize()) {
            throw new ProtocolViolationException(ReasonCode.MESSAGE_TOO_LARGE, "announced message of " + size
                    + " bytes exceeds the advertised limit of " + limits.maxMessageSize());
        }
        if (earlyRoom >= 0 && size + WireFormat.EARLY_MESSAGE_OVERHEAD > earlyRoom) {
            throw earlyOverBudget();
        }
        announced = size;
        return new Frame.MessageSize(size);
    }

    private Frame.Connect parseConnect(byte[] b) throws ProtocolViolationException {
        int at = WireFormat.CONNECT_FIXED_SIZE;
        Qos qos = null;
        if ((flags & WireFormat.FLAG_QOS) != 0) {
            qos = new Qos(flowSpec(b, at), flowSpec(b, at + WireFormat.FLOWSPEC_SIZE));
            at += 2 * WireFormat.FLOWSPEC_SIZE;
        }
        Group group = null;
        if ((flags & WireFormat.FLAG_GROUP) != 0) {
            int kindCode = b[at] & 0xFF;
            GroupKind kind = GroupKind.ofCode(kindCode)
                    .orElseThrow(() -> violation("unknown group kind " + kindCode));
            group = new Group(kind, u32(b, at + 1), u16(b, at + 5));
            at += WireFormat.CONNECT_GROUP_SIZE;
        }
        return new Frame.Connect(u32(b, 0), u16(b, 4), u16(b, 6), qos, group, tail(b, at));
    }

    private Frame.Accept parseAccept(byte[] b) throws ProtocolViolationException {
        int at = WireFormat.ACCEPT_FIXED_SIZE;
        Qos qos = null;
        if ((flags & WireFormat.FLAG_QOS) != 0) {
            qos = new Qos(flowSpec(b, at), flowSpec(b, at + WireFormat.FLOWSPEC_SIZE));
            at += 2 * WireFormat.FLOWSPEC_SIZE;
        }
        Group group = null;
        if ((flags & WireFormat.FLAG_GROUP) != 0) {
            group = new Group(GroupKind.JOIN, u32(b, at), u16(b, at + 4));
            at += WireFormat.ACCEPT_GROUP_SIZE;
        }
        return new Frame.Accept(u32(b, 0), u16(b, 4), qos, group, tail(b, at));
    }

    private FlowSpec flowSpec(byte[] b, int at) throws ProtocolViolationException {
        int serviceField = (int) u32(b, at + 20);
        ServiceType serviceType;
        int serviceFlags;
        if (serviceField == -1) {
            serviceType = ServiceType.NOT_SPECIFIED;
            serviceFlags = 0;
        } else {
            int code = serviceField & ServiceType.TYPE_MASK;
            serviceType = ServiceType.ofCode(code)
                    .orElseThrow(() -> violation("unknown FLOWSPEC service type 0x" + Integer.toHexString(code)));
            serviceFlags = serviceField & ~ServiceType.TYPE_MASK;
        }
        return new FlowSpec(u32(b, at), u32(b, at + 4), u32(b, at + 8), u32(b, at + 12), u32(b, at + 16),
                serviceType, serviceFlags, u32(b, at + 24), u32(b, at + 28));
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }

    private static byte[] tail(byte[] b, int from) {
        return from == b.length ? EMPTY : Arrays.copyOfRange(b, from, b.length);
    }

    private static ProtocolViolationException violation(String message) {
        return new ProtocolViolationException(ReasonCode.PROTOCOL_VIOLATION, message);
    }
}
