package io.parley.protocol;

import io.parley.FlowSpec;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ServiceType;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Decodes a Parley byte stream incrementally: the preamble first, then frames. A stream split at any byte
 * boundary decodes to the same frames. Every declared length is checked against the receiver's
 * {@link FrameLimits} before a buffer is allocated for it, so memory per connection stays bounded whatever
 * the peer sends. User data that goes on in CONTINUATION frames is joined: the frame is returned once its
 * user data is whole. Unknown ignorable frame types (0x80 and up) are skipped without allocating; the
 * extension this version knows, MESSAGE_SIZE, is decoded and checked against the fragments that follow.
 *
 * <p>After a {@link ProtocolViolationException} the decoder is finished: further calls throw the same
 * violation again.
 */
public final class FrameDecoder {
    private static final byte[] EMPTY = new byte[0];

    private enum Phase { PREAMBLE, HEADER, DATA_HEADER_SEEN, PAYLOAD, JOIN, CONTINUE, SKIP, FAILED }

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
    /**
     * What {@link #next} returns, while {@link #reportDataHeaders} is on, once a DATA header has arrived and
     * passed the limits, before its payload is read: the engine charges it ({@link #dataHeaderCharge()}).
     * For the engine; compared by identity.
     */
    static final Frame.Data DATA_HEADER = new Frame.Data(false, new byte[0]);

    private final FrameLimits limits;
    /** The protocol version the frames are read in: version 1 until {@link #useVersion} says otherwise. */
    private int version = WireFormat.VERSION;
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
    /** True if the DATA frame whose header was read last starts a message (it is not a further fragment). */
    private boolean dataStartsMessage;
    /** The size a MESSAGE_SIZE announced, from that frame to the last fragment of its message; else -1. */
    private long announced = -1;
    private boolean reportDataHeaders;
    private ProtocolViolationException failure;
    /** Where fragments of multi-fragment messages are joined as they are read; null unless asked for. */
    private MessageAssembly joined;
    /** In the engine's mode: the message completed by the last {@link #MESSAGE} returned, until taken. */
    private byte[] message;
    /** A frame whose user data goes on in CONTINUATIONs, as parsed from its first frame; else null. */
    private Frame continued;
    /** The user data of {@link #continued}, joined as it arrives. */
    private MessageAssembly userData;
    /** How many bytes of {@link #continued}'s user data are still to come. */
    private long userDataLeft;
    /**
     * In the engine's mode: the user data of the last user-data frame or ABORT returned, as the decoder built
     * it, until taken.
     */
    private byte[] lastUserData;

    /**
     * From now on, hands DATA to the engine without frame objects: {@link #FRAGMENT} for a fragment whose
     * bytes were joined into the message being received, {@link #MESSAGE} once a message is complete.
     */
    void deliverMessages() {
        joined = new MessageAssembly(limits.maxMessageSize());
    }

    /**
     * Lets go of the message and user data joined so far: the connection ended, and what it will never
     * complete must not stay held for as long as the engine is referenced. Called once the engine is
     * finished with this decoder; it is not fed again.
     */
    void dropJoined() {
        joined = null;
        message = null;
        userData = null;
        continued = null;
        lastUserData = null;
    }

    /**
     * The user data (caller, callee, reason or disconnect data, or an ABORT's reason data) of the last such
     * frame returned, in the array the decoder built the frame from: the frame holds a copy, and the decoder
     * never touches this array again, so the engine uses it without copying it out of the frame once more.
     * Kept in the engine's mode only ({@link #deliverMessages()}); taken once; null if taken already.
     */
    byte[] takeUserData() {
        byte[] taken = lastUserData;
        lastUserData = null;
        return taken;
    }

    /** In the engine's mode, keeps {@code data} for {@link #takeUserData()}; returns it. */
    private byte[] keep(byte[] data) {
        if (joined != null) {
            lastUserData = data;
        }
        return data;
    }

    /** The message completed by the last {@link #MESSAGE} returned; each message is taken once. */
    byte[] takeMessage() {
        byte[] taken = message;
        message = null;
        return taken;
    }

    /** Turns the reporting of DATA headers ({@link #DATA_HEADER}) on or off; the engine wants it while REQUESTED. */
    void reportDataHeaders(boolean on) {
        reportDataHeaders = on;
    }

    /** What the DATA frame last reported by {@link #DATA_HEADER} costs an early budget: its length, plus 4 if it starts a message. */
    long dataHeaderCharge() {
        return length + (dataStartsMessage ? WireFormat.EARLY_MESSAGE_OVERHEAD : 0);
    }

    /**
     * A decoder for a receiver with the given limits.
     *
     * @param limits what this receiver accepts
     */
    public FrameDecoder(FrameLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads the frames after the preamble in protocol version {@code chosen}, the one both sides' preambles
     * agreed on: from version 2 on, QOS_REQUEST and QOS_ANSWER are known frame types; in version 1 they are
     * unknown core types, a protocol violation.
     *
     * @param chosen the negotiated version
     */
    public void useVersion(int chosen) {
        if (chosen < WireFormat.VERSION || chosen > WireFormat.MAX_VERSION) {
            throw new IllegalArgumentException("version " + chosen + " is not spoken here");
        }
        version = chosen;
    }

    /**
     * True if the decoder holds part of a frame (or of the preamble, or of user data that goes on in
     * CONTINUATIONs) and needs more bytes to finish it.
     *
     * @return whether the stream ending now would cut something in the middle
     */
    public boolean isMidFrame() {
        if (phase == Phase.PREAMBLE || phase == Phase.HEADER) {
            return headFill > 0 || continued != null;
        }
        return phase != Phase.FAILED;
    }

    /** The type byte of the last frame header read (the frame being read, or the one that was refused). */
    int lastHeaderType() {
        return type;
    }

    /**
     * Consumes bytes from {@code in} up to the end of the next complete frame and returns it, or returns
     * null once {@code in} is exhausted without completing one (the partial frame is kept). Like
     * {@link java.util.Queue#poll()}, null here means "nothing yet", not an absent value: this is called once
     * per frame on the receive path, so it hands out no {@link java.util.Optional}. A returned frame holds its
     * own copy of its user data or payload.
     *
     * @param in the bytes received; its position advances past what was consumed
     * @return the next complete frame, or null if more bytes are needed
     * @throws ProtocolViolationException if the bytes break the specification or exceed a limit
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
                    checkHeader();
                    if (known == FrameType.DATA && reportDataHeaders) {
                        phase = Phase.DATA_HEADER_SEEN;
                        return DATA_HEADER;
                    }
                    Frame empty = startPayload();
                    if (empty != null) {
                        return empty;
                    }
                }
                case DATA_HEADER_SEEN -> {
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
                    Frame frame = parse(complete);
                    if (frame != null) {
                        return frame;
                    }
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
                case CONTINUE -> {
                    int n = Math.min(in.remaining(), length - payloadFill);
                    userData.put(in, n);
                    payloadFill += n;
                    if (payloadFill < length) {
                        return null;
                    }
                    phase = Phase.HEADER;
                    Frame whole = continuationDone();
                    if (whole != null) {
                        return whole;
                    }
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

    /** Looks the type up and checks the declared length; an unknown ignorable type is marked for skipping. */
    private void checkHeader() throws ProtocolViolationException {
        payloadFill = 0;
        known = FrameType.byCode(type);
        if ((known == FrameType.QOS_REQUEST || known == FrameType.QOS_ANSWER)
                && version < WireFormat.QOS_RENEGOTIATION_VERSION) {
            known = null; // a core type of a later version: unknown in this one
        }
        if (known == null) {
            if (type < WireFormat.FIRST_IGNORABLE_TYPE) {
                throw violation("unknown frame type 0x" + Integer.toHexString(type));
            }
            return;
        }
        checkSequence(known);
        checkDeclaredLength(known);
    }

    /** Allocates, skips, or completes an empty frame at once; the header was checked. */
    private Frame startPayload() throws ProtocolViolationException {
        if (known == null || known == FrameType.PENDING) {
            phase = Phase.SKIP;
            return null;
        }
        if (known == FrameType.CONTINUATION) {
            phase = Phase.CONTINUE;
            return null;
        }
        if (joined != null && known == FrameType.DATA && (!dataStartsMessage || (flags & WireFormat.FLAG_MORE) != 0)) {
            // A fragment of a multi-fragment message (empty ones too) goes into the joined message; a lone
            // DATA frame still gets its own array below: that array is the message itself.
            if (dataStartsMessage && announced >= 0) {
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

    /** Which frames may come between the parts of a message and between a frame and its CONTINUATIONs. */
    private void checkSequence(FrameType known) throws ProtocolViolationException {
        if (continued != null) {
            if (known != FrameType.CONTINUATION && known != FrameType.ABORT) {
                throw violation(known + " frame before the user data of " + continued.type() + " is complete");
            }
            return;
        }
        if (known == FrameType.CONTINUATION) {
            throw violation("CONTINUATION frame with no user data outstanding");
        }
        boolean interposable = known == FrameType.DATA || known == FrameType.ABORT;
        if (inMessage && !interposable) {
            throw violation(known + " frame in the middle of a fragmented message");
        }
        if (announced >= 0 && !interposable) {
            throw violation(known + " frame between a MESSAGE_SIZE and the message it announces");
        }
    }

    private void checkDeclaredLength(FrameType known) throws ProtocolViolationException {
        switch (known) {
            case CONNECT -> {
                int fixed = WireFormat.CONNECT_FIXED_SIZE + optionalSize(WireFormat.CONNECT_GROUP_SIZE);
                requireAtLeast(fixed, known);
                if (length - fixed > limits.maxCallerData()) {
                    throw tooLarge("caller data of at least " + (length - fixed), limits.maxCallerData());
                }
            }
            case ACCEPT -> {
                int fixed = WireFormat.ACCEPT_FIXED_SIZE + optionalSize(version >= WireFormat.QOS_RENEGOTIATION_VERSION
                        ? WireFormat.ACCEPT_GROUP_SIZE_V2 : WireFormat.ACCEPT_GROUP_SIZE);
                requireAtLeast(fixed, known);
                if (length - fixed > limits.maxCalleeData()) {
                    throw tooLarge("callee data of at least " + (length - fixed), limits.maxCalleeData());
                }
            }
            case REJECT -> {
                requireAtLeast(WireFormat.REJECT_FIXED_SIZE, known);
                if (length - WireFormat.REJECT_FIXED_SIZE > limits.maxReasonData()) {
                    throw tooLarge("reason data of at least " + (length - WireFormat.REJECT_FIXED_SIZE),
                            limits.maxReasonData());
                }
            }
            case DISCONNECT -> {
                requireAtLeast(WireFormat.DISCONNECT_FIXED_SIZE, known);
                if (length - WireFormat.DISCONNECT_FIXED_SIZE > limits.maxDisconnectData()) {
                    throw tooLarge("disconnect data of at least " + (length - WireFormat.DISCONNECT_FIXED_SIZE),
                            limits.maxDisconnectData());
                }
            }
            case CONTINUATION -> {
                if (length > userDataLeft) {
                    throw violation("CONTINUATION of " + length + " bytes, but only " + userDataLeft
                            + " bytes of user data are outstanding");
                }
            }
            case ABORT -> {
                requireAtLeast(2, known);
                if (length - 2 > WireFormat.MAX_ABORT_REASON_DATA) {
                    throw violation("ABORT reason data of " + (length - 2) + " bytes exceeds "
                            + WireFormat.MAX_ABORT_REASON_DATA);
                }
            }
            case DATA -> checkDataHeader();
            case MESSAGE_SIZE -> {
                if (length != WireFormat.MESSAGE_SIZE_LENGTH) {
                    throw violation("MESSAGE_SIZE payload of " + length + " bytes, expected "
                            + WireFormat.MESSAGE_SIZE_LENGTH);
                }
            }
            case DISCONNECT_ACK -> {
                if (length != 0) {
                    throw violation("DISCONNECT_ACK payload of " + length + " bytes, expected none");
                }
            }
            case QOS_REQUEST -> requireExactly(WireFormat.QOS_SIZE, known);
            case QOS_ANSWER -> requireExactly((flags & WireFormat.FLAG_GRANTED) != 0 ? WireFormat.QOS_SIZE
                    : WireFormat.QOS_REFUSAL_SIZE, known);
            case PENDING -> {
                // Any payload is skipped unread: nothing to bound.
            }
            default -> throw violation("unexpected frame type " + known);
        }
    }

    private void checkDataHeader() throws ProtocolViolationException {
        long total = messageSoFar + length;
        if (total > limits.maxMessageSize()) {
            throw new ProtocolViolationException(ReasonCode.MESSAGE_TOO_LARGE, "message of at least "
                    + total + " bytes exceeds the advertised limit of " + limits.maxMessageSize());
        }
        dataStartsMessage = !inMessage;
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

    private int optionalSize(int groupSize) {
        return ((flags & WireFormat.FLAG_QOS) != 0 ? WireFormat.QOS_SIZE : 0)
                + ((flags & WireFormat.FLAG_GROUP) != 0 ? groupSize : 0);
    }

    private void requireExactly(int size, FrameType known) throws ProtocolViolationException {
        if (length != size) {
            throw violation(known + " payload of " + length + " bytes, expected " + size);
        }
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

    /** A frame's payload is complete: the frame, or null if its user data goes on in CONTINUATIONs. */
    private Frame parse(byte[] bytes) throws ProtocolViolationException {
        if (known == FrameType.DATA && joined != null) {
            // A lone DATA frame in the engine's mode: its payload is the message itself.
            message = bytes;
            return MESSAGE;
        }
        return switch (known) {
            case DATA -> new Frame.Data((flags & WireFormat.FLAG_MORE) != 0, bytes);
            case MESSAGE_SIZE -> messageSize(u32(bytes, 0));
            case DISCONNECT_ACK -> new Frame.DisconnectAck();
            case DISCONNECT -> withUserData(new Frame.Disconnect((flags & WireFormat.FLAG_CLOSED) != 0, EMPTY),
                    tail(bytes, WireFormat.DISCONNECT_FIXED_SIZE), u32(bytes, 0), limits.maxDisconnectData());
            case REJECT -> withUserData(new Frame.Reject(u16(bytes, 0), EMPTY),
                    tail(bytes, WireFormat.REJECT_FIXED_SIZE), u32(bytes, 2), limits.maxReasonData());
            case ABORT -> new Frame.Abort(u16(bytes, 0), keep(tail(bytes, 2)));
            case CONNECT -> parseConnect(bytes);
            case ACCEPT -> parseAccept(bytes);
            case QOS_REQUEST -> new Frame.QosRequest(qos(bytes, 0));
            case QOS_ANSWER -> (flags & WireFormat.FLAG_GRANTED) != 0
                    ? new Frame.QosAnswer(Optional.of(qos(bytes, 0)), 0)
                    : new Frame.QosAnswer(Optional.empty(), u16(bytes, 0));
            default -> throw violation("unexpected frame type " + known);
        };
    }

    /**
     * Checks a frame's declared user-data length against the part its first frame holds and the limit:
     * returns the frame when that part is all of it, or holds the frame's fields (null) until the
     * CONTINUATIONs bring the rest. {@code fields} is the frame with empty user data: the frame is built
     * once, with all of its user data, so that the data is copied into a frame only once.
     */
    private Frame withUserData(Frame fields, byte[] part, long declared, long limit)
            throws ProtocolViolationException {
        if (declared < part.length) {
            throw violation(fields.type() + " holds " + part.length + " bytes of user data but declares "
                    + declared);
        }
        if (declared > limit) {
            throw tooLarge(fields.type() + " user data of " + declared, limit);
        }
        if (declared == part.length) {
            return withData(fields, keep(part));
        }
        continued = fields;
        userDataLeft = declared - part.length;
        userData = new MessageAssembly(declared);
        userData.announce(declared);
        userData.put(ByteBuffer.wrap(part), part.length);
        return null;
    }

    /** A CONTINUATION's payload was joined: the whole frame once its user data is complete, else null. */
    private Frame continuationDone() {
        userDataLeft -= length;
        if (userDataLeft > 0) {
            return null;
        }
        byte[] whole = userData.take();
        Frame frame = withData(continued, keep(whole));
        continued = null;
        userData = null;
        return frame;
    }

    /** The frame with {@code fields}' fields and {@code data} as its user data. */
    private static Frame withData(Frame fields, byte[] data) {
        return switch (fields) {
            case Frame.Connect c -> new Frame.Connect(c.maxMessageSize(), c.maxCalleeData(), c.maxDisconnectData(),
                    c.maxReasonData(), c.earlyLength(), c.qos(), c.group(), data);
            case Frame.Accept a -> new Frame.Accept(a.maxMessageSize(), a.maxDisconnectData(), a.qos(), a.group(),
                    data);
            case Frame.Reject r -> new Frame.Reject(r.reasonCode(), data);
            case Frame.Disconnect d -> new Frame.Disconnect(d.closed(), data);
            default -> throw new IllegalStateException("no user data in " + fields.type());
        };
    }

    private Frame.MessageSize messageSize(long size) throws ProtocolViolationException {
        if (size > limits.maxMessageSize()) {
            throw new ProtocolViolationException(ReasonCode.MESSAGE_TOO_LARGE, "announced message of " + size
                    + " bytes exceeds the advertised limit of " + limits.maxMessageSize());
        }
        announced = size;
        return new Frame.MessageSize(size);
    }

    private Frame parseConnect(byte[] b) throws ProtocolViolationException {
        int at = WireFormat.CONNECT_FIXED_SIZE;
        Qos qos = null;
        if ((flags & WireFormat.FLAG_QOS) != 0) {
            qos = qos(b, at);
            at += WireFormat.QOS_SIZE;
        }
        Group group = null;
        if ((flags & WireFormat.FLAG_GROUP) != 0) {
            int kindCode = b[at] & 0xFF;
            GroupKind kind = GroupKind.ofCode(kindCode)
                    .orElseThrow(() -> violation("unknown group kind " + kindCode));
            group = new Group(kind, u32(b, at + 1), u16(b, at + 5));
            at += WireFormat.CONNECT_GROUP_SIZE;
        }
        long maxReasonData = u32(b, 12);
        if (maxReasonData < WireFormat.MIN_REASON_DATA_LIMIT) {
            throw violation("CONNECT advertises a max reason data of " + maxReasonData + ", below "
                    + WireFormat.MIN_REASON_DATA_LIMIT);
        }
        long early = u32(b, 16);
        long callerData = u32(b, 20);
        if (callerData + early > limits.maxCallerData()) {
            throw tooLarge("caller data of " + callerData + " bytes and early messages of " + early,
                    limits.maxCallerData());
        }
        Frame.Connect fields = new Frame.Connect(u32(b, 0), userDataLimit(b, 4), userDataLimit(b, 8),
                userDataLimit(b, 12), early, Optional.ofNullable(qos), Optional.ofNullable(group), EMPTY);
        return withUserData(fields, tail(b, at), callerData, limits.maxCallerData());
    }

    private Frame parseAccept(byte[] b) throws ProtocolViolationException {
        int at = WireFormat.ACCEPT_FIXED_SIZE;
        Qos qos = null;
        if ((flags & WireFormat.FLAG_QOS) != 0) {
            qos = qos(b, at);
            at += WireFormat.QOS_SIZE;
        }
        Group group = null;
        if ((flags & WireFormat.FLAG_GROUP) != 0 && version < WireFormat.QOS_RENEGOTIATION_VERSION) {
            group = new Group(GroupKind.JOIN, u32(b, at), u16(b, at + 4)); // version 1: a member of group id
            at += WireFormat.ACCEPT_GROUP_SIZE;
        } else if ((flags & WireFormat.FLAG_GROUP) != 0) {
            int code = b[at] & 0xFF;
            GroupKind kind = GroupKind.ofCode(code).filter(k -> k == GroupKind.UNCONSTRAINED || k == GroupKind.CONSTRAINED)
                    .orElseThrow(() -> violation("an ACCEPT's group kind must be 2 or 3, not " + code));
            group = new Group(kind, u32(b, at + 1), u16(b, at + 5));
            at += WireFormat.ACCEPT_GROUP_SIZE_V2;
        }
        Frame.Accept fields = new Frame.Accept(u32(b, 0), userDataLimit(b, 4), Optional.ofNullable(qos),
                Optional.ofNullable(group), EMPTY);
        return withUserData(fields, tail(b, at), u32(b, 8), limits.maxCalleeData());
    }

    /** An advertised user-data limit; above the protocol's maximum it counts as the maximum. */
    private static int userDataLimit(byte[] b, int at) {
        return (int) Math.min(u32(b, at), WireFormat.MAX_USER_DATA);
    }

    private static ProtocolViolationException tooLarge(String what, long limit) {
        return new ProtocolViolationException(ReasonCode.DATA_TOO_LARGE, what + " bytes exceeds the limit of "
                + limit);
    }

    private Qos qos(byte[] b, int at) throws ProtocolViolationException {
        return new Qos(flowSpec(b, at), flowSpec(b, at + WireFormat.FLOWSPEC_SIZE));
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
