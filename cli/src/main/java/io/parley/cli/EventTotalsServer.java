package io.parley.cli;

import io.parley.AcceptResult;
import io.parley.Decision;
import io.parley.EventKey;
import io.parley.EventWaiter;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.Parley;
import io.parley.ParleyConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The totals exchange served from the one thread that calls {@link #serve()}, through an {@link EventWaiter}:
 * one accept per FD_ACCEPT, one receive per FD_READ, and at FD_CLOSE the client's total (its disconnect data)
 * is added and the grand total sent back as this side's; a connection that broke (FD_CLOSE with an error, so
 * that taking its disconnect data fails) or misbehaved is closed, and the others go on. No thread per connection is made by the
 * application; the running total is kept in memory only (the durable server is {@link TotalsServer}).
 */
final class EventTotalsServer implements AutoCloseable {
    private final Listener listener;
    private final EventWaiter waiter = EventWaiter.open();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private volatile boolean stopping;
    private long grandTotal;

    /** Listens on {@code address} with room for {@code backlog} requests waiting at once. */
    EventTotalsServer(InetSocketAddress address, int backlog) throws IOException {
        listener = Parley.tcp().listen(address, ListenOptions.builder().backlog(backlog).build());
        listener.configureBlocking(false);
        waiter.register(listener, null);
    }

    /** The address it listens on. */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The most connections it held open at once so far. */
    int mostOpen() {
        return mostOpen.get();
    }

    /** Serves on the calling thread until {@link #stop()}. */
    void serve() throws IOException {
        while (!stopping) {
            for (EventKey key : waiter.await()) {
                NetworkEvents events = key.takeEvents();
                if (events.has(NetworkEvent.ACCEPT)) {
                    acceptOne();
                }
                if (key.source() instanceof ParleyConnection connection) {
                    serve(key, connection, events);
                }
            }
        }
    }

    private void acceptOne() throws IOException {
        if (listener.accept(request -> Decision.accept()) instanceof AcceptResult.Accepted accepted) {
            waiter.register(accepted.connection(), EnumSet.of(NetworkEvent.READ, NetworkEvent.CLOSE), null);
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        }
    }

    private void serve(EventKey key, ParleyConnection connection, NetworkEvents events) throws IOException {
        try {
            if (events.has(NetworkEvent.READ)) {
                connection.receive(); // a client sends only its disconnect; anything else is read and dropped
            }
            if (events.has(NetworkEvent.CLOSE)) {
                byte[] total = connection.receiveDisconnect();
                grandTotal += Long.parseLong(new String(total, StandardCharsets.US_ASCII));
                connection.sendDisconnect(Long.toString(grandTotal).getBytes(StandardCharsets.US_ASCII));
                end(key, connection);
            }
        } catch (IOException | NumberFormatException e) {
            end(key, connection); // this connection only: reset, aborted, or not a totals client
        }
    }

    private void end(EventKey key, ParleyConnection connection) throws IOException {
        key.cancel();
        connection.close();
        open.decrementAndGet();
    }

    /** Makes {@link #serve()} return after the events at hand. */
    void stop() {
        stopping = true;
        waiter.wakeup();
    }

    @Override
    public void close() throws IOException {
        waiter.close();
        listener.close();
    }
}
