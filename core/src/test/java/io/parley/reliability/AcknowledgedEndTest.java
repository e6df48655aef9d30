package io.parley.reliability;

import io.parley.CloseIndication;
import io.parley.protocol.Frame;
import io.parley.protocol.FrameEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end is acknowledged (docs/protocol.md 4.8; winsock-semantics.md L4, D1): the reference exchange with
 * the transport cut, or reset, at every byte offset from the server's last DISCONNECT to the end of the
 * client's DISCONNECT_ACK for it. The server, whose DISCONNECT goes last, must never report a graceful end
 * unless that acknowledgement crossed the proxy, and reports the end as unconfirmed when it did not; the
 * client is graceful only with its own acknowledgement and the server's DISCONNECT.
 */
class AcknowledgedEndTest {
    private static final List<byte[]> MESSAGES = List.of("deposit 25".getBytes(StandardCharsets.US_ASCII));
    private static final int TOTAL = 25;
    private static final int ACK_SIZE = FrameEncoder.toBytes(new Frame.DisconnectAck()).length;

    private static Lifecycle.Plan plan(Fault fault) {
        return new Lifecycle.Plan(0, 0, fault, MESSAGES, TOTAL, Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    @Timeout(180)
    void l4_theSideThatDisconnectsLastIsNeverGracefulWithoutTheAcknowledgement() throws Exception {
        Lifecycle.Outcome clean = Lifecycle.run(plan(Fault.NONE));
        assertThat(clean.server().terminatedGracefully()).as("a clean run ends gracefully").isTrue();
        byte[] toClient = clean.link().delivered(Fault.Direction.SERVER_TO_CLIENT);
        byte[] toServer = clean.link().delivered(Fault.Direction.CLIENT_TO_SERVER);
        int serverDisconnect = toClient.length - FrameEncoder.toBytes(new Frame.Disconnect(false,
                clean.plan().grandTotalData())).length;
        int clientAck = toServer.length - ACK_SIZE;
        assertThat(Oracle.has(Arrays.copyOf(toServer, clientAck), Frame.DisconnectAck.class))
                .as("the client's only acknowledgement, of the server's DISCONNECT, is its last frame").isFalse();

        List<Fault> faults = new ArrayList<>();
        for (Fault.Kind kind : List.of(Fault.Kind.CUT, Fault.Kind.RESET)) {
            for (int at = serverDisconnect; at <= toClient.length; at++) {
                faults.add(new Fault(kind, Fault.Direction.SERVER_TO_CLIENT, at, Duration.ZERO));
            }
            for (int at = clientAck; at <= toServer.length; at++) {
                faults.add(new Fault(kind, Fault.Direction.CLIENT_TO_SERVER, at, Duration.ZERO));
            }
        }
        List<String> wrong = new ArrayList<>();
        int unconfirmed = 0;
        for (Fault fault : faults) {
            Lifecycle.Outcome outcome = Lifecycle.run(plan(fault));
            byte[] delivered = outcome.link().delivered(Fault.Direction.CLIENT_TO_SERVER);
            boolean acknowledged = delivered.length == toServer.length;
            Side server = outcome.server();
            if (server.terminatedGracefully() != acknowledged) {
                wrong.add(fault + ": server termination " + server.termination + " with " + delivered.length
                        + " of " + toServer.length + " bytes delivered to it");
            }
            if (!acknowledged) {
                if (server.termination == null || server.termination.kind() != CloseIndication.Kind.UNCONFIRMED) {
                    wrong.add(fault + ": server termination " + server.termination + ", expected UNCONFIRMED");
                } else {
                    unconfirmed++;
                }
            }
            wrong.addAll(Oracle.judge(outcome).wrong().stream().map(w -> fault + ": " + w).toList());
        }
        assertThat(wrong).isEmpty();
        assertThat(unconfirmed).as("cuts before the acknowledgement's last byte end unconfirmed").isPositive();
    }
}
