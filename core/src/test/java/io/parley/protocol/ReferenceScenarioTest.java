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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference scenario of winsock-semantics.md (steps 1 to 8, with 5A) between two engines, checked byte for
 * byte against docs/vectors/reference-scenario.tsv (written by the independent encoder generate.py), and
 * against the worked example printed in docs/protocol.md.
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
    void theReferenceScenarioProducesTheDocumentedBytes() {
        client.connect(null, null, utf8("alice"));
        assertThat(Hex.of(take(client))).as("step 1").isEqualTo(step("1"));

        server.receive(ByteBuffer.wrap(Hex.parse(step("1"))));
        ProtocolEvent.ConnectRequested request = (ProtocolEvent.ConnectRequested) server.pollEvent();
        assertThat(text(request.callerData())).isEqualTo("alice");
        assertThat(Hex.of(take(server))).as("the callee answers the preamble before it decides")
                .isEqualTo(frame("2", "preamble"));
        server.accept(utf8("welcome"), null, null);
        assertThat(Hex.of(take(server))).as("step 2").isEqualTo(frame("2", "ACCEPT"));

        client.receive(ByteBuffer.wrap(Hex.parse(step("2"))));
        assertThat(text(((ProtocolEvent.Accepted) client.pollEvent()).calleeData())).isEqualTo("welcome");

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

        // (2)-(4) The server sees the end of the client's sending and reads its total.
        server.receive(ByteBuffer.wrap(Hex.parse(step("5"))));
        ProtocolEvent.PeerDisconnected total = (ProtocolEvent.PeerDisconnected) server.pollEvent();
        long grandTotal = 1000 + Long.parseLong(text(total.data()));
        assertThat(server.state()).isEqualTo(EngineState.RECEIVE_CLOSED);

        // (5) and (5A): WSASendDisconnect with the grand total, then closesocket at once.
        server.sendDisconnect(utf8(Long.toString(grandTotal)), true);
        assertThat(Hex.of(take(server))).as("step 6").isEqualTo(step("6"));
        assertThat(server.outcome()).isEqualTo(CloseIndication.GRACEFUL);

        // (6)-(8) The client's FD_CLOSE (graceful) and WSARecvDisconnect get the grand total (L4).
        client.receive(ByteBuffer.wrap(Hex.parse(step("6"))));
        ProtocolEvent.PeerDisconnected grand = (ProtocolEvent.PeerDisconnected) client.pollEvent();
        assertThat(text(grand.data())).isEqualTo("1025");
        assertThat(grand.peerClosed()).isTrue();
        assertThat(client.pollEvent()).isEqualTo(new ProtocolEvent.Closed(CloseIndication.GRACEFUL));
        assertThat(client.outcome().reason()).isEqualTo(ReasonCode.UNSPECIFIED);
    }

    @Test
    void theWorkedExampleInTheSpecificationShowsTheSameBytes() throws IOException {
        String spec = Files.readString(VectorFile.docs("protocol.md"), StandardCharsets.UTF_8)
                .replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
        for (String[] row : rows) {
            assertThat(spec).as("docs/protocol.md shows step %s %s %s", row[0], row[1], row[2]).contains(row[3]);
        }
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
