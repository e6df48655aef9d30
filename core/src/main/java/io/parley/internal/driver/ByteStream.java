package io.parley.internal.driver;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The seam between the connection driver and a transport: one reliable, ordered, bidirectional byte stream
 * (a TCP socket, a TLS session, a Unix domain socket, an in-memory pipe). Everything above it, the protocol
 * engine and the whole Parley connection, is the driver's; an implementation only moves bytes and says how
 * the stream ended. There is no half-close: the driver never needs one (closing sends the end of stream).
 *
 * <p>Threads: one thread reads (the driver's read loop) and at most one writes at a time (the driver's
 * writer flag ensures it), and a read and a write may run at once. {@link #shutdownInput()}, {@link #reset()}
 * and {@link #close()} may be called from any thread, also while another thread is blocked in a read or a write,
 * which they end.
 */
public interface ByteStream {

    /**
     * Reads what has arrived, blocking until at least one byte has or the stream ended. Never timed: the
     * driver keeps its deadlines itself.
     *
     * @return the number of bytes read (at least 1), or -1 once the peer ended its sending (or the input was
     *         shut down)
     * @throws IOException the stream failed (a reset, a closed stream): nothing more can be read
     */
    int read(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Writes all of the bytes, blocking while the transport's send buffer is full.
     *
     * @throws IOException the stream failed (a reset, a closed stream); how much arrived is unknown
     */
    void write(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Wakes a reader blocked in {@link #read} without closing the stream: that read and every later one return
     * -1, while writing goes on. Does nothing if the stream is closed.
     */
    void shutdownInput() throws IOException;

    /**
     * Ends the stream abortively: what is queued is discarded and the peer sees a reset. Never blocks.
     */
    void reset() throws IOException;

    /** Ends the stream in the ordinary way (what was written is still delivered); blocked calls end. */
    void close() throws IOException;

    /**
     * This side's address.
     *
     * @return this side's address, as read while the stream was open
     */
    SocketAddress localAddress();

    /**
     * The transport's identity of the peer: its address, which a condition sees as the caller id.
     *
     * @return the peer's address, as read while the stream was open
     */
    SocketAddress remoteAddress();

    /**
     * A short name for the driver's threads (such as the peer's port).
     *
     * @return a short name for the driver's threads
     */
    String label();
}
