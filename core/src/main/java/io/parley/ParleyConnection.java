package io.parley;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An established Parley connection: messages both ways with their boundaries kept, a disconnect with data
 * for each direction, and a close indication that says how it ended. Blocking calls suit virtual threads.
 * One thread may send while another receives; sends from several threads are serialised whole.
 */
public interface ParleyConnection extends AutoCloseable {

    /**
     * The caller data this connection was requested with (a copy).
     *
     * @return the caller data this connection was requested with (a copy)
     */
    byte[] callerData();

    /**
     * The callee data the callee answered with (a copy).
     *
     * @return the callee data the callee answered with (a copy)
     */
    byte[] calleeData();

    /**
     * The connection's QoS: the one granted at accept, or since by a renegotiation ({@link #requestQos}); empty
     * if none was negotiated. Reading it re-enables FD_QOS (SIO_GET_QOS).
     *
     * @return the connection's QoS, empty if none was negotiated
     */
    Optional<Qos> qos();

    /**
     * Asks the peer for a new QoS (SIO_SET_QOS) and waits, up to {@code timeout}, for its answer; the peer's
     * {@link QosRenegotiation} decides. Granted, the answer is the connection's QoS from then on on both sides,
     * each policing its own direction of it, and both get FD_QOS. Needs protocol version 2 on both sides.
     * Non-blocking, the request is sent and this throws {@link WouldBlockException} at once: FD_QOS reports the
     * answer, {@link #qos()} has it. Requests from several threads go one after the other.
     *
     * @param wanted  the QoS asked for, from the caller's point of view
     * @param timeout how long to wait for the answer; zero waits without bound
     * @return the granted QoS
     * @throws QosRefusedException            the peer refused; the QoS is as it was (SHUTTING_DOWN when its
     *                                        disconnect arrived before an answer)
     * @throws OperationNotSupportedException the peer speaks protocol version 1 only
     * @throws ShutdownException              a disconnect was sent or received before: the QoS is final
     * @throws TimedOutException              no answer within {@code timeout} (it may still come)
     * @throws WouldBlockException            non-blocking: the request was sent (or another one still waits)
     * @throws ConnectionEndedException       the connection was reset or aborted
     * @throws ClosedException                after {@link #close()}
     */
    Qos requestQos(Qos wanted, Duration timeout) throws IOException;

    /**
     * The group the connection joined, empty if none.
     *
     * @return the group the connection joined, empty if none
     */
    Optional<Group> group();

    /**
     * This side's address.
     *
     * @return this side's address
     */
    SocketAddress localAddress();

    /**
     * The peer's address.
     *
     * @return the peer's address
     */
    SocketAddress remoteAddress();

    /**
     * Sends one message (copied before this returns). Blocks while more than the send buffer is queued,
     * up to the send timeout; non-blocking, fails with {@link WouldBlockException} then, and FD_WRITE tells
     * when there is room again. Small sends made while an earlier write is in progress are coalesced into
     * one system call.
     *
     * @param message the message: the bytes between its position and limit, which are consumed
     * @throws MessageTooLargeException over the peer's message limit, or the granted MaxSduSize; nothing was sent
     * @throws ShutdownException        after {@link #sendDisconnect}, when the peer closed, or when the
     *                                  granted QoS carries no traffic this way (NO_TRAFFIC)
     * @throws TimedOutException        no buffer space within the send timeout; nothing was sent
     * @throws WouldBlockException      non-blocking, and the send buffer is full; nothing was sent
     * @throws ConnectionEndedException the connection was reset or aborted
     * @throws ClosedException          after {@link #close()}
     */
    void send(ByteBuffer message) throws IOException;

    /**
     * Sends one message; see {@link #send(ByteBuffer)}.
     *
     * @param message the message
     * @throws IOException as {@link #send(ByteBuffer)}
     */
    default void send(byte[] message) throws IOException {
        send(ByteBuffer.wrap(message));
    }

    /**
     * Receives the next whole message, blocking until one arrives; returns null once the peer's
     * disconnect arrived and every message before it was received (recv()==0, WSAEDISCON). The receiving
     * thread reads the socket itself when nobody else does; as with a plain socket on a virtual thread,
     * interrupting it while it reads closes the connection (aborted) and this throws
     * {@link java.io.InterruptedIOException}.
     *
     * @return the message, or null once the peer's disconnect arrived
     * @throws WouldBlockException      non-blocking, and no message has arrived
     * @throws ConnectionEndedException the connection was reset or aborted before the peer's disconnect
     * @throws ShutdownException        after {@link #receiveDisconnect()}
     * @throws ClosedException          after {@link #close()}
     */
    byte[] receive() throws IOException;

    /**
     * As {@link #receive()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero waits without bound
     * @return the message, or null once the peer's disconnect arrived
     * @throws TimedOutException nothing arrived in time; nothing was lost
     * @throws IOException       as {@link #receive()}
     */
    byte[] receive(Duration timeout) throws IOException;

    /**
     * Receives the next message, or the next piece of it, into {@code into} (WSARecv with MSG_PARTIAL): as
     * many bytes as fit, from the buffer's position on; a message longer than the room left is delivered over
     * several calls, each but the last answering {@link MessagePart#PARTIAL}, so a message never needs to be
     * held whole by the receiver [P2]. Blocks as {@link #receive()} does until something arrives. A
     * {@link #receive()} after a partial receive returns the rest of that message.
     *
     * @param into where the bytes go; its position advances past them
     * @return {@link MessagePart#MESSAGE_END} when the message ended in {@code into},
     *         {@link MessagePart#PARTIAL} when it continues, {@link MessagePart#DISCONNECTED} (nothing copied)
     *         once the peer's disconnect arrived
     * @throws IllegalArgumentException {@code into} has no room left
     * @throws WouldBlockException      non-blocking, and nothing has arrived
     * @throws ConnectionEndedException the connection was reset or aborted before the peer's disconnect
     * @throws ShutdownException        after {@link #receiveDisconnect()}
     * @throws ClosedException          after {@link #close()}
     */
    MessagePart receive(ByteBuffer into) throws IOException;

    /**
     * Makes the calls that wait non-blocking (FIONBIO), or blocking again: non-blocking,
     * {@link #receive()}, {@link #receive(ByteBuffer)} and {@link #send(ByteBuffer)} throw
     * {@link WouldBlockException} (WSAEWOULDBLOCK) and change nothing where they would wait, and a send never
     * writes to the transport on the calling thread. {@link #sendDisconnect}, {@link #receiveDisconnect()} and
     * a default {@link #close()} never block anyway; a close with a linger timeout still waits for it.
     * Connections start blocking; those accepted from a non-blocking listener start non-blocking.
     *
     * @param blocking false for non-blocking calls
     */
    void configureBlocking(boolean blocking);

    /**
     * True while calls wait (the default); see {@link #configureBlocking}.
     *
     * @return true while calls wait
     */
    boolean isBlocking();

    /**
     * Ends this side's sending with disconnect data (WSASendDisconnect). Never blocks; the data is
     * delivered after every message sent before. Receiving goes on.
     *
     * @param data the disconnect data (copied), possibly empty
     * @throws MessageTooLargeException over the peer's disconnect-data limit; nothing was sent
     * @throws ShutdownException        if this side's sending already ended
     */
    void sendDisconnect(byte[] data) throws IOException;

    /**
     * Takes the peer's disconnect data (WSARecvDisconnect) once its disconnect arrived and every message
     * before it was received; receiving then ends. Never blocks and never discards anything: called earlier,
     * it fails with {@link WouldBlockException} and changes nothing.
     *
     * @return a copy of the peer's disconnect data, possibly empty
     * @throws WouldBlockException      the peer's disconnect has not arrived, or messages are still unread
     * @throws ConnectionEndedException the connection was reset or aborted instead
     */
    byte[] receiveDisconnect() throws IOException;

    /**
     * The close indication (FD_CLOSE), completed once when the peer's sending ended: {@code GRACEFUL} when
     * its disconnect arrived (after every message before it), or {@code RESET} / {@code ABORTED} when the
     * connection broke. Completes without anybody receiving.
     *
     * @return the future of the close indication; never completed exceptionally
     */
    CompletableFuture<CloseIndication> closeIndication();

    /**
     * Completes once the whole connection has ended: {@code GRACEFUL} only when both disconnects crossed and
     * the peer acknowledged this side's (so it received this side's disconnect data and every message before
     * it); {@code UNCONFIRMED} when this side's disconnect was sent and the peer's received, but the transport
     * ended (or the linger bound passed) before the acknowledgement: the peer may or may not have this side's
     * disconnect data; otherwise as the connection broke. Completes after {@link #close()} too: the
     * acknowledgement is awaited in the background.
     *
     * @return the future of the connection's end; never completed exceptionally
     */
    CompletableFuture<CloseIndication> termination();

    /**
     * Closes the connection (closesocket) as the linger setting says. By default it returns at once and
     * everything queued, disconnect data included, is still delivered; if this side had not sent its
     * disconnect, an empty one marked "closed" is sent. Messages arriving afterwards are discarded.
     * Closing twice does nothing.
     */
    @Override
    void close() throws IOException;

    /**
     * Ends both directions at once with a reason the peer sees (ABORT, APPLICATION_ABORT): queued data is
     * discarded and the peer gets {@link ConnectionResetException}. Does nothing once the connection ended.
     *
     * @param reason the text the peer gets as the ABORT's reason data (clipped to 1024 bytes of UTF-8)
     * @throws ClosedException after {@link #close()}: a close that started a graceful end is not turned into
     *                         a reset
     */
    void abort(String reason) throws IOException;
}
