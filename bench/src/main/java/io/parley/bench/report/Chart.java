package io.parley.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * The SVG chart of the targets, drawn by hand: one bar per target whose length is the headroom (the measured
 * figure over the bound for "at least" targets, the bound over the measured figure for "at most" ones), so
 * every target's line is at 1 and a bar that crosses it is a target met.
 */
final class Chart {
    private static final int LEFT = 290;
    private static final int WIDTH = 460;
    private static final int ROW = 30;
    private static final int TOP = 40;

    private Chart() {
    }

    /** A bar: the target's label, its headroom, whether it was met, and the figure as text. */
    record Bar(String label, double headroom, boolean met, String text) {
    }

    static String svg(List<Bar> bars, String title) {
        double scale = Math.max(2.0, bars.stream().mapToDouble(Bar::headroom).max().orElse(1) * 1.05);
        scale = Math.min(scale, 6.0);
        int height = TOP + bars.size() * ROW + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", LEFT + WIDTH + 170, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        double one = WIDTH / scale;
        int bottom = TOP + bars.size() * ROW;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" "
                + "stroke-dasharray=\"4 3\"/>%n", LEFT + one, TOP - 4, LEFT + one, bottom + 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">target</text>%n",
                LEFT + one, bottom + 18));
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = TOP + i * ROW;
            double length = Math.min(bar.headroom(), scale) / scale * WIDTH;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 8, y + 17, escape(bar.label())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>%n",
                    LEFT, y + 4, Math.max(1, length), bar.met() ? "#3a9a4a" : "#c8463c"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    LEFT + Math.max(1, length) + 6, y + 17, escape(bar.text() + (bar.met() ? "  met" : "  missed"))));
        }
        int bottomLine = TOP + bars.size() * ROW;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">bar = headroom over the target "
                + "(measured ÷ bound, or bound ÷ measured for “at most” targets)</text>%n", 10, bottomLine + 34));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
