package io.parley.protocol;

/**
 * What a receiver accepts: the decoder rejects any declared length beyond these before it allocates.
 *
 * @param maxCallerData     largest caller data in CONNECT
 * @param maxCalleeData     largest callee data in ACCEPT
 * @param maxDisconnectData largest disconnect data in DISCONNECT
 * @param maxReasonData     largest reason data in REJECT, at least {@link WireFormat#MIN_REASON_DATA_LIMIT}
 * @param maxMessageSize    largest message, all fragments together
 */
public record FrameLimits(int maxCallerData, int maxCalleeData, int maxDisconnectData, int maxReasonData,
                          long maxMessageSize) {

    /**
     * Validates ranges against the protocol's own maxima.
     *
     * @throws IllegalArgumentException when a limit is outside the range the protocol allows
     */
    public FrameLimits {
        checkUserData("maxCallerData", maxCallerData);
        checkUserData("maxCalleeData", maxCalleeData);
        checkUserData("maxDisconnectData", maxDisconnectData);
        checkUserData("maxReasonData", maxReasonData);
        if (maxReasonData < WireFormat.MIN_REASON_DATA_LIMIT) {
            throw new IllegalArgumentException("maxReasonData must be at least " + WireFormat.MIN_REASON_DATA_LIMIT
                    + ": " + maxReasonData);
        }
        if (maxMessageSize < 0 || maxMessageSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxMessageSize must be 0.." + (Integer.MAX_VALUE - 8));
        }
    }

    private static void checkUserData(String name, int value) {
        if (value < 0 || value > WireFormat.MAX_USER_DATA) {
            throw new IllegalArgumentException(name + " must be 0.." + WireFormat.MAX_USER_DATA + ": " + value);
        }
    }
}
