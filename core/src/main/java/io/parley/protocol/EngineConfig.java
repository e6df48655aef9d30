package io.parley.protocol;

/**
 * What one engine accepts and how it sends.
 *
 * @param receiveLimits   what this side accepts (and advertises to the peer)
 * @param maxFragmentSize the largest DATA payload this side sends, 1..65535
 */
public record EngineConfig(FrameLimits receiveLimits, int maxFragmentSize) {

    /** Default receive limits: 4 KiB caller, callee, disconnect and reason data, 4 MiB messages. */
    public static final FrameLimits DEFAULT_LIMITS = new FrameLimits(4096, 4096, 4096, 4096, 4L << 20);
    /** The defaults: {@link #DEFAULT_LIMITS} and 16 KiB fragments. */
    public static final EngineConfig DEFAULTS = new EngineConfig(DEFAULT_LIMITS, 16 * 1024);

    /** Validates the fragment size. */
    public EngineConfig {
        if (maxFragmentSize < 1 || maxFragmentSize > WireFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("maxFragmentSize must be 1.." + WireFormat.MAX_PAYLOAD);
        }
    }
}
