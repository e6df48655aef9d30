package io.parley.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data formats of docs/totals.md, with their strict parsing. */
class FormatsTest {

    @Test
    void clientTotalIsADecimalNumber() throws Exception {
        assertThat(ClientTotal.encode(42)).isEqualTo(bytes("42"));
        assertThat(ClientTotal.parse(bytes("0"))).isZero();
        assertThat(ClientTotal.parse(bytes("123456789012345678"))).isEqualTo(123456789012345678L);
        for (String bad : new String[] {"", "07", "+7", "-1", " 7", "7 ", "7\n", "1e3", "٣", "1234567890123456789"}) {
            assertThatThrownBy(() -> ClientTotal.parse(bytes(bad))).as(bad).isInstanceOf(WireFormatException.class);
        }
        assertThatThrownBy(() -> ClientTotal.parse(new byte[] {(byte) 0xff})).hasMessageContaining("UTF-8");
    }

    @Test
    void grandTotalCarriesTheReconciliation() throws Exception {
        assertThat(new String(new GrandTotal(15, 5, 5).encode(), StandardCharsets.UTF_8))
                .isEqualTo("grand-total=15;counted=5;claimed=5;status=ok");
        assertThat(new String(new GrandTotal(15, 5, 6).encode(), StandardCharsets.UTF_8))
                .isEqualTo("grand-total=15;counted=5;claimed=6;status=mismatch");
        assertThat(GrandTotal.parse(bytes("grand-total=15;counted=5;claimed=6;status=mismatch")))
                .isEqualTo(new GrandTotal(15, 5, 6));
        for (String bad : new String[] {"grand-total=15;counted=5;claimed=5;status=mismatch",
                "grand-total=15;counted=5;claimed=5", "counted=5;grand-total=15;claimed=5;status=ok",
                "grand-total=15;counted=5;claimed=5;status=ok;", "grand-total=;counted=5;claimed=5;status=ok",
                "grand-total=15;counted=5;claimed=5;status=ok=ok", "15"}) {
            assertThatThrownBy(() -> GrandTotal.parse(bytes(bad))).as(bad).isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void greetingNamesTheServerAndTheRunningTotal() throws Exception {
        Greeting greeting = new Greeting("totals-7@127.0.0.1:7000", 12);
        assertThat(new String(greeting.encode(), StandardCharsets.UTF_8))
                .isEqualTo("server=totals-7@127.0.0.1:7000;running-total=12");
        assertThat(Greeting.parse(greeting.encode())).isEqualTo(greeting);
        assertThatThrownBy(() -> Greeting.parse(bytes("server=x"))).isInstanceOf(WireFormatException.class);
    }

    @Test
    void transactionsAreNumberedRequestsAndAcknowledgements() throws Exception {
        assertThat(Transaction.parseRequest(Transaction.request(3))).isEqualTo(3);
        assertThat(Transaction.parseAck(Transaction.ack(3))).isEqualTo(3);
        assertThatThrownBy(() -> Transaction.parseAck(Transaction.request(3))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> Transaction.parseRequest(bytes("txn  3"))).isInstanceOf(WireFormatException.class);
    }

    @Test
    void clientNamesAreShortAndPlain() throws Exception {
        assertThat(ClientName.parse(bytes("alice.b-c_d@e1"))).isEqualTo("alice.b-c_d@e1");
        for (String bad : new String[] {"", "a b", "a;b", "a=b", "x".repeat(65), "é"}) {
            assertThat(ClientName.isValid(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> ClientName.parse(bytes("a;b"))).isInstanceOf(WireFormatException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
