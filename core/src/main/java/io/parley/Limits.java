package io.parley;

/**
 * Size limits of a connection, each with a default that is safe on the open internet. A limit applies to
 * what this side receives, and is advertised to the peer before the peer sends; what this side sends is
 * checked against the peer's advertised limit: data over it fails at the sender with
 * {@link MessageTooLargeException} before anything is sent.
 *
 * <p>A caller cannot know the callee's caller-data limit: it sends any caller data up to the protocol's
 * maximum (16 MiB, together with its first message) and a callee with a smaller limit refuses the request
 * ({@link ConnectionRefusedException} with {@link ReasonCode#DATA_TOO_LARGE}) before reading it.
 *
 * @param maxCallerData     caller data with early messages (connect request), bytes; default 4096, at most 16 MiB
 * @param maxCalleeData     callee data (accept answer), bytes; default 4096, at most 16 MiB
 * @param maxDisconnectData disconnect data, bytes; default 4096, at most 16 MiB
 * @param maxReasonData     reason data of a refusal, bytes; default 4096, at least 1024, at most 16 MiB
 * @param maxMessageSize    one message, bytes; default 4 MiB
 * @param maxFragmentSize   the largest piece a message is sent in, bytes; default 16384, at most 65535
 */
public record Limits(int maxCallerData, int maxCalleeData, int maxDisconnectData, int maxReasonData,
                     long maxMessageSize, int maxFragmentSize) {

    /** The defaults. */
    public static final Limits DEFAULTS = new Limits(4096, 4096, 4096, 4096, 4L << 20, 16 * 1024);

    /** Validates every limit against the protocol's maxima. */
    public Limits {
        new io.parley.protocol.EngineConfig(new io.parley.protocol.FrameLimits(maxCallerData, maxCalleeData,
                maxDisconnectData, maxReasonData, maxMessageSize), maxFragmentSize);
    }

    /**
     * A copy with another caller-data limit.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value beyond the protocol's range
     */
    public Limits withMaxCallerData(int value) {
        return new Limits(value, maxCalleeData, maxDisconnectData, maxReasonData, maxMessageSize, maxFragmentSize);
    }

    /**
     * A copy with another callee-data limit.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value beyond the protocol's range
     */
    public Limits withMaxCalleeData(int value) {
        return new Limits(maxCallerData, value, maxDisconnectData, maxReasonData, maxMessageSize, maxFragmentSize);
    }

    /**
     * A copy with another disconnect-data limit.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value beyond the protocol's range
     */
    public Limits withMaxDisconnectData(int value) {
        return new Limits(maxCallerData, maxCalleeData, value, maxReasonData, maxMessageSize, maxFragmentSize);
    }

    /**
     * A copy with another reason-data limit.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value beyond the protocol's range
     */
    public Limits withMaxReasonData(int value) {
        return new Limits(maxCallerData, maxCalleeData, maxDisconnectData, value, maxMessageSize, maxFragmentSize);
    }

    /**
     * A copy with another message-size limit.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value beyond the protocol's range
     */
    public Limits withMaxMessageSize(long value) {
        return new Limits(maxCallerData, maxCalleeData, maxDisconnectData, maxReasonData, value, maxFragmentSize);
    }

    /**
     * A copy with another fragment size.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value beyond the protocol's range
     */
    public Limits withMaxFragmentSize(int value) {
        return new Limits(maxCallerData, maxCalleeData, maxDisconnectData, maxReasonData, maxMessageSize, value);
    }
}
