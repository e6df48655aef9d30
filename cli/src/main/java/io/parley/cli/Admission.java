package io.parley.cli;

import io.parley.AcceptCondition;
import io.parley.ConnectionRequest;
import io.parley.Decision;
import io.parley.ReasonCode;

import java.util.Optional;
import java.util.Set;

/**
 * The totals server's condition (WSAAccept's condition function): rejects callers without a valid name and
 * denied names with {@link ReasonCode#REFUSED} and a reason text they see; defers while the most clients
 * allowed are in progress; accepts with the greeting {@code server=<id>;running-total=<T>} as callee data. It
 * only decides: the server logs what became of each request from the accept's result. It runs on the
 * accepting thread, the only one that starts sessions, so the count it sees can only fall before the
 * accepted session starts.
 */
final class Admission implements AcceptCondition {
    private final String serverId;
    private final Set<String> denied;
    private final int maxClients;
    private final ActiveSessions sessions;
    private final RunningTotal total;

    /**
     * A condition for a server known as {@code serverId}.
     *
     * @param serverId   the server's identity, sent in the greeting
     * @param denied     client names to refuse
     * @param maxClients the most sessions in progress at once; a request beyond it is deferred
     * @param sessions   the sessions in progress
     * @param total      the running total, sent in the greeting
     */
    Admission(String serverId, Set<String> denied, int maxClients, ActiveSessions sessions, RunningTotal total) {
        this.serverId = serverId;
        this.denied = Set.copyOf(denied);
        this.maxClients = maxClients;
        this.sessions = sessions;
        this.total = total;
    }

    /**
     * Decides one request: a refusal with a reason text, a deferral while the server is full, or an accept
     * with the greeting.
     *
     * @param request the pending request; its caller data should be a client name
     * @return the decision
     */
    @Override
    public Decision decide(ConnectionRequest request) {
        String name;
        try {
            name = ClientName.parse(request.callerData());
        } catch (WireFormatException e) {
            return refuse(e.getMessage());
        }
        if (denied.contains(name)) {
            return refuse("name " + name + " is denied");
        }
        if (sessions.count() >= maxClients) {
            return Decision.defer();
        }
        return Decision.accept(new Greeting(serverId, total.current()).encode());
    }

    /**
     * Names a request's caller for a log line: its name when its caller data is a valid one.
     *
     * @param request a request the condition saw, or one abandoned before it did
     * @return {@code NAME from ADDRESS}, or {@code a caller from ADDRESS} without a valid name
     */
    static String who(ConnectionRequest request) {
        Optional<String> name;
        try {
            name = Optional.of(ClientName.parse(request.callerData()));
        } catch (WireFormatException e) {
            name = Optional.empty();
        }
        return name.orElse("a caller") + " from " + request.callerId();
    }

    private static Decision refuse(String reason) {
        return Decision.reject(ReasonCode.REFUSED, Text.utf8(reason));
    }
}
