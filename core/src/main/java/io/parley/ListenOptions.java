package io.parley;

import java.time.Duration;
import java.util.Objects;

/**
 * How a listener queues and admits connection requests, built with {@link #builder()}.
 */
public final class ListenOptions {
    private final int backlog;
    private final Duration handshakeTimeout;
    private final ConnectionSettings settings;
    private final QosRenegotiation qosRenegotiation;

    private ListenOptions(Builder b) {
        this.backlog = b.backlog;
        this.handshakeTimeout = b.handshakeTimeout;
        this.settings = b.settings;
        this.qosRenegotiation = b.qosRenegotiation;
    }

    /**
     * The defaults: backlog 128, handshake timeout 10 s, default connection settings.
     *
     * @return the defaults: backlog 128, handshake timeout 10 s, default connection settings
     */
    public static ListenOptions defaults() {
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
     * The most connection requests held pending (arrived whole, not yet accepted); a request beyond it is
     * refused at once with {@link ReasonCode#QUEUE_FULL}.
     *
     * @return the backlog, at least 1
     */
    public int backlog() {
        return backlog;
    }

    /**
     * How long a new transport connection may take to deliver its whole request before it is closed.
     *
     * @return how long a new transport connection may take to deliver its whole request before it is closed
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * The settings of accepted connections.
     *
     * @return the settings of accepted connections
     */
    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * How accepted connections answer the peer's requests for a new QoS (SIO_SET_QOS).
     *
     * @return the decision; {@link QosRenegotiation#REFUSE} unless set
     */
    public QosRenegotiation qosRenegotiation() {
        return qosRenegotiation;
    }

    /** Builds {@link ListenOptions}. */
    public static final class Builder {
        private int backlog = 128;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private ConnectionSettings settings = ConnectionSettings.DEFAULTS;
        private QosRenegotiation qosRenegotiation = QosRenegotiation.REFUSE;

        private Builder() {
        }

        /**
         * The pending-request queue length; not set: 128.
         *
         * @param value the backlog, at least 1
         * @return this builder
         * @throws IllegalArgumentException for a backlog below 1
         */
        public Builder backlog(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("backlog must be at least 1");
            }
            this.backlog = value;
            return this;
        }

        /**
         * How long a new transport connection may take to deliver its whole request; not set: 10 s.
         *
         * @param value the timeout; must be positive
         * @return this builder
         * @throws IllegalArgumentException for a timeout that is not positive
         */
        public Builder handshakeTimeout(Duration value) {
            if (!value.isPositive()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive");
            }
            this.handshakeTimeout = value;
            return this;
        }

        /**
         * The settings of accepted connections; not set: {@link ConnectionSettings#DEFAULTS}.
         *
         * @param value the settings
         * @return this builder
         */
        public Builder settings(ConnectionSettings value) {
            this.settings = Objects.requireNonNull(value);
            return this;
        }

        /**
         * How accepted connections answer the peer's requests for a new QoS; not set: {@link QosRenegotiation#REFUSE}.
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
        public ListenOptions build() {
            return new ListenOptions(this);
        }
    }
}
