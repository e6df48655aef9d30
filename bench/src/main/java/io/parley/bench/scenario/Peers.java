package io.parley.bench.scenario;

import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.harness.Impl;
import io.parley.bench.harness.Trial;
import io.parley.bench.netty.NettyHandshake;
import io.parley.bench.netty.NettyLifecycle;
import io.parley.bench.netty.NettyOneWay;
import io.parley.bench.netty.NettyPingPong;
import io.parley.bench.parley.ParleyHandshake;
import io.parley.bench.parley.ParleyLifecycle;
import io.parley.bench.parley.ParleyOneWay;
import io.parley.bench.parley.ParleyPingPong;
import io.parley.bench.parley.Serving;
import io.parley.bench.raw.RawHandshake;
import io.parley.bench.raw.RawLifecycle;
import io.parley.bench.raw.RawOneWay;
import io.parley.bench.raw.RawPingPong;
import io.parley.bench.rsocket.RSocketHandshake;
import io.parley.bench.rsocket.RSocketLifecycle;
import io.parley.bench.rsocket.RSocketOneWay;
import io.parley.bench.rsocket.RSocketPingPong;
import io.parley.bench.websocket.WsHandshake;
import io.parley.bench.websocket.WsLifecycle;
import io.parley.bench.websocket.WsOneWay;
import io.parley.bench.websocket.WsPingPong;

/**
 * Which class does which scenario for which implementation. An implementation is asked only for the scenarios
 * it takes part in ({@link Impl#takesPart}); for the others there is no class.
 */
final class Peers {
    private Peers() {
    }

    static Trial lifecycle(Impl impl) throws Exception {
        return switch (impl) {
            case PARLEY -> new ParleyLifecycle(Serving.THREAD_PER_CONNECTION);
            case PARLEY_EVENTS -> new ParleyLifecycle(Serving.ONE_EVENT_THREAD);
            case RAW -> new RawLifecycle();
            case NETTY -> new NettyLifecycle();
            case RSOCKET -> new RSocketLifecycle();
            case WEBSOCKET -> new WsLifecycle();
        };
    }

    static Trial oneWay(Impl impl, int size) throws Exception {
        return switch (impl) {
            case PARLEY -> new ParleyOneWay(size);
            case PARLEY_EVENTS -> throw notTakingPart(impl, "the one-way scenarios");
            case RAW -> new RawOneWay(size);
            case NETTY -> new NettyOneWay(size);
            case RSOCKET -> new RSocketOneWay(size);
            case WEBSOCKET -> new WsOneWay(size);
        };
    }

    static Trial pingPong(Impl impl) throws Exception {
        return switch (impl) {
            case PARLEY -> new ParleyPingPong();
            case PARLEY_EVENTS -> throw notTakingPart(impl, "ping-pong");
            case RAW -> new RawPingPong();
            case NETTY -> new NettyPingPong();
            case RSOCKET -> new RSocketPingPong();
            case WEBSOCKET -> new WsPingPong();
        };
    }

    static HandshakePeer handshake(Impl impl) {
        return switch (impl) {
            case PARLEY -> new ParleyHandshake(Serving.THREAD_PER_CONNECTION);
            case PARLEY_EVENTS -> new ParleyHandshake(Serving.ONE_EVENT_THREAD);
            case RAW -> new RawHandshake();
            case NETTY -> new NettyHandshake();
            case RSOCKET -> new RSocketHandshake();
            case WEBSOCKET -> new WsHandshake();
        };
    }

    private static IllegalArgumentException notTakingPart(Impl impl, String scenario) {
        return new IllegalArgumentException(impl.id() + " takes no part in " + scenario + " (only in "
                + impl.scenarios() + ")");
    }
}
