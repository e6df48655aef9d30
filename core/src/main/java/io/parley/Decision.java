package io.parley;

import java.util.Objects;

/** A condition's answer to a connection request: CF_ACCEPT, CF_REJECT or CF_DEFER. */
public sealed interface Decision {

    /** Accept with no callee data and no QoS granted. */
    static Decision accept() {
        return new Accept(new byte[0], null, null);
    }

    /** Accept with callee data for the caller. */
    static Decision accept(byte[] calleeData) {
        return new Accept(calleeData, null, null);
    }

    /** Accept with callee data and the granted QoS (not higher than requested), or null for none. */
    static Decision accept(byte[] calleeData, Qos grantedQos) {
        return new Accept(calleeData, grantedQos, null);
    }

    /** Reject: the caller gets {@link ConnectionRefusedException} with reason REFUSED and no text. */
    static Decision reject() {
        return new Reject(ReasonCode.REFUSED, "");
    }

    /** Reject with a reason text (at most 1024 bytes of UTF-8) for the caller. */
    static Decision reject(String reasonText) {
        return new Reject(ReasonCode.REFUSED, reasonText);
    }

    /** Defer: keep the request pending; the next accept presents it again. */
    static Decision defer() {
        return Defer.INSTANCE;
    }

    /**
     * CF_ACCEPT.
     *
     * @param calleeData callee data for the caller, possibly empty
     * @param grantedQos the granted QoS, or null
     * @param group      the group the connection joins, or null
     */
    record Accept(byte[] calleeData, Qos grantedQos, Group group) implements Decision {
        /** Copies the callee data. */
        public Accept {
            calleeData = calleeData.clone();
        }
    }

    /** CF_REJECT with a reason code and text. */
    record Reject(ReasonCode reason, String reasonText) implements Decision {
        /** Requires a sendable reason. */
        public Reject {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(reasonText, "reasonText");
            if (reason.isLocalOnly()) {
                throw new IllegalArgumentException(reason + " cannot be sent");
            }
        }
    }

    /** CF_DEFER. */
    enum Defer implements Decision {
        /** The only instance. */
        INSTANCE
    }
}
