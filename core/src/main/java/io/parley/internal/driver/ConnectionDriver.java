package io.parley.internal.driver;

import io.parley.ConnectOptions;
import io.parley.MessageTooLargeException;
import io.parley.ParleyConnection;
import io.parley.internal.EngineConfigs;
import io.parley.internal.Failures;
import io.parley.protocol.ProtocolEngine;
import io.parley.protocol.WireFormat;

import java.io.IOException;

/**
 * What a transport calls to run Parley over its streams: the caller's handshake on a connected stream. (The
 * callee's side is a {@link ConditionalListener} over the transport's {@link StreamListener}.)
 */
public final class ConnectionDriver {
    private ConnectionDriver() {
    }

    /**
     * Refuses, before the transport connects, a request larger than the protocol allows (the callee's own
     * limit cannot be known before it answers; it refuses a request over it).
     *
     * @param callerData   the caller data, as {@link ConnectOptions#callerData()} gave it
     * @param firstMessage the first message, as {@link ConnectOptions#firstMessage()} gave it, or null for none
     * @throws MessageTooLargeException caller data and first message exceed the protocol's maximum
     */
    public static void requireSendable(byte[] callerData, byte[] firstMessage) throws MessageTooLargeException {
        long requestBytes = callerData.length
                + (firstMessage == null ? 0L : firstMessage.length + WireFormat.EARLY_MESSAGE_OVERHEAD);
        if (requestBytes > WireFormat.MAX_USER_DATA) {
            throw new MessageTooLargeException("caller data and first message count " + requestBytes
                    + " bytes against the protocol's maximum of " + WireFormat.MAX_USER_DATA + "; nothing was sent");
        }
    }

    /**
     * Runs the caller's handshake on {@code stream} (WSAConnect after the transport connected): sends the
     * request and waits for the decision until {@code deadline}. A connect that fails withdraws its request
     * and closes the stream.
     *
     * @param callerData   the caller data (taken from {@code options} once, by the transport, and checked
     *                     with {@link #requireSendable})
     * @param firstMessage the first message, or null for none (likewise)
     * @param deadline     the connect timeout's end, in {@link System#nanoTime()} terms
     * @return the open connection
     * @throws IOException the refusal, timeout or failure, each as its Winsock-coded subtype
     */
    public static ParleyConnection connect(ByteStream stream, ConnectOptions options, byte[] callerData,
                                           byte[] firstMessage, long deadline) throws IOException {
        ProtocolEngine engine = ProtocolEngine.caller(EngineConfigs.of(options.settings().limits()), deadline);
        StreamConnection connection = StreamConnection.caller(stream, engine, options.settings(),
                options.qosRenegotiation());
        boolean accepted = false;
        try {
            accepted = connection.awaitAccept(options.qos(), options.group(), callerData, firstMessage);
        } finally {
            if (!accepted) {
                connection.withdraw("the connect was given up");
                connection.discard();
            }
        }
        if (!accepted) {
            throw Failures.ofConnect(connection.ending(), connection.refusalData(), connection.wasDeferred(),
                    options.connectTimeout().toMillis());
        }
        return connection;
    }
}
