package io.parley.bench.parley;

import io.parley.NetworkEvent;
import io.parley.NetworkEvents;
import io.parley.ParleyConnection;
import io.parley.bench.harness.Payloads;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's side of one lifecycle on the {@link EventServer}: the steps of {@code ParleyLifecycle.serve},
 * taken event by event. Each of serve's two receives is taken when the connection records it can complete:
 * the request at FD_READ (at once if it came with the connection request), the end of the client's messages at
 * FD_CLOSE (null; it throws if the connection broke, as serve's receive does).
 */
final class LifecycleSession implements EventServer.Session {

    /** The receive of serve's that comes next. */
    private enum Next { REQUEST, END_OF_MESSAGES }

    private final LongAdder served;
    private Next next = Next.REQUEST;

    /**
     * A lifecycle that has received nothing yet.
     *
     * @param served counts each lifecycle served to its end
     */
    LifecycleSession(LongAdder served) {
        this.served = served;
    }

    @Override
    public boolean onEvents(ParleyConnection c, NetworkEvents events) throws IOException {
        if (events.has(NetworkEvent.READ) && received(c, c.receive())) {
            return true;
        }
        // At FD_CLOSE the receive answers null (error 0) or throws (the connection broke), as serve's would.
        return events.has(NetworkEvent.CLOSE) && received(c, c.receive());
    }

    /** What serve does after each receive; true once the lifecycle is served (the server then closes). */
    private boolean received(ParleyConnection c, byte[] message) throws IOException {
        return switch (next) {
            case REQUEST -> {
                Payloads.check("request", Payloads.REQUEST, message);
                c.send(Payloads.RESPONSE);
                next = Next.END_OF_MESSAGES;
                yield false;
            }
            case END_OF_MESSAGES -> {
                Payloads.check("end of the client's messages", null, message);
                Payloads.check("client disconnect data", Payloads.CLIENT_BYE, c.receiveDisconnect());
                c.sendDisconnect(Payloads.SERVER_BYE);
                served.increment();
                yield true;
            }
        };
    }
}
