package io.parley.internal.events;

import io.parley.ClosedException;
import io.parley.ConnectOptions;
import io.parley.NetworkEvent;
import io.parley.ParleyConnection;
import io.parley.PendingConnect;
import io.parley.Transport;
import io.parley.WinsockCoded;
import io.parley.WinsockError;
import io.parley.WouldBlockException;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link PendingConnect}: the transport's blocking connect, run on a virtual thread of its own that lives
 * only as long as the connect. Its end is the FD_CONNECT it reports.
 */
public final class BackgroundConnect implements PendingConnect, EventSource {
    private static final System.Logger LOG = System.getLogger("io.parley.events");

    private final SocketAddress address;
    private final ReentrantLock lock = new ReentrantLock();
    private final EventSelection selection = new EventSelection(lock, this);
    private Thread connecting;
    private boolean done;
    private boolean cancelled;
    private boolean handedOut;
    private ParleyConnection connection;
    private IOException failure;

    private BackgroundConnect(SocketAddress address) {
        this.address = address;
    }

    /** Starts {@code transport}'s connect to {@code address} in the background. */
    public static PendingConnect start(Transport transport, SocketAddress address, ConnectOptions options) {
        BackgroundConnect pending = new BackgroundConnect(address);
        pending.lock.lock();
        try {
            pending.connecting = Thread.ofVirtual().name("parley-connect-" + address).start(() -> pending.run(transport, options));
        } finally {
            pending.lock.unlock();
        }
        return pending;
    }

    private void run(Transport transport, ConnectOptions options) {
        try {
            finished(transport.connect(address, options), null);
        } catch (IOException e) {
            finished(null, e);
        } catch (Throwable t) {
            finished(null, new IOException("the connect failed: " + t, t));
            if (t instanceof Error error) {
                throw error;
            }
        }
    }

    private void finished(ParleyConnection opened, IOException failed) {
        boolean closeIt;
        lock.lock();
        try {
            done = true;
            connection = opened;
            failure = failed;
            closeIt = cancelled && opened != null;
            reportLevels();
        } finally {
            lock.unlock();
        }
        if (closeIt) {
            Thread.interrupted(); // the cancel's interrupt came too late for the connect; the close must not see it
            closeQuietly(opened);
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return address;
    }

    @Override
    public boolean isDone() {
        lock.lock();
        try {
            return done || cancelled;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ParleyConnection finish() throws IOException {
        lock.lock();
        try {
            if (cancelled) {
                throw new ClosedException("the connect to " + address + " was cancelled");
            }
            if (!done) {
                throw new WouldBlockException("the connect to " + address + " has not finished");
            }
            if (failure != null) {
                throw failure;
            }
            handedOut = true;
            return connection;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel() {
        ParleyConnection toClose = null;
        lock.lock();
        try {
            if (cancelled || handedOut) {
                return;
            }
            cancelled = true;
            selection.cancel(); // nothing will be reported: the key ends with the connect
            if (!done) {
                connecting.interrupt(); // the connect withdraws its request and fails; finished() sees it
            } else {
                toClose = connection;
            }
        } finally {
            lock.unlock();
        }
        if (toClose != null) {
            closeQuietly(toClose);
        }
    }

    private static void closeQuietly(ParleyConnection connection) {
        try {
            connection.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a cancelled connect''s connection failed: {0}", e.getMessage());
        }
    }

    @Override
    public Set<NetworkEvent> reportable() {
        return Set.of(NetworkEvent.CONNECT);
    }

    @Override
    public EventSelection selection() {
        return selection;
    }

    @Override
    public boolean isClosed() {
        return cancelled;
    }

    /** A cancelled connect reports nothing: nobody waits for it any more. */
    @Override
    public void reportLevels() {
        if (done && !cancelled) {
            selection.report(EventSelection.bit(NetworkEvent.CONNECT), failure == null ? WinsockError.NO_ERROR
                    : failure instanceof WinsockCoded coded ? coded.winsockError() : WinsockError.WSAECONNABORTED);
        }
    }

    @Override
    public String toString() {
        return "PendingConnect[" + address + "]";
    }
}
