package io.parley;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/** A condition's answer to a connection request: CF_ACCEPT, CF_REJECT or CF_DEFER. */
public sealed interface Decision {

    /**
     * Accepts with no callee data, no QoS granted and no group.
     *
     * @return the decision
     */
    static Accept accept() {
        return new Accept(new byte[0], Optional.empty(), Optional.empty());
    }

    /**
     * Accepts with callee data for the caller.
     *
     * @param calleeData the callee data (copied), possibly empty; at most {@link ConnectionRequest#maxCalleeData()}
     * @return the decision
     */
    static Accept accept(byte[] calleeData) {
        return new Accept(calleeData, Optional.empty(), Optional.empty());
    }

    /**
     * Accepts with callee data and a granted QoS.
     *
     * @param calleeData the callee data (copied), possibly empty
     * @param grantedQos the granted QoS: not higher than the requested one, in either direction
     * @return the decision
     */
    static Accept accept(byte[] calleeData, Qos grantedQos) {
        return new Accept(calleeData, Optional.of(grantedQos), Optional.empty());
    }

    /**
     * Rejects with reason {@link ReasonCode#REFUSED} and no reason data.
     *
     * @return the decision
     */
    static Reject reject() {
        return new Reject(ReasonCode.REFUSED, new byte[0]);
    }

    /**
     * Rejects with reason {@link ReasonCode#REFUSED} and a reason text, sent as UTF-8 reason data.
     *
     * @param reasonText the text the caller gets in {@link ConnectionRefusedException#reasonText()}
     * @return the decision
     */
    static Reject reject(String reasonText) {
        return new Reject(ReasonCode.REFUSED, reasonText.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Rejects with a reason code and reason data.
     *
     * @param reason     the reason the caller gets; not a {@linkplain ReasonCode#isLocalOnly() local-only} one
     * @param reasonData the reason data (copied), possibly empty; what exceeds the caller's limit is not sent
     *                   (the accept reports {@link AcceptResult.AnswerTooLarge})
     * @return the decision
     */
    static Reject reject(ReasonCode reason, byte[] reasonData) {
        return new Reject(reason, reasonData);
    }

    /**
     * Defers: the request stays pending and the next accept presents it again.
     *
     * @return the decision
     */
    static Defer defer() {
        return Defer.INSTANCE;
    }

    /**
     * CF_ACCEPT: the connection is created.
     *
     * @param calleeData callee data for the caller, possibly empty
     * @param grantedQos the granted QoS, empty for none (then the connection has none)
     * @param group      the group the connection joins, empty for none
     */
    record Accept(byte[] calleeData, Optional<Qos> grantedQos, Optional<Group> group) implements Decision {
        /**
         * Copies the callee data.
         *
         * @param calleeData callee data for the caller, possibly empty
         * @param grantedQos the granted QoS, empty for none
         * @param group      the group the connection joins, empty for none
         */
        public Accept {
            calleeData = calleeData.clone();
            Objects.requireNonNull(grantedQos, "grantedQos");
            Objects.requireNonNull(group, "group");
        }

        /**
         * The callee data.
         *
         * @return a copy of the callee data
         */
        @Override
        public byte[] calleeData() {
            return calleeData.clone();
        }

        /**
         * This decision with the connection joining {@code joined}.
         *
         * @param joined the group the connection joins
         * @return a copy with that group
         */
        public Accept withGroup(Group joined) {
            return new Accept(calleeData, grantedQos, Optional.of(joined));
        }

        /**
         * Equal when the callee data has the same bytes and QoS and group are equal.
         *
         * @param other the object to compare with
         * @return whether it is an equal decision
         */
        @Override
        public boolean equals(Object other) {
            return other instanceof Accept that && Arrays.equals(calleeData, that.calleeData)
                    && grantedQos.equals(that.grantedQos) && group.equals(that.group);
        }

        /**
         * A hash of the callee data's bytes, the QoS and the group.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(calleeData) + grantedQos.hashCode()) + group.hashCode();
        }

        /**
         * The decision for a log line.
         *
         * @return its size of callee data, QoS and group
         */
        @Override
        public String toString() {
            return "Accept[calleeData=" + calleeData.length + " bytes, grantedQos=" + grantedQos + ", group=" + group
                    + "]";
        }
    }

    /**
     * CF_REJECT: the caller's connect fails with {@link ConnectionRefusedException} carrying this reason.
     *
     * @param reason     the reason code
     * @param reasonData the reason data, possibly empty (text by convention, UTF-8)
     */
    record Reject(ReasonCode reason, byte[] reasonData) implements Decision {
        /**
         * Requires a reason that can be sent, and copies the reason data.
         *
         * @param reason     the reason code; not a {@linkplain ReasonCode#isLocalOnly() local-only} one
         * @param reasonData the reason data, possibly empty
         * @throws IllegalArgumentException for a local-only reason
         */
        public Reject {
            Objects.requireNonNull(reason, "reason");
            reasonData = reasonData.clone();
            if (reason.isLocalOnly()) {
                throw new IllegalArgumentException(reason + " cannot be sent");
            }
        }

        /**
         * The reason data.
         *
         * @return a copy of the reason data
         */
        @Override
        public byte[] reasonData() {
            return reasonData.clone();
        }

        /**
         * The reason data as text; bytes that are not UTF-8 read as U+FFFD.
         *
         * @return the text, possibly empty
         */
        public String reasonText() {
            return new String(reasonData, StandardCharsets.UTF_8);
        }

        /**
         * Equal when the reason and the reason data's bytes are equal.
         *
         * @param other the object to compare with
         * @return whether it is an equal decision
         */
        @Override
        public boolean equals(Object other) {
            return other instanceof Reject that && reason == that.reason && Arrays.equals(reasonData, that.reasonData);
        }

        /**
         * A hash of the reason and the reason data's bytes.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return 31 * reason.hashCode() + Arrays.hashCode(reasonData);
        }

        /**
         * The decision for a log line.
         *
         * @return its reason and reason text
         */
        @Override
        public String toString() {
            return "Reject[" + reason + (reasonData.length == 0 ? "" : ": " + reasonText()) + "]";
        }
    }

    /** CF_DEFER. */
    enum Defer implements Decision {
        /** The only instance. */
        INSTANCE
    }
}
