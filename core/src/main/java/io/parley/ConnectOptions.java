package io.parley;

import java.time.Duration;
import java.util.Objects;

/**
 * What a caller sends with its connection request and how long it waits (WSAConnect's lpCallerData,
 * lpSQOS, and the group), built with {@link #builder()}.
 */
public final class ConnectOptions {
    private final byte[] callerData;
    private final Qos qos;
    private final Group group;
    private final Duration connectTimeout;
    private final ConnectionSettings settings;

    private ConnectOptions(Builder b) {
        this.callerData = b.callerData.clone();
        this.qos = b.qos;
        this.group = b.group;
        this.connectTimeout = b.connectTimeout;
        this.settings = b.settings;
    }

    /** Options with no caller data, no QoS, no group and the default timeout (10 s) and settings. */
    public static ConnectOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The caller data (a copy), possibly empty. */
    public byte[] callerData() {
        return callerData.clone();
    }

    /** The requested QoS, or null for none. */
    public Qos qos() {
        return qos;
    }

    /** The group request, or null for none. */
    public Group group() {
        return group;
    }

    /** How long connect waits for the transport and the callee's decision, deferrals included. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The connection settings. */
    public ConnectionSettings settings() {
        return settings;
    }

    /** Builds {@link ConnectOptions}. */
    public static final class Builder {
        private byte[] callerData = new byte[0];
        private Qos qos;
        private Group group;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ConnectionSettings settings = ConnectionSettings.DEFAULTS;

        private Builder() {
        }

        /** Caller data sent with the request (copied). */
        public Builder callerData(byte[] value) {
            this.callerData = value.clone();
            return this;
        }

        /** The requested QoS, or null for none. */
        public Builder qos(Qos value) {
            this.qos = value;
            return this;
        }

        /** The group request, or null for none. */
        public Builder group(Group value) {
            this.group = value;
            return this;
        }

        /** How long connect may take in all; must be positive. */
        public Builder connectTimeout(Duration value) {
            if (!value.isPositive()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
            this.connectTimeout = value;
            return this;
        }

        /** The connection settings. */
        public Builder settings(ConnectionSettings value) {
            this.settings = Objects.requireNonNull(value);
            return this;
        }

        /** The options. */
        public ConnectOptions build() {
            return new ConnectOptions(this);
        }
    }
}
