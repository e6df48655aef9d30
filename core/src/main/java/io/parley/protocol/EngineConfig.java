package io.parley.protocol;

/**
 * What one engine accepts and how it sends.
 *
 * @param receiveLimits   what this side accepts (and advertises to the peer)
 * @param maxFragmentSize the largest DATA payload this side sends, 1..65535
 * @param maxVersion      the highest protocol version this side speaks (and advertises): 1, or 2 for QoS
 *                        renegotiation
 */
public record EngineConfig(FrameLimits receiveLimits, int maxFragmentSize, int maxVersion) {

    /** Default receive limits: 4 KiB caller, callee, disconnect and reason data, 4 MiB messages. */
    public static final FrameLimits DEFAULT_LIMITS = new FrameLimits(4096, 4096, 4096, 4096, 4L << 20);
    /** The defaults: {@link #DEFAULT_LIMITS}, 16 KiB fragments, version 1 only. */
    public static final EngineConfig DEFAULTS = new EngineConfig(DEFAULT_LIMITS, 16 * 1024);

    /** Validates the fragment size and the version. */
    public EngineConfig {
        if (maxFragmentSize < 1 || maxFragmentSize > WireFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("maxFragmentSize must be 1.." + WireFormat.MAX_PAYLOAD);
        }
        if (maxVersion < WireFormat.VERSION || maxVersion > WireFormat.MAX_VERSION) {
            throw new IllegalArgumentException("maxVersion must be " + WireFormat.VERSION + ".." + WireFormat.MAX_VERSION);
        }
    }

    /**
     * A configuration that speaks version 1 only.
     *
     * @param receiveLimits   what this side accepts
     * @param maxFragmentSize the largest DATA payload this side sends
     */
    public EngineConfig(FrameLimits receiveLimits, int maxFragmentSize) {
        this(receiveLimits, maxFragmentSize, WireFormat.VERSION);
    }

    /**
     * This configuration, speaking versions 1 to {@code version}.
     *
     * @param version the highest version spoken
     * @return the configuration
     */
    public EngineConfig withMaxVersion(int version) {
        return new EngineConfig(receiveLimits, maxFragmentSize, version);
    }
}
