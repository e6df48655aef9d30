package io.parley.bench.harness;

/** The implementations compared in every scenario, in the order the report shows them. */
public enum Impl {
    /** Parley over TCP. */
    PARLEY("parley", "Parley"),
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

    Impl(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** The name used on command lines and in data files. */
    public String id() {
        return id;
    }

    /** The name shown in the report. */
    public String title() {
        return title;
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
