package io.parley;

import java.util.Objects;

/**
 * One direction's quality of service, field for field as Winsock's FLOWSPEC. Numeric fields are unsigned
 * 32-bit values held in a {@code long}; {@link #NOT_SPECIFIED} (QOS_NOT_SPECIFIED) leaves a field to the
 * provider.
 *
 * @param tokenRate          permitted sending rate, bytes per second
 * @param tokenBucketSize    largest burst, bytes
 * @param peakBandwidth      upper limit on the sending rate, bytes per second
 * @param latency            maximum acceptable delay, microseconds
 * @param delayVariation     maximum acceptable delay variation, microseconds
 * @param serviceType        the service level asked for
 * @param serviceFlags       the flag bits of the ServiceType field (only the top byte, e.g.
 *                           {@link #SERVICE_NO_QOS_SIGNALING}); 0 when the service type is not specified
 * @param maxSduSize         largest packet (message) size, bytes
 * @param minimumPolicedSize smallest size policed, bytes
 */
public record FlowSpec(long tokenRate, long tokenBucketSize, long peakBandwidth, long latency,
                       long delayVariation, ServiceType serviceType, int serviceFlags, long maxSduSize,
                       long minimumPolicedSize) {

    /** QOS_NOT_SPECIFIED: the field is left to the provider. */
    public static final long NOT_SPECIFIED = 0xFFFF_FFFFL;
    /** SERVICE_NO_TRAFFIC_CONTROL flag bits. */
    public static final int SERVICE_NO_TRAFFIC_CONTROL = 0x8100_0000;
    /** SERVICE_NO_QOS_SIGNALING flag bit. */
    public static final int SERVICE_NO_QOS_SIGNALING = 0x4000_0000;

    /** A flow spec that leaves everything to the provider. */
    public static final FlowSpec UNSPECIFIED = new FlowSpec(NOT_SPECIFIED, NOT_SPECIFIED, NOT_SPECIFIED,
            NOT_SPECIFIED, NOT_SPECIFIED, ServiceType.NOT_SPECIFIED, 0, NOT_SPECIFIED, NOT_SPECIFIED);

    /** Validates ranges: numeric fields are unsigned 32-bit, flags only in the top byte. */
    public FlowSpec {
        Objects.requireNonNull(serviceType, "serviceType");
        for (long field : new long[] {tokenRate, tokenBucketSize, peakBandwidth, latency, delayVariation,
                maxSduSize, minimumPolicedSize}) {
            if (field < 0 || field > NOT_SPECIFIED) {
                throw new IllegalArgumentException("FLOWSPEC fields are unsigned 32-bit values: " + field);
            }
        }
        if ((serviceFlags & ServiceType.TYPE_MASK) != 0) {
            throw new IllegalArgumentException("service flags only use the top byte: 0x"
                    + Integer.toHexString(serviceFlags));
        }
        if (serviceType == ServiceType.NOT_SPECIFIED && serviceFlags != 0) {
            throw new IllegalArgumentException("an unspecified service type carries no flags");
        }
    }

    /**
     * A best-effort flow spec with the given token rate and bucket size, everything else unspecified.
     *
     * @param tokenRate       the token rate in bytes per second
     * @param tokenBucketSize the token bucket size in bytes
     * @return the flow spec
     */
    public static FlowSpec bestEffort(long tokenRate, long tokenBucketSize) {
        return new FlowSpec(tokenRate, tokenBucketSize, NOT_SPECIFIED, NOT_SPECIFIED, NOT_SPECIFIED,
                ServiceType.BEST_EFFORT, 0, NOT_SPECIFIED, NOT_SPECIFIED);
    }

    /**
     * The 32-bit ServiceType field as sent on the wire: type code and flags, or 0xFFFFFFFF.
     *
     * @return the 32-bit ServiceType field as sent on the wire: type code and flags, or 0xFFFFFFFF
     */
    public int serviceTypeField() {
        return serviceType == ServiceType.NOT_SPECIFIED ? -1 : serviceType.code() | serviceFlags;
    }

    /**
     * True if this (granted) flow spec asks for no more than {@code requested}: rates, bucket and sizes
     * not higher, latency and delay variation not lower, service level not higher. A field the request left
     * unspecified may be granted with any value.
     *
     * @param requested the requested flow spec
     * @return whether this grant stays within the request
     */
    public boolean doesNotExceed(FlowSpec requested) {
        return atMost(tokenRate, requested.tokenRate)
                && atMost(tokenBucketSize, requested.tokenBucketSize)
                && atMost(peakBandwidth, requested.peakBandwidth)
                && atLeast(latency, requested.latency)
                && atLeast(delayVariation, requested.delayVariation)
                && atMost(maxSduSize, requested.maxSduSize)
                && atMost(minimumPolicedSize, requested.minimumPolicedSize)
                && serviceNotHigher(requested.serviceType);
    }

    private static boolean atMost(long granted, long requested) {
        return requested == NOT_SPECIFIED || (granted != NOT_SPECIFIED && granted <= requested);
    }

    private static boolean atLeast(long granted, long requested) {
        return requested == NOT_SPECIFIED || granted == NOT_SPECIFIED || granted >= requested;
    }

    private boolean serviceNotHigher(ServiceType requested) {
        if (requested == ServiceType.NOT_SPECIFIED || serviceType == requested) {
            return true;
        }
        return serviceType.level() >= 0 && requested.level() >= 0 && serviceType.level() <= requested.level();
    }
}
