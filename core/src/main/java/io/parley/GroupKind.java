package io.parley;

/** What a connection request asks about socket groups (Winsock's GROUP parameter). */
public enum GroupKind {
    /** No group (GROUP 0). */
    NONE(0),
    /** Join the existing group with the given id. */
    JOIN(1),
    /** Create a new group any connection may join (SG_UNCONSTRAINED_GROUP). */
    UNCONSTRAINED(2),
    /** Create a new group whose members all connect to the same address (SG_CONSTRAINED_GROUP). */
    CONSTRAINED(3);

    private final int code;

    GroupKind(int code) {
        this.code = code;
    }

    /**
     * The 8-bit value on the wire.
     *
     * @return the 8-bit value on the wire
     */
    public int code() {
        return code;
    }

    /**
     * The kind for a wire value.
     *
     * @param code the wire value
     * @return the kind, empty if unknown
     */
    public static java.util.Optional<GroupKind> ofCode(int code) {
        for (GroupKind kind : values()) {
            if (kind.code == code) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
