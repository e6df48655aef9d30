package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's reference exchange end to end, once: the quickest sign that the TCP transport works. */
class SmokeTest {
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void referenceExchange() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            var client = f.connectAsync(ConnectOptions.builder().callerData("alice".getBytes(StandardCharsets.UTF_8)).build());
            ParleyConnection server = f.track(f.listener.accept(r -> Decision.accept("hi".getBytes())));
            ParleyConnection c = client.get(5, TimeUnit.SECONDS);
            assertThat(new String(c.calleeData())).isEqualTo("hi");
            assertThat(new String(server.callerData())).isEqualTo("alice");
            c.send("t1".getBytes());
            assertThat(server.receive()).isEqualTo("t1".getBytes());
            server.send("ok".getBytes());
            assertThat(c.receive()).isEqualTo("ok".getBytes());
            c.sendDisconnect("1".getBytes());
            assertThat(server.closeIndication().get(5, TimeUnit.SECONDS)).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(server.receive()).isNull();
            assertThat(server.receiveDisconnect()).isEqualTo("1".getBytes());
            server.sendDisconnect("42".getBytes());
            server.close();
            assertThat(c.closeIndication().get(5, TimeUnit.SECONDS)).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(c.receiveDisconnect()).isEqualTo("42".getBytes());
            c.close();
            assertThat(c.termination().get(5, TimeUnit.SECONDS)).isEqualTo(CloseIndication.GRACEFUL);
            assertThat(server.termination().get(5, TimeUnit.SECONDS)).isEqualTo(CloseIndication.GRACEFUL);
        }
    }
}
