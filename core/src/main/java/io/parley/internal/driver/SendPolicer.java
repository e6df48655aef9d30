package io.parley.internal.driver;

import io.parley.FlowSpec;
import io.parley.ServiceType;

import java.util.concurrent.TimeUnit;

/**
 * Polices one direction's sending by its granted {@link FlowSpec}: a token bucket of TokenRate and
 * TokenBucketSize, capped by PeakBandwidth, and MaxSduSize per message. Pure arithmetic on the time it is
 * given (no clock of its own), so it can be checked against exact times; guarded by the connection's lock.
 *
 * <p>A message takes as many tokens as it has bytes. It may leave once the bucket holds them, or, for a
 * message larger than the bucket, once the bucket is full; the tokens it lacked are then owed and repaid
 * before the next message. So the rate over any interval stays within TokenRate, and a burst of messages no
 * larger than the bucket stays within TokenBucketSize. PeakBandwidth spaces messages so that each has left,
 * at that bandwidth, before the next one starts.
 */
final class SendPolicer {
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    /** The bucket of a flow spec that grants a rate but no bucket size: a tenth of a second's tokens. */
    private static final double DEFAULT_BUCKET_SECONDS = 0.1;

    private final boolean noTraffic;
    private final long maxSduSize;
    /** Bytes per nanosecond; infinite when no rate is granted. */
    private final double tokensPerNano;
    private final double bucketSize;
    /** Nanoseconds per byte at PeakBandwidth; 0 when no peak is granted. */
    private final double peakNanosPerByte;
    private double tokens;
    private long refilledAt;
    /** When the previous message has left at PeakBandwidth. */
    private long peakFreeAt;

    private SendPolicer(FlowSpec spec, long now) {
        this.noTraffic = spec.serviceType() == ServiceType.NO_TRAFFIC;
        this.maxSduSize = spec.maxSduSize() == FlowSpec.NOT_SPECIFIED ? Long.MAX_VALUE : spec.maxSduSize();
        boolean rated = spec.tokenRate() != FlowSpec.NOT_SPECIFIED;
        this.tokensPerNano = rated ? spec.tokenRate() / NANOS_PER_SECOND : Double.POSITIVE_INFINITY;
        this.bucketSize = !rated ? Double.POSITIVE_INFINITY
                : spec.tokenBucketSize() != FlowSpec.NOT_SPECIFIED ? spec.tokenBucketSize()
                : Math.max(1, spec.tokenRate() * DEFAULT_BUCKET_SECONDS);
        this.peakNanosPerByte = spec.peakBandwidth() == FlowSpec.NOT_SPECIFIED || spec.peakBandwidth() == 0
                ? 0 : NANOS_PER_SECOND / spec.peakBandwidth();
        this.tokens = bucketSize;
        this.refilledAt = now;
        this.peakFreeAt = now;
    }

    /** The policer of {@code spec} starting at {@code now} with a full bucket, or null if it polices nothing. */
    static SendPolicer of(FlowSpec spec, long now) {
        boolean polices = spec.tokenRate() != FlowSpec.NOT_SPECIFIED || spec.maxSduSize() != FlowSpec.NOT_SPECIFIED
                || spec.peakBandwidth() != FlowSpec.NOT_SPECIFIED && spec.peakBandwidth() != 0
                || spec.serviceType() == ServiceType.NO_TRAFFIC;
        return polices ? new SendPolicer(spec, now) : null;
    }

    /** True if the direction was granted no traffic (SERVICETYPE_NOTRAFFIC): nothing may be sent. */
    boolean noTraffic() {
        return noTraffic;
    }

    /** The largest message allowed (MaxSduSize), {@link Long#MAX_VALUE} when none is granted. */
    long maxSduSize() {
        return maxSduSize;
    }

    /** Nanoseconds from {@code now} until a message of {@code size} bytes may leave; 0 if it may now. */
    long delay(int size, long now) {
        refill(now);
        double needed = Math.min(size, bucketSize);
        long bucketDelay = tokens >= needed ? 0 : (long) Math.ceil((needed - tokens) / tokensPerNano);
        return Math.max(bucketDelay, Math.max(0, peakFreeAt - now));
    }

    /** Takes a message of {@code size} bytes that {@link #delay} allowed at {@code now}. */
    void take(int size, long now) {
        refill(now);
        tokens -= size;
        if (peakNanosPerByte > 0) {
            peakFreeAt = Math.max(peakFreeAt, now) + (long) Math.ceil(size * peakNanosPerByte);
        }
    }

    private void refill(long now) {
        if (tokensPerNano != Double.POSITIVE_INFINITY && now > refilledAt) {
            tokens = Math.min(bucketSize, tokens + (now - refilledAt) * tokensPerNano);
        }
        refilledAt = Math.max(refilledAt, now);
    }
}
