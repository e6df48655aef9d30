package io.parley.bench.harness;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures one round produced: metric name to value, in insertion order. */
public final class Figures {
    private final Map<String, Double> values = new LinkedHashMap<>();

    /** Adds one figure; returns this. */
    public Figures put(String metric, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalStateException(metric + " came out as " + value);
        }
        values.put(metric, value);
        return this;
    }

    /** The figures, metric name to value. */
    public Map<String, Double> values() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        values.forEach((metric, value) -> text.append(text.isEmpty() ? "" : ", ").append(metric).append('=')
                .append(String.format(java.util.Locale.ROOT, "%.4g", value)));
        return text.toString();
    }
}
