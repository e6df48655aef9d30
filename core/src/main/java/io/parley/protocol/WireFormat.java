package io.parley.protocol;

/** Constants of the wire protocol, versions 1 and 2, as specified in docs/protocol.md. */
public final class WireFormat {
    /** The magic bytes; {@link #magic()} hands out copies. */
    static final byte[] MAGIC = {(byte) 0x8F, 'P', 'A', 'R', 'L', 'E', 'Y', '\n'};
    /** Length of the preamble: magic, lowest and highest version spoken. */
    public static final int PREAMBLE_SIZE = MAGIC.length + 2;
    /** The first protocol version, which every Parley peer speaks. */
    public static final int VERSION = 1;
    /** The highest protocol version this implementation speaks: version 2 adds QoS renegotiation (§13). */
    public static final int MAX_VERSION = 2;
    /** The first version with QOS_REQUEST and QOS_ANSWER. */
    public static final int QOS_RENEGOTIATION_VERSION = 2;
    /** Length of a frame header: type (u8), flags (u8), payload length (u16). */
    public static final int HEADER_SIZE = 4;
    /** Largest payload a frame can declare. */
    public static final int MAX_PAYLOAD = 0xFFFF;
    /** Largest reason data in ABORT (always one frame). */
    public static final int MAX_ABORT_REASON_DATA = 1024;
    /** The least max reason data a caller may advertise: a callee can always explain a refusal in this much. */
    public static final int MIN_REASON_DATA_LIMIT = 1024;
    /**
     * Largest user data (caller, callee, REJECT reason or disconnect data) any limit may allow, and the most
     * caller data and early messages may take together: 16 MiB.
     */
    public static final int MAX_USER_DATA = 16 << 20;
    /** Length of one encoded FLOWSPEC. */
    public static final int FLOWSPEC_SIZE = 32;
    /** Frame types from this value up are ignorable extensions: an unknown one is skipped. */
    public static final int FIRST_IGNORABLE_TYPE = 0x80;
    /** The KEEPALIVE extension frame's type: an empty frame receivers skip (protocol.md §9.1). */
    public static final int KEEPALIVE_TYPE = 0x83;

    /** CONNECT and ACCEPT flag: a QoS (two flow specs) is present. */
    public static final int FLAG_QOS = 0x01;
    /** CONNECT and ACCEPT flag: a group field is present. */
    public static final int FLAG_GROUP = 0x02;
    /** DATA flag: more fragments of this message follow (the receiver holds a partial message). */
    public static final int FLAG_MORE = 0x01;
    /** DISCONNECT flag: the sender has also closed; it discards anything sent to it from now on. */
    public static final int FLAG_CLOSED = 0x01;
    /** QOS_ANSWER flag (version 2): the request is granted, and the granted QoS follows; else a reason does. */
    public static final int FLAG_GRANTED = 0x01;
    /** Length of a QoS: two FLOWSPECs. */
    public static final int QOS_SIZE = 2 * FLOWSPEC_SIZE;
    /** Length of a refusing QOS_ANSWER's payload: u16 reason. */
    public static final int QOS_REFUSAL_SIZE = 2;

    /**
     * CONNECT payload length before the optional fields: u32 max message, max callee data, max disconnect data,
     * max reason data, early length and caller data length.
     */
    public static final int CONNECT_FIXED_SIZE = 24;
    /** ACCEPT payload length before the optional fields: u32 max message, max disconnect data, callee data length. */
    public static final int ACCEPT_FIXED_SIZE = 12;
    /** REJECT payload length before the reason data: u16 reason, u32 reason data length. */
    public static final int REJECT_FIXED_SIZE = 6;
    /** DISCONNECT payload length before the disconnect data: u32 disconnect data length. */
    public static final int DISCONNECT_FIXED_SIZE = 4;
    /** Length of the group field in CONNECT: u8 kind, u32 id, u16 priority. */
    public static final int CONNECT_GROUP_SIZE = 7;
    /** Length of the group field in ACCEPT: u32 id, u16 priority. */
    public static final int ACCEPT_GROUP_SIZE = 6;
    /** Length of the group field in a version 2 ACCEPT: u8 kind (the group's), u32 id, u16 priority. */
    public static final int ACCEPT_GROUP_SIZE_V2 = 7;
    /** Length of the MESSAGE_SIZE payload: u32 size of the next message. */
    public static final int MESSAGE_SIZE_LENGTH = 4;
    /**
     * What each early message (sent before the callee's answer) costs beyond its size, counted with the
     * caller data against the callee's caller-data limit: empty early messages are not free.
     */
    public static final int EARLY_MESSAGE_OVERHEAD = 4;

    private WireFormat() {
    }

    /**
     * The eight magic bytes that open every Parley stream, in both directions.
     *
     * @return a copy of the magic bytes
     */
    public static byte[] magic() {
        return MAGIC.clone();
    }
}
