package io.parley;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller sends with its connection request and how long it waits (WSAConnect's lpCallerData,
 * lpSQOS, and the group), built with {@link #builder()}.
 */
public final class ConnectOptions {
    private final byte[] callerData;
    private final byte[] firstMessage;
    private final Qos qos;
    private final Group group;
    private final Duration connectTimeout;
    private final ConnectionSettings settings;
    private final QosRenegotiation qosRenegotiation;

    private ConnectOptions(Builder b) {
        this.callerData = b.callerData.clone();
        this.firstMessage = b.firstMessage == null ? null : b.firstMessage.clone();
        this.qos = b.qos;
        this.group = b.group;
        this.connectTimeout = b.connectTimeout;
        this.settings = b.settings;
        this.qosRenegotiation = b.qosRenegotiation;
    }

    /**
     * Options with no caller data, no QoS, no group and the default timeout (10 s) and settings.
     *
     * @return options with no caller data, no QoS, no group and the default timeout (10 s) and settings
     */
    public static ConnectOptions defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return A builder starting from the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The caller data (a copy), possibly empty.
     *
     * @return the caller data (a copy), possibly empty
     */
    public byte[] callerData() {
        return callerData.clone();
    }

    /**
     * The message sent with the request, before the callee decides (a copy), if any: see
     * {@link Builder#firstMessage(byte[])}.
     *
     * @return a copy of the first message, empty for none
     */
    public Optional<byte[]> firstMessage() {
        return Optional.ofNullable(firstMessage).map(byte[]::clone);
    }

    /**
     * The requested QoS.
     *
     * @return the QoS, empty for none
     */
    public Optional<Qos> qos() {
        return Optional.ofNullable(qos);
    }

    /**
     * The group request.
     *
     * @return the group request, empty for none
     */
    public Optional<Group> group() {
        return Optional.ofNullable(group);
    }

    /**
     * How long connect waits for the transport and the callee's decision, deferrals included.
     *
     * @return how long connect waits for the transport and the callee's decision, deferrals included
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The connection settings.
     *
     * @return the connection settings
     */
    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * How the connection answers the peer's requests for a new QoS (SIO_SET_QOS).
     *
     * @return the decision; {@link QosRenegotiation#REFUSE} unless set
     */
    public QosRenegotiation qosRenegotiation() {
        return qosRenegotiation;
    }

    /** Builds {@link ConnectOptions}. */
    public static final class Builder {
        private byte[] callerData = new byte[0];
        private byte[] firstMessage;
        private Qos qos;
        private Group group;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ConnectionSettings settings = ConnectionSettings.DEFAULTS;
        private QosRenegotiation qosRenegotiation = QosRenegotiation.REFUSE;

        private Builder() {
        }

        /**
         * Caller data sent with the request (copied); not set: none.
         *
         * @param value the caller data, possibly empty; at most the protocol's 16 MiB, and the callee refuses
         *              what exceeds its own limit with DATA_TOO_LARGE
         * @return this builder
         */
        public Builder callerData(byte[] value) {
            this.callerData = value.clone();
            return this;
        }

        /**
         * A first message (copied) sent right behind the request, in the same flight, so that a connection
         * that starts with a request needs one round trip less. The callee's application receives it as the
         * connection's first message once it accepts; a refusal discards it. The request declares its size,
         * and the callee counts it, plus 4 bytes, together with the caller data against its caller-data
         * limit (over it, the request is refused with DATA_TOO_LARGE). Not set: no first message.
         *
         * @param value the first message, possibly empty
         * @return this builder
         */
        public Builder firstMessage(byte[] value) {
            this.firstMessage = value.clone();
            return this;
        }

        /**
         * The QoS to request; not set: none (then the callee can grant none).
         *
         * @param value the requested QoS
         * @return this builder
         */
        public Builder qos(Qos value) {
            this.qos = Objects.requireNonNull(value, "qos");
            return this;
        }

        /**
         * The group to request; not set: none.
         *
         * @param value the group request
         * @return this builder
         */
        public Builder group(Group value) {
            this.group = Objects.requireNonNull(value, "group");
            return this;
        }

        /**
         * How long connect may take in all, the transport's connect and the callee's decision (deferrals
         * included); not set: 10 s.
         *
         * @param value the timeout; must be positive
         * @return this builder
         * @throws IllegalArgumentException for a timeout that is not positive
         */
        public Builder connectTimeout(Duration value) {
            if (!value.isPositive()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
            this.connectTimeout = value;
            return this;
        }

        /**
         * The connection settings; not set: {@link ConnectionSettings#DEFAULTS}.
         *
         * @param value the settings
         * @return this builder
         */
        public Builder settings(ConnectionSettings value) {
            this.settings = Objects.requireNonNull(value);
            return this;
        }

        /**
         * How the connection answers the peer's requests for a new QoS; not set: {@link QosRenegotiation#REFUSE}.
         *
         * @param value the decision
         * @return this builder
         */
        public Builder qosRenegotiation(QosRenegotiation value) {
            this.qosRenegotiation = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The options.
         *
         * @return the options
         */
        public ConnectOptions build() {
            return new ConnectOptions(this);
        }
    }
}
