package io.parley.bench.harness;

import java.util.List;

/**
 * The implementations compared, in the order the report shows them. Most take part in every scenario; one
 * that names its scenarios takes part only in those ({@link #takesPart}).
 */
public enum Impl {
    /** Parley over TCP, the server serving each connection on its own virtual thread. */
    PARLEY("parley", "Parley"),
    /**
     * Parley's clients against a server that serves every connection from one platform thread through an
     * {@code EventWaiter}; only in the scenarios about servers with many connections.
     */
    PARLEY_EVENTS("parley-events", "Parley events", "lifecycle", "idle", "flood"),
    /** Blocking JDK sockets on virtual threads, length-prefixed messages: the floor. */
    RAW("raw", "raw TCP"),
    /** Netty 4.2 with its epoll transport and a length-prefixed framing. */
    NETTY("netty", "Netty"),
    /** RSocket 1.1 over reactor-netty TCP, with a SETUP payload. */
    RSOCKET("rsocket", "RSocket"),
    /** WebSocket (Netty's websocketx): upgrade headers, binary frames, close status and reason. */
    WEBSOCKET("websocket", "WebSocket");

    private final String id;
    private final String title;
    /** The scenarios it takes part in; empty: every one. */
    private final List<String> scenarios;

    Impl(String id, String title, String... scenarios) {
        this.id = id;
        this.title = title;
        this.scenarios = List.of(scenarios);
    }

    /** The name used on command lines and in data files. */
    public String id() {
        return id;
    }

    /** The name shown in the report. */
    public String title() {
        return title;
    }

    /**
     * True if this implementation takes part in the scenario {@code scenario}; a scenario it does not take part
     * in is not run for it (the report shows "–").
     *
     * @param scenario a scenario's id, such as {@code lifecycle}
     * @return true if it takes part
     */
    public boolean takesPart(String scenario) {
        return scenarios.isEmpty() || scenarios.contains(scenario);
    }

    /**
     * The scenarios this implementation takes part in, as a sentence.
     *
     * @return "every scenario" or the scenario ids, comma-separated
     */
    public String scenarios() {
        return scenarios.isEmpty() ? "every scenario" : String.join(", ", scenarios);
    }

    /** The implementation with this id. */
    public static Impl ofId(String id) {
        for (Impl impl : values()) {
            if (impl.id.equals(id)) {
                return impl;
            }
        }
        throw new IllegalArgumentException("unknown implementation " + id);
    }
}
