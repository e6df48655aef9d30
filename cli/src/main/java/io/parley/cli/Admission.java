package io.parley.cli;

import io.parley.AcceptCondition;
import io.parley.ConnectionRequest;
import io.parley.Decision;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The totals server's condition (WSAAccept's condition function): rejects callers without a valid name and
 * denied names, with a reason they see; defers while the most clients allowed are in progress; accepts with
 * the greeting {@code server=<id>;running-total=<T>} as callee data. It runs on the accepting thread, the
 * only one that starts sessions, so the count it sees can only fall before the accepted session starts.
 */
final class Admission implements AcceptCondition {
    private final String serverId;
    private final Set<String> denied;
    private final int maxClients;
    private final ActiveSessions sessions;
    private final RunningTotal total;
    private final Consumer<String> log;

    /** A condition for a server known as {@code serverId}. */
    Admission(String serverId, Set<String> denied, int maxClients, ActiveSessions sessions, RunningTotal total,
              Consumer<String> log) {
        this.serverId = serverId;
        this.denied = Set.copyOf(denied);
        this.maxClients = maxClients;
        this.sessions = sessions;
        this.total = total;
        this.log = log;
    }

    @Override
    public Decision decide(ConnectionRequest request) {
        String name;
        try {
            name = ClientName.parse(request.callerData());
        } catch (WireFormatException e) {
            return refuse(request, "a caller", e.getMessage());
        }
        if (denied.contains(name)) {
            return refuse(request, name, "name " + name + " is denied");
        }
        int active = sessions.count();
        if (active >= maxClients) {
            log.accept("deferred " + name + " from " + request.callerId() + ": " + active + " of " + maxClients
                    + " clients in progress");
            return Decision.defer();
        }
        Greeting greeting = new Greeting(serverId, total.current());
        log.accept("accepted " + name + " from " + request.callerId() + " (running total "
                + greeting.runningTotal() + (request.deferrals() > 0 ? ", after " + request.deferrals()
                + " deferral(s)" : "") + ")");
        return Decision.accept(greeting.encode());
    }

    private Decision refuse(ConnectionRequest request, String who, String reason) {
        log.accept("refused " + who + " from " + request.callerId() + ": " + reason);
        return Decision.reject(reason);
    }
}
