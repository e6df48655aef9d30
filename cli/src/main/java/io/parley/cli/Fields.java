package io.parley.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code key=value;key=value} text of the callee data and the server's disconnect data: fixed keys in a
 * fixed order, non-empty values without {@code ;} or {@code =}, parsed strictly.
 */
final class Fields {

    private Fields() {
    }

    /** Formats alternating keys and values: {@code format("a", "1", "b", "2")} is {@code a=1;b=2}. */
    static String format(String... keysAndValues) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String value = keysAndValues[i + 1];
            if (value.isEmpty() || value.contains(";") || value.contains("=")) {
                throw new IllegalArgumentException("value of " + keysAndValues[i] + " cannot be sent: '" + value + "'");
            }
            text.append(i == 0 ? "" : ";").append(keysAndValues[i]).append('=').append(value);
        }
        return text.toString();
    }

    /** Parses exactly these keys in this order and returns their values. */
    static List<String> parse(byte[] data, String what, String... keys) throws WireFormatException {
        String text = Text.decode(data, what);
        String[] parts = text.split(";", -1);
        String expected = String.join("=…;", keys) + "=…";
        if (parts.length != keys.length) {
            throw new WireFormatException(what + " must be " + expected + ", not '" + text + "'");
        }
        List<String> values = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            String prefix = keys[i] + "=";
            String value = parts[i].startsWith(prefix) ? parts[i].substring(prefix.length()) : "";
            if (value.isEmpty() || value.contains("=")) {
                throw new WireFormatException(what + " must be " + expected + ", not '" + text + "'");
            }
            values.add(value);
        }
        return values;
    }
}
