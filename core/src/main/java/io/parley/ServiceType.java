package io.parley;

/**
 * The FLOWSPEC service type (the low bits of Winsock's ServiceType field), ordered from least to most
 * demanding where an order exists.
 */
public enum ServiceType {
    /** SERVICETYPE_NOTRAFFIC: no traffic in this direction. */
    NO_TRAFFIC(0x0, 0),
    /** SERVICETYPE_BESTEFFORT. */
    BEST_EFFORT(0x1, 1),
    /** SERVICETYPE_CONTROLLEDLOAD. */
    CONTROLLED_LOAD(0x2, 2),
    /** SERVICETYPE_GUARANTEED. */
    GUARANTEED(0x3, 3),
    /** SERVICETYPE_NETWORK_UNAVAILABLE: the network cannot provide the service. */
    NETWORK_UNAVAILABLE(0x4, -1),
    /** SERVICETYPE_GENERAL_INFORMATION: all service types are supported. */
    GENERAL_INFORMATION(0x5, -1),
    /** SERVICETYPE_NOCHANGE: keep the service type already in effect. */
    NO_CHANGE(0x6, -1),
    /** SERVICETYPE_NONCONFORMING. */
    NON_CONFORMING(0x9, -1),
    /** SERVICETYPE_NETWORK_CONTROL. */
    NETWORK_CONTROL(0xA, -1),
    /** SERVICETYPE_QUALITATIVE. */
    QUALITATIVE(0xD, -1),
    /** QOS_NOT_SPECIFIED: left to the provider (the whole 32-bit field is 0xFFFFFFFF on the wire). */
    NOT_SPECIFIED(-1, -1);

    /** Mask of the service type value inside the 32-bit wire field; the byte above it holds flags. */
    public static final int TYPE_MASK = 0x00FF_FFFF;

    private final int code;
    private final int level;

    ServiceType(int code, int level) {
        this.code = code;
        this.level = level;
    }

    /**
     * The value in the low 24 bits of the wire field; -1 for {@link #NOT_SPECIFIED}.
     *
     * @return the value in the low 24 bits of the wire field; -1 for {@link #NOT_SPECIFIED}
     */
    public int code() {
        return code;
    }

    /**
     * The rank among the service levels that can be compared (no traffic, best effort, controlled load,
     * guaranteed), or -1 for the others.
     *
     * @return the rank, or -1
     */
    public int level() {
        return level;
    }

    /**
     * The service type for a 24-bit wire value (flags already masked off).
     *
     * @param code the wire value
     * @return the service type, empty if unknown
     */
    public static java.util.Optional<ServiceType> ofCode(int code) {
        for (ServiceType type : values()) {
            if (type.code == code) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }
}
