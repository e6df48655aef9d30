package io.parley.protocol;

import io.parley.CloseIndication;
import io.parley.ReasonCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference scenario of winsock-semantics.md (steps 1 to 8, with 5A) between two engines, checked byte for
 * byte against docs/vectors/reference-scenario.tsv (written by the independent encoder generate.py), and
 * against the worked example printed in docs/protocol.md (section 10), acknowledgements included.
 */
class ReferenceScenarioTest {
    private List<String[]> rows;
    private final ProtocolEngine client = ProtocolEngine.caller(EngineConfig.DEFAULTS, Long.MAX_VALUE);
    private final ProtocolEngine server = ProtocolEngine.callee(EngineConfig.DEFAULTS, Long.MAX_VALUE);

    @BeforeEach
    void readVectors() throws IOException {
        rows = VectorFile.rows("reference-scenario.tsv", 5);
    }

    @Test
    void theVectorsListTheScenarioFrameByFrame() {
        assertThat(rows.stream().map(r -> r[0] + " " + r[1] + " " + r[2]).toList()).containsExactly(
                "1 client preamble", "1 client CONNECT", "2 server preamble", "2 server ACCEPT", "3 client DATA",
                "4 server DATA", "5 client DISCONNECT", "6 server DISCONNECT_ACK", "7 server DISCONNECT",
                "8 client DISCONNECT_ACK");
    }

    @Test
    void theReferenceScenarioProducesTheDocumentedBytes() {
        client.connect(Optional.empty(), Optional.empty(), utf8("alice"), List.of());
        assertThat(Hex.of(take(client))).as("step 1").isEqualTo(step("1"));
        assertThat(client.state()).isEqualTo(EngineState.CONNECTING);

        server.receive(ByteBuffer.wrap(Hex.parse(step("1"))));
        ProtocolEvent.ConnectRequested request = (ProtocolEvent.ConnectRequested) server.pollEvent();
        assertThat(text(request.callerData())).isEqualTo("alice");
        assertThat(Hex.of(take(server))).as("the callee answers the preamble before it decides")
                .isEqualTo(frame("2", "preamble"));
        server.accept(utf8("welcome"), Optional.empty(), Optional.empty());
        assertThat(Hex.of(take(server))).as("step 2").isEqualTo(frame("2", "ACCEPT"));

        client.receive(ByteBuffer.wrap(Hex.parse(step("2"))));
        assertThat(text(((ProtocolEvent.Accepted) client.pollEvent()).calleeData())).isEqualTo("welcome");
        assertThat(client.state()).isEqualTo(EngineState.OPEN);

        client.send(ByteBuffer.wrap(utf8("deposit 25")));
        assertThat(Hex.of(take(client))).as("step 3").isEqualTo(step("3"));
        server.receive(ByteBuffer.wrap(Hex.parse(step("3"))));
        assertThat(text(((ProtocolEvent.MessageReceived) server.pollEvent()).message())).isEqualTo("deposit 25");

        server.send(ByteBuffer.wrap(utf8("ok")));
        assertThat(Hex.of(take(server))).as("step 4").isEqualTo(step("4"));
        client.receive(ByteBuffer.wrap(Hex.parse(step("4"))));
        assertThat(text(((ProtocolEvent.MessageReceived) client.pollEvent()).message())).isEqualTo("ok");

        // (1) The client's WSASendDisconnect with its total.
        client.sendDisconnect(utf8("25"), false);
        assertThat(Hex.of(take(client))).as("step 5").isEqualTo(step("5"));
        assertThat(client.state()).isEqualTo(EngineState.SEND_CLOSED);

        // (2)-(4) The server sees the end of the client's sending, acknowledges it at once and reads the total.
        server.receive(ByteBuffer.wrap(Hex.parse(step("5"))));
        ProtocolEvent.PeerDisconnected total = (ProtocolEvent.PeerDisconnected) server.pollEvent();
        assertThat(total.peerClosed()).isFalse();
        long grandTotal = 1000 + Long.parseLong(text(total.data()));
        assertThat(Hex.of(take(server))).as("step 6").isEqualTo(step("6"));
        assertThat(server.state()).isEqualTo(EngineState.RECEIVE_CLOSED);

        client.receive(ByteBuffer.wrap(Hex.parse(step("6"))));
        assertThat(client.pollEvent()).as("the acknowledgement is not an event").isNull();
        assertThat(client.state()).isEqualTo(EngineState.SEND_CONFIRMED);

        // (5) and (5A): WSASendDisconnect with the grand total, then closesocket at once. The client's
        // DISCONNECT has arrived, so the server's carries no CLOSED flag although it is closing.
        server.sendDisconnect(utf8(Long.toString(grandTotal)), true);
        assertThat(Hex.of(take(server))).as("step 7").isEqualTo(step("7"));
        assertThat(server.state()).isEqualTo(EngineState.CLOSING);
        assertThat(server.pollEvent()).as("the server waits for the acknowledgement").isNull();

        // (6)-(8) The client's FD_CLOSE (graceful) and WSARecvDisconnect get the grand total (L4); it
        // acknowledges the server's DISCONNECT and has ended gracefully.
        client.receive(ByteBuffer.wrap(Hex.parse(step("7"))));
        ProtocolEvent.PeerDisconnected grand = (ProtocolEvent.PeerDisconnected) client.pollEvent();
        assertThat(text(grand.data())).isEqualTo("1025");
        assertThat(grand.peerClosed()).isFalse();
        assertGraceful(client.pollEvent());
        assertThat(Hex.of(take(client))).as("step 8").isEqualTo(step("8"));
        assertThat(client.state()).isEqualTo(EngineState.CLOSED);

        // The server learns that the client received the grand total: graceful too.
        server.receive(ByteBuffer.wrap(Hex.parse(step("8"))));
        assertGraceful(server.pollEvent());
        assertThat(server.state()).isEqualTo(EngineState.CLOSED);
        assertThat(server.takeOutput()).as("nothing follows the last acknowledgement").isNull();
        assertThat(client.takeOutput()).isNull();
    }

    @Test
    void theWorkedExampleInTheSpecificationShowsTheSameBytes() throws IOException {
        String spec = Files.readString(VectorFile.docs("protocol.md"), StandardCharsets.UTF_8)
                .replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
        for (String[] row : rows) {
            assertThat(spec).as("docs/protocol.md shows step %s %s %s", row[0], row[1], row[2]).contains(row[3]);
        }
    }

    private static void assertGraceful(ProtocolEvent event) {
        assertThat(event).isInstanceOf(ProtocolEvent.Closed.class);
        CloseIndication end = ((ProtocolEvent.Closed) event).indication();
        assertThat(end.kind()).isEqualTo(CloseIndication.Kind.GRACEFUL);
        assertThat(end.reason()).isEqualTo(ReasonCode.UNSPECIFIED);
    }

    private String step(String step) {
        StringBuilder hex = new StringBuilder();
        for (String[] row : rows) {
            if (row[0].equals(step)) {
                hex.append(row[3]);
            }
        }
        return hex.toString();
    }

    private String frame(String step, String frame) {
        return rows.stream().filter(r -> r[0].equals(step) && r[2].equals(frame)).findFirst().orElseThrow()[3];
    }

    private static byte[] take(ProtocolEngine engine) {
        ByteBuffer out = engine.takeOutput();
        assertThat(out).as("output").isNotNull();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        engine.releaseOutput();
        return bytes;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
