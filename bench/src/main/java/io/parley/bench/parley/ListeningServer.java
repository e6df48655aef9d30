package io.parley.bench.parley;

import io.parley.Listener;

import java.net.InetSocketAddress;

/**
 * A Parley server of the benchmark: a listener on a loopback port, served by the subclass's thread until
 * {@link #close()}.
 */
abstract class ListeningServer implements AutoCloseable {
    /** The listener the server accepts from. */
    protected final Listener listener;

    /**
     * A server of {@code listener}.
     *
     * @param listener a listener on a loopback port, accepted from by the subclass
     */
    ListeningServer(Listener listener) {
        this.listener = listener;
    }

    /**
     * The address the server listens on.
     *
     * @return the loopback address with the port picked
     */
    final InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening, then {@link #stopServing()}. */
    @Override
    public final void close() throws Exception {
        listener.close();
        stopServing();
    }

    /**
     * Ends the server's thread once the listener is closed, and waits for it.
     *
     * @throws InterruptedException interrupted while waiting
     */
    protected abstract void stopServing() throws InterruptedException;
}
