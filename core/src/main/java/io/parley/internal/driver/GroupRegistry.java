package io.parley.internal.driver;

import io.parley.Group;
import io.parley.GroupKind;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A listener's socket groups [A7]: a group is created when an accept grants a request to create one (the
 * registry picks its id), joined when an accept grants a join of an existing id, and lives while it has
 * connections. A constrained group takes only callers from the host of the connection that created it, to
 * the same address. Every method is synchronized: each is short and calls nothing outside.
 */
final class GroupRegistry {
    /** One group: its kind, where its members come from and go to, and how many it has. */
    private static final class Entry {
        final GroupKind kind;
        final SocketAddress callerHost;
        final SocketAddress calleeAddress;
        int members;

        Entry(GroupKind kind, SocketAddress callerHost, SocketAddress calleeAddress) {
            this.kind = kind;
            this.callerHost = callerHost;
            this.calleeAddress = calleeAddress;
        }
    }

    private final Map<Long, Entry> groups = new HashMap<>();
    private long lastId;

    /** Why a request to join {@code wanted} cannot be granted, or empty if it can (or it is not a join). */
    synchronized Optional<String> refusal(Group wanted, SocketAddress callerId, SocketAddress calleeId) {
        if (wanted.kind() != GroupKind.JOIN) {
            return Optional.empty();
        }
        Entry group = groups.get(wanted.id());
        if (group == null) {
            return Optional.of("there is no group " + wanted.id() + " to join");
        }
        if (group.kind == GroupKind.CONSTRAINED
                && (!host(callerId).equals(group.callerHost) || !calleeId.equals(group.calleeAddress))) {
            return Optional.of("group " + wanted.id() + " is constrained to callers of " + group.callerHost + " to "
                    + group.calleeAddress);
        }
        return Optional.empty();
    }

    /**
     * Admits a connection to the group an accept grants: a new one for a create (with a fresh id), the existing
     * one for a join. Empty if the grant cannot be admitted ({@link #refusal}); leave the result with
     * {@link #leave} when the connection ends, or if it never opens.
     */
    synchronized Optional<Group> admit(Group granted, SocketAddress callerId, SocketAddress calleeId) {
        if (granted.kind() == GroupKind.NONE) {
            return Optional.empty();
        }
        if (refusal(granted, callerId, calleeId).isPresent()) {
            return Optional.empty();
        }
        if (granted.kind() == GroupKind.JOIN) {
            Entry group = groups.get(granted.id());
            group.members++;
            return Optional.of(new Group(group.kind, granted.id(), granted.priority()));
        }
        long id = freshId();
        Entry group = new Entry(granted.kind(), host(callerId), calleeId);
        group.members = 1;
        groups.put(id, group);
        return Optional.of(new Group(granted.kind(), id, granted.priority()));
    }

    /** One member of {@code group} is gone; the group ends with its last member. */
    synchronized void leave(Group group) {
        Entry entry = groups.get(group.id());
        if (entry != null && --entry.members == 0) {
            groups.remove(group.id());
        }
    }

    /** The next id no live group has: 1 to 2^32 - 1 (0 means no group on the wire). */
    private long freshId() {
        do {
            lastId = lastId == 0xFFFF_FFFFL ? 1 : lastId + 1;
        } while (groups.containsKey(lastId));
        return lastId;
    }

    private static SocketAddress host(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? new InetSocketAddress(inet.getAddress(), 0) : address;
    }
}
