package io.parley;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The network events recorded for one registration since they were last taken, each with its own error
 * code (what WSAEnumNetworkEvents returns) [E2].
 *
 * @param events the events that occurred
 * @param errors each occurred event's error code, {@link WinsockError#NO_ERROR} for success
 */
public record NetworkEvents(Set<NetworkEvent> events, Map<NetworkEvent, WinsockError> errors) {

    /** No events. */
    public static final NetworkEvents NONE = new NetworkEvents(Set.of(), Map.of());

    /** Copies both; every event has exactly one error code. */
    public NetworkEvents {
        events = events.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(events));
        errors = errors.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(errors));
        if (!errors.keySet().equals(events)) {
            throw new IllegalArgumentException("errors " + errors + " do not match events " + events);
        }
    }

    /**
     * True if {@code event} occurred.
     *
     * @param event the event
     * @return true if {@code event} occurred
     */
    public boolean has(NetworkEvent event) {
        return events.contains(event);
    }

    /**
     * The error code of {@code event}.
     *
     * @param event an event that occurred
     * @return its error code, {@link WinsockError#NO_ERROR} for success
     * @throws IllegalArgumentException if {@code event} did not occur
     */
    public WinsockError error(NetworkEvent event) {
        WinsockError error = errors.get(Objects.requireNonNull(event, "event"));
        if (error == null) {
            throw new IllegalArgumentException(event + " did not occur (events: " + events + ")");
        }
        return error;
    }

    /**
     * True if nothing occurred.
     *
     * @return true if nothing occurred
     */
    public boolean isEmpty() {
        return events.isEmpty();
    }
}
