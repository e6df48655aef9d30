package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.ListenOptions;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * D2 as a property: whatever the number and sizes of the messages (fragment and buffer boundaries
 * included), every message sent before the disconnect is received, whole and in order, before the end of
 * messages, and the disconnect data follows — also when the sender closes right after its disconnect (L4).
 *
 * <p>jqwik does not honour JUnit's {@code @Timeout}; each try bounds itself instead (see {@link #BOUND}).
 */
class DisconnectOrderPropertyTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    void everyMessageSentBeforeTheDisconnectIsReceivedBeforeTheEndOfMessages(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 70_000) Integer> sizes,
            @ForAll @IntRange(min = 0, max = 4096) int disconnectSize,
            @ForAll @IntRange(min = 1, max = 256) int receiveBufferKib,
            @ForAll boolean closeRightAfterTheDisconnect,
            @ForAll long seed) throws Exception {
        ConnectionSettings receiver = ConnectionSettings.DEFAULTS.withBufferSizes(256 * 1024, receiveBufferKib * 1024);
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder().settings(receiver).build())) {
            LoopbackFixture.Pair pair = f.pair(ConnectOptions.defaults(), r -> Decision.accept());
            Random random = new Random(seed);
            List<byte[]> messages = new ArrayList<>();
            for (int size : sizes) {
                byte[] message = new byte[size];
                random.nextBytes(message);
                messages.add(message);
            }
            byte[] disconnectData = new byte[disconnectSize];
            random.nextBytes(disconnectData);

            CompletableFuture<Void> sender = f.async(() -> {
                for (byte[] message : messages) {
                    pair.client().send(message);
                }
                pair.client().sendDisconnect(disconnectData);
                if (closeRightAfterTheDisconnect) {
                    pair.client().close();
                }
                return null;
            });
            CompletableFuture<Void> receiverSide = f.async(() -> {
                for (int i = 0; i < messages.size(); i++) {
                    byte[] received = pair.server().receive(BOUND);
                    assertThat(received).as("message %d of %d", i, messages.size()).isEqualTo(messages.get(i));
                }
                assertThat(pair.server().receive(BOUND)).as("the end of messages").isNull();
                assertThat(pair.server().receiveDisconnect()).isEqualTo(disconnectData);
                assertThat(pair.server().closeIndication().getNow(null)).isEqualTo(CloseIndication.GRACEFUL);
                return null;
            });
            Await.result(receiverSide, BOUND);
            Await.result(sender, BOUND);
        }
    }
}
