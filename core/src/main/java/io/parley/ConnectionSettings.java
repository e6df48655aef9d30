package io.parley;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings every connection has, on either side.
 *
 * @param limits             size limits
 * @param linger             what close does (default {@link Linger#DONT_LINGER})
 * @param sendTimeout        how long a send may wait for buffer space before it fails with
 *                           {@link TimedOutException}; zero waits without bound (the default)
 * @param sendBufferSize     bytes queued for sending beyond which a send waits (default 256 KiB)
 * @param receiveBufferSize  bytes of received messages held for the application beyond which reading the
 *                           transport pauses (default 256 KiB)
 * @param drainTimeout       after a graceful close, how long the transport is kept to deliver what is queued
 *                           and take the peer's disconnect (default 30 s)
 */
public record ConnectionSettings(Limits limits, Linger linger, Duration sendTimeout, int sendBufferSize,
                                 int receiveBufferSize, Duration drainTimeout) {

    /** The defaults. */
    public static final ConnectionSettings DEFAULTS = new ConnectionSettings(Limits.DEFAULTS, Linger.DONT_LINGER,
            Duration.ZERO, 256 * 1024, 256 * 1024, Duration.ofSeconds(30));

    /** Validates the settings. */
    public ConnectionSettings {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(linger, "linger");
        if (sendTimeout.isNegative() || !drainTimeout.isPositive()) {
            throw new IllegalArgumentException("sendTimeout must be >= 0 and drainTimeout > 0");
        }
        if (sendBufferSize < 1 || receiveBufferSize < 1) {
            throw new IllegalArgumentException("buffer sizes must be positive");
        }
    }

    /**
     * A copy with other limits.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value out of range (a negative send timeout, a drain timeout or
     *                                  buffer size that is not positive)
     */
    public ConnectionSettings withLimits(Limits value) {
        return new ConnectionSettings(value, linger, sendTimeout, sendBufferSize, receiveBufferSize, drainTimeout);
    }

    /**
     * A copy with another linger.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value out of range (a negative send timeout, a drain timeout or
     *                                  buffer size that is not positive)
     */
    public ConnectionSettings withLinger(Linger value) {
        return new ConnectionSettings(limits, value, sendTimeout, sendBufferSize, receiveBufferSize, drainTimeout);
    }

    /**
     * A copy with another send timeout.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value out of range (a negative send timeout, a drain timeout or
     *                                  buffer size that is not positive)
     */
    public ConnectionSettings withSendTimeout(Duration value) {
        return new ConnectionSettings(limits, linger, value, sendBufferSize, receiveBufferSize, drainTimeout);
    }

    /**
     * A copy with other buffer sizes.
     *
     * @param send the send buffer size in bytes, positive
     * @param receive the receive buffer size in bytes, positive
     * @return the copy
     * @throws IllegalArgumentException for a value out of range (a negative send timeout, a drain timeout or
     *                                  buffer size that is not positive)
     */
    public ConnectionSettings withBufferSizes(int send, int receive) {
        return new ConnectionSettings(limits, linger, sendTimeout, send, receive, drainTimeout);
    }

    /**
     * A copy with another drain timeout.
     *
     * @param value the new value
     * @return the copy
     * @throws IllegalArgumentException for a value out of range (a negative send timeout, a drain timeout or
     *                                  buffer size that is not positive)
     */
    public ConnectionSettings withDrainTimeout(Duration value) {
        return new ConnectionSettings(limits, linger, sendTimeout, sendBufferSize, receiveBufferSize, value);
    }
}
