package io.parley.bench.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.parley.bench.harness.Loopback;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The epoll event loops the Netty and WebSocket peers share in one JVM: one group for servers and one for
 * clients, each with one thread per core. Fails if the native epoll transport cannot load: the comparison
 * is with Netty at its best.
 */
public final class NettyLoops {
    private static NettyLoops shared;

    /** Server loops (the acceptor shares them). */
    public final EventLoopGroup server;
    /** Client loops. */
    public final EventLoopGroup client;

    private NettyLoops() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is unavailable", Epoll.unavailabilityCause());
        }
        int threads = Runtime.getRuntime().availableProcessors();
        server = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        client = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    }

    /** The loops of this JVM, started on first use. */
    public static synchronized NettyLoops shared() {
        if (shared == null) {
            shared = new NettyLoops();
        }
        return shared;
    }

    /** Binds a server on 127.0.0.1 whose connections get the pipeline {@code init} builds. */
    public Channel bind(boolean halfClosure, Consumer<ChannelPipeline> init) throws InterruptedException {
        return new ServerBootstrap()
                .group(server)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                .childHandler(initializer(init))
                .bind(Loopback.anyPort()).sync().channel();
    }

    /** A client bootstrap whose connections get the pipeline {@code init} builds. */
    public Bootstrap bootstrap(boolean halfClosure, Consumer<ChannelPipeline> init) {
        return new Bootstrap()
                .group(client)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                .handler(initializer(init));
    }

    /** The address a server channel is bound to. */
    public static InetSocketAddress address(Channel serverChannel) {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    private static ChannelInitializer<Channel> initializer(Consumer<ChannelPipeline> init) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                init.accept(channel.pipeline());
            }
        };
    }
}
